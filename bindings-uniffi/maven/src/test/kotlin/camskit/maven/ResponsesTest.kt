// Every case of tests/vectors/responses.json through parseResponse: the success envelope, each
// CAMS error as CamsException.Api with core's kind, and bodies that are not CAMS JSON as
// CamsException.Parse.
package camskit.maven

import camskit.CamsException
import camskit.ErrorKind
import camskit.errorKindName
import camskit.parseResponse
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.util.Base64

class ResponsesTest {
    @TestFactory
    fun responses(): List<DynamicTest> {
        val cases = vectorCases("responses.json")
        assertTrue(cases.size >= 40, "responses.json has ${cases.size} cases")
        val kindsSeen = mutableSetOf<ErrorKind>()
        val tests = cases.map { case ->
            val status = case.getInt("status")
            val body = case.str("body_base64")?.let { Base64.getDecoder().decode(it) }
                ?: case.getString("body").toByteArray(Charsets.UTF_8)
            val e = case.getJSONObject("expected")
            dynamicTest("responses (${e.getString("outcome")}): ${case.getString("name")}") {
                when (e.getString("outcome")) {
                    "ok" -> {
                        val ok = parseResponse(status, body)
                        assertEquals(status, ok.status, "status")
                        e.str("request_id")?.let { assertEquals(it, ok.requestId, "request id") }
                        e.str("code")?.let { assertEquals(it, ok.code, "code") }
                        e.str("message")?.let { assertEquals(it, ok.message, "message") }
                        e.str("access_denied_detail")?.let { assertEquals(it, ok.accessDeniedDetail, "access denied detail") }
                        e.str("data")?.let { assertEquals(it, ok.dataJson, "data (exact JSON text)") }
                        val parsed = JSONObject(ok.bodyJson)
                        e.optJSONArray("extra_fields")?.forEach { f -> assertTrue(parsed.has(f as String), "body has $f") }
                    }
                    "api_error" -> {
                        val err = assertThrows<CamsException.Api> { parseResponse(status, body) }
                        assertEquals(status, err.status, "status")
                        assertEquals(e.getString("kind"), errorKindName(err.kind), "kind")
                        assertEquals(e.getBoolean("retryable"), err.retryable, "retryable")
                        e.str("code")?.let { assertEquals(it, err.code, "code") }
                        e.str("message")?.let { assertEquals(it, err.errorMessage, "message") }
                        e.str("request_id")?.let { assertEquals(it, err.requestId, "request id") }
                        e.str("host_id")?.let { assertEquals(it, err.hostId, "host id") }
                        e.str("recommend")?.let { assertEquals(it, err.recommend, "recommend") }
                        e.str("server_string_to_sign")?.let { assertEquals(it, err.serverStringToSign, "server string to sign") }
                        e.str("access_denied_detail")?.let { assertEquals(it, err.accessDeniedDetail, "access denied detail") }
                        assertTrue(err.toString().contains(errorKindName(err.kind)), "toString: $err")
                        synchronized(kindsSeen) { kindsSeen.add(err.kind) }
                    }
                    "parse_error" -> {
                        val err = assertThrows<CamsException.Parse> { parseResponse(status, body) }
                        assertEquals(status, err.status, "status")
                        assertTrue(err.reason.contains(e.getString("reason_contains")), "reason: ${err.reason}")
                        assertTrue(err.toString().contains("HTTP $status"), "toString: $err")
                    }
                    else -> error("outcome ${e.getString("outcome")}")
                }
            }
        }
        // runs after the cases above (dynamic tests run in order)
        // OUTCOME_UNKNOWN is core's word for "a write whose effect is unknown" (a 5xx or a timeout
        // after sending): only the operation-aware parsing and the call machine give it, never
        // parseResponse, which does not know the operation.
        val answerKinds = ErrorKind.values().toSet() - ErrorKind.OUTCOME_UNKNOWN
        return tests + dynamicTest("every ErrorKind of an answer arrives as a CamsException.Api") {
            assertEquals(answerKinds, kindsSeen, "kinds seen in responses.json")
        }
    }
}

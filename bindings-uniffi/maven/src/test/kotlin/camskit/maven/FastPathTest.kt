// camskit.fast.FastSigner and FastReceipts (one JNI call each) against uniffi's signRequest /
// parseResponse / parsePush / parseMnsBody (JNA): equal results on every shared vector
// (tests/vectors/rpc-v1.json, v3.json, responses.json, receipts.json) and the same CamsException
// for bad input, with one copy of the library in the process.
package camskit.maven

import camskit.AccessKey
import camskit.CamsException
import camskit.HttpMethod
import camskit.ParamValue
import camskit.SignOptions
import camskit.SignRequest
import camskit.SignTime
import camskit.SignatureVersion
import camskit.fast.FastReceipts
import camskit.fast.FastSigner
import camskit.parseMnsBody
import camskit.parsePush
import camskit.parseResponse
import camskit.signRequest
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.util.Base64

class FastPathTest {
    /** The outcome of a call: its value, or the exception's class and every field (its message). */
    private fun outcome(f: () -> Any): String = try {
        "ok " + f().toString()
    } catch (e: CamsException) {
        "${e::class.qualifiedName}: ${e.message} / $e"
    } catch (e: Exception) {
        "${e::class.qualifiedName}: ${e.message}"
    }

    private fun same(request: SignRequest) {
        val viaUniffi = outcome { signRequest(request) }
        val viaJni = outcome { FastSigner.signRequest(request) }
        assertEquals(viaUniffi, viaJni)
        if (viaUniffi.startsWith("ok ")) assertEquals(signRequest(request), FastSigner.signRequest(request))
    }

    private fun vectorRequest(input: JSONObject, version: SignatureVersion): SignRequest {
        val v = SignVector(input, version)
        return SignRequest(
            key = AccessKey(v.accessKeyId, v.accessKeySecret.toByteArray(), v.securityToken?.toByteArray()),
            action = v.action,
            params = v.params,
            options = v.options,
            endpoint = v.endpoint,
        )
    }

    @Test
    fun theJniPathIsInUse() {
        assertTrue(FastSigner.isNative, "FastSigner falls back: ${FastSigner.unavailableReason}")
        // one copy of the library in the process: the JVM loaded the file JNA had loaded
        val maps = File("/proc/self/maps")
        if (maps.exists()) {
            val copies = maps.readLines().filter { it.contains("camskit_uniffi") }.map { it.substringAfterLast(' ') }.toSet()
            assertEquals(1, copies.size, "libraries mapped: $copies")
        }
    }

    @TestFactory
    fun signedVectorsAreIdentical(): List<DynamicTest> =
        listOf("rpc-v1.json" to SignatureVersion.V1, "v3.json" to SignatureVersion.V3).flatMap { (file, version) ->
            vectorTests(file, 15, "fast path, $file") { case ->
                val request = vectorRequest(case.getJSONObject("input"), version)
                same(request)
                val fast = FastSigner.signRequest(request)
                assertEquals(case.getJSONObject("expected").getString("signature"), fast.signature, "signature")
            }
        }

    @TestFactory
    fun parsedResponsesAreIdentical(): List<DynamicTest> =
        vectorTests("responses.json", 40, "fast path, responses") { case ->
            val status = case.getInt("status")
            val body = case.str("body_base64")?.let { Base64.getDecoder().decode(it) }
                ?: case.getString("body").toByteArray(Charsets.UTF_8)
            val viaUniffi = outcome { parseResponse(status, body) }
            assertEquals(viaUniffi, outcome { FastSigner.parseResponse(status, body) })
            assertEquals(case.getJSONObject("expected").getString("outcome") == "ok", viaUniffi.startsWith("ok "), viaUniffi)
        }

    @TestFactory
    fun parsedReceiptsAreIdentical(): List<DynamicTest> =
        vectorTests("receipts.json", 30, "fast path, receipts") { case ->
            assertTrue(FastReceipts.isNative, "FastReceipts falls back: ${FastSigner.unavailableReason}")
            val body = case.getString("body")
            val type = case.str("message_type")
            val (viaUniffi, viaJni) = when (val t = case.getString("transport")) {
                "push" -> outcome { parsePush(body, type) } to outcome { FastReceipts.parsePush(body, type) }
                "mns" -> outcome { parseMnsBody(body, type) } to outcome { FastReceipts.parseMnsBody(body, type) }
                else -> error("unknown transport $t")
            }
            assertEquals(viaUniffi, viaJni)
            assertEquals(case.has("error"), !viaUniffi.startsWith("ok "), viaUniffi)
        }

    @Test
    fun receiptsBadInputThrowsTheSameException() {
        for (body in listOf("", "[", "[1]", "{\"a\":", "\uD800", "[{\"MessageId\":\"m\uD83D\uDE00\",\"Status\":\"read\"}]", "x".repeat(3 * 1024 * 1024))) {
            for (type in listOf(null, "ChatAppStatus", "ChatAppInbound", "Nope", "\uDC00")) {
                assertEquals(outcome { parsePush(body, type) }, outcome { FastReceipts.parsePush(body, type) }, "push $type")
                assertEquals(outcome { parseMnsBody(body, type) }, outcome { FastReceipts.parseMnsBody(body, type) }, "mns $type")
            }
        }
    }

    private val key = AccessKey("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABCD".toByteArray())
    private val fixed = SignOptions(timestamp = SignTime.Unix(1752480000.0), nonce = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21")
    private val register = mapOf<String, ParamValue>(
        "CustSpaceId" to ParamValue.Text("29348393884"),
        "PhoneNumber" to ParamValue.Text("8613800001234"),
    )

    @Test
    fun typedParametersAndOptions() {
        for (signature in listOf(null, SignatureVersion.V1, SignatureVersion.V3)) {
            same(SignRequest(key, "ChatappMigrationRegister", register, fixed.copy(signature = signature)))
        }
        // a CAMS operation with every kind of value, a fractional unix time, a security token, a region
        same(
            SignRequest(
                key.copy(securityToken = "CAIS-token".toByteArray()), "ListChatappTemplate",
                mapOf(
                    "CustSpaceId" to ParamValue.Text("29348393884"),
                    "Language" to ParamValue.Text("zh_CN ü 中文 😀"),
                    "Page" to ParamValue.Json("""{"Index":1,"Size":20}"""),
                    "AuditStatus" to ParamValue.Null,
                ),
                fixed.copy(timestamp = SignTime.Unix(1752480000.75), headers = listOf(camskit.NameValue("user-agent", "camskit-test"))),
                region = "ap-southeast-1",
            ),
        )
        // raw requests: integers, booleans, numbers, JSON, null, form parameters, GET
        val raw = mapOf(
            "N" to ParamValue.Integer(Long.MIN_VALUE), "B" to ParamValue.Boolean(true), "F" to ParamValue.Number(0.1),
            "J" to ParamValue.Json("""[{"Key":"env","Value":"prod"}]"""), "Z" to ParamValue.Null, "T" to ParamValue.Text("a b*~"),
        )
        for (method in listOf(HttpMethod.GET, HttpMethod.POST)) {
            same(
                SignRequest(
                    key, "DescribeRegions", raw,
                    fixed.copy(raw = true, apiVersion = "2014-05-26", method = method, form = mapOf("Body" to ParamValue.Integer(7))),
                    endpoint = "https://ecs.aliyuncs.com",
                ),
            )
        }
        // no options at all: now and a fresh nonce (different each call), so only the shape is compared
        val fresh = FastSigner.signRequest(SignRequest(key, "ChatappMigrationRegister", register))
        assertEquals(SignatureVersion.V1, fresh.signatureVersion)
        assertEquals(36, fresh.nonce.length)
    }

    @Test
    fun badInputsThrowTheSameException() {
        val bad = listOf(
            SignRequest(key.copy(accessKeySecret = byteArrayOf(-1, -2)), "ChatappMigrationRegister", register, fixed),
            SignRequest(key.copy(accessKeyId = ""), "ChatappMigrationRegister", register, fixed),
            SignRequest(key, "ChatappMigrationRegistr", register, fixed),
            SignRequest(key, "ChatappMigrationRegister", register + ("CustSpaceID" to ParamValue.Text("1")), fixed),
            SignRequest(key, "ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("1")), fixed),
            SignRequest(key, "ChatappMigrationRegister", register + ("PhoneNumber" to ParamValue.Integer(5)), fixed),
            SignRequest(key, "ChatappMigrationRegister", register + ("PhoneNumber" to ParamValue.Number(Double.NaN)), fixed),
            SignRequest(key, "ChatappMigrationRegister", register + ("PhoneNumber" to ParamValue.Json("{")), fixed),
            SignRequest(key, "ChatappMigrationRegister", register, fixed.copy(timestamp = SignTime.Text("yesterday"))),
            SignRequest(key, "ChatappMigrationRegister", register, fixed.copy(timestamp = SignTime.Unix(Double.POSITIVE_INFINITY))),
            SignRequest(key, "ChatappMigrationRegister", register, fixed, region = "eu-west-1", endpoint = "https://example.com"),
            SignRequest(key, "ChatappMigrationRegister", register, fixed, endpoint = "ftp://x"),
            SignRequest(key, "ChatappMigrationRegister", register, fixed.copy(headers = listOf(camskit.NameValue("bad name", "v")))),
            // a lone surrogate: uniffi's string lowering refuses it, and so does the fast path's
            SignRequest(key, "ChatappMigrationRegister", register + ("PhoneNumber" to ParamValue.Text("\uD800")), fixed),
        )
        for (request in bad) {
            val viaUniffi = outcome { signRequest(request) }
            assertTrue(!viaUniffi.startsWith("ok "), "expected a failure: $viaUniffi")
            assertEquals(viaUniffi, outcome { FastSigner.signRequest(request) })
        }
        // the exceptions are the uniffi-generated classes, with their fields
        val e = runCatching { FastSigner.signRequest(bad[2]) }.exceptionOrNull()
        assertTrue(e is CamsException.Validation && e.suggestions.contains("ChatappMigrationRegister"), "$e")
        val c = runCatching { FastSigner.signRequest(bad[0]) }.exceptionOrNull()
        assertTrue(c is CamsException.Credentials, "$c")
        // statuses that are not HTTP's, and an empty body
        for ((status, body) in listOf(-1 to "{}", 70000 to "x", 200 to "", 0 to "{\"Code\":\"OK\"}")) {
            val bytes = body.toByteArray()
            assertEquals(outcome { parseResponse(status, bytes) }, outcome { FastSigner.parseResponse(status, bytes) })
        }
    }

    @Test
    fun largeAnswerIsIdentical() {
        val items = (1..2000).joinToString(",") { """{"TemplateCode":"t$it","Id":${9007199254740993L + it},"Name":"模板 $it"}""" }
        val body = """{"RequestId":"R","Code":"OK","Data":{"ListTemplate":[$items]}}""".toByteArray()
        val a = parseResponse(200, body)
        val b = FastSigner.parseResponse(200, body)
        assertEquals(a, b)
        assertArrayEquals(a.bodyJson.toByteArray(), b.bodyJson.toByteArray())
    }
}

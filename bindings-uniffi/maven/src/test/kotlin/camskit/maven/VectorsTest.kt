// Every case of tests/vectors/rpc-v1.json and v3.json, signed through the jar's Kotlin API and
// compared byte for byte (the vectors come from Alibaba's official signers).
package camskit.maven

import camskit.CamsClient
import camskit.Credentials
import camskit.SignatureVersion
import camskit.SignedRequest
import camskit.signatureVersionName
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

class VectorsTest {
    private fun sign(input: JSONObject, version: SignatureVersion): SignedRequest {
        val v = SignVector(input, version)
        val client = CamsClient(Credentials(v.accessKeyId, v.accessKeySecret, v.securityToken), endpoint = v.endpoint)
        return client.sign(v.action, v.params, v.options)
    }

    /** Each case of [file] signed as [version]: what both versions give checked here, the rest by [more]. */
    private fun signedCases(
        file: String,
        atLeast: Int,
        version: SignatureVersion,
        more: (input: JSONObject, e: JSONObject, s: SignedRequest) -> Unit,
    ): List<DynamicTest> =
        vectorTests(file, atLeast, file.removeSuffix(".json")) { case ->
            val input = case.getJSONObject("input")
            val e = case.getJSONObject("expected")
            val s = sign(input, version)
            assertEquals(e.getString("string_to_sign"), s.stringToSign, "string to sign")
            assertEquals(e.getString("signature"), s.signature, "signature")
            assertEquals(e.pairs("url_params").sortedPairs(), urlParams(s.url), "url parameters")
            assertEquals(e.str("body"), s.body, "body")
            more(input, e, s)
        }

    @TestFactory
    fun rpcV1(): List<DynamicTest> =
        signedCases("rpc-v1.json", 60, SignatureVersion.V1) { input, e, s ->
            assertEquals(e.getString("canonical_query"), s.canonicalQuery, "canonical query")
            assertEquals(input.getString("method"), s.method, "method")
            assertEquals(input.getString("timestamp"), s.timestamp, "timestamp")
            assertEquals(input.getString("nonce"), s.nonce, "nonce")
            assertEquals(SignatureVersion.V1, s.signatureVersion, "signature version")
            assertNull(s.canonicalRequest, "canonical request (v3 only)")
        }

    @TestFactory
    fun v3(): List<DynamicTest> =
        signedCases("v3.json", 15, SignatureVersion.V3) { _, e, s ->
            assertEquals(e.getString("canonical_request"), s.canonicalRequest, "canonical request")
            assertEquals(e.getString("authorization"), s.headers.firstOrNull { it.name == "authorization" }?.value, "authorization")
            assertEquals(e.pairs("headers").sortedPairs(), s.headers.filter { it.name != "authorization" }.sortedPairs(), "headers")
            assertEquals("v3", signatureVersionName(s.signatureVersion), "signature version")
        }
}

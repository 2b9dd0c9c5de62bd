// End to end with OkHttp, the way an Android app sends: sign with the jar, send the signed request
// (headersToSend, the body as bytes) with OkHttp (redirects off: a 3xx is an answer to parse, not
// to follow), parse the answer. Against tests/mock-cams, started here on a free loopback port.
package camskit.maven

import camskit.CamsClient
import camskit.CamsException
import camskit.Credentials
import camskit.ErrorKind
import camskit.NameValue
import camskit.ParamValue
import camskit.SignOptions
import camskit.SignatureVersion
import camskit.SignedRequest
import camskit.parseChatappMigrationRegisterResponse
import camskit.parseCreateChatappMigrationInitiateResponse
import camskit.parseResponse
import camskit.parseResponseWithHeaders
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import org.json.JSONArray
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import java.io.File
import java.nio.file.Files
import java.util.concurrent.TimeUnit

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MockCamsOkHttpTest {
    private val keyId = "LTAI5tMavenTestKey01"
    private val secret = "MavenTestSecret0123456789abcdef"
    private val dir = Files.createTempDirectory("camskit-maven-mock").toFile()
    private lateinit var mock: Process
    private lateinit var url: String

    private val http = OkHttpClient.Builder()
        .followRedirects(false)
        .followSslRedirects(false)
        .callTimeout(20, TimeUnit.SECONDS)
        .build()

    @BeforeAll
    fun startMock() {
        val portFile = File(dir, "port")
        mock = ProcessBuilder(
            "python3", File(root, "tests/mock-cams/server.py").path,
            "--port", "0", "--port-file", portFile.path, "--key", "$keyId:$secret",
        ).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(File(dir, "stderr")).start()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20)
        var port = 0
        while (port == 0) {
            port = portFile.takeIf { it.exists() }?.readText()?.trim()?.toIntOrNull() ?: 0
            if (port == 0) {
                check(mock.isAlive && System.nanoTime() < deadline) {
                    "mock-cams did not start: ${File(dir, "stderr").takeIf { it.exists() }?.readText()}"
                }
                Thread.sleep(50)
            }
        }
        url = "http://127.0.0.1:$port"
    }

    @AfterAll
    fun stopMock() {
        if (::mock.isInitialized) {
            mock.destroy()
            if (!mock.waitFor(5, TimeUnit.SECONDS)) mock.destroyForcibly().waitFor()
        }
        http.dispatcher.executorService.shutdown()
        http.connectionPool.evictAll()
        dir.deleteRecursively()
    }

    private class Answer(val status: Int, val headers: List<NameValue>, val body: ByteArray)

    /** What an app does with a SignedRequest: headersToSend (core leaves out host), the body as bytes. */
    private fun send(signed: SignedRequest): Answer {
        val builder = Request.Builder().url(signed.url)
        for (h in signed.headersToSend) builder.header(h.name, h.value)
        // Bytes, not a String: OkHttp would add "; charset=utf-8" to a String body's content type,
        // and v3 signs the content-type header.
        val body = (signed.body ?: "").toByteArray()
            .toRequestBody(signed.body?.let { "application/x-www-form-urlencoded".toMediaType() })
        builder.method(signed.method, if (signed.method == "GET") null else body)
        http.newCall(builder.build()).execute().use { r ->
            return Answer(r.code, r.headers.map { NameValue(it.first, it.second) }, r.body.bytes())
        }
    }

    private fun client(secret: String = this.secret) = CamsClient(Credentials(keyId, secret), endpoint = url)

    @ParameterizedTest
    @EnumSource(SignatureVersion::class)
    fun `ChatappMigrationRegister signed, sent with OkHttp, parsed as success`(version: SignatureVersion) {
        val signed = client().chatappMigrationRegister("cs-maven", "8613800001234", SignOptions(signature = version))
        val a = send(signed)
        assertEquals(200, a.status, String(a.body))
        val reg = parseChatappMigrationRegisterResponse(a.status, a.body)
        assertEquals("OK", reg.code)
        assertEquals("SUCCESS", reg.message)
        assertFalse(reg.requestId.isNullOrEmpty(), "request id")
        // the generic parser and the one that reads headers agree
        assertEquals("OK", parseResponse(a.status, a.body).code)
        assertEquals("OK", parseResponseWithHeaders(a.status, a.headers, a.body).code)
        // mock-cams saw what was signed: the action, the values and the signature version
        val seen = Request.Builder().url("$url/__mock/requests").build().let { req ->
            http.newCall(req).execute().use { JSONArray(it.body.string()) }
        }
        val mine = (0 until seen.length()).map { seen.getJSONObject(it) }.last {
            it.getString("action") == "ChatappMigrationRegister" &&
                it.getJSONObject("params").optString("CustSpaceId") == "cs-maven" &&
                it.getString("signature") == (if (version == SignatureVersion.V3) "v3" else "1.0")
        }
        assertEquals("8613800001234", mine.getJSONObject("params").getString("PhoneNumber"))
    }

    @Test
    fun `migration step 1 with a value that needs escaping, v3, over OkHttp`() {
        val c = client()
        val init = send(c.createChatappMigrationInitiate("cs-maven", "86", "13800001234", SignOptions(signature = SignatureVersion.V3)))
            .let { parseCreateChatappMigrationInitiateResponse(it.status, it.body) }
        assertEquals("OK", init.code)
        assertTrue(init.data?.id?.startsWith("mig-") == true, "migration id: ${init.data}")
        val tricky = c.sign("ChatappMigrationRegister", mapOf(
            "CustSpaceId" to ParamValue.Text("cs-maven"),
            "PhoneNumber" to ParamValue.Text("+86 (138) 0000*1234 ~/&=%中文😀"),
        ), SignOptions(signature = SignatureVersion.V3))
        assertEquals("OK", send(tricky).let { parseResponse(it.status, it.body) }.code)
    }

    @Test
    fun `a wrong secret comes back as SignatureDoesNotMatch with the server's string to sign`() {
        val signed = client("not-the-secret").chatappMigrationRegister("cs-maven", "1", null)
        val a = send(signed)
        val e = assertThrows<CamsException.Api> { parseChatappMigrationRegisterResponse(a.status, a.body) }
        assertEquals(ErrorKind.SIGNATURE_MISMATCH, e.kind)
        assertEquals("SignatureDoesNotMatch", e.code)
        assertEquals(signed.stringToSign, e.serverStringToSign)
        assertFalse(e.toString().contains("not-the-secret"), "no secret in $e")
    }
}

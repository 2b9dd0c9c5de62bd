// The suspend calls end to end against tests/mock-cams: typed calls (client.calls(...)) over
// OkHttp and java.net.http, every scenario of tests/vectors/call-scenarios.json replayed through
// callSuspending over OkHttp (the same outcome, attempts and effects as the blocking call), its
// page walks as a Sequence and a Flow of typed items, and a cancelled coroutine mapped to core's
// cancel (a write on the wire: outcome unknown; a read waiting to retry: known).
package camskit.tests

import camskit.CallOptions
import camskit.CamsCallCancelledException
import camskit.CamsClient
import camskit.CamsException
import camskit.Credentials
import camskit.ErrorKind
import camskit.JavaNetSuspendTransport
import camskit.JavaNetTransport
import camskit.OkHttpTransport
import camskit.ParamValue
import camskit.SignatureVersion
import camskit.SuspendTransport
import camskit.TransportException
import camskit.answers.calls
import camskit.callSuspending
import camskit.defaultRetryPolicy
import camskit.maven.root
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import okhttp3.OkHttpClient
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.EnumSource
import java.io.File
import java.net.ServerSocket
import java.util.concurrent.TimeUnit

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspendCallsTest {
    private lateinit var mock: Mock
    private val okhttp = OkHttpClient.Builder().followRedirects(false).followSslRedirects(false).build()
    private val transport = OkHttpTransport(okhttp)

    @BeforeAll
    fun start() {
        mock = Mock(root)
    }

    @AfterAll
    fun stop() {
        mock.close()
        okhttp.dispatcher.executorService.shutdown()
        okhttp.connectionPool.evictAll()
    }

    private fun client() = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)

    private fun seen() = JsonReader.parse(get("${mock.url}/__mock/requests")).arr().map { it.obj() }

    @ParameterizedTest
    @EnumSource(SignatureVersion::class)
    fun `a typed suspend call over OkHttp, the answer typed, the values as given`(version: SignatureVersion) = runBlocking {
        val calls = client().calls(transport)
        val phone = "+86 (138) 0000*1234 ~/&=%中文😀"
        val answer = calls.chatappMigrationRegister(custSpaceId = "cs-suspend", phoneNumber = phone, options = CallOptions(signature = version))
        assertEquals("OK", answer.code)
        assertEquals("SUCCESS", answer.message)
        assertFalse(answer.requestId.isNullOrEmpty())
        val mine = seen().last { it["action"] == "ChatappMigrationRegister" && it["params"].obj()["CustSpaceId"] == "cs-suspend" }
        assertEquals(phone, mine["params"].obj()["PhoneNumber"])
        assertEquals(if (version == SignatureVersion.V3) "v3" else "1.0", mine["signature"])
    }

    @Test
    fun `the same typed call over java-net-http, suspending, and blocking`() = runBlocking {
        val init = client().calls(JavaNetSuspendTransport()).createChatappMigrationInitiate(custSpaceId = "cs-suspend", countryCode = "86", mobileNumber = "13800001234")
        assertTrue(init.data?.id?.startsWith("mig-") == true, "$init")
        val blocking = client().calls(JavaNetTransport()).createChatappMigrationInitiate(custSpaceId = "cs-suspend", countryCode = "86", mobileNumber = "13800001234")
        assertTrue(blocking.data?.id?.startsWith("mig-") == true, "$blocking")
    }

    @Test
    fun `a typed call checks what camskit checks before sending, and API errors come back as CamsException`() = runBlocking {
        val calls = client().calls(transport)
        val missing = assertThrows(CamsException.Validation::class.java) { runBlocking { calls.chatappMigrationRegister(custSpaceId = "cs", phoneNumber = "") } }
        assertEquals("PhoneNumber", missing.parameter)
        val denied = assertThrows(CamsException.Api::class.java) { runBlocking { calls.chatappMigrationRegister(custSpaceId = "cs-denied", phoneNumber = "1") } }
        assertEquals(ErrorKind.PERMISSION, denied.kind)
    }

    @TestFactory
    fun `every call scenario through callSuspending over OkHttp`(): List<DynamicTest> {
        val doc = JsonReader.parse(File(root, "tests/vectors/call-scenarios.json").readText()).obj()
        val scenarios = doc["scenarios"].arr().map { it.obj() }
        assertTrue(scenarios.size >= 10, "${scenarios.size} scenarios")
        return scenarios.map { s ->
            DynamicTest.dynamicTest("suspend: ${s["name"]}") {
                post("${mock.url}/__mock/reset", "")
                post("${mock.url}/__mock/script", toJson(s["script"]))
                val action = s["action"].str()
                val maxAttempts = (s["policy"] as Map<*, *>?)?.get("max_attempts")?.let { (it as JsonNumber).toInt() }
                val retry = maxAttempts?.let { defaultRetryPolicy().copy(maxAttempts = it.toUInt()) }
                val logger = RecordingLogger()
                val c = client().also { it.setLogger(logger) }
                val error = try {
                    runBlocking { c.callSuspending(action, params(s["params"]), transport, CallOptions(retry = retry)) }
                    null
                } catch (e: CamsException) {
                    e
                }
                assertEquals(s["outcome"], outcomeOf(error), "outcome ($error)")
                val effects = JsonReader.parse(get("${mock.url}/__mock/effects")).obj()
                fun count(k: String) = (effects[k].obj()[action] as JsonNumber?)?.toInt() ?: 0
                assertEquals((s["attempts"] as JsonNumber).toInt(), count("attempts"), "attempts")
                assertEquals((s["effects"] as JsonNumber).toInt(), count("effects"), "effects")
                if (s["outcome"] == "ok" && !s["name"].str().contains("clock")) {
                    assertEquals((1 until (s["attempts"] as JsonNumber).toInt()).toList(), logger.retries.map { it.first.toInt() }, "logged attempts")
                }
                when (s["outcome"]) {
                    "parse" -> assertTrue((error as CamsException.Parse).reason.contains("127.0.0.2"), "the redirect target is named: $error")
                    "outcome_unknown" -> assertTrue(error.toString().contains("outcome"), "says so: $error")
                }
            }
        }
    }

    @TestFactory
    fun `every page walk as a Sequence and a Flow of typed items`(): List<DynamicTest> {
        val doc = JsonReader.parse(File(root, "tests/vectors/call-scenarios.json").readText()).obj()
        return doc["pages"].arr().map { it.obj() }.flatMap { w ->
            val p = w["params"].obj()
            val page = ParamValue.Json(toJson(p["Page"]))
            val want = (w["items"] as JsonNumber).toInt()
            assertEquals("ListChatappTemplate", w["action"])
            listOf(
                DynamicTest.dynamicTest("Sequence ${toJson(p)}") {
                    post("${mock.url}/__mock/reset", "")
                    val items = client().calls(JavaNetTransport()).listChatappTemplateItems(custSpaceId = p["CustSpaceId"].str(), page = page).toList()
                    assertEquals(want, items.size, "items")
                    assertEquals(items.size, items.map { it.templateCode }.toSet().size, "no item twice")
                    assertTrue(items.all { it.templateCode != null })
                },
                DynamicTest.dynamicTest("Flow over OkHttp ${toJson(p)}") {
                    post("${mock.url}/__mock/reset", "")
                    val items = runBlocking { client().calls(transport).listChatappTemplateItemsFlow(custSpaceId = p["CustSpaceId"].str(), page = page).toList() }
                    assertEquals(want, items.size, "items")
                    assertEquals(items.size, items.map { it.templateCode }.toSet().size, "no item twice")
                },
            )
        }
    }

    @Test
    fun `a cancelled coroutine while a write is on the wire, core says the outcome is unknown`() {
        val slow = localServer { Thread.sleep(3_000) }
        try {
            val c = CamsClient(Credentials(KEY, SECRET), endpoint = "http://127.0.0.1:${slow.address.port}")
            var seen: CamsCallCancelledException? = null
            runBlocking {
                val job = launch {
                    try {
                        c.calls(transport).chatappMigrationRegister(custSpaceId = "cs", phoneNumber = "1")
                    } catch (e: CamsCallCancelledException) {
                        seen = e
                        throw e
                    }
                }
                delay(500)
                job.cancelAndJoin()
            }
            val outcome = assertNotNull(seen).let { seen!!.outcome!! }
            assertTrue(outcome.outcomeUnknown, "$outcome")
            assertTrue(outcome.reason.contains("stopped by the caller"), outcome.reason)
        } finally {
            slow.stop(0)
        }
    }

    @Test
    fun `a cancelled coroutine while a read waits to retry, the outcome is known and nothing more is sent`() {
        val closed = ServerSocket(0).use { it.localPort }  // refused: retried after a backoff
        var sent = 0
        // Cancelled as soon as the first attempt has failed: the retry waits a random time up to
        // 20 s (full jitter), so a fixed sleep before cancelling let a short wait through (~3.5%
        // of runs sent twice); now only a wait under a millisecond or so could (~0.005%).
        val firstFailed = kotlinx.coroutines.CompletableDeferred<Unit>()
        val counting = SuspendTransport { r ->
            sent++
            try { transport.send(r) } finally { firstFailed.complete(Unit) }
        }
        val c = CamsClient(Credentials(KEY, SECRET), endpoint = "http://127.0.0.1:$closed")
        val slowRetry = defaultRetryPolicy().copy(baseDelayMs = 20_000uL, maxDelayMs = 20_000uL)
        var seen: CamsCallCancelledException? = null
        runBlocking {
            val job = launch {
                try {
                    c.callSuspending("ListChatappTemplate", mapOf("CustSpaceId" to ParamValue.Text("cs")), counting, CallOptions(retry = slowRetry))
                } catch (e: CamsCallCancelledException) {
                    seen = e
                    throw e
                }
            }
            firstFailed.await()
            job.cancelAndJoin()  // the call is in (or about to enter) the retry's wait

        }
        val e = assertNotNull(seen).let { seen!! }
        assertFalse(e.outcome!!.outcomeUnknown, "${e.outcome}")
        assertEquals(1, sent, "one attempt before the cancelled wait")
    }

    @Test
    fun `OkHttpTransport refuses a client that follows redirects, and says a refused connection was not sent`() = runBlocking {
        assertThrows(IllegalArgumentException::class.java) { OkHttpTransport(OkHttpClient()) }
        val closed = ServerSocket(0).use { it.localPort }
        val r = camskit.HttpRequest("GET", "http://127.0.0.1:$closed/", listOf(), null, "test", 1000uL, 2000uL)
        val e = runCatching { transport.send(r) }.exceptionOrNull()
        assertTrue(e is TransportException.RefusedBeforeSend, "$e")
    }

    @Test
    fun `the suspend call keeps working after many calls (no leak of pending calls)`() = runBlocking {
        val c = client()
        repeat(20) {
            val r = withTimeout(TimeUnit.SECONDS.toMillis(20)) {
                c.callSuspending("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumber" to ParamValue.Text("$it")), transport)
            }
            assertEquals("OK", r.code)
        }
    }
}

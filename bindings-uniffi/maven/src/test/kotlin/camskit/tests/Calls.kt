// Calls, pages and the credentials chain over real loopback HTTP, with the java.net.http
// transport shipped in bindings-uniffi/kotlin/:
//   tests/vectors/call-scenarios.json (every scenario: outcome, attempts, effects) and its page
//   walks, printed as "call-scenarios: N passed, M failed" and "page-walks: N passed, M failed";
//   the transport's honesty (refused / timed out / reset, redirects, the body limit);
//   ~/.aliyun/config.json modes AK, StsToken and RamRoleArn (against mock STS), refresh, and
//   no canary secret in any message, string or log line.
package camskit.tests

import camskit.*
import com.sun.net.httpserver.HttpServer
import java.io.File
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.URI
import java.net.http.HttpClient
import java.nio.file.Files
import java.time.Duration
import java.util.Collections

const val CANARY_KEY = "LTAI5tKotlinChainKey01"
const val CANARY_SECRET = "CanarySecretKotlin0123456789"
const val ROLE_ARN = "acs:ram::1234567890123456:role/camskit-kotlin"

/** Records every log line a client writes. */
class RecordingLogger : CamsLogger {
    val lines: MutableList<String> = Collections.synchronizedList(mutableListOf())
    val retries: MutableList<Triple<UInt, String, ULong>> = Collections.synchronizedList(mutableListOf())
    override fun retry(attempt: UInt, reason: String, delayMs: ULong) {
        retries.add(Triple(attempt, reason, delayMs))
        lines.add("retry $attempt $reason $delayMs")
    }
    override fun warning(message: String) {
        lines.add("warning $message")
    }
}

/** A transport that counts what goes through it and can be told to fail some purposes. */
class CountingTransport(private val inner: HttpTransport) : HttpTransport {
    val sent: MutableList<HttpRequest> = Collections.synchronizedList(mutableListOf())
    @Volatile var refuse: (HttpRequest) -> Boolean = { false }
    override fun send(request: HttpRequest): HttpResponse {
        sent.add(request)
        if (refuse(request)) throw TransportException.RefusedBeforeSend("test: refused ${request.purpose}")
        return inner.send(request)
    }
}

/** A transport that answers without any network, or throws what it is given. */
class CannedTransport(private val answer: () -> HttpResponse) : HttpTransport {
    var calls = 0
    override fun send(request: HttpRequest): HttpResponse {
        calls++
        return answer()
    }
}

val OK_BODY = """{"RequestId":"r-1","Code":"OK","Message":"SUCCESS"}""".toByteArray()

fun post(url: String, json: String): String = http.send(
    java.net.http.HttpRequest.newBuilder(URI(url)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(),
    java.net.http.HttpResponse.BodyHandlers.ofString(),
).body()

fun outcomeOf(e: Throwable?): String = when (e) {
    null -> "ok"
    is CamsException.Api -> if (e.kind == ErrorKind.OUTCOME_UNKNOWN) "outcome_unknown" else "api:${errorKindName(e.kind)}"
    is CamsException.Transport -> if (e.outcomeUnknown) "outcome_unknown" else "transport"
    is CamsException.Parse -> "parse"
    else -> "unexpected ${e.javaClass.simpleName}: $e"
}

fun callScenarios(root: File, mock: Mock, transport: HttpTransport) {
    val doc = JsonReader.parse(File(root, "tests/vectors/call-scenarios.json").readText()).obj()
    val group = Group("call-scenarios")
    for (s in doc["scenarios"].arr().map { it.obj() }) {
        group.case(s["name"].str()) {
            post("${mock.url}/__mock/reset", "")
            post("${mock.url}/__mock/script", toJson(s["script"]))
            val action = s["action"].str()
            val maxAttempts = (s["policy"] as Map<*, *>?)?.get("max_attempts")?.let { (it as JsonNumber).toInt() }
            val retry = maxAttempts?.let { defaultRetryPolicy().copy(maxAttempts = it.toUInt()) }
            // A fresh client per scenario, as a fresh process in the CLI's runner: a kept
            // clock offset would change the next scenario's attempts.
            val logger = RecordingLogger()
            val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url).also { it.setLogger(logger) }
            val error = try {
                client.call(action, params(s["params"]), transport, CallOptions(retry = retry))
                null
            } catch (e: CamsException) {
                e
            }
            eq(outcomeOf(error), s["outcome"], "outcome ($error)")
            val effects = JsonReader.parse(get("${mock.url}/__mock/effects")).obj()
            fun count(k: String) = (effects[k].obj()[action] as JsonNumber?)?.toInt() ?: 0
            eq(count("attempts"), (s["attempts"] as JsonNumber).toInt(), "attempts")
            eq(count("effects"), (s["effects"] as JsonNumber).toInt(), "effects")
            // Each retry was logged, with its attempt number, reason and delay; the recovered
            // clock skew re-signs without a wait.
            val retried = (s["attempts"] as JsonNumber).toInt() - 1
            // (Core announces every retry with a Wait, even of 0 ms: all are logged, in order.)
            if (s["outcome"] == "ok" && !s["name"].str().contains("clock")) {
                val logged = logger.retries.map { it.first.toInt() }
                eq(logged, (1..retried).toList(), "logged attempts")
                check(logger.retries.all { it.second.isNotEmpty() }) { "reasons ${logger.retries}" }
            }
            when (s["outcome"]) {
                "parse" -> check((error as CamsException.Parse).reason.contains("127.0.0.2")) { "the redirect target is named: $error" }
                "outcome_unknown" -> check(error.toString().contains("outcome")) { "says so: $error" }
            }
        }
    }
    group.report()
}

fun pageWalks(root: File, mock: Mock, transport: HttpTransport) {
    val doc = JsonReader.parse(File(root, "tests/vectors/call-scenarios.json").readText()).obj()
    val group = Group("page-walks")
    val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
    for (w in doc["pages"].arr().map { it.obj() }) {
        group.case("${w["action"]} ${toJson(w["params"])}") {
            post("${mock.url}/__mock/reset", "")
            val walk = client.pages(w["action"].str(), params(w["params"]), transport)
            val items = walk.items().toList()
            eq(items.size, (w["items"] as JsonNumber).toInt(), "items")
            eq(walk.pages(), (w["pages"] as JsonNumber).toInt().toUInt(), "pages")
            eq(walk.nextPage(), null, "the walk stays over")
            eq(items.map { JsonReader.parse(it).obj()["TemplateCode"] }.toSet().size, items.size, "no item twice")
        }
    }
    group.report()
}

/** A local server whose handler is given (a slow answer, a huge body, a redirect). */
fun localServer(handler: (com.sun.net.httpserver.HttpExchange) -> Unit): HttpServer =
    HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0).also {
        it.createContext("/") { ex -> try { handler(ex) } finally { ex.close() } }
        it.start()
    }

fun transportTests(mock: Mock, transport: JavaNetTransport) {
    val register = mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumber" to ParamValue.Text("8613800001234"))
    val list = mapOf("CustSpaceId" to ParamValue.Text("cs"))
    val fast = CallOptions(retry = defaultRetryPolicy().copy(baseDelayMs = 5uL, maxDelayMs = 20uL))

    test("calls: core's default policy is translated field for field") {
        val p = defaultRetryPolicy()
        eq(listOf(p.maxAttempts, p.baseDelayMs.toUInt(), p.maxDelayMs.toUInt(), p.deadlineMs?.toUInt(), p.recoverClockSkew),
            listOf(4u, 200u, 10000u, 60000u, true), "default")
        eq(noRetryPolicy().maxAttempts, 1u, "no retry")
    }
    test("calls: a refused connection is retried (logged) and ends as a transport error, outcome known") {
        val closed = ServerSocket(0).use { it.localPort }
        val logger = RecordingLogger()
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = "http://127.0.0.1:$closed").also { it.setLogger(logger) }
        val e = expectThrows<CamsException.Transport>("refused") { client.call("ChatappMigrationRegister", register, transport, fast) }
        eq(e.outcomeUnknown, false, "outcome unknown")
        check(e.reason.contains("refused")) { e.reason }
        // Attempts 1..3 failed and were retried: every retry is logged, even one whose jitter
        // came out 0 ms (core announces each retry with a Wait).
        val logged = logger.retries.map { it.first.toInt() }
        eq(logged, listOf(1, 2, 3), "logged")
        check(logger.retries.all { it.second.contains("nothing was sent") && it.third in 0uL..20uL }) { "${logger.retries}" }
    }
    test("calls: plain http to a host that is not loopback is refused before sending, unless allowed") {
        val canned = CannedTransport { HttpResponse(200, listOf(), OK_BODY) }
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = "http://cams.example.com")
        val e = expectThrows<CamsException.Validation>("insecure") { client.call("ChatappMigrationRegister", register, canned) }
        check(e.errorMessage.contains("allowInsecureHttp") && !e.errorMessage.contains("allow_insecure_http")) { e.errorMessage }
        eq(canned.calls, 0, "nothing sent")
        eq(client.call("ChatappMigrationRegister", register, canned, CallOptions(allowInsecureHttp = true)).code, "OK", "allowed")
        eq(canned.calls, 1, "sent once")
    }
    test("calls: an exception the transport did not classify is a reset after send: a write is not re-sent") {
        val boom = CannedTransport { throw IllegalStateException("bug in the app's transport") }
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        val e = expectThrows<CamsException.Transport>("write") { client.call("ChatappMigrationRegister", register, boom, fast) }
        eq(e.outcomeUnknown, true, "outcome unknown")
        check(e.reason.contains("IllegalStateException")) { e.reason }
        eq(boom.calls, 1, "sent once")
        val read = CannedTransport { throw IllegalStateException("flaky") }
        expectThrows<CamsException.Transport>("read") { client.call("ListChatappTemplate", list, read, fast) }
        eq(read.calls, 4, "a read is retried up to the policy")
    }
    test("calls: a status that is not HTTP from the transport is an error, not a crash") {
        val odd = CannedTransport { HttpResponse(70000, listOf(), OK_BODY) }
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        val e = expectThrows<CamsException.Transport>("odd status") { client.call("ChatappMigrationRegister", register, odd, fast) }
        check(e.reason.contains("70000")) { e.reason }
    }
    test("calls: a slow answer is a timeout; for a write the outcome is unknown and it is sent once") {
        var hits = 0
        val server = localServer { hits++; Thread.sleep(1500); it.sendResponseHeaders(200, -1) }
        try {
            val slow = JavaNetTransport(timeout = Duration.ofMillis(300))
            val client = CamsClient(Credentials(KEY, SECRET), endpoint = "http://127.0.0.1:${server.address.port}")
            val e = expectThrows<CamsException.Transport>("timeout") { client.call("ChatappMigrationRegister", register, slow, fast) }
            eq(e.outcomeUnknown, true, "outcome unknown")
            check(e.reason.contains("timed out")) { e.reason }
            eq(hits, 1, "sent once")
        } finally {
            server.stop(0)
        }
    }
    test("calls: the transport reads at most maxBodyBytes; a larger answer is core's parse error") {
        val big = ByteArray(maxResponseBytes().toInt() + 5000) { 'x'.code.toByte() }
        val server = localServer { it.sendResponseHeaders(200, big.size.toLong()); it.responseBody.write(big) }
        try {
            val url = "http://127.0.0.1:${server.address.port}/"
            val r = transport.send(HttpRequest("GET", url, listOf(), null, "test", maxResponseBytes() + 1uL))
            eq(r.body.size.toULong(), maxResponseBytes() + 1uL, "read bytes")
            val client = CamsClient(Credentials(KEY, SECRET), endpoint = url.trimEnd('/'))
            val e = expectThrows<CamsException.Parse>("too big") { client.call("ListChatappTemplate", list, transport, fast) }
            check(e.reason.contains("large") || e.reason.contains("bytes")) { e.reason }
        } finally {
            server.stop(0)
        }
    }
    test("calls: JavaNetTransport never follows a redirect, and refuses a client that would") {
        val server = localServer { it.responseHeaders.add("Location", "http://127.0.0.3:1/elsewhere"); it.sendResponseHeaders(302, -1) }
        try {
            val r = transport.send(HttpRequest("GET", "http://127.0.0.1:${server.address.port}/", listOf(), null, "test", 100uL))
            eq(r.status, 302, "status")
            eq(r.headers.firstOrNull { it.name.equals("location", true) }?.value, "http://127.0.0.3:1/elsewhere", "location")
        } finally {
            server.stop(0)
        }
        val following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
        val e = expectThrows<IllegalArgumentException>("following client") { JavaNetTransport(following) }
        check(e.message!!.contains("NEVER")) { "${e.message}" }
    }
    test("calls: the client keeps the clock offset it learnt for its next calls") {
        post("${mock.url}/__mock/reset", "")
        post("${mock.url}/__mock/script", """{"clock_offset_s": 7200}""")
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        client.call("ChatappMigrationRegister", register, transport)
        check(client.clockOffsetSecs() in 7195..7205) { "offset ${client.clockOffsetSecs()}" }
        post("${mock.url}/__mock/reset", "")
        post("${mock.url}/__mock/script", """{"clock_offset_s": 7200}""")
        client.call("ChatappMigrationRegister", register, transport)
        val attempts = JsonReader.parse(get("${mock.url}/__mock/effects")).obj()["attempts"].obj()["ChatappMigrationRegister"] as JsonNumber
        eq(attempts.toInt(), 1, "the next call signs with the server's time at once")
        post("${mock.url}/__mock/reset", "")
    }
    test("calls: v3, a raw request and the answer's fields") {
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        val r = client.call("ChatappMigrationRegister", register, transport, CallOptions(signature = SignatureVersion.V3))
        eq(r.code, "OK", "code")
        check(!r.requestId.isNullOrEmpty()) { "request id" }
        val raw = client.call("ChatappMigrationRegister", register, transport, CallOptions(raw = true))
        eq(raw.code, "OK", "raw code")
        val e = expectThrows<CamsException.Validation>("unknown action") { client.call("NoSuchAction", mapOf(), transport) }
        eq(e.code, "unknown_action", "code")
    }
    test("calls: OUTCOME_UNKNOWN arrives as a CamsException.Api of that kind, not retryable") {
        post("${mock.url}/__mock/reset", "")
        post("${mock.url}/__mock/script", """{"faults":[{"action":"ChatappMigrationRegister","mode":"error500_after_effect"}]}""")
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        val e = expectThrows<CamsException.Api>("500 after effect") { client.call("ChatappMigrationRegister", register, transport) }
        eq(e.kind, ErrorKind.OUTCOME_UNKNOWN, "kind")
        eq(errorKindName(e.kind), "outcome_unknown", "name")
        eq(e.retryable, false, "retryable")
        eq(e.status, 500, "status")
        post("${mock.url}/__mock/reset", "")
    }
    test("calls: the JavaLoggingLogger and the extensions compile and run") {
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        client.setLogger(JavaLoggingLogger())
        client.setLogger(null)
        val walk = client.pages("ListChatappTemplate", mapOf("CustSpaceId" to ParamValue.Text("cs"), "Page" to ParamValue.Json("""{"Index":1,"Size":10}""")), transport)
        eq(walk.asSequence().map { it.number }.toList(), listOf(1u, 2u, 3u), "page numbers")
        check(walk.toString().contains("3 page")) { walk.toString() }
    }
}

/** A temporary home with ~/.aliyun/config.json holding `profile`. */
fun homeWith(profile: String): File {
    val home = Files.createTempDirectory("camskit-kotlin-home").toFile()
    File(home, ".aliyun").mkdirs()
    File(home, ".aliyun/config.json").writeText("""{"current":"default","profiles":[$profile]}""")
    return home
}

val NO_ECS = mapOf("ALIBABA_CLOUD_ECS_METADATA_DISABLED" to "true")

fun chainTests(mock: Mock, transport: JavaNetTransport) {
    val register = mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumber" to ParamValue.Text("8613800001234"))
    val sts = ChainOptions(stsEndpoint = mock.url)
    fun credentialsView() = JsonReader.parse(get("${mock.url}/__mock/credentials")).obj()
    fun assumeRoles() = (credentialsView()["sts_calls"].obj()["AssumeRole"] as JsonNumber).toInt()
    fun setLifetime(s: Int) = post("${mock.url}/__mock/credentials", """{"lifetime_s": $s}""")
    val shown = mutableListOf<String>() // every message, string and log line: no canary in any

    test("chain: config.json AK signs with the profile's key") {
        val home = homeWith("""{"name":"default","mode":"AK","access_key_id":"$CANARY_KEY","access_key_secret":"$CANARY_SECRET"}""")
        val logger = RecordingLogger()
        val client = CamsClient.fromDefaultChain(NO_ECS, home.path, transport, endpoint = mock.url).also { it.setLogger(logger) }
        shown += client.toString()
        eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "call")
        val status = client.resolveCredentials()
        eq(status, CredentialsStatus(CANARY_KEY, false, "cli_profile:default/static", null), "status")
        shown += listOf(client.toString(), status.toString()) + logger.lines
        home.deleteRecursively()
    }
    test("chain: config.json StsToken signs with the key and its token") {
        val home = homeWith("""{"name":"default","mode":"StsToken","access_key_id":"$STS_KEY","access_key_secret":"$STS_SECRET","sts_token":"$STS_TOKEN"}""")
        val client = CamsClient.fromDefaultChain(NO_ECS, home.path, transport, endpoint = mock.url)
        eq(client.call("ChatappMigrationRegister", register, transport, CallOptions(signature = SignatureVersion.V3)).code, "OK", "call")
        val status = client.resolveCredentials()
        eq(status.accessKeyId, STS_KEY, "key")
        eq(status.hasSecurityToken, true, "token")
        home.deleteRecursively()
    }
    test("chain: config.json RamRoleArn fetches a key from mock STS once, then calls CAMS with it") {
        setLifetime(3600)
        val home = homeWith("""{"name":"default","mode":"RamRoleArn","access_key_id":"$CANARY_KEY","access_key_secret":"$CANARY_SECRET","ram_role_arn":"$ROLE_ARN","ram_session_name":"kotlin"}""")
        val counting = CountingTransport(transport)
        val logger = RecordingLogger()
        val before = assumeRoles()
        val client = CamsClient.fromDefaultChain(NO_ECS, home.path, counting, endpoint = mock.url, options = sts).also { it.setLogger(logger) }
        eq(counting.sent.size, 0, "nothing sent before first use")
        eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "first call")
        eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "second call")
        eq(assumeRoles() - before, 1, "AssumeRole calls")
        eq(counting.sent.map { it.purpose }, listOf("sts:AssumeRole"), "the chain's requests")
        eq(counting.sent.map { it.timeoutMs }, listOf(10_000uL), "core's wait for an STS fetch (timeoutMs)")
        val attempts = CountingTransport(transport)
        eq(client.call("ChatappMigrationRegister", register, attempts).code, "OK", "third call")
        eq(attempts.sent.map { it.purpose to it.timeoutMs }, listOf("cams" to 10_000uL), "core's wait for a CAMS attempt")
        val status = client.resolveCredentials()
        check(status.accessKeyId.startsWith("STS.") && status.hasSecurityToken) { "$status" }
        eq(status.source, "cli_profile:default/ram_role_arn", "source")
        check(credentialsView()["issued"].arr().contains(status.accessKeyId)) { "the mock issued ${status.accessKeyId}" }
        val exp = status.expiration!!
        check(exp - System.currentTimeMillis() / 1000 in 3500..3700) { "expiration $exp" }
        shown += listOf(client.toString(), status.toString()) + logger.lines
        home.deleteRecursively()
    }
    test("chain: a key near its expiry is fetched again before the next call") {
        setLifetime(60) // inside core's 15-minute refresh window at once
        try {
            val home = homeWith("""{"name":"default","mode":"RamRoleArn","access_key_id":"$CANARY_KEY","access_key_secret":"$CANARY_SECRET","ram_role_arn":"$ROLE_ARN"}""")
            val before = assumeRoles()
            val client = CamsClient.fromDefaultChain(NO_ECS, home.path, transport, endpoint = mock.url, options = sts)
            eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "first call")
            val first = client.resolveCredentials().accessKeyId
            eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "second call")
            val second = client.resolveCredentials().accessKeyId
            eq(assumeRoles() - before, 4, "one AssumeRole per use (two calls, two resolveCredentials)")
            check(first != second) { "a new key: $first, $second" }
            home.deleteRecursively()
        } finally {
            setLifetime(3600)
        }
    }
    test("chain: a failed refresh keeps the still-valid key and is reported once") {
        setLifetime(120)
        try {
            val home = homeWith("""{"name":"default","mode":"RamRoleArn","access_key_id":"$CANARY_KEY","access_key_secret":"$CANARY_SECRET","ram_role_arn":"$ROLE_ARN"}""")
            val counting = CountingTransport(transport)
            val logger = RecordingLogger()
            val client = CamsClient.fromDefaultChain(NO_ECS, home.path, counting, endpoint = mock.url, options = sts).also { it.setLogger(logger) }
            val key = client.resolveCredentials().accessKeyId
            counting.refuse = { it.purpose.startsWith("sts:") }
            eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "call with the cached key")
            eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "again")
            eq(client.resolveCredentials().accessKeyId, key, "the same key")
            eq(counting.sent.size, 4, "a refresh tried on each use")
            val warnings = logger.lines.filter { it.startsWith("warning") }
            eq(warnings.size, 1, "reported once: $warnings")
            check(warnings[0].contains("refresh") && warnings[0].contains(key)) { warnings[0] }
            shown += logger.lines + client.toString()
            home.deleteRecursively()
        } finally {
            setLifetime(3600)
        }
    }
    test("chain: files through the app's FileReader; the environment first") {
        val config = """{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"$KEY","access_key_secret":"$SECRET"}]}"""
        val asked = mutableListOf<String>()
        val reader = object : FileReader {
            override fun read(path: String): String? { asked += path; return if (path == "/app/home/.aliyun/config.json") config else null }
        }
        val client = CamsClient.fromDefaultChain(NO_ECS, "/app/home", transport, endpoint = mock.url, files = reader)
        eq(client.call("ChatappMigrationRegister", register, transport).code, "OK", "call")
        eq(asked, listOf("/app/home/.aliyun/config.json"), "files read")
        eq(client.resolveCredentials().accessKeyId, KEY, "key")
        val env = NO_ECS + mapOf("ALIBABA_CLOUD_ACCESS_KEY_ID" to STS_KEY, "ALIBABA_CLOUD_ACCESS_KEY_SECRET" to STS_SECRET, "ALIBABA_CLOUD_SECURITY_TOKEN" to STS_TOKEN)
        val fromEnv = CamsClient.fromDefaultChain(env, "/app/home", transport, endpoint = mock.url, files = reader)
        eq(fromEnv.resolveCredentials().source, "env", "source")
        eq(fromEnv.call("ChatappMigrationRegister", register, transport).code, "OK", "call with env credentials")
    }
    test("chain: a file the app's FileReader refuses stops the chain, naming it (never another identity)") {
        // With the reader's "absent", the ini file would answer with another key: a refusal must stop the walk.
        val ini = "[default]\ntype = access_key\naccess_key_id = LTAI5tOtherIdentity\naccess_key_secret = $SECRET\n"
        val refusing = object : FileReader {
            override fun read(path: String): String? = when (path) {
                "/app/home/.aliyun/config.json" -> throw FileReadException.Refused("a FIFO, not a regular file: not read")
                "/app/home/.alibabacloud/credentials.ini" -> ini
                else -> null
            }
        }
        val client = CamsClient.fromDefaultChain(NO_ECS, "/app/home", transport, endpoint = mock.url, files = refusing)
        val e = expectThrows<CamsException.Credentials>("refused") { client.resolveCredentials() }
        check(e.errorMessage.contains("/app/home/.aliyun/config.json: a FIFO, not a regular file")) { e.errorMessage }
        check(!e.errorMessage.contains(SECRET)) { "no secret in the message" }
        expectThrows<CamsException.Credentials>("a call too, nothing sent") { client.call("ChatappMigrationRegister", register, transport) }
        // Text longer than maxChainFileBytes() from a reader that does not bound it: refused by core.
        val huge = object : FileReader {
            override fun read(path: String): String? =
                if (path == "/app/home/.aliyun/config.json") " ".repeat(maxChainFileBytes().toInt() + 1) else ini
        }
        val big = CamsClient.fromDefaultChain(NO_ECS, "/app/home", transport, endpoint = mock.url, files = huge)
        val e2 = expectThrows<CamsException.Credentials>("too large") { big.resolveCredentials() }
        check(e2.errorMessage.contains("config.json: larger than ${maxChainFileBytes()} bytes")) { e2.errorMessage }
        // Another exception from the reader: a credentials error too, with its message.
        val broken = object : FileReader {
            override fun read(path: String): String? = throw IllegalStateException("assets not mounted")
        }
        val e3 = expectThrows<CamsException.Credentials>("unexpected") {
            CamsClient.fromDefaultChain(NO_ECS, "/app/home", transport, endpoint = mock.url, files = broken).resolveCredentials()
        }
        check(e3.errorMessage.contains("assets not mounted")) { e3.errorMessage }
    }
    test("chain: no source is a credentials error naming each source's reason") {
        val home = Files.createTempDirectory("camskit-kotlin-empty").toFile()
        val client = CamsClient.fromDefaultChain(NO_ECS, home.path, transport, endpoint = mock.url)
        val e = expectThrows<CamsException.Credentials>("none") { client.call("ChatappMigrationRegister", register, transport) }
        check(e.errorMessage.contains("env") && e.errorMessage.contains("config.json")) { e.errorMessage }
        expectThrows<CamsException.Credentials>("sign too") { client.sign("ChatappMigrationRegister", register) }
        home.deleteRecursively()
    }
    test("chain: a broken profile and a refused AssumeRole name the problem, never the canary secret") {
        val bad = homeWith("""{"name":"default","mode":"RamRoleArn","access_key_id":"$CANARY_KEY","access_key_secret":"$CANARY_SECRET"}""")
        val e1 = expectThrows<CamsException.Credentials>("no role") {
            CamsClient.fromDefaultChain(NO_ECS, bad.path, transport, endpoint = mock.url, options = sts).resolveCredentials()
        }
        check(e1.errorMessage.contains("ram_role_arn")) { e1.errorMessage }
        val wrong = homeWith("""{"name":"default","mode":"RamRoleArn","access_key_id":"$CANARY_KEY","access_key_secret":"CanaryWrongSecret","ram_role_arn":"$ROLE_ARN"}""")
        val e2 = expectThrows<CamsException.Credentials>("refused") {
            CamsClient.fromDefaultChain(NO_ECS, wrong.path, transport, endpoint = mock.url, options = sts).resolveCredentials()
        }
        check(e2.errorMessage.contains("AssumeRole") || e2.errorMessage.contains("Signature")) { e2.errorMessage }
        shown += listOf(e1.toString(), e1.errorMessage, e2.toString(), e2.errorMessage)
        bad.deleteRecursively(); wrong.deleteRecursively()
    }
    test("chain: no canary secret in any message, string or log line") {
        check(shown.size > 10) { "${shown.size} texts" }
        for (text in shown) check(!text.contains("Canary")) { "a secret shown: $text" }
    }
}

fun callTests(root: File) {
    val mock = try { Mock(root) } catch (e: Exception) {
        test("mock-cams starts (calls)") { throw e }
        return
    }
    mock.use {
        val transport = JavaNetTransport()
        callScenarios(root, mock, transport)
        pageWalks(root, mock, transport)
        transportTests(mock, transport)
        chainTests(mock, transport)
    }
}

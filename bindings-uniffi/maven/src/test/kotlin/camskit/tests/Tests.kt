// The checks of camskit's uniffi bindings over the shared vectors, run under JUnit 5 by
// KotlinSuiteTest (mvn verify): each `test(name) { ... }` runs at once, inside its group's
// @TestFactory (the mock servers a group starts live only while it runs), and becomes one JUnit
// dynamic test that passes or rethrows what the check threw. The counts lines
// ("host-behaviours: N passed, 0 failed", "typed answers: ...", "N passed, M failed") are printed
// and written to target/camskit-tests.log, where build.sh checks them.
package camskit.tests

import camskit.*
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.nio.file.Files
import java.time.Instant
import java.util.Base64
import java.util.concurrent.TimeUnit

var passed = 0
var failed = 0

/** One check that ran: its name and what it threw (null: it passed). */
class Outcome(val name: String, val error: Throwable?)

/** Every check run so far, in order (KotlinSuiteTest turns each into a JUnit test). */
val outcomes: MutableList<Outcome> = mutableListOf()

/** Where the counts lines go besides stdout (build.sh removes it before `mvn verify`, then reads it). */
val testsLog = File(System.getProperty("camskit.testsLog") ?: "target/camskit-tests.log")

/** A counts line: printed, and appended to [testsLog]. */
@Synchronized
fun report(line: String) {
    println(line)
    testsLog.parentFile?.mkdirs()
    testsLog.appendText(line + "\n")
}

fun test(name: String, block: () -> Unit) {
    try {
        block()
        passed++
        outcomes += Outcome(name, null)
    } catch (t: Throwable) {
        failed++
        println("FAIL $name: $t")
        outcomes += Outcome(name, t)
    }
}

class AssertionFailed(msg: String) : Exception(msg)

fun check(cond: Boolean, msg: () -> String) {
    if (!cond) throw AssertionFailed(msg())
}

fun <T> eq(got: T, want: T, what: String) {
    if (got != want) throw AssertionFailed("$what:\n  got  $got\n  want $want")
}

inline fun <reified E : Throwable> expectThrows(what: String, block: () -> Unit): E {
    try {
        block()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionFailed("$what: expected ${E::class.simpleName}, got $e")
    }
    throw AssertionFailed("$what: expected ${E::class.simpleName}, nothing was thrown")
}

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

fun pairs(v: Any?): List<NameValue> =
    (v as List<*>?)?.map { p -> val l = p.arr(); NameValue(l[0].str(), l[1].str()) } ?: listOf()

/** Percent-decoding that leaves '+' alone (camskit never writes a raw '+'). */
fun percentDecode(s: String): String {
    val out = java.io.ByteArrayOutputStream()
    var i = 0
    while (i < s.length) {
        val c = s[i]
        if (c == '%') {
            out.write(s.substring(i + 1, i + 3).toInt(16)); i += 3
        } else {
            out.write(c.toString().toByteArray(Charsets.UTF_8)); i++
        }
    }
    return String(out.toByteArray(), Charsets.UTF_8)
}

fun urlParams(url: String): List<Pair<String, String>> {
    val q = url.substringAfter('?', "")
    return q.split('&').filter { it.isNotEmpty() }.map {
        val (n, v) = it.split('=', limit = 2)
        percentDecode(n) to percentDecode(v)
    }.sortedWith(compareBy({ it.first }, { it.second }))
}

fun signVector(input: Map<String, Any?>, version: SignatureVersion): SignedRequest {
    val creds = Credentials(
        input["access_key_id"].str(), input["access_key_secret"].str(), input["security_token"] as String?,
    )
    val client = CamsClient(creds, endpoint = input["endpoint"] as String?)
    val method = if (input["method"].str() == "GET") HttpMethod.GET else HttpMethod.POST
    fun textMap(v: Any?) = pairs(v).associate { it.name to (ParamValue.Text(it.value) as ParamValue) }
    val options = SignOptions(
        raw = true,
        apiVersion = input["version"].str(),
        form = textMap(input["form"]),
        method = method,
        signature = version,
        timestamp = SignTime.Text(input["timestamp"].str()),
        nonce = input["nonce"].str(),
        headers = pairs(input["headers"]),
    )
    val signed = client.sign(input["action"].str(), textMap(input["query"]), options)
    // The one-record fast path must give exactly the same request.
    val key = AccessKey(input["access_key_id"].str(), input["access_key_secret"].str().toByteArray(),
        (input["security_token"] as String?)?.toByteArray())
    val fast = signRequest(SignRequest(key, input["action"].str(), textMap(input["query"]), options,
        endpoint = input["endpoint"] as String?))
    eq(fast, signed, "signRequest vs client.sign")
    return signed
}

fun load(root: File, name: String): List<Map<String, Any?>> =
    JsonReader.parse(File(root, "tests/vectors/$name").readText()).obj()["cases"].arr().map { it.obj() }

// ------------------------------------------------------------------------------------------
// Vectors
// ------------------------------------------------------------------------------------------

fun rpcV1Vectors(root: File) {
    val cases = load(root, "rpc-v1.json")
    test("rpc-v1.json has its cases") { check(cases.size >= 60) { "${cases.size} cases" } }
    for (case in cases) {
        val name = "rpc-v1: ${case["name"]}"
        test(name) {
            val input = case["input"].obj()
            val e = case["expected"].obj()
            val s = signVector(input, SignatureVersion.V1)
            eq(s.canonicalQuery, e["canonical_query"], "canonical query")
            eq(s.stringToSign, e["string_to_sign"], "string to sign")
            eq(s.signature, e["signature"], "signature")
            eq(urlParams(s.url), pairs(e["url_params"]).map { it.name to it.value }
                .sortedWith(compareBy({ it.first }, { it.second })), "url parameters")
            eq(s.body, e["body"] as String?, "body")
            eq(s.method, input["method"], "method")
            eq(s.signatureVersion, SignatureVersion.V1, "signature version")
            eq(s.timestamp, input["timestamp"], "timestamp")
            eq(s.nonce, input["nonce"], "nonce")
            eq(s.canonicalRequest, null, "canonical request")
            val endpoint = input["endpoint"] as String?
            val base = CamsClient(Credentials("k", "s"), endpoint = endpoint).baseUrl()
            check(s.url.startsWith("$base/?")) { "url ${s.url} does not start with $base/?" }
            if (s.body != null) {
                eq(s.headers.firstOrNull { it.name == "content-type" }?.value,
                    "application/x-www-form-urlencoded", "content-type of a form body")
            }
        }
    }
}

fun v3Vectors(root: File) {
    val cases = load(root, "v3.json")
    test("v3.json has its cases") { check(cases.size >= 15) { "${cases.size} cases" } }
    for (case in cases) {
        val name = "v3: ${case["name"]}"
        test(name) {
            val input = case["input"].obj()
            val e = case["expected"].obj()
            val s = signVector(input, SignatureVersion.V3)
            eq(s.canonicalRequest, e["canonical_request"], "canonical request")
            eq(s.stringToSign, e["string_to_sign"], "string to sign")
            eq(s.signature, e["signature"], "signature")
            eq(s.headers.firstOrNull { it.name == "authorization" }?.value, e["authorization"], "authorization")
            val headers = s.headers.filter { it.name != "authorization" }
                .sortedWith(compareBy({ it.name }, { it.value }))
            eq(headers, pairs(e["headers"]), "headers")
            eq(urlParams(s.url), pairs(e["url_params"]).map { it.name to it.value }
                .sortedWith(compareBy({ it.first }, { it.second })), "url parameters")
            eq(s.body, e["body"] as String?, "body")
            eq(s.signatureVersion, SignatureVersion.V3, "signature version")
            eq(signatureVersionName(s.signatureVersion), "v3", "signature version name")
        }
    }
}

/** A vector's JSON value as the ParamValue an app would pass. */
fun paramValue(v: Any?): ParamValue = when (v) {
    null -> ParamValue.Null
    is String -> ParamValue.Text(v)
    is Boolean -> ParamValue.Boolean(v)
    is JsonNumber -> v.text.toLongOrNull()?.let { ParamValue.Integer(it) }
        // Beyond a Long (an unsigned 64-bit id, or more): JSON text, which camskit reads exactly or refuses.
        ?: if (v.text.any { it in ".eE" }) ParamValue.Number(v.text.toDouble()) else ParamValue.Json(v.text)
    else -> ParamValue.Json(toJson(v))
}

fun catalogVectors(root: File) {
    val cases = load(root, "catalog.json")
    test("catalog.json has its cases") { check(cases.size >= 10) { "${cases.size} cases" } }
    for (case in cases) {
        val name = "catalog: ${case["name"]}"
        test(name) {
            val input = case["input"].obj()
            val e = case["expected"].obj()
            if (input.containsKey("prefix")) {
                val flat = flattenParam(input["prefix"].str(), paramValue(input["value"]))
                eq(flat, pairs(e["pairs"]), "flattened pairs")
                return@test
            }
            val version = parseSignatureVersion(input["signature"].str())
            val client = CamsClient(Credentials(input["access_key_id"].str(), input["access_key_secret"].str()))
            val params = input["params"].obj().mapValues { paramValue(it.value) }
            val s = client.sign(input["action"].str(), params, SignOptions(
                signature = version,
                timestamp = SignTime.Text(input["timestamp"].str()),
                nonce = input["nonce"].str(),
                headers = pairs(input["headers"]),
            ))
            eq(s.method, input["method"], "method (from the catalog)")
            eq(s.stringToSign, e["string_to_sign"], "string to sign")
            eq(s.signature, e["signature"], "signature")
            eq(urlParams(s.url), pairs(e["url_params"]).map { it.name to it.value }
                .sortedWith(compareBy({ it.first }, { it.second })), "url parameters")
            eq(s.body, e["body"] as String?, "body")
            eq(s.signatureVersion, version, "signature version")
            if (version == SignatureVersion.V1) {
                eq(s.canonicalQuery, e["canonical_query"], "canonical query")
            } else {
                eq(s.canonicalRequest, e["canonical_request"], "canonical request")
                eq(s.headers.firstOrNull { it.name == "authorization" }?.value, e["authorization"], "authorization")
                eq(s.headers.filter { it.name != "authorization" }.sortedWith(compareBy({ it.name }, { it.value })),
                    pairs(e["headers"]), "headers")
            }
        }
    }
}

val allKinds = ErrorKind.values().toSet()

fun responseVectors(root: File) {
    val cases = load(root, "responses.json")
    test("responses.json has its cases") { check(cases.size >= 40) { "${cases.size} cases" } }
    val kindsSeen = mutableSetOf<ErrorKind>()
    for (case in cases) {
        val name = "responses: ${case["name"]}"
        test(name) {
            val status = (case["status"] as JsonNumber).toInt()
            val body = (case["body_base64"] as String?)?.let { Base64.getDecoder().decode(it) }
                ?: case["body"].str().toByteArray(Charsets.UTF_8)
            val e = case["expected"].obj()
            fun want(k: String) = e[k] as String?
            when (e["outcome"]) {
                "ok" -> {
                    val ok = parseResponse(status, body)
                    eq(ok.status, status, "status")
                    want("request_id")?.let { eq(ok.requestId, it, "request id") }
                    want("code")?.let { eq(ok.code, it, "code") }
                    want("message")?.let { eq(ok.message, it, "message") }
                    want("access_denied_detail")?.let { eq(ok.accessDeniedDetail, it, "access denied detail") }
                    want("data")?.let { eq(ok.dataJson, it, "data (exact JSON text)") }
                    val parsedBody = JsonReader.parse(ok.bodyJson).obj()
                    for (f in (e["extra_fields"] as List<*>?) ?: listOf<Any>()) {
                        check(parsedBody.containsKey(f as String)) { "body has no $f: ${ok.bodyJson}" }
                    }
                }
                "api_error" -> {
                    val err = expectThrows<CamsException.Api>(name) { parseResponse(status, body) }
                    eq(err.status, status, "status")
                    eq(errorKindName(err.kind), want("kind"), "kind")
                    eq(err.retryable, e["retryable"], "retryable")
                    want("code")?.let { eq(err.code, it, "code") }
                    want("message")?.let { eq(err.errorMessage, it, "message") }
                    want("request_id")?.let { eq(err.requestId, it, "request id") }
                    want("host_id")?.let { eq(err.hostId, it, "host id") }
                    want("recommend")?.let { eq(err.recommend, it, "recommend") }
                    want("server_string_to_sign")?.let { eq(err.serverStringToSign, it, "server string to sign") }
                    want("access_denied_detail")?.let { eq(err.accessDeniedDetail, it, "access denied detail") }
                    check(err.toString().contains(errorKindName(err.kind))) { "toString: $err" }
                    kindsSeen.add(err.kind)
                }
                "parse_error" -> {
                    val err = expectThrows<CamsException.Parse>(name) { parseResponse(status, body) }
                    eq(err.status, status, "status")
                    check(err.reason.contains(want("reason_contains")!!)) { "reason: ${err.reason}" }
                    check(err.toString().contains("HTTP $status")) { "toString: $err" }
                }
                else -> throw AssertionFailed("outcome ${e["outcome"]}")
            }
        }
    }
    test("every error kind arrives as a CamsException.Api") {
        // OUTCOME_UNKNOWN is the call machine's (a 5xx answering a write): the call scenarios
        // see it arrive (Calls.kt); an answer parsed alone has every other kind.
        eq(kindsSeen, allKinds - ErrorKind.OUTCOME_UNKNOWN, "kinds seen in responses.json")
    }
}

// ------------------------------------------------------------------------------------------
// The Kotlin API itself
// ------------------------------------------------------------------------------------------

const val KEY = "LTAI5tKotlinTestKey01"
const val SECRET = "KotlinTestSecret0123456789abcd"
const val STS_KEY = "STS.KotlinTestKey02"
const val STS_SECRET = "KotlinStsSecret"
const val STS_TOKEN = "CAIS+kotlin/sts=token"
val T0 = SignTime.Unix(1752480000.0) // 2025-07-14T08:00:00Z

fun apiTests() {
    val client = CamsClient(Credentials(KEY, SECRET))

    test("default endpoint is ap-southeast-1") {
        eq(client.baseUrl(), "https://cams.ap-southeast-1.aliyuncs.com", "base url")
        eq(CamsClient(Credentials(KEY, SECRET), region = "cn-hangzhou").baseUrl(),
            "https://cams.cn-hangzhou.aliyuncs.com", "region")
        eq(CamsClient(Credentials(KEY, SECRET), endpoint = "http://127.0.0.1:9").baseUrl(),
            "http://127.0.0.1:9", "explicit endpoint")
    }

    test("region and endpoint: both must agree; regionId, warning and loopback come from core") {
        val both = CamsClient(Credentials(KEY, SECRET), region = "ap-southeast-1", endpoint = "cams.ap-southeast-1.aliyuncs.com")
        eq(both.regionId(), "ap-southeast-1", "region id")
        eq(both.warning(), null, "no warning for the listed region")
        val e = expectThrows<CamsException.Validation>("disagree") {
            CamsClient(Credentials(KEY, SECRET), region = "ap-southeast-1", endpoint = "http://127.0.0.1:9")
        }
        check(e.errorMessage.contains("give one of them")) { e.errorMessage }
        eq(e.code, "invalid_input", "code")
        val hz = CamsClient(Credentials(KEY, SECRET), region = "cn-hangzhou")
        check(hz.warning()?.contains("cn-hangzhou") == true) { "warning: ${hz.warning()}" }
        val local = CamsClient(Credentials(KEY, SECRET), endpoint = "http://127.0.0.1:9")
        eq(local.regionId(), null, "no region for a local endpoint")
        eq(local.isLoopback(), true, "loopback")
        local.checkCredentialsTransport(false)
        val far = CamsClient(Credentials(KEY, SECRET), endpoint = "http://cams.example.com")
        eq(far.isLoopback(), false, "not loopback")
        expectThrows<CamsException.Validation>("plain HTTP elsewhere") { far.checkCredentialsTransport(false) }
        far.checkCredentialsTransport(true)
    }

    test("credentialsFromEnv reads an environment map by core's rule") {
        eq(credentialsFromEnv(mapOf()), null, "nothing set")
        val c = credentialsFromEnv(mapOf("ALICLOUD_ACCESS_KEY_ID" to KEY, "ALIBABA_CLOUD_ACCESS_KEY_SECRET" to SECRET))!!
        eq(c.accessKeyId(), KEY, "id from an alias")
        eq(c.hasSecurityToken(), false, "no token")
        val e = expectThrows<CamsException.Credentials>("half") { credentialsFromEnv(mapOf("ALIBABA_CLOUD_ACCESS_KEY_SECRET" to SECRET)) }
        check(e.errorMessage.contains("ALIBABA_CLOUD_ACCESS_KEY_ID") && !e.toString().contains(SECRET)) { e.toString() }
        credentialsFromEnv(System.getenv()) // the process's own environment: never a crash
    }

    test("headersToSend is every signed header but host") {
        val s = client.chatappMigrationRegister("cs", "1", SignOptions(signature = SignatureVersion.V3, timestamp = T0, nonce = "n"))
        check(s.headers.any { it.name == "host" }) { "v3 signs host" }
        eq(s.headersToSend, s.headers.filter { it.name != "host" }, "headers to send")
    }

    test("times: unix seconds floored, text by core's rule") {
        fun at(t: SignTime) = client.chatappMigrationRegister("cs", "1", SignOptions(timestamp = t, nonce = "n")).timestamp
        eq(at(SignTime.Unix(1456231584.999)), "2016-02-23T12:46:24Z", "fraction floored")
        eq(at(SignTime.Text("1456231584")), "2016-02-23T12:46:24Z", "unix seconds as text")
        eq(at(SignTime.Text("2016-02-23T12:46:24Z")), "2016-02-23T12:46:24Z", "formatted")
        eq(formatSignTime(SignTime.Unix(0.0)), "1970-01-01T00:00:00Z", "formatSignTime")
    }

    test("raw values: booleans True/False, lists flattened, Null left out (core's meaning)") {
        val s = client.sign("DescribeRegions", mapOf(
            "T" to ParamValue.Boolean(true), "L" to ParamValue.Json("[1, {\"K\": false}]"), "N" to ParamValue.Null,
        ), SignOptions(raw = true, apiVersion = "2014-05-26", timestamp = T0, nonce = "n"))
        val p = urlParams(s.url).toMap()
        eq(p["T"], "True", "boolean")
        eq(p["L.1"], "1", "list")
        eq(p["L.2.K"], "False", "nested")
        eq(p.containsKey("N"), false, "null left out")
        eq(p["Version"], "2014-05-26", "api version")
    }

    test("error kinds: the enum is core's list, names from core") {
        eq(ErrorKind.values().map { errorKindName(it) }, errorKindNames(), "names in order")
        eq(errorKindName(ErrorKind.SIGNATURE_MISMATCH), "signature_mismatch", "snake case")
    }

    test("answers: a redirect names its target; the size bound is core's") {
        val e = expectThrows<CamsException.Parse>("302") {
            parseResponseWithHeaders(302, listOf(NameValue("Location", "http://elsewhere.example/")), ByteArray(0))
        }
        check(e.reason.contains("redirect to http://elsewhere.example/")) { e.reason }
        check(maxResponseBytes() >= 1_000_000UL) { "${maxResponseBytes()}" }
        eq(parseResponseWithHeaders(200, listOf(), """{"Code":"OK"}""".toByteArray()).code, "OK", "ok")
    }

    test("typed register gives the same request as generic sign and signRaw") {
        val opts = SignOptions(timestamp = T0, nonce = "n-1")
        val typed = client.chatappMigrationRegister("29348393884", "8613800001234", opts)
        val generic = client.sign("ChatappMigrationRegister",
            mapOf("CustSpaceId" to ParamValue.Text("29348393884"), "PhoneNumber" to ParamValue.Text("8613800001234")), opts)
        val raw = client.sign("ChatappMigrationRegister",
            mapOf("CustSpaceId" to ParamValue.Text("29348393884"), "PhoneNumber" to ParamValue.Text("8613800001234")),
            opts.copy(raw = true))
        eq(generic.url, typed.url, "generic url")
        eq(raw.url, typed.url, "raw url")
        eq(typed.method, "POST", "method")
        eq(typed.timestamp, "2025-07-14T08:00:00Z", "timestamp")
    }

    test("signRequest: the client's request, its errors, and no secret in toString") {
        val opts = SignOptions(timestamp = T0, nonce = "n-1", signature = SignatureVersion.V3)
        val key = AccessKey("LTAI5tExample", SECRET.toByteArray())
        val request = SignRequest(key, "ChatappMigrationRegister",
            mapOf("CustSpaceId" to ParamValue.Text("29348393884"), "PhoneNumber" to ParamValue.Text("8613800001234")), opts)
        eq(signRequest(request), CamsClient(Credentials("LTAI5tExample", SECRET))
            .chatappMigrationRegister("29348393884", "8613800001234", opts), "same as the client")
        check(!request.toString().contains(SECRET) && !key.toString().contains(SECRET)) { "secret shown: $request" }
        try {
            signRequest(request.copy(params = mapOf()))
            check(false) { "no exception" }
        } catch (e: CamsException.Validation) {
            eq(e.code, "missing_parameter", "code")
        }
        try {
            signRequest(request.copy(key = AccessKey("", SECRET.toByteArray())))
            check(false) { "no exception" }
        } catch (e: CamsException.Credentials) {
            check(!e.toString().contains(SECRET)) { e.toString() }
        }
    }

    test("the four migration steps sign their actions and parameters") {
        val o = SignOptions(timestamp = T0, nonce = "n")
        val steps = listOf(
            client.createChatappMigrationInitiate("cs1", "86", "13800001234", o) to
                mapOf("Action" to "CreateChatappMigrationInitiate", "CustSpaceId" to "cs1", "CountryCode" to "86", "MobileNumber" to "13800001234"),
            client.getMigrationVerifyCode("cs1", "8613800001234", "en", "SMS", o) to
                mapOf("Action" to "GetMigrationVerifyCode", "PhoneNumber" to "8613800001234", "Locale" to "en", "Method" to "SMS"),
            client.chatappMigrationVerified("cs1", "8613800001234", "123456", o) to
                mapOf("Action" to "ChatappMigrationVerified", "VerifyCode" to "123456"),
            client.chatappMigrationRegister("cs1", "8613800001234", o) to
                mapOf("Action" to "ChatappMigrationRegister", "PhoneNumber" to "8613800001234"),
        )
        for ((signed, want) in steps) {
            val got = urlParams(signed.url).toMap()
            for ((k, v) in want) eq(got[k], v, "${want["Action"]} $k")
        }
    }

    test("options: v3 and GET on a typed function") {
        val s = client.chatappMigrationRegister("cs", "1", SignOptions(signature = SignatureVersion.V3, method = HttpMethod.GET))
        eq(s.signatureVersion, SignatureVersion.V3, "version")
        eq(s.method, "GET", "method")
        val auth = s.headers.first { it.name == "authorization" }.value
        check(auth.startsWith("ACS3-HMAC-SHA256 Credential=$KEY,SignedHeaders=")) { auth }
        check(s.canonicalRequest!!.startsWith("GET\n/\n")) { s.canonicalRequest!! }
        eq(s.headers.first { it.name == "x-acs-signature-nonce" }.value, s.nonce, "nonce header")
        eq(s.headers.first { it.name == "x-acs-date" }.value, s.timestamp, "date header")
        eq(parseSignatureVersion("v3"), SignatureVersion.V3, "parse v3")
        eq(parseSignatureVersion("1.0"), SignatureVersion.V1, "parse 1.0")
        eq(signatureVersionName(SignatureVersion.V1), "1.0", "name of V1")
    }

    test("time and nonce default to now and a fresh UUID v4") {
        val before = Instant.now().epochSecond
        val a = client.chatappMigrationRegister("cs", "1")
        val b = client.chatappMigrationRegister("cs", "1")
        val after = Instant.now().epochSecond
        val uuid = Regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        check(uuid.matches(a.nonce)) { a.nonce }
        check(a.nonce != b.nonce) { "same nonce twice" }
        val t = Instant.parse(a.timestamp).epochSecond
        check(t in before..after) { "${a.timestamp} not in [$before, $after]" }
        eq(urlParams(a.url).toMap()["SignatureNonce"], a.nonce, "nonce in url")
    }

    test("ParamValue: integers exact beyond 2^53, text exactly as given") {
        val s = client.sign("ChatappMigrationRegister", mapOf(
            "CustSpaceId" to ParamValue.Text("cs a+b"),
            "phone_number" to ParamValue.Text("+86 138"),
            "OwnerId" to ParamValue.Integer(9007199254740993),
        ), SignOptions(timestamp = T0, nonce = "n"))
        val p = urlParams(s.url).toMap()
        eq(p["CustSpaceId"], "cs a+b", "text")
        eq(p["PhoneNumber"], "+86 138", "snake-case name")
        eq(p["OwnerId"], "9007199254740993", "64-bit integer")
    }

    test("sign puts body parameters in the form body, as the catalog says") {
        val s = client.sign("GetPreValidatePhoneId", mapOf(
            "PhoneNumber" to ParamValue.Text("+86 13800001234"), "VerifyCode" to ParamValue.Text("1 2")), SignOptions(timestamp = T0, nonce = "n"))
        eq(s.body, "PhoneNumber=%2B86+13800001234&VerifyCode=1+2", "body (form-encoded as the official client writes it)")
        check(!s.url.contains("VerifyCode")) { s.url }
    }

    test("toString never shows the secret or the token") {
        val c = Credentials(STS_KEY, STS_SECRET, STS_TOKEN)
        val cl = CamsClient(c)
        for (shown in listOf(c.toString(), cl.toString())) {
            check(!shown.contains(STS_SECRET) && !shown.contains(STS_TOKEN)) { shown }
            check(shown.contains(STS_KEY)) { shown }
        }
        eq(c.accessKeyId(), STS_KEY, "accessKeyId")
        eq(c.hasSecurityToken(), true, "has token")
        eq(Credentials(KEY, SECRET, "").hasSecurityToken(), false, "empty token = none")
    }

    test("parse the migration answers into typed results") {
        val body = """{"RequestId":"r1","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None","Data":{"Id":"mig-1","PhoneNumber":"8613800001234","Status":"PENDING"}}"""
        val r = parseCreateChatappMigrationInitiateResponse(200, body.toByteArray())
        eq(r.requestId, "r1", "request id")
        eq(r.code, "OK", "code")
        eq(r.data, CreateChatappMigrationInitiateData("mig-1", "8613800001234", "PENDING", "{}"), "data")
        eq(r.extraJson, "{}", "nothing undeclared")
        // the generated answer from a CamsResponse (what call returns) is the same record
        eq(createChatappMigrationInitiateAnswer(parseResponse(200, body.toByteArray())), r, "from a CamsResponse")
        val code = parseGetMigrationVerifyCodeResponse(200, """{"RequestId":"r","Code":"OK","Data":{"Id":"m","PhoneNumber":"86","Extra":2},"New":1}""".toByteArray())
        eq(code.data, GetMigrationVerifyCodeData("m", "86", "{\"Extra\":2}"), "verify code data")
        eq(code.extraJson, "{\"New\":1}", "unknown fields kept")
        // the old names (typealiases in CamsKitExtensions.kt) still compile
        val old: GetMigrationVerifyCodeResponse = code
        val oldData: MigrationData? = old.data
        eq(oldData?.id, "m", "old names")
        val oldInit: CreateChatappMigrationInitiateResponse = r
        eq((oldInit.data as MigrationInitiateData?)?.status, "PENDING", "old data name")
        val verified = parseChatappMigrationVerifiedResponse(200, """{"RequestId":"r","Code":"OK"}""".toByteArray())
        eq(verified.data, null, "no data")
        val reg = parseChatappMigrationRegisterResponse(200, """{"RequestId":"r2","Code":"OK"}""".toByteArray())
        eq(reg.code, "OK", "register code")
        val e = expectThrows<CamsException.Api>("business error") {
            parseGetMigrationVerifyCodeResponse(200, """{"RequestId":"r3","Code":"Ram.PermissionDeny","Message":"no"}""".toByteArray())
        }
        eq(e.kind, ErrorKind.PERMISSION, "kind")
        expectThrows<CamsException.Parse>("html") { parseChatappMigrationVerifiedResponse(502, "<html></html>".toByteArray()) }
    }
}

fun badInputs() {
    val client = CamsClient(Credentials(KEY, SECRET))
    val o = SignOptions(timestamp = T0, nonce = "n")

    fun credentialsError(what: String, id: String, secret: String, token: String? = null) = test("credentials: $what") {
        val e = expectThrows<CamsException.Credentials>(what) { Credentials(id, secret, token) }
        check(e.errorMessage.isNotEmpty()) { "empty message" }
        check(!e.toString().contains("SecretValue") && !e.toString().contains("TokenValue")) { e.toString() }
    }
    credentialsError("empty key id", "", "SecretValue")
    credentialsError("empty secret", KEY, "")
    credentialsError("key id with a space", "LTAI 5t", "SecretValue")
    credentialsError("secret with a newline", KEY, "Secret\nValue")
    credentialsError("token with a newline", KEY, "SecretValue", "TokenValue\n")

    fun validation(what: String, contains: String, block: () -> Unit) = test("validation: $what") {
        val e = expectThrows<CamsException.Validation>(what, block)
        check(e.errorMessage.contains(contains)) { "message does not name '$contains': ${e.errorMessage}" }
        eq(e.toString(), e.errorMessage, "toString is the message")
    }
    validation("bad region", "region") { CamsClient(Credentials(KEY, SECRET), region = "ap southeast/1") }
    validation("bad endpoint", "endpoint") { CamsClient(Credentials(KEY, SECRET), endpoint = "ftp://example.com") }
    validation("empty action", "action") { client.sign("", mapOf(), o) }
    validation("unknown action, with a suggestion", "ChatappMigrationRegister") {
        client.sign("ChatappMigrationRegistr", mapOf(), o)
    }
    validation("unknown parameter, with a suggestion", "PhoneNumber") {
        client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumbr" to ParamValue.Text("1")), o)
    }
    validation("missing required parameter (generic sign)", "missing required parameter PhoneNumber") {
        client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs")), o)
    }
    validation("wrong type", "OwnerId") {
        client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs"),
            "PhoneNumber" to ParamValue.Text("1"), "OwnerId" to ParamValue.Json("[1, 2]")), o)
    }
    validation("missing CustSpaceId", "ChatappMigrationRegister: missing required parameter CustSpaceId") {
        client.chatappMigrationRegister("", "8613800001234", o)
    }
    validation("missing PhoneNumber (verify code)", "PhoneNumber") { client.getMigrationVerifyCode("cs", "", "en", "SMS", o) }
    validation("missing VerifyCode", "VerifyCode") { client.chatappMigrationVerified("cs", "1", "", o) }
    validation("missing MobileNumber", "MobileNumber") { client.createChatappMigrationInitiate("cs", "86", "", o) }
    validation("timestamp out of range", "timestamp") {
        client.chatappMigrationRegister("cs", "1", SignOptions(timestamp = SignTime.Unix(-99_999_999_999.0), nonce = "n"))
    }
    validation("timestamp beyond year 9999", "timestamp") {
        client.chatappMigrationRegister("cs", "1", SignOptions(timestamp = SignTime.Unix(Long.MAX_VALUE.toDouble()), nonce = "n"))
    }
    validation("empty nonce", "nonce") { client.chatappMigrationRegister("cs", "1", SignOptions(timestamp = T0, nonce = "")) }
    validation("huge nonce", "nonce") { client.chatappMigrationRegister("cs", "1", SignOptions(timestamp = T0, nonce = "x".repeat(500))) }
    validation("bad JSON parameter", "TemplateParams") {
        client.sign("SendChatappMessage", mapOf("TemplateParams" to ParamValue.Json("{bad")), o)
    }
    validation("NaN parameter", "Ratio") { client.sign("ChatappMigrationRegister", mapOf("Ratio" to ParamValue.Number(Double.NaN)), o) }
    validation("form parameters on GET", "GET") {
        client.sign("GetPreValidatePhoneId", mapOf(), SignOptions(raw = true, form = mapOf("A" to ParamValue.Text("1")), method = HttpMethod.GET, timestamp = T0, nonce = "n"))
    }
    validation("reserved parameter name", "Signature") {
        client.sign("ChatappMigrationRegister", mapOf("Signature" to ParamValue.Text("x")), o.copy(raw = true))
    }
    validation("unknown signature version name", "signature version") { parseSignatureVersion("v9") }
    validation("unknown method name", "PUT") { parseHttpMethod("PUT") }
    validation("integer beyond 64 bits in JSON text", "OwnerId") {
        client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumber" to ParamValue.Text("1"),
            "OwnerId" to ParamValue.Json("123456789012345678901234567890")), o)
    }
    validation("raw integer beyond 64 bits in a list", "Ids") {
        client.sign("DescribeRegions", mapOf("Ids" to ParamValue.Json("[1, 18446744073709551616]")), o.copy(raw = true))
    }
    validation("form without raw (core's message)", "need raw") {
        client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumber" to ParamValue.Text("1")),
            o.copy(form = mapOf("X" to ParamValue.Text("1"))))
    }
    test("validation errors carry code, action, parameter and suggestions") {
        val a = expectThrows<CamsException.Validation>("unknown action") { client.sign("ChatappMigrationRegistr", mapOf(), o) }
        eq(a.code, "unknown_action", "code")
        eq(a.action, "ChatappMigrationRegistr", "action")
        eq(a.parameter, null, "no parameter")
        check("ChatappMigrationRegister" in a.suggestions) { "${a.suggestions}" }
        val p = expectThrows<CamsException.Validation>("unknown parameter") {
            client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Text("cs"), "PhoneNumbr" to ParamValue.Text("1")), o)
        }
        eq(p.code, "unknown_parameter", "code")
        eq(p.action, "ChatappMigrationRegister", "action")
        eq(p.parameter, "PhoneNumbr", "parameter")
        check("PhoneNumber" in p.suggestions) { "${p.suggestions}" }
        val m = expectThrows<CamsException.Validation>("missing") { client.chatappMigrationRegister("cs", "", o) }
        eq(m.code, "missing_parameter", "code")
        eq(m.parameter, "PhoneNumber", "parameter")
        val w = expectThrows<CamsException.Validation>("wrong type") {
            client.sign("ChatappMigrationRegister", mapOf("CustSpaceId" to ParamValue.Integer(5), "PhoneNumber" to ParamValue.Text("1")), o)
        }
        eq(w.code, "wrong_type", "code")
        eq(w.parameter, "CustSpaceId", "parameter")
        val i = expectThrows<CamsException.Validation>("invalid") { client.chatappMigrationRegister("cs", "1", o.copy(nonce = "")) }
        eq(i.code, "invalid_input", "code")
        eq(i.suggestions, listOf<String>(), "no suggestions")
    }
    validation("huge query value", "PhoneNumber") { client.chatappMigrationRegister("cs", "1".repeat(40_000), o) }

    test("status out of range is a parse error, not a crash") {
        for (status in listOf(-1, 0, 99, 600, 70_000, Int.MAX_VALUE, Int.MIN_VALUE)) {
            val e = expectThrows<CamsException.Parse>("status $status") { parseResponse(status, "{}".toByteArray()) }
            eq(e.status, status, "status")
        }
    }
    test("a body of invalid UTF-8 and NUL bytes is a parse error") {
        val e = expectThrows<CamsException.Parse>("bytes") { parseResponse(200, byteArrayOf(0, -1, -2, 0x7b)) }
        check(e.reason.isNotEmpty()) { "no reason" }
    }
    test("a NUL in a value is an ordinary character") {
        val s = client.chatappMigrationRegister("cs\u0000", "1", o)
        check(s.url.contains("CustSpaceId=cs%00")) { s.url }
    }
    test("a lone surrogate (not UTF-8) is refused on the Kotlin side with a catchable exception") {
        // uniffi's generated code encodes strictly; the call never reaches Rust.
        expectThrows<java.nio.charset.CharacterCodingException>("lone surrogate") {
            client.chatappMigrationRegister("cs", "1\uD800", o)
        }
    }
    test("every CamsException is a kotlin.Exception that can be caught as one") {
        val e: Exception = expectThrows<CamsException>("any") { client.sign("", mapOf(), o) }
        check(e is CamsException.Validation) { "$e" }
    }
}

// ------------------------------------------------------------------------------------------
// Against tests/mock-cams over HTTP
// ------------------------------------------------------------------------------------------

class Mock(root: File) : AutoCloseable {
    private val dir = Files.createTempDirectory("camskit-kotlin-mock").toFile()
    private val process: Process
    val url: String

    init {
        val portFile = File(dir, "port")
        process = ProcessBuilder(
            "python3", File(root, "tests/mock-cams/server.py").path, "--port", "0", "--port-file", portFile.path,
            "--key", "$KEY:$SECRET", "--key", "$STS_KEY:$STS_SECRET:$STS_TOKEN", "--key", "$CANARY_KEY:$CANARY_SECRET",
        ).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start()
        val deadline = System.nanoTime() + 20_000_000_000L
        var port = 0
        while (port == 0) {
            port = portFile.takeIf { it.exists() }?.readText()?.trim()?.toIntOrNull() ?: 0
            if (port == 0) {
                if (!process.isAlive || System.nanoTime() > deadline) {
                    close(); throw IllegalStateException("mock-cams did not start")
                }
                Thread.sleep(50)
            }
        }
        url = "http://127.0.0.1:$port"
    }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor()
        dir.deleteRecursively()
    }
}

val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

/** Sends a signed request the way an app does: `headersToSend` (core leaves out `host`, which the client sets). */
fun send(signed: SignedRequest): HttpResponse<ByteArray> {
    val b = HttpRequest.newBuilder(URI(signed.url))
    for (h in signed.headersToSend) b.header(h.name, h.value)
    val body = signed.body?.let { HttpRequest.BodyPublishers.ofString(it) } ?: HttpRequest.BodyPublishers.noBody()
    b.method(signed.method, body)
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray())
}

fun get(url: String): String = http.send(HttpRequest.newBuilder(URI(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body()

fun mockTests(root: File) {
    val mock = try { Mock(root) } catch (e: Exception) {
        test("mock-cams starts") { throw e }
        return
    }
    mock.use {
        val client = CamsClient(Credentials(KEY, SECRET), endpoint = mock.url)
        val phone = "+86 138 0000 1234"
        for (version in listOf(SignatureVersion.V1, SignatureVersion.V3)) {
            val o = SignOptions(signature = version)
            val v = signatureVersionName(version)
            test("mock ($v): the whole migration workflow") {
                val init = client.createChatappMigrationInitiate("cs-kotlin", "86", "13800001234", o).let { s ->
                    send(s).let { parseCreateChatappMigrationInitiateResponse(it.statusCode(), it.body()) }
                }
                eq(init.code, "OK", "initiate code")
                check(init.data?.id?.startsWith("mig-") == true) { "migration id: ${init.data}" }
                check(!init.requestId.isNullOrEmpty()) { "request id" }
                val code = send(client.getMigrationVerifyCode("cs-kotlin", phone, "en", "SMS", o))
                    .let { parseGetMigrationVerifyCodeResponse(it.statusCode(), it.body()) }
                eq(code.data?.phoneNumber, phone, "verify code phone")
                val verified = send(client.chatappMigrationVerified("cs-kotlin", phone, "123456", o))
                    .let { parseChatappMigrationVerifiedResponse(it.statusCode(), it.body()) }
                eq(verified.code, "OK", "verified code")
                val reg = send(client.chatappMigrationRegister("cs-kotlin", phone, o))
                    .let { parseChatappMigrationRegisterResponse(it.statusCode(), it.body()) }
                eq(reg.code, "OK", "register code")
                eq(reg.message, "SUCCESS", "register message")
            }
            test("mock ($v): generic sign with a tricky value") {
                val s = client.sign("ChatappMigrationRegister",
                    mapOf("CustSpaceId" to ParamValue.Text("cs-kotlin"), "PhoneNumber" to ParamValue.Text("+86 (138) 0000*1234 ~/&=%中文😀")), o)
                val r = send(s).let { parseResponse(it.statusCode(), it.body()) }
                eq(r.code, "OK", "code")
            }
            test("mock ($v): wrong secret is a signature mismatch with the server's string to sign") {
                val bad = CamsClient(Credentials(KEY, "not-the-secret"), endpoint = mock.url)
                val s = bad.chatappMigrationRegister("cs", "1", o)
                val e = expectThrows<CamsException.Api>("wrong secret") { send(s).let { parseResponse(it.statusCode(), it.body()) } }
                eq(e.kind, ErrorKind.SIGNATURE_MISMATCH, "kind")
                eq(e.code, "SignatureDoesNotMatch", "code")
                eq(e.status, 400, "status")
                eq(e.retryable, false, "retryable")
                eq(e.serverStringToSign, s.stringToSign, "same string to sign on both sides")
            }
            test("mock ($v): stale time is clock skew") {
                val s = client.chatappMigrationRegister("cs", "1", SignOptions(signature = version, timestamp = SignTime.Unix((Instant.now().epochSecond - 3600).toDouble())))
                val e = expectThrows<CamsException.Api>("stale") { send(s).let { parseResponse(it.statusCode(), it.body()) } }
                eq(e.kind, ErrorKind.CLOCK_SKEW, "kind")
                eq(e.code, "InvalidTimeStamp.Expired", "code")
            }
            test("mock ($v): a reused nonce is retryable; re-signing fixes it") {
                val nonce = java.util.UUID.randomUUID().toString()
                val first = send(client.chatappMigrationRegister("cs", "1", SignOptions(signature = version, nonce = nonce)))
                eq(parseResponse(first.statusCode(), first.body()).code, "OK", "first")
                val again = send(client.chatappMigrationRegister("cs", "1", SignOptions(signature = version, nonce = nonce)))
                val e = expectThrows<CamsException.Api>("reused") { parseResponse(again.statusCode(), again.body()) }
                eq(e.kind, ErrorKind.NONCE_REUSED, "kind")
                eq(e.retryable, true, "retryable")
                val fresh = send(client.chatappMigrationRegister("cs", "1", o))
                eq(parseResponse(fresh.statusCode(), fresh.body()).code, "OK", "re-signed")
            }
            test("mock ($v): unknown key is an authentication error") {
                val other = CamsClient(Credentials("LTAI5tUnknown", SECRET), endpoint = mock.url)
                val r = send(other.chatappMigrationRegister("cs", "1", o))
                val e = expectThrows<CamsException.Api>("unknown key") { parseResponse(r.statusCode(), r.body()) }
                eq(e.kind, ErrorKind.AUTHENTICATION, "kind")
                eq(e.status, 404, "status")
                eq(e.hostId, "cams.ap-southeast-1.aliyuncs.com", "host id")
                check(e.recommend?.startsWith("https://api.aliyun.com/troubleshoot") == true) { "recommend ${e.recommend}" }
            }
            test("mock ($v): STS key with its token works, without it is refused") {
                val sts = CamsClient(Credentials(STS_KEY, STS_SECRET, STS_TOKEN), endpoint = mock.url)
                val ok = send(sts.chatappMigrationRegister("cs", "1", o))
                eq(parseResponse(ok.statusCode(), ok.body()).code, "OK", "with token")
                val noToken = CamsClient(Credentials(STS_KEY, STS_SECRET), endpoint = mock.url)
                val r = send(noToken.chatappMigrationRegister("cs", "1", o))
                val e = expectThrows<CamsException.Api>("no token") { parseResponse(r.statusCode(), r.body()) }
                eq(e.kind, ErrorKind.AUTHENTICATION, "kind")
            }
            for ((space, kind) in listOf(
                "cs-unsubscribed" to ErrorKind.NOT_SUBSCRIBED, "cs-denied" to ErrorKind.PERMISSION,
                "cs-throttled" to ErrorKind.THROTTLING, "cs-not-mine" to ErrorKind.NOT_FOUND,
                "cs-http200-denied" to ErrorKind.PERMISSION, "cs-server-error" to ErrorKind.SERVER,
            )) {
                test("mock ($v): $space is ${errorKindName(kind)}") {
                    val r = send(client.chatappMigrationRegister(space, "1", o))
                    val e = expectThrows<CamsException.Api>(space) { parseChatappMigrationRegisterResponse(r.statusCode(), r.body()) }
                    eq(e.kind, kind, "kind")
                    eq(e.status, r.statusCode(), "status")
                    eq(e.retryable, kind == ErrorKind.THROTTLING || kind == ErrorKind.SERVER, "retryable")
                    check(!e.requestId.isNullOrEmpty()) { "request id" }
                }
            }
        }
        test("mock: it saw each workflow step with the exact values and signature versions") {
            val seen = JsonReader.parse(get("${mock.url}/__mock/requests")).arr().map { it.obj() }
            val steps = listOf("CreateChatappMigrationInitiate", "GetMigrationVerifyCode", "ChatappMigrationVerified", "ChatappMigrationRegister")
            for (v in listOf("1.0", "v3")) {
                val mine = seen.filter { it["signature"] == v && it["params"].obj()["CustSpaceId"] == "cs-kotlin" }
                eq(mine.map { it["action"] }.take(4), steps, "$v steps in order")
                eq(mine[1]["params"].obj()["PhoneNumber"], phone, "$v phone exactly as given")
                eq(mine[1]["params"].obj()["Method"], "SMS", "$v Method")
                eq(mine[2]["params"].obj()["VerifyCode"], "123456", "$v VerifyCode")
                eq(mine[4]["params"].obj()["PhoneNumber"], "+86 (138) 0000*1234 ~/&=%中文😀", "$v tricky value")
            }
        }
    }
}

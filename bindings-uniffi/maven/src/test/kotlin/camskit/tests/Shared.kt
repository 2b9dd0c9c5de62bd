// The shared contract every camskit host runs, here through the public Kotlin API:
//   tests/vectors/host-behaviours.json (endpoints, raw values, timestamps, environment)
//   tests/vectors/bad-inputs.json (each refusal: class, word, no secret, short message)
// Prints "host-behaviours: N passed, M failed" and "bad-inputs: N passed, M failed"; each case
// also counts in the run's total.
package camskit.tests

import camskit.*
import java.io.File

/** One group's counts, printed as "<label>: N passed, M failed". */
class Group(private val label: String) {
    private var ok = 0
    private var bad = 0

    fun case(name: String, block: () -> Unit) {
        val before = failed
        test("$label: $name", block)
        if (failed == before) ok++ else bad++
    }

    fun report() = camskit.tests.report("$label: $ok passed, $bad failed")
}

/** The error class a case names, as the Kotlin exception a user catches. */
fun errorClass(e: CamsException): String = when (e) {
    is CamsException.Validation -> "validation"
    is CamsException.Credentials -> "credentials"
    is CamsException.Api -> "api"
    is CamsException.Parse -> "parse"
    is CamsException.Transport -> "transport"
    is CamsException.Internal -> "internal"
}

/** Runs `block`, which must throw a CamsException; returns it. */
fun refusal(block: () -> Unit): CamsException {
    try {
        block()
    } catch (e: CamsException) {
        return e
    }
    throw AssertionFailed("nothing was thrown")
}

fun expandRepeat(v: Any?): Any? = when (v) {
    is String -> expandText(v)
    is List<*> -> v.map { expandRepeat(it) }
    is Map<*, *> -> LinkedHashMap<String, Any?>().also { m -> v.forEach { (k, x) -> m[expandText(k as String)] = expandRepeat(x) } }
    else -> v
}

fun expandText(s: String): String {
    if (!s.startsWith("@repeat(") || !s.endsWith(")")) return s
    val (n, text) = s.substring("@repeat(".length, s.length - 1).split(',', limit = 2)
    return text.repeat(n.toInt())
}

fun params(v: Any?): Map<String, ParamValue> = (v as Map<*, *>?)?.entries
    ?.associate { (k, x) -> (k as String) to paramValue(x) } ?: mapOf()

val COMMON_PARAMS = setOf(
    "AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce",
    "SignatureVersion", "Timestamp", "Version", "Signature",
)

fun hostBehaviours(root: File) {
    val doc = JsonReader.parse(File(root, "tests/vectors/host-behaviours.json").readText()).obj()
    val g = Group("host-behaviours")

    for (c in doc["endpoints"].arr().map { it.obj() }) {
        val region = c["region"] as String?
        val endpoint = c["endpoint"] as String?
        g.case("endpoint region=$region endpoint=$endpoint") {
            val make = { CamsClient(Credentials("LTAI5tHost", "CanarySecretHost"), region = region, endpoint = endpoint) }
            val word = c["error"] as String?
            if (word != null) {
                val e = refusal { make() }
                eq(errorClass(e), "validation", "class")
                check(e.toString().contains(word)) { "'$word' not in: $e" }
            } else {
                val client = make()
                eq(client.baseUrl(), c["base_url"], "base url")
                eq(client.regionId(), c["region_id"], "region id")
                eq(client.warning() != null, c["warning"], "warning")
                c["loopback"]?.let { eq(client.isLoopback(), it, "loopback") }
            }
        }
    }

    val client = CamsClient(Credentials("LTAI5tHost", "CanarySecretHost"))
    val at = SignOptions(timestamp = SignTime.Text("2025-07-14T08:00:00Z"), nonce = "n")
    for (c in doc["raw_values"].arr().map { it.obj() }) {
        g.case("raw value: ${c["name"]}") {
            val s = client.sign("DescribeRegions", params(c["params"]), at.copy(raw = true, form = params(c["form"])))
            val got = urlParams(s.url).filter { it.first !in COMMON_PARAMS }
            val want = pairs(c["query"]).map { it.name to it.value }.sortedWith(compareBy({ it.first }, { it.second }))
            eq(got, want, "query")
            eq(s.body, c["body"] as String?, "body")
        }
    }

    for (c in doc["timestamps"].arr().map { it.obj() }) {
        val input = c["input"]
        g.case("timestamp $input") {
            // A JSON number is a Kotlin number (Double), a string a Kotlin String.
            val time = when (input) {
                is JsonNumber -> SignTime.Unix(input.text.toDouble())
                is String -> SignTime.Text(input)
                else -> throw AssertionFailed("input $input")
            }
            val sign = { client.chatappMigrationRegister("cs", "1", at.copy(timestamp = time)) }
            val word = c["error"] as String?
            if (word != null) {
                val e = refusal { sign() }
                eq(errorClass(e), "validation", "class")
                check(e.toString().contains(word)) { "'$word' not in: $e" }
            } else {
                eq(sign().timestamp, c["ok"], "signed timestamp")
            }
        }
    }

    for (c in doc["environment"].arr().map { it.obj() }) {
        g.case("environment: ${c["name"]}") {
            val env = c["env"].obj().mapValues { it.value as String }
            val word = c["error"] as String?
            when {
                word != null -> {
                    val e = refusal { credentialsFromEnv(env) }
                    eq(errorClass(e), "credentials", "class")
                    check(e.toString().contains(word)) { "'$word' not in: $e" }
                    check(!e.toString().contains("Canary")) { "a secret in: $e" }
                }
                c.containsKey("none") -> eq(credentialsFromEnv(env), null, "no credentials")
                else -> {
                    val found = credentialsFromEnv(env)!!
                    eq(found.accessKeyId(), c["access_key_id"], "access key id")
                    eq(found.hasSecurityToken(), c["security_token"] == true, "token")
                    check(!found.toString().contains("Canary")) { "a secret in: $found" }
                }
            }
        }
    }
    g.report()
}

/** One bad-input case through the public API, the way an app would call it. */
fun runBadInput(d: Map<String, Any?>, c: Map<String, Any?>) {
    if (c["kind"] == "parse") {
        parseResponse((c["status"] as JsonNumber).toInt(), c["body"].str().toByteArray(Charsets.UTF_8))
        return
    }
    val o = c["options"].obj()
    val creds = (c["credentials"] ?: d["credentials"]).obj()
    val credentials = Credentials(creds["access_key_id"].str(), creds["access_key_secret"].str(), creds["security_token"] as String?)
    val client = CamsClient(credentials, region = o["region"] as String?, endpoint = o["endpoint"] as String?)
    val options = SignOptions(
        method = (o["method"] as String?)?.let { parseHttpMethod(it) },
        signature = (o["signature"] as String?)?.let { parseSignatureVersion(it) },
        timestamp = SignTime.Text((o["timestamp"] ?: d["timestamp"]).str()),
        nonce = (o["nonce"] ?: d["nonce"]).str(),
        headers = (o["headers"] as Map<*, *>?)?.map { (k, v) -> NameValue(k as String, v as String) } ?: listOf(),
        raw = o["raw"] == true,
        apiVersion = o["api_version"] as String?,
        form = params(o["form"]),
    )
    client.sign(c["action"].str(), params(c["params"]), options)
}

fun badInputCases(root: File) {
    val d = expandRepeat(JsonReader.parse(File(root, "tests/vectors/bad-inputs.json").readText())).obj()
    val g = Group("bad-inputs")
    for (c in d["cases"].arr().map { it.obj() }) {
        g.case(c["name"].str()) {
            val e = refusal { runBadInput(d, c) }
            val message = e.toString()
            eq(errorClass(e), c["error"], "class of $message")
            check(message.contains(c["names"].str())) { "'${c["names"]}' not in: $message" }
            check(!message.contains("Canary")) { "a secret in: $message" }
            check(message.toByteArray(Charsets.UTF_8).size < 1024) { "the message is ${message.length} characters" }
        }
    }
    g.report()
}

fun sharedCases(root: File) {
    hostBehaviours(root)
    badInputCases(root)
}

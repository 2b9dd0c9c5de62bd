// A small JVM benchmark of camskit's Kotlin bindings (run by hand: bindings-uniffi/bench/bench.sh).
// Not a test: it asserts nothing about time. Each row: warm-up, then ROUNDS rounds of N calls;
// prints the best and the median round in microseconds per call.
//
// The "Kotlin-only RPC 1.0" row signs the same request in plain Kotlin (javax.crypto HmacSHA1,
// hand-written percent-encoding): what the signature costs on the JVM without the native call,
// to show the FFI's share. Alibaba's official Java SDK is compared in bench/jvm (JMH).
package camskit.bench

import camskit.*
import java.util.Base64
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec

const val N = 20_000
const val ROUNDS = 9
const val WARMUP = 60_000

var sink = 0L

fun bench(name: String, call: () -> Int) {
    repeat(WARMUP) { sink += call() }
    val rounds = (1..ROUNDS).map {
        val t0 = System.nanoTime()
        repeat(N) { sink += call() }
        (System.nanoTime() - t0) / 1000.0 / N
    }.sorted()
    println("%-55s best %7.2f us   median %7.2f us".format(name, rounds.first(), rounds[ROUNDS / 2]))
}

fun enc(s: String): String {
    val sb = StringBuilder()
    for (b in s.toByteArray(Charsets.UTF_8)) {
        val c = b.toInt() and 0xff
        if (c in 'A'.code..'Z'.code || c in 'a'.code..'z'.code || c in '0'.code..'9'.code || c == '-'.code || c == '_'.code || c == '.'.code || c == '~'.code) sb.append(c.toChar())
        else sb.append('%').append("0123456789ABCDEF"[c shr 4]).append("0123456789ABCDEF"[c and 15])
    }
    return sb.toString()
}

fun kotlinOnlyV1(id: String, secret: String, params: Map<String, String>, ts: String, nonce: String): String {
    val all = sortedMapOf(
        "AccessKeyId" to id, "Action" to "ChatappMigrationRegister", "Format" to "JSON",
        "SignatureMethod" to "HMAC-SHA1", "SignatureNonce" to nonce, "SignatureVersion" to "1.0",
        "Timestamp" to ts, "Version" to "2020-06-06",
    )
    all.putAll(params)
    val canonical = all.entries.joinToString("&") { enc(it.key) + "=" + enc(it.value) }
    val sts = "POST&%2F&" + enc(canonical)
    val mac = Mac.getInstance("HmacSHA1")
    mac.init(SecretKeySpec("$secret&".toByteArray(), "HmacSHA1"))
    val sig = Base64.getEncoder().encodeToString(mac.doFinal(sts.toByteArray()))
    return "https://cams.ap-southeast-1.aliyuncs.com/?$canonical&Signature=${enc(sig)}"
}

fun main() {
    val client = CamsClient(Credentials("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABCD"))
    val fixed1 = SignOptions(timestamp = SignTime.Unix(1752480000.0), nonce = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21")
    val fixed3 = fixed1.copy(signature = SignatureVersion.V3)
    val params = mapOf("CustSpaceId" to ParamValue.Text("29348393884"), "PhoneNumber" to ParamValue.Text("8613800001234"))
    val okBody = """{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}""".toByteArray()

    println("camskit Kotlin benchmark: $ROUNDS rounds x $N calls after $WARMUP warm-up calls; JVM ${System.getProperty("java.version")}")
    bench("chatappMigrationRegister, 1.0, fixed time+nonce") { client.chatappMigrationRegister("29348393884", "8613800001234", fixed1).url.length }
    bench("chatappMigrationRegister, v3, fixed time+nonce") { client.chatappMigrationRegister("29348393884", "8613800001234", fixed3).url.length }
    bench("chatappMigrationRegister, 1.0, now + fresh UUID") { client.chatappMigrationRegister("29348393884", "8613800001234").url.length }
    bench("sign(action, map), 1.0, fixed time+nonce") { client.sign("ChatappMigrationRegister", params, fixed1).url.length }
    // The same request through the free function with one record (3 FFI crossings instead of 6).
    val key = AccessKey("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABCD".toByteArray())
    val fast1 = SignRequest(key, "ChatappMigrationRegister", params, fixed1)
    val fast3 = fast1.copy(options = fixed3)
    check(signRequest(fast1) == client.chatappMigrationRegister("29348393884", "8613800001234", fixed1))
    bench("signRequest(SignRequest), 1.0, fixed time+nonce") { signRequest(fast1).url.length }
    bench("signRequest(SignRequest), v3, fixed time+nonce") { signRequest(fast3).url.length }
    bench("parseResponse (success envelope)") { parseResponse(200, okBody).code.length }
    val creds = Credentials("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABCD")
    bench("FFI floor: credentials.hasSecurityToken() (no buffers)") { if (creds.hasSecurityToken()) 1 else 0 }
    bench("FFI floor: signatureVersionName(V1) (1 buffer in, 1 out)") { signatureVersionName(SignatureVersion.V1).length }
    // What each of those FFI calls allocates on the Kotlin side (uniffi's generated JNA code).
    bench("JNA cost: allocate one UniffiRustCallStatus (Structure)") { UniffiRustCallStatus().code.toInt() }
    bench("Kotlin-only RPC 1.0 (javax.crypto), no camskit") {
        kotlinOnlyV1("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABCD",
            mapOf("CustSpaceId" to "29348393884", "PhoneNumber" to "8613800001234"), "2025-07-14T08:00:00Z", "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21").length
    }
    println("(sink $sink)")
}

// A signing example that ships in the jar: `java -cp camskit-kotlin-0.1.0.jar:jna.jar:kotlin-stdlib.jar
// camskit.example.ExampleKt` signs step 4 of the WhatsApp number migration with a fixed time and
// nonce (the first case of tests/vectors/rpc-v1.json) and prints what an app would send. The native
// library comes out of the jar (JNA resource linux-x86-64/libcamskit_uniffi.so): no
// -Djna.library.path. With arguments `KEY_ID SECRET CUST_SPACE_ID PHONE` it signs those, now, with
// a fresh nonce.
package camskit.example

import camskit.CamsClient
import camskit.Credentials
import camskit.SignOptions
import camskit.SignTime

fun main(args: Array<String>) {
    val fixed = args.size < 4
    val (keyId, secret, custSpaceId, phone) =
        if (fixed) listOf("LTAI5tCamsKitVector01", "VectorSecret0123456789abcdefABC", "29348393884", "8613800001234")
        else args.toList()
    val client = CamsClient(Credentials(keyId, secret))
    val options = if (fixed) {
        SignOptions(timestamp = SignTime.Text("2025-07-14T08:00:00Z"), nonce = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21")
    } else {
        null
    }
    val signed = client.chatappMigrationRegister(custSpaceId, phone, options)
    println("method: ${signed.method}")
    println("url: ${signed.url}")
    for (h in signed.headersToSend) println("header: ${h.name}: ${h.value}")
    println("body: ${signed.body ?: ""}")
    println("string-to-sign: ${signed.stringToSign}")
    println("signature: ${signed.signature}")
    if (fixed) {
        // the JVM's fast path (one JNI call instead of uniffi's JNA crossings): the same request
        val request = camskit.SignRequest(
            camskit.AccessKey(keyId, secret.toByteArray()), "ChatappMigrationRegister",
            mapOf("CustSpaceId" to camskit.ParamValue.Text(custSpaceId), "PhoneNumber" to camskit.ParamValue.Text(phone)),
            options,
        )
        val fast = camskit.fast.FastSigner
        val same = fast.signRequest(request) == camskit.signRequest(request)
        println("fast path: ${if (fast.isNative) "JNI" else "uniffi (${fast.unavailableReason})"}, same request: $same")
    }
}

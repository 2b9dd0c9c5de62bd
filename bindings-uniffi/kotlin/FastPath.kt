// The JVM's fast path: `FastSigner.signRequest` and `FastSigner.parseResponse`, the same results
// (and the same CamsException) as uniffi's `signRequest` and `parseResponse` (and `FastReceipts`
// as uniffi's `parsePush` and `parseMnsBody`), through one JNI call each instead of uniffi's JNA
// crossings (which allocate JNA Structures and Memory objects that
// JNA tracks in a static map and frees through its cleaner thread: 40-55 µs a signing on a JVM
// against about 1 µs of Rust; see the README's performance notes).
//
// The native side is bindings-uniffi/src/jni.rs (cargo feature `jni`, on by default) in the same
// library JNA loads: it decodes the request into uniffi's own record and calls the very Rust
// functions uniffi exports, then encodes the record or error back. This file only converts:
// every decision (canonicalization, signing, endpoint, error kind, retry advice) is core's.
// Without the JNI entry points (a library built without the feature, or one of another frames
// version) FastSigner calls the uniffi functions instead: slower, never different.
package camskit.fast

import camskit.CamsException
import camskit.CamsResponse
import camskit.ErrorKind
import camskit.Delivery
import camskit.FfiConverterOptionalSequenceTypeDelivery
import camskit.FfiConverterSequenceTypeReceiptEvent
import camskit.FfiConverterString
import camskit.FfiConverterTypeCamsError
import camskit.HttpMethod
import camskit.NameValue
import camskit.ParamValue
import camskit.ReceiptEvent
import camskit.ReceiptsConsumer
import camskit.SignRequest
import camskit.SignTime
import camskit.SignatureVersion
import camskit.SignedRequest

/** The JNI entry points of libcamskit_uniffi (src/jni.rs). */
internal object CamsJni {
    /** The frames' layout this file speaks (src/jni.rs `FRAMES_VERSION`). */
    private const val FRAMES_VERSION = 4

    @JvmStatic external fun framesVersion(): Int

    /** Signs the first [length] bytes of [frames]; the answer is in [out] (returned) when it fits, else a new array. */
    @JvmStatic external fun sign(frames: ByteArray, length: Int, out: ByteArray): ByteArray?

    @JvmStatic external fun parse(status: Int, body: ByteArray): ByteArray?

    /** `parsePush` ([kind] 0) or `parseMnsBody` (1) of UTF-8 [body]: `0` + the events, or `1` + the error, in uniffi's serialization. */
    @JvmStatic external fun receipts(kind: Int, body: ByteArray, messageType: ByteArray?): ByteArray?

    /** `ReceiptsConsumer.next()` of the consumer [handle] (cloned for the call): `0` + `List<Delivery>?`, or `1` + the error. */
    @JvmStatic external fun consumerNext(handle: Long): ByteArray?

    /** `handled` ([kind] 0), `failed` (1) or `release` (2) of UTF-8 [messageId]: `0`, or `1` + the error. */
    @JvmStatic external fun consumerReport(handle: Long, kind: Int, messageId: ByteArray): ByteArray?

    /** Null when the entry points are usable; otherwise why not (the uniffi path is used). */
    @JvmField
    val unavailable: String? = load()

    private fun load(): String? = try {
        // the name uniffi's generated code gives JNA (findLibraryName), override included
        val name = System.getProperty("uniffi.component.camskit_uniffi.libraryOverride") ?: "camskit_uniffi"
        if (System.getProperty("java.vm.name") == "Dalvik") {
            // Android (ART says Dalvik): the library is in the APK's jniLibs, where JNA found it too
            System.loadLibrary(name)
        } else {
            // Let uniffi's JNA binding load the library first (from jna.library.path, or extracted
            // from the jar), then give the JVM that very file: one copy of the library, whatever
            // JNA found. Native.register's options are the class loader's, hence the same instance.
            camskit.maxResponseBytes()
            val loader = CamsResponse::class.java.classLoader
            val lib = com.sun.jna.NativeLibrary.getInstance(name, mapOf(com.sun.jna.Library.OPTION_CLASSLOADER to loader))
            val file = lib.file
            if (file != null && file.exists()) {
                System.load(file.absolutePath)
            } else {
                // JNA deletes a library it extracted from a jar right after loading it (a jar on
                // the class path, not Android): extract it again for the JVM, which maps a second
                // copy (~1.5 MB). The JNI entry points keep no state, so the copies need not share any.
                val copy = com.sun.jna.Native.extractFromResourcePath(name, loader)
                try {
                    System.load(copy.absolutePath)
                } finally {
                    copy.delete() // like JNA: the mapping outlives the file (Linux, macOS)
                }
            }
        }
        val v = framesVersion()
        if (v == FRAMES_VERSION) null else "the library speaks JNI frames version $v, this code $FRAMES_VERSION"
    } catch (e: Throwable) {
        // UnsatisfiedLinkError: a library built without the `jni` feature; anything else: no fast path
        e.toString()
    }
}

/**
 * Signing and parsing in one JNI call each: a drop-in for uniffi's `signRequest(SignRequest)` and
 * `parseResponse(status, body)` with equal results and the same exceptions, several times faster
 * on a JVM. The uniffi functions remain the reference API; `CamsClient` (credential chains,
 * clock-skew recovery, retries) still goes through uniffi.
 */
object FastSigner {
    /** Whether the JNI entry points are in use (else each call goes through uniffi, same results). */
    @JvmStatic
    val isNative: Boolean get() = CamsJni.unavailable == null

    /** Why the JNI entry points are not in use, or null when they are. */
    @JvmStatic
    val unavailableReason: String? get() = CamsJni.unavailable

    /**
     * The same as `camskit.signRequest(request)`: the same `SignedRequest`, or the same
     * `CamsException` (a bad key, an unknown action or parameter, a wrong type, ...).
     */
    @JvmStatic
    @Throws(CamsException::class)
    fun signRequest(request: SignRequest): SignedRequest {
        if (CamsJni.unavailable != null) return camskit.signRequest(request)
        val buffers = SignBuffers.get()
        val w = buffers.request
        val out = try {
            Frames.request(w, request)
            CamsJni.sign(w.array, w.size, buffers.answer)
        } finally {
            w.wipe() // the frames hold the secret (and the token)
        } ?: throw nullResult()
        if (out !== buffers.answer && out.size <= SignBuffers.MAX_KEPT) buffers.answer = out
        val r = FrameReader(out)
        if (r.byte() != 0) throw r.error()
        return r.signed()
    }

    /**
     * The same as `camskit.parseResponse(status, body)`: the same `CamsResponse`, or the same
     * `CamsException.Api` / `.Parse`.
     */
    @JvmStatic
    @Throws(CamsException::class)
    fun parseResponse(status: Int, body: ByteArray): CamsResponse {
        if (CamsJni.unavailable != null) return camskit.parseResponse(status, body)
        val out = CamsJni.parse(status, body) ?: throw nullResult()
        val r = FrameReader(out)
        if (r.byte() != 0) throw r.error()
        return CamsResponse(
            status = r.int(),
            requestId = r.strOrNull(),
            code = r.str(),
            message = r.strOrNull(),
            accessDeniedDetail = r.strOrNull(),
            dataJson = r.strOrNull(),
            bodyJson = r.str(),
        )
    }

    // a JNI failure leaves its exception pending (thrown before this); a null without one is a
    // panic caught at the boundary
    private fun nullResult() = CamsException.Internal("the JNI fast path returned nothing (a panic in camskit)")
}

/**
 * Receipts in one JNI call each: drop-ins for uniffi's `parsePush` and `parseMnsBody`, and for a
 * `ReceiptsConsumer`'s `next`, `handled`, `failed` and `release`, with equal results and the same
 * exceptions (the same Rust functions run), several times faster on a JVM. The answers come back
 * in uniffi's own serialization and are read by the generated converters, so the records are
 * built exactly as the uniffi functions build them.
 *
 * ```kotlin
 * val events = FastReceipts.parsePush(body, "ChatAppStatus")
 *
 * ReceiptsConsumer(client, transport, options).use { consumer ->
 *     while (true) {
 *         val batch = FastReceipts.next(consumer) ?: break
 *         for (d in batch) {
 *             if (handle(d)) FastReceipts.handled(consumer, d.messageId) else FastReceipts.failed(consumer, d.messageId)
 *         }
 *     }
 * }
 * ```
 */
object FastReceipts {
    /** Whether the JNI entry points are in use (else each call goes through uniffi, same results). */
    @JvmStatic
    val isNative: Boolean get() = CamsJni.unavailable == null

    /** The same as `camskit.parsePush(body, messageType)`: the same events, or the same `CamsException`. */
    @JvmStatic
    @JvmOverloads
    @Throws(CamsException::class)
    fun parsePush(body: String, messageType: String? = null): List<ReceiptEvent> =
        if (CamsJni.unavailable != null) camskit.parsePush(body, messageType) else parse(0, body, messageType)

    /** The same as `camskit.parseMnsBody(body, messageType)`: the same events, or the same `CamsException`. */
    @JvmStatic
    @JvmOverloads
    @Throws(CamsException::class)
    fun parseMnsBody(body: String, messageType: String? = null): List<ReceiptEvent> =
        if (CamsJni.unavailable != null) camskit.parseMnsBody(body, messageType) else parse(1, body, messageType)

    /**
     * The same as `consumer.next()` (core's consumer driven over the consumer's `HttpTransport`,
     * the same Rust method runs), with the batch crossing in one JNI call; `null` once stopped.
     * Use it with [handled] / [failed] / [release] below, or the consumer's own methods: both
     * act on the one consumer.
     */
    @JvmStatic
    @Throws(CamsException::class)
    fun next(consumer: ReceiptsConsumer): List<Delivery>? {
        if (CamsJni.unavailable != null) return consumer.next()
        // callWithHandle: the generated code's guard (the object is not freed during the call)
        // and a clone of its handle, which the native side takes over as uniffi's scaffolding does
        val out = consumer.callWithHandle { CamsJni.consumerNext(it) } ?: throw nullResult()
        return answer(out) { FfiConverterOptionalSequenceTypeDelivery.read(it) }
    }

    /** The same as `consumer.handled(messageId)`, in one JNI call. */
    @JvmStatic
    @Throws(CamsException::class)
    fun handled(consumer: ReceiptsConsumer, messageId: String) = report(consumer, 0, messageId)

    /** The same as `consumer.failed(messageId)`, in one JNI call. */
    @JvmStatic
    @Throws(CamsException::class)
    fun failed(consumer: ReceiptsConsumer, messageId: String) = report(consumer, 1, messageId)

    /** The same as `consumer.release(messageId)`, in one JNI call. */
    @JvmStatic
    @Throws(CamsException::class)
    fun release(consumer: ReceiptsConsumer, messageId: String) = report(consumer, 2, messageId)

    private fun report(consumer: ReceiptsConsumer, kind: Int, messageId: String) {
        if (CamsJni.unavailable != null) {
            when (kind) {
                0 -> consumer.handled(messageId)
                1 -> consumer.failed(messageId)
                else -> consumer.release(messageId)
            }
            return
        }
        val id = utf8(messageId) // throws as uniffi would, before a handle is cloned
        val out = consumer.callWithHandle { CamsJni.consumerReport(it, kind, id) } ?: throw nullResult()
        answer(out) { }
    }

    private fun parse(kind: Int, body: String, messageType: String?): List<ReceiptEvent> {
        val out = CamsJni.receipts(kind, utf8(body), messageType?.let(::utf8)) ?: throw nullResult()
        return answer(out) { FfiConverterSequenceTypeReceiptEvent.read(it) }
    }

    /** `0` then what [read] reads, or `1` then the `CamsException` (uniffi's serialization both). */
    private inline fun <T> answer(out: ByteArray, read: (java.nio.ByteBuffer) -> T): T {
        if (out.isEmpty()) throw malformed()
        val buf = java.nio.ByteBuffer.wrap(out, 1, out.size - 1)
        val value = when (out[0].toInt()) {
            0 -> read(buf)
            1 -> throw FfiConverterTypeCamsError.read(buf).also { if (buf.hasRemaining()) throw malformed() }
            else -> throw malformed()
        }
        if (buf.hasRemaining()) throw malformed()
        return value
    }

    private fun nullResult() = CamsException.Internal("the JNI fast path returned nothing (a panic in camskit)")

    private fun malformed() = CamsException.Internal("malformed JNI frames (camskit's FastPath.kt and its library disagree)")
}

/** Writes the frames src/jni.rs reads (its module documentation describes them). */
private object Frames {
    fun request(w: FrameWriter, q: SignRequest) {
        w.str(q.key.accessKeyId)
        w.bytes(q.key.accessKeySecret)
        w.bytes(q.key.securityToken)
        w.str(q.action)
        w.params(q.params)
        val o = q.options
        if (o == null) {
            w.byte(0)
        } else {
            w.byte(1)
            w.byte(when (o.method) { null -> 0; HttpMethod.GET -> 1; HttpMethod.POST -> 2 })
            w.byte(when (o.signature) { null -> 0; SignatureVersion.V1 -> 1; SignatureVersion.V3 -> 2 })
            when (val t = o.timestamp) {
                null -> w.byte(0)
                is SignTime.Unix -> { w.byte(1); w.long(t.seconds.toRawBits()) }
                is SignTime.Text -> { w.byte(2); w.str(t.text) }
            }
            w.str(o.nonce)
            w.int(o.headers.size)
            for (h in o.headers) { w.str(h.name); w.str(h.value) }
            w.byte(if (o.raw) 1 else 0)
            w.str(o.apiVersion)
            w.params(o.form)
        }
        w.str(q.region)
        w.str(q.endpoint)
    }
}

/**
 * Each thread's buffers for signing, kept between calls: the request's frames (wiped after
 * each call) and the answer's, which the native side writes into when it fits.
 */
private class SignBuffers {
    val request = FrameWriter()
    var answer = ByteArray(2048)

    companion object {
        /** A larger answer (a big form body) comes in a new array that is not kept. */
        const val MAX_KEPT = 64 * 1024
        private val local = ThreadLocal.withInitial { SignBuffers() }
        fun get(): SignBuffers = local.get()
    }
}

private class FrameWriter {
    private var buf = ByteArray(512)
    private var n = 0

    /** The frames written so far are the first [size] bytes of [array]. */
    val array: ByteArray get() = buf
    val size: Int get() = n

    /** Zeroes what was written and starts over (a grown buffer beyond 64 KB is dropped). */
    fun wipe() {
        java.util.Arrays.fill(buf, 0, n, 0)
        n = 0
        if (buf.size > 64 * 1024) buf = ByteArray(512)
    }

    private fun room(k: Int) {
        if (n + k > buf.size) {
            val old = buf
            buf = old.copyOf(maxOf(old.size * 2, n + k))
            java.util.Arrays.fill(old, 0, n, 0)
        }
    }

    fun byte(b: Int) { room(1); buf[n++] = b.toByte() }

    fun int(v: Int) {
        room(4)
        buf[n] = v.toByte(); buf[n + 1] = (v shr 8).toByte(); buf[n + 2] = (v shr 16).toByte(); buf[n + 3] = (v shr 24).toByte()
        n += 4
    }

    fun long(v: Long) { int(v.toInt()); int((v ushr 32).toInt()) }

    fun bytes(b: ByteArray?) {
        if (b == null) return int(-1)
        int(b.size)
        room(b.size)
        System.arraycopy(b, 0, buf, n, b.size)
        n += b.size
    }

    fun str(s: String?) {
        if (s == null) return int(-1)
        // ASCII (the usual case) is written as it is read; anything else goes through utf8()
        val len = s.length
        room(4 + len)
        val at = n + 4
        for (i in 0 until len) {
            val c = s[i].code
            if (c >= 0x80) return bytes(utf8(s))
            buf[at + i] = c.toByte()
        }
        int(len)
        n += len
    }

    fun params(map: Map<String, ParamValue>) {
        int(map.size)
        for ((name, v) in map) {
            str(name)
            when (v) {
                is ParamValue.Text -> { byte(0); str(v.value) }
                is ParamValue.Integer -> { byte(1); long(v.value) }
                is ParamValue.Boolean -> { byte(2); byte(if (v.value) 1 else 0) }
                is ParamValue.Number -> { byte(3); long(v.value.toRawBits()) }
                ParamValue.Null -> byte(4)
                is ParamValue.Json -> { byte(5); str(v.json) }
            }
        }
    }
}

/** UTF-8 as uniffi lowers a string: text with a lone surrogate throws as it does there. */
private fun utf8(s: String): ByteArray {
    for (c in s) {
        if (Character.isSurrogate(c)) {
            val b = FfiConverterString.toUtf8(s)
            return ByteArray(b.remaining()).also { b.get(it) }
        }
    }
    return s.toByteArray(Charsets.UTF_8)
}

/** Reads the frames src/jni.rs writes. */
private class FrameReader(private val b: ByteArray) {
    private var p = 0

    fun byte(): Int = b[p++].toInt() and 0xff

    fun int(): Int {
        val v = (b[p].toInt() and 0xff) or ((b[p + 1].toInt() and 0xff) shl 8) or
            ((b[p + 2].toInt() and 0xff) shl 16) or ((b[p + 3].toInt() and 0xff) shl 24)
        p += 4
        return v
    }

    fun strOrNull(): String? {
        val len = int()
        if (len == -1) return null
        val s = String(b, p, len, Charsets.UTF_8)
        p += len
        return s
    }

    fun str(): String = strOrNull() ?: throw CamsException.Internal("malformed JNI frames: a missing string")

    /**
     * The signed request after the `0` (src/jni.rs `Writer::signed`): the method as a byte,
     * header names as indices into [HEADER_NAMES], `headersToSend` as indices into `headers`
     * (the same strings), the timestamp and nonce possibly as a header's index.
     */
    fun signed(): SignedRequest {
        val method = when (byte()) { 1 -> "GET"; 2 -> "POST"; else -> throw malformed() }
        val url = str()
        val count = int()
        val names = arrayOfNulls<String>(count)
        val values = arrayOfNulls<String>(count)
        val headers = ArrayList<NameValue>(count)
        for (i in 0 until count) {
            val name = headerName()
            val value = str()
            names[i] = name
            values[i] = value
            headers.add(NameValue(name, value))
        }
        val toSend = int()
        val headersToSend = ArrayList<NameValue>(toSend)
        for (i in 0 until toSend) {
            val at = int()
            headersToSend.add(
                if (at == -1) NameValue(headerName(), str()) else NameValue(names[at]!!, values[at]!!),
            )
        }
        return SignedRequest(
            method = method,
            url = url,
            headers = headers,
            headersToSend = headersToSend,
            body = strOrNull(),
            canonicalQuery = str(),
            canonicalRequest = strOrNull(),
            stringToSign = str(),
            signature = str(),
            signatureVersion = if (byte() == 2) SignatureVersion.V3 else SignatureVersion.V1,
            timestamp = strOrHeader(values),
            nonce = strOrHeader(values),
        )
    }

    private fun headerName(): String {
        val i = byte()
        return if (i == LITERAL) str() else HEADER_NAMES[i]
    }

    /** A string, or (its length's top bit set) the value of the header at that index. */
    private fun strOrHeader(values: Array<String?>): String {
        val len = int()
        if (len < -1) return values[len and Int.MAX_VALUE] ?: throw malformed()
        p -= 4
        return str()
    }

    private fun malformed() = CamsException.Internal("malformed JNI frames (camskit's FastPath.kt and its library disagree)")

    private companion object {
        /** src/jni.rs `HEADER_NAMES`, in its order. */
        val HEADER_NAMES = arrayOf(
            "host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
            "x-acs-content-sha256", "authorization", "content-type", "x-acs-accesskey-id",
            "x-acs-security-token",
        )
        const val LITERAL = 0xff
    }

    /** The error after the `1`: the uniffi-generated exception with the same fields. */
    fun error(): CamsException = when (byte()) {
        1 -> CamsException.Api(
            status = int(),
            code = str(),
            errorMessage = str(),
            requestId = strOrNull(),
            hostId = strOrNull(),
            recommend = strOrNull(),
            accessDeniedDetail = strOrNull(),
            kind = ErrorKind.values()[byte()],
            retryable = byte() != 0,
            serverStringToSign = strOrNull(),
            description = str(),
        )
        2 -> CamsException.Validation(
            code = str(),
            errorMessage = str(),
            action = strOrNull(),
            parameter = strOrNull(),
            suggestions = List(int()) { str() },
        )
        3 -> CamsException.Parse(status = int(), reason = str(), snippet = str())
        4 -> CamsException.Credentials(errorMessage = str())
        5 -> CamsException.Transport(reason = str(), outcomeUnknown = byte() != 0)
        else -> CamsException.Internal(errorMessage = str())
    }
}

// SuspendTransport adapters for the two HTTP clients a Kotlin app has: OkHttp (Android, JVM) and
// java.net.http (JVM 11+). Ship next to the generated camskit/camskit_uniffi.kt: same package.
// OkHttpTransport needs com.squareup.okhttp3:okhttp (an optional dependency of camskit-kotlin).
// Both say honestly how a request failed (TransportException), never follow a redirect, read at
// most `maxBodyBytes`, and cancel the request in flight when the coroutine is cancelled.
package camskit

import kotlinx.coroutines.future.await
import kotlinx.coroutines.suspendCancellableCoroutine
import okhttp3.Call
import okhttp3.Callback
import okhttp3.MediaType.Companion.toMediaTypeOrNull
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import okhttp3.Response
import java.io.IOException
import java.io.InterruptedIOException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.SocketTimeoutException
import java.net.URI
import java.net.UnknownHostException
import java.net.http.HttpClient
import java.net.http.HttpConnectTimeoutException
import java.net.http.HttpTimeoutException
import java.time.Duration
import java.util.concurrent.CompletionException
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLHandshakeException
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import java.net.http.HttpRequest as JavaRequest
import java.net.http.HttpResponse as JavaResponse

/**
 * Sends with OkHttp, suspending (`enqueue`; a cancelled coroutine cancels the OkHttp call). The
 * [client] must not follow redirects (checked): a 3xx comes back to camskit, which names where
 * it pointed. Each request's `timeoutMs` bounds the whole exchange (OkHttp's call timeout), and
 * OkHttp's own re-sending after a dropped connection is turned off (`retryOnConnectionFailure`):
 * whether a request may be sent again is camskit's decision (a write is never re-sent once it
 * may have taken effect).
 */
class OkHttpTransport @JvmOverloads constructor(
    private val client: OkHttpClient = defaultClient(),
) : SuspendTransport {
    init {
        require(!client.followRedirects && !client.followSslRedirects) {
            "camskit needs an OkHttpClient that never follows redirects: followRedirects(false).followSslRedirects(false)"
        }
    }

    override suspend fun send(request: HttpRequest): HttpResponse {
        val built = try {
            val b = Request.Builder().url(request.url)
            for (h in request.headers) b.header(h.name, h.value)
            // Bytes with the signed content type as is (a String body would get "; charset=utf-8").
            val contentType = request.headers.firstOrNull { it.name.equals("content-type", true) }?.value
            val body = request.body?.toByteArray()?.toRequestBody(contentType?.toMediaTypeOrNull())
            b.method(request.method, body ?: if (request.method == "GET") null else ByteArray(0).toRequestBody(null))
            b.build()
        } catch (e: Exception) {
            throw TransportException.RefusedBeforeSend("the request cannot be built: ${e.message}")
        }
        val timeoutMs = request.timeoutMs.coerceAtMost(Int.MAX_VALUE.toULong()).toLong()
        // OkHttp re-sends on its own after a dropped connection unless told not to: a write could
        // take effect twice. camskit's machine decides what is safe to re-send, so never OkHttp.
        val call = client.newBuilder()
            .retryOnConnectionFailure(false)
            .callTimeout(timeoutMs, TimeUnit.MILLISECONDS)
            .build()
            .newCall(built)
        val response = suspendCancellableCoroutine { cont ->
            cont.invokeOnCancellation { call.cancel() }
            call.enqueue(object : Callback {
                override fun onResponse(call: Call, response: Response) = cont.resume(response)
                override fun onFailure(call: Call, e: IOException) = cont.resumeWithException(failure(e, timeoutMs))
            })
        }
        val limit = request.maxBodyBytes.coerceAtMost(Int.MAX_VALUE.toULong()).toInt()
        return response.use { r ->
            val body = try {
                r.body.byteStream().use { it.readNBytes(limit) }
            } catch (e: IOException) {
                throw TransportException.ResetAfterSend("reading the answer failed: ${e.message}")
            }
            HttpResponse(r.code, r.headers.map { NameValue(it.first, it.second) }, body)
        }
    }

    companion object {
        /** No redirects, a 10 s connect timeout. */
        @JvmStatic
        fun defaultClient(): OkHttpClient = OkHttpClient.Builder()
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(10, TimeUnit.SECONDS)
            .build()

        /** How OkHttp's failure maps to camskit's: could it have been sent? */
        internal fun failure(e: IOException, timeoutMs: Long): TransportException = when (e) {
            is ConnectException -> TransportException.RefusedBeforeSend("cannot connect: ${e.message}")
            is UnknownHostException -> TransportException.RefusedBeforeSend("cannot resolve: ${e.message}")
            is NoRouteToHostException -> TransportException.RefusedBeforeSend("no route: ${e.message}")
            is SSLHandshakeException -> TransportException.HandshakeFailed("${e.message}")
            is SocketTimeoutException -> if (e.message?.contains("connect") == true)
                TransportException.RefusedBeforeSend("connect timed out: ${e.message}")
            else TransportException.TimedOut("no answer within $timeoutMs ms")
            is InterruptedIOException -> TransportException.TimedOut("no answer within $timeoutMs ms (${e.message})")
            else -> TransportException.ResetAfterSend("${e.javaClass.simpleName}: ${e.message}")
        }
    }
}

/**
 * Sends with a `java.net.http.HttpClient`, suspending (`sendAsync`; a cancelled coroutine
 * cancels the future). The [client] must never follow redirects (checked).
 */
class JavaNetSuspendTransport @JvmOverloads constructor(
    private val client: HttpClient = JavaNetTransport.defaultClient(),
) : SuspendTransport {
    init {
        require(client.followRedirects() == HttpClient.Redirect.NEVER) {
            "camskit needs an HttpClient that never follows redirects: followRedirects(HttpClient.Redirect.NEVER)"
        }
    }

    override suspend fun send(request: HttpRequest): HttpResponse {
        val wait = Duration.ofMillis(request.timeoutMs.coerceAtMost(Long.MAX_VALUE.toULong()).toLong())
        val built = try {
            val b = JavaRequest.newBuilder(URI(request.url)).timeout(wait)
            for (h in request.headers) b.header(h.name, h.value)
            val body = request.body?.let { JavaRequest.BodyPublishers.ofString(it) } ?: JavaRequest.BodyPublishers.noBody()
            b.method(request.method, body).build()
        } catch (e: Exception) {
            throw TransportException.RefusedBeforeSend("the request cannot be built: ${e.message}")
        }
        val response = try {
            client.sendAsync(built, JavaResponse.BodyHandlers.ofInputStream()).await()
        } catch (e: CompletionException) {
            throw failure(e.cause ?: e, wait)
        } catch (e: IOException) {
            throw failure(e, wait)
        }
        val limit = request.maxBodyBytes.coerceAtMost(Int.MAX_VALUE.toULong()).toInt()
        val body = try {
            response.body().use { it.readNBytes(limit) }
        } catch (e: IOException) {
            throw TransportException.ResetAfterSend("reading the answer failed: ${e.message}")
        }
        val headers = response.headers().map().flatMap { (name, values) -> values.map { NameValue(name, it) } }
        return HttpResponse(response.statusCode(), headers, body)
    }

    private fun failure(e: Throwable, wait: Duration): TransportException = when (e) {
        is HttpConnectTimeoutException -> TransportException.RefusedBeforeSend("connect timed out: ${e.message}")
        is HttpTimeoutException -> TransportException.TimedOut("no answer within $wait")
        is ConnectException -> TransportException.RefusedBeforeSend("cannot connect: ${e.message ?: e.cause}")
        is UnknownHostException -> TransportException.RefusedBeforeSend("cannot resolve: ${e.message}")
        is NoRouteToHostException -> TransportException.RefusedBeforeSend("no route: ${e.message}")
        is SSLHandshakeException -> TransportException.HandshakeFailed("${e.message}")
        else -> TransportException.ResetAfterSend("${e.javaClass.simpleName}: ${e.message}")
    }
}

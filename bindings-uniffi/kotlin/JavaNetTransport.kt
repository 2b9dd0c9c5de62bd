// camskit's HttpTransport on java.net.http (JVM 11+; Android has no java.net.http: implement
// HttpTransport on OkHttp there, see the README). Ship it next to the generated
// camskit/camskit_uniffi.kt: same package.
package camskit

import java.io.IOException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.URI
import java.net.UnknownHostException
import java.net.http.HttpClient
import java.net.http.HttpConnectTimeoutException
import java.net.http.HttpTimeoutException
import java.time.Duration
import javax.net.ssl.SSLHandshakeException
import java.net.http.HttpRequest as JavaRequest
import java.net.http.HttpResponse as JavaResponse

/**
 * Sends camskit's requests with a `java.net.http.HttpClient` that **never follows redirects**
 * (a 3xx comes back to camskit, which reports where it pointed: following it would carry the
 * credentials to another host), reads at most `request.maxBodyBytes` of a body, and says
 * honestly whether a failed request could have been sent:
 *
 * - could not connect (refused, unresolvable name, connect timeout, a URL the client refuses)
 *   → [TransportException.RefusedBeforeSend] (camskit may re-send it);
 * - the TLS handshake failed → [TransportException.HandshakeFailed] (nothing sent, not re-sent);
 * - no answer within the request's `timeoutMs` (core's choice per purpose: 1 s for the ECS
 *   metadata service, 10 s for the rest), or within [timeout] when given →
 *   [TransportException.TimedOut];
 * - anything else after connecting (reset, closed without an answer, a broken body) →
 *   [TransportException.ResetAfterSend].
 *
 * `send` blocks (camskit's `call` runs on the caller's thread): call camskit off a UI thread.
 * Pass your own [client] to set a proxy, an executor or TLS; it must have
 * `followRedirects(HttpClient.Redirect.NEVER)` (checked).
 */
class JavaNetTransport @JvmOverloads constructor(
    private val client: HttpClient = defaultClient(),
    /** The longest wait for an answer, per attempt, for every request; `null`: each request's `timeoutMs`. */
    private val timeout: Duration? = null,
) : HttpTransport {
    init {
        require(client.followRedirects() == HttpClient.Redirect.NEVER) {
            "camskit needs an HttpClient that never follows redirects: followRedirects(HttpClient.Redirect.NEVER)"
        }
    }

    override fun send(request: HttpRequest): HttpResponse {
        val wait = timeout ?: Duration.ofMillis(request.timeoutMs.coerceAtMost(Long.MAX_VALUE.toULong()).toLong())
        val built = try {
            val b = JavaRequest.newBuilder(URI(request.url)).timeout(wait)
            for (h in request.headers) b.header(h.name, h.value)
            val body = request.body?.let { JavaRequest.BodyPublishers.ofString(it) }
                ?: JavaRequest.BodyPublishers.noBody()
            b.method(request.method, body).build()
        } catch (e: Exception) {
            // A URL or header the client refuses: nothing was sent.
            throw TransportException.RefusedBeforeSend("the request cannot be built: ${e.message}")
        }
        val response = try {
            client.send(built, JavaResponse.BodyHandlers.ofInputStream())
        } catch (e: HttpConnectTimeoutException) {
            throw TransportException.RefusedBeforeSend("connect timed out: ${e.message}")
        } catch (e: HttpTimeoutException) {
            throw TransportException.TimedOut("no answer within $wait")
        } catch (e: ConnectException) {
            throw TransportException.RefusedBeforeSend("cannot connect: ${e.message ?: e.cause}")
        } catch (e: UnknownHostException) {
            throw TransportException.RefusedBeforeSend("cannot resolve: ${e.message}")
        } catch (e: NoRouteToHostException) {
            throw TransportException.RefusedBeforeSend("no route: ${e.message}")
        } catch (e: SSLHandshakeException) {
            throw TransportException.HandshakeFailed("${e.message}")
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt()
            throw TransportException.ResetAfterSend("interrupted while waiting for the answer")
        } catch (e: IOException) {
            throw TransportException.ResetAfterSend("${e.javaClass.simpleName}: ${e.message}")
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

    companion object {
        /** HTTP/1.1, no redirects, a 10 s connect timeout. */
        @JvmStatic
        fun defaultClient(connectTimeout: Duration = Duration.ofSeconds(10)): HttpClient = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build()
    }
}

// camskit's calls from coroutines (JVM and Android), over an HTTP client that suspends. Ship it
// next to the generated camskit/camskit_uniffi.kt: same package. Needs kotlinx-coroutines-core.
//
// The call machine is core's (PendingCall: the same one `call` runs in a blocking loop): it says
// send, wait or done; this file sends with the app's client (SuspendTransport: OkHttpTransport,
// JavaNetSuspendTransport), waits with `delay`, and maps a cancelled coroutine to core's cancel,
// which decides the outcome (a write already on the wire: unknown).
package camskit

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.withContext

/**
 * An HTTP client that suspends: send camskit's [HttpRequest] (method, url, headers, body; never
 * follow a redirect; read at most `maxBodyBytes`; give up after `timeoutMs`) and return the
 * answer, or throw the [TransportException] that says how it failed (as [HttpTransport.send]).
 * Any other exception counts as a reset after send. Cancel the in-flight request when the
 * coroutine is cancelled.
 */
fun interface SuspendTransport {
    suspend fun send(request: HttpRequest): HttpResponse
}

/**
 * The coroutine was cancelled during a camskit call. [outcome] is core's verdict on the call
 * (`outcomeUnknown`: a write was on the wire and may have taken effect; otherwise nothing took
 * effect, or the operation only reads). Catch it inside the cancelled coroutine (around the
 * call), where it passes through; outside, kotlinx.coroutines reports the job's own
 * cancellation instead.
 */
class CamsCallCancelledException(
    val outcome: CamsException.Transport?,
    cause: CancellationException,
) : CancellationException("camskit call cancelled: ${outcome?.message ?: cause.message}") {
    init {
        initCause(cause)
    }
}

/**
 * [CamsClient.call] as a suspending function over [transport]: the same machine (retries,
 * backoff, clock-skew recovery, nothing re-sent that may have taken effect), the waits as
 * `delay`, each attempt sent with the app's client. Throws what `call` throws; a cancelled
 * coroutine cancels core's call and throws [CamsCallCancelledException].
 */
suspend fun CamsClient.callSuspending(
    action: String,
    params: Map<String, ParamValue>,
    transport: SuspendTransport,
    options: CallOptions? = null,
): CamsResponse {
    // the credentials chain may fetch credentials here (blocking I/O)
    val pending = withContext(Dispatchers.IO) { startCall(action, params, options) }
    try {
        while (true) {
            when (val step = pending.poll()) {
                is CallStep.Send -> {
                    val answer = try {
                        transport.send(step.request)
                    } catch (e: TransportException) {
                        pending.onTransportError(e)
                        continue
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        // what HttpTransport's unclassified exceptions are: a reset after send
                        pending.onTransportError(TransportException.ResetAfterSend("the transport failed: $e"))
                        continue
                    }
                    pending.onResponse(answer)
                }
                is CallStep.Wait -> delay(step.millis.coerceAtMost(Long.MAX_VALUE.toULong()).toLong())
                is CallStep.Done -> return step.response
            }
        }
    } catch (e: CancellationException) {
        pending.cancel(e.message ?: "the coroutine was cancelled")
        val outcome = try {
            pending.poll()
            null
        } catch (t: CamsException.Transport) {
            t
        }
        throw CamsCallCancelledException(outcome, e)
    } finally {
        pending.destroy()
    }
}

/** A [SuspendTransport] as the blocking [HttpTransport] `pages` drives (on its own thread). */
fun SuspendTransport.blocking(): HttpTransport = object : HttpTransport {
    override fun send(request: HttpRequest): HttpResponse = runBlocking { this@blocking.send(request) }
}

/**
 * The pages of a walk as a [Flow]: each page one `call` on [Dispatchers.IO] (the walk is core's,
 * blocking); cancelling the collector interrupts the page in flight.
 */
fun PageWalk.asFlow(): Flow<Page> = flow {
    while (true) {
        val page = runInterruptible { nextPage() } ?: break
        emit(page)
    }
}.flowOn(Dispatchers.IO)

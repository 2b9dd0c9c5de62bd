// Kotlin idioms over camskit's receipts consumer (JVM and Android). Ship it next to the
// generated camskit/camskit_uniffi.kt: same package. Every decision (what to send, when to
// delete, back off, stop) is core's; these only call the handler and report what it did.
package camskit

import camskit.fast.FastReceipts

/**
 * Runs [handler] on every delivery until the consumer is over (`next()` returns `null` after
 * [ReceiptsConsumer.stop]): a delivery whose handler returns is reported `handled` (and so
 * deleted), one whose handler throws is reported `failed` (it comes back after its
 * visibility timeout), and the exception is rethrown — the rest of that batch, never handed
 * to the handler, is released first (core's `release`: visible again at once), so calling
 * `forEach` again resumes cleanly. Blocks the calling thread.
 */
fun ReceiptsConsumer.forEach(handler: (Delivery) -> Unit) {
    // FastReceipts: the same consumer methods, each one JNI call instead of uniffi's JNA
    // crossings (kotlin/FastPath.kt; uniffi's when the library has no JNI entry points)
    while (true) {
        val batch = FastReceipts.next(this) ?: return
        for ((i, delivery) in batch.withIndex()) {
            try {
                handler(delivery)
            } catch (e: Throwable) {
                runCatching { FastReceipts.failed(this, delivery.messageId) }
                for (rest in batch.subList(i + 1, batch.size)) {
                    runCatching { FastReceipts.release(this, rest.messageId) }
                }
                throw e
            }
            FastReceipts.handled(this, delivery.messageId)
        }
    }
}

/** The deliveries as a lazy sequence (each batch is one blocking `next()`); report each yourself. */
fun ReceiptsConsumer.deliveries(): Sequence<Delivery> =
    generateSequence { FastReceipts.next(this) }.flatMap { it.asSequence() }

/** The event inside, whatever its type: the dedup key every event has. */
val ReceiptEvent.dedupKey: String
    get() = when (this) {
        is ReceiptEvent.Status -> event.dedupKey
        is ReceiptEvent.Inbound -> event.dedupKey
        is ReceiptEvent.Audit -> event.dedupKey
        is ReceiptEvent.Other -> dedupKey
    }

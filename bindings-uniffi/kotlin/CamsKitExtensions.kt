// Kotlin idioms over camskit's generated bindings (JVM and Android). Ship it next to the
// generated camskit/camskit_uniffi.kt: same package.
package camskit

import java.util.logging.Level
import java.util.logging.Logger

/** The pages of a [PageWalk] as a lazy sequence: each element is one `call` (blocking). */
fun PageWalk.asSequence(): Sequence<Page> = generateSequence { nextPage() }

/**
 * The items of every page, each as JSON text, lazily. Throws [IllegalStateException] for an
 * operation whose items camskit cannot locate (iterate [asSequence] and read the bodies).
 */
fun PageWalk.items(): Sequence<String> = asSequence().flatMap { page ->
    (page.itemsJson ?: throw IllegalStateException("camskit does not know where this operation's items are: read page.response.bodyJson"))
        .asSequence()
}

/** A [CamsLogger] on `java.util.logging` (logger `camskit`): retries at INFO, warnings at WARNING. */
class JavaLoggingLogger @JvmOverloads constructor(
    private val logger: Logger = Logger.getLogger("camskit"),
) : CamsLogger {
    override fun retry(attempt: UInt, reason: String, delayMs: ULong) {
        logger.log(Level.INFO, "attempt {0} failed: {1}; retrying in {2} ms", arrayOf<Any>(attempt.toString(), reason, delayMs.toString()))
    }

    override fun warning(message: String) {
        logger.log(Level.WARNING, message)
    }
}

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

// Reading one field of an answer by path (`Data.List[0].Name`) with an exact type, for the
// operations without a typed record. The lookup is camskit's (Rust): these only pass bodyJson.
// A path that is not there, or a value of another type, throws CamsException.Validation whose
// `parameter` is the path (`code`: missing_field, wrong_field_type, invalid_path).

/** The value at [path] of the answer's body: `JsonValue.Integer(value: Long)`, `.Text`, `.Json`, ... */
fun CamsResponse.field(path: String): JsonValue = jsonField(bodyJson, path)

/** The integer at [path], exact to 64 bits (an id beyond 2^53 is not rounded). */
fun CamsResponse.long(path: String): Long = jsonLong(bodyJson, path)

/** The string at [path]. */
fun CamsResponse.string(path: String): String = jsonString(bodyJson, path)

/** The number at [path] (an integer too). */
fun CamsResponse.double(path: String): Double = jsonDouble(bodyJson, path)

/** The boolean at [path]. */
fun CamsResponse.boolean(path: String): Boolean = jsonBoolean(bodyJson, path)

// The migration steps' answers are generated typed answers like every other
// (`CreateChatappMigrationInitiateAnswer`, ...: every field optional, `extraJson` with what the
// official model does not declare). The names of the hand-written records they replace, kept so that
// code written against them compiles; the shape changed (see bindings-uniffi/README.md).

@Deprecated("generated typed answer", ReplaceWith("CreateChatappMigrationInitiateAnswer"))
typealias CreateChatappMigrationInitiateResponse = CreateChatappMigrationInitiateAnswer

@Deprecated("generated typed answer", ReplaceWith("GetMigrationVerifyCodeAnswer"))
typealias GetMigrationVerifyCodeResponse = GetMigrationVerifyCodeAnswer

@Deprecated("generated typed answer", ReplaceWith("ChatappMigrationVerifiedAnswer"))
typealias ChatappMigrationVerifiedResponse = ChatappMigrationVerifiedAnswer

@Deprecated("generated typed answer", ReplaceWith("ChatappMigrationRegisterAnswer"))
typealias ChatappMigrationRegisterResponse = ChatappMigrationRegisterAnswer

@Deprecated("generated typed answer", ReplaceWith("CreateChatappMigrationInitiateData"))
typealias MigrationInitiateData = CreateChatappMigrationInitiateData

/** Step 2's `Data`; step 3's is [ChatappMigrationVerifiedData] (the same fields). */
@Deprecated("generated typed answer", ReplaceWith("GetMigrationVerifyCodeData"))
typealias MigrationData = GetMigrationVerifyCodeData

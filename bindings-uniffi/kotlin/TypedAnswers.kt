// Reading any operation's answer as its generated Kotlin type (generated/CamsAnswers.kt:
// kotlinx.serialization data classes, every field optional, every integer a Long, exact). The body
// is the one core has already checked (`parseResponse`: status, envelope, error kinds); these
// only decode CamsResponse.bodyJson in Kotlin, so the native library carries no code for them.
//
//     val answer = CamsAnswers.ListChatappTemplate.parse(status, bodyBytes)   // or:
//     val answer = response.answer(CamsAnswers.ListChatappTemplate)          // from call / pages
//     val time: Long? = answer.listTemplate?.firstOrNull()?.lastUpdateTime
package camskit.answers

import camskit.CamsException
import camskit.CamsResponse
import camskit.parseResponse
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json

/** How camskit reads answers: fields the model does not declare are skipped (CAMS adds fields). */
val CamsAnswerJson: Json = Json { ignoreUnknownKeys = true }

/** One operation's answer type: its [action] and the [serializer] of its data class. */
class CamsAnswer<T : Any> internal constructor(val action: String, val serializer: KSerializer<T>) {
    /**
     * The typed answer of [response] (from `parseResponse`, `call` or a page). Throws
     * [CamsException.Parse] naming the action and the field when a value has another JSON type
     * than the official model says (a string where a number is declared, an integer beyond 64 bits).
     */
    fun decode(response: CamsResponse): T = decode(response.status, response.bodyJson)

    /** Throws as `parseResponse` does (API errors, not JSON, ...), then as [decode]. */
    fun parse(status: Int, body: ByteArray): T = decode(parseResponse(status, body))

    internal fun decode(status: Int, bodyJson: String): T = try {
        CamsAnswerJson.decodeFromString(serializer, bodyJson)
    } catch (e: SerializationException) {
        throw CamsException.Parse(status, "$action: the answer does not fit its model: ${e.message?.lineSequence()?.first()}", bodyJson.take(120))
    } catch (e: IllegalArgumentException) {
        throw CamsException.Parse(status, "$action: the answer does not fit its model: ${e.message?.lineSequence()?.first()}", bodyJson.take(120))
    }

    override fun toString(): String = "CamsAnswer($action)"
}

/** The typed answer of this response, as [type] reads it (`response.answer(CamsAnswers.GetChatappTemplateDetail)`). */
fun <T : Any> CamsResponse.answer(type: CamsAnswer<T>): T = type.decode(this)

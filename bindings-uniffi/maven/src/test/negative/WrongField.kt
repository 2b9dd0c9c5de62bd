// Must NOT compile (NegativeCompileTest expects exactly the two errors marked below): the
// typed answers are checked by the Kotlin compiler. The other lines are the right spelling.
package camskit.negative

import camskit.*

fun templates(body: ByteArray): String? {
    val answer = parseListChatappTemplateResponse(200, body)
    val first = answer.listTemplate?.firstOrNull() ?: return null
    val code: String? = first.templateCode
    val time: Long? = first.lastUpdateTime
    val wrongName = first.templateNmae // ERROR: no such field (CAMS: TemplateName)
    val wrongType: Int? = first.lastUpdateTime // ERROR: a 64-bit time is a Long, not an Int
    return "$code $time $wrongName $wrongType"
}

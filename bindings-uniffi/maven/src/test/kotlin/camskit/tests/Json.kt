// A small JSON reader for the tests (no JSON library ships with the JDK).
// Objects -> LinkedHashMap (order kept), arrays -> List, strings -> String,
// numbers -> JsonNumber (the exact text), true/false -> Boolean, null -> null.
package camskit.tests

data class JsonNumber(val text: String) {
    fun toInt(): Int = text.toInt()
    fun toLong(): Long = text.toLong()
}

class JsonReader private constructor(private val s: String) {
    private var i = 0

    companion object {
        fun parse(text: String): Any? {
            val r = JsonReader(text)
            r.ws()
            val v = r.value()
            r.ws()
            if (r.i != r.s.length) r.fail("trailing characters")
            return v
        }
    }

    private fun fail(what: String): Nothing = throw IllegalArgumentException("JSON: $what at offset $i")

    private fun ws() {
        while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++
    }

    private fun value(): Any? {
        if (i >= s.length) fail("unexpected end")
        return when (s[i]) {
            '{' -> obj()
            '[' -> arr()
            '"' -> str()
            't' -> lit("true", true)
            'f' -> lit("false", false)
            'n' -> lit("null", null)
            else -> num()
        }
    }

    private fun lit(word: String, v: Any?): Any? {
        if (!s.startsWith(word, i)) fail("bad literal")
        i += word.length
        return v
    }

    private fun num(): JsonNumber {
        val start = i
        while (i < s.length && s[i] in "+-0123456789.eE") i++
        if (start == i) fail("unexpected character '${s[i]}'")
        return JsonNumber(s.substring(start, i))
    }

    private fun str(): String {
        i++ // opening quote
        val sb = StringBuilder()
        while (true) {
            if (i >= s.length) fail("unterminated string")
            val c = s[i++]
            when (c) {
                '"' -> return sb.toString()
                '\\' -> {
                    val e = s[i++]
                    when (e) {
                        '"' -> sb.append('"')
                        '\\' -> sb.append('\\')
                        '/' -> sb.append('/')
                        'b' -> sb.append('\b')
                        'f' -> sb.append('\u000C')
                        'n' -> sb.append('\n')
                        'r' -> sb.append('\r')
                        't' -> sb.append('\t')
                        // Surrogate pairs come as two escapes and join up in UTF-16 by themselves.
                        'u' -> { sb.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4 }
                        else -> fail("bad escape \\$e")
                    }
                }
                else -> sb.append(c)
            }
        }
    }

    private fun arr(): List<Any?> {
        i++
        val out = ArrayList<Any?>()
        ws()
        if (s[i] == ']') { i++; return out }
        while (true) {
            ws(); out.add(value()); ws()
            when (s[i++]) {
                ',' -> continue
                ']' -> return out
                else -> fail("expected , or ]")
            }
        }
    }

    private fun obj(): Map<String, Any?> {
        i++
        val out = LinkedHashMap<String, Any?>()
        ws()
        if (s[i] == '}') { i++; return out }
        while (true) {
            ws()
            if (s[i] != '"') fail("expected a key")
            val k = str()
            ws()
            if (s[i++] != ':') fail("expected :")
            ws()
            out[k] = value()
            ws()
            when (s[i++]) {
                ',' -> continue
                '}' -> return out
                else -> fail("expected , or }")
            }
        }
    }
}

@Suppress("UNCHECKED_CAST")
fun Any?.obj(): Map<String, Any?> = this as Map<String, Any?>

@Suppress("UNCHECKED_CAST")
fun Any?.arr(): List<Any?> = this as List<Any?>

fun Any?.str(): String = this as String

/** Writes a value read by [JsonReader] back as compact JSON (numbers keep their exact text). */
fun toJson(v: Any?): String = StringBuilder().also { writeJson(it, v) }.toString()

private fun writeJson(sb: StringBuilder, v: Any?) {
    when (v) {
        null -> sb.append("null")
        is Boolean -> sb.append(v)
        is JsonNumber -> sb.append(v.text)
        is String -> {
            sb.append('"')
            for (c in v) when {
                c == '"' -> sb.append("\\\"")
                c == '\\' -> sb.append("\\\\")
                c < ' ' -> sb.append("\\u%04x".format(c.code))
                else -> sb.append(c)
            }
            sb.append('"')
        }
        is Map<*, *> -> {
            sb.append('{')
            v.entries.forEachIndexed { i, (k, x) -> if (i > 0) sb.append(','); writeJson(sb, k as String); sb.append(':'); writeJson(sb, x) }
            sb.append('}')
        }
        is List<*> -> {
            sb.append('[')
            v.forEachIndexed { i, x -> if (i > 0) sb.append(','); writeJson(sb, x) }
            sb.append(']')
        }
        else -> throw IllegalArgumentException("not JSON: $v")
    }
}

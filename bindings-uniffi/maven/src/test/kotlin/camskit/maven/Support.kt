// Shared by the Maven module's tests: the repository's vectors (read with org.json) and helpers.
package camskit.maven

import camskit.NameValue
import org.json.JSONArray
import org.json.JSONObject
import java.io.File

/** The repository root (pom.xml passes it as the system property camskit.root). */
val root: File = File(System.getProperty("camskit.root") ?: "../..").canonicalFile

fun vectorCases(name: String): List<JSONObject> {
    val cases = JSONObject(File(root, "tests/vectors/$name").readText()).getJSONArray("cases")
    return (0 until cases.length()).map { cases.getJSONObject(it) }
}

/** A string field, or null when it is absent or JSON null. */
fun JSONObject.str(key: String): String? = if (isNull(key)) null else getString(key)

/** `[[name, value], ...]` as NameValue pairs (absent or null: none). */
fun JSONObject.pairs(key: String): List<NameValue> {
    val a: JSONArray = optJSONArray(key) ?: return listOf()
    return (0 until a.length()).map { val p = a.getJSONArray(it); NameValue(p.getString(0), p.getString(1)) }
}

/** Percent-decoding that leaves '+' alone (camskit never writes a raw '+'). */
fun percentDecode(s: String): String {
    val out = java.io.ByteArrayOutputStream()
    var i = 0
    while (i < s.length) {
        if (s[i] == '%') {
            out.write(s.substring(i + 1, i + 3).toInt(16)); i += 3
        } else {
            out.write(s[i].toString().toByteArray(Charsets.UTF_8)); i++
        }
    }
    return String(out.toByteArray(), Charsets.UTF_8)
}

/** A URL's query parameters, decoded and sorted (the order camskit writes is not the contract). */
fun urlParams(url: String): List<Pair<String, String>> =
    url.substringAfter('?', "").split('&').filter { it.isNotEmpty() }.map {
        val (n, v) = it.split('=', limit = 2)
        percentDecode(n) to percentDecode(v)
    }.sortedWith(compareBy({ it.first }, { it.second }))

fun List<NameValue>.sortedPairs(): List<Pair<String, String>> =
    map { it.name to it.value }.sortedWith(compareBy({ it.first }, { it.second }))

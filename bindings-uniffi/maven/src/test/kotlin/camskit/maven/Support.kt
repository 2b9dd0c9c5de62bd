// Shared by the Maven module's tests: the repository's vectors (read with org.json) and helpers.
package camskit.maven

import camskit.HttpMethod
import camskit.NameValue
import camskit.ParamValue
import camskit.SignOptions
import camskit.SignTime
import camskit.SignatureVersion
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import java.io.File

/** The repository root (pom.xml passes it as the system property camskit.root). */
val root: File = File(System.getProperty("camskit.root") ?: "../..").canonicalFile

fun vectorCases(name: String): List<JSONObject> {
    val cases = JSONObject(File(root, "tests/vectors/$name").readText()).getJSONArray("cases")
    return (0 until cases.length()).map { cases.getJSONObject(it) }
}

/**
 * One dynamic test per case of tests/vectors/[file], named "[label]: <case name>"; a file with
 * fewer than [atLeast] cases fails (a truncated file must not pass by testing less).
 */
fun vectorTests(file: String, atLeast: Int, label: String, check: (JSONObject) -> Unit): List<DynamicTest> {
    val cases = vectorCases(file)
    assertTrue(cases.size >= atLeast, "$file has ${cases.size} cases")
    return cases.map { case -> dynamicTest("$label: ${case.getString("name")}") { check(case) } }
}

/** A string field, or null when it is absent or JSON null. */
fun JSONObject.str(key: String): String? = if (isNull(key)) null else getString(key)

/** `[[name, value], ...]` as NameValue pairs (absent or null: none). */
fun JSONObject.pairs(key: String): List<NameValue> {
    val a: JSONArray = optJSONArray(key) ?: return listOf()
    return (0 until a.length()).map { val p = a.getJSONArray(it); NameValue(p.getString(0), p.getString(1)) }
}

/** `[[name, value], ...]` as text parameters (absent or null: none). */
fun JSONObject.textParams(key: String): Map<String, ParamValue> =
    pairs(key).associate { it.name to (ParamValue.Text(it.value) as ParamValue) }

/**
 * A signing vector's input (tests/vectors/rpc-v1.json, v3.json): what every signer under test
 * (CamsClient.sign, signRequest, FastSigner) is given, its key and endpoint apart.
 */
class SignVector(val input: JSONObject, version: SignatureVersion) {
    val accessKeyId: String = input.getString("access_key_id")
    val accessKeySecret: String = input.getString("access_key_secret")
    val securityToken: String? = input.str("security_token")
    val endpoint: String? = input.str("endpoint")
    val action: String = input.getString("action")
    val params: Map<String, ParamValue> = input.textParams("query")
    /** Raw (the vectors' parameters are signed as given), with the vector's time and nonce. */
    val options = SignOptions(
        raw = true,
        apiVersion = input.getString("version"),
        form = input.textParams("form"),
        method = if (input.getString("method") == "GET") HttpMethod.GET else HttpMethod.POST,
        signature = version,
        timestamp = SignTime.Text(input.getString("timestamp")),
        nonce = input.getString("nonce"),
        headers = input.pairs("headers"),
    )
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

// The generated Kotlin answers of every operation (kotlin/generated/CamsAnswers.kt), against the
// recorded answers of tests/vectors/answers.json: each sample body is read by the generated data
// class, and every value is compared with the body read independently by the tests' own JSON
// reader (Json.kt), field by field as the description ("models") declares them. Prints
// "kotlin answers: N operations, M values compared, K integers beyond 2^53 exact" (build.sh
// checks it).
package camskit.tests

import camskit.CamsException
import camskit.ErrorKind
import camskit.answers.CamsAnswers
import camskit.answers.answer
import camskit.maven.root
import camskit.parseResponse
import kotlinx.serialization.json.JsonElement
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File

private const val TWO_POW_53 = 9007199254740992L

@Suppress("UNCHECKED_CAST")
private fun Any?.o(): Map<String, Any?> = this as Map<String, Any?>

@Suppress("UNCHECKED_CAST")
private fun Any?.a(): List<Any?> = this as List<Any?>

private fun camelOf(snake: String): String {
    val parts = snake.split("_")
    return parts[0] + parts.drop(1).joinToString("") { it.replaceFirstChar(Char::uppercaseChar) }
}

class GeneratedAnswersTest {
    private val doc = JsonReader.parse(File(root, "tests/vectors/answers.json").readText()).o()
    private val models = doc["models"].o()
    private val operations = doc["operations"].o()
    private val recorded = doc["answers"].a().associateBy { it.o()["action"] as String }

    /** Compares a data class with the JSON object it was read from, as the description declares it. */
    private inner class Comparer {
        var values = 0
        var big = 0

        fun model(name: String, json: Map<String, Any?>, record: Any, where: String) {
            for (f in models[name].o()["fields"].a().map { it.o() }) {
                val api = f["name"] as String
                val prop = camelOf(f["snake"] as String)
                val got = record.javaClass.getDeclaredField(prop).apply { isAccessible = true }.get(record)
                value(f["type"].o(), json[api], got, "$where.$api")
            }
            values++
        }

        fun value(ty: Map<String, Any?>, json: Any?, got: Any?, where: String) {
            if (json == null && ty["kind"] != "any") {
                assertNull(got, "$where (absent)")
                return
            }
            values++
            when (ty["kind"]) {
                "string", "boolean" -> assertEquals(json, got, where)
                "integer" -> {
                    assertTrue(got is Long, "$where: ${got?.javaClass} is not Long")
                    assertEquals((json as JsonNumber).text, got.toString(), "$where exact")
                    if ((got as Long) > TWO_POW_53) big++
                }
                "number" -> assertEquals((json as JsonNumber).text.toDouble(), got as Double, where)
                "any" -> if (json == null) assertNull(got, "$where (absent)") else
                    assertEquals(json, JsonReader.parse((got as JsonElement).toString()), "$where (exact JSON)")
                "object" -> model(ty["model"] as String, json.o(), got!!, where)
                "list" -> {
                    val g = got as List<*>
                    assertEquals(json.a().size, g.size, "$where size")
                    g.forEachIndexed { i, x -> value(ty["items"].o(), json.a()[i], x, "$where[$i]") }
                }
                "map" -> {
                    val g = got as Map<*, *>
                    assertEquals(json.o().keys, g.keys, "$where keys")
                    for ((k, x) in json.o()) value(ty["values"].o(), x, g[k], "$where[$k]")
                }
                else -> throw AssertionError("$where: kind ${ty["kind"]}")
            }
        }
    }

    @TestFactory
    fun `every operation's answer, every field as the recorded body says`(): List<DynamicTest> {
        assertEquals(operations.keys.sorted(), CamsAnswers.all.keys.sorted(), "an answer type per operation")
        assertEquals((doc["counts"].o()["operations"] as JsonNumber).toInt(), CamsAnswers.all.size, "operations")
        var compared = 0
        var big = 0
        val tests = CamsAnswers.all.values.map { type ->
            val action = type.action
            val body = recorded.getValue(action).o()["body"]
            val bytes = toJson(body).toByteArray()
            val c = Comparer()
            // run now (the counts line follows), report as one JUnit test each
            val error = runCatching {
                val parsed = type.parse(200, bytes)
                assertEquals(parsed, parseResponse(200, bytes).answer(type), "$action: from a CamsResponse = parsed")
                assertEquals(action, type.action)
                c.model(operations[action].o()["body"] as String, body.o(), parsed, action)
                val declared = models[operations[action].o()["body"] as String].o()["fields"].a().size
                assertTrue(c.values >= 1 + declared, "$action: only ${c.values} values compared")
                compared += c.values
                big += c.big
            }.exceptionOrNull()
            DynamicTest.dynamicTest("kotlin answer $action") { error?.let { throw it } }
        }
        assertTrue(big >= 10, "only $big values beyond 2^53 compared")
        report("kotlin answers: ${CamsAnswers.all.size} operations, $compared values compared, $big integers beyond 2^53 exact")
        return tests
    }

    @Test
    fun `read by name, a 64-bit time beyond 2^53 is an exact Long`() {
        val body = recorded.getValue("ListChatappTemplate").o()["body"]
        val r = CamsAnswers.ListChatappTemplate.parse(200, toJson(body).toByteArray())
        val t: Long? = r.listTemplate!![1].lastUpdateTime
        assertEquals(((body.o()["ListTemplate"].a()[1]).o()["LastUpdateTime"] as JsonNumber).text, t.toString())
        assertTrue(t!! > TWO_POW_53, "$t")
        assertEquals(body.o()["RequestId"], r.requestId)
        val exact = CamsAnswers.ListChatappTemplate.parse(200, """{"Code":"OK","ListTemplate":[{"LastUpdateTime":9223372036854775807}]}""".toByteArray())
        assertEquals(Long.MAX_VALUE, exact.listTemplate!![0].lastUpdateTime)
    }

    @Test
    fun `errors, API errors as parseResponse throws them, a value of another type or beyond 64 bits is a parse error naming the action`() {
        val api = assertThrows<CamsException.Api> {
            CamsAnswers.ListChatappTemplate.parse(200, """{"RequestId":"r3","Code":"Ram.PermissionDeny","Message":"no"}""".toByteArray())
        }
        assertEquals(ErrorKind.PERMISSION, api.kind)
        assertThrows<CamsException.Parse> { CamsAnswers.QueryChatappPhoneNumbers.parse(502, "<html></html>".toByteArray()) }
        val wrongType = assertThrows<CamsException.Parse> {
            CamsAnswers.ListChatappTemplate.parse(200, """{"RequestId":"r","Code":"OK","Total":"two"}""".toByteArray())
        }
        assertTrue(wrongType.reason.contains("ListChatappTemplate"), wrongType.reason)
        assertEquals(200, wrongType.status)
        val beyond = assertThrows<CamsException.Parse> {
            CamsAnswers.ListChatappTemplate.parse(200, """{"Code":"OK","ListTemplate":[{"LastUpdateTime":9223372036854775808}]}""".toByteArray())
        }
        assertTrue(beyond.reason.contains("ListChatappTemplate"), beyond.reason)
        val fraction = assertThrows<CamsException.Parse> {
            CamsAnswers.ListChatappTemplate.parse(200, """{"Code":"OK","Total":1.5}""".toByteArray())
        }
        assertTrue(fraction.reason.contains("ListChatappTemplate"), fraction.reason)
        val notAList = assertThrows<CamsException.Parse> {
            parseResponse(200, """{"Code":"OK","ListTemplate":{"a":1}}""".toByteArray()).answer(CamsAnswers.ListChatappTemplate)
        }
        assertTrue(notAList.reason.contains("ListChatappTemplate"), notAList.reason)
    }

    @Test
    fun `unknown fields are skipped, absent ones are null, JSON values of no fixed type stay exact`() {
        val r = CamsAnswers.ListChatappTemplate.parse(200, """{"RequestId":"r","Code":"OK","Total":1,"NewThing":{"Id":9007199254740993}}""".toByteArray())
        assertEquals(1L, r.total)
        assertNull(r.listTemplate)
        val any = CamsAnswers.all.values.first { it.action == "AddAddressRecoverSuspend" }
        val d = any.parse(200, """{"Code":"OK","Data":{"Id":9007199254740993,"X":[1,null]}}""".toByteArray())
            as camskit.answers.AddAddressRecoverSuspendAnswer
        assertEquals("9007199254740993", d.data!!["Id"].toString())
        assertEquals("[1,null]", d.data!!["X"].toString())
    }
}

// tests/vectors/mns.json through the Kotlin API: every MNS queue request (ReceiveMessage,
// BatchReceiveMessage, DeleteMessage, BatchDeleteMessage, ChangeMessageVisibility; with and
// without an STS token) signed by signMnsRequest as Alibaba's official aliyun-mns-sdk signs it,
// and every Dybaseapi QueryTokenForMnsQueue request as the official dybaseapi SDKs sign it.
package camskit.tests

import camskit.CamsException
import camskit.Credentials
import camskit.MnsOperation
import camskit.SignTime
import camskit.maven.root
import camskit.MnsMessage
import camskit.errorKindName
import camskit.mnsHttpDate
import camskit.parseBatchDeleteMessage
import camskit.parseBatchReceiveMessage
import camskit.parseChangeMessageVisibility
import camskit.parseDeleteMessage
import camskit.parseReceiveMessage
import camskit.signMnsRequest
import camskit.signQueryTokenForMnsQueue
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.io.File

class MnsVectorsTest {
    private val doc = JsonReader.parse(File(root, "tests/vectors/mns.json").readText()).obj()

    private fun creds(i: Map<String, Any?>) =
        Credentials(i["access_key_id"].str(), i["access_key_secret"].str(), i["security_token"] as String?)

    private fun int(v: Any?): UInt? = (v as JsonNumber?)?.toInt()?.toUInt()

    private fun operation(i: Map<String, Any?>): MnsOperation = when (val op = i["op"]) {
        "receive" -> MnsOperation.Receive(int(i["wait_seconds"]))
        "batch_receive" -> MnsOperation.BatchReceive(int(i["num_of_messages"])!!, int(i["wait_seconds"]))
        "delete" -> MnsOperation.Delete(i["receipt_handle"].str())
        "batch_delete" -> MnsOperation.BatchDelete(i["receipt_handles"].arr().map { it.str() })
        "change_visibility" -> MnsOperation.ChangeVisibility(i["receipt_handle"].str(), int(i["visibility_timeout"])!!)
        else -> throw AssertionError("op $op")
    }

    @TestFactory
    fun `MNS queue requests signed as aliyun-mns-sdk signs them`(): List<DynamicTest> {
        val cases = doc["requests"].arr().map { it.obj() }
        assertTrue(cases.size >= 10, "${cases.size} cases")
        return cases.map { c ->
            DynamicTest.dynamicTest("mns: ${c["name"]}") {
                val i = c["input"].obj()
                val e = c["expected"].obj()
                val s = signMnsRequest(i["endpoint"].str(), i["queue"].str(), operation(i), creds(i), i["date"].str())
                assertEquals(e["method"], s.request.method, "method")
                assertEquals(e["url"], s.request.url, "url")
                assertTrue(s.request.url.endsWith(e["resource"].str()), "resource")
                assertEquals(e["string_to_sign"], s.stringToSign, "string to sign")
                assertEquals(e["body"] as String?, s.request.body, "body")
                val want = e["headers"].arr().map { it.arr() }.map { it[0].str().lowercase() to it[1].str() }.sortedBy { it.first }
                val got = s.request.headers.map { it.name.lowercase() to it.value }.sortedBy { it.first }
                assertEquals(want, got, "headers")
                assertEquals(e["authorization"], s.request.headers.first { it.name.equals("authorization", true) }.value, "authorization")
                assertFalse(s.toString().contains(i["access_key_secret"].str()), "no secret in the record's text")
            }
        }
    }

    @TestFactory
    fun `Dybaseapi QueryTokenForMnsQueue signed as the official SDKs sign it`(): List<DynamicTest> {
        val cases = doc["query_token"].arr().map { it.obj() }
        assertTrue(cases.size >= 3, "${cases.size} cases")
        return cases.map { c ->
            DynamicTest.dynamicTest("query token: ${c["name"]}") {
                val i = c["input"].obj()
                val e = c["expected"].obj()
                val s = signQueryTokenForMnsQueue(creds(i), i["message_type"].str(), SignTime.Text(i["timestamp"].str()),
                    i["nonce"].str(), i["queue_name"] as String?)
                assertEquals(e["method"], s.method, "method")
                assertTrue(s.url.startsWith("https://${e["host"]}/?"), s.url)
                assertEquals(e["canonical_query"], s.canonicalQuery, "canonical query")
                assertEquals(e["string_to_sign"], s.stringToSign, "string to sign")
                assertEquals(e["signature"], s.signature, "signature")
                assertEquals(pairs(e["url_params"]).map { it.name to it.value }.sortedWith(compareBy({ it.first }, { it.second })),
                    urlParams(s.url), "url parameters")
                assertEquals(e["body"] as String?, s.body, "body")
            }
        }
    }

    /** The answer of [op] read by its parse function: the messages, the visibility, the failures or `Unit`. */
    private fun parseAnswer(op: String, status: Int, body: ByteArray): Any? = when (op) {
        "receive" -> listOfNotNull(parseReceiveMessage(status, body))
        "batch_receive" -> parseBatchReceiveMessage(status, body)
        "delete" -> parseDeleteMessage(status, body)
        "batch_delete" -> parseBatchDeleteMessage(status, body)
        "change_visibility" -> parseChangeMessageVisibility(status, body)
        else -> throw AssertionError("op $op")
    }

    private fun message(want: Map<String, Any?>, got: MnsMessage) {
        assertEquals(want["message_id"], got.messageId, "message id")
        assertEquals(want["receipt_handle"], got.receiptHandle, "receipt handle")
        assertEquals(want["message_body"], got.messageBody, "body")
        assertEquals(want["message_body_md5"], got.messageBodyMd5, "md5")
        // The API reference's example carries an MD5 that is not its body's: computed here, independently.
        val md5 = java.security.MessageDigest.getInstance("MD5").digest(got.messageBody.toByteArray())
            .joinToString("") { "%02X".format(it) }
        assertEquals(md5.equals(got.messageBodyMd5, ignoreCase = true), got.bodyMd5Matches, "bodyMd5Matches")
        for ((key, value) in listOf("enqueue_time" to got.enqueueTime, "first_dequeue_time" to got.firstDequeueTime,
            "next_visible_time" to got.nextVisibleTime, "dequeue_count" to got.dequeueCount, "priority" to got.priority)) {
            assertEquals((want[key] as JsonNumber).toLong(), value, key)
        }
    }

    @TestFactory
    fun `MNS answers read as aliyun-mns-sdk's decoders read them`(): List<DynamicTest> {
        val cases = doc["answers"].arr().map { it.obj() }
        assertEquals(19, cases.size, "answer vectors")
        return cases.map { c ->
            DynamicTest.dynamicTest("mns answer: ${c["name"]}") {
                val op = c["op"].str()
                val status = (c["status"] as JsonNumber).toInt()
                val body = c["body"].str().toByteArray()
                val e = c["expected"].obj()
                when (e["outcome"]) {
                    "messages" -> {
                        @Suppress("UNCHECKED_CAST")
                        val got = parseAnswer(op, status, body) as List<MnsMessage>
                        val want = e["messages"].arr().map { it.obj() }
                        assertEquals(want.size, got.size, "messages")
                        want.zip(got).forEach { (w, g) -> message(w, g) }
                    }
                    "empty" -> assertEquals(emptyList<Any>(), parseAnswer(op, status, body), "an empty poll is no error")
                    "visibility" -> {
                        val v = parseChangeMessageVisibility(status, body)
                        assertEquals(e["receipt_handle"], v.receiptHandle, "new handle")
                        assertEquals((e["next_visible_time"] as JsonNumber).toLong(), v.nextVisibleTime, "next visible")
                    }
                    "batch_delete_errors" -> {
                        val failures = parseBatchDeleteMessage(status, body)
                        val want = e["error"].obj()["errors"].arr().map { it.obj() }
                        assertEquals(want.map { Triple(it["receipt_handle"], it["error_code"], it["error_message"]) },
                            failures.map { Triple(it.receiptHandle, it.errorCode, it.errorMessage) }, "failures")
                    }
                    "error" -> {
                        val err = assertThrows<CamsException.Api> { parseAnswer(op, status, body) }
                        val w = e["error"].obj()
                        assertEquals(status, err.status, "status")
                        assertEquals(e["kind"], errorKindName(err.kind), "kind")
                        assertEquals(w["code"], err.code, "code")
                        assertEquals(w["message"], err.errorMessage, "message")
                        assertEquals(w["request_id"], err.requestId, "request id")
                        assertEquals(w["host_id"], err.hostId, "host id")
                    }
                    "parse_error" -> assertThrows<CamsException.Parse> { parseAnswer(op, status, body) }
                    else -> throw AssertionError("outcome ${e["outcome"]}")
                }
            }
        }
    }

    @Test
    fun `the MNS date, and bad input named without a crash`() {
        assertEquals("Sun, 06 Dec 2026 02:40:35 GMT", mnsHttpDate(1796524835))
        val endpoint = "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com"
        val key = Credentials("LTAI5tMns", "CanaryMnsSecret")
        val date = "Sun, 06 Dec 2026 02:40:35 GMT"
        val badQueue = assertThrows<CamsException.Validation> { signMnsRequest(endpoint, "1bad queue", MnsOperation.Receive(null), key, date) }
        assertTrue(badQueue.toString().contains("queue name"), "$badQueue")
        val badHandle = assertThrows<CamsException.Validation> { signMnsRequest(endpoint, "q", MnsOperation.Delete("a&b"), key, date) }
        assertFalse(badHandle.toString().contains("Canary"), "$badHandle")
        assertThrows<CamsException.Validation> { signMnsRequest(endpoint, "q", MnsOperation.BatchReceive(17u, null), key, date) }
        assertThrows<CamsException.Validation> { signMnsRequest(endpoint, "q", MnsOperation.Receive(null), key, "yesterday") }
        assertThrows<CamsException.Validation> { signQueryTokenForMnsQueue(key, "", SignTime.Text("2026-12-06T02:40:35Z"), "n", null) }
    }
}

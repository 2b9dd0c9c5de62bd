// Every case of tests/vectors/receipts.json through parsePush / parseMnsBody, compared field by
// field on the typed records (ChatAppStatus, ChatAppInbound and its InboundContent,
// ChatAppAudit, Other); DedupWindow and advances.
package camskit.maven

import camskit.CamsException
import camskit.ChatAppAudit
import camskit.ChatAppInbound
import camskit.ChatAppStatus
import camskit.DedupWindow
import camskit.InboundContent
import camskit.InboundMedia
import camskit.ReceiptEvent
import camskit.ReceiptStatus
import camskit.advances
import camskit.dedupKey
import camskit.messageTypeOfQueue
import camskit.parseMnsBody
import camskit.parsePush
import camskit.receiptStatusOf
import org.json.JSONArray
import org.json.JSONObject
import org.json.JSONTokener
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.DynamicTest.dynamicTest
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestFactory
import org.junit.jupiter.api.assertThrows
import java.math.BigDecimal

/** JSON text as org.json reads it (a string, a number, JSONObject, JSONArray, JSONObject.NULL). */
fun json(text: String): Any = JSONTokener(text).nextValue()

/** Whether [got] (a typed field's value) is the vector's [want] (an org.json value). */
fun same(want: Any?, got: Any?): Boolean = when {
    want == null || want == JSONObject.NULL -> got == null || got == JSONObject.NULL
    got == null || got == JSONObject.NULL -> false
    want is JSONObject -> got is JSONObject && want.similar(got)
    want is JSONArray -> got is JSONArray && want.similar(got)
    want is Number -> got is Number && BigDecimal(want.toString()).compareTo(BigDecimal(got.toString())) == 0
    else -> want == got
}

/** A typed event's documented fields by the docs' PascalCase names (what the vectors name). */
fun fieldsOf(event: ReceiptEvent): Map<String, Any?> = when (event) {
    is ReceiptEvent.Status -> statusFields(event.event)
    is ReceiptEvent.Inbound -> inboundFields(event.event)
    is ReceiptEvent.Audit -> auditFields(event.event)
    is ReceiptEvent.Other -> mapOf("message_type" to event.messageType, "raw" to json(event.rawJson))
}

fun statusFields(e: ChatAppStatus): Map<String, Any?> = mapOf(
    "MessageId" to e.messageId, "Status" to e.statusText, "From" to e.from, "To" to e.to,
    "Timestamp" to e.timestamp, "StatusDescription" to e.statusDescription, "ErrorCode" to e.errorCode,
    "ErrorDescription" to e.errorDescription, "ConversationType" to e.conversationType,
    "ConversationId" to e.conversationId, "ConversationExpirationTime" to e.conversationExpirationTime,
    "MsgFrameType" to e.msgFrameType, "Type" to e.contentType, "TaskId" to e.taskId,
    "OriginPhoneNumber" to e.originPhoneNumber, "TemplateCode" to e.templateCode,
    "TemplateName" to e.templateName, "Language" to e.language, "FromUserId" to e.fromUserId,
    "FromParentUserId" to e.fromParentUserId, "FromUserName" to e.fromUserName, "UserId" to e.userId,
    "ParentUserId" to e.parentUserId, "UserName" to e.userName,
)

fun inboundFields(e: ChatAppInbound): Map<String, Any?> = mapOf(
    "MessageId" to e.messageId, "CustSpaceId" to e.custSpaceId, "WabaId" to e.wabaId, "From" to e.from,
    "To" to e.to, "FromUserId" to e.fromUserId, "FromParentUserId" to e.fromParentUserId,
    "FromUserName" to e.fromUserName, "Timestamp" to e.timestamp, "DisplayName" to e.displayName,
    "Type" to e.messageType, "Message" to json(e.messageJson), "Name" to e.name,
)

fun auditFields(e: ChatAppAudit): Map<String, Any?> = mapOf(
    "WabaId" to e.wabaId, "TemplateCode" to e.templateCode, "Language" to e.language,
    "AuditStatus" to e.auditStatus, "Reason" to e.reason, "Type" to e.noticeType,
    "PhoneNumber" to e.phoneNumber, "Status" to e.status, "CurrentLimit" to e.currentLimit,
)

fun mediaFields(m: InboundMedia): Map<String, Any?> = mapOf(
    "id" to m.id, "url" to m.url, "mimeType" to m.mimeType, "caption" to m.caption, "name" to m.name,
    "filename" to m.filename, "animated" to m.animated,
)

/** The content's kind (the vectors' snake_case name) and its fields. */
fun contentOf(c: InboundContent): Pair<String, Map<String, Any?>> = when (c) {
    is InboundContent.Text -> "text" to mapOf("text" to c.text)
    is InboundContent.Image -> "image" to mediaFields(c.media)
    is InboundContent.Video -> "video" to mediaFields(c.media)
    is InboundContent.Audio -> "audio" to mediaFields(c.media)
    is InboundContent.Document -> "document" to mediaFields(c.media)
    is InboundContent.Sticker -> "sticker" to mediaFields(c.media)
    is InboundContent.Location -> "location" to with(c.location) {
        mapOf("address" to address, "latitude" to latitude, "longitude" to longitude, "name" to name)
    }
    is InboundContent.Reply -> "reply" to mapOf("text" to c.reply.text, "payload" to c.reply.payload)
    is InboundContent.Contacts -> "contacts" to mapOf("value" to json(c.valueJson))
    is InboundContent.System -> "system" to mapOf("value" to json(c.valueJson))
    is InboundContent.Other -> "other" to mapOf("message_type" to c.messageType, "value" to json(c.valueJson))
    is InboundContent.Unparsed -> "unparsed" to mapOf("message_type" to c.messageType, "reason" to c.reason, "raw" to json(c.rawJson))
}

fun extraJsonOf(event: ReceiptEvent): String? = when (event) {
    is ReceiptEvent.Status -> event.event.extraJson
    is ReceiptEvent.Inbound -> event.event.extraJson
    is ReceiptEvent.Audit -> event.event.extraJson
    is ReceiptEvent.Other -> null
}

fun typeOf(event: ReceiptEvent): String = when (event) {
    is ReceiptEvent.Status -> "ChatAppStatus"
    is ReceiptEvent.Inbound -> "ChatAppInbound"
    is ReceiptEvent.Audit -> "ChatAppAudit"
    is ReceiptEvent.Other -> "Other"
}

class ReceiptsTest {
    private fun parse(case: JSONObject): List<ReceiptEvent> {
        val body = case.getString("body")
        val type = case.str("message_type")
        return when (val t = case.getString("transport")) {
            "push" -> parsePush(body, type)
            "mns" -> parseMnsBody(body, type)
            else -> error("unknown transport $t")
        }
    }

    @TestFactory
    fun vectors(): List<DynamicTest> {
        val cases = vectorCases("receipts.json")
        assertTrue(cases.size >= 30, "receipts.json has ${cases.size} cases")
        return cases.map { case ->
            val name = case.getString("name")
            dynamicTest("receipts: $name") {
                if (case.has("error")) {
                    val e = assertThrows<CamsException.Validation> { parse(case) }
                    val words = case.getJSONArray("error")
                    for (i in 0 until words.length()) {
                        assertTrue(e.errorMessage.contains(words.getString(i)), "${e.errorMessage} names ${words.getString(i)}")
                    }
                    return@dynamicTest
                }
                val events = parse(case)
                val expect = case.getJSONArray("expect")
                assertEquals(expect.length(), events.size, "number of events")
                for ((i, event) in events.withIndex()) {
                    val want = expect.getJSONObject(i)
                    assertEquals(want.getString("type"), typeOf(event), "[$i] type")
                    val fields = fieldsOf(event)
                    val extra = extraJsonOf(event)?.let { JSONObject(it) }
                    val f = want.getJSONObject("fields")
                    for (key in f.keySet()) {
                        // a field the typed record does not name is in extraJson, unchanged
                        val got = if (key in fields) fields[key] else extra?.opt(key)
                        assertTrue(same(f.get(key), got), "[$i] field $key: want ${f.get(key)}, got $got")
                    }
                    want.str("status")?.let {
                        val s = (event as ReceiptEvent.Status).event.status
                        assertTrue(s.name.equals(it, ignoreCase = true), "[$i] status $s, want $it")
                    }
                    want.optJSONObject("content")?.let { c ->
                        val (kind, got) = contentOf((event as ReceiptEvent.Inbound).event.content)
                        assertEquals(c.getString("kind"), kind, "[$i] content kind")
                        for (key in c.keySet().filter { it != "kind" }) {
                            assertTrue(same(c.get(key), got[key]), "[$i] content $key: want ${c.get(key)}, got ${got[key]}")
                        }
                    }
                    want.optJSONArray("extra")?.let { keys ->
                        val wantKeys = (0 until keys.length()).map { keys.getString(it) }.toSortedSet()
                        assertEquals(wantKeys, extra!!.keySet().toSortedSet(), "[$i] extra")
                    }
                    want.str("dedup_key")?.let { assertEquals(it, event.dedupKey, "[$i] dedup key") }
                }
            }
        }
    }

    @Test
    fun integersBeyond2to53StayExact() {
        val body = """[{"MessageId": 9223372036854775807, "Status": "Read", "Timestamp": 9007199254740993}]"""
        val e = (parsePush(body, "ChatAppStatus")[0] as ReceiptEvent.Status).event
        assertEquals("9223372036854775807", e.messageId)
        assertEquals(9007199254740993L, e.timestamp)
        assertEquals("{}", e.extraJson)
    }

    @Test
    fun aRepeatedPushIsFlaggedByTheWindow() {
        val window = DedupWindow(100u)
        fun push(status: String) = parsePush("""[{"MessageId":"m1","Status":"$status","Timestamp":1}]""", null)[0]
        assertFalse(window.seen(push("Delivered").dedupKey))
        assertTrue(window.seen(push("Delivered").dedupKey))
        assertFalse(window.seen(push("Read").dedupKey))
        assertEquals(2u, window.size())

        val small = DedupWindow(2u)
        for (k in listOf("a", "b", "c")) assertFalse(small.seen(k))
        assertFalse(small.contains("a"), "the oldest is forgotten")
        assertTrue(small.contains("c"))
        assertEquals(2u, small.size())
        assertEquals(1u, DedupWindow(0u).capacity())
    }

    @Test
    fun statusesNeverRegress() {
        val s = ReceiptStatus.entries
        for (x in s) assertTrue(advances(null, x), "$x from nothing")
        val table = listOf(
            Triple(ReceiptStatus.SENT, ReceiptStatus.DELIVERED, true),
            Triple(ReceiptStatus.DELIVERED, ReceiptStatus.READ, true),
            Triple(ReceiptStatus.READ, ReceiptStatus.DELIVERED, false),
            Triple(ReceiptStatus.READ, ReceiptStatus.FAILED, false),
            Triple(ReceiptStatus.SENT, ReceiptStatus.FAILED, true),
            Triple(ReceiptStatus.FAILED, ReceiptStatus.READ, false),
            Triple(ReceiptStatus.DELETED, ReceiptStatus.READ, false),
            Triple(ReceiptStatus.OTHER, ReceiptStatus.SENT, true),
            Triple(ReceiptStatus.SENT, ReceiptStatus.OTHER, false),
        )
        for ((current, incoming, want) in table) assertEquals(want, advances(current, incoming), "$current -> $incoming")
        var stored: ReceiptStatus? = null
        for (x in listOf(ReceiptStatus.SENT, ReceiptStatus.READ, ReceiptStatus.DELIVERED, ReceiptStatus.SENT)) {
            if (advances(stored, x)) stored = x
        }
        assertEquals(ReceiptStatus.READ, stored)
        assertEquals(ReceiptStatus.DELIVERED, receiptStatusOf("DELIVERED"))
        assertEquals(ReceiptStatus.OTHER, receiptStatusOf("unsubscribe"))
        assertEquals("ChatAppStatus", messageTypeOfQueue("Alicom-Queue-1-ChatAppStatus"))
        assertNull(messageTypeOfQueue("my-queue"))
    }
}

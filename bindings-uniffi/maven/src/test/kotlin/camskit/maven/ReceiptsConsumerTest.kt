// The blocking ReceiptsConsumer (core's MNS consumer machine) against an in-memory MNS queue in
// Kotlin that keeps MNS's rules: a token from QueryTokenForMnsQueue, a visibility timeout after
// each receive, receipt handles that go stale (received again, or past their visibility),
// MessageNotExist on an empty poll, BatchDeleteMessage's per-handle errors. Some deletes fail
// with a 500 after which the handles are stale (so handled messages come back), some handlers
// throw (so their messages come back), one handler extends its message's visibility.
//
// What must hold: every message is handled; none is deleted before its handler returned; a
// message handled before and delivered again is flagged duplicate, and nothing else is.
package camskit.maven

import camskit.CamsClient
import camskit.CamsException
import camskit.Credentials
import camskit.Delivery
import camskit.HttpRequest
import camskit.HttpResponse
import camskit.HttpTransport
import camskit.ReceiptEvent
import camskit.ReceiptsConsumer
import camskit.ReceiptsConsumerOptions
import camskit.TransportException
import camskit.fast.FastReceipts
import camskit.forEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.Timeout
import org.junit.jupiter.api.assertThrows
import java.time.LocalDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.Base64
import java.util.concurrent.TimeUnit
import kotlin.random.Random

const val QUEUE = "Alicom-Queue-1873897471328909-ChatAppStatus"

/** An in-memory MNS queue and Dybaseapi token service behind the app's HttpTransport. */
class FakeMns(n: Int, private val visibilityMs: Long, seed: Int) : HttpTransport {
    class Msg(val body: String, var visibleAt: Long = 0, var dequeue: Long = 0, var generation: Long = 0)

    val msgs = LinkedHashMap<String, Msg>()
    val handled = HashSet<String>()
    val purposes = ArrayList<String>()
    /** What broke a rule (an assertion thrown in send would only reach core as a transport failure). */
    val violations = ArrayList<String>()
    var onEmpty: () -> Unit = {}
    var failedDeletes = 0
    private val rng = Random(seed)
    private var tokens = 0
    private val validKeys = HashSet<String>()

    init {
        for (i in 0 until n) {
            val json = """{"MessageId":"wamid.$i","Status":"DELIVERED","Timestamp":${1_700_000_000_000L + i},"From":"1","To":"2"}"""
            // half as MNS SDKs write bodies (base64), half as plain JSON (XML-escaped below)
            val body = if (i % 2 == 0) Base64.getEncoder().encodeToString(json.toByteArray()) else json
            msgs["M%05d".format(i)] = Msg(body)
        }
    }

    private fun now() = System.currentTimeMillis()

    private fun answer(status: Int, body: String) = HttpResponse(status, listOf(), body.toByteArray())

    private fun error(code: String) = answer(
        if (code == "MessageNotExist") 404 else if (code == "InternalError") 500 else 403,
        """<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>$code</Code><Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>""",
    )

    private fun shanghai(unixSeconds: Long): String =
        LocalDateTime.ofEpochSecond(unixSeconds, 0, ZoneOffset.ofHours(8)).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"))

    private fun query(url: String, name: String): String =
        url.substringAfter('?').split('&').first { it.startsWith("$name=") }.substringAfter('=')

    private fun handleOf(id: String, generation: Long) = "1-$id-$generation"

    private fun parseHandle(h: String): Pair<String, Long> =
        h.removePrefix("1-").substringBeforeLast('-') to h.substringAfterLast('-').toLong()

    /** A handle is valid while it is the message's latest and its visibility has not ended. */
    private fun valid(h: String): Msg? {
        val (id, generation) = parseHandle(h)
        val m = msgs[id] ?: return null
        return if (m.generation == generation && now() < m.visibleAt) m else null
    }

    @Synchronized
    override fun send(request: HttpRequest): HttpResponse {
        purposes += request.purpose
        if (request.timeoutMs == 0uL) violations += "${request.purpose} without a timeout"
        if (request.purpose == "dybaseapi:QueryTokenForMnsQueue") {
            tokens++
            validKeys += "STS.key$tokens"
            val nowS = now() / 1000
            return answer(200, """{"Code":"OK","Message":"OK","RequestId":"t","MessageTokenDTO":{"AccessKeyId":"STS.key$tokens","AccessKeySecret":"s","SecurityToken":"tok$tokens","CreateTime":"${shanghai(nowS)}","ExpireTime":"${shanghai(nowS + 600)}"}}""")
        }
        val auth = request.headers.first { it.name.equals("Authorization", ignoreCase = true) }.value
        if (auth.removePrefix("MNS ").substringBefore(':') !in validKeys) return error("SecurityTokenExpired")
        if (!request.url.substringAfter("/queues/").startsWith(QUEUE)) violations += "wrong queue: ${request.url}"
        return when (request.purpose) {
            "mns:BatchReceiveMessage" -> receive(query(request.url, "numOfMessages").toInt())
            "mns:BatchDeleteMessage" -> delete(request.body!!)
            "mns:ChangeMessageVisibility" -> {
                val m = valid(query(request.url, "ReceiptHandle")) ?: return error("ReceiptHandleError")
                m.generation++
                m.visibleAt = now() + query(request.url, "VisibilityTimeout").toLong() * 1000
                val id = parseHandle(query(request.url, "ReceiptHandle")).first
                answer(200, """<?xml version="1.0" encoding="UTF-8"?><ChangeVisibility xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>${handleOf(id, m.generation)}</ReceiptHandle><NextVisibleTime>${m.visibleAt}</NextVisibleTime></ChangeVisibility>""")
            }
            else -> error("unexpected ${request.purpose}")
        }
    }

    private fun receive(n: Int): HttpResponse {
        val now = now()
        val out = StringBuilder()
        var count = 0
        for ((id, m) in msgs) {
            if (count == n) break
            if (m.visibleAt > now) continue
            m.visibleAt = now + visibilityMs
            m.dequeue++
            m.generation++
            count++
            val body = m.body.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;")
            out.append("<Message><MessageId>$id</MessageId><ReceiptHandle>${handleOf(id, m.generation)}</ReceiptHandle><MessageBody>$body</MessageBody><MessageBodyMD5>0</MessageBodyMD5><EnqueueTime>1</EnqueueTime><NextVisibleTime>${m.visibleAt}</NextVisibleTime><FirstDequeueTime>1</FirstDequeueTime><DequeueCount>${m.dequeue}</DequeueCount><Priority>8</Priority></Message>")
        }
        if (count == 0) {
            Thread.sleep(5) // a short long poll
            return error("MessageNotExist")
        }
        return answer(200, """<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="http://mns.aliyuncs.com/doc/v1/">$out</Messages>""")
    }

    private fun delete(body: String): HttpResponse {
        val handles = body.split("<ReceiptHandle>").drop(1).map { it.substringBefore("</ReceiptHandle>") }
        for (h in handles) {
            val id = parseHandle(h).first
            if (id !in handled) violations += "$id deleted before its handler succeeded"
        }
        // The first delete and some others fail, and by the time core sends it again the
        // handles are stale: the messages come back although they were handled.
        if (failedDeletes == 0 || rng.nextInt(100) < 15) {
            failedDeletes++
            for (h in handles) msgs[parseHandle(h).first]?.visibleAt = now() - 1
            return error("InternalError")
        }
        val errors = StringBuilder()
        for (h in handles) {
            if (valid(h) != null) {
                msgs.remove(parseHandle(h).first)
            } else {
                errors.append("<Error><ErrorCode>ReceiptHandleError</ErrorCode><ErrorMessage>stale</ErrorMessage><ReceiptHandle>$h</ReceiptHandle></Error>")
            }
        }
        if (msgs.isEmpty()) onEmpty()
        if (errors.isEmpty()) return answer(204, "")
        return answer(404, """<?xml version="1.0" encoding="UTF-8"?><Errors xmlns="http://mns.aliyuncs.com/doc/v1/">$errors</Errors>""")
    }
}

class ReceiptsConsumerTest {
    private val client = CamsClient(Credentials("LTAI5tAccount", "account-secret", null))

    private fun options(batch: UInt = 16u) = ReceiptsConsumerOptions(
        messageType = "ChatAppStatus",
        queueName = QUEUE,
        mnsEndpoint = "http://127.0.0.1:9",
        tokenEndpoint = "http://127.0.0.1:9",
        batchSize = batch,
        waitSeconds = 1u,
        backoffBaseMs = 1uL,
        backoffMaxMs = 5uL,
    )

    /** The consumer's methods, called through uniffi (JNA) or through FastReceipts (JNI). */
    private interface Ops {
        fun next(c: ReceiptsConsumer): List<Delivery>?
        fun handled(c: ReceiptsConsumer, id: String)
        fun failed(c: ReceiptsConsumer, id: String)
        fun release(c: ReceiptsConsumer, id: String)
    }

    private val viaUniffi = object : Ops {
        override fun next(c: ReceiptsConsumer) = c.next()
        override fun handled(c: ReceiptsConsumer, id: String) = c.handled(id)
        override fun failed(c: ReceiptsConsumer, id: String) = c.failed(id)
        override fun release(c: ReceiptsConsumer, id: String) = c.release(id)
    }

    private val viaJni = object : Ops {
        override fun next(c: ReceiptsConsumer) = FastReceipts.next(c)
        override fun handled(c: ReceiptsConsumer, id: String) = FastReceipts.handled(c, id)
        override fun failed(c: ReceiptsConsumer, id: String) = FastReceipts.failed(c, id)
        override fun release(c: ReceiptsConsumer, id: String) = FastReceipts.release(c, id)
    }

    /** forEach's contract written with [ops]' calls: the reference the extension is held to. */
    private fun loop(ops: Ops): (ReceiptsConsumer, (Delivery) -> Unit) -> Unit = { c, handler ->
        while (true) {
            val batch = ops.next(c) ?: break
            for ((i, d) in batch.withIndex()) {
                try {
                    handler(d)
                } catch (e: Throwable) {
                    runCatching { ops.failed(c, d.messageId) }
                    for (rest in batch.subList(i + 1, batch.size)) runCatching { ops.release(c, rest.messageId) }
                    throw e
                }
                ops.handled(c, d.messageId)
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    fun twoHundredMessagesThroughForEach() = twoHundredMessages { c, h -> c.forEach(h) }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    fun twoHundredMessagesThroughUniffiCalls() = twoHundredMessages(loop(viaUniffi))

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    fun twoHundredMessagesThroughFastReceipts() = twoHundredMessages(loop(viaJni))

    /** All handled, none deleted early, redeliveries flagged, whichever way [drive] calls the consumer. */
    private fun twoHundredMessages(drive: (ReceiptsConsumer, (Delivery) -> Unit) -> Unit) {
        assertTrue(FastReceipts.isNative, "FastReceipts falls back to uniffi")
        val n = 200
        val queue = FakeMns(n, visibilityMs = 300, seed = 7)
        val consumer = ReceiptsConsumer(client, queue, options())
        queue.onEmpty = { consumer.stop() }
        val attempts = HashMap<String, Int>()
        var deliveries = 0
        var duplicates = 0
        var extended = false
        var handlerFailures = 0
        while (true) {
            try {
                drive(consumer) { d: Delivery ->
                    deliveries++
                    val id = d.messageId
                    assertEquals(id in queue.handled, d.duplicate, "$id: duplicate flag vs handled before")
                    assertEquals(null, d.parseError)
                    val event = (d.events.single() as ReceiptEvent.Status).event
                    assertEquals("wamid.${id.removePrefix("M").toInt()}", event.messageId)
                    assertEquals(1_700_000_000_000L + id.removePrefix("M").toInt(), event.timestamp)
                    if (d.duplicate) {
                        duplicates++
                        return@drive // handled: acted on before
                    }
                    val attempt = attempts.merge(id, 1, Int::plus)!!
                    if (id.removePrefix("M").toInt() % 10 == 3 && attempt == 1) {
                        throw IllegalStateException("handler failed on $id")
                    }
                    if (!extended && id == "M00042") {
                        consumer.extend(id, 60u) // a slow handler keeps its message hidden
                        extended = true
                    }
                    synchronized(queue) { queue.handled += id }
                }
                break
            } catch (e: IllegalStateException) {
                handlerFailures++
            }
        }
        assertEquals(listOf<String>(), queue.violations)
        assertTrue(queue.msgs.isEmpty(), "${queue.msgs.size} left in the queue")
        assertEquals(n, queue.handled.size, "every message handled")
        assertEquals(n.toULong(), consumer.deleted(), "each deleted once")
        assertEquals(20, handlerFailures, "every 10th message failed once")
        assertTrue(duplicates > 0 && queue.failedDeletes > 0, "failed deletes bring handled messages back, flagged")
        assertTrue(extended && "mns:ChangeMessageVisibility" in queue.purposes)
        assertTrue(deliveries > n)
        // core counts the rest of a batch whose handler threw (reported failed unseen) too
        assertTrue(consumer.delivered() >= deliveries.toULong())
        assertNull(consumer.next(), "over: stays over")
    }

    @Test
    fun nextRefusesAnUnreportedBatchAndStopEndsIt() = unreportedBatch(viaUniffi)

    @Test
    fun nextRefusesAnUnreportedBatchAndStopEndsItThroughFastReceipts() = unreportedBatch(viaJni)

    private fun unreportedBatch(ops: Ops) {
        val queue = FakeMns(3, visibilityMs = 30_000, seed = 1)
        val consumer = ReceiptsConsumer(client, queue, options(batch = 2u))
        val batch = ops.next(consumer)!!
        assertEquals(listOf("M00000", "M00001"), batch.map { it.messageId })
        val unreported = assertThrows<CamsException.Validation> { ops.next(consumer) }
        assertTrue(unreported.errorMessage.contains("not reported yet"), unreported.errorMessage)
        val unknown = assertThrows<CamsException.Validation> { ops.handled(consumer, "nope") }
        assertTrue(unknown.errorMessage.contains("nope"), unknown.errorMessage)
        synchronized(queue) { queue.handled += "M00000" }
        ops.handled(consumer, "M00000")
        ops.failed(consumer, "M00001")
        consumer.stop()
        assertNull(ops.next(consumer))
        assertEquals(listOf("dybaseapi:QueryTokenForMnsQueue", "mns:BatchReceiveMessage", "mns:BatchDeleteMessage"), queue.purposes.take(3))
        assertEquals(listOf<String>(), queue.violations)
        assertTrue("M00001" in queue.msgs && "M00002" in queue.msgs, "the failed and the unreceived stay")
    }

    @Test
    fun reportsAndTheirErrorsAreTheSameThroughFastReceipts() {
        fun outcome(f: () -> Any?): String = try {
            "ok ${f()}"
        } catch (e: Exception) {
            "${e::class.qualifiedName}: ${e.message} / $e"
        }
        val ids = listOf("nope", "M00000", "M00001", "\uD800", "")
        val outcomes = listOf(viaUniffi, viaJni).map { ops ->
            val queue = FakeMns(3, visibilityMs = 30_000, seed = 1)
            val consumer = ReceiptsConsumer(client, queue, options(batch = 2u))
            val seen = mutableListOf(outcome { ops.next(consumer)?.map { it.messageId } })
            for (id in ids) {
                seen += outcome { ops.handled(consumer, id) }
                seen += outcome { ops.failed(consumer, id) }
                seen += outcome { ops.release(consumer, id) }
            }
            seen += outcome { ops.next(consumer)?.map { "${it.messageId} dup=${it.duplicate}" } }
            seen
        }
        assertEquals(outcomes[0], outcomes[1])
        assertTrue(outcomes[0].count { it.startsWith("ok") } >= 3, outcomes[0].toString())
    }

    @Test
    fun badOptionsAndARefusedKeyThrow() {
        val refuse = object : HttpTransport {
            override fun send(request: HttpRequest): HttpResponse =
                HttpResponse(400, listOf(), """{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}""".toByteArray())
        }
        val e = assertThrows<CamsException.Validation> { ReceiptsConsumer(client, refuse, options(batch = 17u)) }
        assertTrue(e.errorMessage.contains("batch size"), e.errorMessage)
        val api = assertThrows<CamsException.Api> { ReceiptsConsumer(client, refuse, options()).next() }
        assertEquals("InvalidAccessKeyId.NotFound", api.code)
        // a transport failure is core's to retry, after its backoff
        val queue = FakeMns(1, visibilityMs = 30_000, seed = 1)
        var failures = 0
        val flaky = object : HttpTransport {
            override fun send(request: HttpRequest): HttpResponse {
                if (failures++ < 3) throw TransportException.RefusedBeforeSend("no network yet")
                return queue.send(request)
            }
        }
        val c = ReceiptsConsumer(client, flaky, options())
        assertEquals(listOf("M00000"), c.next()!!.map { it.messageId })
        assertEquals(5, failures, "three refused, then the token and the receive")
    }
}

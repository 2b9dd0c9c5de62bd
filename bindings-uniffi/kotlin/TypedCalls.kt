// Support of the generated typed calls (generated/CamsCalls.kt): `client.calls(transport)` and
// the helpers the generated methods use. Every value is checked again by camskit (core's catalog:
// names, types, required ones) before anything is sent; the answer is read as CamsAnswers does.
//
//     val calls = client.calls(OkHttpTransport())                 // suspend, over OkHttp
//     val answer = calls.listChatappTemplate(custSpaceId = "cs-1")  // ListChatappTemplateAnswer
//     calls.listChatappTemplateItemsFlow(custSpaceId = "cs-1").collect { println(it.templateCode) }
//
//     val blocking = client.calls(JavaNetTransport())               // blocking, off the main thread
//     for (t in blocking.listChatappTemplateItems(custSpaceId = "cs-1")) println(t.lastUpdateTime)
package camskit.answers

import camskit.CallOptions
import camskit.CamsClient
import camskit.CamsException
import camskit.HttpTransport
import camskit.ParamValue
import camskit.SuspendTransport
import camskit.blocking
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.runInterruptible
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException

/** Every operation as a typed blocking call over [transport]. */
fun CamsClient.calls(transport: HttpTransport): CamsCalls = CamsCalls(this, transport)

/** Every operation as a typed `suspend` call over [transport] (OkHttpTransport, JavaNetSuspendTransport). */
fun CamsClient.calls(transport: SuspendTransport): CamsSuspendCalls = CamsSuspendCalls(this, transport)

/** The parameters of one generated call: the ones given (not null), as camskit's ParamValues. */
class CallParams internal constructor() {
    val map: MutableMap<String, ParamValue> = LinkedHashMap()
    fun text(name: String, v: String?) { if (v != null) map[name] = ParamValue.Text(v) }
    fun integer(name: String, v: Long?) { if (v != null) map[name] = ParamValue.Integer(v) }
    fun boolean(name: String, v: Boolean?) { if (v != null) map[name] = ParamValue.Boolean(v) }
    fun number(name: String, v: Double?) { if (v != null) map[name] = ParamValue.Number(v) }
    fun value(name: String, v: ParamValue?) { if (v != null) map[name] = v }
}

internal fun <T> decodeItem(action: String, serializer: KSerializer<T>, json: String): T = try {
    CamsAnswerJson.decodeFromString(serializer, json)
} catch (e: SerializationException) {
    throw CamsException.Parse(200, "$action: an item does not fit its model: ${e.message?.lineSequence()?.first()}", json.take(120))
} catch (e: IllegalArgumentException) {
    throw CamsException.Parse(200, "$action: an item does not fit its model: ${e.message?.lineSequence()?.first()}", json.take(120))
}

private fun itemsOf(action: String, page: camskit.Page): List<String> =
    page.itemsJson ?: throw CamsException.Parse(page.response.status, "$action: camskit cannot find this page's items", page.response.bodyJson.take(120))

/** The items of every page, lazily: each page one blocking `call` (core turns the pages). */
internal fun <T> itemSequence(
    client: CamsClient, action: String, params: Map<String, ParamValue>, transport: HttpTransport,
    options: CallOptions?, serializer: KSerializer<T>,
): Sequence<T> {
    val walk = client.pages(action, params, transport, options)
    return generateSequence { walk.nextPage() }.flatMap { page -> itemsOf(action, page).asSequence().map { decodeItem(action, serializer, it) } }
}

/** The items of every page as a Flow: the walk runs on Dispatchers.IO, a cancelled collector interrupts it. */
internal fun <T> itemFlow(
    client: CamsClient, action: String, params: Map<String, ParamValue>, transport: HttpTransport,
    options: CallOptions?, serializer: KSerializer<T>,
): Flow<T> = flow {
    val walk = client.pages(action, params, transport, options)
    while (true) {
        val page = runInterruptible { walk.nextPage() } ?: break
        for (item in itemsOf(action, page)) emit(decodeItem(action, serializer, item))
    }
}.flowOn(Dispatchers.IO)

internal fun <T> itemFlow(
    client: CamsClient, action: String, params: Map<String, ParamValue>, transport: SuspendTransport,
    options: CallOptions?, serializer: KSerializer<T>,
): Flow<T> = itemFlow(client, action, params, transport.blocking(), options, serializer)

// Typed answers (records of the operations in typedAnswerActions()) and the path accessor
// (jsonField / CamsResponse.long(...)), against the recorded answers of
// tests/vectors/answers.json: each sample body is read by the generated record, and every value
// of the record is compared with the body read independently by the tests' own JSON reader
// (Json.kt), field by field as the description (answers.json "models") declares them.
package camskit.tests

import camskit.*
import java.io.File

private const val TWO_POW_53 = 9007199254740992L

private fun Any?.num(): JsonNumber = this as JsonNumber

/** The value at keys / indexes in a body read by JsonReader. */
private fun Any?.at(vararg steps: Any): Any? = steps.fold(this) { v, s ->
    when (s) {
        is Int -> v.arr()[s]
        else -> v.obj()[s as String]
    }
}

private fun camel(snake: String): String {
    val parts = snake.split("_")
    return parts[0] + parts.drop(1).joinToString("") { it.replaceFirstChar(Char::uppercaseChar) }
}

/** Both ways to the record of one operation: parse(status, body) and from a CamsResponse. */
private fun typed(action: String, bytes: ByteArray): Pair<Any, Any> {
    val resp = parseResponse(200, bytes)
    return when (action) {
        "ChatappMigrationRegister" -> parseChatappMigrationRegisterResponse(200, bytes) to chatappMigrationRegisterAnswer(resp)
        "ChatappMigrationVerified" -> parseChatappMigrationVerifiedResponse(200, bytes) to chatappMigrationVerifiedAnswer(resp)
        "CreateChatappMigrationInitiate" -> parseCreateChatappMigrationInitiateResponse(200, bytes) to createChatappMigrationInitiateAnswer(resp)
        "GetMigrationVerifyCode" -> parseGetMigrationVerifyCodeResponse(200, bytes) to getMigrationVerifyCodeAnswer(resp)
        "GetChatappPhoneNumberMetric" -> parseGetChatappPhoneNumberMetricResponse(200, bytes) to getChatappPhoneNumberMetricAnswer(resp)
        "GetChatappTemplateDetail" -> parseGetChatappTemplateDetailResponse(200, bytes) to getChatappTemplateDetailAnswer(resp)
        "GetChatappTemplateMetric" -> parseGetChatappTemplateMetricResponse(200, bytes) to getChatappTemplateMetricAnswer(resp)
        "GetPhoneNumberVerificationStatus" -> parseGetPhoneNumberVerificationStatusResponse(200, bytes) to getPhoneNumberVerificationStatusAnswer(resp)
        "ListChatappMessage" -> parseListChatappMessageResponse(200, bytes) to listChatappMessageAnswer(resp)
        "ListChatappTemplate" -> parseListChatappTemplateResponse(200, bytes) to listChatappTemplateAnswer(resp)
        "QueryChatappBindWaba" -> parseQueryChatappBindWabaResponse(200, bytes) to queryChatappBindWabaAnswer(resp)
        "QueryChatappPhoneNumbers" -> parseQueryChatappPhoneNumbersResponse(200, bytes) to queryChatappPhoneNumbersAnswer(resp)
        "QueryPhoneBusinessProfile" -> parseQueryPhoneBusinessProfileResponse(200, bytes) to queryPhoneBusinessProfileAnswer(resp)
        else -> throw AssertionFailed("$action has a typed answer but no Kotlin test")
    }
}

/** Compares a record with the JSON object it was read from, as the description declares the model. */
private class Comparer(val models: Map<String, Any?>, val unknown: String) {
    var values = 0
    var big = 0

    fun model(name: String, json: Map<String, Any?>, record: Any, where: String) {
        val declared = mutableSetOf<String>()
        for (f in models[name].at("fields").arr()) {
            val api = f.at("name").str()
            declared += api
            val prop = camel(f.at("snake").str())
            val got = record.javaClass.getDeclaredField(prop).apply { isAccessible = true }.get(record)
            value(f.at("type").obj(), json[api], got, "$where.$api")
        }
        // Nothing lost: the fields the model does not declare are in extraJson, as sent.
        val extra = record.javaClass.getDeclaredField("extraJson").apply { isAccessible = true }.get(record) as String
        val want = json.filterKeys { it !in declared }
        check(unknown in want) { "$where: the sample has no $unknown" }
        eq(JsonReader.parse(extra), want, "$where extraJson")
        values++
    }

    fun value(ty: Map<String, Any?>, json: Any?, got: Any?, where: String) {
        if (json == null) {
            eq(got, null, "$where (absent)")
            return
        }
        values++
        when (ty["kind"]) {
            "string", "boolean" -> eq(got, json, where)
            "integer" -> {
                check(got is Long) { "$where: ${got?.javaClass} is not Long" }
                eq(got as Long, json.num().toLong(), where)
                eq(got.toString(), json.num().text, "$where exact")
                if (got > TWO_POW_53) big++
            }
            "number" -> eq(got as Double, json.num().text.toDouble(), where)
            "any" -> eq(JsonReader.parse(got as String), json, "$where (JSON text)")
            "object" -> model(ty["model"] as String, json.obj(), got!!, where)
            "list" -> {
                val g = got as List<*>
                eq(g.size, json.arr().size, "$where size")
                g.forEachIndexed { i, x -> value(ty["items"].obj(), json.arr()[i], x, "$where[$i]") }
            }
            "map" -> {
                val g = got as Map<*, *>
                eq(g.keys, json.obj().keys, "$where keys")
                for ((k, x) in json.obj()) value(ty["values"].obj(), x, g[k], "$where[$k]")
            }
            else -> throw AssertionFailed("$where: kind ${ty["kind"]}")
        }
    }
}

/** Reads a few fields by their Kotlin names (a misspelt name does not compile). */
private fun byName(action: String, r: Any, b: Any?) {
    when (action) {
        "ListChatappTemplate" -> {
            r as ListChatappTemplateAnswer
            val t: Long? = r.listTemplate!![1].lastUpdateTime
            eq(t, b.at("ListTemplate", 1, "LastUpdateTime").num().toLong(), "lastUpdateTime")
            check(t!! > TWO_POW_53) { "a 64-bit time beyond 2^53: $t" }
            eq(r.listTemplate!![0].templateCode, b.at("ListTemplate", 0, "TemplateCode"), "templateCode")
            eq(r.listTemplate!![0].auditStatus, b.at("ListTemplate", 0, "AuditStatus"), "auditStatus")
            eq(r.total, b.at("Total").num().toLong(), "total")
            eq(r.code, "OK", "code")
            eq(r.requestId, b.at("RequestId"), "requestId")
            eq(r.message, b.at("Message"), "message")
        }
        "GetChatappTemplateDetail" -> {
            r as GetChatappTemplateDetailAnswer
            val d = r.data!!
            eq(d.components!![0].buttons!![1].extendAttrs!!.nextTemplateCode, b.at("Data", "Components", 0, "Buttons", 1, "ExtendAttrs", "NextTemplateCode"), "nextTemplateCode")
            eq(d.components!![1].cards!![0].cardComponents!![0].type, b.at("Data", "Components", 1, "Cards", 0, "CardComponents", 0, "Type"), "card type")
            eq(d.components!![0].hasExpiration, b.at("Data", "Components", 0, "hasExpiration"), "hasExpiration")
            eq(d.example, b.at("Data", "Example"), "example (map of text)")
            eq(d.messageSendTtlSeconds, b.at("Data", "MessageSendTtlSeconds").num().toLong(), "messageSendTtlSeconds")
            eq(d.allowSend, b.at("Data", "AllowSend"), "allowSend")
        }
        "GetChatappTemplateMetric" -> {
            r as GetChatappTemplateMetricAnswer
            eq(r.data!![0].start, b.at("Data", 0, "Start").num().toLong(), "start")
            check(r.data!![0].start!! > TWO_POW_53) { "start beyond 2^53" }
            eq(r.data!![1].cliented!![1].count, b.at("Data", 1, "Cliented", 1, "Count").num().toLong(), "count")
            eq(r.data!![0].readCount, b.at("Data", 0, "ReadCount").num().toLong(), "readCount")
        }
        "QueryChatappPhoneNumbers" -> {
            r as QueryChatappPhoneNumbersAnswer
            val n = r.phoneNumbers!![1]
            eq(n.qualityRating, b.at("PhoneNumbers", 1, "QualityRating"), "qualityRating")
            eq(n.messagingLimitTier, b.at("PhoneNumbers", 1, "MessagingLimitTier"), "messagingLimitTier")
            eq(n.callingConfigure!!.calling!!.callHours!!.weeklyOperatingHours!![1].dayOfWeek, b.at("PhoneNumbers", 1, "CallingConfigure", "Calling", "CallHours", "WeeklyOperatingHours", 1, "DayOfWeek"), "dayOfWeek")
            eq(n.callingConfigure!!.maxTalkTime, b.at("PhoneNumbers", 1, "CallingConfigure", "MaxTalkTime").num().toLong(), "maxTalkTime")
            eq(r.data, b.at("Data"), "data (text in this model)")
        }
        "QueryPhoneBusinessProfile" -> {
            r as QueryPhoneBusinessProfileAnswer
            eq(r.data!!.websites, b.at("Data", "Websites"), "websites")
            eq(r.data!!.vertical, b.at("Data", "Vertical"), "vertical")
            eq(r.success, b.at("Success"), "success")
        }
        "GetChatappPhoneNumberMetric" -> {
            r as GetChatappPhoneNumberMetricAnswer
            eq(r.data!![1].end, b.at("Data", 1, "End").num().toLong(), "end")
            check(r.data!![1].end!! > TWO_POW_53) { "end beyond 2^53" }
            eq(r.data!![1].sentCount, b.at("Data", 1, "SentCount").num().toLong(), "sentCount")
        }
        "GetPhoneNumberVerificationStatus" -> {
            r as GetPhoneNumberVerificationStatusAnswer
            eq(r.data!!.codeVerificationStatus, b.at("Data", "CodeVerificationStatus"), "codeVerificationStatus")
            eq(r.data!!.id, b.at("Data", "Id"), "id")
        }
        "ListChatappMessage" -> {
            r as ListChatappMessageAnswer
            eq(r.data!![1].messageStatus, b.at("Data", 1, "MessageStatus"), "messageStatus")
            eq(r.data!![0].failReason, b.at("Data", 0, "FailReason"), "failReason")
            eq(r.data!![0].messageId, b.at("Data", 0, "MessageId"), "messageId")
        }
        "QueryChatappBindWaba" -> {
            r as QueryChatappBindWabaAnswer
            val any = r.data!!.authInternationalRateEligibility!!
            eq(any.keys, b.at("Data", "AuthInternationalRateEligibility").obj().keys, "map keys")
            eq(JsonReader.parse(any.values.first()), b.at("Data", "AuthInternationalRateEligibility").obj().values.first(), "any value as JSON text")
            eq(r.data!!.currency, b.at("Data", "Currency"), "currency")
        }
        "CreateChatappMigrationInitiate" -> {
            r as CreateChatappMigrationInitiateAnswer
            eq(r.data!!.id, b.at("Data", "Id"), "migration id")
            eq(r.data!!.phoneNumber, b.at("Data", "PhoneNumber"), "phoneNumber")
            eq(r.data!!.status, b.at("Data", "Status"), "status")
            eq(r.code, "OK", "code")
        }
        "GetMigrationVerifyCode" -> {
            r as GetMigrationVerifyCodeAnswer
            eq(r.data!!.id, b.at("Data", "Id"), "id")
            eq(r.data!!.phoneNumber, b.at("Data", "PhoneNumber"), "phoneNumber")
        }
        "ChatappMigrationVerified" -> {
            r as ChatappMigrationVerifiedAnswer
            eq(r.data!!.id, b.at("Data", "Id"), "id")
            eq(r.data!!.phoneNumber, b.at("Data", "PhoneNumber"), "phoneNumber")
        }
        "ChatappMigrationRegister" -> {
            r as ChatappMigrationRegisterAnswer
            eq(r.requestId, b.at("RequestId"), "requestId")
            eq(r.message, b.at("Message"), "message")
        }
        else -> throw AssertionFailed("$action: no by-name checks")
    }
}

fun answerTests(root: File) {
    val doc = JsonReader.parse(File(root, "tests/vectors/answers.json").readText())
    val models = doc.at("models").obj()
    val ops = doc.at("operations").obj()
    val unknown = doc.at("unknown_field").str()
    val recorded = doc.at("answers").arr().associateBy { it.at("action").str() }
    val actions = typedAnswerActions()
    var compared = 0
    var big = 0

    test("typed answers: the operations with records") {
        check(actions.size in 6..16) { "$actions" }
        eq(actions, actions.sorted(), "sorted")
        for (a in listOf("ListChatappTemplate", "GetChatappTemplateDetail", "QueryChatappPhoneNumbers", "ListChatappMessage", "GetPhoneNumberVerificationStatus",
                "CreateChatappMigrationInitiate", "GetMigrationVerifyCode", "ChatappMigrationVerified", "ChatappMigrationRegister"))
            check(a in actions) { "$a has no record: $actions" }
    }
    for (action in actions) test("typed answer $action: every field as the recorded body says") {
        val body = recorded[action].at("body")
        val bytes = toJson(body).toByteArray()
        val (parsed, fromResponse) = typed(action, bytes)
        eq(fromResponse, parsed, "$action: from a CamsResponse = parsed")
        val c = Comparer(models, unknown)
        c.model(ops.at(action, "body").str(), body.obj(), parsed, action)
        // the smallest answer (ChatappMigrationRegister: the envelope) has 4 fields and extraJson
        check(c.values >= 5) { "$action: only ${c.values} values compared" }
        byName(action, parsed, body)
        compared += c.values
        big += c.big
    }
    test("typed answers: 64-bit values beyond 2^53 arrive exact as Long") {
        check(big >= 4) { "only $big values beyond 2^53 compared" }
    }
    report("typed answers: ${actions.size} operations, $compared values compared, $big integers beyond 2^53 exact")

    test("typed answers: errors as parseResponse throws them") {
        val e = expectThrows<CamsException.Api>("business error") {
            parseListChatappTemplateResponse(200, """{"RequestId":"r3","Code":"Ram.PermissionDeny","Message":"no"}""".toByteArray())
        }
        eq(e.kind, ErrorKind.PERMISSION, "kind")
        expectThrows<CamsException.Parse>("html") { parseQueryChatappPhoneNumbersResponse(502, "<html></html>".toByteArray()) }
        val p = expectThrows<CamsException.Parse>("a field of another type") {
            parseListChatappTemplateResponse(200, """{"RequestId":"r","Code":"OK","Total":"two"}""".toByteArray())
        }
        check(p.reason.contains("ListChatappTemplate")) { p.reason }
        val p2 = expectThrows<CamsException.Parse>("from a response") {
            listChatappTemplateAnswer(parseResponse(200, """{"Code":"OK","ListTemplate":{"a":1}}""".toByteArray()))
        }
        check(p2.reason.contains("ListChatappTemplate")) { p2.reason }
        // Undeclared fields kept at the top, empty object when none.
        val r = parseListChatappTemplateResponse(200, """{"RequestId":"r","Code":"OK","Total":1,"NewThing":{"Id":9007199254740993}}""".toByteArray())
        eq(jsonLong(r.extraJson, "NewThing.Id"), 9007199254740993L, "extraJson keeps an unknown field exactly")
        eq(r.listTemplate, null, "absent list")
        eq(parseListChatappTemplateResponse(200, """{"Code":"OK"}""".toByteArray()).extraJson, "{}", "no extra")
    }

    // ---- the accessor ----
    val body = """{"RequestId":"r1","Code":"OK","Data":{"Total":2,"Rate":0.25,"On":true,"Nothing":null,"List":[{"Name":"a","Id":9007199254740993},{"Name":"b","Id":-5}]}}"""
    val resp = parseResponse(200, body.toByteArray())
    test("accessor: existing paths, exact types") {
        eq(resp.string("RequestId"), "r1", "string")
        eq(resp.long("Data.Total"), 2L, "long")
        eq(resp.double("Data.Rate"), 0.25, "double")
        eq(resp.double("Data.Total"), 2.0, "an integer as double")
        eq(resp.boolean("Data.On"), true, "boolean")
        eq(resp.field("Data.Nothing"), JsonValue.Null, "null")
        eq(resp.field("Data.Total"), JsonValue.Integer(2L), "field integer")
        eq(resp.field("Data.List[1].Name"), JsonValue.Text("b"), "field text")
        val list = resp.field("Data.List") as JsonValue.Json
        eq(JsonReader.parse(list.json), JsonReader.parse(body).at("Data", "List"), "a list as JSON text")
        eq(jsonString(resp.dataJson!!, "List[0].Name"), "a", "dataJson")
        eq(jsonString(list.json, "[1].Name"), "b", "a list's JSON text, by index")
    }
    test("accessor: an id beyond 2^53 exact as Long") {
        eq(resp.long("Data.List[0].Id"), 9007199254740993L, "long")
        eq(resp.field("Data.List[0].Id"), JsonValue.Integer(9007199254740993L), "field")
        eq(resp.long("Data.List[1].Id"), -5L, "negative")
        eq(jsonLong("""{"Max":9223372036854775807}""", "Max"), Long.MAX_VALUE, "Long.MAX_VALUE")
        val e = expectThrows<CamsException.Validation>("beyond Long") { jsonLong("""{"U":18446744073709551615}""", "U") }
        eq(e.code, "wrong_field_type", "code")
        val n = jsonField("""{"U":18446744073709551615}""", "U") as JsonValue.Number
        eq(n.json, "18446744073709551615", "exact text of an integer beyond Long")
    }
    test("accessor: a missing path is named") {
        val e = expectThrows<CamsException.Validation>("missing") { resp.string("Data.List[0].Nme") }
        eq(e.code, "missing_field", "code")
        eq(e.parameter, "Data.List[0].Nme", "parameter is the path")
        check(e.errorMessage.contains("\"Data.List[0].Nme\"") && e.errorMessage.contains("\"Nme\"")) { e.errorMessage }
        val i = expectThrows<CamsException.Validation>("index out of range") { resp.field("Data.List[2].Name") }
        eq(i.code, "missing_field", "code")
        check(i.errorMessage.contains("has 2 items")) { i.errorMessage }
        val s = expectThrows<CamsException.Validation>("malformed") { resp.field("Data..Total") }
        eq(s.code, "invalid_path", "code")
        check(s.errorMessage.contains("Data..Total")) { s.errorMessage }
    }
    test("accessor: a value of another type is named") {
        val e = expectThrows<CamsException.Validation>("string asked, integer there") { resp.string("Data.Total") }
        eq(e.code, "wrong_field_type", "code")
        eq(e.parameter, "Data.Total", "parameter")
        eq(e.errorMessage, "answer field \"Data.Total\": is an integer, not a string", "message")
        expectThrows<CamsException.Validation>("long of a fraction") { resp.long("Data.Rate") }
        expectThrows<CamsException.Validation>("long of null") { resp.long("Data.Nothing") }
        expectThrows<CamsException.Validation>("boolean of a string") { resp.boolean("RequestId") }
        expectThrows<CamsException.Validation>("not JSON") { jsonLong("{", "A") }
    }
}

// Receipts: every case of tests/vectors/receipts.json through parsePush / parseMnsBody (the
// typed fields the pages define, exact integers, dedupKey, nothing lost: every field core
// does not know is on the event as it came), DedupWindow and advances (core's order), and
// receiptsFromRequest with real fetch Request objects.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DedupWindow, ValidationError, advances, maxReceiptBytes, messageTypeOfQueue, parseMnsBody, parsePush,
  receiptsFromRequest, pushHandlerFailedResponse,
} from "camskit";
import { vectors } from "./helpers.mjs";

const DERIVED = ["messageType", "dedupKey"];
/** The documented fields per type (the .d.ts interfaces); the rest of an event is its extra. */
const DOCUMENTED = {
  ChatAppStatus: ["status", "MessageId", "Status", "From", "To", "Timestamp", "StatusDescription", "ErrorCode",
    "ErrorDescription", "ConversationType", "ConversationId", "ConversationExpirationTime", "MsgFrameType", "Type",
    "TaskId", "OriginPhoneNumber", "TemplateCode", "TemplateName", "Language", "FromUserId", "FromParentUserId",
    "FromUserName", "UserId", "ParentUserId", "UserName"],
  ChatAppInbound: ["MessageId", "CustSpaceId", "WabaId", "From", "To", "FromUserId", "FromParentUserId", "FromUserName",
    "Timestamp", "DisplayName", "Type", "Message", "content", "Name"],
  ChatAppAudit: ["WabaId", "TemplateCode", "Language", "AuditStatus", "Reason", "Type", "PhoneNumber", "Status", "CurrentLimit"],
  Other: ["givenMessageType", "raw"],
};

/** core's serde keys of a vector's content, as JavaScript sees them. */
const jsContent = (c) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k === "message_type" ? "messageType" : k, v]));

const cases = vectors("receipts.json").cases;

test("receipts.json: every case has a test, and the list is the whole file", () => {
  assert.ok(cases.length >= 30, `${cases.length} cases`);
});

for (const c of cases) {
  test(`receipts vector: ${c.name}`, () => {
    const parse = c.transport === "push" ? parsePush : parseMnsBody;
    assert.ok(c.transport === "push" || c.transport === "mns", c.transport);
    if (c.error) {
      assert.throws(() => parse(c.body, c.message_type ?? undefined), (e) => {
        assert.ok(e instanceof ValidationError, `${e}`);
        assert.equal(e.category, "validation");
        assert.equal(e.errorCode, "invalid_input");
        for (const word of c.error) assert.ok(e.message.includes(word), `${JSON.stringify(e.message)} does not name ${JSON.stringify(word)}`);
        return true;
      });
      return;
    }
    const events = parse(c.body, c.message_type);
    // The same from bytes.
    assert.deepEqual(parse(new TextEncoder().encode(c.body), c.message_type), events);
    assert.equal(events.length, c.expect.length, "number of events");
    c.expect.forEach((want, i) => {
      const got = events[i];
      const type = want.type;
      assert.equal(got.messageType, type, `[${i}] messageType`);
      assert.equal(typeof got.dedupKey, "string");
      if (type === "Other") {
        assert.equal(got.givenMessageType, want.fields.message_type);
        assert.deepEqual(got.raw, want.fields.raw);
      } else {
        for (const [key, value] of Object.entries(want.fields)) assert.deepEqual(got[key], value, `[${i}] field ${key}`);
      }
      if (want.status !== undefined) assert.equal(got.status, want.status, `[${i}] status`);
      if (want.content !== undefined) {
        for (const [key, value] of Object.entries(jsContent(want.content))) {
          assert.deepEqual(got.content[key], value, `[${i}] content.${key}: ${JSON.stringify(got.content)}`);
        }
      }
      if (want.dedup_key !== undefined) assert.equal(got.dedupKey, want.dedup_key, `[${i}] dedupKey`);
      const known = new Set([...DERIVED, ...DOCUMENTED[type]]);
      for (const k of DOCUMENTED[type]) assert.ok(Object.hasOwn(got, k), `[${i}] ${k} is there (null when not sent)`);
      const extra = Object.keys(got).filter((k) => !known.has(k)).sort();
      if (want.extra !== undefined) assert.deepEqual(extra, [...want.extra].sort(), `[${i}] extra`);
    });
  });
}

test("every inbound content kind of the docs reaches JavaScript", () => {
  const kinds = new Set();
  for (const c of cases) {
    if (c.error) continue;
    const events = (c.transport === "push" ? parsePush : parseMnsBody)(c.body, c.message_type);
    for (const e of events) if (e.messageType === "ChatAppInbound") kinds.add(e.content.kind);
  }
  for (const k of ["text", "image", "video", "audio", "document", "location", "reply", "contacts", "system", "other", "unparsed"]) {
    assert.ok(kinds.has(k), k);
  }
});

test("integers stay exact: a Timestamp beyond 2^53 - 1 is a bigint, within it a number; IDs sent as numbers are their digits", () => {
  const [big, small] = parsePush(
    '[{"MessageId":9007199254740993,"Status":"Read","Timestamp":9007199254740993},'
    + '{"MessageId":"m2","Status":"Sent","Timestamp":9007199254740991,"Extra":[1,18446744073709551615]}]',
    "ChatAppStatus",
  );
  assert.equal(big.Timestamp, 9007199254740993n);
  assert.equal(big.MessageId, "9007199254740993");
  assert.equal(small.Timestamp, 9007199254740991);
  assert.deepEqual(small.Extra, [1, 18446744073709551615n]);
  const [other] = parsePush('{"Big":-9007199254740993,"F":0.5}', "Unknown");
  assert.deepEqual(other.raw, { Big: -9007199254740993n, F: 0.5 });
});

test("bodies as string, Uint8Array and ArrayBuffer; a UTF-8 BOM; anything else is a ValidationError", () => {
  const text = '[{"MessageId":"é1","Status":"Delivered"}]';
  const bytes = new TextEncoder().encode(text);
  assert.deepEqual(parsePush(bytes.buffer), parsePush(text));
  assert.equal(parsePush(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))[0].MessageId, "é1");
  for (const bad of [42, null, undefined, {}, ["x"]]) {
    assert.throws(() => parsePush(bad), ValidationError);
  }
  assert.throws(() => parsePush("[]", 7), ValidationError);
  assert.deepEqual(parsePush("[]"), []);
});

test("parseMnsBody: base64 (with whitespace, padding optional) and plain JSON give the same events", () => {
  const json = '{"MessageId":"m1","Status":"Read","Timestamp":1691043638000}';
  const b64 = Buffer.from(json).toString("base64");
  const wrapped = `${b64.slice(0, 20)}\n${b64.slice(20)}`.replace(/=+$/, "");
  assert.deepEqual(parseMnsBody(wrapped, "ChatAppStatus"), parseMnsBody(json, "ChatAppStatus"));
  assert.equal(parseMnsBody(b64)[0].dedupKey, "ChatAppStatus/m1/Read");
});

test("a body beyond maxReceiptBytes is refused, naming the limit", () => {
  const limit = maxReceiptBytes();
  assert.equal(limit, 8 * 1024 * 1024);
  const body = new Uint8Array(limit + 1).fill(0x20);
  assert.throws(() => parsePush(body), (e) => e instanceof ValidationError && e.message.includes(String(limit)));
});

test("the union narrows on messageType and content.kind", () => {
  const events = parsePush(JSON.stringify([
    { MessageId: "s1", Status: "Failed", ErrorCode: "131026" },
    { MessageId: "i1", Type: "LOCATION", DisplayName: "x", Message: JSON.stringify({ latitude: 30.5, longitude: "120.1", name: "n" }) },
    { WabaId: "w", AuditStatus: "pass", TemplateCode: "t" },
  ]));
  assert.deepEqual(events.map((e) => e.messageType), ["ChatAppStatus", "ChatAppInbound", "ChatAppAudit"]);
  assert.equal(events[0].status, "Failed");
  assert.deepEqual(events[1].content, { kind: "location", address: null, latitude: "30.5", longitude: "120.1", name: "n" });
  assert.equal(events[2].dedupKey, "ChatAppAudit/template/w/t//pass///");
});

test("messageTypeOfQueue: core's reading of a queue name", () => {
  assert.equal(messageTypeOfQueue("Alicom-Queue-1873897471328909-ChatAppStatus"), "ChatAppStatus");
  assert.equal(messageTypeOfQueue("Alicom-Queue-1-ChatAppInbound"), "ChatAppInbound");
  assert.equal(messageTypeOfQueue("my-queue"), null);
  assert.throws(() => messageTypeOfQueue(1), ValidationError);
});

test("DedupWindow: remembers, evicts the oldest first-seen key, stays bounded; keys or events", () => {
  const w = new DedupWindow(3);
  assert.equal(w.capacity, 3);
  for (const k of ["a", "b", "c"]) assert.equal(w.seen(k), false);
  assert.equal(w.seen("a"), true);
  assert.equal(w.seen("d"), false); // evicts "a" (first seen), not "b"
  assert.equal(w.size, 3);
  assert.equal(w.contains("a"), false);
  assert.equal(w.seen("a"), false);
  assert.equal(w.seen("d"), true);
  for (let i = 0; i < 1000; i++) w.seen(String(i));
  assert.equal(w.size, 3);

  const push = (status) => parsePush(JSON.stringify([{ MessageId: "m1", Status: status, Timestamp: 1 }]))[0];
  const events = new DedupWindow(100);
  assert.equal(events.seen(push("Delivered")), false);
  assert.equal(events.seen(push("Delivered")), true, "a repeated push");
  assert.equal(events.contains(push("Read")), false);
  assert.equal(events.seen(push("Read").dedupKey), false);

  const one = new DedupWindow(0); // core: at least one
  assert.equal(one.capacity, 1);
  assert.equal(one.seen("x"), false);
  assert.equal(one.seen("x"), true);
  for (const bad of [-1, 1.5, "3", undefined]) assert.throws(() => new DedupWindow(bad), ValidationError);
  assert.throws(() => w.seen(5), ValidationError);
  assert.throws(() => w.seen({}), ValidationError);
});

test("advances: core's order of statuses (a late Delivered never undoes a Read)", () => {
  const all = ["Sent", "Delivered", "Read", "Failed", "Deleted", "Other"];
  for (const s of all) {
    assert.equal(advances(null, s), true, `${s} from nothing`);
    assert.equal(advances(undefined, s), true);
  }
  const table = [
    ["Sent", "Delivered", true], ["Sent", "Read", true], ["Delivered", "Read", true], ["Delivered", "Sent", false],
    ["Read", "Delivered", false], ["Read", "Sent", false], ["Read", "Read", false], ["Sent", "Failed", true],
    ["Delivered", "Failed", true], ["Read", "Failed", false], ["Failed", "Sent", false], ["Failed", "Read", false],
    ["Failed", "Failed", false], ["Deleted", "Read", false], ["Other", "Sent", true], ["Sent", "Other", false],
  ];
  for (const [current, incoming, want] of table) assert.equal(advances(current, incoming), want, `${current} -> ${incoming}`);
  // Status text as CAMS sends it (case ignored), and unknown values are Other.
  assert.equal(advances("read", "DELIVERED"), false);
  assert.equal(advances("unsubscribe", "Sent"), true);
  let stored = null;
  for (const s of ["Sent", "Read", "Delivered", "Sent"]) if (advances(stored, s)) stored = s;
  assert.equal(stored, "Read");
  assert.throws(() => advances("Sent", 3), ValidationError);
  assert.throws(() => advances(3, "Sent"), ValidationError);
});

// --- receiptsFromRequest -------------------------------------------------------------------------

const post = (body, init = {}) => new Request("http://127.0.0.1/cams/receipts", { method: "POST", body, ...init });

test("receiptsFromRequest: a push gives its events and a 200 to answer at once", async () => {
  const body = '[{"MessageId":"1000000000000001","From":"861388888****","To":"86137888****","DisplayName":"Mr Liu","Type":"TEXT","Message":"hello","Timestamp":1662104191973,"Name":"jack"}]';
  const { events, response, error } = await receiptsFromRequest(post(body, { headers: { "content-type": "application/json" } }), { messageType: "ChatAppInbound" });
  assert.equal(error, undefined);
  assert.equal(response.status, 200);
  assert.ok(response instanceof Response);
  assert.deepEqual(JSON.parse(await response.text()), { code: 0, msg: "OK" });
  assert.equal(events.length, 1);
  assert.deepEqual(events[0].content, { kind: "text", text: "hello" });
  assert.equal(events[0].dedupKey, "ChatAppInbound/1000000000000001");
  // Recognised from the fields without messageType; a streamed body too.
  const stream = new ReadableStream({
    start(ctl) {
      const bytes = new TextEncoder().encode(body);
      ctl.enqueue(bytes.subarray(0, 10));
      ctl.enqueue(bytes.subarray(10));
      ctl.close();
    },
  });
  const streamed = await receiptsFromRequest(post(stream, { duplex: "half" }));
  assert.deepEqual(streamed.events, events);
});

test("receiptsFromRequest: an unreadable body is a 400 with a short text, no events, and core's error", async () => {
  for (const [body, word] of [["<html>502</html>", "not JSON"], ["", "empty"], ['[{"Status":"Read"}]', "MessageId"], ['[{"a":1},7]', "event 2 of 2"]]) {
    const r = await receiptsFromRequest(post(body), { messageType: body.includes("Status") ? "ChatAppStatus" : undefined });
    assert.equal(r.response.status, 400, body);
    assert.deepEqual(r.events, []);
    assert.ok(r.error instanceof ValidationError);
    const text = await r.response.text();
    assert.ok(text.length <= 300, text);
    assert.ok(text.includes(word), `${text} names ${word}`);
    assert.match(r.response.headers.get("content-type"), /^text\/plain/);
  }
  // No body at all (a GET), and a body already read.
  assert.equal((await receiptsFromRequest(new Request("http://127.0.0.1/x"))).response.status, 400);
  const used = post("[]");
  await used.text();
  const r = await receiptsFromRequest(used);
  assert.equal(r.response.status, 400);
  assert.match(r.error.message, /already read/);
});

test("pushHandlerFailedResponse: core's 5xx, so CAMS pushes the events again", async () => {
  const r = pushHandlerFailedResponse();
  assert.ok(r.status >= 500 && r.status < 600, String(r.status));
  assert.equal(typeof JSON.parse(await r.text()).code, "number");
});

test("receiptsFromRequest: the read is bounded (core's limit plus one byte), then refused", async () => {
  const limit = maxReceiptBytes();
  let pulled = 0;
  const chunk = new Uint8Array(1 << 20).fill(0x20);
  const endless = new ReadableStream({
    pull(ctl) {
      pulled += chunk.length;
      ctl.enqueue(chunk);
    },
  });
  const r = await receiptsFromRequest(post(endless, { duplex: "half" }));
  assert.equal(r.response.status, 400);
  assert.match(r.error.message, /larger than/);
  assert.ok(pulled <= limit + 3 * chunk.length, `${pulled} bytes pulled`);
});

test("receiptsFromRequest: bad arguments are ValidationErrors", async () => {
  await assert.rejects(receiptsFromRequest("http://x"), ValidationError);
  await assert.rejects(receiptsFromRequest(post("[]"), { messagetype: "x" }), ValidationError);
  await assert.rejects(receiptsFromRequest(post("[]"), []), ValidationError);
});

test("a CAMS field named like a derived key gives way to it, and the derived keys come first, on both ways to JavaScript", () => {
  const body = (extra) => `[{"MessageId":"m1","Status":"Read","status":"x","dedupKey":"y","messageType":"z","content":"w","Zed":[1,{"a":"b"}]${extra}},`
    + `{"MessageId":"i1","Type":"TEXT","Message":"hi","DisplayName":"D","content":"c"}]`;
  // Without a big integer the events cross as one JSON text; with one, through JSON values.
  const plain = parsePush(body(""));
  const exact = parsePush(body(',"Big":9007199254740993'));
  for (const [status, inbound] of [plain, exact]) {
    assert.deepEqual(Object.keys(status).slice(0, 3), ["messageType", "dedupKey", "status"]);
    assert.equal(status.messageType, "ChatAppStatus");
    assert.equal(status.dedupKey, "ChatAppStatus/m1/Read");
    assert.equal(status.status, "Read");
    assert.equal(status.content, undefined);
    assert.deepEqual(status.Zed, [1, { a: "b" }]);
    assert.equal(inbound.messageType, "ChatAppInbound");
    assert.deepEqual(inbound.content, { kind: "text", text: "hi" });
  }
  assert.equal(exact[0].Big, 9007199254740993n);
  const { Big, ...rest } = exact[0];
  assert.deepEqual(rest, plain[0]);
  assert.deepEqual(exact[1], plain[1]);
});

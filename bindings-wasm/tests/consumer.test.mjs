// client.receipts (core's MNS Consumer over fetch) against a small MNS queue and Dybaseapi
// token stand-in on 127.0.0.1, written here: it keeps MNS's rules (visibility timeout,
// redelivery, receipt handles that go stale, MessageNotExist on an empty poll) and no
// signature check (core's tests check the signatures against the official SDK's vectors).
// What must hold: every message is handled; none is deleted before its handler finished;
// a handler that throws leaves its message to come back (the error reaches the caller); a
// redelivery of a message handled by the same consumer is flagged duplicate, and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { ApiError, Client, ValidationError } from "camskit";

const QUEUE = "Alicom-Queue-1873897471328909-ChatAppStatus";

function shanghai(unixSeconds) {
  return new Date((unixSeconds + 8 * 3600) * 1000).toISOString().slice(0, 19).replace("T", " ");
}
const errorXml = (code) => `<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>${code}</Code><Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>`;
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

/**
 * The stand-in. `faults`: { loseDelete: Set of ids whose first delete is answered 500 while
 * their visibility runs out (the queue did not act: they come back), resetFirstReceive: the first
 * receive's connection is destroyed, tokenError: the token answer, queueMissing }.
 */
async function standIn(n, { visibilityMs = 400, faults = {}, finished = new Set() } = {}) {
  const msgs = new Map();
  for (let i = 0; i < n; i++) {
    const id = `M${String(i).padStart(5, "0")}`;
    const body = JSON.stringify({ MessageId: `wamid.${i}`, Status: "Delivered", Timestamp: 1700000000000 + i, From: "1", To: "2" });
    // Some bodies base64-encoded, as the MNS SDKs write them.
    msgs.set(id, { body: i % 3 === 0 ? Buffer.from(body).toString("base64") : body, visibleAt: 0, dequeue: 0, generation: 0 });
  }
  const state = {
    msgs, finished, tokens: 0, receives: 0, deletedEarly: [], deleted: [], visibility: [], lost: new Set(), requests: [],
  };
  const handleOf = (id, g) => `1-${id}-${g}`;
  const parseHandle = (h) => {
    const m = /^1-(.+)-(\d+)$/.exec(h);
    return m ? [m[1], Number(m[2])] : [h, -1];
  };
  const valid = (id, g, now) => {
    const m = msgs.get(id);
    return m !== undefined && m.generation === g && m.visibleAt > now;
  };
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    const url = new URL(req.url, "http://x");
    const now = Date.now();
    const reply = (status, text, type = "text/xml") => {
      res.writeHead(status, { "content-type": type });
      res.end(text);
    };
    state.requests.push(`${req.method} ${url.pathname}`);
    if (!url.pathname.startsWith("/queues/")) {
      // Dybaseapi QueryTokenForMnsQueue (RPC 1.0; the signature is core's, checked in core's tests).
      const params = new URLSearchParams(url.search + (body ? `&${body}` : ""));
      assert.equal(params.get("Action"), "QueryTokenForMnsQueue");
      assert.equal(params.get("MessageType"), "ChatAppStatus");
      if (faults.tokenError) return reply(400, JSON.stringify(faults.tokenError), "application/json");
      state.tokens += 1;
      const s = Math.floor(now / 1000);
      return reply(200, JSON.stringify({
        Code: "OK", Message: "OK", RequestId: "t", MessageTokenDTO: {
          AccessKeyId: `STS.key${state.tokens}`, AccessKeySecret: "s", SecurityToken: `tok${state.tokens}`,
          CreateTime: shanghai(s), ExpireTime: shanghai(s + 3600),
        },
      }), "application/json");
    }
    assert.match(req.headers.authorization ?? "", /^MNS STS\.key\d+:/);
    assert.ok(req.headers["security-token"]?.startsWith("tok"));
    if (faults.queueMissing) return reply(404, errorXml("QueueNotExist"));
    assert.equal(url.pathname, `/queues/${QUEUE}/messages`);
    if (req.method === "GET") {
      state.receives += 1;
      if (faults.resetFirstReceive && state.receives === 1) {
        req.socket.destroy();
        return;
      }
      const want = Number(url.searchParams.get("numOfMessages"));
      let out = "";
      let count = 0;
      for (const [id, m] of msgs) {
        if (count === want) break;
        if (m.visibleAt > now) continue;
        m.visibleAt = now + visibilityMs;
        m.dequeue += 1;
        m.generation += 1;
        count += 1;
        out += `<Message><MessageId>${id}</MessageId><ReceiptHandle>${handleOf(id, m.generation)}</ReceiptHandle><MessageBody>${esc(m.body)}</MessageBody><MessageBodyMD5>00000000000000000000000000000000</MessageBodyMD5><EnqueueTime>1</EnqueueTime><NextVisibleTime>${m.visibleAt}</NextVisibleTime><FirstDequeueTime>1</FirstDequeueTime><DequeueCount>${m.dequeue}</DequeueCount><Priority>8</Priority></Message>`;
      }
      if (count === 0) {
        // A short long poll: nothing came.
        await new Promise((r) => setTimeout(r, 20));
        return reply(404, errorXml("MessageNotExist"));
      }
      return reply(200, `<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="http://mns.aliyuncs.com/doc/v1/">${out}</Messages>`);
    }
    if (req.method === "DELETE") {
      const handles = [...body.matchAll(/<ReceiptHandle>([^<]*)<\/ReceiptHandle>/g)].map((m) => m[1]);
      const ids = handles.map((h) => parseHandle(h)[0]);
      const lose = ids.filter((id) => faults.loseDelete?.has(id) && !state.lost.has(id));
      if (lose.length > 0) {
        // The answer is an error and the queue did not act; meanwhile these handles went stale.
        for (const id of lose) {
          state.lost.add(id);
          const m = msgs.get(id);
          m.visibleAt = now;
        }
        return reply(500, errorXml("InternalError"));
      }
      let errors = "";
      for (const h of handles) {
        const [id, g] = parseHandle(h);
        if (!finished.has(id)) state.deletedEarly.push(id);
        if (valid(id, g, now)) {
          msgs.delete(id);
          state.deleted.push(id);
        } else {
          errors += `<Error><ErrorCode>ReceiptHandleError</ErrorCode><ErrorMessage>stale</ErrorMessage><ReceiptHandle>${h}</ReceiptHandle></Error>`;
        }
      }
      if (errors === "") return reply(204, "");
      return reply(404, `<?xml version="1.0" encoding="UTF-8"?><Errors xmlns="http://mns.aliyuncs.com/doc/v1/">${errors}</Errors>`);
    }
    if (req.method === "PUT") {
      const [id, g] = parseHandle(url.searchParams.get("ReceiptHandle"));
      const secs = Number(url.searchParams.get("VisibilityTimeout"));
      state.visibility.push([id, secs]);
      // MNS's range (https://www.alibabacloud.com/help/doc-detail/35142.htm): 1..43200 s.
      if (!(Number.isInteger(secs) && secs >= 1 && secs <= 43200)) return reply(400, errorXml("InvalidArgument"));
      if (!valid(id, g, now)) return reply(404, errorXml("ReceiptHandleError"));
      const m = msgs.get(id);
      m.generation += 1;
      m.visibleAt = now + secs * 1000;
      return reply(200, `<?xml version="1.0" encoding="UTF-8"?><ChangeVisibility xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>${handleOf(id, m.generation)}</ReceiptHandle><NextVisibleTime>${m.visibleAt}</NextVisibleTime></ChangeVisibility>`);
    }
    return reply(405, errorXml("MethodNotAllowed"));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, state, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

const client = () => new Client({ accessKeyId: "LTAI5tReceiptsAccount", accessKeySecret: "receipts-account-secret" });
const options = (q, extra = {}) => ({
  queue: QUEUE, endpoint: q.url, tokenEndpoint: q.url, waitSeconds: 1, batchSize: 10, backoffBaseMs: 20, backoffMaxMs: 200, ...extra,
});
const tick = () => new Promise((r) => setTimeout(r, 1));

test("100 messages, some handlers throw, some deletes lost, a connection reset: all handled, none deleted before its handler finished, redeliveries of handled messages flagged duplicate", async () => {
  const id = (i) => `M${String(i).padStart(5, "0")}`;
  const throwOnce = new Set([id(23), id(57), id(91)]);
  const nackOnce = new Set([id(12), id(64)]);
  const loseDelete = new Set([id(5), id(40), id(77)]);
  const finished = new Set();
  const q = await standIn(100, { finished, faults: { loseDelete, resetFirstReceive: true } });
  const c = client();
  const deliveries = new Map(); // id -> [{ duplicate, dequeueCount, session }]
  const thrown = [];
  let duplicates = 0;
  let sessions = 0;
  try {
    while (q.state.msgs.size > 0) {
      assert.ok(sessions < 20, "too many restarts");
      sessions += 1;
      const sessionHandled = new Set();
      const ac = new AbortController();
      // Stop this consumer once the queue is empty.
      const watch = setInterval(() => { if (q.state.msgs.size === 0) ac.abort(); }, 25);
      try {
        for await (const d of c.receipts(options(q, { signal: ac.signal }))) {
          const list = deliveries.get(d.messageId) ?? [];
          list.push({ duplicate: d.duplicate, dequeueCount: d.dequeueCount, session: sessions });
          deliveries.set(d.messageId, list);
          assert.equal(d.duplicate, sessionHandled.has(d.messageId), `${d.messageId}: duplicate flag vs handled by this consumer`);
          assert.equal(d.poison, false);
          assert.equal(d.error, null);
          assert.equal(d.events.length, 1);
          assert.equal(d.events[0].messageType, "ChatAppStatus");
          assert.equal(d.events[0].dedupKey, `ChatAppStatus/wamid.${Number(d.messageId.slice(1))}/Delivered`);
          if (d.duplicate) {
            duplicates += 1;
            continue; // handled before: handled again without acting
          }
          await tick(); // the handler's work
          if (throwOnce.has(d.messageId)) {
            throwOnce.delete(d.messageId);
            const err = new Error(`handler failed on ${d.messageId}`);
            thrown.push(err);
            throw err;
          }
          if (nackOnce.has(d.messageId)) {
            nackOnce.delete(d.messageId);
            d.nack();
            assert.equal(d.state, "failed");
            continue;
          }
          finished.add(d.messageId);
          sessionHandled.add(d.messageId);
          if (Number(d.messageId.slice(1)) % 2 === 0) d.ack(); // the explicit form, else the loop's
        }
      } catch (e) {
        // The loop body's own error, unchanged.
        assert.ok(thrown.includes(e), `${e}`);
        const failedId = e.message.split(" ").pop();
        assert.ok(q.state.msgs.has(failedId), `${failedId} stays in the queue`);
        assert.ok(!finished.has(failedId));
      } finally {
        clearInterval(watch);
      }
    }
  } finally {
    await q.close();
  }
  assert.equal(q.state.msgs.size, 0, "the queue is empty");
  assert.equal(finished.size, 100, "every message handled");
  assert.deepEqual(q.state.deletedEarly, [], "no delete before its handler finished");
  assert.equal(new Set(q.state.deleted).size, 100);
  assert.equal(thrown.length, 3);
  assert.ok(sessions >= 4, `${sessions} consumers (one per thrown error, and the last)`);
  for (const e of thrown) {
    const list = deliveries.get(e.message.split(" ").pop());
    assert.ok(list.length >= 2, "a message whose handler threw comes back");
    assert.equal(list[1].duplicate, false, "and is no duplicate: it was never handled");
  }
  for (const mid of [id(12), id(64)]) assert.ok(deliveries.get(mid).length >= 2, `${mid} nacked, delivered again`);
  for (const mid of loseDelete) {
    const list = deliveries.get(mid);
    assert.ok(list.length >= 2, `${mid}: its lost delete brings it back`);
  }
  assert.ok(duplicates >= 1, "a redelivery of a handled message is flagged duplicate");
  assert.equal(q.state.receives > 0, true);
});

test("break: the delivery in hand is not deleted, the rest of the batch is released at once, what was handled is deleted", async () => {
  const finished = new Set();
  const q = await standIn(5, { finished, visibilityMs: 60_000 });
  try {
    const c = client();
    const seen = [];
    for await (const d of c.receipts(options(q))) {
      seen.push(d.messageId);
      if (seen.length === 1) {
        finished.add(d.messageId);
        d.ack();
        continue;
      }
      break; // the second one: not handled
    }
    assert.deepEqual(seen, ["M00000", "M00001"]);
    assert.deepEqual(q.state.deleted, ["M00000"]);
    assert.deepEqual(q.state.visibility.map(([id, s]) => `${id}:${s}`).sort(), ["M00002:1", "M00003:1", "M00004:1"]);
    // Released: a new consumer gets them within a second (MNS's shortest visibility); the one in hand when the loop broke stays hidden.
    const again = [];
    for await (const d of c.receipts(options(q))) {
      again.push(d.messageId);
      finished.add(d.messageId);
      if (again.length === 3) break;
    }
    // MNS promises no order for messages that become visible together (nor does the stand-in).
    assert.deepEqual([...again].sort(), ["M00002", "M00003", "M00004"]);
    assert.ok(q.state.msgs.has("M00001"));
    assert.deepEqual(q.state.deletedEarly, []);
  } finally {
    await q.close();
  }
});

test("delivery.extend keeps a slow handler's message hidden (ChangeMessageVisibility), and the delete uses the new handle", async () => {
  const finished = new Set();
  const q = await standIn(2, { finished, visibilityMs: 150 });
  try {
    const ac = new AbortController();
    const seen = [];
    for await (const d of client().receipts(options(q, { signal: ac.signal, batchSize: 1 }))) {
      seen.push(d.messageId);
      if (d.messageId === "M00000" && seen.length === 1) {
        await d.extend(30);
        await new Promise((r) => setTimeout(r, 300)); // longer than the visibility timeout
      }
      finished.add(d.messageId);
      if (finished.size === 2) ac.abort();
    }
    assert.deepEqual(seen, ["M00000", "M00001"], "not delivered twice");
    assert.deepEqual(q.state.visibility, [["M00000", 30]]);
    assert.deepEqual(q.state.deleted.sort(), ["M00000", "M00001"]);
    assert.deepEqual(q.state.deletedEarly, []);
  } finally {
    await q.close();
  }
});

test("nack(retryAfterSeconds) and delete: false (look without consuming)", async () => {
  const q = await standIn(2, { visibilityMs: 60_000 });
  try {
    for await (const d of client().receipts(options(q, { batchSize: 2 }))) {
      // MNS takes a VisibilityTimeout of 1..43200 s: 0 is refused before anything is sent.
      assert.throws(() => d.nack(0), (e) => e instanceof ValidationError && /VisibilityTimeout/.test(e.message));
      d.nack(1);
      assert.throws(() => d.ack(), ValidationError);
      break;
    }
    assert.deepEqual(q.state.visibility.map(([id, s]) => `${id}:${s}`).sort(), ["M00000:1", "M00001:1"]);
    // Both come back after a second, in either order (the two visibility changes reach the
    // queue a moment apart, and a poll in between gets one): stop once both were seen, or
    // after 10 s so a lost message fails the assertions instead of hanging the run.
    const ac = new AbortController();
    const guard = setTimeout(() => ac.abort(), 10_000);
    const seen = [];
    try {
      for await (const d of client().receipts(options(q, { delete: false, signal: ac.signal }))) {
        seen.push(d.messageId);
        if (new Set(seen).size === 2) ac.abort();
      }
    } finally {
      clearTimeout(guard);
    }
    assert.deepEqual(seen.sort(), ["M00000", "M00001"], "each delivered once");
    assert.deepEqual(q.state.deleted, [], "nothing deleted");
    assert.equal(q.state.msgs.size, 2);
  } finally {
    await q.close();
  }
});

test("an unreadable body: delivery.error is core's ValidationError, events throws it", async () => {
  const q = await standIn(1);
  q.state.msgs.get("M00000").body = "not base64!";
  let kept;
  try {
    for await (const d of client().receipts(options(q))) {
      assert.ok(d.error instanceof ValidationError);
      assert.match(d.error.message, /neither JSON nor base64/);
      assert.throws(() => d.events, ValidationError);
      assert.equal(d.body, "not base64!");
      d.ack(); // dropped
      kept = d;
      break;
    }
    assert.deepEqual(q.state.deleted, ["M00000"]);
    assert.throws(() => kept.nack(), /consumer is over/);
    await assert.rejects(kept.extend(5), /consumer is over/);
  } finally {
    await q.close();
  }
});

test("errors that do not heal end the loop with the package's error classes", async () => {
  const refused = await standIn(1, { faults: { tokenError: { Code: "InvalidAccessKeyId.NotFound", Message: "Specified access key is not found.", RequestId: "r" } } });
  try {
    await assert.rejects(async () => {
      for await (const d of client().receipts(options(refused))) assert.fail(`delivered ${d.messageId}`);
    }, (e) => e instanceof ApiError && e.code === "InvalidAccessKeyId.NotFound");
  } finally {
    await refused.close();
  }
  const missing = await standIn(1, { faults: { queueMissing: true } });
  try {
    await assert.rejects(async () => {
      for await (const d of client().receipts(options(missing))) assert.fail(`delivered ${d.messageId}`);
    }, (e) => e instanceof ApiError && e.code === "QueueNotExist");
  } finally {
    await missing.close();
  }
});

test("bad options are ValidationErrors, thrown at the call (core's checks, and plain HTTP to a remote host)", () => {
  const c = client();
  const base = { queue: QUEUE, endpoint: "http://127.0.0.1:9", tokenEndpoint: "http://127.0.0.1:9" };
  for (const bad of [
    { ...base, batchSize: 17 },
    { ...base, waitSeconds: 31 },
    { ...base, queue: "9bad" },
    { ...base, queue: "my-queue" }, // no messageType, none in the name
    { ...base, endpoint: "http://mns.example.com" },
    { ...base, tokenEndpoint: "http://dybaseapi.example.com" },
    { ...base, nope: 1 },
    { endpoint: base.endpoint },
    { ...base, fetch: 1 },
    null,
  ]) {
    assert.throws(() => c.receipts(bad), ValidationError, JSON.stringify(bad));
  }
  // Core's refusal of plain HTTP (ConsumerOptions::check_credentials_transport, both hosts) names
  // the JS option, not Rust's.
  for (const bad of [{ ...base, endpoint: "http://mns.example.com" }, { ...base, tokenEndpoint: "http://dybaseapi.example.com" }]) {
    assert.throws(() => c.receipts(bad), (e) => e instanceof ValidationError && /clear text/.test(e.message)
      && /allowInsecureHttp/.test(e.message) && !/allow_insecure_http/.test(e.message), JSON.stringify(bad));
  }
  // Named in the queue's name, or given.
  c.receipts({ ...base, queue: "my-queue", messageType: "ChatAppInbound" }).return();
  c.receipts({ ...base, endpoint: "http://mns.example.com", allowInsecureHttp: true }).return();
});

test("a transport failure is core's to handle: refused connections back off until the signal stops the loop", async () => {
  const url = "http://127.0.0.1:9"; // the discard port: nothing listens there
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  let n = 0;
  for await (const d of client().receipts({ queue: QUEUE, endpoint: url, tokenEndpoint: url, backoffBaseMs: 10, backoffMaxMs: 50, signal: ac.signal })) {
    n += 1;
    assert.fail(`delivered ${d.messageId}`);
  }
  assert.equal(n, 0);
});

test("each request waits as long as core's request says (timeoutMs): a long poll with no answer is cut, and asked again", async () => {
  const q = await standIn(1);
  let hung = 0;
  let abortedBy = null;
  const fetchFn = (url, init) => {
    if (init.method === "GET" && hung === 0) {
      hung += 1;
      // No answer at all: only the request's own timeout (core's: waitseconds 0 + 10 s) ends it.
      return new Promise((_, reject) => init.signal.addEventListener("abort", () => {
        abortedBy = init.signal.reason ?? "aborted";
        reject(new DOMException("aborted", "AbortError"));
      }));
    }
    return fetch(url, init);
  };
  try {
    const seen = [];
    for await (const d of client().receipts(options(q, { waitSeconds: 0, fetch: fetchFn }))) {
      seen.push(d.messageId);
      d.ack();
      break;
    }
    assert.equal(hung, 1);
    assert.notEqual(abortedBy, null, "the hung request was aborted by its timeout");
    assert.deepEqual(seen, ["M00000"]);
    assert.deepEqual(q.state.deleted, ["M00000"]);
  } finally {
    await q.close();
  }
});

test("the signal stops the loop between two deliveries of a batch: the rest is released, not handed over", async () => {
  const q = await standIn(3, { visibilityMs: 60_000 });
  try {
    const ac = new AbortController();
    const seen = [];
    for await (const d of client().receipts(options(q, { signal: ac.signal }))) {
      seen.push(d.messageId);
      ac.abort();
    }
    assert.deepEqual(seen, ["M00000"]);
    assert.deepEqual(q.state.deleted, ["M00000"], "the one handled is deleted");
    assert.deepEqual(q.state.visibility.map(([id, s]) => `${id}:${s}`).sort(), ["M00001:1", "M00002:1"]);
  } finally {
    await q.close();
  }
});

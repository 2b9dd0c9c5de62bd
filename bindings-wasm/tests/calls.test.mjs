// client.call / pages / items over Node's fetch against tests/mock-cams on 127.0.0.1: every
// case of tests/vectors/call-scenarios.json (scripted faults: how many attempts reached the
// server, how many took effect), the page walks, AbortSignal, timeouts, and the transport's
// honesty about whether a failed request could have been sent.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { inspect } from "node:util";
import {
  Client, ApiError, ParseError, TransportError, ValidationError, isOutcomeUnknown, maxResponseBytes,
} from "camskit";
import { startMock, vectors } from "./helpers.mjs";

const ID = "LTAI5tCamsKitCalls001";
const SECRET = "CanaryCallsSecret0123456789abcd";
let mock;

before(async () => {
  mock = await startMock([`${ID}:${SECRET}`]);
});
after(async () => {
  await mock?.stop();
});

const client = () => new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url });
async function control(path, body) {
  const res = await fetch(`${mock.url}${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return res.json();
}

/** Runs fn collecting the retries it reports (instead of console.warn). */
async function outcomeOf(fn) {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

function noSecret(...things) {
  for (const t of things) {
    const text = typeof t === "string" ? t : inspect(t, { depth: 5 });
    assert.ok(!text.includes(SECRET) && !text.includes("Canary"), text);
  }
}

test("call-scenarios.json: every scripted fault through client.call", async () => {
  const doc = vectors("call-scenarios.json");
  let passed = 0;
  for (const s of doc.scenarios) {
    await mock.reset();
    const scripted = await control("/__mock/script", s.script);
    assert.equal(scripted.error, undefined, s.name);
    const retries = [];
    const options = { onRetry: (info) => retries.push(info) };
    if (s.policy?.max_attempts !== undefined) options.maxAttempts = s.policy.max_attempts;
    const { value, error } = await outcomeOf(() => client().call(s.action, s.params, options));
    const where = `${s.name}: ${error?.message ?? "ok"}`;
    if (s.outcome === "ok") {
      assert.equal(error, undefined, where);
      assert.equal(value.code, "OK", where);
    } else if (s.outcome === "outcome_unknown") {
      assert.ok(isOutcomeUnknown(error), where);
    } else if (s.outcome === "parse") {
      assert.ok(error instanceof ParseError, where);
    } else if (s.outcome === "transport") {
      assert.ok(error instanceof TransportError, where);
    } else {
      const kind = s.outcome.replace(/^api:/, "");
      assert.ok(error instanceof ApiError, where);
      assert.equal(error.kind, kind, where);
    }
    const effects = await control("/__mock/effects");
    assert.equal(effects.attempts[s.action] ?? 0, s.attempts, `${where}: attempts`);
    assert.equal(effects.effects[s.action] ?? 0, s.effects, `${where}: effects`);
    for (const r of retries) {
      assert.equal(r.action, s.action);
      assert.ok(typeof r.reason === "string" && r.reason.length > 0 && r.delayMs >= 0 && r.attempt >= 1, JSON.stringify(r));
    }
    noSecret(error ?? "", retries);
    passed++;
  }
  console.log(`call-scenarios: ${passed} passed, 0 failed`);
  assert.equal(passed, doc.scenarios.length);
});

test("call-scenarios.json pages: client.pages and client.items walk every page", async () => {
  const doc = vectors("call-scenarios.json");
  await mock.reset();
  for (const w of doc.pages) {
    const c = client();
    let pages = 0;
    for await (const page of c.pages(w.action, w.params)) {
      assert.equal(page.code, "OK");
      pages++;
    }
    const items = [];
    for await (const item of c.items(w.action, w.params)) items.push(item);
    assert.equal(pages, w.pages, JSON.stringify(w));
    assert.equal(items.length, w.items, JSON.stringify(w));
    assert.equal(new Set(items.map((t) => t.TemplateCode)).size, items.length, "no item twice");
  }
  console.log(`page walks: ${doc.pages.length} passed, 0 failed`);
});

test("items of an operation core has no item list for: a ValidationError", async () => {
  await mock.reset();
  await assert.rejects(async () => {
    for await (const _ of client().items("ChatappMigrationRegister", { CustSpaceId: "cs", PhoneNumber: "1" })) { /* none */ }
  }, (e) => e instanceof ValidationError && /client\.pages\(\)/.test(e.message));
});

test("the clock offset learnt from a stale gateway is kept for the client's next calls", async () => {
  await mock.reset();
  await control("/__mock/script", { clock_offset_s: 7200 });
  const c = client();
  const params = { CustSpaceId: "cs" };
  assert.equal((await c.call("ListChatappTemplate", params, { maxAttempts: 1 })).code, "OK");
  assert.equal((await control("/__mock/effects")).attempts.ListChatappTemplate, 2);
  assert.equal((await c.call("ListChatappTemplate", params, { maxAttempts: 1 })).code, "OK");
  assert.equal((await control("/__mock/effects")).attempts.ListChatappTemplate, 3, "the second call is right the first time");
});

test("retries are logged with console.warn by default: attempt, reason, delay, no secret", async () => {
  await mock.reset();
  await control("/__mock/script", { faults: [{ action: "ListChatappTemplate", mode: "throttle", times: 1, retry_after_ms: 10 }] });
  const warn = console.warn;
  const lines = [];
  console.warn = (...a) => lines.push(a.join(" "));
  try {
    assert.equal((await client().call("ListChatappTemplate", { CustSpaceId: "cs" })).code, "OK");
  } finally {
    console.warn = warn;
  }
  assert.equal(lines.length, 1, lines.join("\n"));
  const m = /^camskit: ListChatappTemplate attempt 1 failed: .*throttling.*; retrying in (\d+) ms$/.exec(lines[0]);
  assert.ok(m && Number(m[1]) <= 10, lines[0]); // the server's 10 ms, less the time since its answer
  noSecret(lines[0]);
});

test("a redirect is not followed: the ParseError names the target", async () => {
  await mock.reset();
  await control("/__mock/script", { faults: [{ action: "ListChatappTemplate", mode: "redirect" }] });
  const { error } = await outcomeOf(() => client().call("ListChatappTemplate", { CustSpaceId: "cs" }));
  assert.ok(error instanceof ParseError, String(error));
  assert.match(error.message, /redirect to http:\/\/127\.0\.0\.2:\d+\//);
});

test("an aborted signal before the call: nothing is sent, outcome known", async () => {
  await mock.reset();
  const reason = new Error("user left");
  const { error } = await outcomeOf(() => client().call("SendChatappMessage", {
    CustSpaceId: "cs", ChannelType: "whatsapp", Type: "message", From: "1", To: "2", Content: "{}",
  }, { signal: AbortSignal.abort(reason) }));
  assert.ok(error instanceof TransportError, String(error));
  assert.equal(error.aborted, true);
  assert.equal(error.outcomeUnknown, false);
  assert.equal(error.cause, reason);
  assert.equal(isOutcomeUnknown(error), false);
  assert.equal((await control("/__mock/effects")).attempts.SendChatappMessage ?? 0, 0);
});

test("an abort during the wait before a retry stops the call (outcome known)", async () => {
  await mock.reset();
  await control("/__mock/script", { faults: [{ action: "ListChatappTemplate", mode: "throttle", times: 5, retry_after_ms: 30000 }] });
  const ac = new AbortController();
  const started = Date.now();
  const { error } = await outcomeOf(() => client().call("ListChatappTemplate", { CustSpaceId: "cs" }, {
    signal: ac.signal, onRetry: () => setTimeout(() => ac.abort(), 20),
  }));
  assert.ok(Date.now() - started < 10000, "the 30 s wait was cut short");
  assert.ok(error instanceof TransportError, String(error));
  assert.equal(error.aborted, true);
  assert.equal(error.outcomeUnknown, false);
  assert.match(error.message, /stopped by the caller/);
  assert.equal((await control("/__mock/effects")).attempts.ListChatappTemplate, 1);
});

/** A server that reads requests and never answers; counts them. */
async function hangingServer() {
  let count = 0;
  const sockets = new Set();
  const server = createServer(() => { count++; });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    get count() { return count; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const MESSAGE = { CustSpaceId: "cs", ChannelType: "whatsapp", Type: "message", From: "1", To: "2", Content: "{}" };

test("an abort while a write is in flight: outcome unknown (the request may be out)", async () => {
  const h = await hangingServer();
  try {
    const c = new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: h.url });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const { error } = await outcomeOf(() => c.call("SendChatappMessage", MESSAGE, { signal: ac.signal }));
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.aborted, true);
    assert.equal(error.outcomeUnknown, true);
    assert.ok(isOutcomeUnknown(error));
    assert.equal(h.count, 1);
  } finally {
    await h.close();
  }
});

test("timeoutMs: a read is tried again, a write is not (outcome unknown)", async () => {
  const h = await hangingServer();
  try {
    const c = new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: h.url });
    const quiet = { onRetry: () => {}, timeoutMs: 100 };
    const read = await outcomeOf(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { ...quiet, maxAttempts: 2, retry: { baseDelayMs: 1 } }));
    assert.ok(read.error instanceof TransportError, String(read.error));
    assert.equal(read.error.outcomeUnknown, false);
    assert.match(read.error.message, /timed out/);
    assert.equal(h.count, 2);
    const write = await outcomeOf(() => c.call("SendChatappMessage", MESSAGE, quiet));
    assert.ok(isOutcomeUnknown(write.error), String(write.error));
    assert.equal(h.count, 3);
  } finally {
    await h.close();
  }
});

test("a refused connection is retried even for a write (nothing was sent), then reported", async () => {
  const h = await hangingServer();
  const url = h.url;
  await h.close(); // nothing listens there now
  const c = new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: url });
  const retries = [];
  let sent = 0;
  const counting = (...a) => { sent++; return fetch(...a); };
  const { error } = await outcomeOf(() => c.call("SendChatappMessage", MESSAGE, {
    fetch: counting, maxAttempts: 3, retry: { baseDelayMs: 20 }, onRetry: (i) => retries.push(i),
  }));
  assert.ok(error instanceof TransportError, String(error));
  assert.equal(error.outcomeUnknown, false);
  assert.match(error.message, /refused before send/);
  assert.equal(sent, 3);
  // (A retry whose random delay came out 0 ms has no wait, so nothing to report.)
  assert.ok(retries.length <= 2);
  for (const r of retries) assert.match(r.reason, /nothing was sent/);
  noSecret(error, retries);
});

test("a fetch failure that cannot tell whether it sent: not 'refused before send'", async () => {
  const c = client();
  let calls = 0;
  const fetch = async () => { calls++; throw new TypeError("fetch failed"); };
  const write = await outcomeOf(() => c.call("SendChatappMessage", MESSAGE, { fetch }));
  assert.ok(isOutcomeUnknown(write.error), String(write.error));
  assert.match(write.error.message, /reset after send/);
  assert.equal(calls, 1);
  const read = await outcomeOf(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { fetch, onRetry: () => {}, retry: { baseDelayMs: 1 } }));
  assert.equal(read.error.outcomeUnknown, false);
  assert.equal(calls, 5, "a read: 4 attempts");
});

test("a TLS certificate failure is a handshake failure: nothing sent, not retried (core's rule)", async () => {
  const c = client();
  let calls = 0;
  const fetch = async () => {
    calls++;
    throw new TypeError("fetch failed", { cause: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }) });
  };
  for (const action of ["SendChatappMessage", "ListChatappTemplate"]) {
    calls = 0;
    const { error } = await outcomeOf(() => c.call(action, action === "SendChatappMessage" ? MESSAGE : { CustSpaceId: "cs" }, { fetch, onRetry: () => {} }));
    assert.ok(error instanceof TransportError, String(error));
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /handshake failed/);
    assert.equal(calls, 1, action);
  }
});

test("each attempt is timed by core's request: timeoutMs reaches fetch's signal", async () => {
  const c = client();
  let aborted = 0;
  const fetch = (url, init) => new Promise((_, reject) => {
    init.signal.addEventListener("abort", () => { aborted++; reject(new DOMException("aborted", "AbortError")); });
  });
  const started = Date.now();
  const { error } = await outcomeOf(() => c.call("SendChatappMessage", MESSAGE, { fetch, timeoutMs: 30 }));
  assert.ok(isOutcomeUnknown(error), String(error));
  assert.match(error.message, /no answer within 30 ms/);
  assert.equal(aborted, 1);
  assert.ok(Date.now() - started < 5000);
});

test("fetch is called with redirect: manual and the signed request; the body is read up to the bound", async () => {
  const c = client();
  const seen = [];
  let pulled = 0;
  const chunk = new Uint8Array(1 << 20).fill(0x20);
  const fetch = async (url, init) => {
    seen.push({ url, init });
    // An endless body: only a bounded read ends.
    const body = new ReadableStream({ pull(ctl) { pulled += chunk.length; ctl.enqueue(chunk); } });
    return new Response(body, { status: 200 });
  };
  const { error } = await outcomeOf(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { fetch, retry: false }));
  assert.equal(seen.length, 1);
  assert.equal(seen[0].init.redirect, "manual");
  assert.equal(seen[0].init.method, "POST");
  assert.ok(seen[0].init.signal instanceof AbortSignal);
  assert.match(seen[0].url, /Action=ListChatappTemplate/);
  assert.ok(pulled <= maxResponseBytes() + 4 * chunk.length, `read ${pulled} bytes`);
  assert.ok(error instanceof ParseError, String(error));
});

test("a browser's opaque redirect is a redirect too", async () => {
  const fetch = async () => ({ type: "opaqueredirect", status: 0, headers: new Headers(), body: null });
  const { error } = await outcomeOf(() => client().call("ListChatappTemplate", { CustSpaceId: "cs" }, { fetch }));
  assert.ok(error instanceof ParseError, String(error));
  assert.match(error.message, /redirect/);
});

test("call options: misspelt or ill-typed options are errors, nothing sent", async () => {
  await mock.reset();
  const c = client();
  await assert.rejects(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { timestamp: 1 }),
    (e) => e instanceof ValidationError && /unknown option "timestamp"/.test(e.message));
  await assert.rejects(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { maxAttempts: 0 }), ValidationError);
  await assert.rejects(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { retry: { maxAtempts: 2 } }),
    (e) => e instanceof ValidationError && /maxAtempts/.test(e.message));
  await assert.rejects(() => c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { timeoutMs: -1 }), ValidationError);
  await assert.rejects(() => c.call("ListChatappTemplat", { CustSpaceId: "cs" }), (e) => e instanceof ValidationError && e.code === "unknown_action");
  assert.equal((await control("/__mock/effects")).attempts.ListChatappTemplate ?? 0, 0);
});

test("v3 and raw calls go through the same machine", async () => {
  await mock.reset();
  const c = client();
  assert.equal((await c.call("ListChatappTemplate", { CustSpaceId: "cs" }, { signature: "v3" })).code, "OK");
  assert.equal((await c.call("ListChatappTemplate", [["CustSpaceId", "cs"]], { raw: true })).code, "OK");
  const seen = await mock.requests();
  assert.deepEqual(seen.map((r) => r.signature), ["v3", "1.0"]);
});

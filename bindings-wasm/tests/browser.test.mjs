// A real browser: headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// loads a page served from 127.0.0.1 that imports the built package, signs, fetches
// mock-cams (CORS), parses, and leaves its result on the page for this test to read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile, realpath } from "node:fs/promises";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { startMock } from "./helpers.mjs";

const ID = "LTAI5tCamsKitBrowser1";
const SECRET = "BrowserSecret0123456789abcdefAB";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>camskit browser test</title>
<script type="importmap">{ "imports": { "camskit": "/camskit/index.web.js" } }</script>
</head><body>
<script type="module">
import init, { Client, parseResponse, ApiError, ValidationError, parsePush, receiptsFromRequest, DedupWindow } from "camskit";
const q = new URLSearchParams(location.search);
const out = { steps: [] };
try {
  try { new Client({ accessKeyId: "a", accessKeySecret: "b" }); out.beforeInit = "no error"; }
  catch (e) { out.beforeInit = e.message; }
  await init();
  const client = new Client({ accessKeyId: q.get("id"), accessKeySecret: q.get("secret"), endpoint: q.get("mock") });
  out.inspect = String(client);
  for (const signature of ["1.0", "v3"]) {
    const cs = "cs-browser-" + signature;
    const phone = "8613800001234";
    const calls = [
      ["createChatappMigrationInitiate", { CustSpaceId: cs, CountryCode: "86", MobileNumber: "13800001234" }],
      ["getMigrationVerifyCode", { CustSpaceId: cs, PhoneNumber: phone, Locale: "en", Method: "SMS" }],
      ["chatappMigrationVerified", { CustSpaceId: cs, PhoneNumber: phone, VerifyCode: "123456" }],
      ["chatappMigrationRegister", { CustSpaceId: cs, PhoneNumber: phone }],
    ];
    for (const [method, params] of calls) {
      const signed = client[method](params, { signature });
      const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body ?? undefined });
      const r = parseResponse(res.status, await res.text());
      out.steps.push({ signature, method, code: r.code, requestId: r.requestId, dataId: r.data?.Id ?? null, version: signed.signatureVersion });
    }
  }
  const wrong = new Client({ accessKeyId: q.get("id"), accessKeySecret: "wrong", endpoint: q.get("mock") });
  const signed = wrong.chatappMigrationRegister({ CustSpaceId: "cs", PhoneNumber: "1" });
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers });
  try { parseResponse(res.status, await res.text()); out.mismatch = "no error"; }
  catch (e) { out.mismatch = { isApiError: e instanceof ApiError, kind: e.kind, same: e.serverStringToSign === signed.stringToSign }; }
  try { client.chatappMigrationRegister({ CustSpaceId: "cs" }); } catch (e) { out.validation = { isValidationError: e instanceof ValidationError, code: e.code }; }
  const r = parseResponse(200, '{"RequestId":"r","Code":"OK","Data":{"BigId":9007199254740993}}');
  out.bigId = typeof r.data.BigId + ":" + r.data.BigId.toString();
  const called = await client.call("ListChatappTemplate", { CustSpaceId: "cs-browser", Page: { Index: 1, Size: 10 } }, { signature: "v3" });
  let pages = 0;
  for await (const _ of client.pages("ListChatappTemplate", { CustSpaceId: "cs-browser", Page: { Index: 1, Size: 10 } })) pages++;
  out.call = { code: called.code, items: called.body.ListTemplate.length, pages };
  const pushed = await receiptsFromRequest(new Request(location.href, { method: "POST", body: '[{"MessageId":"m1","Status":"Read","Timestamp":9007199254740993}]' }));
  const seenTwice = new DedupWindow(10);
  out.receipts = { status: pushed.response.status, type: pushed.events[0].messageType, ts: typeof pushed.events[0].Timestamp,
    dup: [seenTwice.seen(pushed.events[0]), seenTwice.seen(parsePush('{"MessageId":"m1","Status":"Read"}')[0])] };
  try { await client.call("ListChatappTemplate", { CustSpaceId: "cs" }, { signal: AbortSignal.abort() }); out.aborted = "no error"; }
  catch (e) { out.aborted = { name: e.name, aborted: e.aborted, outcomeUnknown: e.outcomeUnknown }; }
  const fresh = client.chatappMigrationRegister({ CustSpaceId: "cs-b", PhoneNumber: "1" });
  out.nonceIsUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(new URL(fresh.url).searchParams.get("SignatureNonce"));
  if (q.get("bench")) { // bench/run.sh's browser row: the same signed request as bench.mjs, interleaved 200 ms slices, medians
    const c = new Client({ accessKeyId: q.get("id"), accessKeySecret: q.get("secret") });
    const P = { CustSpaceId: "29348393884", PhoneNumber: "8613800001234" }, pin = { timestamp: "2025-07-14T08:00:00Z", nonce: "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21" };
    const SEED = '{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}';
    const fns = { sign_v1: () => c.sign("ChatappMigrationRegister", P, pin), sign_v3: () => c.sign("ChatappMigrationRegister", P, { ...pin, signature: "v3" }), parse: () => parseResponse(200, SEED) };
    const slice = (fn) => { let n = 0; const s = performance.now(); while (performance.now() - s < 200) { for (let i = 0; i < 100; i++) fn(); n += 100; } return (performance.now() - s) * 1000 / n; };
    const times = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
    for (let r = -1; r < Number(q.get("bench")); r++) for (const k of Object.keys(fns)) { const us = slice(fns[k]); if (r >= 0) times[k].push(us); }
    out.bench = { ...Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.sort((a, b) => a - b)[v.length >> 1]])) };
    // The receipts columns (bench/receipts_bodies.py's files, served by the test): parsePush on the
    // 16-event push next to JSON.parse, and client.receipts (core's consumer, an in-memory fetch
    // stand-in, delete off) taking the 16 deliveries of the 16-message MNS batch next to DOMParser.
    const push = new Uint8Array(await (await fetch("/bench/push")).arrayBuffer());
    const batch = new Uint8Array(await (await fetch("/bench/mns")).arrayBuffer());
    const dec = new TextDecoder("utf-8", { fatal: true });
    const sh = (u) => new Date((u + 8 * 3600) * 1000).toISOString().slice(0, 19).replace("T", " ");
    const now = Math.floor(Date.now() / 1000);
    const token = new TextEncoder().encode(JSON.stringify({ Code: "OK", Message: "OK", RequestId: "t", MessageTokenDTO: {
      AccessKeyId: "STS.bench", AccessKeySecret: "s", SecurityToken: "tok", CreateTime: sh(now), ExpireTime: sh(now + 86400) } }));
    const answer = (bytes) => { let read = false; return { status: 200, type: "basic", headers: new Headers(),
      body: { getReader: () => ({ read: async () => (read ? { done: true } : ((read = true), { done: false, value: bytes })), cancel: async () => {} }) } }; };
    const memory = async (url) => answer(new URL(url).pathname.startsWith("/queues/") ? batch : token);
    const it = c.receipts({ queue: "Alicom-Queue-1873897471328909-ChatAppStatus", endpoint: "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com",
      fetch: memory, delete: false })[Symbol.asyncIterator]();
    const mns16 = async () => { let ev; for (let i = 0; i < 16; i++) ev = (await it.next()).value.events; return ev; };
    const dom = () => new DOMParser().parseFromString(dec.decode(batch), "application/xml");
    if (parsePush(push).length !== 16 || JSON.parse(dec.decode(push)).length !== 16 || dom().getElementsByTagName("Message").length !== 16
      || (await mns16()).length !== 1) throw new Error("the receipt inputs do not parse as expected");
    const sync = { receipts16: () => parsePush(push), json_receipts16: () => JSON.parse(dec.decode(push)), xml_mns16: dom };
    const slow = (fn) => { let n = 0; const s = performance.now(); while (performance.now() - s < 200) { for (let i = 0; i < 10; i++) fn(); n += 10; } return (performance.now() - s) * 1000 / n; };
    const slowAsync = async (fn) => { let n = 0; const s = performance.now(); while (performance.now() - s < 200) { for (let i = 0; i < 10; i++) await fn(); n += 10; } return (performance.now() - s) * 1000 / n; };
    const rt = { receipts16: [], json_receipts16: [], mns16: [], xml_mns16: [] };
    for (let r = -1; r < Number(q.get("bench")); r++) {
      for (const k of Object.keys(rt)) { const us = k === "mns16" ? await slowAsync(mns16) : slow(sync[k]); if (r >= 0) rt[k].push(us); }
    }
    await it.return();
    for (const [k, v] of Object.entries(rt)) out.bench[k] = v.sort((a, b) => a - b)[v.length >> 1];
    out.benchSizes = { push: push.length, mns: batch.length };
  }
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__camskitResult = out;
</script></body></html>`;

// camskit/lean in the same browser: its own .wasm (lean/camskit_wasm_bg.wasm), signing both
// versions against mock-cams and parsing, errors of the shared classes.
const LEAN_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>camskit/lean browser test</title>
<script type="importmap">{ "imports": { "camskit/lean": "/camskit/lean.web.js" } }</script>
</head><body>
<script type="module">
import init, { Client, parseResponse, ApiError, ValidationError } from "camskit/lean";
const q = new URLSearchParams(location.search);
const out = { steps: [], wasm: [] };
try {
  await init();
  const client = new Client({ accessKeyId: q.get("id"), accessKeySecret: q.get("secret"), endpoint: q.get("mock") });
  for (const signature of ["1.0", "v3"]) {
    const signed = client.chatappMigrationRegister({ CustSpaceId: "cs-lean-" + signature, PhoneNumber: "8613800001234" }, { signature });
    const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body ?? undefined });
    out.steps.push({ signature, code: parseResponse(res.status, await res.text()).code });
  }
  try { parseResponse(400, '{"RequestId":"r","Code":"Throttling.User","Message":"m"}'); } catch (e) { out.api = e instanceof ApiError && e.kind; }
  try { client.chatappMigrationRegister({ CustSpaceId: "cs" }); } catch (e) { out.validation = e instanceof ValidationError && e.code; }
  try { await client.call("ListChatappTemplate", {}); } catch (e) { out.call = e.message; }
  out.wasm = performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => p.endsWith(".wasm"));
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__camskitResult = out;
</script></body></html>`;

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".ts": "text/plain" };
let mock;
let server;
let base;

before(async () => {
  mock = await startMock([`${ID}:${SECRET}`]);
  const pkgDir = await realpath(dirname(createRequire(import.meta.url).resolve("camskit/package.json")));
  server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(PAGE);
    }
    // The receipt inputs of the bench row (bench/receipts_bodies.py, via bench/run.sh).
    const benchFile = { "/bench/push": process.env.RECEIPTS_PUSH, "/bench/mns": process.env.RECEIPTS_MNS }[path];
    if (benchFile) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      return res.end(await readFile(benchFile));
    }
    if (path === "/lean") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(LEAN_PAGE);
    }
    if (path.startsWith("/camskit/")) {
      const rel = normalize(path.slice("/camskit/".length));
      if (!rel.startsWith("..")) {
        try {
          const data = await readFile(join(pkgDir, rel));
          res.writeHead(200, { "content-type": TYPES[extname(rel)] ?? "application/octet-stream" });
          return res.end(data);
        } catch {}
      }
    }
    res.writeHead(404);
    res.end("not found");
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(async () => {
  await new Promise((r) => server?.close(r));
  await mock?.stop();
});

test("headless Chromium: import, init, sign (1.0 and v3), fetch mock-cams, parse, client.call and pages", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const q = new URLSearchParams({ id: ID, secret: SECRET, mock: mock.url });
    const bench = process.env.CAMSKIT_BROWSER_BENCH && process.env.BENCH_JSON; // bench/run.sh only
    if (bench) q.set("bench", String(process.env.ROUNDS ?? 9));
    await page.goto(`${base}/?${q}`);
    await page.waitForFunction(() => window.__camskitResult !== undefined, null, { timeout: bench ? 300000 : 30000 });
    const out = await page.evaluate(() => window.__camskitResult);
    assert.equal(out.error, undefined, out.error);
    if (bench) {
      const version = JSON.parse(await readFile(join(dirname(createRequire(import.meta.url).resolve("camskit/package.json")), "package.json"), "utf8")).version;
      const what = (call, metric) => (/^(json|xml)_/.test(metric) ? `headless Chromium ${browser.version()}'s own parser: ${call}` : `camskit ${version} (wasm, headless Chromium ${browser.version()}): ${call}`)
        + `; median of ${q.get("bench")} rounds of 200 ms (no official SDK runs in a browser)`;
      appendFileSync(process.env.BENCH_JSON, [["sign_v1", 'client.sign("ChatappMigrationRegister", params, { timestamp, nonce })'],
        ["sign_v3", 'client.sign(..., { timestamp, nonce, signature: "v3" })'], ["parse", "parseResponse(200, seed answer text)"],
        ["receipts16", `parsePush(bytes) into typed events (bench/receipts_bodies.py's 16-event push, ${out.benchSizes.push} bytes)`],
        ["json_receipts16", "JSON.parse(new TextDecoder().decode(bytes)) on the same bytes (the decode included)"],
        ["mns16", `client.receipts({ queue, endpoint, fetch, delete: false }) (core's consumer): 16 deliveries of the 16-message BatchReceiveMessage answer (${out.benchSizes.mns} bytes) from an in-memory fetch stand-in (a signed poll, core's XML parse, base64 + JSON of each body)`],
        ["xml_mns16", "new DOMParser().parseFromString(decode(bytes), \"application/xml\") on the same bytes (XML only: no base64 or JSON of the bodies)"]]
        .map(([metric, call]) => JSON.stringify({ host: "Browser (Chromium)", metric, value: Number(out.bench[metric].toFixed(3)), unit: "us", what: what(call, metric) }) + "\n").join(""));
    }
    assert.deepEqual(errors, []);
    assert.match(out.beforeInit, /await init\(\)/);
    assert.ok(!out.inspect.includes(SECRET));
    assert.equal(out.steps.length, 8);
    for (const s of out.steps) {
      assert.equal(s.code, "OK", JSON.stringify(s));
      assert.equal(s.version, s.signature);
      assert.match(s.requestId, /^[0-9A-F-]{36}$/);
    }
    assert.match(out.steps[0].dataId, /^mig-/);
    assert.deepEqual(out.mismatch, { isApiError: true, kind: "signature_mismatch", same: true });
    assert.deepEqual(out.validation, { isValidationError: true, code: "missing_parameter" });
    assert.equal(out.bigId, "bigint:9007199254740993");
    assert.equal(out.nonceIsUuid, true);
    // client.call over the browser's fetch (CORS, redirect: "manual"), pages, an abort.
    assert.deepEqual(out.call, { code: "OK", items: 10, pages: 3 });
    assert.deepEqual(out.receipts, { status: 200, type: "ChatAppStatus", ts: "bigint", dup: [false, true] });
    assert.deepEqual(out.aborted, { name: "TransportError", aborted: true, outcomeUnknown: false });
    const seen = await mock.requests();
    assert.deepEqual(seen.filter((r) => r.action === "ChatappMigrationRegister" && r.params.CustSpaceId.startsWith("cs-browser-"))
      .map((r) => r.signature), ["1.0", "v3"]);
  } finally {
    await browser.close();
  }
});

test("headless Chromium: camskit/lean loads only the lean .wasm, signs (1.0 and v3) against mock-cams, parses", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`${base}/lean?${new URLSearchParams({ id: ID, secret: SECRET, mock: mock.url })}`);
    await page.waitForFunction(() => window.__camskitResult !== undefined, null, { timeout: 30000 });
    const out = await page.evaluate(() => window.__camskitResult);
    assert.equal(out.error, undefined, out.error);
    assert.deepEqual(errors, []);
    assert.deepEqual(out.steps, [{ signature: "1.0", code: "OK" }, { signature: "v3", code: "OK" }]);
    assert.equal(out.api, "throttling");
    assert.equal(out.validation, "missing_parameter");
    assert.match(out.call, /not in the lean build/);
    assert.deepEqual(out.wasm, ["/camskit/lean/camskit_wasm_bg.wasm"]);
  } finally {
    await browser.close();
  }
});

// Benchmark (run by hand: `node bindings-wasm/bench/bench.mjs`, after build.sh and
// `npm install` in bindings-wasm/bench): one signed ChatappMigrationRegister request, camskit
// (wasm) against Alibaba's own JS signers in the same run, and the package sizes.
//
//   camskit                   client.sign("ChatappMigrationRegister", params, { timestamp, nonce })
//   camskit (defaults)        the same with now + crypto.randomUUID() chosen by camskit
//   camskit v3                the same, signature: "v3"
//   openapi-util              OpenApiUtil.getRPCSignature(allParams, "POST", secret)  (tea SDKs' signer)
//   pop-core                  RPCClient.request(...) with the network cut (httpx.request throws)
//   cams20200606              Alibaba's own CAMS client (@alicloud/cams20200606 1.4.2, tea
//                             openapi-client): chatappMigrationRegister(...) with the network
//                             cut; it signs with ACS3-HMAC-SHA256, so compare it with camskit v3
//   parse                     parseResponse(200, seed answer) against the official client's own
//                             reading of the same body (JSON.parse + assertAsMap + $tea.cast
//                             into ChatappMigrationRegisterResponse, as its callApi does)
//   parse throughput          parseResponse on the 1 MB ListChatappTemplate answer
//                             (bench/large_body.py) against JSON.parse of the same bytes
//   receipts (16 events)      parsePush(bytes) on bench/receipts_bodies.py's 16-event push body
//                             against JSON.parse(decode(bytes))
//   MNS batch (16 messages)   client.receipts(...) (core's consumer, the one public way to read
//                             an MNS batch in JS) taking 16 deliveries of the 16-message
//                             BatchReceiveMessage answer from an in-memory fetch stand-in, against
//                             the XML parser of Alibaba's own MNS SDK (@alicloud/mns: xml2js)
//   cold start                cold-start.mjs --json: fresh processes, medians (COLD_RUNS)
//
// Knobs: ROUNDS (9), SLICE_MS (250), COLD_RUNS (15; 0 skips the cold start), LARGE_BODY (the
// 1 MB answer's file; default target/bench-large-body.json, written when missing),
// RECEIPTS_PUSH and RECEIPTS_MNS (the receipt inputs; default target/bench/, written when missing),
// BENCH_JSON (a file: one JSON line per metric is appended, see bench/README.md).
import { createRequire } from "node:module";
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, parseResponse, parsePush } from "camskit";

const require = createRequire(import.meta.url);
const OpenApiUtil = require("@alicloud/openapi-util").default;
const RPCClient = require("@alicloud/pop-core").RPCClient;
const httpx = createRequire(require.resolve("@alicloud/pop-core"))("httpx");
const Cams = require("@alicloud/cams20200606");
const OpenApi = require("@alicloud/openapi-client");
const teaHttpx = createRequire(require.resolve("@alicloud/tea-typescript"))("httpx");
const camsRequire = createRequire(require.resolve("@alicloud/cams20200606"));
const $tea = camsRequire("@alicloud/tea-typescript");
const TeaUtil = camsRequire("@alicloud/tea-util").default;
const querystring = require("node:querystring");
const version = (name) => require(`${name}/package.json`).version;
const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, "..", "..");

const ID = "LTAI5tCamsKitVector01";
const SECRET = "VectorSecret0123456789abcdefABC";
const P = { CustSpaceId: "29348393884", PhoneNumber: "8613800001234" };
const TS = "2025-07-14T08:00:00Z";
const NONCE = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21";

const client = new Client({ accessKeyId: ID, accessKeySecret: SECRET });
const pinned = { timestamp: TS, nonce: NONCE };

// Sanity: both compute the same signature for the same input (the vector "register: plain").
const ours = client.sign("ChatappMigrationRegister", P, pinned).signature;
const allParams = {
  AccessKeyId: ID, Action: "ChatappMigrationRegister", Format: "JSON", SignatureMethod: "HMAC-SHA1",
  SignatureNonce: NONCE, SignatureVersion: "1.0", Timestamp: TS, Version: "2020-06-06", ...P,
};
const theirs = OpenApiUtil.getRPCSignature(allParams, "POST", SECRET);
if (ours !== theirs) throw new Error(`signatures differ: ${ours} vs ${theirs}`);

const CUT = new Error("network cut");
httpx.request = async () => { throw CUT; };
let camsSent;
teaHttpx.request = async (url, options) => { camsSent = options; throw CUT; };
const cams = new Cams.default(new OpenApi.Config({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: "cams.ap-southeast-1.aliyuncs.com" }));
const camsRegister = async () => {
  try {
    await cams.chatappMigrationRegister(new Cams.ChatappMigrationRegisterRequest({ custSpaceId: P.CustSpaceId, phoneNumber: P.PhoneNumber }));
  } catch (e) {
    if (e !== CUT) throw e;
  }
};
// Sanity: the official client got as far as a signed request (v3) before the cut.
await camsRegister();
if (!String(camsSent?.headers?.Authorization).startsWith("ACS3-HMAC-SHA256 ")) throw new Error("the official CAMS client did not sign");
// The official RPC 1.0 signer as the tea runtime uses it: the signature, then the URL
// (tea's doAction: protocol://host/?querystring.stringify(query)).
const officialSignV1 = () => {
  const q = { ...allParams };
  q.Signature = OpenApiUtil.getRPCSignature(q, "POST", SECRET);
  return `https://cams.ap-southeast-1.aliyuncs.com/?${querystring.stringify(q)}`;
};
const oursUrl = client.sign("ChatappMigrationRegister", P, pinned).url;
if (new URL(oursUrl).searchParams.get("Signature") !== new URL(officialSignV1()).searchParams.get("Signature")) {
  throw new Error("official URL signature differs");
}

// The seed's answer, read by camskit and by the official client (openapi-client 0.4's callApi
// for bodyType "json": readAsJSON = parseJSON(text), assertAsMap, { body, headers, statusCode },
// then the operation's $tea.cast into its response model).
const SEED = '{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}';
const SEED_HEADERS = { "content-type": "application/json;charset=utf-8" };
const officialParse = () => {
  const body = TeaUtil.assertAsMap(TeaUtil.parseJSON(SEED));
  return $tea.cast({ body, headers: SEED_HEADERS, statusCode: 200 }, new Cams.ChatappMigrationRegisterResponse({}));
};
{
  const ok = parseResponse(200, SEED);
  const theirsParsed = officialParse();
  if (ok.requestId !== theirsParsed.body.requestId || ok.code !== theirsParsed.body.code || theirsParsed.statusCode !== 200) {
    throw new Error("the parses differ");
  }
}

// The 1 MB list answer (bench/large_body.py), as bytes: camskit takes the bytes (it decodes the
// UTF-8 inside), JSON.parse takes a string, so its figure includes TextDecoder's decode.
const LARGE = process.env.LARGE_BODY ?? join(REPO, "target", "bench-large-body.json");
if (!existsSync(LARGE)) {
  mkdirSync(dirname(LARGE), { recursive: true });
  execFileSync("python3", [join(REPO, "bench", "large_body.py"), LARGE], { stdio: "inherit" });
}
const large = new Uint8Array(readFileSync(LARGE));
// The official client on the same answer: the text, then what callApi and
// listChatappTemplateWithOptions do (parseJSON, assertAsMap, $tea.cast into the response model).
const officialParseLarge = () => $tea.cast(
  { body: TeaUtil.assertAsMap(TeaUtil.parseJSON(decoder.decode(large))), headers: SEED_HEADERS, statusCode: 200 },
  new Cams.ListChatappTemplateResponse({}));
const largeText = new TextDecoder().decode(large);
const decoder = new TextDecoder("utf-8", { fatal: true });
{
  const a = parseResponse(200, large);
  const b = JSON.parse(largeText);
  if (a.body.ListTemplate.length !== b.ListTemplate.length || a.code !== "OK") throw new Error("large parse differs");
  if (officialParseLarge().body.listTemplate.length !== b.ListTemplate.length) throw new Error("the official large parse differs");
}

// The receipt inputs (bench/receipts_bodies.py): a 16-event push body (8 ChatAppStatus, 8
// ChatAppInbound) and a 16-message BatchReceiveMessage answer of a ChatAppStatus queue (base64
// bodies, as the MNS SDKs write them).
const PUSH_FILE = process.env.RECEIPTS_PUSH ?? join(REPO, "target", "bench", "receipts-push-16.json");
const MNS_FILE = process.env.RECEIPTS_MNS ?? join(REPO, "target", "bench", "mns-batch-16.xml");
if (!existsSync(PUSH_FILE) || !existsSync(MNS_FILE)) {
  mkdirSync(dirname(PUSH_FILE), { recursive: true });
  mkdirSync(dirname(MNS_FILE), { recursive: true });
  execFileSync("python3", [join(REPO, "bench", "receipts_bodies.py"), PUSH_FILE, MNS_FILE], { stdio: "inherit" });
}
const push = new Uint8Array(readFileSync(PUSH_FILE));
const mnsBatch = new Uint8Array(readFileSync(MNS_FILE));
// Alibaba's MNS SDK for Node (@alicloud/mns) reads every answer with xml2js.parseString (default
// options); with them it calls back synchronously.
const mnsRequire = createRequire(require.resolve("@alicloud/mns"));
const xml2js = mnsRequire("xml2js");
const xml2jsVersion = mnsRequire("xml2js/package.json").version;
const parseXml = (bytes) => {
  let out;
  xml2js.parseString(decoder.decode(bytes), (err, result) => {
    if (err) throw err;
    out = result;
  });
  if (out === undefined) throw new Error("xml2js did not call back synchronously");
  return out;
};
// camskit's only public way to read an MNS batch in JS: client.receipts, core's consumer. Its
// fetch is a stand-in answering from memory (the token once, then the batch at every poll);
// delete: false, so each poll brings the same 16 messages back (flagged duplicates: parsed all
// the same). One call takes the 16 deliveries of one batch: poll (a signed BatchReceiveMessage),
// the answer, core's XML parse and the base64 + JSON of each body, the 16 deliveries.
const MNS_QUEUE = "Alicom-Queue-1873897471328909-ChatAppStatus";
const shanghai = (unix) => new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 19).replace("T", " ");
const tokenAnswer = new TextEncoder().encode(JSON.stringify({
  Code: "OK", Message: "OK", RequestId: "t", MessageTokenDTO: {
    AccessKeyId: "STS.bench", AccessKeySecret: "s", SecurityToken: "tok",
    CreateTime: shanghai(Math.floor(Date.now() / 1000)), ExpireTime: shanghai(Math.floor(Date.now() / 1000) + 86400),
  },
}));
const answerOf = (bytes) => {
  let read = false;
  return {
    status: 200, type: "basic", headers: new Headers(),
    body: { getReader: () => ({ read: async () => (read ? { done: true } : ((read = true), { done: false, value: bytes })), cancel: async () => {} }) },
  };
};
const mnsFetch = async (url) => answerOf(new URL(url).pathname.startsWith("/queues/") ? mnsBatch : tokenAnswer);
const mnsClient = new Client({ accessKeyId: ID, accessKeySecret: SECRET });
const deliveries = mnsClient.receipts({
  queue: MNS_QUEUE, endpoint: "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com", fetch: mnsFetch, delete: false,
})[Symbol.asyncIterator]();
const mns16 = async () => {
  let events;
  for (let i = 0; i < 16; i++) events = (await deliveries.next()).value.events;
  return events;
};
{
  const events = parsePush(push);
  const plain = JSON.parse(decoder.decode(push));
  if (events.length !== 16 || plain.length !== 16) throw new Error("push parse differs");
  const xml = parseXml(mnsBatch);
  if (xml.Messages.Message.length !== 16) throw new Error("xml2js did not read 16 messages");
  const types = [];
  for (let i = 0; i < 16; i++) types.push((await deliveries.next()).value.events[0].messageType);
  if (types.some((t) => t !== "ChatAppStatus")) throw new Error(`MNS deliveries: ${types}`);
}

const pop = new RPCClient({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: "https://cams.ap-southeast-1.aliyuncs.com", apiVersion: "2020-06-06" });

// The contenders run in interleaved rounds (A B C ... A B C ...), so that a load change on a
// shared machine hits all of them alike; each one's time is the median of its rounds.
const sinks = [];
function sliceSync(fn, ms, batch = 200) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1000000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < batch; i++) sinks[i & 7] = fn();
    n += batch;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / n;
}
async function sliceAsync(fn, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1000000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) await fn();
    n += 100;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / n;
}

const contenders = [
  ["camskit sign (pinned time+nonce)", () => client.sign("ChatappMigrationRegister", P, pinned)],
  ["camskit typed method (pinned)", () => client.chatappMigrationRegister(P, pinned)],
  ["camskit sign (defaults: now + randomUUID)", () => client.sign("ChatappMigrationRegister", P)],
  ["camskit sign v3 (pinned)", () => client.sign("ChatappMigrationRegister", P, { ...pinned, signature: "v3" })],
  ["@alicloud/openapi-util getRPCSignature", () => OpenApiUtil.getRPCSignature(allParams, "POST", SECRET)],
  ["@alicloud/pop-core request (network cut)", async () => {
    try {
      await pop.request("ChatappMigrationRegister", P, { method: "POST" });
    } catch (e) {
      if (e !== CUT) throw e;
    }
  }, true],
  ["@alicloud/cams20200606 client, v3 (network cut)", camsRegister, true],
  ["official 1.0: getRPCSignature + URL (tea)", officialSignV1],
  ["camskit parseResponse (seed answer)", () => parseResponse(200, SEED)],
  ["official parse: JSON + $tea.cast (seed)", officialParse],
  ["camskit parseResponse (1 MB bytes)", () => parseResponse(200, large), false, 1],
  ["JSON.parse(decode(1 MB bytes))", () => JSON.parse(decoder.decode(large)), false, 1],
  ["official parse: JSON + $tea.cast (1 MB)", officialParseLarge, false, 1],
  ["camskit parsePush (16 events)", () => parsePush(push), false, 20],
  ["JSON.parse(decode(16-event push))", () => JSON.parse(decoder.decode(push)), false, 20],
  ["camskit client.receipts (16-message MNS batch)", mns16, true],
  ["xml2js.parseString (16-message MNS batch)", () => parseXml(mnsBatch), false, 20],
];
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const SLICE_MS = Number(process.env.SLICE_MS ?? 250);
const times = contenders.map(() => []);
for (let r = -1; r < ROUNDS; r++) {
  for (const [k, [, fn, isAsync]] of contenders.entries()) {
    const t = isAsync ? await sliceAsync(fn, SLICE_MS) : sliceSync(fn, SLICE_MS, contenders[k][3]);
    if (r >= 0) times[k].push(t); // round -1 warms up
  }
}
await deliveries.return(); // the consumer ends (nothing to delete: delete is off)
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const results = contenders.map(([name], k) => ({ name, ns: median(times[k]) }));

const base = results[0].ns;
const util = results.find((r) => r.name.includes("openapi-util")).ns;
const popNs = results.find((r) => r.name.includes("pop-core")).ns;
console.log(`node ${process.version}, ${process.arch}`);
console.log("");
console.log("per signed request                                 ns/op    openapi-util/x  pop-core/x");
for (const r of results.slice(0, 7)) {
  console.log(`${r.name.padEnd(50)} ${r.ns.toFixed(0).padStart(7)}    ${(util / r.ns).toFixed(2).padStart(8)}x     ${(popNs / r.ns).toFixed(2).padStart(7)}x`);
}
console.log("");
console.log(`camskit sign is ${(util / base).toFixed(1)}x faster than openapi-util getRPCSignature (goal >= 5x), ${(popNs / base).toFixed(1)}x faster than pop-core`);
console.log(`camskit sign with defaults is ${(util / results[2].ns).toFixed(1)}x faster than openapi-util getRPCSignature`);
const camsNs = results.find((r) => r.name.includes("cams20200606")).ns;
console.log(`camskit sign v3 is ${(camsNs / results[3].ns).toFixed(1)}x faster than Alibaba's own CAMS client (v3, network cut); camskit sign 1.0 ${(camsNs / base).toFixed(1)}x`);

const ns = (prefix) => results.find((r) => r.name.startsWith(prefix)).ns;
const nsParse = ns("camskit parseResponse (seed");
const nsOfficialParse = ns("official parse");
const nsOfficial1 = ns("official 1.0");
const mbps = (n) => large.length / 1e6 / (n / 1e9);
const parseMbps = mbps(ns("camskit parseResponse (1 MB"));
const jsonMbps = mbps(ns("JSON.parse(decode(1 MB"));
const officialMbps = mbps(ns("official parse: JSON + $tea.cast (1 MB"));
const nsPush = ns("camskit parsePush");
const nsJsonPush = ns("JSON.parse(decode(16");
const nsMns = ns("camskit client.receipts");
const nsXmlMns = ns("xml2js");
console.log("");
console.log(`official 1.0 (getRPCSignature + URL): ${nsOfficial1.toFixed(0)} ns (${(nsOfficial1 / base).toFixed(2)}x camskit sign)`);
console.log(`parse the seed answer: camskit ${nsParse.toFixed(0)} ns, official (JSON.parse + $tea.cast) ${nsOfficialParse.toFixed(0)} ns (${(nsOfficialParse / nsParse).toFixed(2)}x)`);
console.log(`1 MB ListChatappTemplate (${large.length} bytes): camskit parseResponse ${parseMbps.toFixed(1)} MB/s, official (decode + JSON.parse + $tea.cast) ${officialMbps.toFixed(1)} MB/s, bare JSON.parse (with UTF-8 decode) ${jsonMbps.toFixed(1)} MB/s`);
console.log(`16-event push (${push.length} bytes): camskit parsePush ${(nsPush / 1000).toFixed(1)} µs, JSON.parse (with UTF-8 decode) ${(nsJsonPush / 1000).toFixed(1)} µs`);
console.log(`16-message MNS batch (${mnsBatch.length} bytes): camskit client.receipts ${(nsMns / 1000).toFixed(1)} µs, xml2js.parseString ${(nsXmlMns / 1000).toFixed(1)} µs`);

// Cold start: fresh processes (cold-start.mjs prints its own table with the phases).
const COLD_RUNS = Number(process.env.COLD_RUNS ?? 15);
let cold;
if (COLD_RUNS > 0) {
  cold = JSON.parse(execFileSync(process.execPath, [join(HERE, "cold-start.mjs"), "--json"], {
    env: { ...process.env, RUNS: String(COLD_RUNS) }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"],
  }));
  console.log(`cold start (import + client + first sign, medians of ${COLD_RUNS} fresh processes): camskit ${cold.camskit.total.toFixed(1)} ms `
    + `(import ${cold.camskit.import.toFixed(1)}, client ${cold.camskit.client.toFixed(1)}, sign ${cold.camskit.sign.toFixed(1)}), `
    + `official ${cold.official.total.toFixed(1)} ms (${(cold.official.total / cold.camskit.total).toFixed(1)}x); whole process ${cold.camskit.wall.toFixed(0)} vs ${cold.official.wall.toFixed(0)} ms; `
    + `camskit/lean ${cold.lean.total.toFixed(1)} ms; Node's floor (an empty package, the same steps) ${cold.floor.total.toFixed(1)} ms`);
}

if (process.env.BENCH_JSON) {
  const ck = `camskit ${version("camskit")} (wasm, node ${process.version})`;
  const cams = `@alicloud/cams20200606 ${version("@alicloud/cams20200606")} + @alicloud/openapi-client ${version("@alicloud/openapi-client")}`;
  const runs = `median of ${ROUNDS} interleaved rounds of ${SLICE_MS} ms`;
  const lines = [
    ["sign_v1", base / 1000, "us", `${ck}: client.sign("ChatappMigrationRegister", params, { timestamp, nonce }), URL ready; ${runs}`],
    ["sign_v3", results[3].ns / 1000, "us", `${ck}: client.sign(..., { timestamp, nonce, signature: "v3" }); ${runs}`],
    ["parse", nsParse / 1000, "us", `${ck}: parseResponse(200, seed answer text); ${runs}`],
    ["official_sign_v1", nsOfficial1 / 1000, "us", `@alicloud/openapi-util ${version("@alicloud/openapi-util")} getRPCSignature(params, "POST", secret) + URL (querystring.stringify, as tea's doAction), same key/time/nonce; ${runs}`],
    ["official_sign_v3", camsNs / 1000, "us", `${cams}: await client.chatappMigrationRegister(request) with the network cut (tea httpx.request throws), its own time and nonce; ${runs}`],
    ["official_parse", nsOfficialParse / 1000, "us", `${cams}: TeaUtil.parseJSON(text) + assertAsMap + $tea.cast({ body, headers, statusCode }, new ChatappMigrationRegisterResponse({})), what callApi + chatappMigrationRegisterWithOptions do after reading the text (no HTTP stream); ${runs}`],
    ["parse_mbps", parseMbps, "MB/s", `${ck}: parseResponse(200, bytes) on bench/large_body.py's ListChatappTemplate answer (${large.length} bytes, UTF-8 decoded inside), MB = 10^6 bytes; ${runs}`],
    ["official_parse_mbps", officialMbps, "MB/s", `${cams}: new TextDecoder().decode(bytes), TeaUtil.parseJSON + assertAsMap + $tea.cast({ body, headers, statusCode }, new ListChatappTemplateResponse({})) on the same bytes (what the official client does with the answer); ${runs}`],
    ["json_mbps", jsonMbps, "MB/s", `node ${process.version} JSON.parse(new TextDecoder().decode(bytes)) on the same bytes (the decode included); ${runs}`],
    ["receipts16", nsPush / 1000, "us", `${ck}: parsePush(bytes) into typed events (bench/receipts_bodies.py's 16-event push, ${push.length} bytes); ${runs}`],
    ["json_receipts16", nsJsonPush / 1000, "us", `node ${process.version} JSON.parse(new TextDecoder().decode(bytes)) on the same bytes (the decode included); ${runs}`],
    ["mns16", nsMns / 1000, "us", `${ck}: client.receipts({ queue, endpoint, fetch, delete: false }) (core's consumer; no other public MNS parse in JS): 16 deliveries of the 16-message BatchReceiveMessage answer (${mnsBatch.length} bytes) from an in-memory fetch stand-in, each poll a signed request, core's XML parse, base64 + JSON of each body into typed events; ${runs}`],
    ["xml_mns16", nsXmlMns / 1000, "us", `xml2js ${xml2jsVersion} parseString(new TextDecoder().decode(bytes)), default options, as @alicloud/mns ${version("@alicloud/mns")} (Alibaba's MNS SDK for Node) reads its answers, on the same bytes (XML only: no base64 or JSON of the bodies); ${runs}`],
  ];
  if (cold) {
    lines.push(["cold_start", cold.camskit.total, "ms", `${ck}: fresh node process, await import("camskit") + new Client + first client.sign (now + randomUUID), timed inside the process; median of ${cold.camskit.runs}; whole process ${cold.camskit.wall.toFixed(1)} ms`]);
    lines.push(["cold_start_lean", cold.lean.total, "ms", `camskit/lean ${version("camskit")} (the sign-and-parse entry, lean wasm, node ${process.version}): fresh node process, await import("camskit/lean") + new Client + first client.sign, timed inside the process, interleaved with the two above; median of ${cold.lean.runs}; whole process ${cold.lean.wall.toFixed(1)} ms`]);
    lines.push(["cold_start_node_floor", cold.floor.total, "ms", `Node's own share of a cold start (node ${process.version}): a fresh process, await import("camskit-floor") (an empty ES module package by name, with camskit's package.json shape: conditional exports, "type": "module") + new Client + its constant sign, timed the same way, interleaved with the others; median of ${cold.floor.runs}; whole process ${cold.floor.wall.toFixed(1)} ms`]);
    lines.push(["official_cold_start", cold.official.total, "ms", `${cams}: fresh node process, require + new Client(new Config) + first chatappMigrationRegister up to the signed request (network cut), timed inside the process; median of ${cold.official.runs}; whole process ${cold.official.wall.toFixed(1)} ms`]);
  }
  const round = (v, unit) => Number(v.toFixed(unit === "us" ? 3 : 2));
  appendFileSync(process.env.BENCH_JSON, lines.map(([metric, value, unit, what]) =>
    JSON.stringify({ host: "Node", metric, value: round(value, unit), unit, what }) + "\n").join(""));
  console.log(`\n${lines.length} lines appended to ${process.env.BENCH_JSON}`);
}

// Sizes.
const pkgDir = dirname(require.resolve("camskit/package.json"));
const wasm = readFileSync(join(pkgDir, "web", "camskit_wasm_bg.wasm"));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
let total = 0;
let totalGz = 0;
const walk = (d) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else {
      const b = readFileSync(p);
      total += b.length;
      totalGz += gzipSync(b, { level: 9 }).length;
    }
  }
};
walk(pkgDir);
console.log("");
// The budget (issue 27) is the sign-and-parse path's: camskit/lean's .wasm <= 100 KB gzipped.
// The default entry's full .wasm (call machine, credentials chain, receipts, MNS) has none.
const wasmLine = (name, bytes, budget) => {
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`${name}: ${bytes.length} bytes (${kb(bytes.length)}), gzipped ${gz} bytes (${kb(gz)})  ${budget}`);
};
wasmLine("camskit      web/camskit_wasm_bg.wasm", wasm, "(the full build: no size budget)");
wasmLine("camskit/lean lean/camskit_wasm_bg.wasm", readFileSync(join(pkgDir, "lean", "camskit_wasm_bg.wasm")),
  "(budget <= 100 KB gzipped, issue 27)");
console.log(`whole package (node + web builds): ${total} bytes (${kb(total)}), files gzipped one by one ${totalGz} bytes (${kb(totalGz)})`);

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
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { Client } from "camskit";

const require = createRequire(import.meta.url);
const OpenApiUtil = require("@alicloud/openapi-util").default;
const RPCClient = require("@alicloud/pop-core").RPCClient;
const httpx = createRequire(require.resolve("@alicloud/pop-core"))("httpx");
const Cams = require("@alicloud/cams20200606");
const OpenApi = require("@alicloud/openapi-client");
const teaHttpx = createRequire(require.resolve("@alicloud/tea-typescript"))("httpx");

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
const pop = new RPCClient({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: "https://cams.ap-southeast-1.aliyuncs.com", apiVersion: "2020-06-06" });

// The contenders run in interleaved rounds (A B C ... A B C ...), so that a load change on a
// shared machine hits all of them alike; each one's time is the median of its rounds.
const sinks = [];
function sliceSync(fn, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(ms) * 1000000n;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 200; i++) sinks[i & 7] = fn();
    n += 200;
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
];
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const SLICE_MS = Number(process.env.SLICE_MS ?? 250);
const times = contenders.map(() => []);
for (let r = -1; r < ROUNDS; r++) {
  for (const [k, [, fn, isAsync]] of contenders.entries()) {
    const t = isAsync ? await sliceAsync(fn, SLICE_MS) : sliceSync(fn, SLICE_MS);
    if (r >= 0) times[k].push(t); // round -1 warms up
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const results = contenders.map(([name], k) => ({ name, ns: median(times[k]) }));

const base = results[0].ns;
const util = results.find((r) => r.name.includes("openapi-util")).ns;
const popNs = results.find((r) => r.name.includes("pop-core")).ns;
console.log(`node ${process.version}, ${process.arch}`);
console.log("");
console.log("per signed request                                 ns/op    openapi-util/x  pop-core/x");
for (const r of results) {
  console.log(`${r.name.padEnd(50)} ${r.ns.toFixed(0).padStart(7)}    ${(util / r.ns).toFixed(2).padStart(8)}x     ${(popNs / r.ns).toFixed(2).padStart(7)}x`);
}
console.log("");
console.log(`camskit sign is ${(util / base).toFixed(1)}x faster than openapi-util getRPCSignature (goal >= 5x), ${(popNs / base).toFixed(1)}x faster than pop-core`);
console.log(`camskit sign with defaults is ${(util / results[2].ns).toFixed(1)}x faster than openapi-util getRPCSignature`);
const camsNs = results.find((r) => r.name.includes("cams20200606")).ns;
console.log(`camskit sign v3 is ${(camsNs / results[3].ns).toFixed(1)}x faster than Alibaba's own CAMS client (v3, network cut); camskit sign 1.0 ${(camsNs / base).toFixed(1)}x`);

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
console.log(`camskit_wasm_bg.wasm: ${wasm.length} bytes (${kb(wasm.length)}), gzipped ${gzipSync(wasm, { level: 9 }).length} bytes (${kb(gzipSync(wasm, { level: 9 }).length)})  (goal <= 300 KiB, <= 100 KiB gzipped)`);
console.log(`whole package (node + web builds): ${total} bytes (${kb(total)}), files gzipped one by one ${totalGz} bytes (${kb(totalGz)})`);

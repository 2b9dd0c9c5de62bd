// Answer parsing only, this build against older builds and the official client IN THE SAME RUN
// (interleaved rounds, medians): the seed answer (parseResponse, and the official client's
// JSON.parse + assertAsMap + $tea.cast), and the 1 MB ListChatappTemplate answer (parseResponse
// on its bytes, JSON.parse of the decoded text, and the official client's parse + cast), plus parseAnswer and client.call's decoder
// on the 1 MB list (its 64-bit LastUpdateTime fields BigInt).
//
//   CAMSKIT_BASELINE=/tmp/old-pkg[:/tmp/other] node bindings-wasm/bench/parse-compare.mjs
//   ROUNDS (7), SLICE_MS (200), LARGE_BODY (default target/bench-large-body.json)
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const camsRequire = createRequire(require.resolve("@alicloud/cams20200606"));
const Cams = require("@alicloud/cams20200606");
const $tea = camsRequire("@alicloud/tea-typescript");
const TeaUtil = camsRequire("@alicloud/tea-util").default;

const SEED = '{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}';
const SEED_HEADERS = { "content-type": "application/json;charset=utf-8" };
const large = new Uint8Array(readFileSync(process.env.LARGE_BODY ?? join(HERE, "..", "..", "target", "bench-large-body.json")));
const decoder = new TextDecoder("utf-8", { fatal: true });

const builds = [["this build", await import("camskit")]];
for (const [i, dir] of (process.env.CAMSKIT_BASELINE ?? "").split(":").filter(Boolean).entries()) {
  builds.push([`baseline${i + 1} (${dir})`, await import(pathToFileURL(join(resolve(dir), "index.node.js")).href)]);
}

const contenders = [];
for (const [name, m] of builds) {
  contenders.push([`${name}: parseResponse (seed)`, () => m.parseResponse(200, SEED)]);
  contenders.push([`${name}: parseResponse (1 MB bytes)`, () => m.parseResponse(200, large), 1]);
  contenders.push([`${name}: parseAnswer ListChatappTemplate (1 MB)`, () => m.parseAnswer("ListChatappTemplate", 200, large), 1]);
}
contenders.push(["official: JSON.parse + assertAsMap + $tea.cast (seed)", () => $tea.cast(
  { body: TeaUtil.assertAsMap(TeaUtil.parseJSON(SEED)), headers: SEED_HEADERS, statusCode: 200 },
  new Cams.ChatappMigrationRegisterResponse({}))]);
contenders.push(["JSON.parse(decode(1 MB bytes))", () => JSON.parse(decoder.decode(large)), 1]);
contenders.push(["official: decode + JSON.parse + assertAsMap + $tea.cast (1 MB)", () => $tea.cast(
  { body: TeaUtil.assertAsMap(TeaUtil.parseJSON(decoder.decode(large))), headers: SEED_HEADERS, statusCode: 200 },
  new Cams.ListChatappTemplateResponse({})), 1]);

const sinks = [];
function slice(fn, ms, batch = 200) {
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
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const SLICE_MS = Number(process.env.SLICE_MS ?? 200);
const times = contenders.map(() => []);
for (let r = -1; r < ROUNDS; r++) {
  for (const [k, [, fn, batch]] of contenders.entries()) {
    const t = slice(fn, SLICE_MS, batch);
    if (r >= 0) times[k].push(t);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`node ${process.version}; ROUNDS=${ROUNDS} SLICE_MS=${SLICE_MS}; 1 MB answer: ${large.length} bytes; medians`);
for (const [k, [name, , batch]] of contenders.entries()) {
  const ns = median(times[k]);
  const what = batch === 1 ? `${(large.length / 1e6 / (ns / 1e9)).toFixed(1).padStart(7)} MB/s` : `${(ns / 1000).toFixed(2).padStart(7)} us`;
  console.log(`${name.padEnd(78)} ${what}`);
}

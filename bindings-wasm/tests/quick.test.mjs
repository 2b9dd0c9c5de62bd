// The answer decoder's quick path (core's scan as one number of flags, the envelope read from
// the keys it names: camskit.js quickAnswer, wasm answers.rs scanInput/scanBytes) gives
// exactly what its full path gives (scanAnswer's JSON: taken when headers are passed), on every
// answer of tests/vectors/responses.json and answers.json, as text, as bytes and as a text
// beyond the small-text buffer; errors alike, word for word.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAnswer, parseResponse } from "camskit";
import * as lean from "camskit/lean";

const here = dirname(fileURLToPath(import.meta.url));
const load = (name) => JSON.parse(readFileSync(join(here, "..", "..", "tests", "vectors", name), "utf8"));
const encoder = new TextEncoder();

function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: `${e.constructor.name}: ${e.message}` };
  }
}

/** The quick path's answers for `body` (text, bytes, the text padded past 16 KB) against the full path's. */
function agree(api, name, action, status, body) {
  const parse = (b, headers) => (action === undefined ? api.parseResponse(status, b, headers) : api.parseAnswer(action, status, b, headers));
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const full = outcome(() => parse(text, {}));
  assert.deepEqual(outcome(() => parse(text)), full, `${name}: text`);
  assert.deepEqual(outcome(() => parse(encoder.encode(text))), full, `${name}: bytes`);
  return full;
}

for (const [entry, api] of [["camskit", { parseResponse, parseAnswer }], ["camskit/lean", lean]]) {
  test(`${entry}: quick and full decoders agree on every responses.json case`, () => {
    let ok = 0;
    for (const c of load("responses.json").cases) {
      const body = c.body_base64 !== undefined ? new Uint8Array(Buffer.from(c.body_base64, "base64")) : c.body;
      if (agree(api, c.name, undefined, c.status, body).ok) ok += 1;
    }
    assert.ok(ok >= 5, `${ok} successes`);
  });

  test(`${entry}: quick and full decoders agree on every answers.json answer (64-bit fields BigInt)`, () => {
    const { answers } = load("answers.json");
    for (const a of answers) {
      const text = JSON.stringify(a.body);
      agree(api, a.action, a.action, 200, text);
      agree(api, `${a.action} untyped`, undefined, 200, text);
    }
    assert.ok(answers.length >= 173);
  });
}

test("quick and full decoders agree where the envelope is not the body's own string, and on big bodies", () => {
  const pad = "x".repeat(20000);
  const bodies = [
    '{"RequestId":7,"Code":"OK","Message":true,"AccessDeniedDetail":{"a":[1]}}',
    '{"requestId":"r","message":"m","Code":"OK"}',
    '{"RequestId":"a\\"b","Message":"caf\\u00e9","Code":"OK"}',
    '{"RequestId":"r","RequestId":"s","Code":"OK","Data":{"Id":9007199254740993}}',
    '{"RequestId":"日本","Message":"é","Code":"OK","Data":null}',
    `{"RequestId":"r","Code":"OK","Data":{"Pad":"${pad}","N":[1,2.5,-3]}}`,
    `{"RequestId":"r","Code":"Throttling.User","Message":"${pad}"}`,
    '{"Code":"OK","X":1e400}',
    '{"Code":"OK",}',
    "[]",
    "",
  ];
  for (const body of bodies) {
    for (const status of [200, 400, 503]) agree({ parseResponse, parseAnswer }, body.slice(0, 60), undefined, status, body);
    agree({ parseResponse, parseAnswer }, `ListChatappTemplate ${body.slice(0, 40)}`, "ListChatappTemplate", 200, body);
  }
  const ok = parseResponse(200, '{"RequestId":7,"Code":"OK","Message":true,"AccessDeniedDetail":{"a":[1]}}');
  assert.deepEqual([ok.requestId, ok.message, ok.accessDeniedDetail, ok.code], ["7", "true", '{"a":[1]}', "OK"]);
  const big = parseResponse(200, `{"RequestId":"r","Code":"OK","Data":{"Pad":"${pad}"}}`);
  assert.equal(big.data.Pad.length, 20000);
});

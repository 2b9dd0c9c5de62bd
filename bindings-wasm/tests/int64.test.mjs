// The 64-bit fields of an answer (core's catalog::int64_paths: ids and times) are BigInt at run
// time on EVERY path, not only beyond 2^53 - 1: client.call, client.pages, client.items and
// parseAnswer, against tests/mock-cams (ListChatappTemplate's ListTemplate[].LastUpdateTime, a
// time of ~1.7e12 that a number holds exactly: the case that used to come back a number), and
// every recorded answer of the 12 actions with 64-bit fields through client.call's decoder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client, parseAnswer, parseResponse, int64Paths } from "camskit";
import { REPO, startMock } from "./helpers.mjs";

const ID = "LTAI5tCamsKitInt64001";
const SECRET = "Int64Secret0123456789abcdefABCD";
let mock;
before(async () => {
  mock = await startMock([`${ID}:${SECRET}`]);
});
after(async () => {
  await mock?.stop();
});
const client = () => new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url });
const PARAMS = { CustSpaceId: "cs-int64", Page: { Index: 1, Size: 10 } };

/** Every LastUpdateTime is a bigint, usable in bigint arithmetic; returns how many. */
function checkTemplates(templates, where) {
  assert.ok(templates.length > 0, `${where}: templates`);
  for (const t of templates) {
    assert.equal(typeof t.LastUpdateTime, "bigint", `${where}: LastUpdateTime is ${typeof t.LastUpdateTime}`);
    assert.ok(t.LastUpdateTime + 1n > 1_700_000_000_000n, where);
    assert.equal(typeof t.TemplateCode, "string", where);
  }
  return templates.length;
}

test("client.call: ListTemplate[].LastUpdateTime is a bigint", async () => {
  const r = await client().call("ListChatappTemplate", PARAMS);
  assert.equal(r.code, "OK");
  assert.equal(checkTemplates(r.body.ListTemplate, "call"), 10);
  assert.equal(typeof r.body.Total, "number", "a 32-bit count stays a number");
});

test("client.pages: every page's LastUpdateTime is a bigint", async () => {
  let n = 0;
  let pages = 0;
  for await (const page of client().pages("ListChatappTemplate", PARAMS)) {
    n += checkTemplates(page.body.ListTemplate, `page ${++pages}`);
  }
  assert.ok(pages >= 3, `${pages} pages`);
  assert.equal(n, 25);
});

test("client.items: every item's LastUpdateTime is a bigint", async () => {
  const all = [];
  for await (const t of client().items("ListChatappTemplate", PARAMS)) all.push(t);
  assert.equal(checkTemplates(all, "items"), 25);
  assert.equal(all[24].LastUpdateTime - all[0].LastUpdateTime, 24n * 60_000n);
});

test("parseAnswer over a signed request sent with fetch: the same bigint; parseResponse keeps numbers", async () => {
  const signed = client().sign("ListChatappTemplate", PARAMS);
  const res = await fetch(signed.url, { method: signed.method, headers: signed.headers, body: signed.body ?? undefined });
  const text = await res.text();
  const typed = parseAnswer("ListChatappTemplate", res.status, text, res.headers);
  checkTemplates(typed.body.ListTemplate, "parseAnswer");
  const plain = parseResponse(res.status, text);
  assert.equal(typeof plain.body.ListTemplate[0].LastUpdateTime, "number", "parseResponse: untyped, numbers within 2^53");
  assert.equal(BigInt(plain.body.ListTemplate[0].LastUpdateTime), typed.body.ListTemplate[0].LastUpdateTime);
});

test("every recorded answer with 64-bit fields: client.call (fake fetch) and parseAnswer give the same bigints", async () => {
  const { answers } = JSON.parse(readFileSync(join(REPO, "tests", "vectors", "answers.json"), "utf8"));
  let actions = 0;
  let values = 0;
  for (const answer of answers) {
    const paths = int64Paths(answer.action).map((p) => p.split("."));
    if (paths.length === 0) continue;
    actions++;
    // Every 64-bit field set to 1234 (a small integer: a number unless typed).
    const body = structuredClone(answer.body);
    const found = (node, path) => {
      if (node === null || typeof node !== "object") return [];
      const [seg, ...rest] = path;
      const keys = seg === "[]" ? (Array.isArray(node) ? [...node.keys()] : []) : seg === "{}" ? Object.keys(node)
        : Object.hasOwn(node, seg) ? [seg] : [];
      return keys.flatMap((k) => (rest.length ? found(node[k], rest) : [[node, k]]));
    };
    for (const p of paths) for (const [parent, k] of found(body, p)) parent[k] = 1234;
    const text = JSON.stringify(body);
    const fakeFetch = async () => new Response(text, { status: 200, headers: { "content-type": "application/json" } });
    const viaCall = await client().call(answer.action, {}, { raw: true, fetch: fakeFetch, retry: false });
    const viaParse = parseAnswer(answer.action, 200, text);
    for (const r of [viaCall, viaParse]) {
      for (const p of paths) {
        const hits = found(r.body, p);
        assert.ok(hits.length > 0, `${answer.action} ${p.join(".")}`);
        for (const [parent, k] of hits) {
          assert.equal(typeof parent[k], "bigint", `${answer.action} ${p.join(".")}`);
          assert.equal(parent[k] + 1n, 1235n);
          values++;
        }
      }
      if (r.body.Data !== undefined && typeof r.body.Data === "object") assert.equal(r.data, r.body.Data, "data is body.Data");
    }
    assert.deepEqual(viaCall.body, viaParse.body, answer.action);
  }
  assert.equal(actions, 12);
  assert.ok(values >= 2 * 17, `${values} values`);
});

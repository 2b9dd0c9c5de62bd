// Typed answers: parseAnswer(action, status, body) over every recorded answer of
// tests/vectors/answers.json (173 operations), its 64-bit fields BigInt ALWAYS; and the typings
// (answers.d.ts shipped in the package, parseAnswer keyed by action, CallResult) under tsc --strict,
// with negative files that tsc must refuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAnswer, parseResponse, int64Paths, ApiError } from "camskit";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("camskit/package.json"));
const vectors = JSON.parse(readFileSync(join(here, "..", "..", "tests", "vectors", "answers.json"), "utf8"));
// core's table (catalog::int64_paths), per action, each path split into its steps.
const INT64 = Object.fromEntries(Object.keys(vectors.operations).map((a) => [a, int64Paths(a).map((p) => p.split("."))])
  .filter(([, p]) => p.length > 0));

/** Every value at `path` (segments, "[]" items, "{}" map values) under `node`, as [parent, key]. */
function at(node, path, i = 0, out = []) {
  if (node === null || typeof node !== "object") return out;
  const seg = path[i];
  const keys = seg === "[]" ? (Array.isArray(node) ? [...node.keys()] : []) : seg === "{}" ? Object.keys(node)
    : (Object.hasOwn(node, seg) ? [seg] : []);
  for (const k of keys) {
    if (i === path.length - 1) out.push([node, k]);
    else at(node[k], path, i + 1, out);
  }
  return out;
}

/** The recorded body with every 64-bit field set to `value` (JSON text, spliced in exactly). */
function bodyWith(answer, value) {
  const body = structuredClone(answer.body);
  for (const p of INT64[answer.action] ?? []) for (const [parent, k] of at(body, p)) parent[k] = "\u0000INT64";
  return JSON.stringify(body).replaceAll('"\\u0000INT64"', value);
}

test("the 64-bit table is answers.d.ts's bigint fields (17 paths in 12 actions)", () => {
  const dts = readFileSync(join(pkgDir, "answers.d.ts"), "utf8");
  assert.equal(dts, readFileSync(join(here, "..", "..", "answers", "generated", "answers.d.ts"), "utf8"));
  const paths = Object.values(INT64).flat();
  assert.equal(paths.length, (dts.match(/\?: bigint;/g) ?? []).length);
  assert.deepEqual(INT64.ListChatappTemplate, [["ListTemplate", "[]", "LastUpdateTime"]]);
  assert.deepEqual(INT64.ListMarketingFlow, [["Data", "[]", "Id"]]);
  for (const p of paths) assert.match(dts, new RegExp(`\\n  ${p.at(-1)}\\?: bigint;`), p.join("."));
});

test("every recorded answer: parseAnswer is parseResponse, the 64-bit fields BigInt ALWAYS", () => {
  let checked = 0;
  for (const answer of vectors.answers) {
    const paths = INT64[answer.action] ?? [];
    for (const [text, want] of [["42", 42n], ["0", 0n], ["-7", -7n], ["9007199254740993", 9007199254740993n], ["9223372036854775807", 9223372036854775807n]]) {
      const body = bodyWith(answer, text);
      const typed = parseAnswer(answer.action, 200, body);
      const plain = parseResponse(200, body);
      for (const p of paths) {
        const found = at(typed.body, p);
        assert.ok(found.length > 0, `${answer.action} ${p.join(".")} is in the recorded body`);
        for (const [parent, k] of found) {
          assert.equal(parent[k], want, `${answer.action} body.${p.join(".")} = ${text}`);
          checked++;
        }
        if (p[0] === "Data") for (const [parent, k] of at(typed.data, p.slice(1))) assert.equal(parent[k], want, `data of ${answer.action}`);
        // Only the 64-bit fields differ from parseResponse.
        for (const [parent, k] of at(plain.body, p)) parent[k] = BigInt(parent[k]);
        if (p[0] === "Data") {
          const wrap = { Data: plain.data };
          for (const [parent, k] of at(wrap, p)) parent[k] = BigInt(parent[k]);
          plain.data = wrap.Data;
        }
      }
      assert.deepEqual(typed, plain, answer.action);
    }
  }
  assert.equal(vectors.answers.length, 173);
  assert.ok(checked >= 17 * 5, `${checked} 64-bit values checked`);
});

test("parseAnswer leaves what is not a 64-bit integer alone, and throws like parseResponse", () => {
  const r = parseAnswer("ListMarketingFlow", 200, JSON.stringify({ Code: "OK", Data: [{ Id: "12" }, { Id: 1.5 }, { Id: null }, {}, { Id: 3 }], TotalCount: 5 }));
  assert.deepEqual(r.body.Data, [{ Id: "12" }, { Id: 1.5 }, { Id: null }, {}, { Id: 3n }]);
  assert.equal(r.body.TotalCount, 5); // a 32-bit count stays a number
  assert.deepEqual(parseAnswer("ListMarketingFlow", 200, JSON.stringify({ Code: "OK", Data: { Id: 1 } })).body.Data, { Id: 1 });
  assert.deepEqual(parseAnswer("NoSuchAction", 200, '{"Code":"OK","Id":1}').body, { Code: "OK", Id: 1 });
  assert.throws(() => parseAnswer("ListMarketingFlow", 400, '{"Code":"Throttling.User","Message":"slow down","RequestId":"r"}'),
    (e) => e instanceof ApiError && e.kind === "throttling");
});

test("tsc --strict: three typed answers and the call hook compile; wrong fields, types and actions do not", () => {
  // One tsc run over all files (~10 s each run): the good file must have no error, each negative file its own.
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  const negatives = readdirSync(join(here, "types")).filter((f) => f.startsWith("wrong-answer-"));
  assert.ok(negatives.length >= 3);
  let out = "";
  try {
    execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--target", "es2022", "--lib", "es2022,dom", "--skipLibCheck", "false", "--pretty", "false",
      ...["answers.ts", ...negatives].map((f) => join(here, "types", f))], { encoding: "utf8" });
    assert.fail("tsc accepted every file");
  } catch (e) {
    if (e.code === "ERR_ASSERTION") throw e;
    out = `${e.stdout}`;
  }
  const errors = out.split("\n").filter((l) => /error TS\d+/.test(l));
  const of = (f) => errors.filter((l) => l.includes(`types/${f}(`));
  assert.deepEqual(of("answers.ts"), [], "types/answers.ts must compile");
  for (const f of negatives) {
    const want = /\(must name: (.*)\)/.exec(readFileSync(join(here, "types", f), "utf8"))[1];
    assert.ok(of(f).length > 0, `tsc accepted ${f}`);
    assert.ok(of(f).some((l) => l.includes(want)), `${f}: tsc refused it, but not naming ${want}:\n${of(f).join("\n")}`);
  }
  assert.equal(errors.length, negatives.map(of).flat().length, `errors elsewhere:\n${out}`);
});

// The READMEs' TypeScript examples (every ```ts block of bindings-wasm/README.md and README.md)
// compile under tsc --strict against the built package; three mutations of the client.call
// example (a misspelt action, a misspelt parameter, a missing required parameter) must each
// fail with exactly one error naming what is wrong; and types/five-calls.ts (five real
// operations through client.call, their typed answers read) compiles, then runs against
// tests/mock-cams.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "camskit";
import { REPO, startMock } from "./helpers.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ID = "LTAI5tCamsKitReadme01";
const SECRET = "ReadmeSecret0123456789abcdefABC";

let mock;
let work;
before(async () => {
  mock = await startMock([`${ID}:${SECRET}`]);
  // Under tests/ so that "camskit" resolves to the built package (tests/node_modules).
  work = mkdtempSync(join(here, ".readme-"));
});
after(async () => {
  await mock?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The ```ts blocks of a markdown file. */
function tsBlocks(file) {
  const text = readFileSync(join(REPO, file), "utf8");
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

// The mutations of the client.call example (its call statement) that must not compile: [file suffix, from, to, what the error names].
const NEGATIVES = [
  ["action", '"SendChatappMessage"', '"SendChatappMesage"', "SendChatappMesage"],
  ["parameter", 'ChannelType: "whatsapp"', 'ChanelType: "whatsapp"', "ChanelType"],
  ["required", 'From: "8613800001234", ', "", "'From' is missing"],
];

test("tsc --strict: every README TypeScript example and five typed calls compile; three wrong calls do not", async () => {
  const files = [];
  const blocks = { "bindings-wasm/README.md": tsBlocks("bindings-wasm/README.md"), "README.md": tsBlocks("README.md") };
  assert.ok(blocks["bindings-wasm/README.md"].length >= 7, `${blocks["bindings-wasm/README.md"].length} ts blocks in bindings-wasm/README.md`);
  assert.ok(blocks["README.md"].length >= 1, "a ts block in README.md");
  for (const [md, list] of Object.entries(blocks)) {
    list.forEach((code, i) => {
      const f = join(work, `${md.replace(/[/.]/g, "-")}-${i + 1}.ts`);
      writeFileSync(f, `${code}\nexport {};\n`);
      files.push(f);
    });
  }
  const callExample = blocks["bindings-wasm/README.md"].find((b) => b.includes('client.call("SendChatappMessage"'));
  assert.ok(callExample, "the client.call example");
  // The example up to the end of its call statement (what follows reads the answer: a wrong action
  // would give that line an error of its own).
  const callOnly = callExample.slice(0, callExample.indexOf(";\n", callExample.indexOf("client.call(")) + 2);
  const negatives = NEGATIVES.map(([name, from, to, names]) => {
    assert.ok(callOnly.includes(from), `the example holds ${from}`);
    const f = join(work, `wrong-${name}.ts`);
    writeFileSync(f, `${callOnly.replace(from, to)}\nexport {};\n`);
    return { f, names };
  });
  const five = join(here, "types", "five-calls.ts");
  const out = join(work, "out");
  const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
  const args = [tsc, "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022",
    "--lib", "es2022,dom", "--skipLibCheck", "false", "--pretty", "false", "--rootDir", here, "--outDir", out,
    join(here, "types", "readme-assumed.d.ts"), five, ...files, ...negatives.map((n) => n.f)];
  let output = "";
  try {
    execFileSync(process.execPath, args, { encoding: "utf8", cwd: here });
    assert.fail("tsc accepted the wrong calls");
  } catch (e) {
    if (e.code === "ERR_ASSERTION") throw e;
    output = `${e.stdout}${e.stderr}`;
  }
  // An error line is "<file>(line,col): error TSnnnn: ..."; its details follow, indented.
  const lines = output.split("\n");
  const errors = [];
  for (const l of lines) {
    const m = /^(.+?)\(\d+,\d+\): error TS\d+/.exec(l);
    if (m) errors.push({ file: basename(m[1]), text: l });
    else if (errors.length && /^\s/.test(l)) errors.at(-1).text += `\n${l}`;
  }
  const of = (f) => errors.filter((e) => e.file === basename(f));
  for (const f of [five, ...files]) assert.deepEqual(of(f).map((e) => e.text), [], `${relative(here, f)} must compile`);
  for (const { f, names } of negatives) {
    assert.equal(of(f).length, 1, `${basename(f)}: exactly one error:\n${of(f).map((e) => e.text).join("\n")}`);
    assert.ok(of(f)[0].text.includes(names), `${basename(f)}: the error names ${names}:\n${of(f)[0].text}`);
  }
  assert.equal(errors.length, negatives.length, `errors elsewhere:\n${output}`);

  // The five calls, compiled, against mock-cams: the typed values are what the answers hold.
  const { fiveCalls } = await import(pathToFileURL(join(out, "types", "five-calls.js")).href);
  const lines5 = await fiveCalls(new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url }));
  assert.equal(lines5.length, 5);
  assert.equal(lines5[0], "ListChatappTemplate total=25 codes=5 newest=1700000300000");
  assert.match(lines5[1], /^CreateChatappMigrationInitiate id=mig-[0-9a-f]{12} status=/);
  assert.equal(lines5[2], "GetMigrationVerifyCode phone=8613800001234");
  assert.equal(lines5[3], "ChatappMigrationVerified phone=8613800001234 code=OK");
  assert.equal(lines5[4], "ChatappMigrationRegister requestId=true status=200");
});

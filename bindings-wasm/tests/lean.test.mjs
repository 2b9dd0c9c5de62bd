// camskit/lean: the sign + parse entry (the lean .wasm). The vectors run through it in
// vectors.test.mjs and shared-cases.test.mjs; here what differs from `camskit`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as full from "camskit";
import * as lean from "camskit/lean";

const creds = { accessKeyId: "LTAI5tLean", accessKeySecret: "CanarySecretLean" };
const pinned = { timestamp: "2025-07-14T08:00:00Z", nonce: "n-1" };

test("camskit/lean: the same error classes as camskit", () => {
  for (const k of ["CamsError", "ValidationError", "CredentialsError", "ApiError", "ParseError", "TransportError", "isOutcomeUnknown"]) {
    assert.equal(lean[k], full[k], k);
  }
  assert.throws(() => new lean.Client({ accessKeyId: "x" }), full.CredentialsError);
  assert.throws(() => lean.parseResponse(200, "{"), full.ParseError);
});

test("error classes: every copy of errors.js (each Node bundle inlines one) shares the first copy's classes", async () => {
  // A third copy, evaluated now: the package's errors.js (the browsers' module) under a URL of
  // its own, so Node runs it again instead of reusing a loaded module.
  const copy = await import(new URL("./errors.js?third-copy", import.meta.resolve("camskit")).href);
  for (const k of ["CamsError", "ValidationError", "CredentialsError", "ApiError", "ParseError", "TransportError", "isOutcomeUnknown"]) {
    assert.equal(copy[k], full[k], k);
  }
  const e = copy.classed({ name: "ApiError", message: "m", errorCode: "api", category: "api", kind: "outcome_unknown" });
  assert.ok(e instanceof full.ApiError && e instanceof lean.CamsError && e instanceof Error);
  assert.equal(e.name, "ApiError");
  assert.equal(full.isOutcomeUnknown(e), true);
  for (const [name, cls] of Object.entries({ ValidationError: lean.ValidationError, TransportError: full.TransportError })) {
    assert.equal(new cls({ message: "x" }).name, name, "class names survive the bundling");
  }
  // The registry is a registered symbol, hidden from enumeration and fixed.
  const key = Symbol.for("camskit.errors.v1");
  assert.equal(globalThis[key].CamsError, full.CamsError);
  const d = Object.getOwnPropertyDescriptor(globalThis, key);
  assert.deepEqual([d.enumerable, d.writable, d.configurable], [false, false, false]);
  assert.ok(!Object.keys(globalThis).some((k) => k.includes("camskit")));
});

test("camskit/lean: typed methods and typed parameters checked by core, signed as camskit signs", () => {
  const a = new lean.Client(creds);
  const b = new full.Client(creds);
  const params = { CustSpaceId: "cs-1", PhoneNumber: "8613800001234" };
  assert.deepEqual(a.chatappMigrationRegister(params, pinned), b.chatappMigrationRegister(params, pinned));
  for (const signature of ["1.0", "v3"]) {
    assert.deepEqual(a.sign("ListChatappTemplate", { CustSpaceId: "cs", Language: "en" }, { ...pinned, signature }),
      b.sign("ListChatappTemplate", { CustSpaceId: "cs", Language: "en" }, { ...pinned, signature }));
  }
  assert.throws(() => a.sign("ChatappMigrationRegister", { CustSpaceId: "cs" }, pinned), full.ValidationError);
  assert.throws(() => a.sign("ChatappMigrationRegistr", params, pinned), /did you mean ChatappMigrationRegister/);
  assert.deepEqual(lean.int64Paths("ListChatappTemplate"), full.int64Paths("ListChatappTemplate"));
  assert.deepEqual(lean.errorKinds(), full.errorKinds());
  assert.equal(lean.maxResponseBytes(), full.maxResponseBytes());
});

test("camskit/lean: what is not in the lean build says so and where it is", async () => {
  const c = new lean.Client(creds);
  const where = /camskit\/lean: .* is not in the lean build .*import it from "camskit"/;
  await assert.rejects(() => c.call("ListChatappTemplate", {}), where);
  await assert.rejects(async () => { for await (const _ of c.pages("ListChatappTemplate", {})) break; }, where);
  await assert.rejects(() => lean.Client.fromDefaultChain(), where);
  assert.throws(() => c.signMns({}), where);
  assert.throws(() => c.signQueryTokenForMnsQueue({}), where);
  assert.throws(() => c.receipts({}), where);
  for (const k of ["operations", "flatten", "parsePush", "credentialsFromEnv", "DedupWindow"]) assert.equal(lean[k], undefined, k);
});

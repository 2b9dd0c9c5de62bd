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

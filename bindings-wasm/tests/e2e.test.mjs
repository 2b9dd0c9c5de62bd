// The migration workflow end to end: the built package signs, Node's fetch sends to
// tests/mock-cams on 127.0.0.1 (started here), parseResponse reads the answers.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Client, parseResponse, ApiError, parseCreateChatappMigrationInitiateResponse } from "camskit";
import { startMock, send } from "./helpers.mjs";

const ID = "LTAI5tCamsKitE2E0001";
const SECRET = "E2eSecret0123456789abcdefABCDE";
const STS_ID = "STS.CamsKitE2E0002";
const TOKEN = "sts-token-e2e";
let mock;

before(async () => {
  mock = await startMock([`${ID}:${SECRET}`, `${STS_ID}:${SECRET}:${TOKEN}`]);
});
after(async () => {
  await mock?.stop();
});

async function call(client, method, params, options) {
  const [status, text] = await send(client[method](params, options));
  return parseResponse(status, text);
}

for (const signature of ["1.0", "v3"]) {
  for (const sts of [false, true]) {
    test(`migration workflow, signature ${signature}${sts ? ", STS" : ""}`, async () => {
      await mock.reset();
      const client = new Client(sts
        ? { accessKeyId: STS_ID, accessKeySecret: SECRET, securityToken: TOKEN, endpoint: mock.url }
        : { accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url });
      const o = { signature };
      const cs = "cs-e2e-1";
      const [initStatus, initText] = await send(client.createChatappMigrationInitiate({ CustSpaceId: cs, CountryCode: "86", MobileNumber: "13800001234" }, o));
      const init = parseResponse(initStatus, initText);
      assert.equal(init.code, "OK");
      // Core's typed answer of the same bytes.
      const typedInit = parseCreateChatappMigrationInitiateResponse(initStatus, initText);
      assert.equal(typedInit.data.id, init.data.Id);
      assert.equal(typedInit.requestId, init.requestId);
      assert.match(init.data.Id, /^mig-[0-9a-f]{12}$/);
      const phone = "8613800001234";
      const code = await call(client, "getMigrationVerifyCode", { CustSpaceId: cs, PhoneNumber: phone, Locale: "en", Method: "SMS" }, o);
      assert.equal(code.code, "OK");
      assert.equal(code.data.PhoneNumber, phone);
      const verified = await call(client, "chatappMigrationVerified", { CustSpaceId: cs, PhoneNumber: phone, VerifyCode: "123456" }, o);
      assert.equal(verified.code, "OK");
      const reg = await call(client, "chatappMigrationRegister", { CustSpaceId: cs, PhoneNumber: phone }, o);
      assert.equal(reg.code, "OK");
      assert.equal(reg.message, "SUCCESS");
      assert.match(reg.requestId, /^[0-9A-F-]{36}$/);
      assert.equal(reg.accessDeniedDetail, "None");

      const seen = await mock.requests();
      assert.deepEqual(seen.map((r) => r.action),
        ["CreateChatappMigrationInitiate", "GetMigrationVerifyCode", "ChatappMigrationVerified", "ChatappMigrationRegister"]);
      assert.ok(seen.every((r) => r.signature === signature && r.method === "POST"));
      assert.deepEqual(seen[3].params, { CustSpaceId: cs, PhoneNumber: phone });
      assert.deepEqual(seen[2].params, { CustSpaceId: cs, PhoneNumber: phone, VerifyCode: "123456" });
    });
  }
}

async function apiError(signed) {
  const [status, text] = await send(signed);
  try {
    parseResponse(status, text);
  } catch (e) {
    assert.ok(e instanceof ApiError, String(e));
    return e;
  }
  assert.fail(`expected an ApiError, got HTTP ${status} ${text}`);
}

for (const signature of ["1.0", "v3"]) {
  test(`gateway errors from mock-cams, signature ${signature}`, async () => {
    const good = new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url });
    const o = { signature };
    const P = { CustSpaceId: "cs-1", PhoneNumber: "8613800001234" };

    const wrong = new Client({ accessKeyId: ID, accessKeySecret: "not-the-secret", endpoint: mock.url });
    const signed = wrong.chatappMigrationRegister(P, o);
    const mismatch = await apiError(signed);
    assert.equal(mismatch.kind, "signature_mismatch");
    assert.equal(mismatch.code, "SignatureDoesNotMatch");
    assert.equal(mismatch.retryable, false);
    // The server signed the same string: only the key differs.
    assert.equal(mismatch.serverStringToSign, signed.stringToSign);

    const stale = await apiError(good.chatappMigrationRegister(P, { ...o, timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    assert.equal(stale.kind, "clock_skew");

    const once = good.chatappMigrationRegister(P, o);
    await send(once);
    const again = await apiError(once);
    assert.equal(again.kind, "nonce_reused");
    assert.equal(again.retryable, true);

    const unknown = new Client({ accessKeyId: "LTAI-unknown", accessKeySecret: SECRET, endpoint: mock.url });
    const auth = await apiError(unknown.chatappMigrationRegister(P, o));
    assert.equal(auth.kind, "authentication");
    assert.equal(auth.status, 404);
    assert.ok(auth.recommend.startsWith("https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound"));
    assert.equal(auth.hostId, "cams.ap-southeast-1.aliyuncs.com");

    for (const [cs, kind, status] of [
      ["cs-unsubscribed", "not_subscribed", 400], ["cs-denied", "permission", 400], ["cs-throttled", "throttling", 400],
      ["cs-not-mine", "not_found", 400], ["cs-http200-denied", "permission", 200], ["cs-server-error", "server", 500],
    ]) {
      const e = await apiError(good.chatappMigrationRegister({ ...P, CustSpaceId: cs }, o));
      assert.equal(e.kind, kind, cs);
      assert.equal(e.status, status, cs);
    }
  });
}

test("raw: any action, GET; mock-cams checks the signature, then its catalog", async () => {
  const client = new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url });
  const signed = client.sign("GetChatappPhoneNumberDetails", { CustSpaceId: "cs-9", PhoneNumber: "8613800009999" }, { raw: true, method: "GET" });
  assert.equal(signed.method, "GET");
  const e = await apiError(signed);
  // The signature was accepted: the error is the catalog's, not the gateway's.
  assert.equal(e.code, "InvalidAction.NotFound");
  assert.equal(e.kind, "invalid_parameter");
  const ok = client.sign("ChatappMigrationRegister", [["CustSpaceId", "cs-raw"], ["PhoneNumber", "1"]], { raw: true, method: "GET" });
  const [status, text] = await send(ok);
  assert.equal(parseResponse(status, text).code, "OK");
});

test("integer parameters (OwnerId) as number or BigInt reach mock-cams exactly", async () => {
  await mock.reset();
  const client = new Client({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: mock.url });
  for (const owner of [1234567, 9007199254740993n]) {
    const [status, text] = await send(client.chatappMigrationRegister({ CustSpaceId: "cs-int", PhoneNumber: "1", OwnerId: owner }));
    assert.equal(parseResponse(status, text).code, "OK");
  }
  const seen = await mock.requests();
  assert.deepEqual(seen.map((r) => r.params.OwnerId), ["1234567", "9007199254740993"]);
});

// The JavaScript API: errors and their classes, bad inputs, defaults, secrets.
import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import {
  Client, parseResponse, operations, errorKinds, init, credentialsFromEnv, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse, parseAnswer,
  CamsError, ValidationError, CredentialsError, ApiError, ParseError,
} from "camskit";
import { urlParams } from "./helpers.mjs";

const SECRET = "VectorSecret0123456789abcdefABC";
const TOKEN = "CAIS-sts-token-value-0123456789";
const client = new Client({ accessKeyId: "LTAI5tCamsKitVector01", accessKeySecret: SECRET });
const OK = { CustSpaceId: "29348393884", PhoneNumber: "8613800001234" };
const PINNED = { timestamp: "2025-07-14T08:00:00Z", nonce: "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21" };

function throwsClass(fn, cls, check) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err, "expected a throw");
  assert.ok(err instanceof cls, `expected ${cls.name}, got ${err?.name}: ${err?.message}`);
  assert.ok(err instanceof CamsError && err instanceof Error);
  assert.equal(err.name, cls.name);
  assert.ok(!String(err.message).includes(SECRET) && !util.inspect(err).includes(SECRET));
  if (check) check(err);
  return err;
}

test("init() exists and resolves in Node", async () => {
  await init();
});

test("the typed method and sign() give the same signed request", () => {
  const a = client.chatappMigrationRegister(OK, PINNED);
  const b = client.sign("ChatappMigrationRegister", OK, PINNED);
  assert.deepEqual(a, b);
  // From the RPC 1.0 vector "register: plain".
  assert.equal(a.signature, "spXLNN4dGPxCzw0lvYVPelw10ck=");
  assert.equal(a.method, "POST");
  assert.equal(a.body, null);
  assert.deepEqual(a.headers, {});
});

test("one typed method per operation, camelCase, from the catalog", () => {
  const ops = operations();
  assert.equal(ops.length, 173);
  assert.deepEqual(ops.map((o) => o.name), [...ops.map((o) => o.name)].sort());
  for (const op of ops) {
    assert.equal(typeof Client.prototype[op.camelName], "function", op.name);
    assert.equal(op.camelName, op.name[0].toLowerCase() + op.name.slice(1));
  }
  for (const name of ["createChatappMigrationInitiate", "getMigrationVerifyCode", "chatappMigrationVerified", "chatappMigrationRegister"]) {
    assert.equal(typeof client[name], "function", name);
  }
});

test("signature: 'v3' on sign() and on typed methods", () => {
  const v3 = client.chatappMigrationRegister(OK, { ...PINNED, signature: "v3" });
  assert.equal(v3.signatureVersion, "v3");
  assert.match(v3.headers.authorization, /^ACS3-HMAC-SHA256 Credential=LTAI5tCamsKitVector01,SignedHeaders=host;x-acs-action;/);
  assert.equal(v3.headers["x-acs-signature-nonce"], PINNED.nonce);
  assert.equal(v3.headers["x-acs-date"], PINNED.timestamp);
  assert.ok(v3.canonicalRequest.startsWith("POST\n/\nCustSpaceId=29348393884&PhoneNumber=8613800001234\n"));
  assert.equal(client.sign("ChatappMigrationRegister", OK, { ...PINNED, signature: "1.0" }).signatureVersion, "1.0");
  throwsClass(() => client.sign("ChatappMigrationRegister", OK, { signature: "v4" }), ValidationError,
    (e) => assert.match(e.message, /signature version/));
});

test("defaults: now and a fresh Web Crypto nonce on every call", () => {
  const before = Math.floor(Date.now() / 1000);
  const a = urlParams(client.chatappMigrationRegister(OK).url);
  const b = urlParams(client.chatappMigrationRegister(OK).url);
  const after = Math.floor(Date.now() / 1000);
  const get = (ps, n) => ps.find(([k]) => k === n)[1];
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(get(a, "SignatureNonce"), uuid);
  assert.match(get(b, "SignatureNonce"), uuid);
  assert.notEqual(get(a, "SignatureNonce"), get(b, "SignatureNonce"));
  const t = Date.parse(get(a, "Timestamp")) / 1000;
  assert.ok(t >= before && t <= after, `${get(a, "Timestamp")}`);
});

test("nonces in Node: UUIDv4 from the OS random device, none repeated across pool refills", () => {
  // 4 KiB of /dev/urandom serve 256 nonces; 600 signs cross two refills.
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const seen = new Set();
  const nibbles = new Array(16).fill(0);
  for (let i = 0; i < 600; i++) {
    const nonce = client.sign("ChatappMigrationRegister", OK, { signature: "v3" }).headers["x-acs-signature-nonce"];
    assert.match(nonce, uuid);
    assert.ok(!seen.has(nonce), `nonce ${nonce} repeated`);
    seen.add(nonce);
    for (const c of nonce.replace(/-/g, "").slice(13)) nibbles[parseInt(c, 16)] += 1;
  }
  // Random, not a counter: every hex digit shows up in the random part (~700 times each of the
  // 11,400 digits; a zeroed or stuck pool would not).
  assert.ok(nibbles.every((n) => n > 500), nibbles.join(","));
});

test("timestamp as a Date, Unix seconds or text signs the same", () => {
  const s = client.sign("ChatappMigrationRegister", OK, PINNED).signature;
  const secs = Date.parse(PINNED.timestamp) / 1000;
  assert.equal(client.sign("ChatappMigrationRegister", OK, { ...PINNED, timestamp: secs }).signature, s);
  assert.equal(client.sign("ChatappMigrationRegister", OK, { ...PINNED, timestamp: new Date(secs * 1000 + 999) }).signature, s);
  // A fraction of a second is floored (core's one rule), as text or as a number.
  assert.equal(client.sign("ChatappMigrationRegister", OK, { ...PINNED, timestamp: secs + 0.999 }).signature, s);
  assert.equal(client.sign("ChatappMigrationRegister", OK, { ...PINNED, timestamp: `${secs}.5` }).signature, s);
  for (const bad of ["yesterday", "2025-02-30T00:00:00Z", -1.5, NaN, Infinity, new Date("x"), {}, [], 10n ** 30n, 1e300]) {
    throwsClass(() => client.sign("ChatappMigrationRegister", OK, { ...PINNED, timestamp: bad }), ValidationError,
      (e) => assert.match(e.message, /timestamp/, String(bad)));
  }
});

test("validation errors name the operation and the parameter", () => {
  throwsClass(() => client.sign("ChatappMigrationRegister", { CustSpaceId: "1" }), ValidationError, (e) => {
    assert.equal(e.code, "missing_parameter");
    assert.equal(e.parameter, "PhoneNumber");
    assert.equal(e.action, "ChatappMigrationRegister");
    assert.equal(e.message, "ChatappMigrationRegister: missing required parameter PhoneNumber");
  });
  throwsClass(() => client.chatappMigrationRegister({ ...OK, PhoneNumber: undefined }), ValidationError,
    (e) => assert.equal(e.code, "missing_parameter"));
  throwsClass(() => client.chatappMigrationRegister({ ...OK, PhoneNumber: null }), ValidationError,
    (e) => assert.equal(e.code, "missing_parameter"));
  throwsClass(() => client.sign("ChatappMigrationRegister", { ...OK, PhoneNumbr: "1" }), ValidationError, (e) => {
    assert.equal(e.code, "unknown_parameter");
    assert.equal(e.parameter, "PhoneNumbr");
    assert.ok(Array.isArray(e.suggestions));
    assert.match(e.message, /unknown parameter "PhoneNumbr"/);
  });
  throwsClass(() => client.sign("NoSuchOperation", {}), ValidationError, (e) => {
    assert.equal(e.code, "unknown_action");
    assert.equal(e.action, "NoSuchOperation");
    assert.ok(Array.isArray(e.suggestions));
  });
  throwsClass(() => client.sign("ChatappMigrationRegistr", OK), ValidationError, (e) => {
    assert.equal(e.code, "unknown_action");
    assert.ok(e.suggestions.includes("ChatappMigrationRegister"), e.suggestions.join());
    assert.match(e.message, /did you mean .*ChatappMigrationRegister/);
  });
  throwsClass(() => client.chatappMigrationRegister({ ...OK, OwnerId: "12" }), ValidationError, (e) => {
    assert.equal(e.code, "wrong_type");
    assert.equal(e.parameter, "OwnerId");
    assert.match(e.expected, /^integer/);
  });
  throwsClass(() => client.chatappMigrationRegister({ ...OK, OwnerId: 1.5 }), ValidationError, (e) => assert.equal(e.code, "wrong_type"));
  // Snake names are accepted too (the official Python attribute names).
  assert.equal(client.sign("ChatappMigrationRegister", { cust_space_id: OK.CustSpaceId, phone_number: OK.PhoneNumber }, PINNED).signature,
    "spXLNN4dGPxCzw0lvYVPelw10ck=");
  throwsClass(() => client.chatappMigrationRegister({ ...OK, CustSpaceId: { id: 1 } }), ValidationError, (e) => {
    assert.equal(e.code, "wrong_type");
    assert.equal(e.parameter, "CustSpaceId");
  });
});

test("bad inputs: wrong types, undefined, huge strings, lone surrogates", () => {
  const cases = [
    [() => client.sign(), /action/],
    [() => client.sign(undefined, OK), /action/],
    [() => client.sign(42, OK), /action/],
    [() => client.sign({}, OK), /action/],
    [() => client.sign("ChatappMigrationRegister", "CustSpaceId=1"), /params/],
    [() => client.sign("ChatappMigrationRegister", [["CustSpaceId", "1"]]), /params/],
    [() => client.sign("ChatappMigrationRegister", OK, "v3"), /options/],
    [() => client.sign("ChatappMigrationRegister", OK, { method: "PUT" }), /method/],
    [() => client.sign("ChatappMigrationRegister", OK, { method: 1 }), /method/],
    [() => client.sign("ChatappMigrationRegister", OK, { nonce: 5 }), /nonce/],
    [() => client.sign("ChatappMigrationRegister", OK, { nonce: "n".repeat(1000) }), /nonce/],
    [() => client.sign("ChatappMigrationRegister", OK, { nonce: "" }), /nonce/],
    [() => client.sign("ChatappMigrationRegister", OK, { headers: "x" }), /headers/],
    [() => client.sign("ChatappMigrationRegister", OK, { form: { A: "1" } }), /form/],
    [() => client.sign("ChatappMigrationRegister", { ...OK, PhoneNumber: "\uD800" }), /lone surrogate/],
    [() => client.sign("ChatappMigrationRegister", { ...OK, PhoneNumber: "a\uDFFFb" }), /lone surrogate/],
    [() => client.sign("Chatapp\uD83DMigrationRegister", OK), /lone surrogate/],
    [() => client.sign("X", [["Na\uD800me", "v"]], { raw: true }), /lone surrogate/],
    [() => client.sign("ChatappMigrationRegister", { ...OK, PhoneNumber: "1".repeat(100 * 1024) }), /102400 bytes|too|large|long/],
    [() => client.sign("X", { A: "é".repeat(40 * 1024) }, { raw: true }), /bytes|too|large|long/],
    [() => client.sign("X", {}, { raw: true, form: { B: "x".repeat(600 * 1024) } }), /bytes|too|large|long/],
    [() => client.sign("X", { A: () => 1 }, { raw: true }), /parameter A: a function cannot be sent/],
    [() => client.sign("X", { A: Symbol("s") }, { raw: true }), /parameter A: a symbol cannot be sent/],
    [() => client.sign("X", { A: 2n ** 64n }, { raw: true }), /parameter A: the integer 18446744073709551616 does not fit in 64 bits/],
    [() => client.sign("ChatappMigrationRegister", { ...OK, OwnerId: -(2n ** 63n) - 1n }), /parameter OwnerId: .*64 bits/],
    [() => client.sign("ChatappMigrationRegister", OK, { sigature: "v3" }), /unknown option "sigature"/],
    [() => client.sign("ChatappMigrationRegister", OK, { raw: "yes" }), /option raw: expected a boolean/],
    [() => client.sign("X", { A: NaN }, { raw: true }), /finite/],
    [() => client.sign("X", [["A"]], { raw: true }), /pair/],
    [() => client.sign("X", [["A=", "1"]], { raw: true }), /parameter name/],
    [() => client.sign("", {}, { raw: true }), /action/],
  ];
  for (const [fn, re] of cases) {
    throwsClass(fn, ValidationError, (e) => assert.match(e.message, re, `${fn}`));
  }
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  throwsClass(() => client.chatappMigrationRegister({ ...OK, CustSpaceId: cyclic }), ValidationError,
    (e) => assert.match(e.message, /nested deeper|cycle/));
  // After all of that the client still signs, exactly.
  assert.equal(client.sign("ChatappMigrationRegister", OK, PINNED).signature, "spXLNN4dGPxCzw0lvYVPelw10ck=");
});

test("values are signed exactly: U+FFFD, emoji, BigInt, numbers, big but allowed strings", () => {
  const s = client.sign("X", [["A", "\uFFFD😀 中"], ["B", 9007199254740993n], ["C", 1.5], ["D", true], ["E", "x".repeat(30000)],
    ["F", { nested: [1, false] }], ["G", null], ["H", 18446744073709551615n], ["I", 2 ** 60]], { raw: true, ...PINNED });
  const ps = urlParams(s.url);
  const get = (n) => ps.find(([k]) => k === n)[1];
  assert.equal(get("A"), "\uFFFD😀 中");
  assert.ok(s.canonicalQuery.includes("A=%EF%BF%BD%F0%9F%98%80%20%E4%B8%AD&"));
  assert.equal(get("B"), "9007199254740993");
  assert.equal(get("C"), "1.5");
  // Raw values mean what core says: booleans True/False, objects and arrays flattened, null left out.
  assert.equal(get("D"), "True");
  assert.equal(get("F.nested.1"), "1");
  assert.equal(get("F.nested.2"), "False");
  assert.ok(!ps.some(([k]) => k === "G"));
  assert.equal(get("H"), "18446744073709551615");
  assert.equal(get("I"), "1152921504606846976");
  assert.equal(get("E").length, 30000);
});

test("credentials errors never show the secret", () => {
  const cases = [
    [undefined, /options/],
    [null, /options/],
    ["LTAI:secret", /options/],
    [{}, /accessKeyId is missing/],
    [{ accessKeyId: "id" }, /accessKeySecret is missing/],
    [{ accessKeyId: 5, accessKeySecret: SECRET }, /accessKeyId must be a string/],
    [{ accessKeyId: "id", accessKeySecret: 12345 }, /accessKeySecret must be a string/],
    [{ accessKeyId: "", accessKeySecret: SECRET }, /access key id|accessKeyId|empty/i],
    [{ accessKeyId: "id", accessKeySecret: "" }, /secret|empty/i],
    [{ accessKeyId: "id", accessKeySecret: SECRET + "\n" }, /secret|control/i],
    [{ accessKeyId: "id", accessKeySecret: SECRET + "\uD800" }, /lone surrogate/],
    [{ accessKeyId: "id", accessKeySecret: SECRET, securityToken: 7 }, /securityToken/],
  ];
  for (const [opts, re] of cases) {
    throwsClass(() => new Client(opts), CredentialsError, (e) => assert.match(e.message, re, util.inspect(opts)));
  }
  throwsClass(() => new Client({ accessKeyId: "id", accessKeySecret: SECRET, regionId: "cn-hangzhou", endpoint: "http://127.0.0.1:1" }),
    ValidationError, (e) => assert.match(e.message, /region "cn-hangzhou" means .* give one of them/));
  const both = new Client({ accessKeyId: "id", accessKeySecret: SECRET, regionId: "ap-southeast-1", endpoint: "cams.ap-southeast-1.aliyuncs.com" });
  assert.equal(both.endpoint, "https://cams.ap-southeast-1.aliyuncs.com");
  throwsClass(() => new Client({ accessKeyId: "id", accessKeySecret: SECRET, endpoint: "http://cams.example.com" }), ValidationError,
    (e) => { assert.match(e.message, /allowInsecureHttp/); assert.doesNotMatch(e.message, /allow_insecure_http/); });
  assert.equal(new Client({ accessKeyId: "id", accessKeySecret: SECRET, endpoint: "http://cams.example.com", allowInsecureHttp: true }).endpoint,
    "http://cams.example.com");
  throwsClass(() => new Client({ accessKeyId: "id", accessKeySecret: SECRET, region: "cn-hangzhou" }), ValidationError,
    (e) => assert.match(e.message, /unknown option "region"/));
  throwsClass(() => new Client({ accessKeyId: "id", accessKeySecret: SECRET, endpoint: "ftp://x" }), ValidationError);
  throwsClass(() => new Client({ accessKeyId: "id", accessKeySecret: SECRET, regionId: "../evil" }), ValidationError);
});

test("secrets never in toString, JSON, console.log (util.inspect)", () => {
  const sts = new Client({ accessKeyId: "STS.id", accessKeySecret: SECRET, securityToken: TOKEN, regionId: "cn-hangzhou" });
  for (const c of [client, sts]) {
    for (const text of [String(c), `${c}`, JSON.stringify(c), util.inspect(c), util.inspect(c, { showHidden: true, depth: 10 }),
      util.format("%o", c), util.format("%j", c), Object.keys(c).join(",")]) {
      assert.ok(!text.includes(SECRET), text);
      assert.ok(!text.includes(TOKEN), text);
    }
  }
  assert.equal(sts.endpoint, "https://cams.cn-hangzhou.aliyuncs.com");
  assert.equal(sts.accessKeyId, "STS.id");
  // The STS token travels in the request (it has to); the secret never does.
  const signed = sts.chatappMigrationRegister(OK);
  assert.ok(signed.url.includes(`SecurityToken=${TOKEN}`));
  assert.ok(!JSON.stringify(signed).includes(SECRET));
  const v3 = sts.chatappMigrationRegister(OK, { signature: "v3" });
  assert.equal(v3.headers["x-acs-security-token"], TOKEN);
  assert.ok(!JSON.stringify(v3).includes(SECRET));
});

test("every error kind comes out as an ApiError with its fields", () => {
  const kinds = errorKinds();
  assert.deepEqual(kinds, ["throttling", "authentication", "signature_mismatch", "clock_skew", "nonce_reused",
    "permission", "not_subscribed", "invalid_parameter", "not_found", "server", "other", "outcome_unknown"]);
  const byKind = {
    throttling: [400, "Throttling.User", true],
    authentication: [404, "InvalidAccessKeyId.NotFound", false],
    signature_mismatch: [400, "SignatureDoesNotMatch", false],
    clock_skew: [400, "InvalidTimeStamp.Expired", false],
    nonce_reused: [400, "SignatureNonceUsed", true],
    permission: [403, "Forbidden.RAM", false],
    not_subscribed: [400, "Product.Unsubscript", false],
    invalid_parameter: [400, "MissingParameter", false],
    not_found: [400, "Unknown.ResourceOwnerId", false],
    server: [503, "ServiceUnavailable", true],
    other: [200, "Chatapp.Whatever", false],
  };
  // outcome_unknown: a 5xx answering a write, which only a call knows (calls.test.mjs).
  for (const kind of kinds.filter((k) => k !== "outcome_unknown")) {
    const [status, code, retryable] = byKind[kind];
    const body = JSON.stringify({ RequestId: "r-1", HostId: "h", Code: code, Message: `m ${code}`, Recommend: "https://x",
      AccessDeniedDetail: { NoPermissionType: "ImplicitDeny", Id: 0 } }).replace('"Id":0', '"Id":12345678901234567890');
    throwsClass(() => parseResponse(status, body), ApiError, (e) => {
      assert.equal(e.kind, kind);
      assert.equal(e.retryable, retryable);
      assert.equal(e.status, status);
      assert.equal(e.code, code);
      // message: core's full text; apiMessage: CAMS's own.
      assert.equal(e.apiMessage, `m ${code}`);
      assert.ok(e.message.includes(code) && e.message.includes(`m ${code}`), e.message);
      assert.equal(e.requestId, "r-1");
      assert.equal(e.hostId, "h");
      assert.equal(e.recommend, "https://x");
      assert.equal(e.accessDeniedDetail, '{"NoPermissionType":"ImplicitDeny","Id":12345678901234567890}');
      assert.equal(e.body.AccessDeniedDetail.Id, 12345678901234567890n);
      assert.ok(e.stack.includes(code), e.stack);
    });
  }
  const mismatch = parseResponse.bind(null, 400, JSON.stringify({ Code: "SignatureDoesNotMatch",
    Message: "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&A%3D1" }));
  throwsClass(mismatch, ApiError, (e) => assert.equal(e.serverStringToSign, "GET&%2F&A%3D1"));
});

test("parseResponse: exact big integers, bytes in, bad arguments", () => {
  const r = parseResponse(200, '{"RequestId":"r","Code":"OK","Data":{"Id":9007199254740993,"Small":9007199254740991,"Neg":-9007199254740993,"Huge":123456789012345678901234567890,"F":0.1,"List":[1,18446744073709551616]}}');
  assert.equal(r.data.Id, 9007199254740993n);
  assert.equal(r.data.Small, 9007199254740991);
  assert.equal(r.data.Neg, -9007199254740993n);
  // Beyond 64 bits an ANSWER's integer is a float (core: serde_json without arbitrary precision).
  assert.equal(r.data.Huge, 1.2345678901234568e29);
  assert.equal(r.data.F, 0.1);
  assert.deepEqual(r.data.List, [1, 18446744073709551616]);
  // Deep in lists of objects too, and the rest exactly as JSON.parse reads it.
  const deep = parseResponse(200, '{"Code":"OK","List":[{"A":[{"Id":9007199254740993,"T":"x"}],"N":-0.0,"E":1e-7}],"Data":{"K":[-9223372036854775808]}}');
  assert.equal(deep.body.List[0].A[0].Id, 9007199254740993n);
  assert.equal(deep.body.List[0].A[0].T, "x");
  assert.ok(Object.is(deep.body.List[0].N, -0));
  assert.equal(deep.body.List[0].E, 1e-7);
  assert.equal(deep.data.K[0], -9223372036854775808n);
  assert.equal(deep.data, deep.body.Data, "data is the body's own Data");
  // A "__proto__" key in an answer is an ordinary property, never the object's prototype.
  const proto = parseResponse(200, '{"Code":"OK","Data":{"__proto__":{"polluted":true},"x":1}}');
  assert.equal(Object.getPrototypeOf(proto.data), Object.prototype);
  assert.equal(proto.data.polluted, undefined);
  assert.deepEqual(Object.keys(proto.data), ["__proto__", "x"]);
  const bytes = new TextEncoder().encode('{"Code":"OK","RequestId":"é"}');
  assert.equal(parseResponse(200, bytes).requestId, "é");
  assert.equal(parseResponse(200, bytes.buffer).requestId, "é");
  throwsClass(() => parseResponse(502, "<html>Bad Gateway</html>"), ParseError, (e) => {
    assert.equal(e.status, 502);
    assert.match(e.reason, /HTML/);
    assert.ok(e.snippet.startsWith("<html>"));
  });
  throwsClass(() => parseResponse(99, "{}"), ParseError);
  for (const [s, b] of [["200", "{}"], [200.5, "{}"], [70000, "{}"], [-1, "{}"], [undefined, "{}"], [200, 5], [200, undefined], [200, { Code: "OK" }]]) {
    throwsClass(() => parseResponse(s, b), ValidationError);
  }
  // A huge body is parsed, a huge HTML body is a ParseError with a bounded snippet.
  const big = JSON.stringify({ Code: "OK", Data: "x".repeat(5 * 1024 * 1024) });
  assert.equal(parseResponse(200, big).data.length, 5 * 1024 * 1024);
  throwsClass(() => parseResponse(500, "<html>" + "y".repeat(1 << 20)), ParseError, (e) => assert.ok(e.snippet.length < 200));
});

test("the packed fast path and the exact path give the same result", () => {
  for (const signature of ["1.0", "v3"]) {
    const fast = client.sign("ChatappMigrationRegister", OK, { ...PINNED, signature });
    const exact = client.sign("ChatappMigrationRegister", OK, { ...PINNED, signature, headers: [] });
    const viaDate = client.sign("ChatappMigrationRegister", OK, { ...PINNED, signature, timestamp: new Date(PINNED.timestamp) });
    assert.deepEqual(fast, exact, signature);
    assert.deepEqual(fast, viaDate, signature);
  }
  // NUL and U+FFFD inside values take the exact path and are signed exactly.
  const nul = client.sign("ChatappMigrationRegister", { ...OK, PhoneNumber: "1\u00002" }, PINNED);
  assert.ok(nul.canonicalQuery.includes("PhoneNumber=1%002&"), nul.canonicalQuery);
  const fffd = client.sign("ChatappMigrationRegister", { ...OK, PhoneNumber: "\uFFFD" }, PINNED);
  assert.ok(fffd.canonicalQuery.includes("PhoneNumber=%EF%BF%BD&"), fffd.canonicalQuery);
  const nulAction = () => client.sign("ChatappMigration\u0000Register", OK, PINNED);
  throwsClass(nulAction, ValidationError);
});

test("a throwing getter or Proxy surfaces the host's error and leaves the client usable", () => {
  const evil = { get PhoneNumber() { throw new Error("boom"); } };
  assert.throws(() => client.sign("X", evil, { raw: true }), /boom/);
  assert.throws(() => client.sign("ChatappMigrationRegister", { CustSpaceId: "1", get PhoneNumber() { throw new Error("boom2"); } }), /boom2/);
  const proxy = new Proxy({}, { ownKeys() { throw new Error("proxy boom"); } });
  assert.throws(() => client.sign("ChatappMigrationRegister", proxy, { headers: [] }), /proxy boom/);
  assert.throws(() => new Client({ get accessKeyId() { throw new Error("getter"); }, accessKeySecret: SECRET }));
  assert.equal(client.sign("ChatappMigrationRegister", OK, PINNED).signature, "spXLNN4dGPxCzw0lvYVPelw10ck=");
  // A lone surrogate in a parameter NAME is refused like one in a value.
  throwsClass(() => client.sign("ChatappMigrationRegister", { ...OK, ["Cust\uD800"]: "1" }, { headers: [] }), ValidationError,
    (e) => assert.match(e.message, /lone surrogate/));
});

test("fast and exact paths refuse the same odd options", () => {
  for (const bad of [{ method: "" }, { signature: "" }, { timestamp: "" }, { timestamp: "@1752480000" }]) {
    throwsClass(() => client.sign("ChatappMigrationRegister", OK, { ...PINNED, ...bad }), ValidationError);
    throwsClass(() => client.sign("ChatappMigrationRegister", OK, { ...PINNED, ...bad, headers: [] }), ValidationError);
  }
  for (const good of [{ timestamp: 1752480000 }, { timestamp: "1752480000" }, { timestamp: 1752480000.5 }, { method: "post" }, { signature: "v2" }, { signature: "ACS3-HMAC-SHA256" }]) {
    assert.deepEqual(client.sign("ChatappMigrationRegister", OK, { ...PINNED, ...good }),
      client.sign("ChatappMigrationRegister", OK, { ...PINNED, ...good, headers: [] }), JSON.stringify(good));
  }
});

test("errors carry core's errorCode and category; kinds and sizes come from core", () => {
  throwsClass(() => client.sign("ChatappMigrationRegister", { CustSpaceId: "1" }), ValidationError, (e) => {
    assert.equal(e.errorCode, "missing_parameter");
    assert.equal(e.code, "missing_parameter");
    assert.equal(e.category, "validation");
  });
  throwsClass(() => new Client({ accessKeyId: "", accessKeySecret: SECRET }), CredentialsError, (e) => {
    assert.equal(e.errorCode, "credentials");
    assert.equal(e.category, "credentials");
  });
  throwsClass(() => parseResponse(400, '{"Code":"Throttling.User","Message":"m"}'), ApiError, (e) => {
    assert.equal(e.errorCode, "api");
    assert.equal(e.category, "api");
    assert.equal(e.code, "Throttling.User");
  });
  throwsClass(() => parseResponse(302, "", { Location: "http://elsewhere.example/" }), ParseError, (e) => {
    assert.equal(e.errorCode, "parse");
    assert.match(e.message, /redirect to http:\/\/elsewhere\.example\//);
  });
  throwsClass(() => parseResponse(301, "", new Headers({ location: "https://x.example/" })), ParseError,
    (e) => assert.match(e.message, /redirect to https:\/\/x\.example\//));
  assert.equal(maxResponseBytes(), 8 * 1024 * 1024);
});

test("region: regionId and warning from core, warned once", () => {
  const warnings = [];
  const warn = console.warn;
  console.warn = (m) => warnings.push(m);
  try {
    const a = new Client({ accessKeyId: "id", accessKeySecret: SECRET, regionId: "eu-central-9" });
    new Client({ accessKeyId: "id", accessKeySecret: SECRET, regionId: "eu-central-9" });
    assert.equal(a.regionId, "eu-central-9");
    assert.match(a.warning, /not listed in region eu-central-9/);
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(a.warning));
  } finally {
    console.warn = warn;
  }
  assert.equal(client.regionId, "ap-southeast-1");
  assert.equal(client.warning, null);
  assert.equal(client.isLoopback, false);
  const local = new Client({ accessKeyId: "id", accessKeySecret: SECRET, endpoint: "http://127.0.0.1:9" });
  assert.equal(local.regionId, null);
  assert.equal(local.isLoopback, true);
});

test("credentials from the environment: Client.fromEnv and credentialsFromEnv", () => {
  const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAI5tEnv", ALICLOUD_ACCESS_KEY_SECRET: SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: TOKEN };
  const c = Client.fromEnv(env, { regionId: "ap-southeast-1" });
  assert.equal(c.accessKeyId, "LTAI5tEnv");
  assert.ok(c.sign("ChatappMigrationRegister", OK).url.includes(`SecurityToken=${TOKEN}`));
  const info = credentialsFromEnv(env);
  assert.deepEqual(info, { accessKeyId: "LTAI5tEnv", hasSecurityToken: true, idVariable: "ALIBABA_CLOUD_ACCESS_KEY_ID",
    secretVariable: "ALICLOUD_ACCESS_KEY_SECRET", tokenVariable: "ALIBABA_CLOUD_SECURITY_TOKEN" });
  // A lone surrogate is a variable that is not Unicode text (core's NotUnicode).
  throwsClass(() => Client.fromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "id", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s\uD800" }), CredentialsError,
    (e) => assert.match(e.message, /ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but is not valid Unicode/));
  throwsClass(() => Client.fromEnv({}), CredentialsError, (e) => assert.match(e.message, /none in the environment/));
  throwsClass(() => Client.fromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: 5 }), ValidationError, (e) => assert.match(e.message, /env.ALIBABA_CLOUD_ACCESS_KEY_ID/));
  throwsClass(() => Client.fromEnv("x"), ValidationError, (e) => assert.match(e.message, /env/));
  // Default: process.env.
  const saved = { ...process.env };
  try {
    for (const k of Object.keys(process.env)) if (/ACCESS_KEY|SECURITY_TOKEN/.test(k)) delete process.env[k];
    assert.equal(credentialsFromEnv(), null);
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAI5tProc";
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SECRET;
    assert.equal(Client.fromEnv().accessKeyId, "LTAI5tProc");
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});

test("typed migration answers: core's four, fields in camelCase, raw body kept", () => {
  const init_ = parseCreateChatappMigrationInitiateResponse(200,
    '{"RequestId":"r","Code":"OK","Message":"SUCCESS","Data":{"Id":"m-1","PhoneNumber":"86138","Status":"pending","New":true},"Next":1}');
  assert.equal(init_.requestId, "r");
  assert.equal(init_.code, "OK");
  assert.deepEqual(init_.data, { id: "m-1", phoneNumber: "86138", status: "pending" });
  assert.equal(init_.raw.Next, 1);
  assert.equal(init_.raw.Data.New, true);
  const code = parseGetMigrationVerifyCodeResponse(200, '{"Code":"OK","Data":{"Id":12345678901234567,"PhoneNumber":"1"}}');
  assert.deepEqual(code.data, { id: "12345678901234567", phoneNumber: "1" });
  assert.equal(parseChatappMigrationVerifiedResponse(200, '{"Code":"OK"}').data, null);
  const reg = parseChatappMigrationRegisterResponse(200, '{"RequestId":"r","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}');
  assert.equal(reg.message, "SUCCESS");
  assert.equal("data" in reg, false);
  throwsClass(() => parseGetMigrationVerifyCodeResponse(200, '{"Code":"OK","Data":{"Id":["x"]}}'), ParseError,
    (e) => assert.match(e.message, /Data.Id is an array/));
  throwsClass(() => parseChatappMigrationVerifiedResponse(400, '{"Code":"Ram.PermissionDeny","Message":"m"}'), ApiError,
    (e) => assert.equal(e.kind, "permission"));
  // Deprecated: parseAnswer's value in the old shape (raw is its body).
  const body = '{"RequestId":"r","Code":"OK","Data":{"Id":"m-1","PhoneNumber":"86138","Status":"pending"}}';
  assert.deepEqual(parseCreateChatappMigrationInitiateResponse(200, body).raw, parseAnswer("CreateChatappMigrationInitiate", 200, body).body);
  throwsClass(() => parseCreateChatappMigrationInitiateResponse(200, '{"Code":"OK","Data":[1]}'), ParseError, (e) => {
    assert.equal(e.reason, "Data is an array, not an object");
    assert.equal(e.status, 200);
    assert.equal(e.errorCode, "parse");
  });
  throwsClass(() => parseGetMigrationVerifyCodeResponse(200, '{"Code":"OK","Data":{"PhoneNumber":true}}'), ParseError,
    (e) => assert.match(e.message, /Data.PhoneNumber is a boolean, not text/));
});

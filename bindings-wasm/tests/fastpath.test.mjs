// GENERATED cross-check of the packed fast path against the exact path: every signing vector
// (rpc-v1.json, v3.json, catalog.json) and every bad input (bad-inputs.json), plus variants
// that must leave the fast path (null/undefined values, unknown names, odd options), run
// through BOTH paths. Same accept/refuse, same error class and message, same signed bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "camskit";
import { vectors, badInputs, runBad } from "./helpers.mjs";

function outcome(fn) {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: { class: e.constructor.name, message: e.message, errorCode: e.errorCode } };
  }
}

/** Runs one call through both paths; returns whether the fast path took it. */
function both(client, action, params, options, label) {
  const { fast, exact } = Client._paths(client);
  const f = outcome(() => fast(action, params, options));
  const x = outcome(() => exact(action, params, options));
  const pub = outcome(() => client.sign(action, params, options));
  if (f.error) {
    // The fast path never reports an error of its own: only the host's (a throwing getter).
    assert.deepEqual(f.error, x.error, label);
    return false;
  }
  assert.deepEqual(pub, x, `${label}: public sign() = exact path`);
  if (f.ok === undefined) return false;
  assert.deepEqual(f.ok, x.ok, `${label}: fast = exact`);
  return true;
}

function clientFor(input) {
  return new Client({
    accessKeyId: input.access_key_id,
    accessKeySecret: input.access_key_secret,
    securityToken: input.security_token,
    endpoint: input.endpoint,
  });
}

/** String-valued pairs of a vector as a params object (undefined when not expressible). */
function asObject(pairs) {
  const o = {};
  for (const [k, v] of pairs) {
    if (k in o || typeof v !== "string") return undefined;
    o[k] = v;
  }
  return o;
}

test("every signing vector: fast path = exact path", () => {
  let fastTaken = 0;
  let cases = 0;
  for (const [file, signature] of [["rpc-v1.json", undefined], ["v3.json", "v3"]]) {
    for (const c of vectors(file).cases) {
      const i = c.input;
      const params = asObject(i.query ?? []);
      if (params === undefined) continue;
      const client = clientFor(i);
      const base = { timestamp: i.timestamp, nonce: i.nonce };
      if (signature) base.signature = signature;
      // As a catalog call (the fast path's case) and as the raw call of the vector.
      fastTaken += both(client, i.action, params, { ...base, method: i.method }, `${file} ${c.name}`);
      both(client, i.action, params, { ...base, raw: true, method: i.method, apiVersion: i.version, form: i.form, headers: i.headers }, `${file} raw ${c.name}`);
      cases++;
    }
  }
  for (const c of vectors("catalog.json").cases) {
    const i = c.input;
    if (i.prefix !== undefined) continue;
    const client = clientFor(i);
    const options = { signature: i.signature, headers: i.headers, timestamp: i.timestamp, nonce: i.nonce };
    for (const k of Object.keys(options)) if (options[k] === undefined) delete options[k];
    fastTaken += both(client, i.action, i.params, options, `catalog.json ${c.name}`);
    cases++;
  }
  assert.ok(cases >= 80, `${cases} cases`);
  assert.ok(fastTaken >= 20, `the fast path took only ${fastTaken} cases`);
  console.log(`fastpath vectors: ${cases} cases, fast path taken in ${fastTaken}, all equal to the exact path`);
});

test("every bad input: fast path = exact path (same class and message)", () => {
  const d = badInputs();
  let n = 0;
  for (const c of d.cases.filter((x) => x.kind === "sign")) {
    const viaPublic = runBad(d, c);
    const viaExact = runBad(d, c, (client, ...args) => Client._paths(client).exact(...args));
    assert.ok(viaPublic && viaExact, c.name);
    assert.equal(viaPublic.constructor, viaExact.constructor, c.name);
    assert.equal(viaPublic.message, viaExact.message, c.name);
    assert.equal(viaPublic.errorCode, viaExact.errorCode, c.name);
    runBad(d, c, (client, ...args) => { assert.equal(Client._paths(client).fast(...args), undefined, c.name); });
    n++;
  }
  console.log(`fastpath bad-inputs: ${n} sign cases, refused alike`);
});

test("drift cases: null/undefined values, unknown names, odd options all behave as the exact path", () => {
  const client = new Client({ accessKeyId: "LTAI5tFast", accessKeySecret: "CanarySecretFast" });
  const P = { timestamp: "2025-07-14T08:00:00Z", nonce: "n-1" };
  const OK = { CustSpaceId: "c", PhoneNumber: "p" };
  const variants = [
    [{ ...OK, PhoneNumbr: undefined }, P],
    [{ ...OK, cust_space_id: null }, P],
    [{ ...OK, OwnerId: null }, P],
    [{ ...OK, OwnerId: undefined }, P],
    [{ ...OK, PhoneNumber: null }, P],
    [{ ...OK, cust_space_id: "c" }, P],
    [{ ...OK, PhoneNumbr: "x" }, P],
    [{ ...OK, PhoneNumber: "1\u00002" }, P],
    [{ ...OK, PhoneNumber: "\uFFFD" }, P],
    [{ ...OK, PhoneNumber: "\uD800" }, P],
    [{ ...OK, ["Cust\uD800"]: "1" }, P],
    [OK, { ...P, timestamp: 1752480000.9 }],
    [OK, { ...P, timestamp: 1e300 }],
    [OK, { ...P, timestamp: -0.5 }],
    [OK, { ...P, timestamp: NaN }],
    [OK, { ...P, timestamp: "1752480000" }],
    [OK, { ...P, timestamp: "1752480000.5" }],
    [OK, { ...P, timestamp: "@1752480000" }],
    [OK, { ...P, timestamp: "" }],
    [OK, { ...P, method: "" }],
    [OK, { ...P, method: "get" }],
    [OK, { ...P, signature: "" }],
    [OK, { ...P, signature: "v3" }],
    [OK, { ...P, nonce: "" }],
    [OK, { ...P, nonce: "a b" }],
    [OK, { ...P, sigature: "v3" }],
    [OK, { ...P, raw: false }],
    [OK, { ...P, apiVersion: "2020-06-06" }],
    [OK, { ...P, headers: {} }],
    [OK, { ...P, method: undefined }],
    [OK, { ...P, method: null }],
  ];
  let fast = 0;
  for (const [params, options] of variants) {
    fast += both(client, "ChatappMigrationRegister", params, options, JSON.stringify([params, options]));
  }
  for (const action of ["", "ChatappMigration\u0000Register", "Chatapp\uD83DMigrationRegister", "NoSuchOp"]) {
    both(client, action, OK, P, JSON.stringify(action));
  }
  assert.ok(fast >= 5, `${fast}`);
  // The drift of before: a null/undefined unknown name no longer signs on any path.
  assert.throws(() => client.sign("ChatappMigrationRegister", { ...OK, PhoneNumbr: undefined }, P), /PhoneNumbr/);
  assert.throws(() => client.sign("ChatappMigrationRegister", { ...OK, cust_space_id: null }, P), /more than once/);
});

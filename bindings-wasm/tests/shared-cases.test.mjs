// tests/vectors/host-behaviours.json and tests/vectors/bad-inputs.json, ALL cases, through the
// package's public API the way a user calls it (the same cases every host runs).
import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import * as full from "camskit";
import * as lean from "camskit/lean";
import { vectors, urlParams, sortPairs, quiet, runBad, badInputs } from "./helpers.mjs";

// Both entries: `camskit` and `camskit/lean` (sign + parse only; the same error classes).
const { CamsError, ValidationError, CredentialsError, ApiError, ParseError } = full;
const CLASSES = { validation: ValidationError, credentials: CredentialsError, api: ApiError, parse: ParseError };
const COMMON = new Set(["AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
  "Timestamp", "Version", "Signature"]);


for (const [entry, api] of [["camskit", full], ["camskit/lean", lean]]) {
  const { Client, credentialsFromEnv } = api;

  test(`${entry}: host-behaviours.json: every case`, () => {
    const doc = vectors("host-behaviours.json");
    let passed = 0;
    const errorOf = (fn) => { try { fn(); } catch (e) { return e; } return undefined; };

    for (const c of doc.endpoints) {
      const name = JSON.stringify(c);
      const options = { accessKeyId: "LTAI5tHost", accessKeySecret: "CanarySecretHost",
        regionId: c.region ?? undefined, endpoint: c.endpoint ?? undefined, allowInsecureHttp: true };
      if (c.error !== undefined) {
        const e = errorOf(() => quiet(() => new Client(options)));
        assert.ok(e instanceof ValidationError, `${name}: ${e}`);
        assert.ok(e.message.includes(c.error), `${name}: ${e.message}`);
      } else {
        const client = quiet(() => new Client(options));
        assert.equal(client.endpoint, c.base_url, name);
        assert.equal(client.regionId, c.region_id ?? null, name);
        assert.equal(client.warning !== null, c.warning, name);
        if (c.loopback !== undefined) assert.equal(client.isLoopback, c.loopback, name);
      }
      passed++;
    }

    const client = new Client({ accessKeyId: "id", accessKeySecret: "secret" });
    for (const c of doc.raw_values) {
      const signed = client.sign("DescribeRegions", c.params ?? {}, {
        raw: true, form: c.form, timestamp: "2025-07-14T08:00:00Z", nonce: "n",
      });
      const got = urlParams(signed.url).filter(([n]) => !COMMON.has(n));
      assert.deepEqual(got, sortPairs(c.query), c.name);
      assert.equal(signed.body, c.body ?? null, c.name);
      passed++;
    }

    const OK = { CustSpaceId: "c", PhoneNumber: "p" };
    for (const c of doc.timestamps) {
      const input = typeof c.input === "bigint" ? Number(c.input) : c.input;
      const name = JSON.stringify(c, (_, v) => (typeof v === "bigint" ? String(v) : v));
      const run = () => client.sign("ChatappMigrationRegister", OK, { timestamp: input, nonce: "n" });
      if (c.error !== undefined) {
        const e = errorOf(run);
        assert.ok(e instanceof ValidationError, `${name}: ${e}`);
        assert.ok(e.message.includes(c.error), `${name}: ${e.message}`);
      } else {
        const ts = urlParams(run().url).find(([n]) => n === "Timestamp")[1];
        assert.equal(ts, c.ok, name);
      }
      passed++;
    }

    for (const c of doc.environment) {
      const env = { ...c.env };
      if (c.error !== undefined) {
        for (const fn of [credentialsFromEnv && (() => credentialsFromEnv(env)), () => Client.fromEnv(env)].filter(Boolean)) {
          const e = errorOf(fn);
          assert.ok(e instanceof CredentialsError, `${c.name}: ${e}`);
          assert.ok(e.message.includes(c.error), `${c.name}: ${e.message}`);
          assert.ok(!e.message.includes("Canary") && !util.inspect(e).includes("Canary"), `${c.name}: ${e.message}`);
        }
      } else if (c.none) {
        if (credentialsFromEnv) assert.equal(credentialsFromEnv(env), null, c.name);
        assert.throws(() => Client.fromEnv(env), CredentialsError, c.name);
      } else {
        // credentialsFromEnv is the full entry's (the lean one has Client.fromEnv).
        const found = credentialsFromEnv ? credentialsFromEnv(env) : { accessKeyId: c.access_key_id, hasSecurityToken: c.security_token === true };
        assert.equal(found.accessKeyId, c.access_key_id, c.name);
        assert.equal(found.hasSecurityToken, c.security_token === true, c.name);
        const client = Client.fromEnv(env);
        assert.equal(client.accessKeyId, c.access_key_id, c.name);
        for (const text of [JSON.stringify(found), util.inspect(found), String(client), util.inspect(client)]) {
          assert.ok(!text.includes("Canary"), `${c.name}: ${text}`);
        }
        const signed = client.sign("ChatappMigrationRegister", OK);
        assert.equal(urlParams(signed.url).some(([n]) => n === "SecurityToken"), c.security_token === true, c.name);
      }
      passed++;
    }
    const total = doc.endpoints.length + doc.raw_values.length + doc.timestamps.length + doc.environment.length;
    assert.equal(passed, total);
    console.log(`${entry}: host-behaviours: ${passed} passed, 0 failed`);
  });

  test(`${entry}: bad-inputs.json: every case refused with its class and word`, () => {
    const d = badInputs();
    let passed = 0;
    for (const c of d.cases) {
      const e = runBad(d, c, undefined, api);
      assert.ok(e !== undefined, `${c.name}: accepted`);
      assert.ok(e instanceof CamsError, `${c.name}: ${e}`);
      assert.ok(e instanceof CLASSES[c.error], `${c.name}: ${e.name}: ${e.message}`);
      assert.equal(e.category, c.error, c.name);
      assert.equal(typeof e.errorCode, "string", c.name);
      const text = `${e.message}`;
      assert.ok(text.includes(c.names), `${c.name}: ${text}`);
      assert.ok(!text.includes("Canary") && !util.inspect(e).includes("Canary"), `${c.name}: ${text}`);
      assert.ok(text.length < 1024, `${c.name}: ${text.length} bytes`);
      passed++;
    }
    console.log(`${entry}: bad-inputs: ${passed} passed, 0 failed`);
  });
}

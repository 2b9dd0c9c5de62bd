// Every case of tests/vectors/{rpc-v1,v3,responses,catalog}.json, byte for byte, through the built
// package: both entries, `camskit` (the full .wasm) and `camskit/lean` (sign + parse only).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as full from "camskit";
import * as lean from "camskit/lean";
import { vectors, urlParams, sortPairs, toJson } from "./helpers.mjs";

for (const [entry, { Client, parseResponse, ApiError, ParseError }] of [["camskit", full], ["camskit/lean", lean]]) {
  function clientFor(input) {
    return new Client({
      accessKeyId: input.access_key_id,
      accessKeySecret: input.access_key_secret,
      securityToken: input.security_token,
      endpoint: input.endpoint,
    });
  }

  function signCase(input, signature) {
    const client = clientFor(input);
    const signed = client.sign(input.action, input.query ?? [], {
      raw: true,
      method: input.method,
      apiVersion: input.version,
      timestamp: input.timestamp,
      nonce: input.nonce,
      form: input.form,
      headers: input.headers,
      signature,
    });
    return { client, signed };
  }

  test(`${entry}: rpc-v1.json: every case byte for byte`, () => {
    const { cases } = vectors("rpc-v1.json");
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    for (const c of cases) {
      const e = c.expected;
      const { client, signed } = signCase(c.input, undefined);
      assert.equal(signed.canonicalQuery, e.canonical_query, c.name);
      assert.equal(signed.stringToSign, e.string_to_sign, c.name);
      assert.equal(signed.signature, e.signature, c.name);
      assert.equal(signed.signatureVersion, "1.0", c.name);
      assert.deepEqual(urlParams(signed.url), sortPairs(e.url_params), c.name);
      assert.equal(signed.body, e.body ?? null, c.name);
      assert.equal(signed.method, c.input.method.toUpperCase(), c.name);
      assert.ok(signed.url.startsWith(`${client.endpoint}/?`), c.name);
    }
  });

  test(`${entry}: v3.json: every case byte for byte`, () => {
    const { cases } = vectors("v3.json");
    assert.ok(cases.length >= 15, `${cases.length} cases`);
    for (const c of cases) {
      const e = c.expected;
      const { signed } = signCase(c.input, "v3");
      assert.equal(signed.canonicalRequest, e.canonical_request, c.name);
      assert.equal(signed.stringToSign, e.string_to_sign, c.name);
      assert.equal(signed.signature, e.signature, c.name);
      assert.equal(signed.headers.authorization, e.authorization, c.name);
      // headers: the ones to send (core's headers_to_send: host is the URL's, not set by hand).
      const headers = Object.entries(signed.headers).filter(([n]) => n !== "authorization");
      assert.deepEqual(sortPairs(headers), sortPairs(e.headers.filter(([n]) => n !== "host")), c.name);
      assert.equal(signed.headers.host, undefined, c.name);
      assert.deepEqual(urlParams(signed.url), sortPairs(e.url_params), c.name);
      assert.equal(signed.body, e.body ?? null, c.name);
      assert.equal(signed.signatureVersion, "v3", c.name);
    }
  });

  const FIELDS = {
    request_id: "requestId",
    code: "code",
    message: "message",
    access_denied_detail: "accessDeniedDetail",
    kind: "kind",
    retryable: "retryable",
    host_id: "hostId",
    recommend: "recommend",
    server_string_to_sign: "serverStringToSign",
  };

  test(`${entry}: responses.json: every case, every expected field`, () => {
    const { cases } = vectors("responses.json");
    assert.ok(cases.length >= 50, `${cases.length} cases`);
    const seenKinds = new Set();
    for (const c of cases) {
      const e = c.expected;
      const body = c.body_base64 !== undefined ? new Uint8Array(Buffer.from(c.body_base64, "base64")) : c.body;
      let result;
      let error;
      try {
        result = parseResponse(c.status, body);
      } catch (err) {
        error = err;
      }
      if (e.outcome === "ok") {
        assert.equal(error, undefined, `${c.name}: ${error}`);
        for (const [k, js] of Object.entries(FIELDS)) {
          if (k in e) assert.equal(result[js], e[k], `${c.name}: ${k}`);
        }
        if ("data" in e) assert.equal(toJson(result.data), e.data, c.name);
        for (const f of e.extra_fields ?? []) assert.ok(f in result.body, `${c.name}: ${f}`);
        assert.equal(result.status, c.status);
      } else if (e.outcome === "api_error") {
        assert.ok(error instanceof ApiError, `${c.name}: ${error}`);
        assert.ok(error instanceof Error);
        assert.equal(error.status, c.status, c.name);
        for (const [k, js] of Object.entries({ ...FIELDS, message: "apiMessage" })) {
          if (k in e) assert.equal(error[js], e[k], `${c.name}: ${k}`);
        }
        assert.ok(error.message.includes(error.code), `${c.name}: ${error.message}`);
        seenKinds.add(error.kind);
      } else {
        assert.equal(e.outcome, "parse_error", c.name);
        assert.ok(error instanceof ParseError, `${c.name}: ${error}`);
        assert.equal(error.status, c.status, c.name);
        assert.ok(error.reason.includes(e.reason_contains), `${c.name}: ${error.reason}`);
        assert.ok(error.message.includes(e.reason_contains), `${c.name}: ${error.message}`);
      }
    }
    assert.equal(seenKinds.size, 11, [...seenKinds].join(","));
  });

  test(`${entry}: catalog.json: structured parameters through the catalog, byte for byte; flat cases`, () => {
    const { cases } = vectors("catalog.json");
    assert.ok(cases.length >= 10, `${cases.length} cases`);
    let signed_ = 0;
    for (const c of cases) {
      const input = c.input;
      const e = c.expected;
      if (input.prefix !== undefined) {
        // flatten() is the full entry's (the lean one signs flat parameters through core alike).
        if (entry === "camskit") assert.deepEqual(full.flatten(input.prefix, input.value), e.pairs, c.name);
        continue;
      }
      const signed = clientFor(input).sign(input.action, input.params, {
        signature: input.signature,
        headers: input.headers,
        timestamp: input.timestamp,
        nonce: input.nonce,
      });
      signed_++;
      assert.equal(signed.stringToSign, e.string_to_sign, c.name);
      assert.equal(signed.signature, e.signature, c.name);
      assert.deepEqual(urlParams(signed.url), sortPairs(e.url_params), c.name);
      assert.equal(signed.body, e.body ?? null, c.name);
      assert.equal(signed.method, input.method.toUpperCase(), c.name);
      if (input.signature === "v3") {
        assert.equal(signed.canonicalRequest, e.canonical_request, c.name);
        assert.equal(signed.headers.authorization, e.authorization, c.name);
        const headers = Object.entries(signed.headers).filter(([n]) => n !== "authorization");
        assert.deepEqual(sortPairs(headers), sortPairs(e.headers.filter(([n]) => n !== "host")), c.name);
      } else {
        assert.equal(signed.canonicalQuery, e.canonical_query, c.name);
      }
    }
    assert.ok(signed_ >= 5);
  });
}

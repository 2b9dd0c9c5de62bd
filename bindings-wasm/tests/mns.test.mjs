// tests/vectors/mns.json, recorded from Alibaba's official SDKs (aliyun-mns-sdk,
// alibabacloud-dybaseapi20170525, aliyun-python-sdk-core), replayed through the package: every
// MNS request (client.signMns: core's MnsQueue and MNS signature) byte for byte, and every
// Dybaseapi QueryTokenForMnsQueue (client.signQueryTokenForMnsQueue) as the official clients
// sign it. Bad input is a ValidationError naming what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, ValidationError } from "camskit";
import { sortPairs, urlParams, vectors } from "./helpers.mjs";

const doc = vectors("mns.json");
const OPERATION = {
  receive: "ReceiveMessage",
  batch_receive: "BatchReceiveMessage",
  delete: "DeleteMessage",
  batch_delete: "BatchDeleteMessage",
  change_visibility: "ChangeMessageVisibility",
};

const clientOf = (input) => new Client({
  accessKeyId: input.access_key_id, accessKeySecret: input.access_key_secret, securityToken: input.security_token,
});

test("every MNS request vector: method, URL, resource, string to sign, Authorization, headers, body", () => {
  assert.ok(doc.requests.length >= 14, `${doc.requests.length} vectors`);
  const seen = new Set();
  for (const { name, input, expected: e } of doc.requests) {
    const options = { endpoint: input.endpoint, queue: input.queue, operation: OPERATION[input.op], date: input.date };
    if (input.wait_seconds !== undefined) options.waitSeconds = input.wait_seconds;
    if (input.num_of_messages !== undefined) options.numOfMessages = input.num_of_messages;
    if (input.receipt_handle !== undefined) options.receiptHandle = input.receipt_handle;
    if (input.receipt_handles !== undefined) options.receiptHandles = input.receipt_handles;
    if (input.visibility_timeout !== undefined) options.visibilityTimeout = input.visibility_timeout;
    const r = clientOf(input).signMns(options);
    assert.equal(r.method, e.method, name);
    assert.equal(r.url, e.url, name);
    assert.equal(r.resource, e.resource, name);
    assert.equal(r.stringToSign, e.string_to_sign, name);
    assert.equal(r.headers.Authorization, e.authorization, name);
    assert.equal(r.body, e.body, name);
    assert.deepEqual(sortPairs(Object.entries(r.headers)), sortPairs(e.headers), name);
    assert.match(r.purpose, /^mns:/, name);
    seen.add(options.operation);
  }
  assert.equal(seen.size, 5, "every operation");
});

test("every Dybaseapi QueryTokenForMnsQueue vector: canonical query, string to sign, signature, URL", () => {
  assert.ok(doc.query_token.length >= 3);
  for (const { name, input, expected: e } of doc.query_token) {
    const r = clientOf(input).signQueryTokenForMnsQueue({
      messageType: input.message_type, queueName: input.queue_name, timestamp: input.timestamp, nonce: input.nonce,
    });
    assert.equal(r.method, e.method, name);
    assert.equal(r.canonicalQuery, e.canonical_query, name);
    assert.equal(r.stringToSign, e.string_to_sign, name);
    assert.equal(r.signature, e.signature, name);
    assert.ok(r.url.startsWith(`https://${e.host}/?`), `${name}: ${r.url}`);
    assert.deepEqual(urlParams(r.url), sortPairs(e.url_params), name);
    assert.equal(r.body, e.body, name);
  }
});

test("MNS signing: a fresh date and nonce by default; bad input is a ValidationError naming it, never the secret", () => {
  const input = doc.requests[0].input;
  const c = clientOf(input);
  const r = c.signMns({ endpoint: input.endpoint, queue: input.queue, operation: "ReceiveMessage", waitSeconds: 5 });
  assert.match(r.headers.date, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  assert.equal(r.timeoutMs > 5000, true);
  const t1 = c.signQueryTokenForMnsQueue({ messageType: "ChatAppStatus" });
  const t2 = c.signQueryTokenForMnsQueue({ messageType: "ChatAppStatus" });
  assert.notEqual(urlParams(t1.url).find(([k]) => k === "SignatureNonce")[1], urlParams(t2.url).find(([k]) => k === "SignatureNonce")[1]);
  const bad = [
    [{ endpoint: input.endpoint, queue: input.queue, operation: "PeekMessage" }, /operation.*PeekMessage/],
    [{ endpoint: input.endpoint, queue: "9bad", operation: "ReceiveMessage" }, /queue|9bad/i],
    [{ endpoint: input.endpoint, queue: input.queue, operation: "ReceiveMessage", waitSeconds: 31 }, /wait/i],
    [{ endpoint: input.endpoint, queue: input.queue, operation: "BatchReceiveMessage", numOfMessages: 17 }, /numOfMessages/],
    [{ endpoint: input.endpoint, queue: input.queue, operation: "BatchDeleteMessage", receiptHandles: [] }, /handles/],
    [{ endpoint: input.endpoint, queue: input.queue, operation: "DeleteMessage" }, /receiptHandle/],
    [{ endpoint: input.endpoint, queue: input.queue, operation: "ReceiveMessage", waitSecs: 1 }, /unknown option "waitSecs"/],
  ];
  for (const [options, want] of bad) {
    assert.throws(() => c.signMns(options), (e) => e instanceof ValidationError && want.test(e.message) && !e.message.includes(input.access_key_secret),
      JSON.stringify(options));
  }
  assert.throws(() => c.signQueryTokenForMnsQueue({ messageType: "" }), ValidationError);
});

// tests/vectors/mns.json, recorded from Alibaba's official SDKs (aliyun-mns-sdk,
// alibabacloud-dybaseapi20170525, aliyun-python-sdk-core), replayed through the package: every
// MNS request (client.signMns: core's MnsQueue and MNS signature) byte for byte, and every
// Dybaseapi QueryTokenForMnsQueue (client.signQueryTokenForMnsQueue) as the official clients
// sign it; every MNS answer (parseMnsAnswer: core's parse_receive_message & co) read as the
// SDK's decoders read it: the messages, an empty poll, the new visibility, the handles a batch
// delete could not delete, the MNS error (ApiError: kind, status, code, message, request and host
// ids) and the damaged answers (ParseError). Bad input is a ValidationError naming what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, Client, ParseError, ValidationError, parseMnsAnswer } from "camskit";
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

/** The vector's snake_case record with camskit's camelCase keys (the values untouched). */
const camel = (record) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), v]));

test("every MNS answer vector, through parseMnsAnswer, as the official SDK's decoders read it", () => {
  assert.ok(doc.answers.length >= 19, `${doc.answers.length} vectors`);
  const outcomes = {};
  for (const { name, op, status, body, expected: e } of doc.answers) {
    const operation = OPERATION[op];
    assert.ok(operation, `${name}: op ${op}`);
    // Bytes, as a host reads them off the socket (a string body is covered below).
    const parse = () => parseMnsAnswer(operation, status, new TextEncoder().encode(body));
    outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
    switch (e.outcome) {
      case "messages": {
        const got = parse();
        assert.deepEqual(op === "receive" ? [got] : got, e.messages.map(camel), name);
        break;
      }
      case "empty":
        assert.deepEqual(parse(), op === "receive" ? null : [], name);
        break;
      case "visibility":
        assert.deepEqual(parse(), { receiptHandle: e.receipt_handle, nextVisibleTime: e.next_visible_time }, name);
        break;
      case "batch_delete_errors":
        assert.deepEqual(parse(), e.error.errors.map(camel), name);
        break;
      case "error":
        assert.throws(parse, (err) => {
          assert.ok(err instanceof ApiError, `${name}: ${err}`);
          assert.equal(err.kind, e.kind, name);
          assert.equal(err.status, status, name);
          assert.deepEqual([err.code, err.apiMessage, err.requestId, err.hostId],
            [e.error.code, e.error.message, e.error.request_id, e.error.host_id], name);
          return true;
        }, name);
        break;
      case "parse_error":
        assert.throws(parse, (err) => err instanceof ParseError && err.status === status, name);
        break;
      default:
        assert.fail(`${name}: outcome ${e.outcome}`);
    }
  }
  assert.equal(Object.values(outcomes).reduce((a, b) => a + b, 0), doc.answers.length);
  assert.deepEqual(Object.keys(outcomes).sort(),
    ["batch_delete_errors", "empty", "error", "messages", "parse_error", "visibility"], "every outcome");
});

test("parseMnsAnswer: a string or ArrayBuffer body reads the same; DeleteMessage's 204 is null; bad input is a ValidationError", () => {
  const first = doc.answers.find((a) => a.op === "receive" && a.expected.outcome === "messages");
  const bytes = new TextEncoder().encode(first.body);
  const fromBytes = parseMnsAnswer("ReceiveMessage", 200, bytes);
  assert.deepEqual(parseMnsAnswer("ReceiveMessage", 200, first.body), fromBytes);
  assert.deepEqual(parseMnsAnswer("ReceiveMessage", 200, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), fromBytes);
  assert.equal(parseMnsAnswer("DeleteMessage", 204, ""), null);
  assert.deepEqual(parseMnsAnswer("BatchDeleteMessage", 204, new Uint8Array(0)), []);
  for (const [args, want] of [
    [["PeekMessage", 200, first.body], /operation.*PeekMessage/],
    [[undefined, 200, first.body], /operation/],
    [["ReceiveMessage", "200", first.body], /status/],
    [["ReceiveMessage", 200, 42], /body/],
  ]) {
    assert.throws(() => parseMnsAnswer(...args), (e) => e instanceof ValidationError && want.test(e.message), JSON.stringify(args));
  }
});

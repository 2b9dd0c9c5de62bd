// The default credentials chain (core's provider plan walked with node:fs/promises and fetch)
// against tests/mock-cams (its STS and CAMS) over loopback: ~/.aliyun/config.json profiles
// AK, StsToken and RamRoleArn (a temporary key from mock STS, then CAMS with it), refresh
// near expiry, a failed refresh that keeps a still-valid key (said once), the profile option,
// credentials.ini and the environment, and a canary secret never shown.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { Client, CredentialsError } from "camskit";
import { startMock } from "./helpers.mjs";

const CANARY_ID = "LTAI5tJsChainKey01";
const CANARY_SECRET = "CanarySecretNeverShown0123456789";
const STS_ID = "STS.JsChainStsKey01";
const STS_SECRET = "CanaryStsSecretNeverShown012345";
const STS_TOKEN = "CanaryStsTokenNeverShown+/=";
const ROLE = "acs:ram::1234567890123456:role/camskit-test";
const SECRETS = [CANARY_SECRET, STS_SECRET, STS_TOKEN, "Canary"];
let mock;
let home;

before(async () => {
  mock = await startMock([`${CANARY_ID}:${CANARY_SECRET}`, `${STS_ID}:${STS_SECRET}:${STS_TOKEN}`]);
});
after(async () => {
  await mock?.stop();
});
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), "camskit-home-"));
  await mock.reset();
  await control("/__mock/credentials", { lifetime_s: 3600 });
});

async function control(path, body) {
  const res = await fetch(`${mock.url}${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return res.json();
}

function writeConfig(profiles, current = profiles[0].name) {
  mkdirSync(join(home, ".aliyun"), { recursive: true });
  writeFileSync(join(home, ".aliyun", "config.json"), JSON.stringify({ current, profiles }));
}

/** Only a HOME: none of this process's ALIBABA_CLOUD_* variables. */
const chain = (extra = {}) => Client.fromDefaultChain({
  env: { HOME: home }, stsEndpoint: mock.url, endpoint: mock.url, ...extra,
});

function noSecret(...things) {
  for (const t of things) {
    const text = typeof t === "string" ? t : `${inspect(t, { depth: 5, showHidden: true })} ${String(t)} ${JSON.stringify(t) ?? ""}`;
    for (const s of SECRETS) assert.ok(!text.includes(s), text);
  }
}

/** The key of the last request mock-cams accepted (it checks the STS token of an STS key),
 * and the token the client signs with now. */
async function lastKey(c) {
  const seen = await mock.requests();
  return [seen[seen.length - 1].access_key_id, new URL(c.sign(...LIST).url).searchParams.get("SecurityToken")];
}

const LIST = ["ListChatappTemplate", { CustSpaceId: "cs" }];

test("config.json mode AK: signs with the profile's key", async () => {
  writeConfig([{ name: "default", mode: "AK", access_key_id: CANARY_ID, access_key_secret: CANARY_SECRET }]);
  const c = await chain();
  assert.equal(c.credentialsSource, "cli_profile:default/static");
  assert.equal(c.accessKeyId, CANARY_ID);
  assert.equal(c.credentialsExpiration, null);
  assert.equal((await c.call(...LIST)).code, "OK");
  assert.deepEqual(await lastKey(c), [CANARY_ID, null]);
  noSecret(c);
});

test("config.json mode StsToken: key and token", async () => {
  writeConfig([{ name: "default", mode: "StsToken", access_key_id: STS_ID, access_key_secret: STS_SECRET, sts_token: STS_TOKEN }]);
  const c = await chain();
  assert.equal((await c.call(...LIST)).code, "OK");
  assert.deepEqual(await lastKey(c), [STS_ID, STS_TOKEN]);
  noSecret(c);
});

function ramRoleProfile() {
  writeConfig([{ name: "default", mode: "RamRoleArn", access_key_id: CANARY_ID, access_key_secret: CANARY_SECRET,
    ram_role_arn: ROLE, ram_session_name: "camskit-js" }]);
}

test("config.json mode RamRoleArn: a temporary key from mock STS, then CAMS with it, cached", async () => {
  ramRoleProfile();
  const before = (await control("/__mock/credentials")).sts_calls.AssumeRole;
  const c = await chain();
  assert.equal(c.credentialsSource, "cli_profile:default/ram_role_arn");
  const view = await control("/__mock/credentials");
  assert.equal(view.sts_calls.AssumeRole, before + 1);
  assert.equal(view.issued.at(-1), c.accessKeyId);
  assert.ok(c.accessKeyId.startsWith("STS."));
  assert.ok(c.credentialsExpiration instanceof Date && c.credentialsExpiration > new Date());
  assert.equal((await c.call(...LIST)).code, "OK");
  await c.call(...LIST);
  for await (const _ of c.pages("ListChatappTemplate", { CustSpaceId: "cs", Page: { Index: 1, Size: 10 } })) { /* 3 pages */ }
  assert.equal((await control("/__mock/credentials")).sts_calls.AssumeRole, before + 1, "cached: STS asked once");
  const [key, token] = await lastKey(c);
  assert.equal(key, c.accessKeyId);
  assert.ok(token);
  noSecret(c);
});

test("a key near expiry is refreshed before the call", async () => {
  ramRoleProfile();
  // Keys live 60 s: within core's 15 minutes, so the next use needs a fresh one.
  await control("/__mock/credentials", { lifetime_s: 60 });
  const before = (await control("/__mock/credentials")).sts_calls.AssumeRole;
  const c = await chain();
  const first = c.accessKeyId;
  await control("/__mock/credentials", { lifetime_s: 3600 });
  assert.equal((await c.call(...LIST)).code, "OK");
  const second = c.accessKeyId;
  assert.notEqual(second, first);
  assert.ok(second.startsWith("STS."));
  await c.call(...LIST);
  c.sign(...LIST);
  const view = await control("/__mock/credentials");
  assert.equal(view.sts_calls.AssumeRole, before + 2);
  assert.deepEqual(view.issued.slice(-2), [first, second]);
  assert.equal((await lastKey(c))[0], second);
});

test("a failed refresh keeps the still-valid key and says so once", async () => {
  ramRoleProfile();
  await control("/__mock/credentials", { lifetime_s: 60 });
  const c = await chain();
  const key = c.accessKeyId;
  // STS's clock two hours off: AssumeRole is refused; CAMS's is recovered by the call machine.
  await control("/__mock/script", { clock_offset_s: 7200 });
  const warn = console.warn;
  const lines = [];
  console.warn = (...a) => lines.push(a.join(" "));
  try {
    assert.equal((await c.call(...LIST, { onRetry: () => {} })).code, "OK");
    assert.equal((await c.call(...LIST, { onRetry: () => {} })).code, "OK");
    await c.refreshCredentials();
  } finally {
    console.warn = warn;
  }
  assert.equal(c.accessKeyId, key);
  const failures = lines.filter((l) => l.includes("refreshing the credentials"));
  assert.equal(failures.length, 1, lines.join("\n"));
  assert.match(failures[0], /cli_profile:default\/ram_role_arn/);
  noSecret(lines.join("\n"));
});

test("profile picks a profile other than the current one", async () => {
  writeConfig([
    { name: "default", mode: "AK", access_key_id: "LTAI5tNotThisOne", access_key_secret: "x".repeat(30) },
    { name: "other", mode: "AK", access_key_id: CANARY_ID, access_key_secret: CANARY_SECRET },
  ]);
  const c = await chain({ profile: "other" });
  assert.equal(c.credentialsSource, "cli_profile:other/static");
  assert.equal((await c.call(...LIST)).code, "OK");
});

test("credentials.ini and the environment are sources too", async () => {
  mkdirSync(join(home, ".alibabacloud"), { recursive: true });
  writeFileSync(join(home, ".alibabacloud", "credentials.ini"),
    `[default]\ntype = access_key\naccess_key_id = ${CANARY_ID}\naccess_key_secret = ${CANARY_SECRET}\n`);
  const ini = await chain();
  assert.equal(ini.credentialsSource, "profile:default/static");
  assert.equal((await ini.call(...LIST)).code, "OK");
  const env = await chain({ env: { HOME: home, ALIBABA_CLOUD_ACCESS_KEY_ID: STS_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN: STS_TOKEN } });
  assert.equal(env.credentialsSource, "env");
  assert.equal((await env.call(...LIST)).code, "OK");
  assert.deepEqual(await lastKey(env), [STS_ID, STS_TOKEN]);
});

test("no source: a CredentialsError naming each source's reason, no secret", async () => {
  const { error } = await chain().then((value) => ({ value }), (error) => ({ error }));
  assert.ok(error instanceof CredentialsError, String(error));
  assert.match(error.message, /no credentials found in the default chain/);
  assert.match(error.message, /config\.json/);
  // A broken profile's secret is not echoed either.
  writeConfig([{ name: "default", mode: "RamRoleArn", access_key_id: CANARY_ID, access_key_secret: CANARY_SECRET, ram_role_arn: "not-an-arn" }]);
  const bad = await chain().then((value) => ({ value }), (error) => ({ error }));
  if (bad.error) noSecret(bad.error, bad.error.message);
  rmSync(home, { recursive: true, force: true });
});

test("options: unknown names refused; plain HTTP to a remote host refused before any fetch", async () => {
  await assert.rejects(() => Client.fromDefaultChain({ profle: "x" }), /unknown option "profle"/);
  let fetched = 0;
  await assert.rejects(() => Client.fromDefaultChain({ env: { HOME: home }, endpoint: "http://cams.example.com", fetch: async () => { fetched++; } }),
    /plain HTTP/);
  assert.equal(fetched, 0);
});

test("a file the chain names is read within core's MAX_FILE_BYTES, and only if it is a regular file", async () => {
  mkdirSync(join(home, ".aliyun", "config.json"), { recursive: true });
  const dir = await chain().then((value) => ({ value }), (error) => ({ error }));
  assert.ok(dir.error instanceof CredentialsError, String(dir.error));
  assert.match(dir.error.message, /config\.json is not a regular file/);
  rmSync(join(home, ".aliyun"), { recursive: true, force: true });
  mkdirSync(join(home, ".aliyun"), { recursive: true });
  writeFileSync(join(home, ".aliyun", "config.json"), " ".repeat((4 << 20) + 1));
  const big = await chain().then((value) => ({ value }), (error) => ({ error }));
  assert.ok(big.error instanceof CredentialsError, String(big.error));
  assert.match(big.error.message, /config\.json is larger than 4194304 bytes/);
});

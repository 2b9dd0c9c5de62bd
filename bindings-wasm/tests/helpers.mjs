// Shared by the node --test files: the repo's vectors and a mock-cams process per test file.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as camskit from "camskit";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function vectors(file) {
  return parseExact(readFileSync(join(REPO, "tests", "vectors", file), "utf8"));
}

/** JSON.parse, but integers beyond 2^53 - 1 come out as BigInt (the vectors hold some). */
export function parseExact(text) {
  const MARK = "\u0000bigint:";
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      const lit = m[0];
      out += !m[1] && !m[2] && !Number.isSafeInteger(Number(lit)) ? JSON.stringify(MARK + lit) : lit;
      i += lit.length;
    } else {
      out += c;
      i++;
    }
  }
  return JSON.parse(out, (_, v) => (typeof v === "string" && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
}

/** The URL's query as [name, value] pairs, decoded, sorted. */
export function urlParams(url) {
  const at = url.indexOf("?");
  if (at < 0 || at === url.length - 1) return [];
  const q = url.slice(at + 1);
  return sortPairs(
    q.split("&").map((kv) => {
      const i = kv.indexOf("=");
      return [decodeURIComponent(kv.slice(0, i)), decodeURIComponent(kv.slice(i + 1))];
    }),
  );
}

export function sortPairs(pairs) {
  const key = (p) => JSON.stringify(p);
  return [...pairs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Exact JSON text of a parsed value (BigInt as its digits), for comparisons. */
export function toJson(v) {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return `[${v.map(toJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts tests/mock-cams on 127.0.0.1 with the given keys ("ID:SECRET[:TOKEN]"). */
export async function startMock(keys = []) {
  const dir = mkdtempSync(join(tmpdir(), "camskit-mock-"));
  const portFile = join(dir, "port");
  const args = [join(REPO, "tests", "mock-cams", "server.py"), "--port", "0", "--port-file", portFile];
  for (const k of keys) args.push("--key", k);
  const proc = spawn("python3", args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr.on("data", (d) => { stderr += d; });
  for (let i = 0; i < 200 && !existsSync(portFile); i++) {
    if (proc.exitCode !== null) break;
    await sleep(50);
  }
  if (!existsSync(portFile)) {
    proc.kill();
    throw new Error(`mock-cams did not start: ${stderr}`);
  }
  const port = Number(readFileSync(portFile, "utf8"));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    async requests() {
      return (await fetch(`${url}/__mock/requests`)).json();
    },
    async reset() {
      await fetch(`${url}/__mock/reset`, { method: "POST" });
    },
    async stop() {
      if (proc.exitCode === null) {
        const done = new Promise((r) => proc.once("exit", r));
        proc.kill("SIGTERM");
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sends a signed request with fetch; returns [status, text]. */
export async function send(signed) {
  const res = await fetch(signed.url, {
    method: signed.method,
    headers: signed.headers,
    body: signed.body ?? undefined,
  });
  return [res.status, await res.text()];
}

/** Expands "@repeat(N,TEXT)" strings anywhere. */
export function expand(v) {
  if (typeof v === "string") {
    const m = /^@repeat\((\d+),(.*)\)$/s.exec(v);
    return m ? m[2].repeat(Number(m[1])) : v;
  }
  if (Array.isArray(v)) return v.map(expand);
  if (v !== null && typeof v === "object" && typeof v !== "bigint") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [expand(k), expand(x)]));
  }
  return v;
}

/** Runs fn with console.warn silenced (a region CAMS is not listed in warns once). */
export const quiet = (fn) => {
  const warn = console.warn;
  console.warn = () => {};
  try { return fn(); } finally { console.warn = warn; }
};

/**
 * Runs one bad-input case through the public API (`api`: the `camskit` module by default, or
 * `camskit/lean`'s); returns what it threw (or undefined).
 */
export function runBad(d, c, sign = (client, ...args) => client.sign(...args), api = camskit) {
  try {
    if (c.kind === "parse") {
      api.parseResponse(c.status, c.body);
      return undefined;
    }
    const o = c.options ?? {};
    const creds = c.credentials ?? d.credentials;
    const client = quiet(() => new api.Client({
      accessKeyId: creds.access_key_id,
      accessKeySecret: creds.access_key_secret,
      securityToken: creds.security_token,
      regionId: o.region,
      endpoint: o.endpoint,
    }));
    sign(client, c.action, c.params ?? {}, {
      raw: o.raw, form: o.form, apiVersion: o.api_version, method: o.method, signature: o.signature,
      timestamp: o.timestamp ?? d.timestamp, nonce: o.nonce ?? d.nonce, headers: o.headers,
    });
    return undefined;
  } catch (e) {
    return e;
  }
}

export function badInputs() {
  return expand(vectors("bad-inputs.json"));
}


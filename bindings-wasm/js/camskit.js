// camskit: the JavaScript face of the camskit WebAssembly module, shared by the Node and the
// browser entry points. Everything that computes lives in Rust (camskit core); this file only
// drives core's machines with the host's I/O (http.js, files, timers), fills in the nonce from
// Web Crypto and installs one typed method per catalog operation. errors.js gives errors their
// classes, packed.js is sign's fast path.

import {
  CamsError, CredentialsError, ValidationError, call, classed, invalid,
} from "./errors.js";
import { sendOnce, sleep } from "./http.js";
import { SLOW, pack, unpack } from "./packed.js";
import { makeReceipts } from "./receipts.js";

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./errors.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function uuidFrom(crypto) {
  if (crypto && typeof crypto.randomUUID === "function") return () => crypto.randomUUID();
  if (crypto && typeof crypto.getRandomValues === "function") {
    return () => {
      const b = crypto.getRandomValues(new Uint8Array(16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    };
  }
  return () => {
    throw new Error("camskit: no Web Crypto (crypto.randomUUID / getRandomValues) to make a nonce; pass { nonce }");
  };
}

/**
 * The lean build (`camskit/lean`, README.md) has no call machine, chain, receipts or MNS: the
 * Client methods that need them throw this instead of a bare "is not a function".
 */
function notInLean(what) {
  return new Error(`camskit/lean: ${what} is not in the lean build (sign and parse only); import it from "camskit"`);
}

/** Each distinct warning once per process (like Python's warnings). */
const warned = new Set();

/**
 * Builds the public API over one wasm-bindgen module.
 * @param {() => any} getWasm returns the initialised module (throws when it is not ready)
 * @param {Crypto} crypto Web Crypto, for nonces
 * @param {(() => object) | undefined} defaultEnv the host's environment (Node: process.env);
 *   undefined where there is none (browsers)
 */
export function makeApi(getWasm, crypto, defaultEnv, host) {
  const newNonce = uuidFrom(crypto);
  let typedInstalled = false;
  const fromHandle = Symbol("camskit.fromHandle");
  const entropy = () => {
    if (!crypto || typeof crypto.getRandomValues !== "function") {
      throw new Error("camskit: no Web Crypto (crypto.getRandomValues) for the call's nonces");
    }
    return crypto.getRandomValues(new Uint8Array(16));
  };
  const utf8 = new TextDecoder("utf-8");

  /**
   * THE decoder of answers (parseResponse, parseAnswer, client.call, pages, items): core's
   * scanAnswer checks the body and decides everything (refused bodies, the envelope, success or
   * the error, which integers must be exact: beyond 2^53 - 1, and the action's 64-bit fields);
   * the engine's JSON.parse builds the objects; the integers core lists become BigInt. A listed
   * integer is set only where the parsed value is that number (a repeated key keeps the last,
   * in core and in JSON.parse alike).
   */
  function decodeAnswer(action, status, body, headers) {
    const quick = quickAnswer(action, status, body, headers);
    if (quick !== undefined) return quick;
    const scan = JSON.parse(call(() => getWasm().scanAnswer(action, status, body, headers)));
    const parsed = JSON.parse(typeof body === "string" ? body : utf8.decode(body));
    return answerOf(status, scan, parsed);
  }

  /** An answer from core's scan report (scanAnswer's or lastScan's JSON) and the parsed body. */
  function answerOf(status, scan, parsed) {
    for (const [path, digits] of scan.exact) setExact(parsed, path, digits);
    return answer(status, parsed, scan.requestId, scan.code, scan.message, scan.accessDeniedDetail, scan.data);
  }

  /** The one shape of an answer, whichever path read it. */
  function answer(status, parsed, requestId, code, message, accessDeniedDetail, hasData) {
    return { status, requestId, code, message, accessDeniedDetail, body: parsed, data: hasData ? parsed.Data : undefined };
  }

  let table;
  // Small text bodies go through the module's input buffer (scanInput): encodeInto writes them
  // in place, with no allocation or copy loop per call. Larger ones cross as bytes (scanBytes).
  const SMALL_TEXT = 16384;
  const encoder = new TextEncoder();
  const input = { cap: 0, ptr: 0, view: null };
  function scanSmallText(w, action, status, text) {
    const need = text.length * 3;
    if (need > input.cap) {
      input.cap = Math.max(need, 1024);
      input.ptr = w.inputBuffer(input.cap);
      input.view = null;
    }
    // The memory may have grown since: its old ArrayBuffer is then detached, and a view of it
    // is 0 bytes long (the glue's own test; cheaper than reading memory.buffer every call).
    if (input.view === null || input.view.byteLength === 0) {
      input.view = new Uint8Array(w.wasmMemory().buffer, input.ptr, input.cap);
    }
    const { written } = encoder.encodeInto(text, input.view);
    return action === "" ? w.scanInput(status, written) : w.scanInputFor(action, status, written);
  }
  /**
   * The same decoder's common case, with no text crossing back: core's quick scan (scanInput,
   * scanBytes) answers one number of flags (wasm answers.rs): a success, Data present, and for
   * each envelope text the key of core's quickScanTable() whose string in the body it is. Anything
   * else (headers given, an argument of the wrong type, no success) is undefined: the full path
   * above then checks the arguments and throws core's error.
   */
  function quickAnswer(action, status, body, headers) {
    if (headers !== undefined || !(action == null || typeof action === "string")) return undefined;
    if (!(Number.isInteger(status) && status >= 0 && status <= 65535)) return undefined;
    const w = getWasm();
    let flags;
    let text;
    if (typeof body === "string") {
      flags = body.length <= SMALL_TEXT ? scanSmallText(w, action ?? "", status, body)
        : w.scanBytes(action ?? "", status, encoder.encode(body));
      text = body;
    } else if (body instanceof Uint8Array) {
      flags = w.scanBytes(action ?? "", status, body);
      if (flags & 1) text = utf8.decode(body);
    } else return undefined;
    if (!(flags & 1)) return undefined;
    const parsed = JSON.parse(text);
    if (flags & 4) return answerOf(status, JSON.parse(call(() => w.lastScan())), parsed);
    table ??= JSON.parse(w.quickScanTable());
    const at = (n) => (n === 0 ? null : parsed[table.keys[n - 1]]);
    return answer(status, parsed, at((flags >> 4) & 15), table.successCode, at((flags >> 8) & 15),
      at((flags >> 12) & 15), (flags & 2) !== 0);
  }

  function setExact(root, path, digits) {
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      if (node === null || typeof node !== "object") return;
      node = node[path[i]];
    }
    const k = path[path.length - 1];
    if (node !== null && typeof node === "object" && typeof node[k] === "number" && node[k] === Number(digits)) {
      node[k] = BigInt(digits);
    }
  }
  const receipts = makeReceipts(getWasm, newNonce);

  /** The options of client.call the glue reads (the rest go to core's RequestSpec). */
  const CALL_OPTIONS = new Set(["fetch", "signal", "timeoutMs", "maxAttempts", "retry", "allowInsecureHttp", "onRetry"]);

  function splitCallOptions(opts) {
    if (opts == null) return [{}, undefined];
    if (typeof opts !== "object" || Array.isArray(opts)) throw invalid("call options", `expected an object, got ${Array.isArray(opts) ? "array" : typeof opts}`);
    const own = {};
    const spec = {};
    for (const [k, v] of Object.entries(opts)) (CALL_OPTIONS.has(k) ? own : spec)[k] = v;
    if (own.fetch !== undefined && typeof own.fetch !== "function") throw invalid("fetch", "expected a function");
    if (own.onRetry !== undefined && typeof own.onRetry !== "function") throw invalid("onRetry", "expected a function");
    if (own.timeoutMs !== undefined && !(typeof own.timeoutMs === "number" && own.timeoutMs > 0)) {
      throw invalid("timeoutMs", "expected a number of milliseconds above 0");
    }
    if (own.signal !== undefined && (own.signal === null || typeof own.signal.aborted !== "boolean")) {
      throw invalid("signal", "expected an AbortSignal");
    }
    return [own, spec];
  }

  function fetchOf(f) {
    const fn = f ?? globalThis.fetch;
    if (typeof fn !== "function") throw invalid("fetch", "there is no global fetch here: pass { fetch }");
    return fn;
  }

  /** The error a call ends with when its caller aborted it. */
  function abortedError(wasmCall, signal, finish) {
    let err;
    try {
      const step = wasmCall.poll(Date.now(), entropy());
      if (step.type === "done") return { answer: finish() };
      err = wasmCall.stopped(step.type === "wait" ? step.reason : "aborted");
    } catch (e) {
      err = e;
    }
    err = classed(err);
    if (err instanceof CamsError) {
      err.aborted = true;
      err.cause = signal.reason;
    }
    return { error: err };
  }

  /**
   * Drives one core Call: sends what it asks with fetch, sleeps when it says wait, feeds back
   * what happened. No decision here: retries, delays and errors are the machine's.
   */
  async function drive(wasmCall, action, own) {
    const fetchFn = fetchOf(own.fetch);
    const { signal } = own;
    const limit = getWasm().maxResponseBytes() + 1;
    // The answer the machine accepted is the last body it was given.
    let last;
    const finish = () => decodeAnswer(action, last.status, last.body, undefined);
    const stop = () => {
      const r = abortedError(wasmCall, signal, finish);
      if (r.error) throw r.error;
      return r.answer;
    };
    // A timer may fire a little before the machine's clock says the wait is over: it then asks
    // for the rest of the same wait, which is no new retry to report.
    let reported = -1;
    for (;;) {
      const step = call(() => wasmCall.poll(Date.now(), entropy()));
      if (step.type === "done") return finish();
      if (step.type === "wait") {
        const info = { action, attempt: step.attempt, reason: step.reason, delayMs: step.millis };
        if (step.attempt !== reported) {
          reported = step.attempt;
          if (own.onRetry) own.onRetry(info);
          else console.warn(`camskit: ${action} attempt ${info.attempt} failed: ${info.reason}; retrying in ${info.delayMs} ms`);
        }
        try {
          await sleep(step.millis, signal);
        } catch {
          return stop();
        }
        continue;
      }
      if (signal?.aborted) {
        // Not sent: fetch was never called for this attempt.
        call(() => wasmCall.onTransportError(Date.now(), "refused_before_send", "aborted by the caller before sending"));
        return stop();
      }
      const out = await sendOnce(fetchFn, step, signal, limit);
      if (out.kind !== undefined) call(() => wasmCall.onTransportError(Date.now(), out.kind, out.message));
      else {
        last = out;
        call(() => wasmCall.onResponse(Date.now(), out.status, out.headers, out.body));
      }
      if (signal?.aborted) return stop();
    }
  }

  /** Walks core's credentials Plan: reads the files it names, sends what it asks. */
  async function walkPlan(plan, fetchFn) {
    const limit = getWasm().maxResponseBytes() + 1;
    for (;;) {
      const step = call(() => plan.next());
      if (step.type === "ready") return step.resolved;
      if (step.type === "read_file") {
        const text = host ? await host.readFile(step.path, getWasm().maxFileBytes()) : null;
        call(() => plan.feedFile(text));
        continue;
      }
      const out = await sendOnce(fetchOf(fetchFn), step, undefined, limit);
      if (out.kind !== undefined) call(() => plan.feedTransportError(out.kind, out.message));
      else call(() => plan.feedResponse(out.status, utf8.decode(out.body)));
    }
  }

  function envOf(env) {
    if (env !== undefined) return env;
    if (defaultEnv === undefined) {
      throw new ValidationError({
        message: "invalid env: there is no environment in a browser; pass the variables as an object, or use new Client({ accessKeyId, accessKeySecret })",
        errorCode: "invalid_input", category: "validation", code: "invalid_input", what: "env",
        problem: "there is no environment in a browser",
      });
    }
    return defaultEnv();
  }

  const CHAIN_OPTIONS = ["profile", "env", "home", "stsEndpoint", "ecsMetadataEndpoint", "fetch",
    "regionId", "endpoint", "allowInsecureHttp"];

  class Client {
    #signer;
    /** Server time minus this machine's clock (seconds), learnt by a call; used by the next. */
    #clockOffset = 0;
    /** The client's own allowInsecureHttp (calls may opt in too). */
    #allowInsecure = false;
    /** The default chain's state: { cache (core's CredentialsCache), resolve (a new chain walk's
     * plan), fetch, refreshing }, or null. */
    #chain = null;

    /**
     * @param {{accessKeyId: string, accessKeySecret: string, securityToken?: string,
     *          regionId?: string, endpoint?: string, allowInsecureHttp?: boolean}} options
     */
    constructor(options, handle, extra) {
      const wasm = getWasm();
      installTyped(wasm);
      this.#signer = options === fromHandle ? handle : call(() => new wasm.WasmSigner(options));
      if (options === fromHandle) {
        this.#allowInsecure = extra?.allowInsecureHttp === true;
        this.#chain = extra?.chain ?? null;
      } else {
        this.#allowInsecure = options?.allowInsecureHttp === true;
      }
      const w = this.#signer.warning;
      if (w !== undefined && !warned.has(w)) {
        warned.add(w);
        console.warn(`camskit: ${w}`);
      }
    }

    /**
     * A client with the credentials of the environment (core's rule: ALIBABA_CLOUD_ACCESS_KEY_ID,
     * ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_SECURITY_TOKEN and their aliases). `env`:
     * default `process.env` in Node; in a browser pass an object. Throws CredentialsError when
     * none are set or they are unusable.
     * @param {Record<string, string | undefined>} [env]
     * @param {{regionId?: string, endpoint?: string, allowInsecureHttp?: boolean}} [options]
     */
    static fromEnv(env, options) {
      const wasm = getWasm();
      const e = envOf(env);
      const handle = call(() => wasm.WasmSigner.fromEnv(e, options));
      if (handle === undefined) {
        throw new CredentialsError({
          message: "credentials: none in the environment (set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET)",
          errorCode: "credentials", category: "credentials",
          problem: "none in the environment (set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET)",
        });
      }
      return new Client(fromHandle, handle, { allowInsecureHttp: options?.allowInsecureHttp });
    }

    /**
     * A client with the credentials of Alibaba Cloud's default chain (Node only), walked by
     * core's provider plan: the environment, OIDC (RRSA), `~/.aliyun/config.json`,
     * `~/.alibabacloud/credentials.ini`, the ECS RAM role (when named), the credentials URI.
     * Temporary credentials are cached on the client and refreshed before they go stale.
     * @param {{profile?: string, env?: Record<string, string|undefined>, home?: string,
     *          stsEndpoint?: string, ecsMetadataEndpoint?: string, fetch?: typeof fetch,
     *          regionId?: string, endpoint?: string, allowInsecureHttp?: boolean}} [options]
     */
    static async fromDefaultChain(options = {}) {
      const wasm = getWasm();
      if (wasm.WasmPlan === undefined) throw notInLean("Client.fromDefaultChain");
      if (options === null || typeof options !== "object" || Array.isArray(options)) {
        throw invalid("Client.fromDefaultChain options", "expected an object");
      }
      for (const k of Object.keys(options)) {
        if (!CHAIN_OPTIONS.includes(k)) {
          throw invalid("Client.fromDefaultChain options", `unknown option ${JSON.stringify(k)} (the options are ${CHAIN_OPTIONS.join(", ")})`);
        }
      }
      if (host === undefined) {
        throw invalid("credentials", "the default credentials chain reads files and the environment: Node only; in a browser use new Client({ accessKeyId, accessKeySecret, securityToken })");
      }
      const { profile, env, home, stsEndpoint, ecsMetadataEndpoint, fetch, regionId, endpoint, allowInsecureHttp } = options;
      const e = envOf(env);
      const resolve = () => call(() => new wasm.WasmPlan(e, home ?? host.home(e), Date.now() / 1000, newNonce(),
        { profile, stsEndpoint, ecsMetadataEndpoint }));
      const plan = resolve();
      // The endpoint is checked before any credentials are fetched.
      call(() => wasm.WasmSigner.fromEnv({}, { regionId, endpoint, allowInsecureHttp }));
      const resolved = await walkPlan(plan, fetch);
      const handle = call(() => wasm.WasmSigner.fromResolved(resolved, { regionId, endpoint, allowInsecureHttp }));
      const chain = { cache: new wasm.WasmCache(resolved), resolve, fetch, refreshing: null };
      return new Client(fromHandle, handle, { allowInsecureHttp, chain });
    }

    /** Which source the credentials came from: `explicit`, or the chain's (`env`,
     * `cli_profile:<name>/<kind>`, `profile:<section>/<kind>`, `ecs_ram_role`, ...). */
    get credentialsSource() {
      return this.#chain ? this.#chain.cache.source : "explicit";
    }

    /** Expiry of temporary credentials from the chain (a Date), else null. */
    get credentialsExpiration() {
      const e = this.#chain?.cache.expiration;
      return e === undefined ? null : new Date(e * 1000);
    }

    /**
     * Refreshes the chain's credentials when core says they are due (15 minutes before they
     * expire); `client.call` does it before each attempt's call. A failed refresh while the
     * key is still valid keeps the key and warns once; once expired it throws.
     */
    async refreshCredentials() {
      const c = this.#chain;
      if (!c) return;
      if (c.refreshing) return c.refreshing;
      const step = call(() => c.cache.next(Date.now() / 1000, newNonce()));
      if (step.type === "ready") return;
      c.refreshing = (async () => {
        try {
          const fresh = await walkPlan(step.type === "refresh" ? step.plan : c.resolve(), c.fetch);
          c.cache.refreshed(fresh);
          this.#signer = this.#signer.withCredentials(fresh);
        } catch (e) {
          // Core's rule: a still-valid key is kept (a warning the first time); else e is thrown.
          const warning = call(() => c.cache.refreshFailed(Date.now() / 1000, e));
          if (warning !== undefined) console.warn(`camskit: ${warning}`);
        } finally {
          c.refreshing = null;
        }
      })();
      return c.refreshing;
    }

    /** For sign (synchronous): a refresh due starts in the background; an expired key throws. */
    #syncCredentials() {
      const c = this.#chain;
      if (!c) return;
      const now = Date.now() / 1000;
      if (!c.cache.needsRefresh(now)) return;
      this.refreshCredentials().catch(() => {});
      const exp = c.cache.expiration;
      if (exp !== undefined && now >= exp) {
        throw new CredentialsError({
          message: `credentials: the temporary credentials from ${c.cache.source} expired; await client.refreshCredentials() (client.call does it)`,
          errorCode: "credentials", category: "credentials",
          problem: `the temporary credentials from ${c.cache.source} expired`,
        });
      }
    }

    /**
     * One CAMS call over `fetch`, with core's retry machine: every attempt signed afresh,
     * retried only when safe (throttled, nonce reused, clock skew once, refused before
     * sending; reads also after 5xx and timeouts); a write whose outcome is unknown is never
     * sent twice (`isOutcomeUnknown(err)`). Returns what `parseResponse` returns.
     * @param {string} action
     * @param {object} [params]
     * @param {{fetch?: typeof fetch, signal?: AbortSignal, timeoutMs?: number, maxAttempts?: number,
     *   retry?: boolean | {maxAttempts?: number, baseDelayMs?: number, maxDelayMs?: number,
     *   deadlineMs?: number | null, recoverClockSkew?: boolean}, allowInsecureHttp?: boolean,
     *   onRetry?: (info: {action: string, attempt: number, reason: string, delayMs: number}) => void,
     *   signature?: string, method?: string, headers?: object, raw?: boolean, form?: object,
     *   apiVersion?: string}} [options]
     */
    async call(action, params, options) {
      const [own, spec] = splitCallOptions(options);
      const wc = await this.#start(action, params, own, spec);
      try {
        return await this.#run(wc, action, own);
      } finally {
        wc.free();
      }
    }

    /**
     * The pages of a paged list (core's next_page): an async iterator of answers, one call
     * (with its retries) per page.
     */
    async *pages(action, params, options) {
      const [own, spec] = splitCallOptions(options);
      let wc = await this.#start(action, params, own, spec);
      while (wc !== undefined) {
        yield await this.#run(wc, action, own);
        await this.refreshCredentials();
        const current = wc;
        wc = call(() => current.nextPage(this.#signer, this.#clockOffset));
        current.free();
      }
    }

    /** The items of every page (core's page_items: `ListTemplate` of ListChatappTemplate, ...). */
    async *items(action, params, options) {
      const [own, spec] = splitCallOptions(options);
      let wc = await this.#start(action, params, own, spec);
      while (wc !== undefined) {
        const answer = await this.#run(wc, action, own);
        // Core's page_items: the list at the catalog's items path of the answer decoded above.
        const path = wc.itemsPath();
        if (path === undefined) {
          throw invalid("action", `${action} has no list of items core knows (not paged, or its items are untyped): use client.pages()`);
        }
        let node = answer.body;
        for (const k of path.split(".")) {
          node = node !== null && typeof node === "object" && !Array.isArray(node) && Object.hasOwn(node, k) ? node[k] : undefined;
        }
        yield* Array.isArray(node) ? node : [];
        await this.refreshCredentials();
        const current = wc;
        wc = call(() => current.nextPage(this.#signer, this.#clockOffset));
        current.free();
      }
    }

    async #start(action, params, own, spec) {
      if (this.#signer.startCall === undefined) throw notInLean("client.call, pages and items");
      await this.refreshCredentials();
      return call(() => this.#signer.startCall(action, params, spec, { retry: own.retry, maxAttempts: own.maxAttempts, timeoutMs: own.timeoutMs },
        this.#clockOffset, this.#allowInsecure || own.allowInsecureHttp === true));
    }

    async #run(wc, action, own) {
      try {
        return await drive(wc, action, own);
      } finally {
        this.#clockOffset = wc.clockOffsetSecs;
      }
    }

    /**
     * The receipts of one MNS queue (consumer mode), as an async iterator of deliveries: core's
     * Consumer (token with this client's credentials, long poll, delete only what was handled,
     * back off) over fetch. A delivery is handled when the loop body goes on to the next one,
     * not handled when it throws (the error goes on to the caller); `delivery.ack()` /
     * `nack()` say it explicitly. `signal` stops it (handled messages are deleted first).
     * @param {{queue: string, endpoint: string, messageType?: string, tokenEndpoint?: string,
     *   batchSize?: number, waitSeconds?: number, delete?: boolean, maxDequeueCount?: number,
     *   dedupCapacity?: number, backoffBaseMs?: number, backoffMaxMs?: number,
     *   allowInsecureHttp?: boolean, fetch?: typeof fetch, signal?: AbortSignal}} options
     */
    receipts(options) {
      if (getWasm().WasmConsumer === undefined) throw notInLean("client.receipts");
      return receipts.consume(this, () => this.#signer, options);
    }

    /** The access key id (never the secret). */
    get accessKeyId() {
      return this.#signer.accessKeyId;
    }

    /** The endpoint's base URL. */
    get endpoint() {
      return this.#signer.endpoint;
    }

    /** The region of a `cams.<region>.aliyuncs.com` endpoint, else null. */
    get regionId() {
      return this.#signer.regionId ?? null;
    }

    /** Core's warning for a region CAMS is not listed in (also printed once), else null. */
    get warning() {
      return this.#signer.warning ?? null;
    }

    /** Whether the endpoint is a loopback address. */
    get isLoopback() {
      return this.#signer.isLoopback;
    }

    /**
     * Signs one request. Returns `{ method, url, headers, body, stringToSign, signature,
     * signatureVersion, canonicalQuery, canonicalRequest }`: send it with `fetch`.
     */
    sign(action, params, options) {
      this.#syncCredentials();
      const fast = this.#fast(action, params, options);
      return fast !== undefined ? fast : this.#exact(action, params, options);
    }

    /**
     * Signs one MNS queue request with this client's credentials (core's MnsQueue and MNS
     * signature): `{ endpoint, queue, operation: "ReceiveMessage" | "BatchReceiveMessage" |
     * "DeleteMessage" | "BatchDeleteMessage" | "ChangeMessageVisibility", waitSeconds?,
     * numOfMessages?, receiptHandle?, receiptHandles?, visibilityTimeout?, date? }`. Returns
     * `{ method, url, headers, body, purpose, timeoutMs, resource, stringToSign }`.
     */
    signMns(options) {
      if (this.#signer.signMns === undefined) throw notInLean("client.signMns");
      this.#syncCredentials();
      return call(() => this.#signer.signMns(options));
    }

    /** Signs Dybaseapi `QueryTokenForMnsQueue` (RPC 1.0) with this client's credentials, as sign. */
    signQueryTokenForMnsQueue(options) {
      if (this.#signer.signQueryTokenForMnsQueue === undefined) throw notInLean("client.signQueryTokenForMnsQueue");
      this.#syncCredentials();
      return call(() => this.#signer.signQueryTokenForMnsQueue(options, newNonce()));
    }

    /** The packed fast path's answer, or undefined when the input is not for it. */
    #fast(action, params, options) {
      const packed = pack(action, params, options, newNonce);
      if (packed === undefined) return undefined;
      const out = call(() => this.#signer.signPacked(packed[0], packed[1]));
      return out === SLOW ? undefined : unpack(out);
    }

    #exact(action, params, options) {
      return call(() => this.#signer.sign(
        action,
        params,
        options,
        options == null || options.nonce == null ? newNonce() : undefined,
      ));
    }

    /** For tests only: [fast path result or undefined, exact path (a function)]. */
    static _paths(client) {
      return {
        fast: (a, p, o) => client.#fast(a, p, o),
        exact: (a, p, o) => client.#exact(a, p, o),
      };
    }

    toString() {
      return `Client(accessKeyId=${this.accessKeyId}, endpoint=${this.endpoint})`;
    }

    toJSON() {
      return { accessKeyId: this.accessKeyId, endpoint: this.endpoint };
    }

    [INSPECT]() {
      return `Client { accessKeyId: '${this.accessKeyId}', endpoint: '${this.endpoint}' }`;
    }
  }

  // One typed method per catalog operation. The names come from the .wasm as one packed string
  // (operationNames: `Name\0camelName\0...`), not from operations(), which builds every
  // parameter of every operation as JS objects: that took most of the import's time.
  function installTyped(wasm) {
    if (typedInstalled) return;
    typedInstalled = true;
    const names = wasm.operationNames().split("\0");
    for (let i = 0; i + 1 < names.length; i += 2) {
      const name = names[i];
      const camelName = names[i + 1];
      Object.defineProperty(Client.prototype, camelName, {
        value: {
          [camelName](params, options) {
            return this.sign(name, params, options);
          },
        }[camelName],
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }

  /** A fetch `Headers` (or anything with entries()) as [name, value] pairs. */
  function headerPairs(headers) {
    if (headers != null && typeof headers === "object" && !Array.isArray(headers) && typeof headers.entries === "function"
      && Object.getPrototypeOf(headers) !== Object.prototype) {
      return Array.from(headers.entries());
    }
    return headers;
  }

  /**
   * Parses a CAMS answer. Returns `{ status, requestId, code, message, accessDeniedDetail,
   * data, body }` (integers beyond 2^53 as BigInt) or throws ApiError / ParseError.
   * @param {number} status
   * @param {string | Uint8Array | ArrayBuffer} body
   * @param {Headers | Record<string, string> | Array<[string, string]>} [headers]
   */
  function parseResponse(status, body, headers) {
    return decodeAnswer(undefined, status, body, headerPairs(headers));
  }

  /**
   * parseResponse for a known action, its body typed by answers.d.ts and its 64-bit fields
   * (core's catalog::int64_paths) BigInt always: the wasm's one decoder, the same as
   * client.call's, pages' and items'.
   */
  function parseAnswer(action, status, body, headers) {
    if (typeof action !== "string") throw invalid("action", `expected text, got ${action === null ? "null" : typeof action}`);
    return decodeAnswer(action, status, body, headerPairs(headers));
  }

  /**
   * Deprecated (README "Answers"): the four migration answers of core's former camskit::ops,
   * kept in their old shape `{ requestId, code, message, accessDeniedDetail, raw, data? }` over
   * parseAnswer's value (`raw` IS its body). `fields`: Data's fields as text (a number as its
   * digits), camelCased; a Data or field of another JSON type is core's ParseError.
   */
  const migrationParser = (action, fields) => (status, body, headers) => {
    const a = parseAnswer(action, status, body, headers);
    const out = { requestId: a.requestId, code: a.code, message: a.message, accessDeniedDetail: a.accessDeniedDetail, raw: a.body };
    if (fields) out.data = migrationData(a, fields);
    return out;
  };
  const jsonKind = (v) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "bigint" ? "a number"
    : `${/^[ao]/.test(typeof v) ? "an" : "a"} ${typeof v}`);
  function migrationData(a, fields) {
    const d = a.body.Data;
    const refuse = (reason) => { throw classed(getWasm().parseError(a.status, reason)); };
    if (d === undefined || d === null) return null;
    if (typeof d !== "object" || Array.isArray(d)) refuse(`Data is ${jsonKind(d)}, not an object`);
    const out = {};
    for (const f of fields) {
      const v = d[f];
      const key = f[0].toLowerCase() + f.slice(1);
      if (v === undefined || v === null) out[key] = null;
      else if (typeof v === "string") out[key] = v;
      else if (typeof v === "number" || typeof v === "bigint") out[key] = String(v);
      else refuse(`Data.${f} is ${jsonKind(v)}, not text`);
    }
    return out;
  }

  /**
   * What the environment holds, without the secret: null when no credentials are set, else
   * `{ accessKeyId, hasSecurityToken, idVariable, secretVariable, tokenVariable }`.
   */
  function credentialsFromEnv(env) {
    const wasm = getWasm();
    const e = envOf(env);
    return call(() => wasm.credentialsFromEnv(e));
  }

  return {
    Client,
    parseResponse,
    parseAnswer,
    parseCreateChatappMigrationInitiateResponse: migrationParser("CreateChatappMigrationInitiate", ["Id", "PhoneNumber", "Status"]),
    parseGetMigrationVerifyCodeResponse: migrationParser("GetMigrationVerifyCode", ["Id", "PhoneNumber"]),
    parseChatappMigrationVerifiedResponse: migrationParser("ChatappMigrationVerified", ["Id", "PhoneNumber"]),
    parseChatappMigrationRegisterResponse: migrationParser("ChatappMigrationRegister"),
    credentialsFromEnv,
    /** Every operation this build knows: `[{ name, camelName, method, params: [...] }]`. */
    operations: () => getWasm().operations(),
    /** How a "flat" style parameter is sent: `flatten("Tag", [{ Key: "k" }])` -> `[["Tag.1.Key", "k"]]`. */
    flatten: (prefix, value) => call(() => getWasm().flatten(prefix, value)),
    /** The error kinds, from core (`"throttling"`, `"signature_mismatch"`, ...). */
    errorKinds: () => getWasm().errorKinds(),
    /** Core's 64-bit answer fields of an action (BigInt always): `["ListTemplate.[].LastUpdateTime"]`. */
    int64Paths: (action) => getWasm().int64Paths(String(action)),
    /** The largest answer body core parses (bytes): read at most this much plus one. */
    maxResponseBytes: () => getWasm().maxResponseBytes(),
    installTyped,
    parsePush: receipts.parsePush,
    parseMnsBody: receipts.parseMnsBody,
    /** Core's reading of an MNS answer (status, XML body) of `operation` (as signMns names it). */
    parseMnsAnswer: (operation, status, body) => call(() => getWasm().parseMnsAnswer(operation, status, body)),
    advances: receipts.advances,
    messageTypeOfQueue: receipts.messageTypeOfQueue,
    DedupWindow: receipts.DedupWindow,
    receiptsFromRequest: receipts.receiptsFromRequest,
    pushHandlerFailedResponse: receipts.pushHandlerFailedResponse,
    /** The largest receipt body core parses (bytes). */
    maxReceiptBytes: () => getWasm().maxReceiptBytes(),
  };
}

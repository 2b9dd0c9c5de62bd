// camskit: the JavaScript face of the camskit WebAssembly module, shared by the Node and the
// browser entry points. Everything that computes lives in Rust (camskit core); this file only
// gives errors their classes, fills in the nonce from Web Crypto and installs one typed method
// per catalog operation.

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Base class of every error camskit throws. Every one has `errorCode` (core's stable
 * snake_case code: `invalid_input`, `missing_parameter`, `unknown_action`,
 * `unknown_parameter`, `wrong_type`, `credentials`, `api`, `parse`) and `category`
 * (`validation`, `credentials`, `api`, `parse`), both from core. */
export class CamsError extends Error {
  constructor(fields) {
    super(fields.message);
    for (const [k, v] of Object.entries(fields)) {
      if (k !== "name" && k !== "message") this[k] = v;
    }
  }
  get name() {
    return this.constructor.name;
  }
}

/** Bad input caught before anything was signed (unknown operation or parameter, missing
 * required parameter, wrong type, malformed value). `code` says which. */
export class ValidationError extends CamsError {}

/** Unusable credentials (missing key id or secret, control characters, ...). */
export class CredentialsError extends CamsError {}

/** CAMS (or its gateway) answered with an error. `message` is core's text (CAMS's code, the
 * HTTP status, the kind and CAMS's message); `apiMessage` is CAMS's own message, `code` CAMS's
 * own code. */
export class ApiError extends CamsError {}

/** The answer could not be parsed (HTML from a proxy, XML, truncated JSON, ...). */
export class ParseError extends CamsError {}
/** No answer: refused, timed out or reset. `outcomeUnknown`: the request may have taken effect. */
export class TransportError extends CamsError {}

const CLASSES = { ValidationError, CredentialsError, ApiError, ParseError, TransportError };

function rethrow(e) {
  if (e !== null && typeof e === "object" && !(e instanceof Error)) {
    const cls = CLASSES[e.name];
    if (cls) throw new cls(e);
  }
  throw e;
}

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

const SLOW = "\u0001slow";

const FAST_OPTIONS = new Set(["method", "signature", "timestamp", "nonce"]);

/**
 * The fast path's input (see WasmSigner.signPacked), or undefined for the exact path. Only
 * the plain common case is packed: a string action, a plain object of parameters whose values
 * are ALL strings (null/undefined included go to the exact path, which core reads as "not
 * given" and still checks the name), and options that are absent or hold only non-empty
 * string method/signature/nonce and a non-empty text (not starting with "@") or finite number
 * timestamp. Everything else, and every error, is the exact path's.
 */
function pack(action, params, options) {
  if (typeof action !== "string" || params === null || typeof params !== "object" || Array.isArray(params)
    || Object.getPrototypeOf(params) !== Object.prototype) return undefined;
  let method = "";
  let signature = "";
  let ts = "";
  let nonce;
  if (options !== undefined) {
    if (options === null || typeof options !== "object" || Object.getPrototypeOf(options) !== Object.prototype) return undefined;
    for (const k of Object.keys(options)) if (!FAST_OPTIONS.has(k)) return undefined;
    const m = options.method;
    if (m !== undefined) { if (typeof m !== "string" || m === "") return undefined; method = m; }
    const s = options.signature;
    if (s !== undefined) { if (typeof s !== "string" || s === "") return undefined; signature = s; }
    const t = options.timestamp;
    if (t !== undefined) {
      if (typeof t === "string" && t !== "" && t[0] !== "@") ts = t;
      else if (typeof t === "number" && Number.isFinite(t)) ts = `@${t}`;
      else return undefined;
    }
    const n = options.nonce;
    if (n !== undefined) { if (typeof n !== "string") return undefined; nonce = n; }
  }
  if (nonce === undefined) nonce = newNonceDefault();
  let packed = `${action}\0${method}\0${signature}\0${ts}\0${nonce}`;
  let count = 0;
  for (const k of Object.keys(params)) {
    const v = params[k];
    if (typeof v !== "string") return undefined;
    packed += `\0${k}\0${v}`;
    count++;
  }
  return [packed, count];
}

function unpack(out) {
  const p = out.split("\0");
  const headers = {};
  for (let i = 8; i < p.length; i += 2) headers[p[i]] = p[i + 1];
  return {
    method: p[0],
    url: p[1],
    headers,
    body: p[2] === "" ? null : p[2].slice(1),
    stringToSign: p[3],
    signature: p[4],
    signatureVersion: p[5],
    canonicalQuery: p[6],
    canonicalRequest: p[7] === "" ? null : p[7].slice(1),
  };
}

let newNonceDefault = () => {
  throw new Error("camskit: not initialised");
};

/** Each distinct warning once per process (like Python's warnings). */
const warned = new Set();

/**
 * Builds the public API over one wasm-bindgen module.
 * @param {() => any} getWasm returns the initialised module (throws when it is not ready)
 * @param {Crypto} crypto Web Crypto, for nonces
 * @param {(() => object) | undefined} defaultEnv the host's environment (Node: process.env);
 *   undefined where there is none (browsers)
 */
export function makeApi(getWasm, crypto, defaultEnv) {
  const newNonce = uuidFrom(crypto);
  newNonceDefault = newNonce;
  let typedInstalled = false;
  const fromHandle = Symbol("camskit.fromHandle");

  function call(fn) {
    try {
      return fn();
    } catch (e) {
      rethrow(e);
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

  class Client {
    #signer;

    /**
     * @param {{accessKeyId: string, accessKeySecret: string, securityToken?: string,
     *          regionId?: string, endpoint?: string, allowInsecureHttp?: boolean}} options
     */
    constructor(options, handle) {
      const wasm = getWasm();
      installTyped(wasm);
      this.#signer = options === fromHandle ? handle : call(() => new wasm.WasmSigner(options));
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
      return new Client(fromHandle, handle);
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
      const fast = this.#fast(action, params, options);
      return fast !== undefined ? fast : this.#exact(action, params, options);
    }

    /** The packed fast path's answer, or undefined when the input is not for it. */
    #fast(action, params, options) {
      const packed = pack(action, params, options);
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

  function installTyped(wasm) {
    if (typedInstalled) return;
    typedInstalled = true;
    for (const op of wasm.operations()) {
      const name = op.name;
      Object.defineProperty(Client.prototype, op.camelName, {
        value: {
          [op.camelName](params, options) {
            return this.sign(name, params, options);
          },
        }[op.camelName],
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
    const wasm = getWasm();
    return call(() => wasm.parseResponse(status, body, headerPairs(headers)));
  }

  const typedParser = (name) => (status, body, headers) => {
    const wasm = getWasm();
    return call(() => wasm[name](status, body, headerPairs(headers)));
  };

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
    parseCreateChatappMigrationInitiateResponse: typedParser("parseCreateChatappMigrationInitiateResponse"),
    parseGetMigrationVerifyCodeResponse: typedParser("parseGetMigrationVerifyCodeResponse"),
    parseChatappMigrationVerifiedResponse: typedParser("parseChatappMigrationVerifiedResponse"),
    parseChatappMigrationRegisterResponse: typedParser("parseChatappMigrationRegisterResponse"),
    credentialsFromEnv,
    /** Every operation this build knows: `[{ name, camelName, method, params: [...] }]`. */
    operations: () => getWasm().operations(),
    /** How a "flat" style parameter is sent: `flatten("Tag", [{ Key: "k" }])` -> `[["Tag.1.Key", "k"]]`. */
    flatten: (prefix, value) => call(() => getWasm().flatten(prefix, value)),
    /** The error kinds, from core (`"throttling"`, `"signature_mismatch"`, ...). */
    errorKinds: () => getWasm().errorKinds(),
    /** The largest answer body core parses (bytes): read at most this much plus one. */
    maxResponseBytes: () => getWasm().maxResponseBytes(),
    installTyped,
  };
}

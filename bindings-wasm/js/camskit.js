// camskit: the JavaScript face of the camskit WebAssembly module, shared by the Node and the
// browser entry points. Everything that computes lives in Rust (camskit core); this file only
// gives errors their classes, fills in the nonce from Web Crypto and installs one typed method
// per catalog operation.

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Base class of every error camskit throws. */
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

/** CAMS (or its gateway) answered with an error. `message` is CAMS's message; the stack
 * trace's first line also shows the code, the status and the kind. */
export class ApiError extends CamsError {
  constructor(fields) {
    super(fields);
    // super() used the full text (code, status, kind, message); the field is CAMS's own.
    Object.defineProperty(this, "message", {
      value: fields.apiMessage,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    delete this.apiMessage;
  }
}

/** The answer could not be parsed (HTML from a proxy, XML, truncated JSON, ...). */
export class ParseError extends CamsError {}

const CLASSES = { ValidationError, CredentialsError, ApiError, ParseError };

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

/** The fast path's input (see WasmSigner.signPacked), or undefined for the exact path. */
function pack(action, params, options) {
  if (typeof action !== "string" || params === null || typeof params !== "object" || Array.isArray(params)) return undefined;
  let method = "";
  let signature = "";
  let ts = "";
  let nonce;
  if (options != null) {
    if (typeof options !== "object" || options.raw !== undefined || options.headers !== undefined
      || options.form !== undefined || options.apiVersion !== undefined) return undefined;
    // Empty texts and other types take the exact path, which names the problem.
    const m = options.method;
    if (m != null) { if (typeof m !== "string" || m === "") return undefined; method = m; }
    const s = options.signature;
    if (s != null) { if (typeof s !== "string" || s === "") return undefined; signature = s; }
    const t = options.timestamp;
    if (t != null) {
      if (typeof t === "string" && t !== "" && t[0] !== "@") ts = t;
      else if (typeof t === "number" && Number.isSafeInteger(t)) ts = `@${t}`;
      else return undefined;
    }
    const n = options.nonce;
    if (n != null) { if (typeof n !== "string") return undefined; nonce = n; }
  }
  if (nonce === undefined) nonce = newNonceDefault();
  let packed = `${action}\0${method}\0${signature}\0${ts}\0${nonce}`;
  let count = 0;
  for (const k of Object.keys(params)) {
    const v = params[k];
    if (typeof v === "string") {
      packed += `\0${k}\0${v}`;
      count++;
    } else if (v != null) {
      return undefined;
    }
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

/**
 * Builds the public API over one wasm-bindgen module.
 * @param {() => any} getWasm returns the initialised module (throws when it is not ready)
 * @param {Crypto} crypto Web Crypto, for nonces
 */
export function makeApi(getWasm, crypto) {
  const newNonce = uuidFrom(crypto);
  newNonceDefault = newNonce;
  let typedInstalled = false;

  class Client {
    #signer;

    /**
     * @param {{accessKeyId: string, accessKeySecret: string, securityToken?: string,
     *          regionId?: string, endpoint?: string}} options
     */
    constructor(options) {
      const wasm = getWasm();
      installTyped(wasm);
      try {
        this.#signer = new wasm.WasmSigner(options);
      } catch (e) {
        rethrow(e);
      }
    }

    /** The access key id (never the secret). */
    get accessKeyId() {
      return this.#signer.accessKeyId;
    }

    /** The endpoint's base URL. */
    get endpoint() {
      return this.#signer.endpoint;
    }

    /**
     * Signs one request. Returns `{ method, url, headers, body, stringToSign, signature,
     * signatureVersion, canonicalQuery, canonicalRequest }`: send it with `fetch`.
     */
    sign(action, params, options) {
      const packed = pack(action, params, options);
      if (packed !== undefined) {
        let out;
        try {
          out = this.#signer.signPacked(packed[0], packed[1]);
        } catch (e) {
          rethrow(e);
        }
        if (out !== SLOW) return unpack(out);
      }
      try {
        return this.#signer.sign(
          action,
          params,
          options,
          options == null || options.nonce == null ? newNonce() : undefined,
        );
      } catch (e) {
        rethrow(e);
      }
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

  /**
   * Parses a CAMS answer. Returns `{ status, requestId, code, message, accessDeniedDetail,
   * data, body }` (integers beyond 2^53 as BigInt) or throws ApiError / ParseError.
   * @param {number} status
   * @param {string | Uint8Array | ArrayBuffer} body
   */
  function parseResponse(status, body) {
    const wasm = getWasm();
    try {
      return wasm.parseResponse(status, body);
    } catch (e) {
      rethrow(e);
    }
  }

  /** Every operation this build knows: `[{ name, camelName, method, params: [...] }]`. */
  function operations() {
    return getWasm().operations();
  }

  /** How a "flat" style parameter is sent: `flatten("Tag", [{ Key: "k" }])` -> `[["Tag.1.Key", "k"]]`. */
  function flatten(prefix, value) {
    try {
      return getWasm().flatten(prefix, value);
    } catch (e) {
      rethrow(e);
    }
  }

  /** The error kinds (`"throttling"`, `"signature_mismatch"`, ...). */
  function errorKinds() {
    return getWasm().errorKinds();
  }

  return { Client, parseResponse, operations, errorKinds, flatten, installTyped };
}

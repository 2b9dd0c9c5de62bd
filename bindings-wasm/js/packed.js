// The packed fast path of sign: the plain common call as one string into the .wasm and one
// string out (WasmSigner.signPacked), instead of a JavaScript property access per field. The
// signature is core's either way; anything not plain goes to the exact path.

export const SLOW = "\u0001slow";

const FAST_OPTIONS = new Set(["method", "signature", "timestamp", "nonce"]);

/**
 * The fast path's input (see WasmSigner.signPacked), or undefined for the exact path. Only
 * the plain common case is packed: a string action, a plain object of parameters whose values
 * are ALL strings (null/undefined included go to the exact path, which core reads as "not
 * given" and still checks the name), and options that are absent or hold only non-empty
 * string method/signature/nonce and a non-empty text (not starting with "@") or finite number
 * timestamp. Everything else, and every error, is the exact path's.
 */
export function pack(action, params, options, newNonce) {
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
  if (nonce === undefined) nonce = newNonce();
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

export function unpack(out) {
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

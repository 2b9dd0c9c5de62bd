// The host's HTTP: fetch, never following redirects, reading at most a bound, and saying
// honestly whether a failed request could have been sent; and the host's timer. What to send,
// when, and what a failure means for the call are core's.

/** Node's error codes of failures before anything was written (DNS, connect). */
const BEFORE_SEND = new Set([
  "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ENETUNREACH", "EHOSTUNREACH",
  "EADDRNOTAVAIL", "UND_ERR_CONNECT_TIMEOUT",
]);
/** Node's error codes of a TLS handshake that failed (nothing was written either). */
const HANDSHAKE = new Set([
  "ERR_TLS_CERT_ALTNAME_INVALID", "CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
]);

/** The error codes of a fetch failure and its causes (Node: `cause.code`, AggregateError). */
function errorCodes(e, depth = 0) {
  if (e === null || typeof e !== "object" || depth > 4) return [];
  const out = typeof e.code === "string" ? [e.code] : [];
  if (Array.isArray(e.errors)) for (const x of e.errors) out.push(...errorCodes(x, depth + 1));
  return out.concat(errorCodes(e.cause, depth + 1));
}

/** A failure's words without the request's query (it holds the signature and any token). */
function describeFailure(e, url) {
  const base = url.split("?")[0];
  let text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const codes = errorCodes(e instanceof Error ? e.cause : undefined);
  if (e instanceof Error && e.cause instanceof Error && e.cause.message) text += ` (${e.cause.message})`;
  else if (codes.length) text += ` (${codes.join(", ")})`;
  return text.split(url).join(base).replace(/([?&](?:Signature|SecurityToken|OIDCToken)=)[^&\s]*/g, "$1<redacted>");
}

/** The body of a Response or Request, at most `limit` bytes (the rest is not read). */
export async function readCapped(res, limit) {
  if (res.body == null) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total >= limit) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  const out = new Uint8Array(Math.min(total, limit));
  let at = 0;
  for (const c of chunks) {
    const n = Math.min(c.byteLength, out.length - at);
    out.set(n === c.byteLength ? c : c.subarray(0, n), at);
    at += n;
    if (at >= out.length) break;
  }
  return out;
}

/**
 * Sends one request core asked for (its HttpRequest: `{ method, url, headers, body, timeoutMs }`)
 * with `fetchFn` (`redirect: "manual"`: a redirect is an answer, never followed). Returns `{ status, headers: [[name, value]], body: Uint8Array }` (at most `limit`
 * bytes) or `{ kind, message }`, kind one of core's transport failures: the caller's abort or
 * the timeout -> "timed_out" (the request may be out); a network error -> "refused_before_send"
 * only when Node's error code proves nothing was written ("handshake_failed" for TLS), else
 * "reset_after_send".
 */
export async function sendOnce(fetchFn, req, signal, limit) {
  const { timeoutMs } = req;
  const ctl = new AbortController();
  let timedOut = false;
  const onAbort = () => ctl.abort(signal.reason);
  if (signal) {
    if (signal.aborted) ctl.abort(signal.reason);
    else signal.addEventListener("abort", onAbort, { once: true });
  }
  const timer = timeoutMs != null ? setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs) : undefined;
  const stopped = () => (timedOut ? `no answer within ${timeoutMs} ms` : "aborted by the caller");
  try {
    let res;
    try {
      res = await fetchFn(req.url, {
        method: req.method, headers: req.headers, body: req.body ?? undefined, redirect: "manual", signal: ctl.signal,
      });
    } catch (e) {
      if (ctl.signal.aborted) return { kind: "timed_out", message: stopped() };
      const codes = errorCodes(e);
      const kind = codes.some((c) => HANDSHAKE.has(c)) ? "handshake_failed"
        : codes.some((c) => BEFORE_SEND.has(c)) ? "refused_before_send" : "reset_after_send";
      return { kind, message: describeFailure(e, req.url) };
    }
    // A browser hides a redirect's status and target (an "opaqueredirect"): still a redirect.
    const status = res.type === "opaqueredirect" ? 302 : res.status;
    const headers = [];
    res.headers.forEach((v, n) => headers.push([n, v]));
    let body;
    try {
      body = await readCapped(res, limit);
    } catch (e) {
      if (ctl.signal.aborted) return { kind: "timed_out", message: `${stopped()} while reading the answer` };
      return { kind: "reset_after_send", message: `the answer broke off: ${describeFailure(e, req.url)}` };
    }
    return { status, headers, body };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Sleeps `ms`, or rejects when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => { clearTimeout(t); reject(signal.reason); };
    const t = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

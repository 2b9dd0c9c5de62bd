// camskit's error classes: core's error objects (`{ name, message, errorCode, category,
// ...fields }`, made by the .wasm) given their JavaScript class. No decision here: the codes,
// categories, kinds and messages are core's.
//
// One set of classes per process, whatever copies of this file run: Node's entries inline it
// into their bundles (one module less to resolve and load at import: ~1 ms of cold start,
// README "Performance"), so `camskit` and `camskit/lean` each evaluate a copy, and both must
// throw and export the same classes (`instanceof` across entries). The first copy to run
// defines them and leaves them under a registered symbol on `globalThis` (not enumerable, not
// writable); every later copy takes those. REGISTRY names the classes' shape: change it when a
// class or these functions change, so that a process holding two camskit versions of
// different shapes keeps them apart.
const REGISTRY = Symbol.for("camskit.errors.v1");

function define() {
  /** Base class of every error camskit throws. Every one has `errorCode` (core's stable
   * snake_case code: `invalid_input`, `missing_parameter`, `unknown_action`,
   * `unknown_parameter`, `wrong_type`, `credentials`, `api`, `parse`) and `category`
   * (`validation`, `credentials`, `api`, `parse`), both from core. */
  class CamsError extends Error {
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
  class ValidationError extends CamsError {}

  /** Unusable credentials (missing key id or secret, control characters, ...). */
  class CredentialsError extends CamsError {}

  /** CAMS (or its gateway) answered with an error. `message` is core's text (CAMS's code, the
   * HTTP status, the kind and CAMS's message); `apiMessage` is CAMS's own message, `code` CAMS's
   * own code. */
  class ApiError extends CamsError {}

  /** The answer could not be parsed (HTML from a proxy, XML, truncated JSON, ...). */
  class ParseError extends CamsError {}
  /** No answer: refused, timed out or reset (`reason`, core's words). `outcomeUnknown`: the
   * request may have taken effect (a write that timed out or whose connection broke after
   * sending): do not blindly send it again. `aborted`: the caller's `AbortSignal` stopped the
   * call (`cause`: the signal's reason). */
  class TransportError extends CamsError {}

  /**
   * Whether `err` says a request may or may not have taken effect: a `TransportError` with
   * `outcomeUnknown`, or an `ApiError` of kind `"outcome_unknown"` (a 5xx answered a write).
   * Check before sending a message again.
   */
  function isOutcomeUnknown(err) {
    return (err instanceof TransportError && err.outcomeUnknown === true)
      || (err instanceof ApiError && err.kind === "outcome_unknown");
  }

  const CLASSES = { ValidationError, CredentialsError, ApiError, ParseError, TransportError };
  // Each class's name as written here, whatever a bundler renames its binding to (esbuild
  // renames one that collides with another module's, ApiError -> ApiError2): `err.name` and
  // `String(err)` read it.
  for (const [name, cls] of Object.entries({ CamsError, ...CLASSES })) {
    Object.defineProperty(cls, "name", { value: name });
  }

  function classed(e) {
    if (e !== null && typeof e === "object" && !(e instanceof Error)) {
      const cls = CLASSES[e.name];
      if (cls) return new cls(e);
    }
    return e;
  }

  function rethrow(e) {
    throw classed(e);
  }

  function invalid(what, problem) {
    return new ValidationError({
      message: `invalid ${what}: ${problem}`, errorCode: "invalid_input", category: "validation",
      code: "invalid_input", what, problem,
    });
  }

  /** Runs a call into the .wasm; an error object it throws gets its class. */
  function call(fn) {
    try {
      return fn();
    } catch (e) {
      rethrow(e);
    }
  }
  return Object.freeze({
    CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError,
    isOutcomeUnknown, classed, rethrow, invalid, call,
  });
}

function shared() {
  const held = globalThis[REGISTRY];
  if (held !== undefined) return held;
  const made = define();
  Object.defineProperty(globalThis, REGISTRY, { value: made, enumerable: false, writable: false, configurable: false });
  return made;
}

export const {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError,
  isOutcomeUnknown, classed, rethrow, invalid, call,
} = shared();

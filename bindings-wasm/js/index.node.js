// camskit for Node (>= 18): the WebAssembly module is loaded synchronously at import.
import { createRequire } from "node:module";
import { makeApi } from "./camskit.js";

const require = createRequire(import.meta.url);
const wasm = require("./node/camskit_wasm.js");
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What the default credentials chain needs of Node: file reads and the home directory
 * (`node:fs/promises` and `node:os` are loaded when the chain first needs them, not at import). */
const host = {
  /** A file's UTF-8 text (its first MiB), or null when it is missing or unreadable. */
  async readFile(path) {
    try {
      const bytes = await require("node:fs/promises").readFile(path);
      return utf8.decode(bytes.subarray(0, 1 << 20));
    } catch {
      return null;
    }
  },
  home: (env) => (typeof env.HOME === "string" && env.HOME !== "" ? env.HOME : require("node:os").homedir()),
};
// Web Crypto is global from Node 19 on; `node:crypto` (~8 ms to load) only where it is not.
const api = makeApi(() => wasm, globalThis.crypto ?? require("node:crypto").webcrypto, () => process.env, host);
api.installTyped(wasm);

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./camskit.js";
export const {
  Client, parseResponse, operations, errorKinds, flatten, credentialsFromEnv, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
} = api;

/** Nothing to do in Node (the module is ready at import); kept so code can run anywhere. */
export async function init() {}
export default init;

// Typed answers (answers.d.ts): parseResponse keyed by action, its 64-bit fields BigInt always.
// answers-int64.js is generated into the package by scripts/gen-dts.mjs.
import { widenAnswer } from "./answers-int64.js";
export function parseAnswer(action, status, body, headers) {
  return widenAnswer(action, parseResponse(status, body, headers));
}

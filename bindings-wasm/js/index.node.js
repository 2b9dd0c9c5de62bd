// camskit for Node (>= 18): the WebAssembly module is loaded synchronously at import.
import { createRequire } from "node:module";
import { webcrypto } from "node:crypto";
import { makeApi } from "./camskit.js";

const wasm = createRequire(import.meta.url)("./node/camskit_wasm.js");
const api = makeApi(() => wasm, globalThis.crypto ?? webcrypto, () => process.env);
api.installTyped(wasm);

export { CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError } from "./camskit.js";
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

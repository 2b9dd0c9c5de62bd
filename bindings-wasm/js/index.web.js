// camskit for browsers and other ES module hosts: `await init()` once before use.
import wbgInit, * as wasmModule from "./web/camskit_wasm.js";
import { makeApi } from "./camskit.js";

let ready = false;
const api = makeApi(() => {
  if (!ready) throw new Error("camskit: call `await init()` once before using camskit");
  return wasmModule;
}, globalThis.crypto);

/**
 * Loads the WebAssembly module. `input` (optional): a URL, Response, BufferSource or
 * WebAssembly.Module of `camskit_wasm_bg.wasm`; by default it is fetched next to this file.
 */
export async function init(input) {
  if (ready) return;
  await wbgInit(input === undefined ? undefined : { module_or_path: input });
  ready = true;
  api.installTyped(wasmModule);
}
export default init;

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./camskit.js";
export const {
  Client, parseResponse, parseAnswer, int64Paths, operations, errorKinds, flatten, credentialsFromEnv, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
  parsePush, parseMnsBody, parseMnsAnswer, advances, messageTypeOfQueue, DedupWindow, receiptsFromRequest, pushHandlerFailedResponse, maxReceiptBytes,
} = api;

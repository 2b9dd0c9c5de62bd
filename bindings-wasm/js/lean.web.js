// camskit/lean for browsers and other ES module hosts: sign + parse only, from the lean build
// (lean/camskit_wasm_bg.wasm: README.md, "camskit/lean"). `await init()` once before use. The
// error classes are the same objects as `camskit`'s (the same errors.js module).
import wbgInit, * as wasmModule from "./lean/camskit_wasm.js";
import { makeApi } from "./camskit.js";

let ready = false;
const api = makeApi(() => {
  if (!ready) throw new Error("camskit: call `await init()` once before using camskit/lean");
  return wasmModule;
}, globalThis.crypto);

/**
 * Loads the lean WebAssembly module. `input` (optional): a URL, Response, BufferSource or
 * WebAssembly.Module of `lean/camskit_wasm_bg.wasm`; by default it is fetched next to the glue.
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
  Client, parseResponse, parseAnswer, int64Paths, errorKinds, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
} = api;

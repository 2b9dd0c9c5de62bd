// camskit/lean for Node (^20.19 || >= 22.12): sign + parse only, from the lean build of the
// same crate (lean/camskit_wasm_bg.wasm, built with no default cargo features: README.md,
// "camskit/lean"). Loaded like index.node.js: compiled synchronously at import. The error
// classes are the same objects as `camskit`'s (errors.js is one module for both entries).
import * as wasm from "./lean/camskit_wasm.js";
import { makeApi } from "./camskit.js";
import { builtin, osRandom } from "./node.js";

wasm.initSync({ module: builtin("node:fs").readFileSync(new URL("./lean/camskit_wasm_bg.wasm", import.meta.url)) });

const api = makeApi(() => wasm, osRandom(), () => process.env);
api.installTyped(wasm);

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./camskit.js";
export const {
  Client, parseResponse, parseAnswer, int64Paths, errorKinds, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
} = api;

/** Nothing to do in Node (the module is ready at import); kept so code can run anywhere. */
export async function init() {}
export default init;

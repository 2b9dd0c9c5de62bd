// camskit/lean for browsers and other ES module hosts: sign + parse only, from the lean build
// (lean/camskit_wasm_bg.wasm: README.md, "camskit/lean"). `await init()` once before use (web.js:
// the loading and the API, shared with index.web.js). The error classes are the same objects as
// `camskit`'s (the same errors.js module).
import * as glue from "./lean/camskit_wasm.js";
import { webEntry } from "./web.js";

const { api, init } = webEntry(glue, "camskit/lean");
export { init, init as default };

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./camskit.js";
export const {
  Client, parseResponse, parseAnswer, int64Paths, errorKinds, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
} = api;

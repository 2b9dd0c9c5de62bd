// camskit/lean for Node (^20.19 || >= 22.12): sign + parse only, from the lean build of the
// same crate (lean/camskit_wasm_bg.wasm, built with no default cargo features: README.md,
// "camskit/lean"). Loaded like index.node.js (node.js's nodeEntry): compiled synchronously at
// import. The error classes are the same objects as `camskit`'s (each Node bundle inlines
// errors.js, whose copies share one set of classes through its registry).
import * as glue from "./lean/camskit_wasm.js";
import { nodeEntry } from "./node.js";

const { api, init } = nodeEntry(glue, new URL("./lean/camskit_wasm_bg.wasm", import.meta.url));
export { init, init as default };

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./camskit.js";
export const {
  Client, parseResponse, parseAnswer, int64Paths, errorKinds, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
} = api;

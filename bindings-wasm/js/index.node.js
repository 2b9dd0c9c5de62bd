// camskit for Node (^20.19 || >= 22.12): the WebAssembly module is compiled synchronously at
// import, through the same ES module glue as browsers (node.js's nodeEntry, shared with
// lean.node.js: only the glue, the credentials host and the exports differ). Nothing heavy is
// loaded at import: the built-ins come from `process.getBuiltinModule` (an ES `import` of
// `node:fs` builds a facade that loads fs streams, ~4 ms), and nonces come from the OS's random
// device read in blocks (Web Crypto's first use loads Node's whole webcrypto layer, ~4-6 ms).
import * as glue from "./web/camskit_wasm.js";
import { host, nodeEntry } from "./node.js";

const { api, init } = nodeEntry(glue, new URL("./web/camskit_wasm_bg.wasm", import.meta.url), host);
export { init, init as default };

export {
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
} from "./camskit.js";
export const {
  Client, parseResponse, parseAnswer, int64Paths, operations, errorKinds, flatten, credentialsFromEnv, maxResponseBytes,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
  parsePush, parseMnsBody, parseMnsAnswer, advances, messageTypeOfQueue, DedupWindow, receiptsFromRequest, pushHandlerFailedResponse, maxReceiptBytes,
} = api;

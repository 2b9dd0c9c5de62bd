// camskit for browsers and other ES module hosts: `await init()` once before use (web.js: the
// loading and the API, shared with lean.web.js; only the glue and the exports differ).
import * as glue from "./web/camskit_wasm.js";
import { webEntry } from "./web.js";

const { api, init } = webEntry(glue, "camskit");
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

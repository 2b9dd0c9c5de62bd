// Types of `camskit/lean` (sign + parse only: README.md, "camskit/lean"): the same declarations
// as `camskit`'s index.d.ts, for what the lean entry exports. `Client` is the same class type:
// its `call`, `pages`, `items`, `receipts`, `signMns`, `signQueryTokenForMnsQueue` and
// `Client.fromDefaultChain` throw in the lean build (import them from "camskit").
export {
  default, init,
  Client, ClientOptions, EnvOptions, SignatureVersion, SignOptions, TypedSignOptions, RawSignOptions,
  RawValue, SignedRequest, JsonValue, CamsResponse, ErrorKind, OperationName,
  CamsError, ValidationError, CredentialsError, ApiError, ParseError, TransportError, isOutcomeUnknown,
  AnswerBody, AnswerHeaders, Answer, CallResult, parseResponse, parseAnswer, int64Paths, errorKinds, maxResponseBytes,
  TypedAnswer, MigrationData, MigrationInitiateData, CreateChatappMigrationInitiateResponse,
  GetMigrationVerifyCodeResponse, ChatappMigrationVerifiedResponse, ChatappMigrationRegisterResponse,
  parseCreateChatappMigrationInitiateResponse, parseGetMigrationVerifyCodeResponse,
  parseChatappMigrationVerifiedResponse, parseChatappMigrationRegisterResponse,
} from "./index.js";

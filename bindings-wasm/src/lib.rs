//! camskit-wasm: the WebAssembly layer of the npm package `camskit`.
//!
//! Pure translation: JavaScript values -> camskit values (a [`camskit::RequestSpec`], a
//! [`camskit::Timestamp`], an [`camskit::Endpoint`], [`camskit::Credentials`]), camskit errors
//! -> plain JavaScript objects `{ name, message, errorCode, category, ...fields }` that the
//! package's JavaScript glue (`js/errors.js`) turns into `ValidationError`, `CredentialsError`,
//! `ApiError`, `ParseError` and `TransportError`. Every decision (which endpoint, what a raw
//! value means, how a time is read, which headers are sent, retries, the next page, which
//! credentials, error codes and kind names) is core's; this crate holds only what JavaScript
//! alone has: its values, its clock (`Date.now()`) and its environment object.
//!
//! One module per core concept, each converting values and nothing else:
//!
//! | module | core | JavaScript |
//! |---|---|---|
//! | `errors` | `Error`, `ErrorKind` | error objects, `errorKinds()` |
//! | `convert` | JSON values, parameters, headers, `Timestamp` | the value conversions all others use |
//! | `client` | `Signer`, `RequestSpec`, `SignedRequest` | `WasmSigner` (`new Client`, `sign`, `signPacked`) |
//! | `call` | `Call`, `RetryPolicy` | `WasmCall` (`startCall`, `poll`, `onResponse`, ...) |
//! | `pages` | `PageWalk`, `page_items` | `WasmCall.nextPage`, `pageItems` |
//! | `credentials` | `Credentials::from_env`, `provider::Plan`, `provider::CredentialsCache` | `credentialsFromEnv`, `WasmPlan`, `WasmResolved`, `WasmCache` |
//! | `http` | `HttpRequest`, `TransportFailure` | the requests `fetch` sends, `"timed_out"`, ... |
//! | `answers` | `scan_response` (`AnswerScan::sources`, `ENVELOPE_KEYS`, `SUCCESS_CODE`), `catalog::int64_paths` | `scanInput`/`scanBytes` + `lastScan` (the quick path of parseResponse, parseAnswer, call, pages, items), `scanAnswer` (the full path: headers, errors), `int64Paths`, `maxResponseBytes` |
//! | `catalog` | `catalog` | `operations`, `operationNames`, `flatten` |
//! | `receipts` | `receipts::{parse_push, parse_mns_body, Event, DedupWindow, advances}` | `parsePush`, `parseMnsBody`, `WasmDedupWindow`, `advances` |
//! | `mns` | `mns::MnsQueue`, `sign_query_token_for_mns_queue`, `parse_receive_message` & co | `WasmSigner.signMns`, `signQueryTokenForMnsQueue`, `parseMnsAnswer` |
//! | `consumer` | `mns::Consumer` | `WasmConsumer` (`client.receipts`: `poll`, `onResponse`, `handled`, ...) |
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::*;

// Talc instead of the default dlmalloc: a signature makes ~20 small allocations, and talc
// makes them faster (and its code is smaller). Single-threaded wasm only (no atomics).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// Always (the lean build, `--no-default-features`): signing and parsing.
mod answers;
mod catalog;
mod client;
mod convert;
mod env;
mod errors;
mod tojs;
// The rest, by feature (Cargo.toml `[features]`; all of them in the default `full`).
#[cfg(feature = "call")]
mod call;
#[cfg(feature = "mns")]
mod consumer;
#[cfg(feature = "chain")]
mod credentials;
#[cfg(any(feature = "call", feature = "chain", feature = "mns"))]
mod http;
#[cfg(feature = "mns")]
mod mns;
#[cfg(feature = "call")]
mod pages;
#[cfg(feature = "receipts")]
mod receipts;

pub use answers::scan_answer;
pub use client::WasmSigner;
pub use convert::{js_to_value, timestamp_from_js, value_to_js};
pub use errors::error_to_js;
#[cfg(feature = "receipts")]
pub use receipts::{parse_mns_body, parse_push};

/// The core's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

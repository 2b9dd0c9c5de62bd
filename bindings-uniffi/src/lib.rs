//! Kotlin and Swift bindings of [camskit] (uniffi proc-macros).
//!
//! Pure translation: host values become core values (a [`camskit::RequestSpec`], a
//! [`camskit::Timestamp`], an [`camskit::Endpoint`], credentials from an environment map),
//! core errors become one [`CamsError`] (Kotlin `CamsException`, Swift `CamsError`). Every
//! rule (which endpoint, what a raw value means, how a time is read, which headers to send)
//! is core's. The only things done here are what core leaves to its host on purpose: the
//! clock (the timestamp defaults to now) and randomness (the nonce defaults to a fresh UUID v4).
//!
//! No panic crosses into the app: every entry point runs under [`guard`], which turns a panic
//! into [`CamsError::Internal`].

// uniffi error enums carry their fields inline (Kotlin/Swift exceptions with properties), so
// `Result<_, CamsError>` is large by design.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!();

mod answers;
mod call;
mod chain;
mod client;
mod convert;
mod credentials;
mod errors;
mod fast;
mod fields;
mod migration;
mod pages;
mod response;

pub use answers::*;
pub use call::{
    CallOptions, CamsLogger, HttpRequest, HttpResponse, HttpTransport, RetryPolicy, TransportError,
    default_retry_policy, no_retry_policy,
};
pub use chain::{ChainOptions, CredentialsStatus, FileReader};
pub use client::{CamsClient, SignOptions, SignedRequest};
pub use convert::{
    HttpMethod, NameValue, ParamValue, SignTime, SignatureVersion, flatten_param, format_sign_time,
    parse_http_method, parse_signature_version, signature_version_name,
};
pub use credentials::{Credentials, credentials_from_env};
pub use errors::{CamsError, ErrorKind, error_kind_name, error_kind_names};
pub use fast::{AccessKey, SignRequest};
pub use fields::{JsonValue, json_boolean, json_double, json_field, json_long, json_string};
pub use pages::{Page, PageWalk};
pub use response::{CamsResponse, max_response_bytes, parse_response, parse_response_with_headers};

use errors::guard;

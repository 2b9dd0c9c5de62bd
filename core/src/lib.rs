//! # camskit
//!
//! Sans-I/O signing and response parsing for Alibaba Cloud's Chat App Message Service (CAMS,
//! API version 2020-06-06). camskit builds the canonical, signed request — RPC signature 1.0
//! (HMAC-SHA1, the default) or ACS3-HMAC-SHA256 — and parses the answer into a typed success
//! or one [`ApiError`] with a [`kind`](ErrorKind). It does no I/O and reads no clock: the
//! time and the nonce are arguments, and the signed request is a plain value your HTTP client
//! sends.
//!
//! ```
//! use camskit::{Credentials, Endpoint, Signer, Timestamp, ErrorKind};
//! use camskit::ops::ChatappMigrationRegister;
//!
//! let signer = Signer::new(
//!     Credentials::new("LTAI5tExampleKeyId", "ExampleSecret")?,
//!     Endpoint::default(), // https://cams.ap-southeast-1.aliyuncs.com
//! );
//! let request = ChatappMigrationRegister::new("29348393884", "8613800001234").to_request()?;
//! // In a program: Timestamp::from_unix(now) and a fresh UUID per attempt.
//! let signed = signer.sign(&request, Timestamp::parse("2025-07-14T08:00:00Z")?, "2c9d5f0e-4a51-4b8e-9f5e-0b6a2b7c1d3e")?;
//! assert_eq!(signed.method.as_str(), "POST");
//! assert!(signed.url.contains("&PhoneNumber=8613800001234&"));
//! assert!(signed.url.contains("&Signature="));
//!
//! // Send `signed.method` to `signed.url` with `signed.headers` and `signed.body`, then:
//! let answer = br#"{"RequestId":"90E63D28","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#;
//! let ok = camskit::parse_response(200, answer)?;
//! assert_eq!(ok.request_id.as_deref(), Some("90E63D28"));
//!
//! let throttled = br#"{"RequestId":"1","Code":"System.LimitControl","Message":"The system is under flow control."}"#;
//! let err = camskit::parse_response(400, throttled).unwrap_err();
//! let api = err.as_api().expect("an API error");
//! assert_eq!(api.kind, ErrorKind::Throttling);
//! assert!(api.retryable());
//! # Ok::<(), camskit::Error>(())
//! ```
//!
//! Any other Alibaba Cloud RPC API can be signed with [`Request`] directly: set its API
//! version and an explicit [`Endpoint`].
//!
//! ## How a request flows
//!
//! Each module uses only the ones before it in this list (no module imports one after it;
//! the `use crate::` lines of each file say so):
//!
//! 1. [`error`](Error) (with [`truncate`] for long inputs in messages), [`timestamp`](Timestamp),
//!    [`endpoint`](Endpoint) and `http` ([`HttpRequest`], [`TransportFailure`]: the one request
//!    type of every fetch core asks a host for, and how a host says no answer came): the inputs
//!    and the host's half of a fetch. A host's options become values here:
//!    [`Endpoint::resolve`] (region or endpoint), [`Timestamp::parse`] /
//!    [`Timestamp::from_unix_f64`] (a time), [`Endpoint::check_credentials_transport`]
//!    (whether credentials may go there).
//! 2. `request`: the unsigned [`Request`] and the [`SignedRequest`] value.
//! 3. [`encode`]: percent-encoding, the canonical query, the form body.
//! 4. [`credentials`](Credentials): access keys, checked once; [`Credentials::from_env`]
//!    (the environment, naming the variable at fault).
//! 5. `validate`: checks on a request that do not depend on the signature version.
//! 6. [`catalog`]: every CAMS operation (the model, over generated tables) and the values
//!    builder that turns parameters into a [`Request`].
//! 7. `spec`: [`RequestSpec`], what a host asks for (catalog or raw), into a [`Request`].
//! 8. `response`: [`parse_response`], an answer into a [`Response`] or an [`Error`].
//! 9. `v3` and `v1`: the two signatures, each from a checked [`Request`] to a
//!    [`SignedRequest`] (1.0 reuses v3's keyed-state helpers).
//! 10. `signer`: [`Signer`], the front door: validate, then `v1` or `v3`.
//! 11. `page`: [`next_page`], [`page_items`] and [`PageWalk`] (with its [`MAX_PAGES`] cap),
//!     walking a paged list from its answers.
//! 12. `call`: [`Call`], one logical call as a sans-I/O state machine (retries that never
//!     send a write twice, `Retry-After`, clock-skew recovery) over the signer and the parser.
//! 13. [`ops`]: typed requests of the migration workflow, on top of the rest.
//! 14. [`provider`]: credentials the way Alibaba Cloud users have them (profiles, STS
//!     `AssumeRole`, OIDC, ECS RAM roles, a credentials URI) as a plan the host walks: it
//!     reads the files and sends the requests the plan names; and the
//!     [`CredentialsCache`](provider::CredentialsCache) that keeps them between calls.
//! 15. [`receipts`]: what CAMS sends back after a call (delivery receipts, customers'
//!     messages, template reviews) from an HTTP push or an MNS message, parsed into typed
//!     events, with dedup keys and the order of delivery statuses; uses only `error` and
//!     `response`'s size limit.
//! 16. [`mns`]: receipts in MNS consumer mode: Dybaseapi `QueryTokenForMnsQueue` (through
//!     the signer), the MNS request signature, the queue's requests and their XML answers.
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(camskit_speed, feature(optimize_attribute))]

mod call;
pub mod catalog;
mod credentials;
pub mod encode;
mod endpoint;
mod error;
mod http;
pub mod mns;
pub mod ops;
mod page;
pub mod provider;
pub mod receipts;
mod request;
mod response;
mod scan;
mod signer;
mod spec;
mod timestamp;
mod v1;
mod v3;
mod validate;

pub use call::{Call, RetryPolicy, Step, Wait};
pub use credentials::{
    Credentials, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN, EnvCredentials,
    EnvValue,
};
pub use endpoint::{DEFAULT_REGION, Endpoint, Scheme};
pub use error::{ApiError, Category, Error, ErrorKind, ParseError, truncate};
pub use http::{CAMS_TIMEOUT_MS, ECS_TIMEOUT_MS, HttpRequest, TransportFailure};
pub use page::{MAX_PAGES, PageWalk, next_page, page_items};
pub use request::{
    CAMS_API_VERSION, MAX_FORM_VALUE_BYTES, MAX_QUERY_VALUE_BYTES, Method, Request,
    SignatureVersion, SignedRequest,
};
pub use response::{
    DENSITY_CHECK_BYTES, ENVELOPE_KEYS, Envelope, MAX_RESPONSE_BYTES, MIN_BYTES_PER_VALUE,
    Response, SNIPPET_BYTES, SUCCESS_CODE, envelope_key_index, parse_envelope, parse_response,
    parse_response_for, parse_response_with_headers, redact_tokens, server_string_to_sign,
};
pub use scan::{
    AnswerScan, EnvelopeSources, ExactInteger, PathStep, may_hold_inexact_numbers, scan_response,
    scan_response_serde_only,
};
pub use signer::{SignOptions, Signer};
pub use spec::RequestSpec;
pub use timestamp::{Timestamp, format_timestamp};
pub use v3::ALGORITHM as V3_ALGORITHM;
pub use validate::{
    MAX_ACTION_BYTES, MAX_HEADER_VALUE_BYTES, MAX_NONCE_BYTES, MAX_PARAM_NAME_BYTES,
    SIGNER_HEADERS, SIGNER_PARAMS,
};

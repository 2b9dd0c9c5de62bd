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

use std::collections::HashMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, RwLock};

use camskit::{Endpoint, EnvValue, Method, RequestSpec, Signer, Timestamp, ops};
use serde_json::Value;

uniffi::setup_scaffolding!();

mod answers;
mod calls;
mod chain;
mod fast;
mod fields;

pub use answers::*;
pub use calls::{
    CallOptions, CamsLogger, HttpRequest, HttpResponse, HttpTransport, Page, PageWalk, RetryPolicy,
    TransportError,
};
pub use chain::{ChainOptions, CredentialsStatus, FileReader};
pub use fast::{AccessKey, SignRequest};
pub use fields::{JsonValue, json_boolean, json_double, json_field, json_long, json_string};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Everything that can go wrong. Kotlin: `CamsException.Api`, `.Validation`, ...; Swift: `throws CamsError`.
///
/// The message field is named `errorMessage` (not `message`, which Kotlin's `Throwable` owns);
/// `toString()` / `description` give core's sentence, the same text in every camskit host.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum CamsError {
    /// CAMS (or its gateway) answered with an error.
    #[error("{description}")]
    Api {
        /// The HTTP status.
        status: i32,
        /// Alibaba's error code (`Ram.PermissionDeny`, `SignatureDoesNotMatch`, ...); empty when the body had none.
        code: String,
        /// The error message CAMS sent.
        error_message: String,
        /// `RequestId`, to quote to Alibaba support.
        request_id: Option<String>,
        /// `HostId` (gateway errors).
        host_id: Option<String>,
        /// `Recommend`: a troubleshooting link (gateway errors).
        recommend: Option<String>,
        /// `AccessDeniedDetail` (JSON text when CAMS sent an object).
        access_denied_detail: Option<String>,
        /// What kind of failure this is.
        kind: ErrorKind,
        /// Whether signing again (fresh time and nonce) and re-sending after a backoff may succeed.
        retryable: bool,
        /// For `SignatureDoesNotMatch`: the string the server signed, to compare with `SignedRequest.stringToSign`.
        server_string_to_sign: Option<String>,
        /// Core's sentence for this error (what `toString()` / `description` show).
        description: String,
    },
    /// Bad input caught before anything was signed (unknown action or parameter, missing
    /// required parameter, wrong type, malformed value, region and endpoint that disagree, ...).
    #[error("{error_message}")]
    Validation {
        /// Core's stable `snake_case` code: `invalid_input`, `missing_parameter`,
        /// `unknown_action`, `unknown_parameter` or `wrong_type` (the same in every host).
        code: String,
        /// What is wrong, naming the operation and the parameter.
        error_message: String,
        /// The operation, when the error is about one.
        action: Option<String>,
        /// The parameter's API name, when the error is about one.
        parameter: Option<String>,
        /// The closest valid names (`unknown_action`, `unknown_parameter`); empty otherwise.
        suggestions: Vec<String>,
    },
    /// The answer could not be understood (not JSON, truncated, HTML from a proxy, a redirect, ...).
    #[error(
        "cannot parse the CAMS answer (HTTP {status}): {reason}; the body starts with \"{snippet}\""
    )]
    Parse {
        /// The HTTP status of the answer.
        status: i32,
        /// What is wrong (`empty body`, `the body is HTML, not JSON`, ...).
        reason: String,
        /// The first bytes of the body (at most 120, lossily decoded).
        snippet: String,
    },
    /// The credentials are unusable (empty key id, control characters, only half of them in
    /// the environment, ...). Never holds the secret.
    #[error("{error_message}")]
    Credentials {
        /// What is wrong.
        error_message: String,
    },
    /// No answer came (`CamsClient.call`): refused, timed out, reset, or a server error page
    /// without a CAMS answer. `outcomeUnknown`: the request was (or may have been) sent and
    /// the operation changes state, so it may have taken effect: check before sending it
    /// again (camskit did not re-send it).
    #[error("{}", camskit::Error::Transport { reason: reason.clone(), outcome_unknown: *outcome_unknown })]
    Transport {
        /// What happened, in the transport's words.
        reason: String,
        /// Whether the request may have taken effect.
        outcome_unknown: bool,
    },
    /// A bug in camskit (a panic caught at the boundary). Please report it.
    #[error("camskit internal error: {error_message}")]
    Internal {
        /// What happened.
        error_message: String,
    },
}

impl CamsError {
    fn validation(
        e: &camskit::Error,
        action: Option<String>,
        parameter: Option<String>,
        suggestions: Vec<String>,
    ) -> Self {
        CamsError::Validation {
            code: e.code().to_owned(),
            error_message: e.to_string(),
            action,
            parameter,
            suggestions,
        }
    }
}

impl From<camskit::Error> for CamsError {
    fn from(e: camskit::Error) -> Self {
        use camskit::{Category, Error as E};
        match &e {
            E::Api(api) => CamsError::Api {
                status: i32::from(api.status),
                retryable: api.retryable(),
                kind: api.kind.into(),
                code: api.code.clone(),
                error_message: api.message.clone(),
                request_id: api.request_id.clone(),
                host_id: api.host_id.clone(),
                recommend: api.recommend.clone(),
                access_denied_detail: api.access_denied_detail.clone(),
                server_string_to_sign: api.server_string_to_sign.clone(),
                description: e.to_string(),
            },
            E::Parse(p) => CamsError::Parse {
                status: i32::from(p.status),
                reason: p.reason.clone(),
                snippet: p.snippet.clone(),
            },
            E::Transport {
                reason,
                outcome_unknown,
            } => CamsError::Transport {
                reason: reason.clone(),
                outcome_unknown: *outcome_unknown,
            },
            E::MissingParameter { action, parameter } => {
                CamsError::validation(&e, Some(action.clone()), Some(parameter.clone()), vec![])
            }
            E::UnknownAction {
                action,
                suggestions,
            } => CamsError::validation(&e, Some(action.clone()), None, suggestions.clone()),
            E::UnknownParameter {
                action,
                parameter,
                suggestions,
            } => CamsError::validation(
                &e,
                Some(action.clone()),
                Some(parameter.clone()),
                suggestions.clone(),
            ),
            E::WrongType {
                action, parameter, ..
            } => CamsError::validation(&e, Some(action.clone()), Some(parameter.clone()), vec![]),
            _ => match e.category() {
                Category::Credentials => CamsError::Credentials {
                    error_message: e.to_string(),
                },
                _ => CamsError::validation(&e, None, None, vec![]),
            },
        }
    }
}

/// Runs `f`, turning a panic into [`CamsError::Internal`] so it never unwinds into the app.
fn guard<T>(f: impl FnOnce() -> Result<T, CamsError>) -> Result<T, CamsError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            Err(CamsError::Internal {
                error_message: what,
            })
        }
    }
}

/// What kind of failure a CAMS error is (Kotlin `ErrorKind.THROTTLING`, Swift `.throttling`).
///
/// The host's enum of core's [`camskit::ErrorKind::ALL`], in the same order: the names
/// (`errorKindName`) and the mapping come from core by position, and a build with another
/// number of kinds in core fails to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ErrorKind {
    /// Flow control. Retry after a backoff.
    Throttling,
    /// Invalid, disabled or unknown access key, or a bad STS token.
    Authentication,
    /// The server computed another signature.
    SignatureMismatch,
    /// The timestamp is too far from the server's clock.
    ClockSkew,
    /// The signature nonce was used already. Re-sign with a new nonce.
    NonceReused,
    /// The caller may not do this.
    Permission,
    /// The account has not subscribed to CAMS.
    NotSubscribed,
    /// A request parameter is wrong or missing.
    InvalidParameter,
    /// The resource does not exist or belongs to someone else.
    NotFound,
    /// A server-side failure. Retry later.
    Server,
    /// Anything else (a business error of the operation).
    Other,
    /// A server error answered an operation that changes state: it may have taken effect,
    /// so it was not re-sent. Check before sending it again.
    OutcomeUnknown,
}

/// The host's kinds in the order of [`camskit::ErrorKind::ALL`] (the length is core's).
const KINDS: [ErrorKind; camskit::ErrorKind::ALL.len()] = [
    ErrorKind::Throttling,
    ErrorKind::Authentication,
    ErrorKind::SignatureMismatch,
    ErrorKind::ClockSkew,
    ErrorKind::NonceReused,
    ErrorKind::Permission,
    ErrorKind::NotSubscribed,
    ErrorKind::InvalidParameter,
    ErrorKind::NotFound,
    ErrorKind::Server,
    ErrorKind::Other,
    ErrorKind::OutcomeUnknown,
];

impl From<camskit::ErrorKind> for ErrorKind {
    fn from(k: camskit::ErrorKind) -> Self {
        camskit::ErrorKind::ALL
            .iter()
            .position(|c| *c == k)
            .map_or(ErrorKind::Other, |i| KINDS[i])
    }
}

impl ErrorKind {
    fn core(self) -> camskit::ErrorKind {
        let i = KINDS
            .iter()
            .position(|k| *k == self)
            .unwrap_or(KINDS.len() - 1);
        camskit::ErrorKind::ALL[i]
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.core().as_str())
    }
}

/// The kind's `snake_case` name from core, the same in every camskit host (`"signature_mismatch"`).
#[uniffi::export]
pub fn error_kind_name(kind: ErrorKind) -> String {
    kind.core().as_str().to_owned()
}

/// Every kind's name from core (`camskit::ErrorKind::ALL`), in order.
#[uniffi::export]
pub fn error_kind_names() -> Vec<String> {
    camskit::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// An Alibaba Cloud access key pair, with an optional STS security token.
///
/// An object rather than a record so that `toString()` / `description` never shows the secret.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct Credentials {
    inner: camskit::Credentials,
}

#[uniffi::export]
impl Credentials {
    /// Checks and keeps the key. An empty or absent `security_token` means none.
    ///
    /// Throws `CamsException.Credentials` when the id or secret is empty or holds control characters.
    #[uniffi::constructor(default(security_token = None))]
    pub fn new(
        access_key_id: String,
        access_key_secret: String,
        security_token: Option<String>,
    ) -> Result<Arc<Self>, CamsError> {
        guard(|| {
            let mut inner = camskit::Credentials::new(access_key_id, access_key_secret)?;
            if let Some(token) = security_token {
                inner = inner.with_security_token(token)?;
            }
            Ok(Arc::new(Credentials { inner }))
        })
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> String {
        self.inner.access_key_id().to_owned()
    }

    /// Whether an STS security token is set.
    pub fn has_security_token(&self) -> bool {
        self.inner.security_token().is_some()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Credentials(accessKeyId={}, accessKeySecret=<redacted>{})",
            self.inner.access_key_id(),
            if self.inner.security_token().is_some() {
                ", securityToken=<redacted>"
            } else {
                ""
            }
        )
    }
}

/// Credentials from an environment map (Kotlin `System.getenv()`, Swift
/// `ProcessInfo.processInfo.environment`), read by core's rule (`camskit::Credentials::from_env`):
/// `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then the aliases
/// of the `aliyun` command line; empty means unset. `null` when none is set; throws
/// `CamsException.Credentials` naming the variable when only half is set or a value is unusable.
#[uniffi::export]
pub fn credentials_from_env(
    env: HashMap<String, String>,
) -> Result<Option<Arc<Credentials>>, CamsError> {
    guard(|| {
        let found =
            camskit::Credentials::from_env(|name| env.get(name).cloned().map(EnvValue::Text))?;
        Ok(found.map(|f| {
            Arc::new(Credentials {
                inner: f.credentials,
            })
        }))
    })
}

/// A parameter value, any JSON value. Kotlin: `ParamValue.Text("…")`, `ParamValue.Integer(5)`,
/// `ParamValue.Json("""{"a":1}""")`, `ParamValue.Null`; Swift: `.text("…")`, `.integer(5)`.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ParamValue {
    /// A string, sent exactly as given.
    Text {
        /// The value.
        value: String,
    },
    /// An integer.
    Integer {
        /// The value.
        value: i64,
    },
    /// `true` or `false`.
    Boolean {
        /// The value.
        value: bool,
    },
    /// A floating-point number.
    Number {
        /// The value.
        value: f64,
    },
    /// `null`: "not given" for a CAMS operation, left out of a raw request.
    Null,
    /// An object or array (or any JSON value), as JSON text. An integer in it beyond 64 bits
    /// is refused (it could only be rounded).
    Json {
        /// The JSON text.
        json: String,
    },
}

impl ParamValue {
    /// The JSON value (numbers exact), or core's `invalid_input` naming the parameter.
    fn to_json(&self, name: &str) -> Result<Value, CamsError> {
        let invalid = |problem: String| {
            CamsError::from(camskit::Error::InvalidInput {
                what: format!("parameter {:?}", camskit::truncate(name)),
                problem,
            })
        };
        Ok(match self {
            ParamValue::Text { value } => Value::String(value.clone()),
            ParamValue::Integer { value } => Value::from(*value),
            ParamValue::Boolean { value } => Value::Bool(*value),
            ParamValue::Null => Value::Null,
            ParamValue::Number { value } => serde_json::Number::from_f64(*value)
                .map(Value::Number)
                .ok_or_else(|| invalid(format!("{value} is not a finite number")))?,
            ParamValue::Json { json } => {
                let v: Value = serde_json::from_str(json)
                    .map_err(|e| invalid(format!("not valid JSON ({e})")))?;
                if let Some(big) = integer_beyond_64_bits(json) {
                    return Err(invalid(format!(
                        "the integer {} does not fit in 64 bits; send it as text",
                        camskit::truncate(big)
                    )));
                }
                v
            }
        })
    }
}

/// The first integer literal of (valid) JSON text that is outside i64 and u64: serde_json
/// would read it as a rounded f64. The one check a host that hands JSON text must make.
fn integer_beyond_64_bits(json: &str) -> Option<&str> {
    let b = json.as_bytes();
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'-' | b'0'..=b'9' if !in_string => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let n = &json[start..i];
                let integer = !n.contains(['.', 'e', 'E']);
                if integer && n.parse::<i64>().is_err() && n.parse::<u64>().is_err() {
                    return Some(n);
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The HTTP method (Kotlin `HttpMethod.POST`, Swift `.post`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HttpMethod {
    /// GET: every parameter in the query.
    Get,
    /// POST.
    Post,
}

impl From<HttpMethod> for Method {
    fn from(m: HttpMethod) -> Self {
        match m {
            HttpMethod::Get => Method::Get,
            HttpMethod::Post => Method::Post,
        }
    }
}

/// Parses a method name by core's rule (`"GET"`, `"POST"`); anything else throws `CamsException.Validation`.
#[uniffi::export]
pub fn parse_http_method(name: String) -> Result<HttpMethod, CamsError> {
    guard(|| {
        Ok(match Method::parse(&name)? {
            Method::Get => HttpMethod::Get,
            Method::Post => HttpMethod::Post,
        })
    })
}

/// Which signature to use: RPC 1.0 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256, the
/// `Authorization` header; what Alibaba's current SDKs send).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignatureVersion {
    /// RPC signature 1.0 (`"1.0"`).
    V1,
    /// ACS3-HMAC-SHA256 (`"v3"`).
    V3,
}

impl From<SignatureVersion> for camskit::SignatureVersion {
    fn from(v: SignatureVersion) -> Self {
        match v {
            SignatureVersion::V1 => camskit::SignatureVersion::V1,
            SignatureVersion::V3 => camskit::SignatureVersion::V3,
        }
    }
}

impl From<camskit::SignatureVersion> for SignatureVersion {
    fn from(v: camskit::SignatureVersion) -> Self {
        match v {
            camskit::SignatureVersion::V1 => SignatureVersion::V1,
            camskit::SignatureVersion::V3 => SignatureVersion::V3,
        }
    }
}

/// Parses a signature version name: `"1.0"` (also `"v1"`, `"v2"`) or `"v3"` (also `"ACS3-HMAC-SHA256"`).
#[uniffi::export]
pub fn parse_signature_version(name: String) -> Result<SignatureVersion, CamsError> {
    guard(|| Ok(camskit::SignatureVersion::parse(&name)?.into()))
}

/// The name of a signature version: `"1.0"` or `"v3"`.
#[uniffi::export]
pub fn signature_version_name(version: SignatureVersion) -> String {
    camskit::SignatureVersion::from(version).as_str().to_owned()
}

/// One name/value pair (a header, or a flattened parameter).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NameValue {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

/// The time to sign at: unix seconds (Kotlin `SignTime.Unix(1752480000.0)`, a fraction is
/// floored) or text (`SignTime.Text("2025-07-14T08:00:00Z")`, also unix seconds as text), read
/// by core (`Timestamp::from_unix_f64`, `Timestamp::parse`).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum SignTime {
    /// Unix seconds (a fraction is floored).
    Unix {
        /// The seconds since 1970-01-01T00:00:00Z.
        seconds: f64,
    },
    /// `YYYY-MM-DDThh:mm:ssZ` (UTC), or unix seconds as text.
    Text {
        /// The text.
        text: String,
    },
}

impl SignTime {
    fn to_core(&self) -> Result<Timestamp, camskit::Error> {
        match self {
            SignTime::Unix { seconds } => Timestamp::from_unix_f64(*seconds),
            SignTime::Text { text } => Timestamp::parse(text),
        }
    }
}

/// Parses a time by core's rule into `YYYY-MM-DDThh:mm:ssZ` (what would be signed).
#[uniffi::export]
pub fn format_sign_time(time: SignTime) -> Result<String, CamsError> {
    guard(|| Ok(time.to_core()?.as_str().to_owned()))
}

/// How to sign. Every field is optional: `SignOptions()` signs a CAMS operation with 1.0, now,
/// and a fresh nonce.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct SignOptions {
    /// The HTTP method; absent: the catalog's (POST for a raw request).
    #[uniffi(default = None)]
    pub method: Option<HttpMethod>,
    /// The signature version; absent: 1.0.
    #[uniffi(default = None)]
    pub signature: Option<SignatureVersion>,
    /// The time; absent: now.
    #[uniffi(default = None)]
    pub timestamp: Option<SignTime>,
    /// The signature nonce, unique per attempt; absent: a fresh random UUID.
    #[uniffi(default = None)]
    pub nonce: Option<String>,
    /// Extra headers to send (signed under v3, such as `user-agent` when the HTTP client sends exactly that).
    #[uniffi(default)]
    pub headers: Vec<NameValue>,
    /// Skip the catalog: sign any Alibaba Cloud RPC API. Values mean what core says: text as
    /// given, numbers as JSON writes them, booleans `True`/`False`, lists and objects flattened
    /// (`Tag.1.Key`), `Null` left out. Parameters go in the query, `form` in the body.
    #[uniffi(default = false)]
    pub raw: bool,
    /// Raw requests only: the API version (absent: CAMS's 2020-06-06).
    #[uniffi(default = None)]
    pub api_version: Option<String>,
    /// Raw requests only: form-body parameters.
    #[uniffi(default)]
    pub form: HashMap<String, ParamValue>,
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

/// A request ready to send with any HTTP client: `method` to `url` with `headersToSend` and `body`.
///
/// Under STS the URL (1.0) or a header (v3) holds the security token, as it must: log with care.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SignedRequest {
    /// `"GET"` or `"POST"`.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Every signed header, names in lower case (`host` among them under v3).
    pub headers: Vec<NameValue>,
    /// The headers an HTTP client must set (core's `headers_to_send`): every header but
    /// `host`, which the client derives from the URL (to the signed value).
    pub headers_to_send: Vec<NameValue>,
    /// The `application/x-www-form-urlencoded` body, if any (its `content-type` is in `headers`).
    pub body: Option<String>,
    /// The canonical query.
    pub canonical_query: String,
    /// For v3, the canonical request that was hashed.
    pub canonical_request: Option<String>,
    /// The string that was signed (compare with `CamsException.Api.serverStringToSign`).
    pub string_to_sign: String,
    /// The signature (base64 for 1.0, hex for v3).
    pub signature: String,
    /// Which signature version signed it.
    pub signature_version: SignatureVersion,
    /// The timestamp that was signed (`YYYY-MM-DDThh:mm:ssZ`).
    pub timestamp: String,
    /// The nonce that was signed.
    pub nonce: String,
}

/// A successful CAMS answer (HTTP 2xx and `Code` == `OK`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CamsResponse {
    /// The HTTP status.
    pub status: i32,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data` as JSON text, numbers exact (64-bit IDs are not rounded).
    pub data_json: Option<String>,
    /// The whole body as JSON text.
    pub body_json: String,
}

/// `Data` of a [`CreateChatappMigrationInitiateResponse`] (core's `ops::MigrationInitiateData`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MigrationInitiateData {
    /// `Id`: the migration id.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
    /// `Status`.
    pub status: Option<String>,
}

/// `Data` of a [`GetMigrationVerifyCodeResponse`] and a [`ChatappMigrationVerifiedResponse`]
/// (core's `ops::MigrationData`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MigrationData {
    /// `Id`: the migration id.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
}

/// The answer to `CreateChatappMigrationInitiate` (core's `ops::CreateChatappMigrationInitiateResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CreateChatappMigrationInitiateResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data` (`data.id` is the migration id).
    pub data: Option<MigrationInitiateData>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

/// The answer to `GetMigrationVerifyCode` (core's `ops::GetMigrationVerifyCodeResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GetMigrationVerifyCodeResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data`.
    pub data: Option<MigrationData>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

/// The answer to `ChatappMigrationVerified` (core's `ops::ChatappMigrationVerifiedResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatappMigrationVerifiedResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data`.
    pub data: Option<MigrationData>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

/// The answer to `ChatappMigrationRegister`: the envelope only (core's `ops::ChatappMigrationRegisterResponse`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatappMigrationRegisterResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// The whole body as JSON text, with any field not modelled here (core's `raw`).
    pub raw_json: String,
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

/// Signs CAMS requests for one access key and endpoint, and calls CAMS through the app's
/// HTTP transport (`call`, `pages`). Thread-safe; keep one per account.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct CamsClient {
    endpoint: Endpoint,
    credentials: chain::Source,
    /// Server time minus this host's clock (seconds), learnt by a call's clock-skew recovery
    /// and given to the next calls.
    clock_offset: AtomicI64,
    logger: RwLock<Option<Arc<dyn calls::CamsLogger>>>,
}

impl fmt::Display for CamsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CamsClient(endpoint={}, {})",
            self.endpoint.base_url(),
            self.credentials
        )
    }
}

#[uniffi::export]
impl CamsClient {
    /// A client for `region` (`cams.<region>.aliyuncs.com`) or an explicit `endpoint`
    /// (`https://host`, or `http://127.0.0.1:8080` for a local stand-in); neither:
    /// `ap-southeast-1`. Both given must name the same endpoint, else
    /// `CamsException.Validation` (core's `Endpoint::resolve`).
    #[uniffi::constructor(default(region = None, endpoint = None))]
    pub fn new(
        credentials: Arc<Credentials>,
        region: Option<String>,
        endpoint: Option<String>,
    ) -> Result<Arc<Self>, CamsError> {
        guard(|| {
            let endpoint = Endpoint::resolve(region.as_deref(), endpoint.as_deref())?;
            Ok(Arc::new(CamsClient::with_source(
                endpoint,
                chain::Source::Fixed(credentials.inner.clone()),
            )))
        })
    }

    /// The endpoint's base URL (`https://cams.ap-southeast-1.aliyuncs.com`).
    pub fn base_url(&self) -> String {
        self.endpoint.base_url().to_owned()
    }

    /// The region of a `cams.<region>.aliyuncs.com` endpoint; `null` for any other host.
    pub fn region_id(&self) -> Option<String> {
        self.endpoint.region_id().map(str::to_owned)
    }

    /// A warning for an endpoint that looks like CAMS's but is not in Alibaba's endpoint map
    /// (it may not answer); `null` when there is nothing to say. Show or log it once.
    pub fn warning(&self) -> Option<String> {
        self.endpoint.warning()
    }

    /// Whether the endpoint is a loopback address (`localhost`, `127.0.0.0/8`, `[::1]`).
    pub fn is_loopback(&self) -> bool {
        self.endpoint.is_loopback()
    }

    /// Throws `CamsException.Validation` when credentials must not go to this endpoint: plain
    /// HTTP to a host that is not loopback, unless `allow_insecure_http`. Call it before sending.
    pub fn check_credentials_transport(&self, allow_insecure_http: bool) -> Result<(), CamsError> {
        guard(|| {
            Ok(self
                .endpoint
                .check_credentials_transport(allow_insecure_http)?)
        })
    }

    /// Signs any CAMS operation, checked against camskit's catalog of all its operations:
    /// unknown action or parameter, missing required parameter or wrong type throw
    /// `CamsException.Validation` before anything is signed. `params` keys are API names
    /// (`CustSpaceId`) or the official snake-case names (`cust_space_id`); each parameter is
    /// serialized and placed (query or form body) as the official client does.
    ///
    /// With `options.raw`, signs any Alibaba Cloud RPC API instead, without the catalog (see
    /// [`SignOptions::raw`]). Parameters are taken in name order.
    #[uniffi::method(default(options = None))]
    pub fn sign(
        &self,
        action: String,
        params: HashMap<String, ParamValue>,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let params = pairs(&params)?;
            self.sign_params(action, params, options.unwrap_or_default())
        })
    }

    /// Step 1 of a number migration: `CreateChatappMigrationInitiate`.
    #[uniffi::method(default(options = None))]
    pub fn create_chatapp_migration_initiate(
        &self,
        cust_space_id: String,
        country_code: String,
        mobile_number: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::CreateChatappMigrationInitiate {
                cust_space_id,
                country_code,
                mobile_number,
            };
            self.sign_op(
                ops::CreateChatappMigrationInitiate::ACTION,
                op.to_params(),
                options,
            )
        })
    }

    /// Step 2: `GetMigrationVerifyCode` (sends the code by `method`, such as `SMS` or `VOICE`, in `locale`).
    #[uniffi::method(default(options = None))]
    pub fn get_migration_verify_code(
        &self,
        cust_space_id: String,
        phone_number: String,
        locale: String,
        method: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::GetMigrationVerifyCode {
                cust_space_id,
                phone_number,
                locale,
                method,
            };
            self.sign_op(ops::GetMigrationVerifyCode::ACTION, op.to_params(), options)
        })
    }

    /// Step 3: `ChatappMigrationVerified` with the code the phone received.
    #[uniffi::method(default(options = None))]
    pub fn chatapp_migration_verified(
        &self,
        cust_space_id: String,
        phone_number: String,
        verify_code: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::ChatappMigrationVerified {
                cust_space_id,
                phone_number,
                verify_code,
            };
            self.sign_op(
                ops::ChatappMigrationVerified::ACTION,
                op.to_params(),
                options,
            )
        })
    }

    /// Step 4: `ChatappMigrationRegister`.
    #[uniffi::method(default(options = None))]
    pub fn chatapp_migration_register(
        &self,
        cust_space_id: String,
        phone_number: String,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let op = ops::ChatappMigrationRegister::new(cust_space_id, phone_number);
            self.sign_op(
                ops::ChatappMigrationRegister::ACTION,
                op.to_params(),
                options,
            )
        })
    }
}

/// Host parameters as core's pairs, in name order (a host map has no order of its own).
fn pairs(params: &HashMap<String, ParamValue>) -> Result<Vec<(String, Value)>, CamsError> {
    let mut names: Vec<&String> = params.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| Ok((name.clone(), params[name].to_json(name)?)))
        .collect()
}

impl CamsClient {
    fn with_source(endpoint: Endpoint, credentials: chain::Source) -> Self {
        CamsClient {
            endpoint,
            credentials,
            clock_offset: AtomicI64::new(0),
            logger: RwLock::new(None),
        }
    }

    fn sign_op(
        &self,
        action: &str,
        params: serde_json::Map<String, Value>,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        self.sign_params(
            action.to_owned(),
            params.into_iter().collect(),
            options.unwrap_or_default(),
        )
    }

    /// The one path of every signing call on a client.
    fn sign_params(
        &self,
        action: String,
        params: Vec<(String, Value)>,
        options: SignOptions,
    ) -> Result<SignedRequest, CamsError> {
        sign_with(
            self.current_credentials()?,
            self.endpoint.clone(),
            action,
            params,
            options,
        )
    }
}

/// The one path of every signing call (a client's, and [`fast::sign_request`]'s): a
/// [`RequestSpec`] to core's `sign_spec`, with the host's clock and nonce when none is given.
fn sign_with(
    credentials: camskit::Credentials,
    endpoint: Endpoint,
    action: String,
    params: Vec<(String, Value)>,
    options: SignOptions,
) -> Result<SignedRequest, CamsError> {
    let spec = request_spec(action, params, &options)?;
    let timestamp = match &options.timestamp {
        Some(t) => t.to_core()?,
        None => now()?,
    };
    let nonce = options
        .nonce
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let signed = Signer::new(credentials, endpoint).sign_spec(&spec, timestamp, &nonce)?;
    Ok(SignedRequest::from_core(signed, timestamp, nonce))
}

/// Host options as core's [`RequestSpec`] (the time and nonce are not part of it).
fn request_spec(
    action: String,
    params: Vec<(String, Value)>,
    options: &SignOptions,
) -> Result<RequestSpec, CamsError> {
    Ok(RequestSpec {
        action,
        params,
        form: pairs(&options.form)?,
        raw: options.raw,
        api_version: options.api_version.clone(),
        method: options.method.map(Method::from),
        signature: options.signature.map(Into::into).unwrap_or_default(),
        headers: options
            .headers
            .iter()
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect(),
    })
}

/// The host's clock (what core leaves to its host).
fn now() -> Result<Timestamp, camskit::Error> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(-1.0, |d| d.as_secs_f64());
    Timestamp::from_unix_f64(secs)
}

fn name_values<'a>(it: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<NameValue> {
    it.map(|(name, value)| NameValue {
        name: name.to_owned(),
        value: value.to_owned(),
    })
    .collect()
}

impl SignedRequest {
    fn from_core(signed: camskit::SignedRequest, timestamp: Timestamp, nonce: String) -> Self {
        SignedRequest {
            method: signed.method.as_str().to_owned(),
            headers: name_values(signed.headers.iter().map(|(n, v)| (n.as_ref(), v.as_str()))),
            headers_to_send: name_values(signed.headers_to_send()),
            url: signed.url,
            body: signed.body,
            canonical_query: signed.canonical_query,
            canonical_request: signed.canonical_request,
            string_to_sign: signed.string_to_sign,
            signature: signed.signature,
            signature_version: signed.signature_version.into(),
            timestamp: timestamp.as_str().to_owned(),
            nonce,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// A status outside 0..=65535 cannot be a u16 (the host's `Int` is wider than HTTP's): it is
/// reported as core reports a non-HTTP status.
fn status_u16(status: i32, body: &[u8]) -> Result<u16, CamsError> {
    u16::try_from(status).map_err(|_| CamsError::Parse {
        status,
        reason: format!("{status} is not an HTTP status"),
        snippet: String::from_utf8_lossy(&body[..body.len().min(camskit::SNIPPET_BYTES)])
            .into_owned(),
    })
}

fn response(r: camskit::Response) -> CamsResponse {
    CamsResponse {
        status: i32::from(r.status),
        data_json: r.data().map(Value::to_string),
        body_json: Value::Object(r.body.clone()).to_string(),
        request_id: r.request_id,
        code: r.code,
        message: r.message,
        access_denied_detail: r.access_denied_detail,
    }
}

/// Parses an HTTP status and body: the answer on success, else throws `CamsException.Api`
/// (an error answer, also an HTTP 2xx whose `Code` is not `OK`) or `CamsException.Parse`
/// (not a CAMS JSON body: HTML from a proxy, truncated, empty, a redirect, ...). Read at most
/// `maxResponseBytes()` of a body.
#[uniffi::export]
pub fn parse_response(status: i32, body: Vec<u8>) -> Result<CamsResponse, CamsError> {
    guard(|| {
        Ok(response(camskit::parse_response(
            status_u16(status, &body)?,
            &body,
        )?))
    })
}

/// Like `parseResponse`, with the answer's headers (any case), which tell more: a redirect's
/// `Location` is named in the error.
#[uniffi::export]
pub fn parse_response_with_headers(
    status: i32,
    headers: Vec<NameValue>,
    body: Vec<u8>,
) -> Result<CamsResponse, CamsError> {
    guard(|| {
        let headers = headers.iter().map(|h| (h.name.as_str(), h.value.as_str()));
        Ok(response(camskit::parse_response_with_headers(
            status_u16(status, &body)?,
            headers,
            &body,
        )?))
    })
}

/// The most bytes of an answer worth reading (core's `MAX_RESPONSE_BYTES`): a longer body is
/// refused as a parse error.
#[uniffi::export]
pub fn max_response_bytes() -> u64 {
    camskit::MAX_RESPONSE_BYTES as u64
}

fn raw_json(raw: serde_json::Map<String, Value>) -> String {
    Value::Object(raw).to_string()
}

/// Parses the answer to `CreateChatappMigrationInitiate` (`data.id` is the migration id).
#[uniffi::export]
pub fn parse_create_chatapp_migration_initiate_response(
    status: i32,
    body: Vec<u8>,
) -> Result<CreateChatappMigrationInitiateResponse, CamsError> {
    guard(|| {
        let r =
            ops::CreateChatappMigrationInitiateResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(CreateChatappMigrationInitiateResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            data: r.data.map(|d| MigrationInitiateData {
                id: d.id,
                phone_number: d.phone_number,
                status: d.status,
            }),
            raw_json: raw_json(r.raw),
        })
    })
}

fn migration_data(d: ops::MigrationData) -> MigrationData {
    MigrationData {
        id: d.id,
        phone_number: d.phone_number,
    }
}

/// Parses the answer to `GetMigrationVerifyCode`.
#[uniffi::export]
pub fn parse_get_migration_verify_code_response(
    status: i32,
    body: Vec<u8>,
) -> Result<GetMigrationVerifyCodeResponse, CamsError> {
    guard(|| {
        let r = ops::GetMigrationVerifyCodeResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(GetMigrationVerifyCodeResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            data: r.data.map(migration_data),
            raw_json: raw_json(r.raw),
        })
    })
}

/// Parses the answer to `ChatappMigrationVerified`.
#[uniffi::export]
pub fn parse_chatapp_migration_verified_response(
    status: i32,
    body: Vec<u8>,
) -> Result<ChatappMigrationVerifiedResponse, CamsError> {
    guard(|| {
        let r = ops::ChatappMigrationVerifiedResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(ChatappMigrationVerifiedResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            data: r.data.map(migration_data),
            raw_json: raw_json(r.raw),
        })
    })
}

/// Parses the answer to `ChatappMigrationRegister` (the envelope only).
#[uniffi::export]
pub fn parse_chatapp_migration_register_response(
    status: i32,
    body: Vec<u8>,
) -> Result<ChatappMigrationRegisterResponse, CamsError> {
    guard(|| {
        let r = ops::ChatappMigrationRegisterResponse::parse(status_u16(status, &body)?, &body)?;
        Ok(ChatappMigrationRegisterResponse {
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
            raw_json: raw_json(r.raw),
        })
    })
}

/// Flattens an object or array the way Alibaba's clients send `flat`-style parameters
/// (`Tag.1.Key=env`; core's `catalog::flatten`). Signing does this by itself (the catalog
/// where it says so, raw requests always): this shows what would be sent.
#[uniffi::export]
pub fn flatten_param(prefix: String, value: ParamValue) -> Result<Vec<NameValue>, CamsError> {
    guard(|| {
        let v = value.to_json(&prefix)?;
        Ok(camskit::catalog::flatten(&prefix, &v)
            .into_iter()
            .map(|(name, value)| NameValue { name, value })
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let r: Result<(), CamsError> = guard(|| panic!("boom"));
        assert_eq!(
            r,
            Err(CamsError::Internal {
                error_message: "boom".into()
            })
        );
    }

    #[test]
    fn credentials_never_show_the_secret() {
        let c = Credentials::new("id".into(), "s3cr3t".into(), Some("tok3n".into())).unwrap();
        let shown = c.to_string();
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("tok3n"),
            "{shown}"
        );
    }

    #[test]
    fn kinds_are_cores_in_order() {
        for (i, k) in camskit::ErrorKind::ALL.iter().enumerate() {
            assert_eq!(ErrorKind::from(*k), KINDS[i]);
            assert_eq!(KINDS[i].core(), *k);
            // The host's variant name is core's word in another case.
            let variant = format!("{:?}", KINDS[i]);
            let snake: String = variant
                .chars()
                .enumerate()
                .flat_map(|(j, c)| {
                    let sep = (j > 0 && c.is_ascii_uppercase()).then_some('_');
                    sep.into_iter().chain(c.to_lowercase())
                })
                .collect();
            assert_eq!(snake, k.as_str());
        }
    }

    #[test]
    fn integers_beyond_64_bits_in_json_text() {
        assert_eq!(
            integer_beyond_64_bits("[1, -5, 1.5e300, 18446744073709551615]"),
            None
        );
        assert_eq!(
            integer_beyond_64_bits(
                r#"{"a":"123456789012345678901234567890","b":18446744073709551616}"#
            ),
            Some("18446744073709551616")
        );
        assert_eq!(
            integer_beyond_64_bits(r#"["\"", -9223372036854775809]"#),
            Some("-9223372036854775809")
        );
    }
}

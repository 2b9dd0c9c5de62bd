//! Kotlin and Swift bindings of [camskit] (uniffi proc-macros).
//!
//! A thin translation layer: host values become core values, core errors become one
//! [`CamsError`] (Kotlin `CamsException`, Swift `CamsError`). The only things done here and not
//! in core are what core leaves to its host on purpose: the clock (the timestamp defaults to
//! now) and randomness (the nonce defaults to a fresh UUID v4).
//!
//! No panic crosses into the app: every entry point runs under [`guard`], which turns a panic
//! into [`CamsError::Internal`].

// uniffi error enums carry their fields inline (Kotlin/Swift exceptions with properties), so
// `Result<_, CamsError>` is large by design.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use camskit::{Endpoint, Method, Request, Signer, Timestamp, ops};
use serde_json::Value;

uniffi::setup_scaffolding!();

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Everything that can go wrong. Kotlin: `CamsException.Api`, `.Validation`, ...; Swift: `throws CamsError`.
///
/// The fields are named `errorMessage` (not `message`, which Kotlin's `Throwable` owns);
/// `toString()` / `description` give the sentence to show.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum CamsError {
    /// CAMS (or its gateway) answered with an error.
    #[error("CAMS error {code} (HTTP {status}, {kind}): {error_message}")]
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
    },
    /// Bad input caught before anything was signed (unknown action or parameter, missing
    /// required parameter, wrong type, malformed value, ...).
    #[error("{error_message}")]
    Validation {
        /// What is wrong, naming the operation and the parameter.
        error_message: String,
    },
    /// The answer could not be understood (not JSON, truncated, HTML from a proxy, ...).
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
    /// The credentials are unusable (empty key id, control characters, ...). Never holds the secret.
    #[error("{error_message}")]
    Credentials {
        /// What is wrong.
        error_message: String,
    },
    /// A bug in camskit (a panic caught at the boundary). Please report it.
    #[error("camskit internal error: {error_message}")]
    Internal {
        /// What happened.
        error_message: String,
    },
}

impl CamsError {
    fn validation(message: impl Into<String>) -> Self {
        CamsError::Validation {
            error_message: message.into(),
        }
    }
}

impl From<camskit::Error> for CamsError {
    fn from(e: camskit::Error) -> Self {
        use camskit::Category;
        match e {
            camskit::Error::Api(api) => CamsError::Api {
                status: i32::from(api.status),
                retryable: api.retryable(),
                kind: api.kind.into(),
                code: api.code,
                error_message: api.message,
                request_id: api.request_id,
                host_id: api.host_id,
                recommend: api.recommend,
                access_denied_detail: api.access_denied_detail,
                server_string_to_sign: api.server_string_to_sign,
            },
            camskit::Error::Parse(p) => CamsError::Parse {
                status: i32::from(p.status),
                reason: p.reason,
                snippet: p.snippet,
            },
            other => match other.category() {
                Category::Credentials => CamsError::Credentials {
                    error_message: other.to_string(),
                },
                _ => CamsError::validation(other.to_string()),
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
}

impl From<camskit::ErrorKind> for ErrorKind {
    fn from(k: camskit::ErrorKind) -> Self {
        use camskit::ErrorKind as K;
        match k {
            K::Throttling => ErrorKind::Throttling,
            K::Authentication => ErrorKind::Authentication,
            K::SignatureMismatch => ErrorKind::SignatureMismatch,
            K::ClockSkew => ErrorKind::ClockSkew,
            K::NonceReused => ErrorKind::NonceReused,
            K::Permission => ErrorKind::Permission,
            K::NotSubscribed => ErrorKind::NotSubscribed,
            K::InvalidParameter => ErrorKind::InvalidParameter,
            K::NotFound => ErrorKind::NotFound,
            K::Server => ErrorKind::Server,
            _ => ErrorKind::Other,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(error_kind_name(*self).as_str())
    }
}

/// The kind's `snake_case` name, the same in every camskit host (`"signature_mismatch"`).
#[uniffi::export]
pub fn error_kind_name(kind: ErrorKind) -> String {
    use camskit::ErrorKind as K;
    let k = match kind {
        ErrorKind::Throttling => K::Throttling,
        ErrorKind::Authentication => K::Authentication,
        ErrorKind::SignatureMismatch => K::SignatureMismatch,
        ErrorKind::ClockSkew => K::ClockSkew,
        ErrorKind::NonceReused => K::NonceReused,
        ErrorKind::Permission => K::Permission,
        ErrorKind::NotSubscribed => K::NotSubscribed,
        ErrorKind::InvalidParameter => K::InvalidParameter,
        ErrorKind::NotFound => K::NotFound,
        ErrorKind::Server => K::Server,
        ErrorKind::Other => K::Other,
    };
    k.as_str().to_owned()
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

/// A parameter value. Kotlin: `ParamValue.Text("…")`, `ParamValue.Integer(5)`,
/// `ParamValue.Json("""{"a":1}""")`; Swift: `.text("…")`, `.integer(5)`.
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
    /// An object or array (or any JSON value), as JSON text.
    Json {
        /// The JSON text.
        json: String,
    },
}

impl ParamValue {
    /// The JSON value (numbers exact).
    fn to_json(&self, name: &str) -> Result<Value, CamsError> {
        Ok(match self {
            ParamValue::Text { value } => Value::String(value.clone()),
            ParamValue::Integer { value } => Value::from(*value),
            ParamValue::Boolean { value } => Value::Bool(*value),
            ParamValue::Number { value } => serde_json::Number::from_f64(*value)
                .map(Value::Number)
                .ok_or_else(|| {
                    CamsError::validation(format!(
                        "invalid parameter {name:?}: {value} is not a finite number"
                    ))
                })?,
            ParamValue::Json { json } => serde_json::from_str(json).map_err(|e| {
                CamsError::validation(format!("invalid parameter {name:?}: not valid JSON ({e})"))
            })?,
        })
    }
}

/// The HTTP method (Kotlin `HttpMethod.POST`, Swift `.post`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HttpMethod {
    /// GET: every parameter in the query.
    Get,
    /// POST (the default).
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

/// One name/value pair (a header, or a parameter of a raw request).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NameValue {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

/// How to sign. Every field is optional: `SignOptions()` signs with 1.0, now, and a fresh nonce.
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct SignOptions {
    /// The HTTP method; absent: POST.
    #[uniffi(default = None)]
    pub method: Option<HttpMethod>,
    /// The signature version; absent: 1.0.
    #[uniffi(default = None)]
    pub signature: Option<SignatureVersion>,
    /// The time, in Unix seconds; absent: now.
    #[uniffi(default = None)]
    pub timestamp: Option<i64>,
    /// The signature nonce, unique per attempt; absent: a fresh random UUID.
    #[uniffi(default = None)]
    pub nonce: Option<String>,
    /// Extra headers to send (signed under v3, such as `user-agent` when the HTTP client sends exactly that).
    #[uniffi(default)]
    pub headers: Vec<NameValue>,
}

/// A request of any Alibaba Cloud RPC API, with its parameters exactly as they go on the wire
/// (no catalog, no validation beyond the signer's). For CAMS prefer `CamsClient.sign`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RawRequest {
    /// The action (`ChatappMigrationRegister`, `DescribeRegions`).
    pub action: String,
    /// The API version.
    #[uniffi(default = "2020-06-06")]
    pub api_version: String,
    /// Query parameters, in order.
    #[uniffi(default)]
    pub query: Vec<NameValue>,
    /// Form-body parameters (POST), in order.
    #[uniffi(default)]
    pub form: Vec<NameValue>,
}

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

/// A request ready to send with any HTTP client: `method` to `url` with `headers` and `body`.
///
/// Under STS the URL (1.0) or a header (v3) holds the security token, as it must: log with care.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SignedRequest {
    /// `"GET"` or `"POST"`.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Headers to send, names in lower case. `host` is among them under v3: HTTP clients set it
    /// themselves (to the same value) and most refuse it as a header, so skip it.
    pub headers: Vec<NameValue>,
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

/// `Data` of a migration step's answer.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MigrationData {
    /// `Id`: the migration id.
    pub id: Option<String>,
    /// `PhoneNumber`.
    pub phone_number: Option<String>,
    /// `Status` (CreateChatappMigrationInitiate).
    pub status: Option<String>,
}

/// The answer to a migration step (CreateChatappMigrationInitiate, GetMigrationVerifyCode,
/// ChatappMigrationVerified, ChatappMigrationRegister).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MigrationResponse {
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data`, when the answer has one.
    pub data: Option<MigrationData>,
    /// The whole body as JSON text.
    pub body_json: String,
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

/// Signs CAMS requests for one access key and endpoint. Thread-safe; keep one per account.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct CamsClient {
    signer: Signer,
}

impl fmt::Display for CamsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CamsClient(endpoint={}, accessKeyId={})",
            self.signer.endpoint().base_url(),
            self.signer.credentials().access_key_id()
        )
    }
}

#[uniffi::export]
impl CamsClient {
    /// A client for `region` (`cams.<region>.aliyuncs.com`), or for an explicit `endpoint`
    /// (`https://host` or `http://127.0.0.1:8080` for a local stand-in), which wins when given.
    #[uniffi::constructor(default(region = "ap-southeast-1", endpoint = None))]
    pub fn new(
        credentials: Arc<Credentials>,
        region: String,
        endpoint: Option<String>,
    ) -> Result<Arc<Self>, CamsError> {
        guard(|| {
            let endpoint = match endpoint {
                Some(e) => Endpoint::parse(&e)?,
                None => Endpoint::region(&region)?,
            };
            Ok(Arc::new(CamsClient {
                signer: Signer::new(credentials.inner.clone(), endpoint),
            }))
        })
    }

    /// The endpoint's base URL (`https://cams.ap-southeast-1.aliyuncs.com`).
    pub fn base_url(&self) -> String {
        self.signer.endpoint().base_url().to_owned()
    }

    /// Signs any CAMS operation, checked against camskit's catalog of all 173 operations:
    /// unknown action or parameter, missing required parameter or wrong type throw
    /// `CamsException.Validation` before anything is signed. `params` keys are API names
    /// (`CustSpaceId`) or the official snake-case names (`cust_space_id`); objects and arrays
    /// (`ParamValue.Json`) are serialized as the catalog says (JSON text or flattened), and
    /// each parameter goes to the query or the form body as the official client sends it.
    #[uniffi::method(default(options = None))]
    pub fn sign(
        &self,
        action: String,
        params: HashMap<String, ParamValue>,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            // Sorted, so that errors and requests do not depend on the map's order.
            let mut names: Vec<&String> = params.keys().collect();
            names.sort();
            let mut map = serde_json::Map::with_capacity(names.len());
            for name in names {
                map.insert(name.clone(), params[name].to_json(name)?);
            }
            let options = options.unwrap_or_default();
            let (timestamp, nonce) = time_and_nonce(&options)?;
            let core_options = camskit::SignOptions {
                method: options.method.map(Method::from),
                signature: options.signature.map(Into::into).unwrap_or_default(),
                headers: options
                    .headers
                    .into_iter()
                    .map(|h| (h.name, h.value))
                    .collect(),
            };
            let signed =
                self.signer
                    .sign_action(&action, &map, &core_options, timestamp, &nonce)?;
            Ok(SignedRequest::from_core(signed, timestamp, nonce))
        })
    }

    /// Signs a raw request of any Alibaba Cloud RPC API (parameters as they go on the wire).
    #[uniffi::method(default(options = None))]
    pub fn sign_raw(
        &self,
        request: RawRequest,
        options: Option<SignOptions>,
    ) -> Result<SignedRequest, CamsError> {
        guard(|| {
            let mut req = Request::new(request.action).with_api_version(request.api_version);
            for p in request.query {
                req.push_param(p.name, p.value);
            }
            for p in request.form {
                req.push_form_param(p.name, p.value);
            }
            self.sign_request(req, options.unwrap_or_default())
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
            let req = ops::CreateChatappMigrationInitiate {
                cust_space_id,
                country_code,
                mobile_number,
            }
            .to_request()?;
            self.sign_request(req, options.unwrap_or_default())
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
            let req = ops::GetMigrationVerifyCode {
                cust_space_id,
                phone_number,
                locale,
                method,
            }
            .to_request()?;
            self.sign_request(req, options.unwrap_or_default())
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
            let req = ops::ChatappMigrationVerified {
                cust_space_id,
                phone_number,
                verify_code,
            }
            .to_request()?;
            self.sign_request(req, options.unwrap_or_default())
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
            let req =
                ops::ChatappMigrationRegister::new(cust_space_id, phone_number).to_request()?;
            self.sign_request(req, options.unwrap_or_default())
        })
    }
}

impl CamsClient {
    /// Applies the options to `request` and signs it.
    fn sign_request(
        &self,
        mut request: Request,
        options: SignOptions,
    ) -> Result<SignedRequest, CamsError> {
        let (timestamp, nonce) = time_and_nonce(&options)?;
        if let Some(m) = options.method {
            request = request.with_method(m.into());
        }
        if let Some(v) = options.signature {
            request = request.with_signature(v.into());
        }
        for h in options.headers {
            request = request.header(h.name, h.value);
        }
        let signed = self.signer.sign(&request, timestamp, &nonce)?;
        Ok(SignedRequest::from_core(signed, timestamp, nonce))
    }
}

impl SignedRequest {
    fn from_core(signed: camskit::SignedRequest, timestamp: Timestamp, nonce: String) -> Self {
        SignedRequest {
            method: signed.method.as_str().to_owned(),
            url: signed.url,
            headers: signed
                .headers
                .into_iter()
                .map(|(name, value)| NameValue { name, value })
                .collect(),
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

/// The options' time and nonce, or now and a fresh UUID v4 (what core leaves to its host).
fn time_and_nonce(options: &SignOptions) -> Result<(Timestamp, String), CamsError> {
    let timestamp = timestamp(options.timestamp)?;
    let nonce = match &options.nonce {
        Some(n) => n.clone(),
        None => uuid::Uuid::new_v4().to_string(),
    };
    Ok((timestamp, nonce))
}

fn timestamp(unix: Option<i64>) -> Result<Timestamp, CamsError> {
    let secs = match unix {
        Some(s) => s,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|_| CamsError::validation("the system clock is before 1970"))?
            .as_secs() as i64,
    };
    Ok(Timestamp::from_unix(secs)?)
}

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

/// A status outside 0..=65535 cannot be a u16: report it as core reports a non-HTTP status.
fn status_u16(status: i32, body: &[u8]) -> Result<u16, CamsError> {
    u16::try_from(status).map_err(|_| CamsError::Parse {
        status,
        reason: format!("{status} is not an HTTP status"),
        snippet: String::from_utf8_lossy(&body[..body.len().min(camskit::SNIPPET_BYTES)])
            .into_owned(),
    })
}

/// Parses an HTTP status and body: the answer on success, else throws `CamsException.Api`
/// (an error answer, also an HTTP 200 whose `Code` is not `OK`) or `CamsException.Parse`
/// (not a CAMS JSON body: HTML from a proxy, truncated, empty, ...).
#[uniffi::export]
pub fn parse_response(status: i32, body: Vec<u8>) -> Result<CamsResponse, CamsError> {
    guard(|| {
        let r = camskit::parse_response(status_u16(status, &body)?, &body)?;
        Ok(CamsResponse {
            status: i32::from(r.status),
            data_json: r.data().map(Value::to_string),
            body_json: Value::Object(r.body.clone()).to_string(),
            request_id: r.request_id,
            code: r.code,
            message: r.message,
            access_denied_detail: r.access_denied_detail,
        })
    })
}

fn body_json(raw: serde_json::Map<String, Value>) -> String {
    Value::Object(raw).to_string()
}

/// One typed parser per migration step: core's typed answer, as a [`MigrationResponse`].
macro_rules! migration_parser {
    ($(#[$doc:meta])* $name:ident, $ty:ty, |$r:ident| $data:expr) => {
        $(#[$doc])*
        #[uniffi::export]
        pub fn $name(status: i32, body: Vec<u8>) -> Result<MigrationResponse, CamsError> {
            guard(|| {
                let $r = <$ty>::parse(status_u16(status, &body)?, &body)?;
                Ok(MigrationResponse {
                    data: $data,
                    request_id: $r.request_id,
                    code: $r.code,
                    message: $r.message,
                    access_denied_detail: $r.access_denied_detail,
                    body_json: body_json($r.raw),
                })
            })
        }
    };
}

migration_parser! {
    /// Parses the answer to `CreateChatappMigrationInitiate` (`data.id` is the migration id).
    parse_create_chatapp_migration_initiate_response, ops::CreateChatappMigrationInitiateResponse,
    |r| r.data.map(|d| MigrationData { id: d.id, phone_number: d.phone_number, status: d.status })
}

migration_parser! {
    /// Parses the answer to `GetMigrationVerifyCode`.
    parse_get_migration_verify_code_response, ops::GetMigrationVerifyCodeResponse,
    |r| r.data.map(MigrationData::from)
}

migration_parser! {
    /// Parses the answer to `ChatappMigrationVerified`.
    parse_chatapp_migration_verified_response, ops::ChatappMigrationVerifiedResponse,
    |r| r.data.map(MigrationData::from)
}

migration_parser! {
    /// Parses the answer to `ChatappMigrationRegister` (the envelope only: `data` is null).
    parse_chatapp_migration_register_response, ops::ChatappMigrationRegisterResponse,
    |r| None
}

impl From<ops::MigrationData> for MigrationData {
    fn from(d: ops::MigrationData) -> Self {
        MigrationData {
            id: d.id,
            phone_number: d.phone_number,
            status: None,
        }
    }
}

/// Flattens an object or array the way Alibaba's clients send `flat`-style parameters
/// (`Tag.1.Key=env`), for requests built by hand with `signRaw`. `CamsClient.sign` does this
/// by itself where the catalog says so.
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
}

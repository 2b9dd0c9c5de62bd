//! Signing: [`CamsClient`] (one key or chain, one endpoint) and [`SignOptions`] as core's
//! [`RequestSpec`], signed by core's [`Signer`] with the host's clock and a fresh nonce.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, RwLock};

use camskit::{Endpoint, Method, RequestSpec, Signer, Timestamp};
use serde_json::Value;

use crate::convert::{name_values, now, pairs};
use crate::{
    CamsError, Credentials, HttpMethod, NameValue, ParamValue, SignTime, SignatureVersion, chain,
    guard,
};

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

/// Signs CAMS requests for one access key and endpoint, and calls CAMS through the app's
/// HTTP transport (`call`, `pages`). Thread-safe; keep one per account.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct CamsClient {
    pub(crate) endpoint: Endpoint,
    pub(crate) credentials: chain::Source,
    /// Server time minus this host's clock (seconds), learnt by a call's clock-skew recovery
    /// and given to the next calls.
    pub(crate) clock_offset: AtomicI64,
    pub(crate) logger: RwLock<Option<Arc<dyn crate::transport::CamsLogger>>>,
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
                .check_credentials_transport_as(allow_insecure_http, "allowInsecureHttp")?)
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
}

impl CamsClient {
    pub(crate) fn with_source(endpoint: Endpoint, credentials: chain::Source) -> Self {
        CamsClient {
            endpoint,
            credentials,
            clock_offset: AtomicI64::new(0),
            logger: RwLock::new(None),
        }
    }

    pub(crate) fn sign_op(
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
            &Signer::new(self.current_credentials()?, self.endpoint.clone()),
            action,
            params,
            options,
        )
    }
}

/// The one path of every signing call (a client's, and [`fast::sign_request`]'s): a
/// [`RequestSpec`] to core's `sign_spec`, with the host's clock and nonce when none is given.
pub(crate) fn sign_with(
    signer: &Signer,
    action: String,
    params: Vec<(String, Value)>,
    options: SignOptions,
) -> Result<SignedRequest, CamsError> {
    let (signed, timestamp, nonce) = sign_core(signer, action, params, options)?;
    Ok(SignedRequest::from_core(signed, timestamp, nonce))
}

/// [`sign_with`] before the conversion to the uniffi record: core's signed request, with the
/// time and nonce it was signed with (the JNI path writes its frames straight from these).
pub(crate) fn sign_core(
    signer: &Signer,
    action: String,
    params: Vec<(String, Value)>,
    options: SignOptions,
) -> Result<(camskit::SignedRequest, Timestamp, String), CamsError> {
    let spec = request_spec(action, params, &options)?;
    let timestamp = match &options.timestamp {
        Some(t) => t.to_core()?,
        None => now()?,
    };
    let nonce = options.nonce.unwrap_or_else(crate::nonce::fresh_nonce);
    let signed = signer.sign_spec(&spec, timestamp, &nonce)?;
    Ok((signed, timestamp, nonce))
}

/// Host options as core's [`RequestSpec`] (the time and nonce are not part of it).
pub(crate) fn request_spec(
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

impl SignedRequest {
    pub(crate) fn from_core(
        signed: camskit::SignedRequest,
        timestamp: Timestamp,
        nonce: String,
    ) -> Self {
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

//! An unsigned request, and the signed request that comes out of the signer.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::error::Error;

/// The CAMS API version.
pub const CAMS_API_VERSION: &str = "2020-06-06";

/// The largest value of a query parameter, in bytes (URLs beyond this are refused by
/// servers and proxies long before CAMS sees them).
pub const MAX_QUERY_VALUE_BYTES: usize = 32 * 1024;
/// The largest value of a form-body parameter, in bytes.
pub const MAX_FORM_VALUE_BYTES: usize = 512 * 1024;

/// The HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`: every parameter in the query.
    Get,
    /// `POST` (the default, as in Alibaba's CAMS SDK): query parameters, plus an optional
    /// form body.
    #[default]
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }

    /// Parses `GET` or `POST` (any case).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for any other method.
    pub fn parse(s: &str) -> Result<Self, Error> {
        if s.eq_ignore_ascii_case("GET") {
            Ok(Method::Get)
        } else if s.eq_ignore_ascii_case("POST") {
            Ok(Method::Post)
        } else {
            Err(Error::invalid(
                "method",
                format!("{s:?} is not supported (GET or POST)"),
            ))
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which signature a request is signed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub enum SignatureVersion {
    /// RPC signature 1.0 (HMAC-SHA1, the `Signature` query parameter): the default.
    #[default]
    #[serde(rename = "1.0")]
    V1,
    /// ACS3-HMAC-SHA256 (the `Authorization` header), what Alibaba's current SDKs send.
    #[serde(rename = "v3")]
    V3,
}

impl SignatureVersion {
    /// `"1.0"` or `"v3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V1 => "1.0",
            SignatureVersion::V3 => "v3",
        }
    }

    /// Parses `1.0` (also `1`, `v1`, `v2`: the names Alibaba's SDKs use for it) or `v3`
    /// (also `3`, `ACS3-HMAC-SHA256`).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for anything else.
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "1.0" | "1" | "v1" | "v2" => Ok(SignatureVersion::V1),
            "v3" | "3" | "acs3-hmac-sha256" => Ok(SignatureVersion::V3),
            _ => Err(Error::invalid(
                "signature version",
                format!("{s:?} is not supported (\"1.0\" or \"v3\")"),
            )),
        }
    }
}

impl fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An RPC-style request before signing: action, API version, method and parameters.
///
/// Parameters keep the caller's strings exactly; they are encoded and sorted when signed.
/// Use [`Request::param`] for query parameters and [`Request::form_param`] for form-body
/// parameters (both are signed).
///
/// ```
/// use camskit::{Method, Request};
/// let req = Request::new("ChatappMigrationRegister")
///     .param("CustSpaceId", "cs-123")
///     .param("PhoneNumber", "8613800001234");
/// assert_eq!(req.action(), "ChatappMigrationRegister");
/// assert_eq!(req.api_version(), "2020-06-06");
/// assert_eq!(req.method(), Method::Post);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    // Borrowed for catalog operations and the CAMS version: no allocation on the hot path.
    pub(crate) action: Cow<'static, str>,
    pub(crate) version: Cow<'static, str>,
    pub(crate) method: Method,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) form: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) signature: SignatureVersion,
}

impl Request {
    /// A `POST` request for a CAMS action (API version 2020-06-06), signed with 1.0.
    pub fn new(action: impl Into<String>) -> Self {
        Self {
            action: Cow::Owned(action.into()),
            version: Cow::Borrowed(CAMS_API_VERSION),
            method: Method::Post,
            query: Vec::new(),
            form: Vec::new(),
            headers: Vec::new(),
            signature: SignatureVersion::V1,
        }
    }

    /// A CAMS request for an action name that lives as long as the program (the catalog's).
    pub(crate) fn for_static_action(action: &'static str) -> Self {
        let mut r = Self::new(String::new());
        r.action = Cow::Borrowed(action);
        r
    }

    /// Sets the API version (for other Alibaba Cloud RPC APIs).
    #[must_use]
    pub fn with_api_version(mut self, version: impl Into<String>) -> Self {
        self.version = Cow::Owned(version.into());
        self
    }

    /// Sets the HTTP method.
    #[must_use]
    pub fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// Sets the signature version.
    #[must_use]
    pub fn with_signature(mut self, signature: SignatureVersion) -> Self {
        self.signature = signature;
        self
    }

    /// Adds a query parameter.
    #[must_use]
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push_param(name, value);
        self
    }

    /// Adds a form-body parameter (`POST` only).
    #[must_use]
    pub fn form_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push_form_param(name, value);
        self
    }

    /// Adds a header to send. With signature v3 it is signed too (such as `user-agent`, when
    /// the HTTP client will send exactly that value).
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter in place.
    pub fn push_param(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.query.push((name.into(), value.into()));
    }

    /// Adds a form-body parameter in place.
    pub fn push_form_param(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.form.push((name.into(), value.into()));
    }

    /// The action.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The API version.
    pub fn api_version(&self) -> &str {
        &self.version
    }

    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The signature version.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature
    }

    /// The query parameters, in the order given.
    pub fn query_params(&self) -> &[(String, String)] {
        &self.query
    }

    /// The form-body parameters, in the order given.
    pub fn form_params(&self) -> &[(String, String)] {
        &self.form
    }

    /// The extra headers.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

/// A request ready to send: a plain value the host hands to its HTTP client.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SignedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The full URL, with the canonical query (and, for 1.0, the `Signature` parameter).
    pub url: String,
    /// Headers to send, in order, names in lower case.
    /// (The signer's own names are borrowed constants: `host`, `x-acs-date`, ...; a name the
    /// caller gave is owned, lower-cased.)
    #[serde(serialize_with = "headers_as_map")]
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// The `application/x-www-form-urlencoded` body, if there are form parameters.
    pub body: Option<String>,
    /// The canonical query: for 1.0 every signed parameter (query and body), sorted and
    /// encoded; for v3 the query's canonical form.
    pub canonical_query: String,
    /// For v3, the canonical request that was hashed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical_request: Option<String>,
    /// The string that was signed.
    pub string_to_sign: String,
    /// The signature (base64 for 1.0, hex for v3).
    pub signature: String,
    /// Which signature version signed it.
    pub signature_version: SignatureVersion,
}

impl SignedRequest {
    /// This request as the one request type of every fetch core asks a host for, with what it
    /// is for and how long to wait for its answer.
    pub fn to_http_request(&self, purpose: &str, timeout_ms: u64) -> crate::http::HttpRequest {
        crate::http::HttpRequest {
            method: self.method.as_str().to_owned(),
            url: self.url.clone(),
            headers: self
                .headers_to_send()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
            body: self.body.clone(),
            purpose: purpose.to_owned(),
            timeout_ms,
        }
    }

    /// The headers an HTTP client must set: every header but `host`, which the client
    /// derives from the URL itself (setting it by hand is refused by some clients and
    /// duplicated by others). The value it derives is the signed one.
    pub fn headers_to_send(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .iter()
            .filter(|(n, _)| n != "host")
            .map(|(n, v)| (n.as_ref(), v.as_str()))
    }

    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn headers_as_map<S: serde::Serializer>(
    headers: &[(Cow<'static, str>, String)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(headers.iter().map(|(k, v)| (k, v)))
}

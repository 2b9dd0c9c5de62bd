//! RPC signature 1.0 (HMAC-SHA1), and what every signature version shares: checking the
//! inputs and laying out the parameters.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::credentials::Credentials;
use crate::encode::{canonical_query_twice, form_encode_into, percent_encode_into};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::request::{
    MAX_FORM_VALUE_BYTES, MAX_QUERY_VALUE_BYTES, Method, Request, SignatureVersion, SignedRequest,
};
use crate::timestamp::Timestamp;

/// How [`Signer::sign_action`] signs: the method (default: the catalog's), the signature
/// version (default 1.0) and extra headers (signed under v3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignOptions {
    /// Overrides the catalog's HTTP method.
    pub method: Option<Method>,
    /// 1.0 (default) or v3.
    pub signature: SignatureVersion,
    /// Extra headers to send (and sign under v3).
    pub headers: Vec<(String, String)>,
}

/// The longest nonce accepted, in bytes.
pub const MAX_NONCE_BYTES: usize = 128;

/// Signs requests with one set of credentials for one endpoint. Pure: the time and the nonce
/// are arguments.
///
/// ```
/// use camskit::{Credentials, Endpoint, Request, Signer, Timestamp};
/// let signer = Signer::new(Credentials::new("testid", "testsecret")?, Endpoint::default());
/// let req = Request::new("ChatappMigrationRegister")
///     .param("CustSpaceId", "cs-1")
///     .param("PhoneNumber", "8613800001234");
/// let t = Timestamp::parse("2025-01-02T03:04:05Z")?;
/// let signed = signer.sign(&req, t, "e0b8e4a6-7c32-4d8e-9b0f-6f0f4c1f2a3b")?;
/// assert!(signed.url.starts_with("https://cams.ap-southeast-1.aliyuncs.com/?AccessKeyId=testid&Action=ChatappMigrationRegister&"));
/// assert!(signed.string_to_sign.starts_with("POST&%2F&AccessKeyId%3Dtestid%26Action%3D"));
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Signer {
    credentials: Credentials,
    endpoint: Endpoint,
}

impl Signer {
    /// A signer for these credentials and this endpoint.
    pub fn new(credentials: Credentials, endpoint: Endpoint) -> Self {
        Self {
            credentials,
            endpoint,
        }
    }

    /// The credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Signs a CAMS operation from the catalog: `params` are checked and serialized by
    /// [`catalog::request`](crate::catalog::request), then signed as `options` say.
    ///
    /// ```
    /// use camskit::{Credentials, Endpoint, SignOptions, SignatureVersion, Signer, Timestamp};
    /// let signer = Signer::new(Credentials::new("id", "secret")?, Endpoint::default());
    /// let params = serde_json::json!({"CustSpaceId": "cs-1", "PhoneNumber": "8613800001234"});
    /// let options = SignOptions { signature: SignatureVersion::V3, ..SignOptions::default() };
    /// let t = Timestamp::parse("2025-07-14T08:00:00Z")?;
    /// let signed = signer.sign_action("ChatappMigrationRegister", params.as_object().unwrap(), &options, t, "nonce-1")?;
    /// assert!(signed.header("authorization").unwrap().starts_with("ACS3-HMAC-SHA256 Credential=id,"));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// The catalog's errors (unknown action or parameter, missing parameter, wrong type), then
    /// [`sign`](Self::sign)'s.
    pub fn sign_action(
        &self,
        action: &str,
        params: &serde_json::Map<String, serde_json::Value>,
        options: &SignOptions,
        timestamp: Timestamp,
        nonce: &str,
    ) -> Result<SignedRequest, Error> {
        let request = crate::catalog::request(action, params)?;
        self.sign_with_options(request, options, timestamp, nonce)
    }

    /// Like [`sign_action`](Self::sign_action), for parameters that are all text (see
    /// [`catalog::request_from_strs`](crate::catalog::request_from_strs)): what a host that
    /// already holds strings calls, without building a JSON map.
    ///
    /// ```
    /// use camskit::{Credentials, Endpoint, SignOptions, Signer, Timestamp};
    /// let signer = Signer::new(Credentials::new("id", "secret")?, Endpoint::default());
    /// let t = Timestamp::parse("2025-07-14T08:00:00Z")?;
    /// let params = [("CustSpaceId", "cs-1"), ("PhoneNumber", "8613800001234")];
    /// let signed = signer.sign_action_strs("ChatappMigrationRegister", params, &SignOptions::default(), t, "n-1")?;
    /// assert!(signed.url.contains("&PhoneNumber=8613800001234&"));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`sign_action`](Self::sign_action).
    pub fn sign_action_strs<'a>(
        &self,
        action: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
        options: &SignOptions,
        timestamp: Timestamp,
        nonce: &str,
    ) -> Result<SignedRequest, Error> {
        let request = crate::catalog::request_from_strs(action, params)?;
        self.sign_with_options(request, options, timestamp, nonce)
    }

    fn sign_with_options(
        &self,
        request: Request,
        options: &SignOptions,
        timestamp: Timestamp,
        nonce: &str,
    ) -> Result<SignedRequest, Error> {
        let mut request = request.with_signature(options.signature);
        if let Some(method) = options.method {
            request = request.with_method(method);
        }
        for (name, value) in &options.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        self.sign(&request, timestamp, nonce)
    }

    /// Signs `request` at time `timestamp` with the given nonce (unique per attempt: a UUID).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for an empty or malformed action, version or nonce, a bad
    /// parameter name, a reserved or repeated parameter, a value that is too large, or form
    /// parameters on a `GET`. Nothing is signed then.
    pub fn sign(
        &self,
        request: &Request,
        timestamp: Timestamp,
        nonce: &str,
    ) -> Result<SignedRequest, Error> {
        let checked = check(request, nonce)?;
        match request.signature {
            SignatureVersion::V1 => Ok(self.sign_v1(request, &checked, timestamp, nonce)),
            SignatureVersion::V3 => Ok(crate::v3::sign(
                &self.credentials,
                &self.endpoint,
                request,
                timestamp,
                nonce,
            )),
        }
    }

    fn sign_v1(
        &self,
        request: &Request,
        checked: &Checked,
        timestamp: Timestamp,
        nonce: &str,
    ) -> SignedRequest {
        let creds = &self.credentials;
        let mut common: Vec<(&str, &str)> = Vec::with_capacity(10 + request.query.len());
        common.push(("AccessKeyId", creds.access_key_id()));
        common.push(("Action", &request.action));
        if !checked.has_format {
            common.push(("Format", "JSON"));
        }
        if let Some(token) = creds.security_token() {
            common.push(("SecurityToken", token));
        }
        common.push(("SignatureMethod", "HMAC-SHA1"));
        common.push(("SignatureNonce", nonce));
        common.push(("SignatureVersion", "1.0"));
        common.push(("Timestamp", timestamp.as_str()));
        common.push(("Version", &request.version));

        let mut query: Vec<(&str, &str)> = common;
        query.extend(request.query.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        sort_by_name(&mut query);

        let all_owned;
        let signed: &[(&str, &str)] = if request.form.is_empty() {
            &query
        } else {
            let mut all = query.clone();
            all.extend(request.form.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            sort_by_name(&mut all);
            all_owned = all;
            &all_owned
        };

        // The canonical query and the string to sign (which holds it encoded once more) in
        // one pass.
        let prefix = match request.method {
            Method::Get => "GET&%2F&",
            Method::Post => "POST&%2F&",
        };
        let (canonical_query, string_to_sign) = canonical_query_twice(prefix, signed);

        let signature = hmac_sha1_base64(creds.secret(), &string_to_sign);

        let base = self.endpoint.base_url();
        let url_query = if request.form.is_empty() {
            None
        } else {
            Some(canonical(&query))
        };
        let url_query = url_query.as_deref().unwrap_or(&canonical_query);
        let mut url = String::with_capacity(base.len() + url_query.len() + 48);
        url.push_str(base);
        url.push_str("/?");
        url.push_str(url_query);
        url.push_str("&Signature=");
        percent_encode_into(&mut url, &signature);

        let (headers, body) = form_body(request);
        SignedRequest {
            method: request.method,
            url,
            headers,
            body,
            canonical_query,
            canonical_request: None,
            string_to_sign,
            signature,
            signature_version: SignatureVersion::V1,
        }
    }
}

/// `base64(HMAC-SHA1(secret + "&", string_to_sign))`.
fn hmac_sha1_base64(secret: &str, string_to_sign: &str) -> String {
    // The key is `secret + "&"`; short keys (the usual 30 bytes) are built on the stack.
    let mut short = zeroize::Zeroizing::new([0u8; 64]);
    let long;
    let key: &[u8] = if secret.len() < 64 {
        short[..secret.len()].copy_from_slice(secret.as_bytes());
        short[secret.len()] = b'&';
        &short[..=secret.len()]
    } else {
        let mut k = zeroize::Zeroizing::new(Vec::with_capacity(secret.len() + 1));
        k.extend_from_slice(secret.as_bytes());
        k.push(b'&');
        long = k;
        &long
    };
    let mut mac =
        <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Sorts `name, value` pairs by name (byte order). The one sort of the crate: every list
/// goes through it, so a wasm build carries a single copy of the sorting code.
pub(crate) fn sort_by_name(pairs: &mut [(&str, &str)]) {
    pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
}

/// `name=value&...` with names and values percent-encoded; `params` is sorted already.
pub(crate) fn canonical(params: &[(&str, &str)]) -> String {
    let len: usize = params.iter().map(|(n, v)| n.len() + v.len() * 3 + 2).sum();
    let mut out = String::with_capacity(len);
    for (i, (name, value)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(&mut out, name);
        out.push('=');
        percent_encode_into(&mut out, value);
    }
    out
}

/// The form body (sorted, as the official clients write it) and its content type.
pub(crate) fn form_body(request: &Request) -> (Vec<(String, String)>, Option<String>) {
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    if request.form.is_empty() {
        return (headers, None);
    }
    let mut form: Vec<(&str, &str)> = request
        .form
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    sort_by_name(&mut form);
    let mut body = String::new();
    for (i, (name, value)) in form.iter().enumerate() {
        if i > 0 {
            body.push('&');
        }
        form_encode_into(&mut body, name);
        body.push('=');
        form_encode_into(&mut body, value);
    }
    headers.push((
        "content-type".to_owned(),
        "application/x-www-form-urlencoded".to_owned(),
    ));
    (headers, Some(body))
}

/// What [`check`] learnt about a request.
pub(crate) struct Checked {
    /// The caller set `Format` (which then replaces the default `JSON`).
    pub(crate) has_format: bool,
}

/// Checks everything about a request that does not depend on the signature version.
pub(crate) fn check(request: &Request, nonce: &str) -> Result<Checked, Error> {
    let action = &request.action;
    if action.is_empty() {
        return Err(Error::invalid("action", "the action is empty"));
    }
    if action.len() > 128 || !action.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            "action",
            format!(
                "{:?} is not an action name (ASCII letters and digits, at most 128)",
                truncate(action)
            ),
        ));
    }
    let version = &request.version;
    if version.is_empty()
        || version.len() > 32
        || !version
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(Error::invalid(
            "API version",
            format!(
                "{:?} is not an API version (such as \"2020-06-06\")",
                truncate(version)
            ),
        ));
    }
    if nonce.is_empty() {
        return Err(Error::invalid("SignatureNonce", "the nonce is empty"));
    }
    if nonce.len() > MAX_NONCE_BYTES || nonce.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::invalid(
            "SignatureNonce",
            format!(
                "the nonce must be 1 to {MAX_NONCE_BYTES} bytes without whitespace or control characters (a UUID)"
            ),
        ));
    }
    if request.method == Method::Get && !request.form.is_empty() {
        return Err(Error::invalid(
            "method",
            "form-body parameters need POST, not GET",
        ));
    }
    let mut has_format = false;
    let all = request
        .query
        .iter()
        .map(|p| (p, MAX_QUERY_VALUE_BYTES, "query"))
        .chain(
            request
                .form
                .iter()
                .map(|p| (p, MAX_FORM_VALUE_BYTES, "form-body")),
        );
    for ((name, value), max, place) in all {
        check_name(name)?;
        if is_reserved(name) {
            return Err(Error::invalid(
                format!("parameter {name:?}"),
                "it is set by the signer and cannot be given as a parameter",
            ));
        }
        if value.len() > max {
            return Err(Error::invalid(
                format!("parameter {name:?}"),
                format!(
                    "the {place} value has {} bytes; at most {max} are allowed",
                    value.len()
                ),
            ));
        }
        has_format |= name == "Format";
    }
    if let Some(name) = first_duplicate(request) {
        return Err(Error::invalid(
            format!("parameter {name:?}"),
            "it is given more than once",
        ));
    }
    for (i, (name, value)) in request.headers.iter().enumerate() {
        check_header(name, value)?;
        if request.headers[..i]
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return Err(Error::invalid(
                format!("header {name:?}"),
                "it is given more than once",
            ));
        }
    }
    Ok(Checked { has_format })
}

/// Parameters the signer sets itself; a caller may not supply them.
fn is_reserved(name: &str) -> bool {
    matches!(
        name,
        "Action"
            | "Version"
            | "AccessKeyId"
            | "Signature"
            | "SignatureMethod"
            | "SignatureVersion"
            | "SignatureNonce"
            | "SignatureType"
            | "Timestamp"
            | "SecurityToken"
    )
}

/// The first parameter name (query or form) given twice.
fn first_duplicate(request: &Request) -> Option<&str> {
    let names = || {
        request
            .query
            .iter()
            .chain(&request.form)
            .map(|(n, _)| n.as_str())
    };
    let n = request.query.len() + request.form.len();
    if n <= 16 {
        names()
            .enumerate()
            .find(|(i, name)| names().take(*i).any(|m| m == *name))
            .map(|(_, name)| name)
    } else {
        let mut sorted: Vec<(&str, &str)> = names().map(|n| (n, "")).collect();
        sort_by_name(&mut sorted);
        sorted.windows(2).find(|w| w[0].0 == w[1].0).map(|w| w[0].0)
    }
}

/// A parameter name: 1 to 256 of `A-Z a-z 0-9 . _ -`.
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::invalid(
            "parameter name",
            "a parameter name is empty",
        ));
    }
    if name.len() > 256
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        return Err(Error::invalid(
            "parameter name",
            format!(
                "{:?} may hold only ASCII letters, digits, '.', '_' and '-' (at most 256)",
                truncate(name)
            ),
        ));
    }
    Ok(())
}

fn check_header(name: &str, value: &str) -> Result<(), Error> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err(Error::invalid(
            "header name",
            format!("{:?} is not an HTTP header name", truncate(name)),
        ));
    }
    let reserved = [
        "host",
        "authorization",
        "content-type",
        "content-length",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "x-acs-security-token",
        "x-acs-accesskey-id",
    ];
    if reserved.iter().any(|r| name.eq_ignore_ascii_case(r)) {
        return Err(Error::invalid(
            format!("header {name:?}"),
            "it is set by the signer",
        ));
    }
    if value.len() > 8192 || value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Error::invalid(
            format!("header {name:?}"),
            "the value holds a line break or NUL, or is longer than 8192 bytes",
        ));
    }
    Ok(())
}

/// The start of a long input, for error messages.
pub(crate) fn truncate(s: &str) -> String {
    const MAX: usize = 64;
    if s.len() <= MAX {
        return s.to_owned();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer::new(
            Credentials::new("testid", "testsecret").unwrap(),
            Endpoint::default(),
        )
    }

    fn ts() -> Timestamp {
        Timestamp::parse("2016-02-23T12:46:24Z").unwrap()
    }

    /// The example of Alibaba's signature documentation (ECS DescribeRegions).
    #[test]
    fn documented_example() {
        let req = Request::new("DescribeRegions")
            .with_api_version("2014-05-26")
            .with_method(Method::Get)
            .param("Format", "XML");
        let s = signer()
            .sign(&req, ts(), "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")
            .unwrap();
        assert_eq!(s.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        assert!(
            s.url
                .ends_with("&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D")
        );
        assert!(!s.url.contains("Format=JSON"));
    }

    #[test]
    fn form_params_are_signed_but_not_in_url() {
        let req = Request::new("SendChatappMessage")
            .param("CustSpaceId", "c")
            .form_param("Content", "a b~*");
        let s = signer().sign(&req, ts(), "n1").unwrap();
        assert_eq!(s.body.as_deref(), Some("Content=a+b~%2A"));
        assert!(!s.url.contains("Content"));
        assert!(s.canonical_query.starts_with(
            "AccessKeyId=testid&Action=SendChatappMessage&Content=a%20b~%2A&CustSpaceId=c&"
        ));
        assert_eq!(
            s.header("Content-Type"),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn bad_inputs_name_the_problem() {
        let s = signer();
        let cases: Vec<(Request, &str, &str)> = vec![
            (Request::new(""), "n", "action"),
            (Request::new("A&B"), "n", "action"),
            (Request::new("A").with_api_version(""), "n", "API version"),
            (Request::new("A"), "", "nonce"),
            (Request::new("A"), "a b", "nonce"),
            (Request::new("A").param("A=B", "1"), "n", "A=B"),
            (
                Request::new("A").param("A\u{1}", "1"),
                "n",
                "parameter name",
            ),
            (Request::new("A").param("", "1"), "n", "empty"),
            (Request::new("A").param("Timestamp", "1"), "n", "Timestamp"),
            (
                Request::new("A").param("X", "1").param("X", "2"),
                "n",
                "more than once",
            ),
            (
                Request::new("A").param("X", "1").form_param("X", "2"),
                "n",
                "more than once",
            ),
            (
                Request::new("A").param("Big", "x".repeat(1 << 20)),
                "n",
                "1048576 bytes",
            ),
            (
                Request::new("A")
                    .with_method(Method::Get)
                    .form_param("X", "1"),
                "n",
                "POST",
            ),
            (Request::new("A").header("x y", "1"), "n", "header"),
            (Request::new("A").header("host", "h"), "n", "signer"),
            (
                Request::new("A").header("x-a", "1\r\nx: y"),
                "n",
                "line break",
            ),
            (
                Request::new("A").header("x-a", "1").header("X-A", "2"),
                "n",
                "more than once",
            ),
        ];
        for (req, nonce, needle) in cases {
            let err = s.sign(&req, ts(), nonce).unwrap_err();
            assert_eq!(err.category(), crate::Category::Validation);
            assert!(err.to_string().contains(needle), "{err} lacks {needle}");
        }
    }

    #[test]
    fn format_and_region_replace_defaults() {
        let req = Request::new("A")
            .param("Format", "XML")
            .param("RegionId", "cn-hangzhou");
        let s = signer().sign(&req, ts(), "n").unwrap();
        assert!(s.canonical_query.contains("Format=XML&"));
        assert!(!s.canonical_query.contains("JSON"));
        assert!(s.canonical_query.contains("RegionId=cn-hangzhou&"));
    }
}

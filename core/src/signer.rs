//! The front door: a [`Signer`] holds credentials and an endpoint, checks a request
//! ([`validate`](crate::validate)), and signs it with 1.0 ([`v1`](crate::v1)) or v3
//! ([`v3`](crate::v3)). Catalog operations are first turned into a [`Request`] by the
//! [`catalog`](crate::catalog).

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::request::{Method, Request, SignatureVersion, SignedRequest};
use crate::spec::RequestSpec;
use crate::timestamp::Timestamp;
use crate::validate::check;

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

    /// Signs what a host described (see [`RequestSpec`]): the path every binding and the
    /// CLI take.
    ///
    /// ```
    /// use camskit::{Credentials, Endpoint, RequestSpec, Signer, Timestamp};
    /// let signer = Signer::new(Credentials::new("id", "secret")?, Endpoint::default());
    /// let spec = RequestSpec::new("ChatappMigrationRegister", vec![
    ///     ("cust_space_id".into(), "cs-1".into()),
    ///     ("PhoneNumber".into(), "8613800001234".into()),
    /// ]);
    /// let signed = signer.sign_spec(&spec, Timestamp::parse("1752480000")?, "n-1")?;
    /// assert!(signed.url.contains("&CustSpaceId=cs-1&"));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`RequestSpec::to_request`]'s, then [`sign`](Self::sign)'s.
    pub fn sign_spec(
        &self,
        spec: &RequestSpec,
        timestamp: Timestamp,
        nonce: &str,
    ) -> Result<SignedRequest, Error> {
        self.sign(&spec.to_request()?, timestamp, nonce)
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
        Ok(match request.signature_version() {
            SignatureVersion::V1 => crate::v1::sign(
                &self.credentials,
                &self.endpoint,
                request,
                &checked,
                &timestamp,
                nonce,
            ),
            SignatureVersion::V3 => {
                crate::v3::sign(&self.credentials, &self.endpoint, request, timestamp, nonce)
            }
        })
    }
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

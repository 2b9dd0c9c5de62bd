//! `Signer::sign` (RPC 1.0 and v3, by a flag bit) on arbitrary action, version, nonce,
//! credentials, endpoint, time, query and form parameters and headers (input layout:
//! `camskit_fuzz::SignInput`).
//!
//! Properties when signing succeeds:
//! - 1.0: the URL query, percent-decoded by an independent decoder, is exactly the query
//!   parameters given plus the signer's common ones (AccessKeyId, Action, Format unless the
//!   caller set it, SignatureMethod, SignatureNonce, SignatureVersion, Timestamp, Version,
//!   SecurityToken when a token is set, Signature last); the form body decodes to the form
//!   parameters; the signature equals an independent HMAC-SHA1 over the independently built
//!   canonical query.
//! - v3: the URL query decodes to the query parameters, the body to the form parameters; the
//!   x-acs-* and host headers hold the action, version, time, nonce, host and token; the
//!   caller's headers are sent as given (names lower-cased); the canonical request rebuilt from
//!   the returned headers, URL and body, and its HMAC-SHA256, match.
//! Signing succeeds exactly when the request follows the documented input rules
//! (`camskit_fuzz::expected_sign_outcome`, an independent statement of them); a failure is an
//! `InvalidInput` error (unusable credentials: a `Credentials` error), never a panic.
#![no_main]

use camskit::{Credentials, Endpoint, Method, Request, SignatureVersion, Signer, Timestamp};
use camskit_fuzz::{SignInput, expected_sign_outcome, sorted, verify_v1, verify_v3};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = SignInput::decode(data) else {
        return;
    };
    let creds = match Credentials::new(input.key_id.as_str(), input.secret.as_str())
        .and_then(|c| c.with_security_token(input.token.as_str()))
    {
        Ok(c) => c,
        Err(e) => {
            assert_eq!(e.category(), camskit::Category::Credentials, "{e:?}");
            let _ = e.to_string();
            return;
        }
    };
    let endpoint = if input.endpoint.is_empty() {
        Endpoint::default()
    } else {
        match Endpoint::parse(&input.endpoint) {
            Ok(e) => e,
            Err(_) => return,
        }
    };
    let timestamp =
        Timestamp::from_unix(input.unix).expect("the decoder folds the time into range");
    let mut req = Request::new(input.action.as_str())
        .with_method(if input.get { Method::Get } else { Method::Post })
        .with_signature(if input.v3 {
            SignatureVersion::V3
        } else {
            SignatureVersion::V1
        });
    if !input.version.is_empty() {
        req = req.with_api_version(input.version.as_str());
    }
    for (n, v) in &input.query {
        req = req.param(n.as_str(), v.as_str());
    }
    for (n, v) in &input.form {
        req = req.form_param(n.as_str(), v.as_str());
    }
    for (n, v) in &input.headers {
        req = req.header(n.as_str(), v.as_str());
    }
    let version = req.api_version().to_owned();
    let expected = expected_sign_outcome(&input, &version);
    let signer = Signer::new(creds, endpoint.clone());
    let signed = match signer.sign(&req, timestamp, &input.nonce) {
        Ok(s) => s,
        Err(e) => {
            let _ = e.to_string();
            assert!(
                matches!(e, camskit::Error::InvalidInput { .. }),
                "sign failed with something else than InvalidInput: {e:?}"
            );
            assert!(expected.is_err(), "sign refused a valid request: {e}");
            return;
        }
    };
    if let Err(rule) = expected {
        panic!("sign accepted a request that breaks the rule on the {rule}");
    }
    let token = (!input.token.is_empty()).then_some(input.token.as_str());
    let base = endpoint.base_url();
    assert_eq!(signed.method, req.method());

    if input.v3 {
        let d = verify_v3(&signed, base, &input.key_id, &input.secret);
        assert_eq!(
            sorted(d.query),
            sorted(input.query.clone()),
            "v3 URL query != params"
        );
        assert_eq!(
            sorted(d.form),
            sorted(input.form.clone()),
            "v3 body != form params"
        );
        let h = |n: &str| signed.header(n);
        assert_eq!(h("host"), Some(endpoint.host()));
        assert_eq!(h("x-acs-action"), Some(input.action.as_str()));
        assert_eq!(h("x-acs-version"), Some(version.as_str()));
        assert_eq!(h("x-acs-date"), Some(timestamp.as_str()));
        assert_eq!(h("x-acs-signature-nonce"), Some(input.nonce.as_str()));
        assert_eq!(h("x-acs-security-token"), token);
        assert_eq!(
            h("x-acs-accesskey-id"),
            token.map(|_| input.key_id.as_str())
        );
        for (n, v) in &input.headers {
            let lower = n.to_ascii_lowercase();
            assert!(d.signed_headers.contains(&lower), "header {n:?} not signed");
            assert_eq!(
                h(&lower),
                Some(v.as_str()),
                "header {n:?} not sent as given"
            );
        }
        let expected_headers = input.headers.len()
            + 6
            + usize::from(!input.form.is_empty())
            + 2 * usize::from(token.is_some())
            + 1;
        assert_eq!(
            signed.headers.len(),
            expected_headers,
            "unexpected headers: {:?}",
            signed.headers
        );
    } else {
        let d = verify_v1(&signed, base, &input.secret);
        let caller_format = input
            .query
            .iter()
            .chain(&input.form)
            .any(|(n, _)| n == "Format");
        let mut expected: Vec<(String, String)> = input.query.clone();
        let mut common = |n: &str, v: &str| expected.push((n.to_owned(), v.to_owned()));
        common("AccessKeyId", &input.key_id);
        common("Action", &input.action);
        if !caller_format {
            common("Format", "JSON");
        }
        common("SignatureMethod", "HMAC-SHA1");
        common("SignatureNonce", &input.nonce);
        common("SignatureVersion", "1.0");
        common("Timestamp", timestamp.as_str());
        common("Version", &version);
        if let Some(t) = token {
            common("SecurityToken", t);
        }
        assert_eq!(
            sorted(d.url_params),
            sorted(expected),
            "1.0 URL query != params + common"
        );
        assert_eq!(
            sorted(d.form),
            sorted(input.form.clone()),
            "1.0 body != form params"
        );
        assert_eq!(d.signature_param, signed.signature);
        for (n, v) in &input.headers {
            assert_eq!(
                signed.header(n),
                Some(v.as_str()),
                "header {n:?} not sent as given"
            );
        }
    }
});

//! RPC signature 1.0 (HMAC-SHA1), shaped like [`v3`](crate::v3): one `sign` from a checked
//! request to a [`SignedRequest`].
//!
//! Every parameter — the signer's common ones (`AccessKeyId`, `Action`, `Format`,
//! `SecurityToken`, `SignatureMethod`, `SignatureNonce`, `SignatureVersion`, `Timestamp`,
//! `Version`), the query's and the form body's — is percent-encoded and sorted by name into
//! the canonical query; the string to sign is `METHOD&%2F&` + that query encoded once more;
//! the signature is `base64(HMAC-SHA1(secret + "&", string to sign))`, sent as the
//! `Signature` query parameter. Form parameters are signed but travel in the body.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::credentials::Credentials;
use crate::encode::{
    canonical, canonical_query_twice, headers_and_body, percent_encode_into, sort_by_name,
};
use crate::endpoint::Endpoint;
use crate::request::{Method, Request, SignatureVersion, SignedRequest};
use crate::timestamp::Timestamp;

/// Signs a request that [`validate::check`](crate::validate) accepted; `has_format` says the
/// caller gave `Format` (which replaces the default `JSON`).
pub(crate) fn sign<'a>(
    creds: &'a Credentials,
    endpoint: &Endpoint,
    request: &'a Request,
    has_format: bool,
    timestamp: &'a Timestamp,
    nonce: &'a str,
) -> SignedRequest {
    // The signer's own parameters, already in name order, then the request's: on the stack
    // for the usual handful, so the only allocations are the outputs.
    let mut fixed: [(&str, &str); 9] = [("", ""); 9];
    let mut n = 0;
    let mut put = |pair: (&'a str, &'a str)| {
        fixed[n] = pair;
        n += 1;
    };
    put(("AccessKeyId", creds.access_key_id()));
    put(("Action", request.action()));
    if !has_format {
        put(("Format", "JSON"));
    }
    if let Some(token) = creds.security_token() {
        put(("SecurityToken", token));
    }
    put(("SignatureMethod", "HMAC-SHA1"));
    put(("SignatureNonce", nonce));
    put(("SignatureVersion", "1.0"));
    put(("Timestamp", timestamp.as_str()));
    put(("Version", request.api_version()));
    let fixed = &fixed[..n];

    let mut query_buf = PairBuf::new(fixed.len() + request.query_params().len());
    let query = query_buf.fill(fixed, request.query_params(), &[]);
    let mut all_buf;
    let signed: &[(&str, &str)] = if request.form_params().is_empty() {
        query
    } else {
        all_buf = PairBuf::new(query.len() + request.form_params().len());
        all_buf.fill(fixed, request.query_params(), request.form_params())
    };

    // The canonical query and the string to sign (which holds it encoded once more) in one
    // pass.
    let prefix = match request.method() {
        Method::Get => "GET&%2F&",
        Method::Post => "POST&%2F&",
    };
    let (canonical_query, string_to_sign) = canonical_query_twice(prefix, signed);
    let signature = hmac_sha1_base64(creds.secret(), &string_to_sign);

    // The URL holds the query parameters only: with a form body, its own canonical form.
    let url_query = if request.form_params().is_empty() {
        None
    } else {
        Some(canonical(query))
    };
    let url_query = url_query.as_deref().unwrap_or(&canonical_query);
    let base = endpoint.base_url();
    let mut url = String::with_capacity(base.len() + url_query.len() + 48);
    url.push_str(base);
    url.push_str("/?");
    url.push_str(url_query);
    url.push_str("&Signature=");
    percent_encode_into(&mut url, &signature);

    let (headers, body) = headers_and_body(request);
    SignedRequest {
        method: request.method(),
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

/// Room for the sorted `name, value` pairs of one request: on the stack up to
/// [`PairBuf::STACK`] pairs, on the heap beyond.
struct PairBuf<'a> {
    stack: [(&'a str, &'a str); PairBuf::STACK],
    heap: Vec<(&'a str, &'a str)>,
    len: usize,
}

impl<'a> PairBuf<'a> {
    const STACK: usize = 24;

    fn new(len: usize) -> Self {
        PairBuf {
            stack: [("", ""); Self::STACK],
            heap: if len > Self::STACK {
                vec![("", ""); len]
            } else {
                Vec::new()
            },
            len,
        }
    }

    /// Copies the signer's pairs (in name order already) and the request's, and sorts them.
    fn fill(
        &mut self,
        fixed: &[(&'a str, &'a str)],
        first: &'a [(String, String)],
        second: &'a [(String, String)],
    ) -> &[(&'a str, &'a str)] {
        let out = if self.len > Self::STACK {
            &mut self.heap[..]
        } else {
            &mut self.stack[..self.len]
        };
        out[..fixed.len()].copy_from_slice(fixed);
        let given = first.iter().chain(second);
        for (slot, (n, v)) in out[fixed.len()..].iter_mut().zip(given) {
            *slot = (n.as_str(), v.as_str());
        }
        sort_by_name(out);
        out
    }
}

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
    QueryPart, canonical, canonical_query_twice, headers_and_body, name_order, percent_encode_into,
    sort_parts_by_name,
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
    // for the usual handful, so the only allocations are the outputs. The signer's names come
    // with their `name=` / `name%3D` heads, and values known to need no escape (the action and
    // version were checked to be letters, digits, `.`, `_`, `-`; the constants) are not scanned.
    fn own<'v>(
        name: &'static str,
        head: (&'static str, &'static str),
        value: &'v str,
        clean: bool,
    ) -> QueryPart<'v> {
        QueryPart {
            name,
            value,
            head: Some(head),
            clean,
        }
    }
    let blank = QueryPart::given("", "");
    let mut fixed: [QueryPart<'a>; 9] = [blank; 9];
    let mut n = 0;
    let mut put = |part: QueryPart<'a>| {
        fixed[n] = part;
        n += 1;
    };
    put(own(
        "AccessKeyId",
        ("AccessKeyId=", "AccessKeyId%3D"),
        creds.access_key_id(),
        false,
    ));
    put(own(
        "Action",
        ("Action=", "Action%3D"),
        request.action(),
        true,
    ));
    if !has_format {
        put(own("Format", ("Format=", "Format%3D"), "JSON", true));
    }
    if let Some(token) = creds.security_token() {
        put(own(
            "SecurityToken",
            ("SecurityToken=", "SecurityToken%3D"),
            token,
            false,
        ));
    }
    put(own(
        "SignatureMethod",
        ("SignatureMethod=", "SignatureMethod%3D"),
        "HMAC-SHA1",
        true,
    ));
    put(own(
        "SignatureNonce",
        ("SignatureNonce=", "SignatureNonce%3D"),
        nonce,
        false,
    ));
    put(own(
        "SignatureVersion",
        ("SignatureVersion=", "SignatureVersion%3D"),
        "1.0",
        true,
    ));
    put(own(
        "Timestamp",
        ("Timestamp=", "Timestamp%3D"),
        timestamp.as_str(),
        false,
    ));
    put(own(
        "Version",
        ("Version=", "Version%3D"),
        request.api_version(),
        true,
    ));
    let fixed = &fixed[..n];

    let mut query_buf = PairBuf::new(fixed.len() + request.query_params().len());
    let query = query_buf.fill(fixed, request.query_params(), &[]);
    let mut all_buf;
    let signed: &[QueryPart<'_>] = if request.form_params().is_empty() {
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
        let pairs: Vec<(&str, &str)> = query.iter().map(|p| (p.name, p.value)).collect();
        Some(canonical(&pairs))
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

/// Room for the sorted parts of one request's query: on the stack up to [`PairBuf::STACK`],
/// on the heap beyond.
struct PairBuf<'a> {
    stack: [QueryPart<'a>; PairBuf::STACK],
    heap: Vec<QueryPart<'a>>,
    len: usize,
}

impl<'a> PairBuf<'a> {
    const STACK: usize = 16;

    fn new(len: usize) -> Self {
        let blank = QueryPart::given("", "");
        PairBuf {
            stack: [blank; Self::STACK],
            heap: if len > Self::STACK {
                vec![blank; len]
            } else {
                Vec::new()
            },
            len,
        }
    }

    /// Copies the signer's parts (in name order already) and the request's, and sorts them.
    fn fill(
        &mut self,
        fixed: &[QueryPart<'a>],
        first: &'a [(String, String)],
        second: &'a [(String, String)],
    ) -> &[QueryPart<'a>] {
        let out = if self.len > Self::STACK {
            &mut self.heap[..]
        } else {
            &mut self.stack[..self.len]
        };
        // The request's parts at the front, sorted among themselves (usually a handful), then
        // merged from the back with the signer's (sorted already): each part moves once.
        let g = out.len() - fixed.len();
        let given = first.iter().chain(second);
        for (slot, (n, v)) in out[..g].iter_mut().zip(given) {
            *slot = QueryPart::given(n, v);
        }
        sort_parts_by_name(&mut out[..g]);
        // `i` signer's parts and `j` request's parts (out[..j]) are left; the next write goes to
        // i + j - 1 >= j - 1, so no unread part of the request's is overwritten.
        let (mut i, mut j) = (fixed.len(), g);
        while i > 0 {
            let w = i + j - 1;
            if j > 0 && name_order(out[j - 1].name, fixed[i - 1].name).is_gt() {
                out[w] = out[j - 1];
                j -= 1;
            } else {
                out[w] = fixed[i - 1];
                i -= 1;
            }
        }
        out
    }
}

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
use hmac::Mac;

use crate::credentials::Credentials;
use crate::encode::{QueryWriter, headers_and_body, name_order};
use crate::endpoint::Endpoint;
use crate::request::{Method, Request, SignatureVersion, SignedRequest};
use crate::timestamp::Timestamp;
use crate::validate::Checked;

/// Signs a request that [`validate::check`](crate::validate) accepted, with what the check
/// learnt (`Format` given, which replaces the default `JSON`; a nonce with nothing to escape).
pub(crate) fn sign(
    creds: &Credentials,
    endpoint: &Endpoint,
    request: &Request,
    checked: &Checked,
    timestamp: &Timestamp,
    nonce: &str,
) -> SignedRequest {
    let (query, form) = (request.query_params(), request.form_params());
    let prefix = match request.method() {
        Method::Get => "GET&%2F&",
        Method::Post => "POST&%2F&",
    };
    // Every parameter is signed (query and form); the URL holds the query parameters only:
    // with a form body, its own canonical form, written by the same pass (its second encoding
    // unused).
    let own = Own {
        creds,
        request,
        checked,
        timestamp,
        nonce,
    };
    let (canonical_query, string_to_sign) = own.canonical_query_twice(prefix, query, form);
    let url_query = if form.is_empty() {
        None
    } else {
        Some(own.canonical_query_twice("", query, &[]).0)
    };
    let signature = hmac_sha1_base64(creds, &string_to_sign);

    let url_query = url_query.as_deref().unwrap_or(&canonical_query);
    let base = endpoint.base_url();
    let mut url = String::with_capacity(base.len() + url_query.len() + 48);
    url.push_str(base);
    url.push_str("/?");
    url.push_str(url_query);
    url.push_str("&Signature=");
    push_base64_escaped(&mut url, &signature);

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

/// How many of a request's parameters are sorted on the stack.
const STACK: usize = 16;
static NONE: (String, String) = (String::new(), String::new());

/// What the signer adds to a request's parameters: its own, in name order.
struct Own<'a> {
    creds: &'a Credentials,
    request: &'a Request,
    checked: &'a Checked,
    timestamp: &'a Timestamp,
    nonce: &'a str,
}

impl Own<'_> {
    /// The canonical query of `first` and `second` (the request's parameters, unsorted) with
    /// the signer's own, and `prefix` + that query encoded once more, in one pass: the
    /// request's parameters are sorted by reference (on the stack for the usual handful) and
    /// merged with the signer's, which are written in name order with their names as literals.
    /// The request cannot give the signer's names (checked) but `Format`, which then replaces
    /// the default.
    fn canonical_query_twice(
        &self,
        prefix: &str,
        first: &[(String, String)],
        second: &[(String, String)],
    ) -> (String, String) {
        let Own {
            creds,
            request,
            checked,
            timestamp,
            nonce,
        } = *self;
        let count = first.len() + second.len();
        let mut stack: [&(String, String); STACK] = [&NONE; STACK];
        let mut heap = Vec::new();
        let given: &mut [&(String, String)] = if count <= STACK {
            &mut stack[..count]
        } else {
            heap.resize(count, &NONE);
            &mut heap
        };
        for (slot, pair) in given.iter_mut().zip(first.iter().chain(second)) {
            *slot = pair;
        }
        given.sort_unstable_by(|a, b| name_order(&a.0, &b.0));

        let token = creds.security_token();
        let key_id = creds.access_key_id();
        let raw = given
            .iter()
            .map(|(n, v)| n.len() + v.len() + 2)
            .sum::<usize>()
            + key_id.len()
            + token.map_or(0, str::len)
            + request.action().len()
            + request.api_version().len()
            + nonce.len()
            + 160;
        let mut w = QueryWriter::new(prefix, raw);
        let mut next = given.iter();
        let mut pending = next.next();
        let mut flush_before = |w: &mut QueryWriter, own: &str| {
            while let Some((name, value)) = pending {
                if name_order(name, own).is_gt() {
                    break;
                }
                w.given(name, value);
                pending = next.next();
            }
        };
        flush_before(&mut w, "AccessKeyId");
        if creds.id_is_clean() {
            w.own_clean("AccessKeyId=", "AccessKeyId%3D", key_id);
        } else {
            w.own("AccessKeyId=", "AccessKeyId%3D", key_id);
        }
        flush_before(&mut w, "Action");
        w.own_clean("Action=", "Action%3D", request.action());
        if !checked.has_format {
            flush_before(&mut w, "Format");
            w.constant("Format=JSON", "Format%3DJSON");
        }
        if let Some(token) = token {
            flush_before(&mut w, "SecurityToken");
            w.own("SecurityToken=", "SecurityToken%3D", token);
        }
        flush_before(&mut w, "SignatureMethod");
        w.constant("SignatureMethod=HMAC-SHA1", "SignatureMethod%3DHMAC-SHA1");
        flush_before(&mut w, "SignatureNonce");
        if checked.nonce_clean {
            w.own_clean("SignatureNonce=", "SignatureNonce%3D", nonce);
        } else {
            w.own("SignatureNonce=", "SignatureNonce%3D", nonce);
        }
        flush_before(&mut w, "SignatureVersion");
        w.constant("SignatureVersion=1.0", "SignatureVersion%3D1.0");
        flush_before(&mut w, "Timestamp");
        w.timestamp(timestamp.as_str());
        flush_before(&mut w, "Version");
        w.own_clean("Version=", "Version%3D", request.api_version());
        for (name, value) in pending.into_iter().chain(next) {
            w.given(name, value);
        }
        w.finish()
    }
}

/// Appends base64 text percent-encoded: of its alphabet only `+`, `/` and `=` are escaped
/// ([`percent_encode_into`](crate::encode::percent_encode_into) gives the same for any text; this skips its scan of a value whose
/// other bytes are all unreserved).
fn push_base64_escaped(out: &mut String, base64: &str) {
    let mut run = 0;
    for (i, b) in base64.bytes().enumerate() {
        let escape = match b {
            b'+' => "%2B",
            b'/' => "%2F",
            b'=' => "%3D",
            _ => continue,
        };
        // ASCII: every index is a char boundary.
        out.push_str(&base64[run..i]);
        out.push_str(escape);
        run = i + 1;
    }
    out.push_str(&base64[run..]);
}

/// `base64(HMAC-SHA1(secret + "&", string_to_sign))`, from the credentials' keyed state.
fn hmac_sha1_base64(creds: &Credentials, string_to_sign: &str) -> String {
    let mut mac = creds.v1_mac();
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The URL's escape of a signature is percent-encoding's.
    #[test]
    fn base64_escape_is_percent_encoding() {
        for text in [
            "",
            "abc",
            "+/=",
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
            "a+b/c==",
            "/x+",
        ] {
            let mut out = String::from("p");
            push_base64_escaped(&mut out, text);
            assert_eq!(
                out,
                format!("p{}", crate::encode::percent_encode(text)),
                "{text}"
            );
        }
    }
}

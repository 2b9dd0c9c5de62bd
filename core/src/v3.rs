//! Signature v3: ACS3-HMAC-SHA256, as `alibabacloud-tea-openapi` sends it for RPC-style
//! operations.
//!
//! The parameters stay in the query (and the form body); the action, version, time and
//! nonce travel as `x-acs-*` headers. Every header camskit returns is signed: lower-cased
//! names, sorted, values trimmed (in the canonical form; sent as given). By default those are `host`, `content-type` (with a body)
//! and the `x-acs-*` headers — the set Alibaba's Node SDK signs; headers a caller adds (such
//! as `user-agent` or `accept`, which the Python SDK also signs) are signed as well, so the
//! host's HTTP client must send them exactly. The canonical request is
//! `METHOD\n/\nCANONICAL_QUERY\nCANONICAL_HEADERS\nSIGNED_HEADERS\nHEX(SHA256(body))`, the
//! string to sign `ACS3-HMAC-SHA256\n` + hex SHA-256 of it, and the signature the hex
//! HMAC-SHA256 of that with the secret.

use std::borrow::Cow;

use hmac::Mac;
use sha2::{Digest, Sha256};

use crate::credentials::Credentials;
use crate::encode::{canonical_pairs, headers_and_body};
use crate::endpoint::Endpoint;
use crate::request::{Request, SignatureVersion, SignedRequest};
use crate::timestamp::Timestamp;

/// The algorithm name, first line of the string to sign and of the `Authorization` header.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

pub(crate) fn sign(
    creds: &Credentials,
    endpoint: &Endpoint,
    request: &Request,
    timestamp: Timestamp,
    nonce: &str,
) -> SignedRequest {
    let canonical_query = canonical_pairs(request.query_params());

    let (mut headers, body) = headers_and_body(request);
    // Room for the signer's headers and `authorization`: no regrowth below.
    headers.reserve(9);
    // The hex SHA-256 of the body; most calls have none, whose hash is a constant.
    let mut payload_buf = [0u8; 64];
    let payload_hash: &str = match body.as_deref() {
        None | Some("") => EMPTY_SHA256,
        Some(body) => hex_into(&mut payload_buf, &Sha256::digest(body.as_bytes())),
    };
    headers.push((Cow::Borrowed("host"), endpoint.host().to_owned()));
    headers.push((Cow::Borrowed("x-acs-action"), request.action().to_owned()));
    headers.push((
        Cow::Borrowed("x-acs-version"),
        request.api_version().to_owned(),
    ));
    headers.push((Cow::Borrowed("x-acs-date"), timestamp.as_str().to_owned()));
    headers.push((Cow::Borrowed("x-acs-signature-nonce"), nonce.to_owned()));
    headers.push((
        Cow::Borrowed("x-acs-content-sha256"),
        payload_hash.to_owned(),
    ));
    if let Some(token) = creds.security_token() {
        headers.push((
            Cow::Borrowed("x-acs-accesskey-id"),
            creds.access_key_id().to_owned(),
        ));
        headers.push((Cow::Borrowed("x-acs-security-token"), token.to_owned()));
    }
    // Usually a handful of headers: an insertion sort in place (no copies); many headers (a
    // caller may add thousands) take the library sort, so the work stays O(n log n).
    if headers.len() <= 32 {
        for i in 1..headers.len() {
            let mut j = i;
            while j > 0 && headers[j - 1].0 > headers[j].0 {
                headers.swap(j - 1, j);
                j -= 1;
            }
        }
    } else {
        headers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }

    let method = request.method().as_str();
    let mut canonical_request = String::with_capacity(
        canonical_query.len()
            + headers
                .iter()
                .map(|(n, v)| 2 * n.len() + v.len() + 3)
                .sum::<usize>()
            + 80,
    );
    canonical_request.push_str(method);
    canonical_request.push_str("\n/\n");
    canonical_request.push_str(&canonical_query);
    canonical_request.push('\n');
    for (name, value) in &headers {
        canonical_request.push_str(name);
        canonical_request.push(':');
        // Values are sent as given and signed trimmed, as the official clients do.
        canonical_request.push_str(value.trim());
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    // The signed headers' list, kept as a range of the canonical request for the
    // `Authorization` header.
    let listed = canonical_request.len();
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            canonical_request.push(';');
        }
        canonical_request.push_str(name);
    }
    let signed_headers = listed..canonical_request.len();
    canonical_request.push('\n');
    canonical_request.push_str(payload_hash);

    let mut string_to_sign = String::with_capacity(ALGORITHM.len() + 1 + 64);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    let mut hash_buf = [0u8; 64];
    string_to_sign.push_str(hex_into(
        &mut hash_buf,
        &Sha256::digest(canonical_request.as_bytes()),
    ));
    let mut mac = creds.v3_mac();
    mac.update(string_to_sign.as_bytes());
    let signature = hex_into(&mut hash_buf, &mac.finalize().into_bytes()).to_owned();

    let key_id = creds.access_key_id();
    let mut authorization = String::with_capacity(
        ALGORITHM.len() + key_id.len() + signed_headers.len() + signature.len() + 40,
    );
    for piece in [
        ALGORITHM,
        " Credential=",
        key_id,
        ",SignedHeaders=",
        &canonical_request[signed_headers],
        ",Signature=",
        &signature,
    ] {
        authorization.push_str(piece);
    }
    headers.push((Cow::Borrowed("authorization"), authorization));

    let base = endpoint.base_url();
    let mut url = String::with_capacity(base.len() + 2 + canonical_query.len());
    url.push_str(base);
    url.push('/');
    if !canonical_query.is_empty() {
        url.push('?');
        url.push_str(&canonical_query);
    }
    SignedRequest {
        method: request.method(),
        url,
        headers,
        body,
        canonical_query,
        canonical_request: Some(canonical_request),
        string_to_sign,
        signature,
        signature_version: SignatureVersion::V3,
    }
}

/// The hex SHA-256 of nothing: the `x-acs-content-sha256` of a request without a body.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// The lower-case hex of a digest (at most 32 bytes), written into `buf`. `hex::encode`
/// pushes one char at a time, which costs more than the hashing itself in a size-optimised
/// WebAssembly build.
fn hex_into<'b>(buf: &'b mut [u8; 64], bytes: &[u8]) -> &'b str {
    let n = bytes.len().min(32);
    let out = &mut buf[..2 * n];
    match hex::encode_to_slice(&bytes[..n], out) {
        Ok(()) => std::str::from_utf8(out).unwrap_or_default(),
        Err(_) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_hash_is_the_sha256_of_nothing() {
        let mut buf = [0u8; 64];
        assert_eq!(hex_into(&mut buf, &Sha256::digest(b"")), EMPTY_SHA256);
        assert_eq!(
            hex_into(&mut buf, &[0xab, 0x01]),
            "ab01",
            "short digests are written whole"
        );
    }
}

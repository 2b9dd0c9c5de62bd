//! What the fuzz targets share: independent reference implementations of Alibaba Cloud's
//! percent-encoding and of both signatures (written from the published rules, using the
//! hmac/sha1/sha2/base64 crates directly, never camskit's code), and the decoders that turn
//! fuzz bytes into inputs.
//!
//! Every check panics with a message naming the property that failed: libFuzzer then saves
//! the input as a crash.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

/// Alibaba's unreserved bytes: `A-Z a-z 0-9 - _ . ~`.
pub fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Percent-encodes every byte of the UTF-8 text but the unreserved ones, as `%XX` with
/// upper-case hex (so a space is `%20`, `*` is `%2A`).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        if unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX_UPPER[(b >> 4) as usize] as char);
            out.push(HEX_UPPER[(b & 15) as usize] as char);
        }
    }
    out
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes a component of a canonical query, strictly: only unreserved bytes and `%XX` with
/// upper-case hex may appear (`plus_is_space` for a form body, where `+` is a space). Any
/// other byte, a lower-case or short escape, or a result that is not UTF-8 is an error: the
/// signer must write canonical text.
pub fn dec(s: &str, plus_is_space: bool) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            let hi = b.get(i + 1).copied().and_then(hex_val);
            let lo = b.get(i + 2).copied().and_then(hex_val);
            match (hi, lo) {
                (Some(h), Some(l)) => out.push(h << 4 | l),
                _ => return Err(format!("bad escape at byte {i} of {s:?}")),
            }
            i += 3;
        } else if plus_is_space && c == b'+' {
            out.push(b' ');
            i += 1;
        } else if unreserved(c) {
            out.push(c);
            i += 1;
        } else {
            return Err(format!("unescaped byte {c:#04x} at {i} of {s:?}"));
        }
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} does not decode to UTF-8"))
}

/// Splits `a=b&c=d` and decodes each side; every pair must have exactly one `=`.
pub fn decode_pairs(q: &str, plus_is_space: bool) -> Result<Vec<(String, String)>, String> {
    if q.is_empty() {
        return Ok(Vec::new());
    }
    q.split('&')
        .map(|pair| {
            let (n, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("no '=' in {pair:?}"))?;
            Ok((dec(n, plus_is_space)?, dec(v, plus_is_space)?))
        })
        .collect()
}

/// `enc(name)=enc(value)&...`, sorted by encoded name (then value, for a total order).
pub fn canonical(pairs: &[(String, String)]) -> String {
    let mut e: Vec<(String, String)> = pairs.iter().map(|(n, v)| (enc(n), enc(v))).collect();
    e.sort();
    e.iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Sorted copy, to compare lists of pairs as multisets.
pub fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

pub fn lower_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

// ---------------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------------

/// RPC signature 1.0: `(canonical query, string to sign, base64 HMAC-SHA1 with secret + "&")`.
pub fn rpc_v1(method: &str, secret: &str, params: &[(String, String)]) -> (String, String, String) {
    let canonical = canonical(params);
    let sts = format!("{method}&%2F&{}", enc(&canonical));
    let mut key = secret.as_bytes().to_vec();
    key.push(b'&');
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).unwrap();
    mac.update(sts.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    (canonical, sts, sig)
}

pub fn hmac_sha256_hex(key: &str, msg: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(msg.as_bytes());
    lower_hex(&mac.finalize().into_bytes())
}

pub fn sha256_hex(data: &[u8]) -> String {
    lower_hex(&Sha256::digest(data))
}

/// The query of `url` after `base/?` (`None`: `base/` with no query). Panics if the URL does
/// not start with the endpoint's base URL and `/`.
pub fn url_query<'a>(url: &'a str, base: &str) -> Option<&'a str> {
    let rest = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("URL {url:?} does not start with the base URL {base:?}"));
    match rest {
        "/" => None,
        _ => Some(
            rest.strip_prefix("/?")
                .unwrap_or_else(|| panic!("URL {url:?}: after the base comes neither / nor /?")),
        ),
    }
}

/// What a signed RPC 1.0 request holds, decoded: the URL's parameters (without `Signature`),
/// the `Signature` parameter, and the form body's parameters.
pub struct V1Decoded {
    pub url_params: Vec<(String, String)>,
    pub signature_param: String,
    pub form: Vec<(String, String)>,
}

/// Checks a signed RPC 1.0 request against the independent implementation, from what was
/// returned only (URL, body); the caller compares the decoded parameters with its inputs.
pub fn verify_v1(signed: &camskit::SignedRequest, base_url: &str, secret: &str) -> V1Decoded {
    assert_eq!(signed.signature_version, camskit::SignatureVersion::V1);
    assert!(
        signed.canonical_request.is_none(),
        "1.0 has no canonical request"
    );
    let q = url_query(&signed.url, base_url).expect("a 1.0 URL always has a query");
    let mut url_params = decode_pairs(q, false).unwrap_or_else(|e| panic!("URL query: {e}"));
    // The query must be canonical text: re-encoding what it decodes to gives it back.
    let reencoded = url_params
        .iter()
        .map(|(n, v)| format!("{}={}", enc(n), enc(v)))
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(reencoded, q, "the URL query is not canonically encoded");
    let (last_name, signature_param) = url_params.pop().expect("a 1.0 URL has parameters");
    assert_eq!(
        last_name, "Signature",
        "the URL must end with the Signature parameter"
    );
    let names: Vec<&str> = url_params.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.windows(2).all(|w| enc(w[0]) < enc(w[1])),
        "the URL parameters are not sorted by encoded name (or repeat): {names:?}"
    );
    let form = match &signed.body {
        None => Vec::new(),
        Some(body) => {
            assert_eq!(
                signed.header("content-type"),
                Some("application/x-www-form-urlencoded"),
                "a form body needs its content type"
            );
            let f = decode_pairs(body, true).unwrap_or_else(|e| panic!("form body: {e}"));
            assert!(!f.is_empty(), "a body is only sent with form parameters");
            f
        }
    };
    let mut all = url_params.clone();
    all.extend(form.iter().cloned());
    let (canonical, sts, sig) = rpc_v1(signed.method.as_str(), secret, &all);
    assert_eq!(signed.canonical_query, canonical, "canonical query differs");
    assert_eq!(signed.string_to_sign, sts, "string to sign differs");
    assert_eq!(
        signed.signature, sig,
        "1.0 signature differs from the independent HMAC-SHA1"
    );
    assert_eq!(
        signature_param, sig,
        "the URL's Signature is not the signature"
    );
    V1Decoded {
        url_params,
        signature_param,
        form,
    }
}

/// What a signed v3 request holds, decoded.
pub struct V3Decoded {
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub signed_headers: Vec<String>,
}

/// Checks a signed ACS3-HMAC-SHA256 request: rebuilds the canonical request from the returned
/// URL, headers and body, and the signature with HMAC-SHA256.
pub fn verify_v3(
    signed: &camskit::SignedRequest,
    base_url: &str,
    key_id: &str,
    secret: &str,
) -> V3Decoded {
    assert_eq!(signed.signature_version, camskit::SignatureVersion::V3);
    let auth = signed
        .header("authorization")
        .expect("v3 needs an Authorization header");
    let rest = auth
        .strip_prefix("ACS3-HMAC-SHA256 Credential=")
        .unwrap_or_else(|| panic!("Authorization {auth:?} has the wrong start"));
    // The key id holds no whitespace or control characters but may hold ',': split from the
    // right.
    let (rest, sig) = rest
        .rsplit_once(",Signature=")
        .unwrap_or_else(|| panic!("Authorization {auth:?} lacks Signature"));
    let (cred, signed_list) = rest
        .rsplit_once(",SignedHeaders=")
        .unwrap_or_else(|| panic!("Authorization {auth:?} lacks SignedHeaders"));
    assert_eq!(cred, key_id, "Credential is not the access key id");
    let signed_headers: Vec<String> = signed_list.split(';').map(str::to_owned).collect();
    assert!(
        signed_headers.windows(2).all(|w| w[0] < w[1]),
        "SignedHeaders not sorted or repeated: {signed_list:?}"
    );
    for h in &signed_headers {
        assert_eq!(
            h,
            &h.to_ascii_lowercase(),
            "signed header {h:?} is not lower case"
        );
    }
    // Every returned header but Authorization is signed, and names are lower case.
    let mut names: Vec<String> = signed
        .headers
        .iter()
        .map(|(n, _)| n.to_string())
        .filter(|n| n != "authorization")
        .collect();
    for n in &names {
        assert_eq!(
            n,
            &n.to_ascii_lowercase(),
            "header name {n:?} is not lower case"
        );
    }
    names.sort();
    assert_eq!(
        names, signed_headers,
        "the signed headers are not the headers sent"
    );

    let query_text = url_query(&signed.url, base_url).unwrap_or("");
    let query = decode_pairs(query_text, false).unwrap_or_else(|e| panic!("URL query: {e}"));
    assert_eq!(
        canonical(&query),
        query_text,
        "the URL query is not canonical"
    );
    assert_eq!(signed.canonical_query, query_text);

    let body = signed.body.as_deref().unwrap_or("");
    let form = match &signed.body {
        None => Vec::new(),
        Some(b) => decode_pairs(b, true).unwrap_or_else(|e| panic!("form body: {e}")),
    };
    let payload = sha256_hex(body.as_bytes());
    assert_eq!(
        signed.header("x-acs-content-sha256"),
        Some(payload.as_str()),
        "x-acs-content-sha256 is not the body's hash"
    );

    let mut cr = format!("{}\n/\n{}\n", signed.method.as_str(), query_text);
    for name in &signed_headers {
        let value = signed
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap();
        cr.push_str(&format!("{name}:{}\n", value.trim()));
    }
    cr.push_str(&format!("\n{signed_list}\n{payload}"));
    assert_eq!(
        signed.canonical_request.as_deref(),
        Some(cr.as_str()),
        "canonical request differs"
    );
    let sts = format!("ACS3-HMAC-SHA256\n{}", sha256_hex(cr.as_bytes()));
    assert_eq!(signed.string_to_sign, sts, "v3 string to sign differs");
    let expected = hmac_sha256_hex(secret, &sts);
    assert_eq!(
        sig, expected,
        "the Authorization signature differs from HMAC-SHA256"
    );
    assert_eq!(signed.signature, expected);
    V3Decoded {
        query,
        form,
        signed_headers,
    }
}

// ---------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------

/// Separates fields of the `sign` input: 0xFF never occurs in UTF-8, so a seed written from a
/// vector decodes back exactly (see `seeds.py`).
pub const SEP: u8 = 0xFF;

/// One `sign` input. Layout: a flags byte (bit 0: v3, bit 1: GET), five bytes of big-endian
/// unix time (modulo the year 10000), then fields separated by 0xFF: action, API version, nonce, access key id,
/// secret, security token, endpoint, then pairs `KIND+NAME`, `VALUE` where KIND is `q`
/// (query), `f` (form) or `h` (header). Missing fields take the defaults below; an empty
/// version or endpoint means the default one.
#[derive(Debug, Clone)]
pub struct SignInput {
    pub v3: bool,
    pub get: bool,
    pub unix: i64,
    pub action: String,
    pub version: String,
    pub nonce: String,
    pub key_id: String,
    pub secret: String,
    pub token: String,
    pub endpoint: String,
    pub query: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
}

impl SignInput {
    pub fn decode(data: &[u8]) -> Option<SignInput> {
        if data.len() < 6 {
            return None;
        }
        let flags = data[0];
        let secs = data[1..6].iter().fold(0i64, |n, &b| n << 8 | i64::from(b));
        // Folded into what `Timestamp::from_unix` accepts (up to 9999-12-31T23:59:59Z).
        let unix = secs % 253_402_300_800;
        let mut fields = data[6..]
            .split(|&b| b == SEP)
            .map(|f| String::from_utf8_lossy(f).into_owned());
        let mut next = |default: &str| fields.next().unwrap_or_else(|| default.to_owned());
        let mut input = SignInput {
            v3: flags & 1 != 0,
            get: flags & 2 != 0,
            unix,
            action: next("SendChatappMessage"),
            version: next(""),
            nonce: next("6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21"),
            key_id: next("LTAI5tCamsKitFuzz"),
            secret: next("FuzzSecret0123456789"),
            token: next(""),
            endpoint: next(""),
            query: Vec::new(),
            form: Vec::new(),
            headers: Vec::new(),
        };
        loop {
            let Some(tagged) = fields.next() else { break };
            let value = fields.next().unwrap_or_default();
            let mut chars = tagged.chars();
            let kind = chars.next();
            let name = chars.as_str().to_owned();
            match kind {
                Some('f') => input.form.push((name, value)),
                Some('h') => input.headers.push((name, value)),
                _ => input.query.push((name, value)),
            }
        }
        Some(input)
    }
}

/// Builds a JSON value from fuzz bytes; `depth` levels of arrays and objects at most.
pub fn arbitrary_json(
    u: &mut arbitrary::Unstructured<'_>,
    depth: usize,
) -> arbitrary::Result<serde_json::Value> {
    use serde_json::Value;
    let tag: u8 = u.arbitrary()?;
    Ok(match tag % 8 {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::from(u.arbitrary::<i64>()?),
        3 => serde_json::Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        4 | 5 => Value::String(u.arbitrary()?),
        // A chain: one level deeper per byte, so deep nesting is cheap to reach.
        6 if depth > 0 => Value::Array(
            (0..u.int_in_range(0..=3u8)?)
                .map(|_| arbitrary_json(u, depth - 1))
                .collect::<arbitrary::Result<_>>()?,
        ),
        7 if depth > 0 => {
            let mut m = serde_json::Map::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                let k: String = u.arbitrary()?;
                m.insert(k, arbitrary_json(u, depth - 1)?);
            }
            Value::Object(m)
        }
        _ => Value::String(String::new()),
    })
}

/// Whether `Signer::sign` must accept a request, from the rules its documentation states
/// (written independently of its `check`): action 1-128 ASCII letters and digits; API version
/// 1-32 of letters, digits, `-._`; nonce 1-128 bytes without whitespace or control
/// characters; parameter names 1-256 of letters, digits, `._-`, none reserved by the signer,
/// none given twice (query and form together); query values up to 32 KiB, form values up to
/// 512 KiB; no form on GET; header names HTTP tokens of 1-256 bytes, not set by the signer,
/// not repeated in any case; header values up to 8192 bytes without control characters but
/// tab. `Err` names the first rule broken.
pub fn expected_sign_outcome(i: &SignInput, version: &str) -> Result<(), &'static str> {
    let alnum = |s: &str, extra: &[u8]| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
    };
    if i.action.is_empty() || i.action.len() > 128 || !alnum(&i.action, b"") {
        return Err("action");
    }
    if version.is_empty() || version.len() > 32 || !alnum(version, b"-._") {
        return Err("version");
    }
    if i.nonce.is_empty()
        || i.nonce.len() > 128
        || i.nonce.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("nonce");
    }
    if i.get && !i.form.is_empty() {
        return Err("form on GET");
    }
    const RESERVED: [&str; 10] = [
        "AccessKeyId",
        "Action",
        "Signature",
        "SignatureMethod",
        "SignatureNonce",
        "SignatureType",
        "SignatureVersion",
        "SecurityToken",
        "Timestamp",
        "Version",
    ];
    let mut seen = std::collections::HashSet::new();
    let params = i
        .query
        .iter()
        .map(|p| (p, 32 * 1024))
        .chain(i.form.iter().map(|p| (p, 512 * 1024)));
    for ((name, value), max) in params {
        if name.is_empty() || name.len() > 256 || !alnum(name, b"._-") {
            return Err("parameter name");
        }
        if RESERVED.contains(&name.as_str()) {
            return Err("reserved parameter");
        }
        if value.len() > max {
            return Err("value too large");
        }
        if !seen.insert(name.as_str()) {
            return Err("parameter repeated");
        }
    }
    const SET_BY_SIGNER: [&str; 11] = [
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
    let mut headers = std::collections::HashSet::new();
    for (name, value) in &i.headers {
        if name.is_empty() || name.len() > 256 || !alnum(name, b"!#$%&'*+-.^_`|~") {
            return Err("header name");
        }
        let lower = name.to_ascii_lowercase();
        if SET_BY_SIGNER.contains(&lower.as_str()) {
            return Err("header set by the signer");
        }
        if value.len() > 8192 || value.chars().any(|c| c.is_control() && c != '\t') {
            return Err("header value");
        }
        if !headers.insert(lower) {
            return Err("header repeated");
        }
    }
    Ok(())
}

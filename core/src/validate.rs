//! Checks on an unsigned request that do not depend on the signature version: the action,
//! the API version, the nonce, parameter names and sizes, repeated or reserved parameters,
//! and extra headers. Every check runs before anything is signed, in time linear in the
//! request's size (up to a sort), and every message cuts what it echoes.

use crate::error::{Error, truncate};
use crate::request::{MAX_FORM_VALUE_BYTES, MAX_QUERY_VALUE_BYTES, Method, Request};

/// The longest nonce accepted, in bytes.
pub const MAX_NONCE_BYTES: usize = 128;

/// The longest action name accepted, in bytes.
pub const MAX_ACTION_BYTES: usize = 128;

/// The longest parameter name accepted, in bytes.
pub const MAX_PARAM_NAME_BYTES: usize = 256;

/// The longest header value accepted, in bytes.
pub const MAX_HEADER_VALUE_BYTES: usize = 8192;

/// Headers the signer sets itself; a caller may not give them.
pub const SIGNER_HEADERS: [&str; 11] = [
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

/// Parameters the signer sets itself; a caller may not give them.
pub const SIGNER_PARAMS: [&str; 10] = [
    "Action",
    "Version",
    "AccessKeyId",
    "Signature",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
];

/// Is `name` one of [`SIGNER_PARAMS`]? (A `match`: the compiler switches on the length before
/// comparing bytes, which the signing hot path feels.)
fn is_signer_param(name: &str) -> bool {
    let found = matches!(
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
    );
    debug_assert_eq!(found, SIGNER_PARAMS.contains(&name));
    found
}

/// What [`check`] learnt about a request.
pub(crate) struct Checked {
    /// The caller set `Format` (which then replaces the default `JSON`).
    pub(crate) has_format: bool,
    /// The nonce holds only unreserved bytes (a UUID does): the signer copies it unscanned.
    pub(crate) nonce_clean: bool,
}

/// Checks everything about a request that does not depend on the signature version.
pub(crate) fn check(request: &Request, nonce: &str) -> Result<Checked, Error> {
    check_action(request.action())?;
    let version = request.api_version();
    if version.is_empty() || version.len() > 32 || !all_of(version, NAME) {
        return Err(Error::invalid(
            "API version",
            format!(
                "{:?} is not an API version (such as \"2020-06-06\")",
                truncate(version)
            ),
        ));
    }
    let nonce_clean = check_nonce(nonce)?;
    let (query, form) = (request.query_params(), request.form_params());
    if request.method() == Method::Get && !form.is_empty() {
        return Err(Error::invalid(
            "method",
            "form-body parameters need POST, not GET",
        ));
    }
    let mut has_format = false;
    for (name, value) in query {
        has_format |= check_param(name, value, MAX_QUERY_VALUE_BYTES, "query")?;
    }
    for (name, value) in form {
        has_format |= check_param(name, value, MAX_FORM_VALUE_BYTES, "form-body")?;
    }
    // The usual handful of query parameters are compared pairwise in place.
    // Without form parameters the names come from one slice: a plain iterator, cheaper to
    // clone in `first_duplicate`'s pairwise pass than the chain.
    fn names(params: &[(String, String)]) -> impl Iterator<Item = &str> + Clone {
        params.iter().map(|(n, _)| n.as_str())
    }
    let repeated = if form.is_empty() {
        first_duplicate(names(query), false)
    } else {
        first_duplicate(names(query).chain(names(form)), false)
    };
    if let Some(name) = repeated {
        return Err(Error::invalid(
            format!("parameter {name:?}"),
            "it is given more than once",
        ));
    }
    if request.headers().is_empty() {
        return Ok(Checked {
            has_format,
            nonce_clean,
        });
    }
    for (name, value) in request.headers() {
        check_header(name, value)?;
    }
    if let Some(name) = first_duplicate(request.headers().iter().map(|(n, _)| n.as_str()), true) {
        return Err(Error::invalid(
            format!("header {:?}", truncate(name)),
            "it is given more than once",
        ));
    }
    Ok(Checked {
        has_format,
        nonce_clean,
    })
}

/// One query or form parameter: a good name, not one of the signer's, a value within `max`
/// bytes. Says whether it is `Format`.
#[inline]
fn check_param(name: &str, value: &str, max: usize, place: &str) -> Result<bool, Error> {
    check_name(name)?;
    if is_signer_param(name) {
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
    Ok(name == "Format")
}

/// A nonce: 1 to [`MAX_NONCE_BYTES`] bytes without whitespace or control characters. Says
/// whether it holds only unreserved bytes (nothing to escape).
fn check_nonce(nonce: &str) -> Result<bool, Error> {
    if nonce.is_empty() {
        return Err(Error::invalid("SignatureNonce", "the nonce is empty"));
    }
    let bytes = nonce.as_bytes();
    // Branch-free over the bytes (the compiler vectorizes it): anything outside visible
    // ASCII sends the nonce to the careful check below.
    let unusual = bytes
        .iter()
        .fold(false, |acc, &b| acc | (b <= b' ') | (b >= 0x7f));
    let bad = unusual && nonce.chars().any(|c| c.is_control() || c.is_whitespace());
    if nonce.len() > MAX_NONCE_BYTES || bad {
        return Err(Error::invalid(
            "SignatureNonce",
            format!(
                "the nonce must be 1 to {MAX_NONCE_BYTES} bytes without whitespace or control characters (a UUID)"
            ),
        ));
    }
    Ok(!unusual
        && bytes
            .iter()
            .fold(true, |clean, &b| clean & crate::encode::is_unreserved(b)))
}

/// An action name: 1 to 128 ASCII letters and digits.
pub(crate) fn check_action(action: &str) -> Result<(), Error> {
    if action.is_empty() {
        return Err(Error::invalid("action", "the action is empty"));
    }
    if action.len() > MAX_ACTION_BYTES || !all_of(action, ALNUM) {
        return Err(Error::invalid(
            "action",
            format!(
                "{:?} is not an action name (ASCII letters and digits, at most {MAX_ACTION_BYTES})",
                truncate(action)
            ),
        ));
    }
    Ok(())
}

/// The first name given twice, in `O(n log n)` whatever the count (a sorted copy of the
/// names; up to 16 names are compared pairwise without a copy, which is cheaper for the usual
/// handful); with `fold_case`, names that differ only in ASCII case count as the same.
fn first_duplicate<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    fold_case: bool,
) -> Option<&'a str> {
    let same = |a: &str, b: &str| {
        if fold_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let (_, upper) = names.size_hint();
    if upper.is_some_and(|n| n <= 16) {
        return names
            .clone()
            .enumerate()
            .find(|(i, name)| names.clone().take(*i).any(|m| same(m, name)))
            .map(|(_, name)| name);
    }
    let mut sorted: Vec<&str> = names.collect();
    if fold_case {
        sorted.sort_unstable_by(|a, b| {
            a.bytes()
                .map(|c| c.to_ascii_lowercase())
                .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
        });
    } else {
        sorted.sort_unstable();
    }
    sorted.windows(2).find(|w| same(w[0], w[1])).map(|w| w[0])
}

/// Byte classes for the checks on the signing path: a letter or digit ([`ALNUM`]), a name
/// byte ([`NAME`]).
const ALNUM: u8 = 1;
const NAME: u8 = 2;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = ALNUM | NAME;
        } else if c == b'.' || c == b'_' || c == b'-' {
            t[b] = NAME;
        }
        b += 1;
    }
    t
};

/// Every byte of `s` is of `class`: one pass without early exits (branch-free, so short
/// strings cost a few instructions a byte).
#[inline]
fn all_of(s: &str, class: u8) -> bool {
    s.bytes().fold(class, |acc, b| acc & CLASS[b as usize]) == class
}

/// A parameter name: 1 to 256 of `A-Z a-z 0-9 . _ -`.
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::invalid(
            "parameter name",
            "a parameter name is empty",
        ));
    }
    if name.len() > MAX_PARAM_NAME_BYTES || !all_of(name, NAME) {
        return Err(Error::invalid(
            "parameter name",
            format!(
                "{:?} may hold only ASCII letters, digits, '.', '_' and '-' (at most {MAX_PARAM_NAME_BYTES})",
                truncate(name)
            ),
        ));
    }
    Ok(())
}

/// An extra header: an HTTP token name that the signer does not set, and a value of visible
/// characters, spaces and tabs (no control character, which an HTTP client would refuse
/// later with a less helpful message).
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || name.len() > 256 || !name.bytes().all(token) {
        return Err(Error::invalid(
            "header name",
            format!("{:?} is not an HTTP header name", truncate(name)),
        ));
    }
    if SIGNER_HEADERS.iter().any(|r| name.eq_ignore_ascii_case(r)) {
        return Err(Error::invalid(
            format!("header {name:?}"),
            "it is set by the signer",
        ));
    }
    if value.len() > MAX_HEADER_VALUE_BYTES {
        return Err(Error::invalid(
            format!("header {name:?}"),
            format!("the value is longer than {MAX_HEADER_VALUE_BYTES} bytes"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid(
            format!("header {name:?}"),
            "the value holds a line break, NUL or another control character",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_classes_match_their_definitions() {
        for b in 0..=255u8 {
            let one = [b];
            let Ok(s) = std::str::from_utf8(&one) else {
                assert_eq!(CLASS[b as usize], 0, "{b}");
                continue;
            };
            assert_eq!(all_of(s, ALNUM), b.is_ascii_alphanumeric(), "{b}");
            let name = b.is_ascii_alphanumeric() || b"._-".contains(&b);
            assert_eq!(all_of(s, NAME), name, "{b}");
        }
        assert!(all_of("Chatapp2020", ALNUM) && !all_of("Chat-app", ALNUM));
        assert!(all_of("a.b_c-D9", NAME) && !all_of("a~b", NAME) && !all_of("é", NAME));
    }

    #[test]
    fn signer_params_match_the_list() {
        for name in SIGNER_PARAMS {
            assert!(is_signer_param(name), "{name}");
            assert!(!is_signer_param(&name.to_lowercase()), "{name}");
            assert!(!is_signer_param(&format!("{name}x")), "{name}");
        }
        for name in ["Format", "SignatureNonc", "", "action"] {
            assert!(!is_signer_param(name), "{name}");
        }
    }

    #[test]
    fn nonces_with_spaces_or_controls_are_refused() {
        for nonce in ["a b", "a\tb", "a\u{7f}", "a\u{85}b", "a\u{3000}b", "\n"] {
            assert!(check_nonce(nonce).is_err(), "{nonce:?}");
        }
        for nonce in ["6f1c2b7e-5d4a", "é", "~!"] {
            assert!(check_nonce(nonce).is_ok(), "{nonce:?}");
        }
    }

    #[test]
    fn duplicates_are_found_in_any_order_and_count() {
        fn dup(names: &[&'static str]) -> Option<&'static str> {
            first_duplicate(names.iter().copied(), false)
        }
        assert_eq!(dup(&["a", "b", "a"]), Some("a"));
        assert_eq!(dup(&["a", "A"]), None);
        assert_eq!(dup(&["b", "a"]), None);
        let many: Vec<String> = (0..30_000).map(|i| format!("n{i}")).collect();
        let mut refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(first_duplicate(refs.iter().copied(), false), None);
        refs.push("n12345");
        assert_eq!(first_duplicate(refs.iter().copied(), false), Some("n12345"));
        let headers = ["X-A", "x-b", "x-a"];
        assert_eq!(
            first_duplicate(headers.iter().copied(), true)
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("x-a")
        );
    }

    #[test]
    fn header_values_with_control_characters_are_refused() {
        for v in ["a\u{1}b", "a\u{7f}", "a\rb", "a\nb", "\0"] {
            let err = check_header("x-a", v).unwrap_err();
            assert!(err.to_string().contains("control character"), "{v:?}");
        }
        assert!(check_header("x-a", "tab\tand spaces é").is_ok());
    }
}

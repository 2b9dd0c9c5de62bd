//! Percent-encoding as Alibaba Cloud's signers do it.
//!
//! Every byte of the UTF-8 form is escaped as `%XX` (upper-case hex) except the RFC 3986
//! unreserved set `A-Z a-z 0-9 - _ . ~`. A space is `%20` (never `+`), `*` is `%2A` and `~`
//! stays literal. This is the encoding of names and values in the canonical query of both
//! signature versions, and of the canonical query itself inside an RPC string to sign.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The bytes that are escaped: everything but `A-Z a-z 0-9 - _ . ~`.
pub const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `input` (see the [module docs](self)).
///
/// ```
/// assert_eq!(camskit::encode::percent_encode("a b*c~/é"), "a%20b%2Ac~%2F%C3%A9");
/// ```
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 2);
    percent_encode_into(&mut out, input);
    out
}

/// Appends the percent-encoded form of `input` to `out`.
pub fn percent_encode_into(out: &mut String, input: &str) {
    for chunk in utf8_percent_encode(input, ESCAPED) {
        out.push_str(chunk);
    }
}

/// Appends `input` encoded as `application/x-www-form-urlencoded`, the way the official
/// clients write a form body (Python's `urlencode`): like [`percent_encode`] but a space
/// becomes `+`.
pub fn form_encode_into(out: &mut String, input: &str) {
    for chunk in utf8_percent_encode(input, ESCAPED) {
        if chunk == "%20" {
            out.push('+');
        } else {
            out.push_str(chunk);
        }
    }
}

/// Is `b` one of the bytes that stay literal?
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_unreserved() {
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("+/=&%"), "%2B%2F%3D%26%25");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
    }

    #[test]
    fn form_uses_plus_for_space() {
        let mut s = String::new();
        form_encode_into(&mut s, "a b+c");
        assert_eq!(s, "a+b%2Bc");
    }
}

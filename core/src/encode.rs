//! Percent-encoding as Alibaba Cloud's signers do it.
//!
//! Every byte of the UTF-8 form is escaped as `%XX` (upper-case hex) except the RFC 3986
//! unreserved set `A-Z a-z 0-9 - _ . ~`. A space is `%20` (never `+`), `*` is `%2A` and `~`
//! stays literal. This is the encoding of names and values in the canonical query of both
//! signature versions, and of the canonical query itself inside an RPC string to sign.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::request::Request;

/// The bytes that are escaped: everything but `A-Z a-z 0-9 - _ . ~`.
pub const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `%00%01...%FF`: the escape of byte `b` is `ESCAPES[3 * b..3 * b + 3]`.
const ESCAPES: &str = {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    const BYTES: [u8; 768] = {
        let mut t = [0u8; 768];
        let mut b = 0;
        while b < 256 {
            t[3 * b] = b'%';
            t[3 * b + 1] = HEX[b >> 4];
            t[3 * b + 2] = HEX[b & 15];
            b += 1;
        }
        t
    };
    match std::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("the escape table is ASCII"),
    }
};

/// Which bytes stay literal, as a lookup table (the hot path of signing).
const UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.' || c == b'~';
        b += 1;
    }
    t
};

/// Where the first byte to escape is, if any: a tight loop of its own (in the middle of the
/// encoders the compiler keeps less in registers, which doubled the cost per byte).
#[inline(always)]
fn first_reserved(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| !UNRESERVED[b as usize])
}

#[inline]
fn escape(b: u8) -> &'static str {
    let i = 3 * b as usize;
    &ESCAPES[i..i + 3]
}

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
    let bytes = input.as_bytes();
    let mut run = 0;
    while let Some(k) = first_reserved(&bytes[run..]) {
        let i = run + k;
        if k > 0 {
            // A run of unreserved bytes is ASCII: both ends are char boundaries.
            out.push_str(&input[run..i]);
        }
        out.push_str(escape(bytes[i]));
        run = i + 1;
    }
    if run < bytes.len() {
        out.push_str(&input[run..]);
    }
}

/// Writes an RPC canonical query and, beside it, `prefix` + that query percent-encoded once
/// more (the 1.0 string to sign is `METHOD&%2F&` + that), in one pass over the sorted
/// parameters: signing's hot path. The second encoding only turns `%` into `%25`, `&` into
/// `%26` and `=` into `%3D`, so each piece is written to both strings as it is made.
///
/// The signer's own parameters go through the `#[inline(always)]` methods with their names
/// as literals (`"Action="`, `"Action%3D"`), so those copies are a few stores, not calls.
/// Names must hold only unreserved bytes (the signer checks them first); values may hold
/// anything.
pub(crate) struct QueryWriter {
    once: String,
    twice: String,
    first: bool,
}

impl QueryWriter {
    /// Empty strings with room for `raw` bytes of names and values (and some escapes).
    pub(crate) fn new(prefix: &str, raw: usize) -> Self {
        let mut twice = String::with_capacity(prefix.len() + raw * 2);
        twice.push_str(prefix);
        QueryWriter {
            once: String::with_capacity(raw + raw / 2),
            twice,
            first: true,
        }
    }

    #[inline(always)]
    fn separate(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.once.push('&');
            self.twice.push_str("%26");
        }
    }

    /// One of the signer's parameters: `head` is `Name=`, `head_twice` `Name%3D`; the value
    /// is scanned for bytes to escape.
    #[inline(always)]
    pub(crate) fn own(&mut self, head: &'static str, head_twice: &'static str, value: &str) {
        self.separate();
        self.once.push_str(head);
        self.twice.push_str(head_twice);
        self.value(value);
    }

    /// One of the signer's parameters with a value checked to hold only unreserved bytes
    /// (the action, the API version): copied, not scanned.
    #[inline(always)]
    pub(crate) fn own_clean(&mut self, head: &'static str, head_twice: &'static str, value: &str) {
        self.separate();
        debug_assert!(value.bytes().all(is_unreserved));
        self.once.push_str(head);
        self.once.push_str(value);
        self.twice.push_str(head_twice);
        self.twice.push_str(value);
    }

    /// A whole `Name=value` of the signer's that never changes (`Format=JSON`), written as
    /// given: `once` and `twice` are its two encodings.
    #[inline(always)]
    pub(crate) fn constant(&mut self, once: &'static str, twice: &'static str) {
        self.separate();
        self.once.push_str(once);
        self.twice.push_str(twice);
    }

    /// The signer's `Timestamp`, `YYYY-MM-DDThh:mm:ssZ`: its two colons are the only bytes to
    /// escape, at known places, so nothing is scanned.
    #[inline(always)]
    pub(crate) fn timestamp(&mut self, text: &str) {
        let b = text.as_bytes();
        let pieces = (text.get(..13), text.get(14..16), text.get(17..));
        match pieces {
            (Some(date_hour), Some(minutes), Some(seconds))
                if b.len() == 20 && b[13] == b':' && b[16] == b':' =>
            {
                debug_assert!(
                    [date_hour, minutes, seconds]
                        .iter()
                        .all(|p| p.bytes().all(is_unreserved))
                );
                self.separate();
                for (out, head, colon) in [
                    (&mut self.once, "Timestamp=", "%3A"),
                    (&mut self.twice, "Timestamp%3D", "%253A"),
                ] {
                    out.push_str(head);
                    out.push_str(date_hour);
                    out.push_str(colon);
                    out.push_str(minutes);
                    out.push_str(colon);
                    out.push_str(seconds);
                }
            }
            _ => self.own("Timestamp=", "Timestamp%3D", text),
        }
    }

    /// A parameter given by the caller.
    pub(crate) fn given(&mut self, name: &str, value: &str) {
        self.separate();
        debug_assert!(name.bytes().all(is_unreserved));
        self.once.push_str(name);
        self.once.push('=');
        self.twice.push_str(name);
        self.twice.push_str("%3D");
        self.value(value);
    }

    /// Runs of unreserved bytes are copied whole; each other byte is `%XX` once and `%25XX`
    /// twice.
    fn value(&mut self, value: &str) {
        let bytes = value.as_bytes();
        let mut run = 0;
        while let Some(k) = first_reserved(&bytes[run..]) {
            let j = run + k;
            if k > 0 {
                // A run of unreserved bytes is ASCII: both ends are char boundaries.
                let literal = &value[run..j];
                self.once.push_str(literal);
                self.twice.push_str(literal);
            }
            let [hi, lo] = hex_pair(bytes[j]);
            self.once.push('%');
            self.once.push(hi);
            self.once.push(lo);
            self.twice.push_str("%25");
            self.twice.push(hi);
            self.twice.push(lo);
            run = j + 1;
        }
        if run < value.len() {
            self.once.push_str(&value[run..]);
            self.twice.push_str(&value[run..]);
        }
    }

    /// The canonical query and the prefixed second encoding.
    pub(crate) fn finish(self) -> (String, String) {
        (self.once, self.twice)
    }
}

/// The two upper-case hex digits of `b`.
#[inline(always)]
fn hex_pair(b: u8) -> [char; 2] {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    [
        HEX[(b >> 4) as usize] as char,
        HEX[(b & 15) as usize] as char,
    ]
}

/// The canonical query of sorted `name=value` pairs and `prefix` + that query encoded once
/// more, through a [`QueryWriter`] (the tests compare it with the two-pass form).
#[cfg(test)]
pub(crate) fn canonical_query_twice(prefix: &str, pairs: &[(&str, &str)]) -> (String, String) {
    let raw: usize = pairs.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut w = QueryWriter::new(prefix, raw);
    for (name, value) in pairs {
        w.given(name, value);
    }
    w.finish()
}

/// Byte order of two names; the first bytes decide most comparisons, so only names that share
/// one are compared whole (a `memcmp` call less per comparison on signing's hot path).
#[inline]
pub(crate) fn name_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match x.first().cmp(&y.first()) {
        std::cmp::Ordering::Equal => x.cmp(y),
        other => other,
    }
}

/// Sorts `name, value` pairs by name (byte order). The one sort of the signers: every list
/// goes through it, so a wasm build carries a single copy of the sorting code.
pub(crate) fn sort_by_name(pairs: &mut [(&str, &str)]) {
    // The first bytes decide most comparisons; only names that share one are compared whole
    // (saves a `memcmp` call per comparison on signing's hot path).
    pairs.sort_unstable_by(|a, b| name_order(a.0, b.0));
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

/// [`canonical`] of a request's parameters as given (unsorted): sorted here by reference,
/// on the stack for the usual handful.
pub(crate) fn canonical_pairs(params: &[(String, String)]) -> String {
    const STACK: usize = 16;
    let mut stack = [("", ""); STACK];
    let mut heap = Vec::new();
    let pairs: &mut [(&str, &str)] = if params.len() <= STACK {
        &mut stack[..params.len()]
    } else {
        heap.resize(params.len(), ("", ""));
        &mut heap
    };
    for (slot, (n, v)) in pairs.iter_mut().zip(params) {
        *slot = (n, v);
    }
    sort_by_name(pairs);
    canonical(pairs)
}

/// The headers a request sends besides the signer's own (names lower-cased), and its form
/// body (sorted, as the official clients write it) with the `content-type` it needs.
pub(crate) fn headers_and_body(
    request: &Request,
) -> (Vec<(Cow<'static, str>, String)>, Option<String>) {
    if request.headers().is_empty() && request.form_params().is_empty() {
        // The usual 1.0 request: nothing to collect (the collect's setup showed in profiles).
        return (Vec::new(), None);
    }
    let mut headers: Vec<(Cow<'static, str>, String)> = request
        .headers()
        .iter()
        .map(|(n, v)| (Cow::Owned(n.to_ascii_lowercase()), v.clone()))
        .collect();
    if request.form_params().is_empty() {
        return (headers, None);
    }
    let mut form: Vec<(&str, &str)> = request
        .form_params()
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
        Cow::Borrowed("content-type"),
        "application/x-www-form-urlencoded".to_owned(),
    ));
    (headers, Some(body))
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
    UNRESERVED[b as usize]
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
    fn table_agrees_with_the_ascii_set() {
        for b in 0..=127u8 {
            let c = [b];
            let s = std::str::from_utf8(&c).unwrap();
            let by_crate = utf8_percent_encode(s, ESCAPED).to_string();
            assert_eq!(is_unreserved(b), by_crate == s, "{b}");
            let mut mine = String::new();
            percent_encode_into(&mut mine, s);
            assert_eq!(mine, by_crate);
        }
        for b in 128..=255u8 {
            assert!(!is_unreserved(b));
        }
        let params = [("a_b", "/中~*% "), ("k", ""), ("x.y", "=&")];
        let (once, twice) = canonical_query_twice("GET&", &params);
        assert_eq!(once, "a_b=%2F%E4%B8%AD~%2A%25%20&k=&x.y=%3D%26");
        assert_eq!(twice, format!("GET&{}", percent_encode(&once)));
        assert_eq!(
            canonical_query_twice("", &[]),
            (String::new(), String::new())
        );
        // The signer's own parameters take the short paths: the same bytes.
        let mut w = QueryWriter::new("P&", 0);
        w.own_clean("Action=", "Action%3D", "Go");
        w.constant("Format=JSON", "Format%3DJSON");
        w.given("B", "x y");
        w.own("C=", "C%3D", "1:2");
        let (f_once, f_twice) = w.finish();
        assert_eq!(f_once, "Action=Go&Format=JSON&B=x%20y&C=1%3A2");
        assert_eq!(f_twice, format!("P&{}", percent_encode(&f_once)));
    }

    #[test]
    fn form_uses_plus_for_space() {
        let mut s = String::new();
        form_encode_into(&mut s, "a b+c");
        assert_eq!(s, "a+b%2Bc");
    }
}

//! Answers for hosts with a JSON reader of their own (JavaScript's `JSON.parse`): core checks
//! the body and decides everything [`parse_response`](crate::parse_response) decides — refused
//! bodies, the envelope, success or [`ApiError`](crate::ApiError) — and says where the host must
//! put an exact integer (a value beyond 2^53 − 1, which a double rounds, and every integer of
//! the action's 64-bit fields, [`catalog::int64_paths`](crate::catalog::int64_paths)). The body
//! is scanned once without building a tree; an answer that is not a success is read by
//! [`parse_response`](crate::parse_response) itself, so its error is that function's, word for
//! word.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Error, ParseError};
use crate::response::{
    ACCESS_DENIED_DETAIL, EnvelopeFields, MESSAGE, Member, REQUEST_ID, check_body,
    envelope_key_index, parse_response_with_headers,
};

/// The largest integer a double holds exactly, 2^53 − 1.
const MAX_SAFE: u64 = (1 << 53) - 1;

/// Whether JSON text may hold a number that a double does not read exactly (an integer beyond
/// 2^53 − 1): a run of 16 or more digits outside its strings. 2^53 has 16 digits; a long
/// fraction also says yes, which only costs a host its exact way. For a host that reads JSON
/// text with its own parser (JavaScript's `JSON.parse`): on `false`, every number of the text
/// reads exactly. Strings are skipped whole, so an ID of digits in a string never counts.
///
/// ```
/// use camskit::may_hold_inexact_numbers as may;
/// assert!(!may(br#"{"MessageId":"90071992547409930","Timestamp":1691043638000}"#));
/// assert!(may(br#"{"Timestamp":9007199254740993}"#));
/// ```
pub fn may_hold_inexact_numbers(text: &[u8]) -> bool {
    let (mut i, mut digits) = (0, 0);
    while let Some(&b) = text.get(i) {
        if b == b'"' {
            match string_end(text, i + 1) {
                Some(end) => i = end,
                None => return false,
            }
            digits = 0;
            continue;
        }
        if b.is_ascii_digit() {
            digits += 1;
            if digits >= 16 {
                return true;
            }
        } else {
            digits = 0;
        }
        i += 1;
    }
    false
}

/// Where a JSON string whose opening quote is just before `i` ends: the index after its
/// closing quote, or `None` when it does not end. Inside a string only `"` and `\` matter, so
/// memchr looks for them many bytes at a time (receipt bodies are mostly text).
pub(crate) fn string_end(text: &[u8], mut i: usize) -> Option<usize> {
    loop {
        let k = memchr::memchr2(b'"', b'\\', text.get(i..)?)?;
        if text[i + k] == b'\\' {
            i += k + 2;
        } else {
            return Some(i + k + 1);
        }
    }
}

/// One step of a path into an answer body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    /// A key of an object.
    Key(String),
    /// An index of a list.
    Index(usize),
}

/// An integer the host sets exactly (a JavaScript `BigInt`) at `path` of the body it parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactInteger {
    /// Where it is, from the body's root.
    pub path: Vec<PathStep>,
    /// Its decimal digits (with `-` when negative).
    pub digits: String,
}

/// A successful answer as [`scan_response`] reads it: [`Response`](crate::Response)'s envelope,
/// whether the body has `Data`, and the exact integers; the body is the host's to parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerScan<'a> {
    /// The HTTP status.
    pub status: u16,
    /// `RequestId` (borrowed from the body when it is a string without escapes).
    pub request_id: Option<Cow<'a, str>>,
    /// `"OK"` ([`SUCCESS_CODE`](crate::SUCCESS_CODE)).
    pub code: Cow<'a, str>,
    /// `Message`.
    pub message: Option<Cow<'a, str>>,
    /// `AccessDeniedDetail` (JSON text when CAMS sent an object).
    pub access_denied_detail: Option<Cow<'a, str>>,
    /// Whether the body has a `Data` field ([`Response::data`](crate::Response::data)).
    pub has_data: bool,
    /// The integers to set exactly, in the body's order (a repeated key may list one path
    /// twice: the last one is the body's, as in any JSON reader that keeps the last).
    pub exact: Vec<ExactInteger>,
    /// Where each envelope text is the body's own: the top-level key whose value is that very
    /// JSON string, so a host that parsed the body reads it there instead of being handed a
    /// copy (`None` when the text is absent, or is not a string of the body: a number shown
    /// as text, an object's JSON).
    pub sources: EnvelopeSources,
}

/// For [`AnswerScan::sources`]: for each envelope text, the position in
/// [`ENVELOPE_KEYS`](crate::ENVELOPE_KEYS) of the top-level key whose string value it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EnvelopeSources {
    /// Where `request_id` is (`RequestId` or `requestId`).
    pub request_id: Option<usize>,
    /// Where `message` is (`Message` or `message`).
    pub message: Option<usize>,
    /// Where `access_denied_detail` is (`AccessDeniedDetail`, when a string).
    pub access_denied_detail: Option<usize>,
}

/// Checks and classifies an answer as [`parse_response_with_headers`] does, without building
/// its tree: a success gives the envelope and where exact integers go (every integer beyond
/// ±(2^53 − 1), and every integer at one of `int64_paths` — paths of keys joined by `.`, `[]`
/// each item of a list, `{}` each value of a map, as
/// [`catalog::int64_paths`](crate::catalog::int64_paths) gives them); anything else is
/// [`parse_response_with_headers`]'s own error.
///
/// ```
/// use camskit::{PathStep, scan_response};
/// let body = br#"{"Code":"OK","RequestId":"r","ListTemplate":[{"LastUpdateTime":1700000000000}],"Big":9007199254740993}"#;
/// let scan = scan_response(200, [], body, camskit::catalog::int64_paths("ListChatappTemplate"))?;
/// assert_eq!(scan.request_id.as_deref(), Some("r"));
/// let paths: Vec<(&[PathStep], &str)> = scan.exact.iter().map(|e| (e.path.as_slice(), e.digits.as_str())).collect();
/// assert_eq!(paths, [
///     (&[PathStep::Key("ListTemplate".into()), PathStep::Index(0), PathStep::Key("LastUpdateTime".into())][..], "1700000000000"),
///     (&[PathStep::Key("Big".into())][..], "9007199254740993"),
/// ]);
/// let err = scan_response(400, [], br#"{"Code":"Throttling.User","Message":"slow"}"#, &[]).unwrap_err();
/// assert_eq!(err.as_api().unwrap().kind, camskit::ErrorKind::Throttling);
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// As [`parse_response_with_headers`].
pub fn scan_response<'a, 'b>(
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &'b [u8],
    int64_paths: &[&str],
) -> Result<AnswerScan<'b>, Error> {
    scan(status, headers, body, int64_paths, true)
}

/// [`scan_response`] with serde_json's reader alone (no byte scanner first), to compare the two
/// paths (`tests/scan.rs`, the `scan_paths` fuzz target). Not for use otherwise.
#[doc(hidden)]
pub fn scan_response_serde_only<'a, 'b>(
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &'b [u8],
    int64_paths: &[&str],
) -> Result<AnswerScan<'b>, Error> {
    scan(status, headers, body, int64_paths, false)
}

#[cfg_attr(camskit_speed, optimize(speed))]
fn scan<'a, 'b>(
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &'b [u8],
    int64_paths: &[&str],
    bytes_first: bool,
) -> Result<AnswerScan<'b>, Error> {
    if (300..400).contains(&status) || check_body(status, body).is_err() {
        return Err(refusal(status, headers.into_iter().collect(), body));
    }
    let patterns: Vec<Vec<&str>> = if int64_paths.is_empty() {
        Vec::new()
    } else {
        int64_paths.iter().map(|p| p.split('.').collect()).collect()
    };
    let new_state = || State {
        patterns: &patterns,
        path: Vec::new(),
        exact: Vec::new(),
        envelope: Default::default(),
        has_data: false,
    };
    let mut state = new_state();
    // The byte scanner first; where it is not sure, serde_json from the start.
    let scanned =
        bytes_first && bytes::scan(body, &mut state, all_patterns(patterns.len())).is_some() || {
            state = new_state();
            scan_serde(body, &mut state)
        };
    let envelope = EnvelopeFields::read(|i| {
        state.envelope[i].as_ref().map(|held| match held {
            Held::Text(t) => Member::Text(t.clone()),
            Held::Json(v) => Member::Json(v),
        })
    });
    if !scanned || !envelope.success(status) {
        return Err(refusal(status, headers.into_iter().collect(), body));
    }
    // The key whose string value is exactly the text core chose (the same string any JSON
    // reader gives for it: the body is valid JSON and a repeated key keeps its last value).
    let source = |text: Option<&Cow<str>>, keys: &[usize]| -> Option<usize> {
        let text = text?;
        keys.iter()
            .copied()
            .find(|&i| matches!(&state.envelope[i], Some(Held::Text(s)) if same_text(s, text)))
    };
    let sources = EnvelopeSources {
        request_id: source(envelope.request_id.as_ref(), &REQUEST_ID),
        message: source(envelope.message.as_ref(), &MESSAGE),
        access_denied_detail: source(
            envelope.access_denied_detail.as_ref(),
            &ACCESS_DENIED_DETAIL,
        ),
    };
    Ok(AnswerScan {
        status,
        request_id: envelope.request_id,
        code: Cow::Borrowed(crate::response::SUCCESS_CODE),
        message: envelope.message,
        access_denied_detail: envelope.access_denied_detail,
        has_data: state.has_data,
        exact: state.exact,
        sources,
    })
}

/// Whether two texts are equal; the usual case, a text borrowed from the same place in the
/// body, is answered from the addresses without comparing the bytes (a byte loop in the
/// size-first wasm build).
#[inline(always)]
fn same_text(a: &str, b: &str) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// The error of a body the scan does not accept: the full parse's, which words it. Out of line,
/// as [`scan_serde`] is: [`scan`] is optimized for speed in the size-first wasm build
/// (`camskit_speed`), and these rare paths would otherwise be copied into it.
#[inline(never)]
fn refusal(status: u16, headers: Vec<(&str, &str)>, body: &[u8]) -> Error {
    match parse_response_with_headers(status, headers, body) {
        Err(e) => e,
        // Cannot happen (the scan and the parse refuse the same bodies); never a panic.
        Ok(_) => Error::Parse(ParseError {
            status,
            reason: "the answer could not be scanned".into(),
            snippet: String::new(),
        }),
    }
}

/// The top-level object of `body` into `state` with serde_json's reader: whether it was read
/// whole (the byte scanner's fallback, and the only reader of `scan_response_serde_only`).
#[inline(never)]
fn scan_serde<'de>(body: &'de [u8], state: &mut State<'_, 'de>) -> bool {
    let mut de = serde_json::Deserializer::from_slice(body);
    matches!(de.deserialize_any(Top(state)), Ok(true)) && de.end().is_ok()
}

struct State<'p, 'de> {
    /// The 64-bit paths, split into their steps.
    patterns: &'p [Vec<&'p str>],
    /// The path to the value being read.
    path: Vec<Step<'de>>,
    exact: Vec<ExactInteger>,
    /// The last value of each of [`ENVELOPE_KEYS`](crate::ENVELOPE_KEYS).
    envelope: [Option<Held<'de>>; 7],
    has_data: bool,
}

#[derive(Clone)]
enum Step<'de> {
    Key(Cow<'de, str>),
    Index(usize),
}

/// Every one of `n` patterns (the first 64).
fn all_patterns(n: usize) -> Active {
    if n >= 64 { Active::MAX } else { (1 << n) - 1 }
}

#[path = "scan_bytes.rs"]
mod bytes;

/// Which 64-bit paths a value is on: bit `i` set when pattern `i`'s first steps are exactly the
/// path so far (every active pattern has matched the same number of steps).
type Active = u64;

impl<'de> State<'_, 'de> {
    /// Steps into a child: the patterns still followed, and whether the child is a 64-bit field.
    fn enter(&mut self, active: Active, step: Step<'de>) -> (Active, bool) {
        let depth = self.path.len();
        let (mut next, mut target) = (0, false);
        for (i, p) in self.patterns.iter().enumerate().take(64) {
            if active & (1 << i) == 0 || depth >= p.len() {
                continue;
            }
            let matches = match &step {
                Step::Index(_) => p[depth] == "[]",
                Step::Key(k) => p[depth] == "{}" || p[depth] == k.as_ref(),
            };
            if matches {
                if depth + 1 == p.len() {
                    target = true;
                } else {
                    next |= 1 << i;
                }
            }
        }
        self.path.push(step);
        (next, target)
    }

    fn record(&mut self, digits: String) {
        let path = self
            .path
            .iter()
            .map(|s| match s {
                Step::Key(k) => PathStep::Key(k.clone().into_owned()),
                Step::Index(i) => PathStep::Index(*i),
            })
            .collect();
        self.exact.push(ExactInteger { path, digits });
    }

    fn integer(&mut self, n: i128, target: bool) {
        if target || n.unsigned_abs() > u128::from(MAX_SAFE) {
            self.record(n.to_string());
        }
    }

    fn float(&mut self, f: f64, target: bool) {
        // A whole double in a 64-bit field (JSON `1.0`) is that integer; a fraction stays.
        if target && f.fract() == 0.0 && f.abs() < 9.2e18 {
            self.record((f as i64).to_string());
        }
    }

    /// The same for a value read whole (an envelope field).
    fn value(&mut self, v: &Value, active: Active, target: bool) {
        match v {
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.integer(i128::from(i), target);
                } else if let Some(u) = n.as_u64() {
                    self.integer(i128::from(u), target);
                } else if let Some(f) = n.as_f64() {
                    self.float(f, target);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let (a, t) = self.enter(active, Step::Index(i));
                    self.value(item, a, t);
                    self.path.pop();
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    let (a, t) = self.enter(active, Step::Key(Cow::Owned(k.clone())));
                    self.value(item, a, t);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }
}

/// An envelope member as the scan keeps it: a string's text, borrowed from the body when it has
/// no escapes (no copy for the common answer), or any other value whole.
enum Held<'de> {
    Text(Cow<'de, str>),
    Json(Value),
}

/// The body's root: an object (`true`), or anything else (`false`: not an answer).
struct Top<'s, 'p, 'de>(&'s mut State<'p, 'de>);

impl<'de> Visitor<'de> for Top<'_, '_, 'de> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let all = all_patterns(self.0.patterns.len());
        while let Some(key) = map.next_key_seed(Key)? {
            if let Some(i) = envelope_key_index(&key) {
                // (The byte scanner borrows; this fallback may copy.)
                let held = match map.next_value()? {
                    Value::String(text) => Held::Text(Cow::Owned(text)),
                    other => Held::Json(other),
                };
                if let Held::Json(v) = &held {
                    let (a, t) = self.0.enter(all, Step::Key(key));
                    self.0.value(v, a, t);
                    self.0.path.pop();
                }
                self.0.envelope[i] = Some(held);
            } else {
                if key == "Data" {
                    self.0.has_data = true;
                }
                map.next_value_seed(Node {
                    state: self.0,
                    active: all,
                    step: Step::Key(key),
                })?;
            }
        }
        Ok(true)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(false)
    }

    fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// An object key, borrowed from the body when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// Any value below the root, at `step` from its parent.
struct Node<'s, 'p, 'de> {
    state: &'s mut State<'p, 'de>,
    active: Active,
    step: Step<'de>,
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let (active, target) = self.state.enter(self.active, self.step);
        let r = d.deserialize_any(NodeVisitor {
            state: &mut *self.state,
            active,
            target,
        });
        self.state.path.pop();
        r
    }
}

struct NodeVisitor<'s, 'p, 'de> {
    state: &'s mut State<'p, 'de>,
    active: Active,
    target: bool,
}

impl<'de> Visitor<'de> for NodeVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(Key)? {
            map.next_value_seed(Node {
                state: &mut *self.state,
                active: self.active,
                step: Step::Key(key),
            })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0;
        while seq
            .next_element_seed(Node {
                state: &mut *self.state,
                active: self.active,
                step: Step::Index(i),
            })?
            .is_some()
        {
            i += 1;
        }
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.state.integer(i128::from(v), self.target);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.state.integer(i128::from(v), self.target);
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.state.float(v, self.target);
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Digits count only outside strings (escaped quotes included), from 16 in a row.
    #[test]
    fn inexact_numbers_are_long_digit_runs_outside_strings() {
        for (text, may) in [
            (r#"[123456789012345]"#, false),
            (r#"[9007199254740991]"#, true),
            (r#"[-9007199254740993]"#, true),
            (r#"[0.1234567890123456]"#, true),
            (r#"{"a":"12345678901234567890"}"#, false),
            (r#"{"a":"x\"12345678901234567890"}"#, false),
            (r#"{"a":"x\\","b":12345678901234567}"#, true),
            (r#"{"a":"\\\"1234567890123456789"}"#, false),
            (r#"{"unterminated":"1234567890123456789"#, false),
            ("", false),
        ] {
            assert_eq!(may_hold_inexact_numbers(text.as_bytes()), may, "{text}");
        }
    }

    /// The byte scanner reads the common answers itself (so they never reach serde), and gives
    /// up on each thing it leaves to serde; where it gives up, serde still decides.
    #[test]
    fn the_byte_scanner_reads_common_answers_and_leaves_the_rest_to_serde() {
        let patterns: Vec<Vec<&str>> = vec![vec!["List", "[]", "T"]];
        let read = |body: &[u8]| {
            let mut state = State {
                patterns: &patterns,
                path: Vec::new(),
                exact: Vec::new(),
                envelope: Default::default(),
                has_data: false,
            };
            bytes::scan(body, &mut state, 1).map(|()| (state.has_data, state.exact.len()))
        };
        let sure: [(&[u8], (bool, usize)); 4] = [
            (br#"{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#, (false, 0)),
            (br#" { "Code" : "OK" , "Data" : { "a" : [ 1 , -2.5 , true , null , "x\ny\u00e9" ] } } "#, (true, 0)),
            (b"{\"List\":[{\"T\":1700000000000,\"N\":\"caf\xc3\xa9\"},{\"T\":-5}],\"Total\":2}", (false, 2)),
            (b"{}", (false, 0)),
        ];
        for (body, want) in sure {
            assert_eq!(read(body), Some(want), "{}", String::from_utf8_lossy(body));
        }
        let unsure: [&[u8]; 11] = [
            br#"{"D\u0061ta":1}"#,
            br#"{"RequestId":"a\"b"}"#,
            br#"{"RequestId":7}"#,
            br#"{"X":1e3}"#,
            br#"{"X":9007199254740993}"#,
            br#"{"List":[{"T":1.0}]}"#,
            br#"{"X":"\ud83d\ude00"}"#,
            b"{\"X\":\"\x01\"}",
            b"{\"X\":\"\xff\"}",
            br#"{"X":01}"#,
            br#"[1]"#,
        ];
        for body in unsure {
            assert_eq!(read(body), None, "{}", String::from_utf8_lossy(body));
        }
        let deep = format!("{{\"X\":{}{}}}", "[".repeat(120), "]".repeat(120));
        assert_eq!(read(deep.as_bytes()), None);
        // Where it gave up on valid JSON, the answer is still read (by serde).
        for body in [
            &br#"{"D\u0061ta":1}"#[..],
            br#"{"X":9007199254740993}"#,
            deep.as_bytes(),
        ] {
            assert!(scan_response(200, [], body, &[]).is_ok());
        }
    }
    use crate::parse_response;

    /// The scan agrees with parse_response on the envelope, Data and every error.
    #[test]
    fn agrees_with_parse_response() {
        let bodies: [(u16, &[u8]); 12] = [
            (
                200,
                br#"{"RequestId":"r","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#,
            ),
            (
                200,
                br#"{"RequestId":7,"Data":{"Id":1},"AccessDeniedDetail":{"a":1}}"#,
            ),
            (200, br#"{"Code":"OK","Code":"Throttling.User"}"#),
            (200, br#"{"Code":null}"#),
            (400, br#"{"Code":"Throttling.User","Message":"slow"}"#),
            (200, br#"[1,2]"#),
            (200, b"<html>x</html>"),
            (200, br#"{"Code":"OK""#),
            (200, b""),
            (302, b""),
            (200, br#"{"Code":"OK","Data":[1,2,{"a":[]}]} x"#),
            (500, br#"{"Code":"InternalError"}"#),
        ];
        for (status, body) in bodies {
            let full = parse_response(status, body);
            let scan = scan_response(status, [], body, &[]);
            match (full, scan) {
                (Ok(r), Ok(s)) => {
                    assert_eq!(s.request_id.as_deref(), r.request_id.as_deref());
                    assert_eq!(s.code, r.code);
                    assert_eq!(s.message.as_deref(), r.message.as_deref());
                    assert_eq!(
                        s.access_denied_detail.as_deref(),
                        r.access_denied_detail.as_deref()
                    );
                    assert_eq!(s.has_data, r.data().is_some());
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{a:?} vs {b:?}"),
            }
        }
    }

    fn exact(body: &[u8], paths: &[&str]) -> Vec<(String, String)> {
        scan_response(200, [], body, paths)
            .unwrap()
            .exact
            .into_iter()
            .map(|e| {
                let p: Vec<String> = e
                    .path
                    .iter()
                    .map(|s| match s {
                        PathStep::Key(k) => k.clone(),
                        PathStep::Index(i) => i.to_string(),
                    })
                    .collect();
                (p.join("."), e.digits)
            })
            .collect()
    }

    #[test]
    fn exact_integers_beyond_doubles_and_in_64_bit_fields() {
        let body = br#"{"Code":"OK","RequestId":9007199254740993,"Data":[{"Id":5,"N":6,"T":"7"},{"Id":-9223372036854775808,"N":18446744073709551615},{"Id":1.0},{"Id":1.5}],"M":{"a":{"Id":3}},"F":1e300}"#;
        assert_eq!(
            exact(body, &["Data.[].Id", "M.{}.Id"]),
            [
                ("RequestId".into(), "9007199254740993".into()),
                ("Data.0.Id".into(), "5".into()),
                ("Data.1.Id".into(), "-9223372036854775808".into()),
                ("Data.1.N".into(), "18446744073709551615".into()),
                ("Data.2.Id".into(), "1".into()),
                ("M.a.Id".into(), "3".into()),
            ]
        );
        // Not on a path: a safe integer stays a number; keys with escapes are read as text.
        assert_eq!(
            exact(br#"{"D\u0061ta":[{"Id":5}]}"#, &["Data.[].Id"]),
            [("Data.0.Id".into(), "5".into())]
        );
        assert!(exact(br#"{"Data":{"Id":5}}"#, &["Data.[].Id"]).is_empty());
    }
}

//! Reading CAMS answers: a success envelope, or one [`ApiError`], or a [`ParseError`].

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::error::{ApiError, Error, ErrorKind, ParseError};

/// A successful CAMS answer: HTTP 2xx and `Code` == `"OK"` (or no `Code` at all, as some
/// operations such as `ChangeResourceGroup` answer).
///
/// The envelope fields are typed; everything else (usually `Data`) stays in [`body`](Self::body)
/// as parsed JSON, numbers exact (IDs beyond 2^53 are not rounded).
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`"OK"`; also `"OK"` when the answer had none).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail` (JSON text when CAMS sent an object).
    pub access_denied_detail: Option<String>,
    /// The whole body.
    pub body: Map<String, Value>,
}

impl Response {
    /// The `Data` field, if any.
    pub fn data(&self) -> Option<&Value> {
        self.body.get("Data")
    }

    /// A field of the body other than the envelope.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.body.get(field)
    }
}

/// How many bytes of an unparseable body an error shows.
pub const SNIPPET_BYTES: usize = 120;

/// The largest answer body parsed, in bytes (8 MiB). CAMS answers are a few KiB to a few
/// hundred KiB (a 100-template list is ~60 KiB); a host reads at most this much plus one byte
/// and hands it over, so a hostile or broken server cannot make it hold more. The worst body
/// for memory (a list of one-digit numbers) takes about 36 times its size while parsed
/// (serde_json values of 32 bytes, no arbitrary precision): at most ~300 MB.
pub const MAX_RESPONSE_BYTES: usize = 8 << 20;

/// Answers longer than this are checked for density before they are parsed (see
/// [`MIN_BYTES_PER_VALUE`]); shorter ones never are.
pub const DENSITY_CHECK_BYTES: usize = 1 << 20;

/// A long answer must average at least this many bytes per JSON value (objects, arrays,
/// numbers, strings...): a tree costs every host 50 to 120 bytes per value, so 1 M tiny
/// objects in 8 MiB would take a gigabyte. A real CAMS list (templates, messages, numbers)
/// averages 20 bytes or more per value; a denser long body is refused before parsing, which
/// keeps peak memory within about 16 times the answer's size in every host.
pub const MIN_BYTES_PER_VALUE: usize = 12;

/// How many JSON values `body` holds, at most (a scan outside strings: each `,`, `[`, `{` and
/// the first value count one; `:` is not a value), stopping once `limit` is passed.
fn values_over(body: &[u8], limit: usize) -> bool {
    let (mut n, mut in_string, mut escaped) = (1usize, false, false);
    for &b in body {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' | b'[' | b'{' => {
                n += 1;
                if n > limit {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Like [`parse_response`], with the answer's headers (name, value; any case), which tell
/// more: a redirect's target is named in the error.
///
/// ```
/// let err = camskit::parse_response_with_headers(302, [("Location", "http://elsewhere.example/")], b"").unwrap_err();
/// assert!(err.to_string().contains("redirect to http://elsewhere.example/"));
/// ```
///
/// # Errors
/// As [`parse_response`].
pub fn parse_response_with_headers<'a>(
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Result<Response, Error> {
    if (300..400).contains(&status) {
        let location = headers
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("location"))
            .map(|(_, v)| v);
        return Err(redirect(status, location, body));
    }
    parse_response(status, body)
}

/// Like [`parse_response_with_headers`], for an answer to `action`: a server error (HTTP 5xx)
/// on an operation that changes state ([`Safety::Write`](crate::catalog::Safety)) has kind
/// [`OutcomeUnknown`](ErrorKind::OutcomeUnknown) and is not retryable — the message may have
/// been sent. Read-only operations keep [`Server`](ErrorKind::Server) (retryable).
///
/// ```
/// let body = br#"{"Code":"InternalError","Message":"boom"}"#;
/// let err = camskit::parse_response_for("SendChatappMessage", 500, [], body).unwrap_err();
/// assert_eq!(err.as_api().unwrap().kind, camskit::ErrorKind::OutcomeUnknown);
/// assert!(!err.as_api().unwrap().retryable());
/// let err = camskit::parse_response_for("ListChatappTemplate", 500, [], body).unwrap_err();
/// assert!(err.as_api().unwrap().retryable());
/// ```
///
/// # Errors
/// As [`parse_response`].
pub fn parse_response_for<'a>(
    action: &str,
    status: u16,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    body: &[u8],
) -> Result<Response, Error> {
    parse_response_with_headers(status, headers, body).map_err(|e| match e {
        Error::Api(mut api)
            if api.kind == ErrorKind::Server
                && crate::catalog::Safety::of(action) == crate::catalog::Safety::Write =>
        {
            api.kind = ErrorKind::OutcomeUnknown;
            Error::Api(api)
        }
        other => other,
    })
}

/// A 3xx: never followed (it would carry the credentials to another host, and CAMS does not
/// redirect API calls).
fn redirect(status: u16, location: Option<&str>, body: &[u8]) -> Error {
    let target = match location {
        Some(l) => format!(" to {}", crate::error::truncate(l)),
        None => String::new(),
    };
    Error::Parse(ParseError {
        status,
        reason: format!(
            "HTTP {status}: a redirect{target}, which camskit does not follow (CAMS does not redirect API calls; following would send the credentials elsewhere)"
        ),
        snippet: snippet(body),
    })
}

/// Parses an HTTP status and body into a [`Response`] or an error.
///
/// ```
/// let ok = camskit::parse_response(200, br#"{"RequestId":"r1","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#)?;
/// assert_eq!(ok.request_id.as_deref(), Some("r1"));
///
/// let err = camskit::parse_response(400, br#"{"RequestId":"r2","Code":"System.LimitControl","Message":"The system is under flow control."}"#).unwrap_err();
/// let api = err.as_api().unwrap();
/// assert_eq!(api.kind, camskit::ErrorKind::Throttling);
/// assert!(api.retryable());
///
/// let err = camskit::parse_response(502, b"<html><body>Bad Gateway</body></html>").unwrap_err();
/// assert!(err.to_string().contains("HTML"));
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// [`Error::Api`] when the status is not 2xx or `Code` is present and not `OK` (an HTTP 200
/// can carry a failure); [`Error::Parse`] when the body is empty, not JSON (XML, an HTML page from a
/// proxy), truncated, or not a JSON object.
pub fn parse_response(status: u16, body: &[u8]) -> Result<Response, Error> {
    precheck(status, body)?;
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        let what = if e.is_eof() {
            "the JSON body is truncated"
        } else {
            "the body is not valid JSON"
        };
        parse_error(status, body, format!("{what} ({e})"))
    })?;
    let Value::Object(mut map) = value else {
        return Err(parse_error(
            status,
            body,
            "the JSON body is not an object".into(),
        ));
    };
    let Head {
        code,
        message,
        request_id,
        access_denied_detail,
    } = head(&map);

    // A few operations (ChangeResourceGroup) answer only `RequestId`: no code is no failure.
    if is_success(status, code.as_deref()) {
        return Ok(Response {
            status,
            request_id,
            code: SUCCESS_CODE.into(),
            message,
            access_denied_detail,
            body: map,
        });
    }

    let code = code.unwrap_or_default();
    let kind = ErrorKind::classify(status, &code);
    // A signature mismatch echoes the string the server signed, STS token included: the
    // token is cut out wherever the message is kept (the error's text and its body).
    let message = match message {
        Some(m) if kind == ErrorKind::SignatureMismatch => {
            let redacted = redact_tokens(&m);
            if redacted != m {
                for key in ["Message", "message"] {
                    if let Some(v @ Value::String(_)) = map.get_mut(key) {
                        *v = Value::String(redacted.clone());
                    }
                }
            }
            redacted
        }
        m => m.unwrap_or_default(),
    };
    let server_string_to_sign = if kind == ErrorKind::SignatureMismatch {
        server_string_to_sign(&message)
    } else {
        None
    };
    Err(Error::Api(Box::new(ApiError {
        status,
        host_id: text(&map, &["HostId", "hostId"]),
        recommend: text(&map, &["Recommend", "recommend"]),
        code,
        message,
        request_id,
        access_denied_detail,
        kind,
        server_string_to_sign,
        body: Value::Object(map),
    })))
}

/// A parse error of `body` (with its snippet).
fn parse_error(status: u16, body: &[u8], reason: String) -> Error {
    Error::Parse(ParseError {
        status,
        reason,
        snippet: snippet(body),
    })
}

/// Everything [`parse_response`] refuses before reading the JSON: a status that is no HTTP
/// status, a redirect, a body too long, empty, too dense, HTML or XML.
fn precheck(status: u16, body: &[u8]) -> Result<(), Error> {
    let parse_err = |reason: String| parse_error(status, body, reason);
    if !(100..=599).contains(&status) {
        return Err(parse_err(format!("{status} is not an HTTP status")));
    }
    if (300..400).contains(&status) {
        return Err(redirect(status, None, body));
    }
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(parse_err(format!(
            "the body has {} bytes; answers larger than {MAX_RESPONSE_BYTES} bytes are not parsed",
            body.len()
        )));
    }
    let trimmed = body.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(parse_err("empty body".into()));
    }
    if body.len() > DENSITY_CHECK_BYTES && values_over(body, body.len() / MIN_BYTES_PER_VALUE) {
        return Err(parse_err(format!(
            "the body has {} bytes and more than {} JSON values (fewer than {MIN_BYTES_PER_VALUE} bytes a value): not parsed, it would take far more memory than its size",
            body.len(),
            body.len() / MIN_BYTES_PER_VALUE
        )));
    }
    if trimmed[0] == b'<' {
        let head: Vec<u8> = trimmed
            .iter()
            .take(256)
            .map(u8::to_ascii_lowercase)
            .collect();
        let is_html = head.windows(5).any(|w| w == b"<html") || head.starts_with(b"<!doctype");
        return Err(parse_err(if is_html {
            "the body is HTML (a proxy or gateway page?), not JSON".into()
        } else {
            "the body is XML, not JSON (was Format=XML sent?)".into()
        }));
    }
    Ok(())
}

/// The envelope fields of an answer's top-level object.
struct Head {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    access_denied_detail: Option<String>,
}

/// The top-level keys of an answer's envelope, the one list every reader of it uses
/// ([`parse_response`]'s `Code`, `Message`, `RequestId`, `AccessDeniedDetail` and their
/// lower-case forms): all [`parse_response`] needs to tell a success. A scan keeps their values
/// (they are few and small); [`EnvelopeSources`](crate::EnvelopeSources) names one of them.
pub const ENVELOPE_KEYS: [&str; 7] = [
    "Code",
    "code",
    "Message",
    "message",
    "RequestId",
    "requestId",
    "AccessDeniedDetail",
];

/// Each envelope field's keys as positions in [`ENVELOPE_KEYS`], in the order they are read
/// (the envelope reader and the scan's [`EnvelopeSources`](crate::EnvelopeSources)).
pub(crate) const CODE: [usize; 2] = [0, 1];
pub(crate) const MESSAGE: [usize; 2] = [2, 3];
pub(crate) const REQUEST_ID: [usize; 2] = [4, 5];
pub(crate) const ACCESS_DENIED_DETAIL: [usize; 1] = [6];

/// The position of `key` in [`ENVELOPE_KEYS`] (a `match`: no loop of comparisons per key).
///
/// ```
/// assert_eq!(camskit::envelope_key_index("RequestId"), Some(4));
/// assert_eq!(camskit::ENVELOPE_KEYS[4], "RequestId");
/// assert_eq!(camskit::envelope_key_index("Data"), None);
/// ```
pub fn envelope_key_index(key: &str) -> Option<usize> {
    envelope_key_index_of_bytes(key.as_bytes())
}

/// [`envelope_key_index`] of a key's bytes (the byte scanner's keys, before any UTF-8 check).
#[cfg_attr(camskit_speed, optimize(speed))]
pub(crate) fn envelope_key_index_of_bytes(key: &[u8]) -> Option<usize> {
    // By length and first byte, then one comparison with a key of known length (each key of
    // every answer comes here; compared as whole words where the build optimizes for speed).
    // The names are written out as byte arrays on purpose: `key == b"Code"` compares with an
    // array of known length, where `ENVELOPE_KEYS[0].as_bytes()` is a slice and brings a
    // `memcmp` back (tried 2026-12-07: lean .wasm +553 bytes). The test
    // `envelope_key_index_is_the_position_in_envelope_keys` holds the two lists together.
    let (i, same) = match (key.len(), key.first()?) {
        (4, b'C') => (0, key == b"Code"),
        (4, b'c') => (1, key == b"code"),
        (7, b'M') => (2, key == b"Message"),
        (7, b'm') => (3, key == b"message"),
        (9, b'R') => (4, key == b"RequestId"),
        (9, b'r') => (5, key == b"requestId"),
        (18, b'A') => (6, key == b"AccessDeniedDetail"),
        _ => return None,
    };
    same.then_some(i)
}

fn head(map: &Map<String, Value>) -> Head {
    let EnvelopeFields {
        code,
        message,
        request_id,
        access_denied_detail,
    } = EnvelopeFields::of(map);
    Head {
        code: code.map(Cow::into_owned),
        message: message.map(Cow::into_owned),
        request_id: request_id.map(Cow::into_owned),
        access_denied_detail: access_denied_detail.map(Cow::into_owned),
    }
}

/// One top-level member of a body as the envelope's reader sees it: a JSON string's text (the
/// scan borrows it from the body where it has no escapes), or any other JSON value.
pub(crate) enum Member<'t, 'j> {
    /// A JSON string, unescaped.
    Text(Cow<'t, str>),
    /// Any other JSON value.
    Json(&'j Value),
}

impl<'v> Member<'v, 'v> {
    fn of(v: &'v Value) -> Self {
        match v {
            Value::String(s) => Member::Text(Cow::Borrowed(s)),
            other => Member::Json(other),
        }
    }
}

/// The envelope of a body as [`parse_response`] reads it: `Code` (a `Code` that is not text is
/// shown as its JSON), `Message`, `RequestId`, `AccessDeniedDetail`; and whether it is a
/// success (HTTP 2xx and `Code` `OK` or none). The texts borrow the body's strings.
pub(crate) struct EnvelopeFields<'v> {
    pub(crate) code: Option<Cow<'v, str>>,
    pub(crate) message: Option<Cow<'v, str>>,
    pub(crate) request_id: Option<Cow<'v, str>>,
    pub(crate) access_denied_detail: Option<Cow<'v, str>>,
}

impl<'v> EnvelopeFields<'v> {
    pub(crate) fn of(map: &'v Map<String, Value>) -> Self {
        Self::read(|i| map.get(ENVELOPE_KEYS[i]).map(Member::of))
    }

    /// The envelope from a lookup of the body's top-level members by their position in
    /// [`ENVELOPE_KEYS`].
    #[cfg_attr(camskit_speed, optimize(speed))]
    pub(crate) fn read<'j>(get: impl Fn(usize) -> Option<Member<'v, 'j>>) -> Self {
        let member = |i: usize| {
            get(i).map(|m| match m {
                Member::Json(Value::String(s)) => Member::Text(Cow::Owned(s.clone())),
                m => m,
            })
        };
        let text = |keys: [usize; 2]| {
            keys.into_iter().find_map(|i| match member(i) {
                Some(Member::Text(s)) => Some(s),
                Some(Member::Json(Value::Number(n))) => Some(shown(n)),
                Some(Member::Json(Value::Bool(b))) => Some(shown(b)),
                _ => None,
            })
        };
        EnvelopeFields {
            code: match member(CODE[0]).or_else(|| member(CODE[1])) {
                None => None,
                Some(Member::Text(s)) => Some(s),
                Some(Member::Json(other)) => Some(shown(other)),
            },
            message: text(MESSAGE),
            request_id: text(REQUEST_ID),
            access_denied_detail: match member(ACCESS_DENIED_DETAIL[0]) {
                None | Some(Member::Json(Value::Null)) => None,
                Some(Member::Text(s)) => Some(s),
                Some(Member::Json(other)) => Some(shown(other)),
            },
        }
    }

    /// A few operations (ChangeResourceGroup) answer only `RequestId`: no code is no failure.
    pub(crate) fn success(&self, status: u16) -> bool {
        (200..300).contains(&status) && matches!(self.code.as_deref(), None | Some(SUCCESS_CODE))
    }
}

/// An envelope value that is not a JSON string, as text. Out of line: the envelope reader is
/// optimized for speed in the size-first wasm build (`camskit_speed`), and this rare case
/// would otherwise bring the formatting machinery inline with it.
#[inline(never)]
fn shown<'a>(value: &dyn std::fmt::Display) -> Cow<'a, str> {
    Cow::Owned(value.to_string())
}

/// The `Code` of every success: CAMS's own, or given to an answer that had none.
pub const SUCCESS_CODE: &str = "OK";

/// What [`parse_response`] refuses before reading the JSON (the scanner's entry).
pub(crate) fn check_body(status: u16, body: &[u8]) -> Result<(), Error> {
    precheck(status, body)
}

/// A success: HTTP 2xx and `Code` `OK` — or no code at all: a few operations
/// (ChangeResourceGroup) answer only `RequestId`.
fn is_success(status: u16, code: Option<&str>) -> bool {
    (200..300).contains(&status) && matches!(code, None | Some(SUCCESS_CODE))
}

/// The envelope of a successful answer, read without building its body's tree: what
/// [`parse_response`] returns but the body, for a host that converts the body's JSON into its
/// own values in one pass (the Python binding builds its dicts straight from the bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// The HTTP status.
    pub status: u16,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`"OK"`; also `"OK"` when the answer had none).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail` (JSON text when CAMS sent an object).
    pub access_denied_detail: Option<String>,
}

impl From<&Response> for Envelope {
    fn from(r: &Response) -> Self {
        Self {
            status: r.status,
            request_id: r.request_id.clone(),
            code: r.code.clone(),
            message: r.message.clone(),
            access_denied_detail: r.access_denied_detail.clone(),
        }
    }
}

/// Only the [`ENVELOPE_KEYS`] members of a JSON object; every other member is read as the full
/// parse reads it (so it fails where that fails) and dropped. A key given twice keeps its last value, as the full parse does.
struct HeadMap(Map<String, Value>);

impl<'de> serde::Deserialize<'de> for HeadMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{MapAccess, Visitor};

        struct Key(Option<&'static str>);
        impl<'de> serde::Deserialize<'de> for Key {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct K;
                impl Visitor<'_> for K {
                    type Value = Key;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a key")
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Key, E> {
                        Ok(Key(envelope_key_index(s).map(|i| ENVELOPE_KEYS[i])))
                    }
                }
                d.deserialize_str(K)
            }
        }

        /// Any JSON value, read as the full parse reads it (strings decoded and checked,
        /// numbers in range, serde_json's nesting limit) and dropped: nothing is kept.
        struct Skip;
        impl<'de> serde::Deserialize<'de> for Skip {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(Skip)
            }
        }
        impl<'de> Visitor<'de> for Skip {
            type Value = Skip;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_none<E>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Skip, A::Error> {
                while a.next_element::<Skip>()?.is_some() {}
                Ok(Skip)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Skip, A::Error> {
                while a.next_key::<Skip>()?.is_some() {
                    a.next_value::<Skip>()?;
                }
                Ok(Skip)
            }
        }

        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HeadMap;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<HeadMap, A::Error> {
                let mut map = Map::new();
                while let Some(Key(key)) = a.next_key()? {
                    match key {
                        Some(k) => {
                            map.insert(k.to_owned(), a.next_value::<Value>()?);
                        }
                        None => {
                            a.next_value::<Skip>()?;
                        }
                    }
                }
                Ok(HeadMap(map))
            }
        }
        d.deserialize_map(V)
    }
}

/// [`parse_response_for`] (with `action`) or [`parse_response_with_headers`] (without), for a
/// host that builds the body's values itself: a success gives only its [`Envelope`], read
/// without building the body's tree (every other member is read as the full parse reads it,
/// and dropped); every refusal and every error is exactly the full parse's (it is the full
/// parse that makes it). The body a success gives is then valid JSON, an object, within the
/// nesting limit, for the host to convert.
///
/// ```
/// let env = camskit::parse_envelope(None, 200, &[], br#"{"RequestId":"r","Code":"OK","Data":[1,2]}"#).unwrap();
/// assert_eq!((env.code.as_str(), env.request_id.as_deref()), ("OK", Some("r")));
/// let err = camskit::parse_envelope(None, 200, &[], br#"{"Code":"Throttling","Message":"slow down"}"#).unwrap_err();
/// assert_eq!(err.as_api().unwrap().kind, camskit::ErrorKind::Throttling);
/// ```
///
/// # Errors
/// As [`parse_response_for`] / [`parse_response_with_headers`].
pub fn parse_envelope(
    action: Option<&str>,
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Envelope, Error> {
    let full = || {
        let headers = headers.iter().copied();
        match action {
            Some(a) => parse_response_for(a, status, headers, body),
            None => parse_response_with_headers(status, headers, body),
        }
        .map(|r| Envelope::from(&r))
    };
    if !(200..300).contains(&status) || precheck(status, body).is_err() {
        return full();
    }
    let Ok(HeadMap(map)) = serde_json::from_slice::<HeadMap>(body) else {
        return full();
    };
    let Head {
        code,
        message,
        request_id,
        access_denied_detail,
    } = head(&map);
    if !is_success(status, code.as_deref()) {
        return full();
    }
    Ok(Envelope {
        status,
        request_id,
        code: SUCCESS_CODE.into(),
        message,
        access_denied_detail,
    })
}

/// The string the server signed, from a `SignatureDoesNotMatch` message
/// (`... server string to sign is:GET&%2F&...`).
///
/// ```
/// let m = "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&A%3D1";
/// assert_eq!(camskit::server_string_to_sign(m).as_deref(), Some("GET&%2F&A%3D1"));
/// ```
pub fn server_string_to_sign(message: &str) -> Option<String> {
    const MARK: &str = "string to sign is:";
    let lower = message.to_ascii_lowercase();
    let at = lower.find(MARK)? + MARK.len();
    let s = message[at..].trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// A string to sign (or a message holding one) with every STS security token's value
/// replaced by `<redacted>`: `SecurityToken%3D…` up to the next `%26` (a 1.0 string to
/// sign), and `SecurityToken=…` up to the next `&` (a query). The rest is kept, so two
/// strings redacted alike still show where they differ.
///
/// ```
/// let s = "POST&%2F&AccessKeyId%3Did%26SecurityToken%3DCAIS%252Bx%26SignatureMethod%3DHMAC-SHA1";
/// assert_eq!(camskit::redact_tokens(s), "POST&%2F&AccessKeyId%3Did%26SecurityToken%3D<redacted>%26SignatureMethod%3DHMAC-SHA1");
/// assert_eq!(camskit::redact_tokens("a=1&SecurityToken=t0k&b=2"), "a=1&SecurityToken=<redacted>&b=2");
/// ```
pub fn redact_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let enc = rest
            .find("SecurityToken%3D")
            .map(|i| (i, "SecurityToken%3D", "%26"));
        let plain = rest
            .find("SecurityToken=")
            .map(|i| (i, "SecurityToken=", "&"));
        let next = match (enc, plain) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        let Some((at, mark, end)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at + mark.len()]);
        out.push_str("<redacted>");
        let value = &rest[at + mark.len()..];
        let stop = value
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(value.len());
        let stop = value[..stop].find(end).unwrap_or(stop);
        rest = &value[stop..];
    }
}

fn text(map: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match map.get(*n) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

/// The first bytes of a body, lossily decoded, control characters escaped.
fn snippet(body: &[u8]) -> String {
    let mut end = body.len().min(SNIPPET_BYTES);
    if end < body.len() {
        // Do not cut a UTF-8 sequence in the middle.
        let mut back = 0;
        while back < 3 && end > 0 && (body[end] & 0xC0) == 0x80 {
            end -= 1;
            back += 1;
        }
    }
    let mut out = String::with_capacity(end + 8);
    for c in String::from_utf8_lossy(&body[..end]).chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if body.len() > end {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_key_index_is_the_position_in_envelope_keys() {
        for (i, k) in ENVELOPE_KEYS.iter().enumerate() {
            assert_eq!(envelope_key_index(k), Some(i), "{k}");
        }
        for other in ["", "CODE", "Data", "RequestID", "accessDeniedDetail"] {
            assert_eq!(envelope_key_index(other), None, "{other}");
        }
    }

    #[test]
    fn http_200_with_error_code_is_an_error() {
        let err = parse_response(
            200,
            br#"{"RequestId":"r","Code":"Ram.PermissionDeny","Message":"You are not authorized to perform the operation."}"#,
        )
        .unwrap_err();
        let api = err.as_api().unwrap();
        assert_eq!(api.kind, ErrorKind::Permission);
        assert_eq!(api.status, 200);
    }

    #[test]
    fn integers_of_64_bits_are_exact() {
        let ok = parse_response(
            200,
            br#"{"Code":"OK","Data":{"U":18446744073709551615,"I":-9223372036854775808,"S":9007199254740993}}"#,
        )
        .unwrap();
        let data = ok.data().unwrap();
        assert_eq!(data["U"].as_u64(), Some(u64::MAX));
        assert_eq!(data["I"].as_i64(), Some(i64::MIN));
        assert_eq!(data["S"].to_string(), "9007199254740993");
    }

    #[test]
    fn bad_bodies() {
        for (body, needle) in [
            (&b""[..], "empty"),
            (b"   \n", "empty"),
            (b"<?xml version=\"1.0\"?><Error/>", "XML"),
            (b"<!DOCTYPE html><html>", "HTML"),
            (b"{\"Code\":\"OK\"", "truncated"),
            (b"garbage", "not valid JSON"),
            (b"[1,2]", "not an object"),
            (b"\xff\xfe{", "not valid JSON"),
        ] {
            let err = parse_response(502, body).unwrap_err();
            let Error::Parse(p) = &err else {
                panic!("{err}")
            };
            assert_eq!(p.status, 502);
            assert!(p.reason.contains(needle), "{}", p.reason);
        }
    }

    #[test]
    fn a_code_that_is_not_text_is_not_ok() {
        for body in [
            &br#"{"Code":null}"#[..],
            br#"{"Code":{"a":1}}"#,
            br#"{"Code":["OK"]}"#,
            br#"{"Code":true}"#,
        ] {
            let err = parse_response(200, body).unwrap_err();
            assert_eq!(err.as_api().unwrap().status, 200);
        }
    }

    #[test]
    fn redirects_are_errors_naming_the_target() {
        let err = parse_response_with_headers(
            302,
            [
                ("content-type", "application/json"),
                ("LOCATION", "http://x.example/a"),
            ],
            br#"{"Code":"OK"}"#,
        )
        .unwrap_err();
        let Error::Parse(p) = &err else {
            panic!("{err}")
        };
        assert_eq!(p.status, 302);
        assert!(
            p.reason.contains("redirect to http://x.example/a"),
            "{}",
            p.reason
        );
        assert!(parse_response(301, b"").is_err());
    }

    #[test]
    fn oversized_bodies_are_refused_before_parsing() {
        let body = vec![b' '; MAX_RESPONSE_BYTES + 1];
        let err = parse_response(200, &body).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
    }

    #[test]
    fn snippet_is_bounded() {
        let body = "é".repeat(1000);
        let err = parse_response(500, body.as_bytes()).unwrap_err();
        let Error::Parse(p) = err else { panic!() };
        assert!(p.snippet.chars().count() <= SNIPPET_BYTES + 1);
        assert!(p.snippet.ends_with('…'));
    }
}

#[cfg(test)]
mod redaction {
    use super::*;

    #[test]
    fn a_signature_mismatch_never_carries_the_sts_token() {
        let token = "CAISCanaryStsToken%2Bx";
        let body = format!(
            r#"{{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DSTS.id%26SecurityToken%3D{token}%26SignatureMethod%3DHMAC-SHA1","RequestId":"r"}}"#
        );
        let e = parse_response(400, body.as_bytes()).unwrap_err();
        let api = e.as_api().unwrap();
        let everything = format!("{e} {api:?} {} {}", api.message, api.body);
        assert!(!everything.contains("CAISCanary"), "{everything}");
        let server = api.server_string_to_sign.as_deref().unwrap();
        assert_eq!(
            server,
            "POST&%2F&AccessKeyId%3DSTS.id%26SecurityToken%3D<redacted>%26SignatureMethod%3DHMAC-SHA1"
        );
        // Redacted alike, the client's string still compares equal.
        let client = format!(
            "POST&%2F&AccessKeyId%3DSTS.id%26SecurityToken%3D{token}%26SignatureMethod%3DHMAC-SHA1"
        );
        assert_eq!(redact_tokens(&client), server);
    }

    #[test]
    fn redaction_keeps_what_is_not_a_token() {
        assert_eq!(redact_tokens("no token here"), "no token here");
        assert_eq!(
            redact_tokens("SecurityToken%3Dabc"),
            "SecurityToken%3D<redacted>"
        );
        assert_eq!(
            redact_tokens("x SecurityToken=abc def&SecurityToken%3Dq%26z"),
            "x SecurityToken=<redacted> def&SecurityToken%3D<redacted>%26z"
        );
    }
}

#[cfg(test)]
mod density {
    use super::*;

    fn list(item: &str, bytes: usize) -> Vec<u8> {
        let mut body = String::from(r#"{"RequestId":"r","Code":"OK","ListTemplate":["#);
        while body.len() < bytes {
            body.push_str(item);
            body.push(',');
        }
        body.push_str(item);
        body.push_str("]}");
        body.into_bytes()
    }

    #[test]
    fn a_long_body_of_tiny_values_is_refused_before_parsing() {
        let dense = list(r#"{"a":1}"#, DENSITY_CHECK_BYTES + 1);
        let e = parse_response(200, &dense).unwrap_err();
        assert!(e.to_string().contains("JSON values"), "{e}");
        // Commas and brackets inside strings are not values.
        let text = list(
            r#""a,b,c,[d],{e},f,g,h,i,j,k,l,m""#,
            DENSITY_CHECK_BYTES + 1,
        );
        assert!(parse_response(200, &text).is_ok());
        // A real list of the same length is read.
        let real = list(
            r#"{"TemplateCode":"744c4b5c79c9432497a075bdfca3****","TemplateName":"hello","Language":"en","Category":"MARKETING","AuditStatus":"pass","LastUpdateTime":1693810000000}"#,
            DENSITY_CHECK_BYTES + 1,
        );
        assert!(parse_response(200, &real).is_ok());
        // A short dense body is never checked.
        assert!(parse_response(200, &list(r#"{"a":1}"#, 100_000)).is_ok());
    }
}

//! Receipts and inbound messages: what CAMS sends back, parsed into typed [`Event`]s.
//!
//! CAMS reports what happened after a call in three documented message types ("Message
//! receipts and configuration",
//! <https://help.aliyun.com/en/chatapp/developer-reference/configure-message-receipts>):
//! - `ChatAppStatus`: delivery receipts of the messages you sent ([`ChatAppStatus`]);
//! - `ChatAppInbound`: your customers' messages ([`ChatAppInbound`], the `Message` decoded
//!   per `Type` into an [`InboundContent`]);
//! - `ChatAppAudit`: template review results, and (V2) phone number and WABA notices
//!   ([`ChatAppAudit`]).
//!
//! Two transports carry them, and both end here with no I/O:
//! - HTTP batch push: your server receives a JSON array (one or more events) and must answer
//!   within 3 seconds; hand the body to [`parse_push`] (answer first, handle after).
//! - Simple Message Queue (formerly MNS) consumer mode: hand each message's `MessageBody`
//!   to [`parse_mns_body`]; it is base64 of the JSON text, the way Alibaba's MNS SDKs
//!   encode it (their `getMessageBodyAsString` decodes base64), or plain JSON.
//!
//! Receipts come at least once and out of order: [`Event::dedup_key`] and [`DedupWindow`]
//! drop close repeats (persistent dedup is your store's job), and [`advances`] keeps a late
//! `Delivered` from undoing a `Read`. A field camskit does not know is kept in each event's
//! `extra`; a type it does not know is [`Event::Other`]; neither is an error.
//!
//! ```
//! use camskit::receipts::{parse_push, Event, InboundContent};
//! let body = br#"[{"MessageId":"1000000000000001","From":"861388888****","To":"86137888****",
//!   "DisplayName":"Mr Liu","Type":"TEXT","Message":"hello,it's me","Timestamp":1662104191973,"Name":"jack"}]"#;
//! let events = parse_push(body, Some("ChatAppInbound"))?;
//! let Event::Inbound(message) = &events[0] else { panic!() };
//! assert_eq!(message.timestamp, Some(1662104191973));
//! assert_eq!(message.content, InboundContent::Text { text: "hello,it's me".into() });
//! assert_eq!(events[0].dedup_key(), "ChatAppInbound/1000000000000001");
//! # Ok::<(), camskit::Error>(())
//! ```

mod audit;
mod body;
mod dedup;
mod fields;
mod inbound;
mod push;
mod status;

pub use audit::ChatAppAudit;
pub use dedup::DedupWindow;
pub use inbound::{ChatAppInbound, InboundContent, Location, Media, Reply};
pub use push::PushAnswer;
pub use status::{ChatAppStatus, Status, advances};

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;
use sha2::Digest as _;

use body::{Entries, Item};
use fields::{Fields, What};

use crate::error::{Error, truncate};
use crate::response::MAX_RESPONSE_BYTES;

/// The largest receipt body parsed, in bytes: [`MAX_RESPONSE_BYTES`]
/// (8 MiB), for a push body, an MNS message body, and its base64-decoded text alike. A push
/// holds a batch of events of a few hundred bytes each; a host reads at most this plus one
/// byte and hands it over.
pub const MAX_RECEIPT_BYTES: usize = MAX_RESPONSE_BYTES;

/// The deepest nesting of arrays and objects parsed in a receipt body, and in an inbound
/// `Message`'s JSON text. Receipts are two or three levels deep; a deeper body is refused
/// (before serde_json's own limit of 128).
pub const MAX_DEPTH: usize = 64;

/// The receipt message types the docs list, in their spelling.
pub const MESSAGE_TYPES: [&str; 3] = ["ChatAppStatus", "ChatAppInbound", "ChatAppAudit"];

/// One receipt or inbound message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "MessageType", content = "Event")]
#[non_exhaustive]
pub enum Event {
    /// `ChatAppStatus`: a delivery receipt.
    #[serde(rename = "ChatAppStatus")]
    Status(ChatAppStatus),
    /// `ChatAppInbound`: a customer's message.
    #[serde(rename = "ChatAppInbound")]
    Inbound(ChatAppInbound),
    /// `ChatAppAudit`: a template review result or an account notice.
    #[serde(rename = "ChatAppAudit")]
    Audit(ChatAppAudit),
    /// A type camskit does not know (given by name, or not recognised from the fields):
    /// the event as it came.
    Other {
        /// The message type given, if any.
        message_type: Option<String>,
        /// The event as it came.
        raw: Value,
    },
}

impl Event {
    /// The message type's name (`ChatAppStatus`, ...; the given name for [`Event::Other`]).
    pub fn message_type(&self) -> Option<&str> {
        match self {
            Event::Status(_) => Some("ChatAppStatus"),
            Event::Inbound(_) => Some("ChatAppInbound"),
            Event::Audit(_) => Some("ChatAppAudit"),
            Event::Other { message_type, .. } => message_type.as_deref(),
        }
    }

    /// What identifies this event, the same for every repeat of one push: `MessageId` and
    /// `Status` for a delivery receipt (one receipt per status of a message), `MessageId`
    /// for an inbound message, the whole report for a review result (the docs give it no
    /// ID), and the type with the SHA-256 of the event's JSON text for an unknown type.
    /// Use it with [`DedupWindow`] or as a unique key in your store.
    pub fn dedup_key(&self) -> String {
        match self {
            Event::Status(e) => e.dedup_key(),
            Event::Inbound(e) => e.dedup_key(),
            Event::Audit(e) => e.dedup_key(),
            Event::Other { message_type, raw } => {
                let digest = sha2::Sha256::digest(raw.to_string().as_bytes());
                format!(
                    "Other/{}/{}",
                    message_type.as_deref().unwrap_or(""),
                    hex::encode(digest)
                )
            }
        }
    }
}

/// The message type an MNS queue carries, from its name: CAMS names its queues
/// `Alicom-Queue-<id>-<MessageType>` (`Alicom-Queue-****-ChatAppStatus` in
/// `QueryChatappPhoneNumbers`' example answer).
///
/// ```
/// assert_eq!(camskit::receipts::message_type_of_queue("Alicom-Queue-1234-ChatAppInbound"), Some("ChatAppInbound"));
/// assert_eq!(camskit::receipts::message_type_of_queue("my-queue"), None);
/// ```
pub fn message_type_of_queue(queue_name: &str) -> Option<&'static str> {
    MESSAGE_TYPES
        .into_iter()
        .find(|t| queue_name.ends_with(&format!("-{t}")))
}

/// Parses an HTTP batch push body: a JSON array of events, or one event object.
///
/// `message_type` is the type your endpoint receives (`ChatAppStatus`, `ChatAppInbound`,
/// `ChatAppAudit`; ASCII case ignored), when you configured one URL per type; `None`
/// recognises each event from its fields (`MessageId` with `Status` is a delivery receipt,
/// `MessageId` with `Type` and `Message` or `DisplayName` an inbound message, `WabaId` with
/// `AuditStatus` (or `Type` and no `MessageId`) a review result, anything else
/// [`Event::Other`]). A type name camskit does not know makes every event [`Event::Other`].
///
/// # Errors
/// [`Error::InvalidInput`] naming what is wrong: the body is empty, larger than
/// [`MAX_RECEIPT_BYTES`], nested deeper than [`MAX_DEPTH`], not JSON, neither an array nor
/// an object; an event is not an object; or an event of a known type lacks a field the docs
/// require and camskit needs (`MessageId` and `Status`; `MessageId` and `Type`; `WabaId` and
/// `AuditStatus` or `Type`). An unknown field or type is never an error.
pub fn parse_push(body: &[u8], message_type: Option<&str>) -> Result<Vec<Event>, Error> {
    parse_body("receipt push body", body, message_type)
}

/// Parses the `MessageBody` of a Simple Message Queue (MNS) message, as the official
/// pullers read it.
///
/// Alibaba's Java puller hands its listener `Message.getMessageBodyAsString()`, which
/// base64-decodes the body (the MNS SDK's default encoding) before reading UTF-8; a queue
/// written without encoding carries the JSON itself. So a body that starts with `{` or `[`
/// is JSON, and anything else is base64 of the JSON text (standard alphabet, padding
/// optional, whitespace ignored). Each message holds one event object (or an array, read like
/// a push).
///
/// # Errors
/// As [`parse_push`]; and [`Error::InvalidInput`] when the body is neither JSON nor base64,
/// or its base64 does not decode to JSON text.
pub fn parse_mns_body(body: &[u8], message_type: Option<&str>) -> Result<Vec<Event>, Error> {
    const WHAT: &str = "MNS message body";
    check_size(WHAT, body)?;
    let trimmed = body.trim_ascii();
    if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        return parse_body(WHAT, trimmed, message_type);
    }
    if trimmed.is_empty() {
        return Err(Error::invalid(WHAT, "it is empty"));
    }
    // Line breaks inside base64 are allowed; a body without any (the usual) is decoded as it
    // is, without a copy.
    let compact: std::borrow::Cow<'_, [u8]> = if trimmed.iter().any(u8::is_ascii_whitespace) {
        trimmed
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect::<Vec<u8>>()
            .into()
    } else {
        trimmed.into()
    };
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let decoded = ENGINE.decode(&*compact).map_err(|e| {
        Error::invalid(
            WHAT,
            format!(
                "it is neither JSON nor base64 of JSON ({e}); it starts with \"{}\"",
                start(body)
            ),
        )
    })?;
    parse_body("MNS message body (base64-decoded)", &decoded, message_type)
}

fn check_size(what: &str, body: &[u8]) -> Result<(), Error> {
    if body.len() > MAX_RECEIPT_BYTES {
        return Err(Error::invalid(
            what,
            format!(
                "it has {} bytes; receipt bodies larger than {MAX_RECEIPT_BYTES} bytes are not parsed",
                body.len()
            ),
        ));
    }
    Ok(())
}

/// The first bytes of a body, for messages.
fn start(body: &[u8]) -> String {
    let head = &body[..body.len().min(120)];
    truncate(&String::from_utf8_lossy(head))
}

fn parse_body(what: &str, body: &[u8], message_type: Option<&str>) -> Result<Vec<Event>, Error> {
    check_size(what, body)?;
    // A UTF-8 byte order mark (some web stacks write one) is no JSON, and no content either.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.trim_ascii().is_empty() {
        return Err(Error::invalid(what, "it is empty"));
    }
    if !json_depth_ok(body) {
        return Err(Error::invalid(
            what,
            format!("it is nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let read: Item = serde_json::from_slice(body).map_err(|e| {
        let problem = if e.is_eof() {
            "it is truncated JSON"
        } else {
            "it is not JSON"
        };
        Error::invalid(
            what,
            format!("{problem} ({e}); it starts with \"{}\"", start(body)),
        )
    })?;
    let items = match read {
        Item::List(items) => items,
        object @ Item::Object(_) => vec![object],
        other @ Item::Scalar(_) => {
            return Err(Error::invalid(
                what,
                format!(
                    "it is {}, not a JSON array of events or one event object",
                    other.kind()
                ),
            ));
        }
    };
    let given = message_type.map(str::trim);
    let count = items.len();
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let Item::Object(entries) = item else {
                return Err(Error::invalid(
                    format!("{what}, event {} of {count}", i + 1),
                    format!("it is {}, not a JSON object", item.kind()),
                ));
            };
            event(entries, given, i + 1, count)
        })
        .collect()
}

/// Which documented type an event object is, from its fields.
fn recognise(entries: &[(String, Value)]) -> Option<&'static str> {
    let has = |name: &str| entries.iter().any(|(k, _)| k == name);
    if has("MessageId") && has("Status") && !has("Message") {
        Some("ChatAppStatus")
    } else if has("MessageId") && has("Type") && (has("Message") || has("DisplayName")) {
        Some("ChatAppInbound")
    } else if has("WabaId") && (has("AuditStatus") || (has("Type") && !has("MessageId"))) {
        Some("ChatAppAudit")
    } else {
        None
    }
}

fn event(
    entries: Entries,
    given: Option<&str>,
    index: usize,
    count: usize,
) -> Result<Event, Error> {
    let known = match given {
        Some(name) => MESSAGE_TYPES
            .into_iter()
            .find(|t| t.eq_ignore_ascii_case(name)),
        None => recognise(&entries),
    };
    let Some(kind) = known else {
        return Ok(Event::Other {
            message_type: given.map(str::to_owned),
            raw: Value::Object(entries.into_iter().collect()),
        });
    };
    let fields = Fields::from_entries(What::Event { kind, index, count }, entries);
    Ok(match kind {
        "ChatAppStatus" => Event::Status(ChatAppStatus::from_fields(fields)?),
        "ChatAppInbound" => Event::Inbound(ChatAppInbound::from_fields(fields)?),
        _ => Event::Audit(ChatAppAudit::from_fields(fields)?),
    })
}

/// Whether JSON text nests arrays and objects at most [`MAX_DEPTH`] deep (brackets inside
/// strings not counted). A cheap pass before parsing, so a hostile body is refused with
/// a clear message and never recursed into.
pub(crate) fn json_depth_ok(text: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'"' => {
                match crate::scan::string_end(text, i + 1) {
                    Some(end) => i = end,
                    None => return true,
                }
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_outside_strings() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(!json_depth_ok(deep.as_bytes()));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(json_depth_ok(ok.as_bytes()));
        let quoted = format!("\"{}\\\"{}\"", "[".repeat(200), "{".repeat(200));
        assert!(json_depth_ok(quoted.as_bytes()));
    }

    /// The depth check as it first read: byte by byte, in or out of a string.
    fn depth_ok_byte_by_byte(text: &[u8]) -> bool {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for &b in text {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return false;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        true
    }

    proptest::proptest! {
        /// The skipping check says what the byte-by-byte one says, on texts of brackets,
        /// quotes and escapes (deep ones included), cut anywhere.
        #[test]
        fn depth_check_skips_strings_exactly(
            parts in proptest::collection::vec(
                proptest::sample::select(vec!["[", "{", "]", "}", "\"", "\\", "a", "[[[[[[[[", "\"[{\\\"", "\\\""]),
                0..120,
            ),
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(json_depth_ok(text.as_bytes()), depth_ok_byte_by_byte(text.as_bytes()), "{}", text);
        }
    }

    #[test]
    fn queue_names() {
        assert_eq!(
            message_type_of_queue("Alicom-Queue-****-ChatAppStatus"),
            Some("ChatAppStatus")
        );
        assert_eq!(message_type_of_queue("ChatAppStatus"), None);
    }
}

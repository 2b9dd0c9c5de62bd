//! Receipts and inbound messages: core's typed [`camskit::receipts::Event`]s as uniffi
//! records and enums ([`ReceiptEvent`]), core's [`camskit::receipts::DedupWindow`] and
//! [`camskit::receipts::advances`].
//!
//! Pure translation: what a body means, which type an event is, the dedup key, the status
//! order are core's. Integers stay exact 64-bit (Kotlin `Long`); what core keeps as JSON
//! (`extra`, an unknown event, a `Message` without listed fields) crosses as JSON text.

use std::sync::Mutex;

use camskit::receipts as core;
use serde_json::{Map, Value};

use crate::{CamsError, guard};

/// A delivery receipt's status (core's `receipts::Status`), read from `Status` ignoring case;
/// `Other` for `subscribe`/`unsubscribe` and values camskit does not know (the text is in
/// `ChatAppStatus.statusText`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ReceiptStatus {
    /// `Sent`: sent to WhatsApp.
    Sent,
    /// `Delivered`: delivered to the phone.
    Delivered,
    /// `Read`: read by the recipient.
    Read,
    /// `Failed`: delivery failed (terminal).
    Failed,
    /// `Deleted`: deleted (terminal).
    Deleted,
    /// Any other value: no step of delivery.
    Other,
}

impl From<core::Status> for ReceiptStatus {
    fn from(s: core::Status) -> Self {
        match s {
            core::Status::Sent => ReceiptStatus::Sent,
            core::Status::Delivered => ReceiptStatus::Delivered,
            core::Status::Read => ReceiptStatus::Read,
            core::Status::Failed => ReceiptStatus::Failed,
            core::Status::Deleted => ReceiptStatus::Deleted,
            _ => ReceiptStatus::Other,
        }
    }
}

impl From<ReceiptStatus> for core::Status {
    fn from(s: ReceiptStatus) -> Self {
        match s {
            ReceiptStatus::Sent => core::Status::Sent,
            ReceiptStatus::Delivered => core::Status::Delivered,
            ReceiptStatus::Read => core::Status::Read,
            ReceiptStatus::Failed => core::Status::Failed,
            ReceiptStatus::Deleted => core::Status::Deleted,
            ReceiptStatus::Other => core::Status::Other,
        }
    }
}

/// A delivery receipt (`ChatAppStatus`): core's `receipts::ChatAppStatus`. Only `messageId`
/// and the status are required; every other documented field may be absent.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatAppStatus {
    /// `MessageId`: the message's ID, as `SendChatappMessage` answered it (a number sent by
    /// the push is its exact decimal text).
    pub message_id: String,
    /// `Status` as core reads it.
    pub status: ReceiptStatus,
    /// `Status` as received (`Read`, `unsubscribe`, ...).
    pub status_text: String,
    /// `From`: your business number.
    pub from: Option<String>,
    /// `To`: the recipient's number.
    pub to: Option<String>,
    /// `Timestamp`: unix milliseconds, exact.
    pub timestamp: Option<i64>,
    /// `StatusDescription`.
    pub status_description: Option<String>,
    /// `ErrorCode` (`131026`).
    pub error_code: Option<String>,
    /// `ErrorDescription`.
    pub error_description: Option<String>,
    /// `ConversationType`: `service`, `utility`, `marketing`, `authentication`.
    pub conversation_type: Option<String>,
    /// `ConversationId`.
    pub conversation_id: Option<String>,
    /// `ConversationExpirationTime` (deprecated; also read from `ConversionExpirationTime`).
    pub conversation_expiration_time: Option<i64>,
    /// `MsgFrameType`: `message` or `template`.
    pub msg_frame_type: Option<String>,
    /// `Type`: the content's media type (`image`, `none`, `TEMPLATE`, ...).
    pub content_type: Option<String>,
    /// `TaskId`.
    pub task_id: Option<String>,
    /// `OriginPhoneNumber`.
    pub origin_phone_number: Option<String>,
    /// `TemplateCode`.
    pub template_code: Option<String>,
    /// `TemplateName`.
    pub template_name: Option<String>,
    /// `Language`.
    pub language: Option<String>,
    /// `FromUserId` (BSUID).
    pub from_user_id: Option<String>,
    /// `FromParentUserId`.
    pub from_parent_user_id: Option<String>,
    /// `FromUserName`.
    pub from_user_name: Option<String>,
    /// `UserId` (BSUID).
    pub user_id: Option<String>,
    /// `ParentUserId`.
    pub parent_user_id: Option<String>,
    /// `UserName`.
    pub user_name: Option<String>,
    /// Every other field, unchanged, as a JSON object's text (`{}` when none).
    pub extra_json: String,
    /// Core's dedup key: `ChatAppStatus/<MessageId>/<Status>`.
    pub dedup_key: String,
}

impl From<core::ChatAppStatus> for ChatAppStatus {
    fn from(e: core::ChatAppStatus) -> Self {
        ChatAppStatus {
            dedup_key: e.dedup_key(),
            message_id: e.message_id,
            status: e.status.into(),
            status_text: e.status_text,
            from: e.from,
            to: e.to,
            timestamp: e.timestamp,
            status_description: e.status_description,
            error_code: e.error_code,
            error_description: e.error_description,
            conversation_type: e.conversation_type,
            conversation_id: e.conversation_id,
            conversation_expiration_time: e.conversation_expiration_time,
            msg_frame_type: e.msg_frame_type,
            content_type: e.content_type,
            task_id: e.task_id,
            origin_phone_number: e.origin_phone_number,
            template_code: e.template_code,
            template_name: e.template_name,
            language: e.language,
            from_user_id: e.from_user_id,
            from_parent_user_id: e.from_parent_user_id,
            from_user_name: e.from_user_name,
            user_id: e.user_id,
            parent_user_id: e.parent_user_id,
            user_name: e.user_name,
            extra_json: map_json(e.extra),
        }
    }
}

/// A customer's message (`ChatAppInbound`): core's `receipts::ChatAppInbound`, its `Message`
/// decoded per `Type` in `content`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatAppInbound {
    /// `MessageId`.
    pub message_id: String,
    /// `CustSpaceId`.
    pub cust_space_id: Option<String>,
    /// `WabaId`.
    pub waba_id: Option<String>,
    /// `From`: the customer's number.
    pub from: Option<String>,
    /// `To`: your business number.
    pub to: Option<String>,
    /// `FromUserId` (BSUID).
    pub from_user_id: Option<String>,
    /// `FromParentUserId`.
    pub from_parent_user_id: Option<String>,
    /// `FromUserName`.
    pub from_user_name: Option<String>,
    /// `Timestamp`: unix milliseconds, exact.
    pub timestamp: Option<i64>,
    /// `DisplayName`.
    pub display_name: Option<String>,
    /// `Type` as received (`TEXT`, `IMAGE`, ...).
    pub message_type: String,
    /// `Message` as received, as JSON text (a JSON string for `TEXT`; `null` when absent).
    pub message_json: String,
    /// `Message` decoded per `Type` by core.
    pub content: InboundContent,
    /// `Name`.
    pub name: Option<String>,
    /// Every other field, unchanged, as a JSON object's text.
    pub extra_json: String,
    /// Core's dedup key: `ChatAppInbound/<MessageId>`.
    pub dedup_key: String,
}

impl From<core::ChatAppInbound> for ChatAppInbound {
    fn from(e: core::ChatAppInbound) -> Self {
        ChatAppInbound {
            dedup_key: e.dedup_key(),
            message_id: e.message_id,
            cust_space_id: e.cust_space_id,
            waba_id: e.waba_id,
            from: e.from,
            to: e.to,
            from_user_id: e.from_user_id,
            from_parent_user_id: e.from_parent_user_id,
            from_user_name: e.from_user_name,
            timestamp: e.timestamp,
            display_name: e.display_name,
            message_type: e.message_type,
            message_json: e.message.to_string(),
            content: e.content.into(),
            name: e.name,
            extra_json: map_json(e.extra),
        }
    }
}

/// A media object of an inbound message (IMAGE, VIDEO, AUDIO, DOCUMENT, STICKER).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InboundMedia {
    /// `id`.
    pub id: Option<String>,
    /// `url` (valid for 7 days).
    pub url: Option<String>,
    /// `mimeType`.
    pub mime_type: Option<String>,
    /// `caption` (IMAGE).
    pub caption: Option<String>,
    /// `name` (VIDEO, AUDIO, DOCUMENT).
    pub name: Option<String>,
    /// `filename` (or `fileName`).
    pub filename: Option<String>,
    /// `animated`.
    pub animated: Option<bool>,
    /// Every other field, as a JSON object's text.
    pub extra_json: String,
}

impl From<core::Media> for InboundMedia {
    fn from(m: core::Media) -> Self {
        InboundMedia {
            id: m.id,
            url: m.url,
            mime_type: m.mime_type,
            caption: m.caption,
            name: m.name,
            filename: m.filename,
            animated: m.animated,
            extra_json: map_json(m.extra),
        }
    }
}

/// A LOCATION object (coordinates as the docs' text).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InboundLocation {
    /// `address`.
    pub address: Option<String>,
    /// `latitude`, as text.
    pub latitude: Option<String>,
    /// `longitude`, as text.
    pub longitude: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// Every other field, as a JSON object's text.
    pub extra_json: String,
}

/// A REPLY object: the button the customer tapped.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InboundReply {
    /// `text`: the button's name.
    pub text: Option<String>,
    /// `payload`: the button's payload.
    pub payload: Option<String>,
    /// Every other field, as a JSON object's text.
    pub extra_json: String,
}

/// An inbound `Message` decoded per `Type` (core's `receipts::InboundContent`). Never an
/// error: an unknown `Type` is `Other`, a `Message` that is not what its type needs is
/// `Unparsed`.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum InboundContent {
    /// `TEXT`.
    Text {
        /// The text.
        text: String,
    },
    /// `IMAGE`.
    Image {
        /// The image.
        media: InboundMedia,
    },
    /// `VIDEO`.
    Video {
        /// The video.
        media: InboundMedia,
    },
    /// `AUDIO`.
    Audio {
        /// The audio file or voice note.
        media: InboundMedia,
    },
    /// `DOCUMENT`.
    Document {
        /// The document.
        media: InboundMedia,
    },
    /// `STICKER`.
    Sticker {
        /// The sticker.
        media: InboundMedia,
    },
    /// `LOCATION`.
    Location {
        /// The location.
        location: InboundLocation,
    },
    /// `REPLY`.
    Reply {
        /// The button tapped.
        reply: InboundReply,
    },
    /// `CONTACTS` (the docs list no fields): the decoded JSON.
    Contacts {
        /// The decoded `Message`, as JSON text.
        value_json: String,
    },
    /// `SYSTEM` (the docs list no fields): the decoded JSON.
    System {
        /// The decoded `Message`, as JSON text.
        value_json: String,
    },
    /// A `Type` camskit does not know.
    Other {
        /// The `Type`.
        message_type: String,
        /// The `Message`, decoded when it is JSON, as JSON text.
        value_json: String,
    },
    /// A known `Type` whose `Message` is not what it needs: kept as it came.
    Unparsed {
        /// The `Type`.
        message_type: String,
        /// What is wrong.
        reason: String,
        /// The `Message` as it came, as JSON text.
        raw_json: String,
    },
}

impl From<core::InboundContent> for InboundContent {
    fn from(c: core::InboundContent) -> Self {
        use core::InboundContent as C;
        match c {
            C::Text { text } => InboundContent::Text { text },
            C::Image(m) => InboundContent::Image { media: m.into() },
            C::Video(m) => InboundContent::Video { media: m.into() },
            C::Audio(m) => InboundContent::Audio { media: m.into() },
            C::Document(m) => InboundContent::Document { media: m.into() },
            C::Sticker(m) => InboundContent::Sticker { media: m.into() },
            C::Location(l) => InboundContent::Location {
                location: InboundLocation {
                    address: l.address,
                    latitude: l.latitude,
                    longitude: l.longitude,
                    name: l.name,
                    extra_json: map_json(l.extra),
                },
            },
            C::Reply(r) => InboundContent::Reply {
                reply: InboundReply {
                    text: r.text,
                    payload: r.payload,
                    extra_json: map_json(r.extra),
                },
            },
            C::Contacts { value } => InboundContent::Contacts {
                value_json: value.to_string(),
            },
            C::System { value } => InboundContent::System {
                value_json: value.to_string(),
            },
            C::Other {
                message_type,
                value,
            } => InboundContent::Other {
                message_type,
                value_json: value.to_string(),
            },
            C::Unparsed {
                message_type,
                reason,
                raw,
            } => InboundContent::Unparsed {
                message_type,
                reason,
                raw_json: raw.to_string(),
            },
        }
    }
}

/// A template review result or (V2) an account notice (`ChatAppAudit`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ChatAppAudit {
    /// `WabaId`.
    pub waba_id: String,
    /// `TemplateCode`.
    pub template_code: Option<String>,
    /// `Language`.
    pub language: Option<String>,
    /// `AuditStatus`: `pass`, `fail`, `auditing`, `unaudit`, `disabled`, `paused`.
    pub audit_status: Option<String>,
    /// `Reason`.
    pub reason: Option<String>,
    /// `Type` (V2): `template`, `phoneNameUpdate`, `phoneQualityUpdate`, ...
    pub notice_type: Option<String>,
    /// `PhoneNumber` (V2).
    pub phone_number: Option<String>,
    /// `Status` (V2).
    pub status: Option<String>,
    /// `CurrentLimit` (V2).
    pub current_limit: Option<String>,
    /// Every other field, as a JSON object's text.
    pub extra_json: String,
    /// Core's dedup key (the whole report: the docs give it no ID).
    pub dedup_key: String,
}

impl From<core::ChatAppAudit> for ChatAppAudit {
    fn from(e: core::ChatAppAudit) -> Self {
        ChatAppAudit {
            dedup_key: e.dedup_key(),
            waba_id: e.waba_id,
            template_code: e.template_code,
            language: e.language,
            audit_status: e.audit_status,
            reason: e.reason,
            notice_type: e.notice_type,
            phone_number: e.phone_number,
            status: e.status,
            current_limit: e.current_limit,
            extra_json: map_json(e.extra),
        }
    }
}

/// One receipt or inbound message (core's `receipts::Event`). Kotlin: a sealed class
/// (`ReceiptEvent.Status`, `.Inbound`, `.Audit`, `.Other`); Swift: an enum.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ReceiptEvent {
    /// `ChatAppStatus`: a delivery receipt.
    Status {
        /// The receipt.
        event: ChatAppStatus,
    },
    /// `ChatAppInbound`: a customer's message.
    Inbound {
        /// The message.
        event: ChatAppInbound,
    },
    /// `ChatAppAudit`: a review result or an account notice.
    Audit {
        /// The report.
        event: ChatAppAudit,
    },
    /// A type camskit does not know: the event as it came.
    Other {
        /// The message type given, if any.
        message_type: Option<String>,
        /// The event as it came, as JSON text.
        raw_json: String,
        /// Core's dedup key (the type and the SHA-256 of the event's JSON text).
        dedup_key: String,
    },
}

impl From<core::Event> for ReceiptEvent {
    fn from(e: core::Event) -> Self {
        let dedup_key = e.dedup_key();
        match e {
            core::Event::Status(s) => ReceiptEvent::Status { event: s.into() },
            core::Event::Inbound(i) => ReceiptEvent::Inbound { event: i.into() },
            core::Event::Audit(a) => ReceiptEvent::Audit { event: a.into() },
            core::Event::Other { message_type, raw } => ReceiptEvent::Other {
                message_type,
                raw_json: raw.to_string(),
                dedup_key,
            },
            // core's enum is non-exhaustive: a future type reaches the app as Other
            #[allow(unreachable_patterns)]
            other => ReceiptEvent::Other {
                message_type: other.message_type().map(str::to_owned),
                raw_json: serde_json::to_string(&other).unwrap_or_default(),
                dedup_key,
            },
        }
    }
}

pub(crate) fn events(events: Vec<core::Event>) -> Vec<ReceiptEvent> {
    events.into_iter().map(Into::into).collect()
}

fn map_json(map: Map<String, Value>) -> String {
    Value::Object(map).to_string()
}

/// Parses an HTTP batch push body (core's `receipts::parse_push`): a JSON array of events
/// (or one object). `messageType`: the type your endpoint receives (`ChatAppStatus`, ...),
/// or `null` to recognise each event from its fields. Bad input throws
/// `CamsException.Validation` naming what is wrong; an unknown field or type is kept, never an
/// error.
#[uniffi::export(default(message_type = None))]
pub fn parse_push(
    body: String,
    message_type: Option<String>,
) -> Result<Vec<ReceiptEvent>, CamsError> {
    guard(|| {
        Ok(events(core::parse_push(
            body.as_bytes(),
            message_type.as_deref(),
        )?))
    })
}

/// Parses an MNS message's `MessageBody` (core's `receipts::parse_mns_body`): JSON, or base64
/// of the JSON text as Alibaba's MNS SDKs write it.
#[uniffi::export(default(message_type = None))]
pub fn parse_mns_body(
    body: String,
    message_type: Option<String>,
) -> Result<Vec<ReceiptEvent>, CamsError> {
    guard(|| {
        Ok(events(core::parse_mns_body(
            body.as_bytes(),
            message_type.as_deref(),
        )?))
    })
}

/// Whether `incoming` is news for a message whose stored status is `current` (`null`: none
/// yet): core's order (`Sent < Delivered < Read`; `Failed`/`Deleted` terminal; a late
/// `Delivered` never undoes a `Read`).
#[uniffi::export]
pub fn advances(current: Option<ReceiptStatus>, incoming: ReceiptStatus) -> bool {
    core::advances(current.map(Into::into), incoming.into())
}

/// A status text as core reads it (`"read"` → `Read`; unknown → `Other`).
#[uniffi::export]
pub fn receipt_status_of(text: String) -> ReceiptStatus {
    core::Status::from_text(&text).into()
}

/// The message type an MNS queue carries, from its name (`Alicom-Queue-<id>-ChatAppStatus` →
/// `ChatAppStatus`); `null` for another name.
#[uniffi::export]
pub fn message_type_of_queue(queue_name: String) -> Option<String> {
    core::message_type_of_queue(&queue_name).map(str::to_owned)
}

/// The last `capacity` dedup keys seen (core's `receipts::DedupWindow`), to drop repeated
/// pushes in one process. Thread-safe. Persistent dedup is your store's job.
#[derive(Debug, uniffi::Object)]
pub struct DedupWindow {
    inner: Mutex<core::DedupWindow>,
}

#[uniffi::export]
impl DedupWindow {
    /// A window of the last `capacity` keys (at least 1).
    #[uniffi::constructor]
    pub fn new(capacity: u32) -> Self {
        DedupWindow {
            inner: Mutex::new(core::DedupWindow::new(capacity as usize)),
        }
    }

    /// Whether `key` was seen; a new key is remembered (and `false` returned).
    pub fn seen(&self, key: String) -> bool {
        self.lock().seen(&key)
    }

    /// Whether `key` is in the window, without remembering it.
    pub fn contains(&self, key: String) -> bool {
        self.lock().contains(&key)
    }

    /// How many keys it holds now.
    pub fn size(&self) -> u32 {
        u32::try_from(self.lock().len()).unwrap_or(u32::MAX)
    }

    /// The most keys it holds.
    pub fn capacity(&self) -> u32 {
        u32::try_from(self.lock().capacity()).unwrap_or(u32::MAX)
    }
}

impl DedupWindow {
    fn lock(&self) -> std::sync::MutexGuard<'_, core::DedupWindow> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_push_crosses_exactly() {
        let body = r#"[{"MessageId":2023078469463703123,"Status":"read","Timestamp":"1691043638000","New":1}]"#;
        let events = parse_push(body.into(), Some("ChatAppStatus".into())).unwrap();
        let ReceiptEvent::Status { event } = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(event.message_id, "2023078469463703123");
        assert_eq!(event.status, ReceiptStatus::Read);
        assert_eq!(event.status_text, "read");
        assert_eq!(event.timestamp, Some(1_691_043_638_000));
        assert_eq!(event.extra_json, r#"{"New":1}"#);
        assert_eq!(event.dedup_key, "ChatAppStatus/2023078469463703123/read");
    }

    #[test]
    fn inbound_content_and_other_events() {
        let body = r#"[{"MessageId":"1","Type":"LOCATION","Message":"{\"latitude\":30.5,\"name\":\"x\",\"k\":true}"},
                      {"MessageId":"2","Type":"TEXT","Message":"hi"},
                      {"MessageId":"3","Type":"IMAGE","Message":"{bad"}]"#;
        let events = parse_push(body.into(), Some("ChatAppInbound".into())).unwrap();
        let ReceiptEvent::Inbound { event } = &events[0] else {
            panic!()
        };
        let InboundContent::Location { location } = &event.content else {
            panic!("{:?}", event.content)
        };
        assert_eq!(location.latitude.as_deref(), Some("30.5"));
        assert_eq!(location.extra_json, r#"{"k":true}"#);
        let ReceiptEvent::Inbound { event } = &events[1] else {
            panic!()
        };
        assert_eq!(event.message_json, r#""hi""#);
        assert_eq!(event.content, InboundContent::Text { text: "hi".into() });
        let ReceiptEvent::Inbound { event } = &events[2] else {
            panic!()
        };
        assert!(
            matches!(&event.content, InboundContent::Unparsed { raw_json, .. } if raw_json == r#""{bad""#)
        );

        let other = parse_push(r#"{"Hello":"world"}"#.into(), None).unwrap();
        let ReceiptEvent::Other {
            message_type,
            raw_json,
            dedup_key,
        } = &other[0]
        else {
            panic!()
        };
        assert_eq!(*message_type, None);
        assert_eq!(raw_json, r#"{"Hello":"world"}"#);
        assert!(dedup_key.starts_with("Other//"), "{dedup_key}");
    }

    #[test]
    fn bad_bodies_are_validation_errors() {
        for body in ["", "<html>", "[{\"Status\":\"Read\"}]"] {
            let err = parse_push(body.into(), Some("ChatAppStatus".into())).unwrap_err();
            assert!(matches!(err, CamsError::Validation { .. }), "{err:?}");
        }
        let err = parse_mns_body("not base64!".into(), None).unwrap_err();
        assert!(err.to_string().contains("neither JSON nor base64"), "{err}");
    }

    #[test]
    fn window_and_order_are_cores() {
        let w = DedupWindow::new(2);
        assert!(!w.seen("a".into()));
        assert!(w.seen("a".into()));
        assert!(!w.seen("b".into()));
        assert!(!w.seen("c".into()));
        assert!(!w.contains("a".into()));
        assert_eq!((w.size(), w.capacity()), (2, 2));
        assert_eq!(DedupWindow::new(0).capacity(), 1);
        assert!(advances(None, ReceiptStatus::Sent));
        assert!(!advances(
            Some(ReceiptStatus::Read),
            ReceiptStatus::Delivered
        ));
        assert!(!advances(Some(ReceiptStatus::Failed), ReceiptStatus::Read));
        assert_eq!(
            receipt_status_of("DELIVERED".into()),
            ReceiptStatus::Delivered
        );
        assert_eq!(
            receipt_status_of("unsubscribe".into()),
            ReceiptStatus::Other
        );
        assert_eq!(
            message_type_of_queue("Alicom-Queue-1-ChatAppInbound".into()).as_deref(),
            Some("ChatAppInbound")
        );
    }
}

//! `ChatAppStatus`: the delivery receipts of messages you sent (MT status reports).
//!
//! Docs: "ChatAppStatus" (Simple Message Queue, formerly MNS),
//! <https://help.aliyun.com/en/chatapp/developer-reference/chatappstatus>, and "ChatAppStatus"
//! (HTTP batch push), <https://help.aliyun.com/en/chatapp/developer-reference/chatappstatus-1>.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::Fields;
use crate::error::Error;

/// The delivery status of a sent message, the `Status` field of a [`ChatAppStatus`].
///
/// Docs (<https://help.aliyun.com/en/chatapp/developer-reference/chatappstatus>): `Sent`
/// (message sent), `Delivered` (delivered to the recipient's device), `Read` (read by the
/// recipient), `Failed` (delivery failed), `Deleted` (deleted; the page says WhatsApp does not
/// push it yet). The Spanish page of the same doc also lists `unsubscribe` / `subscribe`
/// (the user blocked / unblocked the business, Viber only): those, and any value not
/// documented, are [`Status::Other`] (the text stays in [`ChatAppStatus::status_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Status {
    /// `Sent`: the message was sent.
    Sent,
    /// `Delivered`: the message reached the recipient's device.
    Delivered,
    /// `Read`: the recipient read the message.
    Read,
    /// `Failed`: delivery failed (see `ErrorCode` / `ErrorDescription`).
    Failed,
    /// `Deleted`: the message was deleted (documented, but not pushed by WhatsApp yet).
    Deleted,
    /// Any other value (`unsubscribe`, `subscribe` on Viber, or one added later).
    Other,
}

impl Status {
    /// The status a `Status` text means (ASCII case ignored: `read` is `Read`).
    pub fn from_text(text: &str) -> Status {
        const KNOWN: [(&str, Status); 5] = [
            ("Sent", Status::Sent),
            ("Delivered", Status::Delivered),
            ("Read", Status::Read),
            ("Failed", Status::Failed),
            ("Deleted", Status::Deleted),
        ];
        KNOWN
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
            .map_or(Status::Other, |&(_, s)| s)
    }

    /// The name the docs use (`"Other"` for [`Status::Other`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sent => "Sent",
            Status::Delivered => "Delivered",
            Status::Read => "Read",
            Status::Failed => "Failed",
            Status::Deleted => "Deleted",
            Status::Other => "Other",
        }
    }

    /// `Failed` and `Deleted` end a message's life: nothing comes after them.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Failed | Status::Deleted)
    }

    /// The place of a progress status in `Sent < Delivered < Read`.
    fn rank(self) -> Option<u8> {
        match self {
            Status::Sent => Some(1),
            Status::Delivered => Some(2),
            Status::Read => Some(3),
            _ => None,
        }
    }
}

/// Whether a receipt with status `incoming` moves a message on from `current` (the status
/// you stored, `None` when none yet): store it when this is `true`, ignore it otherwise.
///
/// Receipts arrive out of order and more than once (the docs: "Network exceptions or response
/// timeouts can cause duplicate receipt pushes"), so the order is kept here, not by arrival:
/// - `Sent < Delivered < Read`: a later one advances, the same or an earlier one does not
///   (a late `Delivered` after `Read` never regresses the message);
/// - `Failed` and `Deleted` are terminal: nothing advances after them; they advance from no
///   status, `Sent` or `Delivered`, but not from `Read` (a read message surely arrived);
/// - [`Status::Other`] (`subscribe`/`unsubscribe`, unknown values) is no step of delivery: it
///   advances only a message with no status yet.
///
/// ```
/// use camskit::receipts::{advances, Status};
/// assert!(advances(None, Status::Sent));
/// assert!(advances(Some(Status::Sent), Status::Read));
/// assert!(!advances(Some(Status::Read), Status::Delivered));
/// assert!(!advances(Some(Status::Failed), Status::Delivered));
/// ```
pub fn advances(current: Option<Status>, incoming: Status) -> bool {
    let Some(current) = current else {
        return true;
    };
    if current.is_terminal() {
        return false;
    }
    match (current.rank(), incoming.rank()) {
        (Some(c), Some(i)) => i > c,
        (None, Some(_)) => true, // from Other: any progress is news
        (c, None) if incoming.is_terminal() => c != Some(3),
        _ => false,
    }
}

/// A delivery receipt: what happened to a message you sent (`ChatAppStatus`).
///
/// Fields and types as "ChatAppStatus"
/// (<https://help.aliyun.com/en/chatapp/developer-reference/chatappstatus>, message body
/// format; the HTTP push page
/// <https://help.aliyun.com/en/chatapp/developer-reference/chatappstatus-1> shows the same
/// fields in its examples plus `Language` and `TemplateName`). Serialized with the docs'
/// PascalCase keys; fields not listed here are kept in [`extra`](ChatAppStatus::extra).
///
/// camskit requires only `MessageId` and `Status` (what a receipt is about); the other fields
/// the docs mark required are `Option`s, so a receipt that lacks one still reaches you.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatAppStatus {
    /// `MessageId` (String, required): the message's unique ID, as `SendChatappMessage`
    /// answered it.
    pub message_id: String,
    /// `From` (String, required): the sender's phone number (your business number).
    pub from: Option<String>,
    /// `To` (String, required): the recipient's phone number.
    pub to: Option<String>,
    /// `Timestamp` (Long, required): Unix time of the report in milliseconds, exact.
    pub timestamp: Option<i64>,
    /// `Status` (String, required) as a [`Status`]; not serialized (`Status` holds the text).
    #[serde(skip)]
    pub status: Status,
    /// `Status` as received (`Read`, `unsubscribe`, ...).
    #[serde(rename = "Status")]
    pub status_text: String,
    /// `StatusDescription` (String): the description of the status.
    pub status_description: Option<String>,
    /// `ErrorCode` (String): the error code when delivery failed (`131026`).
    pub error_code: Option<String>,
    /// `ErrorDescription` (String): the error code's description (see the CAMS API error
    /// codes).
    pub error_description: Option<String>,
    /// `ConversationType` (String): `service` (user-initiated), `utility` (transactional),
    /// `marketing`, `authentication`.
    pub conversation_type: Option<String>,
    /// `ConversationId` (String): the conversation's unique ID.
    pub conversation_id: Option<String>,
    /// `ConversationExpirationTime` (Long, deprecated): when the conversation expires; "has
    /// no effect under the per-message billing model"
    /// (<https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappstatus>).
    /// Also read from `ConversionExpirationTime`, the spelling of the Japanese page.
    pub conversation_expiration_time: Option<i64>,
    /// `MsgFrameType` (String, required): `message` (any content, within 24 hours of the
    /// user's last message) or `template` (an approved template).
    pub msg_frame_type: Option<String>,
    /// `Type` (String): the media type of the content: `image`, `video`, `document`,
    /// `audio`, `none` (plain text); the push example shows `TEMPLATE`.
    #[serde(rename = "Type")]
    pub content_type: Option<String>,
    /// `TaskId` (String): your task ID; the `MessageId` when none was given.
    pub task_id: Option<String>,
    /// `OriginPhoneNumber` (String): the sender's original phone number.
    pub origin_phone_number: Option<String>,
    /// `TemplateCode` (String): the template's code, when `MsgFrameType` is `template`.
    pub template_code: Option<String>,
    /// `TemplateName` (String, in the push example): the template's name.
    pub template_name: Option<String>,
    /// `Language` (String, in the push example): the template's language.
    pub language: Option<String>,
    /// `FromUserId` (String): the BSUID (business-scoped user ID), as the June 2026 page
    /// (<https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappstatus>)
    /// names it.
    pub from_user_id: Option<String>,
    /// `FromParentUserId` (String): the parent BSUID, if any.
    pub from_parent_user_id: Option<String>,
    /// `FromUserName` (String): the user account, if any.
    pub from_user_name: Option<String>,
    /// `UserId` (String): the BSUID, as help.aliyun.com's page names it.
    pub user_id: Option<String>,
    /// `ParentUserId` (String): the parent BSUID, if any.
    pub parent_user_id: Option<String>,
    /// `UserName` (String): the user account, if any.
    pub user_name: Option<String>,
    /// Every other field, unchanged (fields Alibaba adds later).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatAppStatus {
    pub(crate) fn from_fields(mut f: Fields) -> Result<Self, Error> {
        let message_id = f.required_text("MessageId")?;
        let status_text = f.required_text("Status")?;
        Ok(ChatAppStatus {
            message_id,
            status: Status::from_text(&status_text),
            status_text,
            from: f.text("From"),
            to: f.text("To"),
            timestamp: f.long("Timestamp"),
            status_description: f.text("StatusDescription"),
            error_code: f.text("ErrorCode"),
            error_description: f.text("ErrorDescription"),
            conversation_type: f.text("ConversationType"),
            conversation_id: f.text("ConversationId"),
            conversation_expiration_time: f
                .long("ConversationExpirationTime")
                .or_else(|| f.long("ConversionExpirationTime")),
            msg_frame_type: f.text("MsgFrameType"),
            content_type: f.text("Type"),
            task_id: f.text("TaskId"),
            origin_phone_number: f.text("OriginPhoneNumber"),
            template_code: f.text("TemplateCode"),
            template_name: f.text("TemplateName"),
            language: f.text("Language"),
            from_user_id: f.text("FromUserId"),
            from_parent_user_id: f.text("FromParentUserId"),
            from_user_name: f.text("FromUserName"),
            user_id: f.text("UserId"),
            parent_user_id: f.text("ParentUserId"),
            user_name: f.text("UserName"),
            extra: f.extra(),
        })
    }

    /// The dedup key: `ChatAppStatus/<MessageId>/<Status>`. One message has one receipt per
    /// status; the same pair again is a repeated push.
    pub fn dedup_key(&self) -> String {
        format!("ChatAppStatus/{}/{}", self.message_id, self.status_text)
    }
}

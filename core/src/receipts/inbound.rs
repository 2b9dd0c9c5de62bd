//! `ChatAppInbound`: messages your customers sent you (MO messages), with the JSON text
//! inside `Message` decoded per `Type`.
//!
//! Docs: "ChatAppInbound" (HTTP push),
//! <https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappinbound>, and
//! "ChatAppInbound" (Simple Message Queue, formerly MNS),
//! <https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappinbound-1>.

use serde::Serialize;
use serde_json::{Map, Value};

use super::fields::Fields;
use super::{MAX_DEPTH, json_depth_ok};
use crate::error::Error;

/// A customer's message (`ChatAppInbound`).
///
/// Fields and types as the message body format of "ChatAppInbound"
/// (<https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappinbound-1>);
/// serialized with the docs' PascalCase keys; other fields (`NoticeType` of the push
/// examples, fields added later) are kept in [`extra`](ChatAppInbound::extra).
///
/// camskit requires only `MessageId` and `Type`; the other fields the docs mark required are
/// `Option`s, so a message that lacks one still reaches you.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatAppInbound {
    /// `MessageId` (String, required): the message's unique ID.
    pub message_id: String,
    /// `CustSpaceId` (String): the channel ID (`cams-83m8j9xxxxadc`).
    pub cust_space_id: Option<String>,
    /// `WabaId` (String): the WhatsApp Business Account ID.
    pub waba_id: Option<String>,
    /// `From` (String, required): the sender's (customer's) phone number.
    pub from: Option<String>,
    /// `To` (String, required): the recipient's (your business) phone number.
    pub to: Option<String>,
    /// `FromUserId` (String): the sender's BSUID.
    pub from_user_id: Option<String>,
    /// `FromParentUserId` (String): the parent BSUID, if any.
    pub from_parent_user_id: Option<String>,
    /// `FromUserName` (String): the user account, if any.
    pub from_user_name: Option<String>,
    /// `Timestamp` (Long, required): Unix time of the message in milliseconds, exact.
    pub timestamp: Option<i64>,
    /// `DisplayName` (String, required): the sender's display name.
    pub display_name: Option<String>,
    /// `Type` (String, required): `TEXT`, `LOCATION`, `DOCUMENT`, `VIDEO`, `AUDIO`, `REPLY`,
    /// `IMAGE`, `CONTACTS`, `SYSTEM`; others are kept as [`InboundContent::Other`].
    #[serde(rename = "Type")]
    pub message_type: String,
    /// `Message` (String, required) as received: the text for `TEXT`, JSON text otherwise
    /// (an object already decoded when the body carried one).
    #[serde(rename = "Message")]
    pub message: Value,
    /// `Message` decoded per `Type`; serialized as `Content` (camskit's key, not the docs').
    #[serde(rename = "Content")]
    pub content: InboundContent,
    /// `Name` (String, required): the end user's name.
    pub name: Option<String>,
    /// Every other field, unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ChatAppInbound {
    pub(crate) fn from_fields(mut f: Fields) -> Result<Self, Error> {
        let message_id = f.required_text("MessageId")?;
        let message_type = f.required_text("Type")?;
        let message = f.take("Message").unwrap_or(Value::Null);
        let content = InboundContent::decode(&message_type, &message);
        Ok(ChatAppInbound {
            message_id,
            cust_space_id: f.text("CustSpaceId"),
            waba_id: f.text("WabaId"),
            from: f.text("From"),
            to: f.text("To"),
            from_user_id: f.text("FromUserId"),
            from_parent_user_id: f.text("FromParentUserId"),
            from_user_name: f.text("FromUserName"),
            timestamp: f.long("Timestamp"),
            display_name: f.text("DisplayName"),
            message_type,
            message,
            content,
            name: f.text("Name"),
            extra: f.extra(),
        })
    }

    /// The dedup key: `ChatAppInbound/<MessageId>` (the docs: "Unique message identifier").
    pub fn dedup_key(&self) -> String {
        format!("ChatAppInbound/{}", self.message_id)
    }
}

/// A `Message` decoded per the `Type` of a [`ChatAppInbound`].
///
/// Per "ChatAppInbound"
/// (<https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappinbound-1>):
/// `TEXT` is the text itself; the other types are a JSON object whose fields the page lists
/// (LOCATION, VIDEO, IMAGE, AUDIO, DOCUMENT, REPLY objects). A type the docs name without
/// listing fields (`CONTACTS`, `SYSTEM`) keeps its decoded JSON; an unknown `Type` is
/// [`Other`](InboundContent::Other); a `Message` that is not the JSON its type needs is
/// [`Unparsed`](InboundContent::Unparsed). None of these is an error.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboundContent {
    /// `TEXT`: the message's text.
    Text {
        /// The text.
        text: String,
    },
    /// `IMAGE`: an image (IMAGE object).
    Image(Media),
    /// `VIDEO`: a video (VIDEO object).
    Video(Media),
    /// `AUDIO`: an audio file or voice note (AUDIO object).
    Audio(Media),
    /// `DOCUMENT`: a document (DOCUMENT object).
    Document(Media),
    /// `STICKER`: a sticker (not listed by the page; read as a media object, as WhatsApp
    /// sends one).
    Sticker(Media),
    /// `LOCATION`: a location (LOCATION object).
    Location(Location),
    /// `REPLY`: the customer tapped a button (REPLY object).
    Reply(Reply),
    /// `CONTACTS`: shared contacts, the decoded JSON (the page lists no fields).
    Contacts {
        /// The decoded `Message`.
        value: Value,
    },
    /// `SYSTEM`: a system notice, the decoded JSON (the page lists no fields).
    System {
        /// The decoded `Message`.
        value: Value,
    },
    /// A `Type` camskit does not know (`INTERACTIVE`, ...): the `Message` decoded as JSON
    /// when it is JSON, else as it came.
    Other {
        /// The `Type`.
        message_type: String,
        /// The `Message`: decoded JSON, or the text as it came.
        value: Value,
    },
    /// The `Message` of a known `Type` is not what the type needs (not JSON, not an object,
    /// too deep): kept as it came.
    Unparsed {
        /// The `Type`.
        message_type: String,
        /// What is wrong.
        reason: String,
        /// The `Message` as it came.
        raw: Value,
    },
}

impl InboundContent {
    /// Decodes a `Message` (as it came: text, or an object) for a `Type`. Never fails: what
    /// cannot be decoded is kept raw.
    pub fn decode(message_type: &str, message: &Value) -> InboundContent {
        let upper = message_type.trim().to_ascii_uppercase();
        if upper == "TEXT" {
            return match message {
                Value::String(s) => InboundContent::Text { text: s.clone() },
                Value::Number(n) => InboundContent::Text {
                    text: n.to_string(),
                },
                other => unparsed(message_type, "a TEXT Message is not text", other),
            };
        }
        let decoded = match decode_json(message) {
            Ok(v) => v,
            Err(reason) => {
                return if known(&upper) {
                    unparsed(message_type, &reason, message)
                } else {
                    InboundContent::Other {
                        message_type: message_type.to_owned(),
                        value: message.clone(),
                    }
                };
            }
        };
        let object = |decoded: Value| match decoded {
            Value::Object(map) => Ok(map),
            other => Err(other),
        };
        match upper.as_str() {
            "IMAGE" | "VIDEO" | "AUDIO" | "DOCUMENT" | "STICKER" => match object(decoded) {
                Ok(map) => {
                    let media = Media::from_map(map);
                    match upper.as_str() {
                        "IMAGE" => InboundContent::Image(media),
                        "VIDEO" => InboundContent::Video(media),
                        "AUDIO" => InboundContent::Audio(media),
                        "DOCUMENT" => InboundContent::Document(media),
                        _ => InboundContent::Sticker(media),
                    }
                }
                Err(_) => unparsed(message_type, "the Message is not a JSON object", message),
            },
            "LOCATION" => match object(decoded) {
                Ok(map) => InboundContent::Location(Location::from_map(map)),
                Err(_) => unparsed(message_type, "the Message is not a JSON object", message),
            },
            "REPLY" => match object(decoded) {
                Ok(map) => InboundContent::Reply(Reply::from_map(map)),
                Err(_) => unparsed(message_type, "the Message is not a JSON object", message),
            },
            "CONTACTS" => InboundContent::Contacts { value: decoded },
            "SYSTEM" => InboundContent::System { value: decoded },
            _ => InboundContent::Other {
                message_type: message_type.to_owned(),
                value: decoded,
            },
        }
    }
}

fn known(upper: &str) -> bool {
    matches!(
        upper,
        "IMAGE"
            | "VIDEO"
            | "AUDIO"
            | "DOCUMENT"
            | "STICKER"
            | "LOCATION"
            | "REPLY"
            | "CONTACTS"
            | "SYSTEM"
    )
}

fn unparsed(message_type: &str, reason: &str, raw: &Value) -> InboundContent {
    InboundContent::Unparsed {
        message_type: message_type.to_owned(),
        reason: reason.to_owned(),
        raw: raw.clone(),
    }
}

/// The JSON inside a `Message`: an object or list as it came, or the JSON text of a string
/// (nesting bounded like the body).
fn decode_json(message: &Value) -> Result<Value, String> {
    match message {
        Value::String(s) => {
            if !json_depth_ok(s.as_bytes()) {
                return Err(format!(
                    "the Message is nested deeper than {MAX_DEPTH} levels"
                ));
            }
            serde_json::from_str(s).map_err(|e| format!("the Message is not JSON ({e})"))
        }
        Value::Object(_) | Value::Array(_) => Ok(message.clone()),
        Value::Null => Err("the Message is missing".into()),
        _ => Err("the Message is neither JSON text nor an object".into()),
    }
}

/// A media object (IMAGE, VIDEO, AUDIO, DOCUMENT; STICKER by the same shape).
///
/// Fields (camelCase, as the docs): IMAGE `caption`, `id`, `mimeType`, `url`; VIDEO and
/// AUDIO `name`, `id`, `mimeType`, `url`; DOCUMENT `name`, `id`, `filename`, `mimeType`,
/// `url` ("ChatAppInbound",
/// <https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappinbound-1>). The
/// URL is valid for 7 days. The push page's AUDIO example also shows `animated` and a
/// `fileName` spelling (read as `filename`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    /// `id`: the media file's ID.
    pub id: Option<String>,
    /// `url`: where to download it (valid for 7 days).
    pub url: Option<String>,
    /// `mimeType`: its MIME type.
    pub mime_type: Option<String>,
    /// `caption`: the image's description (IMAGE).
    pub caption: Option<String>,
    /// `name`: the file's description (VIDEO, AUDIO, DOCUMENT).
    pub name: Option<String>,
    /// `filename` (or `fileName`): the file name (DOCUMENT; AUDIO in the push example).
    pub filename: Option<String>,
    /// `animated`: whether it is animated (in the push page's AUDIO example).
    pub animated: Option<bool>,
    /// Every other field, unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Media {
    fn from_map(map: Map<String, Value>) -> Self {
        let mut f = Fields::message(map);
        Media {
            id: f.text("id"),
            url: f.text("url"),
            mime_type: f.text("mimeType"),
            caption: f.text("caption"),
            name: f.text("name"),
            filename: f.text("filename").or_else(|| f.text("fileName")),
            animated: f.boolean("animated"),
            extra: f.extra(),
        }
    }
}

/// A LOCATION object: `address`, `latitude`, `longitude`, `name`, all String in the docs
/// ("ChatAppInbound",
/// <https://www.alibabacloud.com/help/en/chatapp/developer-reference/chatappinbound-1>).
/// Coordinates are kept as the docs' text; a JSON number instead is taken as serde_json
/// prints it (an `f64`: up to 17 significant digits survive).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// `address`: the address.
    pub address: Option<String>,
    /// `latitude`: the latitude, as text.
    pub latitude: Option<String>,
    /// `longitude`: the longitude, as text.
    pub longitude: Option<String>,
    /// `name`: the location's description.
    pub name: Option<String>,
    /// Every other field, unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Location {
    fn from_map(map: Map<String, Value>) -> Self {
        let mut f = Fields::message(map);
        Location {
            address: f.text("address"),
            latitude: coordinate(&mut f, "latitude"),
            longitude: coordinate(&mut f, "longitude"),
            name: f.text("name"),
            extra: f.extra(),
        }
    }
}

/// A coordinate as text: a JSON number as serde_json prints it.
fn coordinate(f: &mut Fields, name: &str) -> Option<String> {
    if let Some(Value::Number(n)) = f.get(name) {
        let s = n.to_string();
        f.take(name);
        return Some(s);
    }
    f.text(name)
}

/// A REPLY object: the customer tapped a button. `text` (String): the button's name;
/// `payload` (String): the button's payload ("ChatAppInbound",
/// <https://help.aliyun.com/zh/chatapp/developer-reference/chatappinbound-1>, REPLY 字段).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    /// `text`: the name of the button the customer tapped.
    pub text: Option<String>,
    /// `payload`: the button's payload.
    pub payload: Option<String>,
    /// Every other field, unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Reply {
    fn from_map(map: Map<String, Value>) -> Self {
        let mut f = Fields::message(map);
        Reply {
            text: f.text("text"),
            payload: f.text("payload"),
            extra: f.extra(),
        }
    }
}

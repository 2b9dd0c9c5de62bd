//! Receipts: core's typed receipt events ([`camskit::receipts`]) as JavaScript values, its
//! [`DedupWindow`] behind a handle and its [`advances`](receipts::advances) rule. Nothing is
//! decided here: core parses, keys, orders; this converts.
//!
//! One event is one flat object: the fields as core serializes them (CAMS's own keys,
//! PascalCase, the unknown ones kept as they came) plus what camskit derives, in camelCase:
//! `messageType` (the union's tag: `ChatAppStatus`, `ChatAppInbound`, `ChatAppAudit` or
//! `Other`), `dedupKey` ([`Event::dedup_key`]), `status` (a receipt's [`Status`]), `content` (an
//! inbound message's [`InboundContent`](receipts::InboundContent), core's `Content`). An
//! unknown type is `{ messageType: "Other", givenMessageType, raw, dedupKey }`. A list of
//! events crosses as ONE JSON text read by `JSON.parse`, integers beyond 2^53 − 1 put back as
//! `BigInt` (the package's one rule, [`parse_exact`]).

use camskit::receipts::{self, DedupWindow, Event, Status};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::convert::{Step, bytes_from_js, js_text, opt_string, parse_exact, type_name};
use crate::errors::{bad_arg, core};
use crate::tojs::set;

/// The keys camskit adds to an event; a CAMS field of the same name (none is documented:
/// CAMS's keys are PascalCase) gives way to them.
const DERIVED: [&str; 4] = ["messageType", "dedupKey", "status", "content"];

/// One event as the JSON value JavaScript sees (see the module docs).
pub(crate) fn event_value(e: &Event) -> Value {
    let mut out = Map::new();
    let tag = e.message_type().unwrap_or("Other");
    if let Event::Other { message_type, raw } = e {
        out.insert("messageType".into(), Value::from("Other"));
        out.insert("dedupKey".into(), Value::from(e.dedup_key()));
        out.insert(
            "givenMessageType".into(),
            message_type.clone().map_or(Value::Null, Value::from),
        );
        out.insert("raw".into(), raw.clone());
        return Value::Object(out);
    }
    out.insert("messageType".into(), Value::from(tag));
    out.insert("dedupKey".into(), Value::from(e.dedup_key()));
    if let Event::Status(s) = e {
        out.insert("status".into(), Value::from(s.status.as_str()));
    }
    // Core's serialization: { "MessageType": ..., "Event": { fields } }.
    let fields = match serde_json::to_value(e) {
        Ok(Value::Object(mut tagged)) => match tagged.shift_remove("Event") {
            Some(Value::Object(fields)) => fields,
            _ => Map::new(),
        },
        _ => Map::new(),
    };
    for (k, v) in fields {
        if k == "Content" {
            out.insert("content".into(), content_value(v));
        } else if !DERIVED.contains(&k.as_str()) {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

/// An inbound message's content as core serializes it, its one snake_case key (`message_type`
/// of the `other` and `unparsed` kinds) in camelCase like every key camskit adds.
fn content_value(v: Value) -> Value {
    let kind = v.get("kind").and_then(Value::as_str);
    if !matches!(kind, Some("other" | "unparsed")) {
        return v;
    }
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    if k == "message_type" {
                        ("messageType".to_owned(), v)
                    } else {
                        (k, v)
                    }
                })
                .collect(),
        ),
        other => other,
    }
}

/// A list of JSON values as one JavaScript array: one text, one `JSON.parse`, exact integers.
pub(crate) fn values_to_js(items: &[Value]) -> JsValue {
    let text = serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
    parse_exact(
        &text,
        items.iter().enumerate().map(|(i, v)| (Step::Index(i), v)),
        None,
    )
}

fn events_to_js(events: &[Event]) -> JsValue {
    let values: Vec<Value> = events.iter().map(event_value).collect();
    values_to_js(&values)
}

/// Parses an HTTP batch push body ([`receipts::parse_push`]): `body` a string, `Uint8Array`
/// or `ArrayBuffer`; `message_type` the type the endpoint receives, or `undefined` to
/// recognise each event from its fields. Returns the events; throws the `ValidationError`
/// core gives a body it cannot read.
#[wasm_bindgen(js_name = parsePush)]
pub fn parse_push(body: JsValue, message_type: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_from_js(&body, "receipt body")?;
    let message_type = opt_string(&message_type, "messageType")?;
    let events = core(receipts::parse_push(&bytes, message_type.as_deref()))?;
    Ok(events_to_js(&events))
}

/// Reads an HTTP batch push and says what to answer CAMS (core's [`receipts::PushAnswer`]):
/// `{ events, status, contentType, body }` when it was read, `{ error, status, contentType,
/// body }` (the `ValidationError`, nothing thrown) when it was not.
#[wasm_bindgen(js_name = receivePush)]
pub fn receive_push(body: JsValue, message_type: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_from_js(&body, "receipt body")?;
    let message_type = opt_string(&message_type, "messageType")?;
    let parsed = receipts::parse_push(&bytes, message_type.as_deref());
    let answer = receipts::PushAnswer::for_parsed(&parsed);
    let out = js_sys::Object::new();
    match parsed {
        Ok(events) => set(&out, "events", events_to_js(&events)),
        Err(e) => set(&out, "error", core::<()>(Err(e)).unwrap_err()),
    }
    set(&out, "status", answer.status);
    set(&out, "contentType", answer.content_type);
    set(&out, "body", answer.body);
    Ok(out.into())
}

/// A push body the host could not even read (`what`: `detail`): core's refusal, as
/// [`receive_push`] gives for a body core cannot read.
#[wasm_bindgen(js_name = pushRefused)]
pub fn push_refused(what: &str, detail: &str) -> JsValue {
    let error = camskit::Error::InvalidInput {
        what: what.to_owned(),
        problem: detail.to_owned(),
    };
    let answer = receipts::PushAnswer::refused(&error);
    let out = js_sys::Object::new();
    set(&out, "error", core::<()>(Err(error)).unwrap_err());
    set(&out, "status", answer.status);
    set(&out, "contentType", answer.content_type);
    set(&out, "body", answer.body);
    out.into()
}

/// What to answer a push the application could not take (core's
/// [`receipts::PushAnswer::handler_failed`]: a 5xx, so CAMS pushes it again).
#[wasm_bindgen(js_name = pushHandlerFailed)]
pub fn push_handler_failed() -> JsValue {
    let answer = receipts::PushAnswer::handler_failed();
    let out = js_sys::Object::new();
    set(&out, "status", answer.status);
    set(&out, "contentType", answer.content_type);
    set(&out, "body", answer.body);
    out.into()
}

/// Parses the `MessageBody` of an MNS message ([`receipts::parse_mns_body`]: JSON, or base64
/// of it), as [`parse_push`].
#[wasm_bindgen(js_name = parseMnsBody)]
pub fn parse_mns_body(body: JsValue, message_type: JsValue) -> Result<JsValue, JsValue> {
    let bytes = bytes_from_js(&body, "MNS message body")?;
    let message_type = opt_string(&message_type, "messageType")?;
    let events = core(receipts::parse_mns_body(&bytes, message_type.as_deref()))?;
    Ok(events_to_js(&events))
}

/// A receipt status from JavaScript: its text (`"Read"`, `"read"`, `"unsubscribe"`: core's
/// [`Status::from_text`]) or an event's `status`.
fn status_from_js(v: &JsValue, what: &str) -> Result<Status, JsValue> {
    match js_text(v) {
        Ok(Some(s)) => Ok(Status::from_text(&s)),
        Ok(None) => Err(bad_arg(
            what,
            format!(
                "expected a status text (\"Sent\", \"Delivered\", \"Read\", \"Failed\", \"Deleted\"), got {}",
                type_name(v)
            ),
        )),
        Err(()) => Err(bad_arg(what, "the string holds a lone surrogate")),
    }
}

/// Whether a receipt with status `incoming` moves a message on from `current` (`null` or
/// `undefined`: no status stored yet): core's [`receipts::advances`].
#[wasm_bindgen]
pub fn advances(current: JsValue, incoming: JsValue) -> Result<bool, JsValue> {
    let current = if current.is_null() || current.is_undefined() {
        None
    } else {
        Some(status_from_js(&current, "current status")?)
    };
    Ok(receipts::advances(
        current,
        status_from_js(&incoming, "incoming status")?,
    ))
}

/// The message type an MNS queue carries, from its name
/// ([`receipts::message_type_of_queue`]), else `undefined`.
#[wasm_bindgen(js_name = messageTypeOfQueue)]
pub fn message_type_of_queue(queue_name: &str) -> Option<String> {
    receipts::message_type_of_queue(queue_name).map(str::to_owned)
}

/// The largest receipt body core parses, in bytes ([`receipts::MAX_RECEIPT_BYTES`]).
#[wasm_bindgen(js_name = maxReceiptBytes)]
pub fn max_receipt_bytes() -> f64 {
    receipts::MAX_RECEIPT_BYTES as f64
}

/// Core's [`DedupWindow`]: the last `capacity` dedup keys seen.
#[wasm_bindgen]
pub struct WasmDedupWindow {
    window: DedupWindow,
}

/// A dedup key from JavaScript: a string, or an event (its `dedupKey`).
fn key_from_js(v: &JsValue) -> Result<String, JsValue> {
    let v = if v.is_object() {
        js_sys::Reflect::get(v, &JsValue::from_str("dedupKey")).unwrap_or(JsValue::UNDEFINED)
    } else {
        v.clone()
    };
    match js_text(&v) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(bad_arg(
            "dedup key",
            format!(
                "expected a string or an event with its dedupKey, got {}",
                type_name(&v)
            ),
        )),
        Err(()) => Err(bad_arg("dedup key", "the string holds a lone surrogate")),
    }
}

#[wasm_bindgen]
impl WasmDedupWindow {
    /// A window of the last `capacity` keys (a whole number, at least 1).
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: JsValue) -> Result<WasmDedupWindow, JsValue> {
        let capacity = match capacity.as_f64() {
            Some(c) if c.fract() == 0.0 && (0.0..=4_294_967_295.0).contains(&c) => c as usize,
            _ => {
                return Err(bad_arg(
                    "DedupWindow capacity",
                    "expected a whole number of keys",
                ));
            }
        };
        Ok(WasmDedupWindow {
            window: DedupWindow::new(capacity),
        })
    }

    /// Whether the key (or the event's `dedupKey`) was seen; remembers it when not.
    pub fn seen(&mut self, key: JsValue) -> Result<bool, JsValue> {
        Ok(self.window.seen(&key_from_js(&key)?))
    }

    /// Whether the key is in the window, without remembering it.
    pub fn contains(&self, key: JsValue) -> Result<bool, JsValue> {
        Ok(self.window.contains(&key_from_js(&key)?))
    }

    /// How many keys the window holds.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> f64 {
        self.window.len() as f64
    }

    /// The most keys it holds.
    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> f64 {
        self.window.capacity() as f64
    }
}

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

use std::marker::PhantomData;

use camskit::receipts::{self, DedupWindow, Event, Status};
use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct, Serializer};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::convert::{Step, bytes_from_js, js_text, opt_string, parse_exact, type_name};
use crate::errors::{bad_arg, core};
use crate::tojs::set;

/// The keys camskit adds to an event; a CAMS field of the same name (none is documented:
/// CAMS's keys are PascalCase) gives way to them.
const DERIVED: [&str; 4] = ["messageType", "dedupKey", "status", "content"];

/// One event as the flat object JavaScript sees (see the module docs), serialized from core's
/// own serialization of the event: its `Event` object's fields go straight into the outer
/// object (`Content` as `content`, the derived keys not overwritten), with no map built per
/// event.
pub(crate) struct EventJs<'a>(pub(crate) &'a Event);

impl Serialize for EventJs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut out = serializer.serialize_map(None)?;
        if let Event::Other { message_type, raw } = e {
            out.serialize_entry("messageType", "Other")?;
            out.serialize_entry("dedupKey", &e.dedup_key())?;
            out.serialize_entry("givenMessageType", message_type)?;
            out.serialize_entry("raw", raw)?;
            return out.end();
        }
        out.serialize_entry("messageType", e.message_type().unwrap_or("Other"))?;
        out.serialize_entry("dedupKey", &e.dedup_key())?;
        if let Event::Status(s) = e {
            out.serialize_entry("status", s.status.as_str())?;
        }
        // Core's serialization: { "MessageType": ..., "Event": { fields } }.
        e.serialize(Tagged { out: &mut out })?;
        out.end()
    }
}

/// The message every adapter below gives a value that is not the object it expects (core's
/// serialization always is).
const NOT_AN_OBJECT: &str = "an event serializes as an object";

/// Generates the `Serializer` methods of a value the adapters refuse.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<$ok, Self::Error> {
            Err(ser::Error::custom(NOT_AN_OBJECT))
        }
    )*};
}

/// The `Serializer` methods every adapter refuses: all but maps and structs.
macro_rules! refuse_all_but_objects {
    () => {
        type SerializeSeq = Impossible<(), Self::Error>;
        type SerializeTuple = Impossible<(), Self::Error>;
        type SerializeTupleStruct = Impossible<(), Self::Error>;
        type SerializeTupleVariant = Impossible<(), Self::Error>;
        type SerializeStructVariant = Impossible<(), Self::Error>;
        refuse! {
            serialize_bool(bool) -> ();
            serialize_i8(i8) -> ();
            serialize_i16(i16) -> ();
            serialize_i32(i32) -> ();
            serialize_i64(i64) -> ();
            serialize_u8(u8) -> ();
            serialize_u16(u16) -> ();
            serialize_u32(u32) -> ();
            serialize_u64(u64) -> ();
            serialize_f32(f32) -> ();
            serialize_f64(f64) -> ();
            serialize_char(char) -> ();
            serialize_bytes(&[u8]) -> ();
            serialize_none() -> ();
            serialize_unit() -> ();
            serialize_unit_struct(&'static str) -> ();
            serialize_unit_variant(&'static str, u32, &'static str) -> ();
            serialize_seq(Option<usize>) -> Self::SerializeSeq;
            serialize_tuple(usize) -> Self::SerializeTuple;
            serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
            serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
            serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
        }
        fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Self::Error> {
            Err(ser::Error::custom(NOT_AN_OBJECT))
        }
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<(), Self::Error> {
            Err(ser::Error::custom(NOT_AN_OBJECT))
        }
        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Self::Error> {
            Err(ser::Error::custom(NOT_AN_OBJECT))
        }
    };
}

/// Reads core's tagged event (`{ "MessageType": ..., "Event": { fields } }`) and hands the
/// `Event` object's fields to [`Fields`].
struct Tagged<'m, M> {
    out: &'m mut M,
}

impl<'m, M: SerializeMap> Serializer for Tagged<'m, M> {
    type Ok = ();
    type Error = M::Error;
    type SerializeMap = Impossible<(), M::Error>;
    type SerializeStruct = Self;
    refuse_all_but_objects!();
    refuse! {
        serialize_str(&str) -> ();
        serialize_map(Option<usize>) -> Self::SerializeMap;
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, M::Error> {
        Ok(self)
    }
}

impl<M: SerializeMap> SerializeStruct for Tagged<'_, M> {
    type Ok = ();
    type Error = M::Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        if key == "Event" {
            value.serialize(Fields {
                out: &mut *self.out,
                key: String::new(),
            })?;
        }
        Ok(())
    }
    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}

/// Writes an event's fields into the outer object: `Content` as `content` (its `message_type`
/// in camelCase, [`content_value`]), a CAMS field named like a derived key left out.
struct Fields<'m, M> {
    out: &'m mut M,
    /// The key of the entry being written.
    key: String,
}

impl<'m, M: SerializeMap> Serializer for Fields<'m, M> {
    type Ok = ();
    type Error = M::Error;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    refuse_all_but_objects!();
    refuse! {
        serialize_str(&str) -> ();
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, M::Error> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, M::Error> {
        Ok(self)
    }
}

impl<M: SerializeMap> Fields<'_, M> {
    fn field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), M::Error> {
        let key = self.key.as_str();
        if key == "Content" {
            let content = serde_json::to_value(value).map_err(ser::Error::custom)?;
            self.out.serialize_entry("content", &content_value(content))
        } else if DERIVED.contains(&key) {
            Ok(())
        } else {
            self.out.serialize_entry(key, value)
        }
    }
}

impl<M: SerializeMap> SerializeMap for Fields<'_, M> {
    type Ok = ();
    type Error = M::Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), M::Error> {
        self.key.clear();
        key.serialize(KeyText {
            text: &mut self.key,
            error: PhantomData,
        })
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), M::Error> {
        self.field(value)
    }
    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}

impl<M: SerializeMap> SerializeStruct for Fields<'_, M> {
    type Ok = ();
    type Error = M::Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.key.clear();
        self.key.push_str(key);
        self.field(value)
    }
    fn end(self) -> Result<(), M::Error> {
        Ok(())
    }
}

/// Takes a map key's text (every key of core's events is text).
struct KeyText<'k, E> {
    text: &'k mut String,
    error: PhantomData<E>,
}

impl<E: ser::Error> Serializer for KeyText<'_, E> {
    type Ok = ();
    type Error = E;
    type SerializeMap = Impossible<(), E>;
    type SerializeStruct = Impossible<(), E>;
    refuse_all_but_objects!();
    refuse! {
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
    }
    fn serialize_str(self, text: &str) -> Result<(), E> {
        self.text.push_str(text);
        Ok(())
    }
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

/// Items as one JavaScript array: written as one JSON text straight from them and read by
/// one `JSON.parse`. A text in which core sees a number `JSON.parse` may not read exactly
/// ([`camskit::may_hold_inexact_numbers`]) goes through JSON values instead, its big integers
/// made `BigInt`s ([`parse_exact`]). Items that cannot be written (core's events always can)
/// throw: an empty or partial list would reach the handler, and the consumer would then delete
/// messages nobody read.
pub(crate) fn serializable_to_js<T: Serialize>(items: &[T]) -> Result<JsValue, JsValue> {
    let unwritable = |e: serde_json::Error| {
        bad_arg(
            "receipt events",
            format!("camskit could not write them for JavaScript ({e})"),
        )
    };
    let text = serde_json::to_string(items).map_err(unwritable)?;
    if !camskit::may_hold_inexact_numbers(text.as_bytes()) {
        return js_sys::JSON::parse(&text);
    }
    let values = items
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<Vec<Value>, _>>()
        .map_err(unwritable)?;
    let text = serde_json::to_string(&values).map_err(unwritable)?;
    Ok(parse_exact(
        &text,
        values.iter().enumerate().map(|(i, v)| (Step::Index(i), v)),
        None,
    ))
}

fn events_to_js(events: &[Event]) -> Result<JsValue, JsValue> {
    let items: Vec<EventJs<'_>> = events.iter().map(EventJs).collect();
    serializable_to_js(&items)
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
    events_to_js(&events)
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
        Ok(events) => set(&out, "events", events_to_js(&events)?),
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
    events_to_js(&events)
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

//! Taking documented fields out of one JSON object, leaving the rest for `extra`.

use std::fmt;

use serde_json::{Map, Value};

use crate::error::Error;

/// What an object is, for error messages; put in words only when a message is made (most
/// events make none).
#[derive(Clone, Copy, Debug)]
pub(crate) enum What {
    /// Event `index` of `count` in one body, of a known type: `ChatAppStatus event 2 of 16`.
    Event {
        kind: &'static str,
        index: usize,
        count: usize,
    },
    /// An inbound message's decoded `Message` object.
    Message,
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Event { kind, index, count } => write!(f, "{kind} event {index} of {count}"),
            What::Message => f.write_str("the inbound message's Message object"),
        }
    }
}

/// One event's object while its documented fields are taken out of it; what is left is the
/// event's `extra`.
///
/// The object's entries are kept as a list in their order, and a field is found by comparing
/// names: an event has a dozen or two fields, and a look-up in serde_json's map (SipHash, and
/// a `shift_remove` that moves every later entry to keep `extra` in order) cost more than the
/// parse itself. A hostile event with very many fields costs one pass of name compares per
/// documented field, linear in its size.
pub(crate) struct Fields {
    /// What the object is, for error messages.
    pub(crate) what: What,
    /// The object's entries in order; a field taken out is `None`.
    entries: Vec<(String, Option<Value>)>,
}

impl Fields {
    /// An inbound message's decoded `Message` object.
    pub(crate) fn message(map: Map<String, Value>) -> Self {
        Fields {
            what: What::Message,
            entries: map.into_iter().map(|(k, v)| (k, Some(v))).collect(),
        }
    }

    /// An event object read as its entries, in order (the receipts reader's `Entries`).
    pub(crate) fn from_entries(what: What, entries: Vec<(String, Value)>) -> Self {
        Fields {
            what,
            entries: entries.into_iter().map(|(k, v)| (k, Some(v))).collect(),
        }
    }

    /// The field `name`, if it is there and not taken yet.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.as_ref())
    }

    /// Takes the field `name` out (it will not be in `extra`).
    pub(crate) fn take(&mut self, name: &str) -> Option<Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.take())
    }

    /// Reads the field `name` with `read`, found once: `Ok` takes it out (with what was read,
    /// `None` for a value that means no field, such as `null`), `Err` hands it back to stay in
    /// `extra`.
    fn take_with<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(Value) -> Result<Option<T>, Value>,
    ) -> Option<T> {
        let slot = &mut self.entries.iter_mut().find(|(k, _)| k == name)?.1;
        match read(slot.take()?) {
            Ok(found) => found,
            Err(kept) => {
                *slot = Some(kept);
                None
            }
        }
    }

    /// A text field. A number is taken as its exact decimal text (IDs sent as numbers stay
    /// exact: serde_json keeps integers up to 2^64 exactly). Anything else (an object, a list,
    /// `true`) is no text: it stays in `extra` and the field is `None`.
    pub(crate) fn text(&mut self, name: &str) -> Option<String> {
        self.take_with(name, |v| match v {
            Value::String(s) => Ok(Some(s)),
            Value::Null => Ok(None),
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
            other => Err(other),
        })
    }

    /// A text field the docs mark required (and camskit needs): missing or empty is an error
    /// that names the field.
    pub(crate) fn required_text(&mut self, name: &str) -> Result<String, Error> {
        match self.text(name) {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(Error::invalid(
                self.what.to_string(),
                format!("its required field {name} is empty"),
            )),
            None => Err(Error::invalid(
                self.what.to_string(),
                match self.get(name) {
                    Some(v) => format!("its required field {name} is not text (got {})", kind(v)),
                    None => format!("its required field {name} is missing"),
                },
            )),
        }
    }

    /// A `Long` field (epoch milliseconds): a JSON integer, or its decimal text. Never read
    /// through `f64`; a fraction, an exponent or a value beyond `i64` stays in `extra`.
    pub(crate) fn long(&mut self, name: &str) -> Option<i64> {
        self.take_with(name, |v| {
            let read = match &v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            read.map(Some).ok_or(v)
        })
    }

    /// A boolean field (`true`/`false`, or that text).
    pub(crate) fn boolean(&mut self, name: &str) -> Option<bool> {
        self.take_with(name, |v| match &v {
            Value::Bool(b) => Ok(Some(*b)),
            Value::String(s) if s == "true" => Ok(Some(true)),
            Value::String(s) if s == "false" => Ok(Some(false)),
            _ => Err(v),
        })
    }

    /// The fields left over, in the object's order.
    pub(crate) fn extra(self) -> Map<String, Value> {
        self.entries
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect()
    }
}

/// What kind of JSON value this is, for error messages.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

//! Taking documented fields out of one JSON object, leaving the rest for `extra`.

use serde_json::{Map, Value};

use crate::error::Error;

/// One event's object while its documented fields are taken out of it; what is left is the
/// event's `extra`.
pub(crate) struct Fields {
    /// What the object is, for error messages (`"ChatAppStatus event 2"`).
    pub(crate) what: String,
    /// The fields not taken yet.
    pub(crate) rest: Map<String, Value>,
}

impl Fields {
    pub(crate) fn new(what: String, rest: Map<String, Value>) -> Self {
        Fields { what, rest }
    }

    /// A text field. A number is taken as its exact decimal text (IDs sent as numbers stay
    /// exact: serde_json keeps integers up to 2^64 exactly). Anything else (an object, a list,
    /// `true`) is no text: it stays in `extra` and the field is `None`.
    pub(crate) fn text(&mut self, name: &str) -> Option<String> {
        match self.rest.get(name) {
            Some(Value::String(_)) => match self.rest.shift_remove(name) {
                Some(Value::String(s)) => Some(s),
                _ => None,
            },
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {
                let s = n.to_string();
                self.rest.shift_remove(name);
                Some(s)
            }
            Some(Value::Null) => {
                self.rest.shift_remove(name);
                None
            }
            _ => None,
        }
    }

    /// A text field the docs mark required (and camskit needs): missing or empty is an error
    /// that names the field.
    pub(crate) fn required_text(&mut self, name: &str) -> Result<String, Error> {
        match self.text(name) {
            Some(s) if !s.is_empty() => Ok(s),
            Some(_) => Err(Error::invalid(
                self.what.clone(),
                format!("its required field {name} is empty"),
            )),
            None if self.rest.contains_key(name) => Err(Error::invalid(
                self.what.clone(),
                format!(
                    "its required field {name} is not text (got {})",
                    kind(&self.rest[name])
                ),
            )),
            None => Err(Error::invalid(
                self.what.clone(),
                format!("its required field {name} is missing"),
            )),
        }
    }

    /// A `Long` field (epoch milliseconds): a JSON integer, or its decimal text. Never read
    /// through `f64`; a fraction, an exponent or a value beyond `i64` stays in `extra`.
    pub(crate) fn long(&mut self, name: &str) -> Option<i64> {
        let v = match self.rest.get(name)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        }?;
        self.rest.shift_remove(name);
        Some(v)
    }

    /// A boolean field (`true`/`false`, or that text).
    pub(crate) fn boolean(&mut self, name: &str) -> Option<bool> {
        let v = match self.rest.get(name)? {
            Value::Bool(b) => *b,
            Value::String(s) if s == "true" => true,
            Value::String(s) if s == "false" => false,
            _ => return None,
        };
        self.rest.shift_remove(name);
        Some(v)
    }

    /// The fields left over.
    pub(crate) fn extra(self) -> Map<String, Value> {
        self.rest
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

//! Reading answers: one field by path with an exact type (`jsonField`, `jsonLong`, ... — for
//! every operation, typed records or not: the lookup is `camskit_answers::path`), and the
//! helpers the generated typed answers (`answers.rs`) convert through.

use camskit_answers::path::{self, PathError};
use std::collections::HashMap;

use serde_json::Value;

use crate::convert::status_u16;
use crate::{CamsError, CamsResponse, guard};

/// One JSON value of an answer, read by path (`jsonField`). Integers are exact (`Long`);
/// an object or a list comes as its JSON text.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum JsonValue {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool {
        /// The value.
        value: bool,
    },
    /// An integer that fits in 64 signed bits, exact.
    Integer {
        /// The value.
        value: i64,
    },
    /// Any other number (a fraction, an exponent; an integer beyond 64 signed bits, which a
    /// `Double` can only round: read it from `Json`'s text if it matters).
    Number {
        /// The value.
        value: f64,
        /// The number as CAMS wrote it (exact).
        json: String,
    },
    /// A string.
    Text {
        /// The value.
        value: String,
    },
    /// An object or a list, as JSON text (numbers exact).
    Json {
        /// The JSON text.
        json: String,
    },
}

impl From<&Value> for JsonValue {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => JsonValue::Null,
            Value::Bool(b) => JsonValue::Bool { value: *b },
            Value::Number(n) => match n.as_i64() {
                Some(i) => JsonValue::Integer { value: i },
                None => JsonValue::Number {
                    value: n.as_f64().unwrap_or(f64::NAN),
                    json: n.to_string(),
                },
            },
            Value::String(s) => JsonValue::Text { value: s.clone() },
            Value::Array(_) | Value::Object(_) => JsonValue::Json {
                json: v.to_string(),
            },
        }
    }
}

impl From<PathError> for CamsError {
    fn from(e: PathError) -> Self {
        // The path is the caller's input: a `Validation` error whose `parameter` is the path
        // (the sealed exception class keeps its variants).
        CamsError::Validation {
            code: e.kind.code().to_owned(),
            error_message: e.to_string(),
            action: None,
            parameter: Some(e.path),
            suggestions: vec![],
        }
    }
}

fn parse_json(json: &str) -> Result<Value, CamsError> {
    serde_json::from_str(json).map_err(|e| CamsError::Validation {
        code: "invalid_input".to_owned(),
        error_message: format!("not JSON text: {e}"),
        action: None,
        parameter: None,
        suggestions: vec![],
    })
}

/// The value at `path` (`Data.List[0].Name`; `""` is the whole value) in JSON text — a
/// `CamsResponse.bodyJson`, a `dataJson`, a page item, a record's `extraJson`. Throws
/// `CamsException.Validation` naming the path (`code`: `missing_field`, `invalid_path`; the
/// path in `parameter`) when it is not there.
#[uniffi::export]
pub fn json_field(json: String, path: String) -> Result<JsonValue, CamsError> {
    guard(|| Ok(JsonValue::from(path::lookup(&parse_json(&json)?, &path)?)))
}

/// The integer at `path`, exact to 64 bits (Kotlin `Long`). Throws as `jsonField`, and with
/// `code` `wrong_field_type` when the value is not an integer that fits.
#[uniffi::export]
pub fn json_long(json: String, path: String) -> Result<i64, CamsError> {
    guard(|| Ok(path::get_i64(&parse_json(&json)?, &path)?))
}

/// The number at `path` (an integer too). Throws as `jsonLong`.
#[uniffi::export]
pub fn json_double(json: String, path: String) -> Result<f64, CamsError> {
    guard(|| Ok(path::get_f64(&parse_json(&json)?, &path)?))
}

/// The string at `path`. Throws as `jsonLong`.
#[uniffi::export]
pub fn json_string(json: String, path: String) -> Result<String, CamsError> {
    guard(|| Ok(path::get_str(&parse_json(&json)?, &path)?.to_owned()))
}

/// The boolean at `path`. Throws as `jsonLong`.
#[uniffi::export]
pub fn json_boolean(json: String, path: String) -> Result<bool, CamsError> {
    guard(|| Ok(path::get_bool(&parse_json(&json)?, &path)?))
}

// ---- what the generated records read with ----------------------------------------------------
//
// Each generated record (`answers.rs`) reads itself from core's JSON tree with these readers:
// plain functions (one copy each in the library), a record's `read` for nested models, and
// `list` / `map` over them. The rules are those of the `camskit-answers` models: `null` is
// absent, an integer is exact to 64 signed bits (no fraction, no rounding), a number may be an
// integer, a value of no fixed type is kept as JSON text, and an undeclared key goes to
// `extra_json` as CAMS sent it.

/// Where a value sits in the answer, built as the reader descends and written out only for an
/// error (`ListTemplate[0].TemplateCode`).
pub(crate) enum At<'a> {
    /// The body.
    Root,
    /// A key of the object at the first place.
    Key(&'a At<'a>, &'a str),
    /// An index of the list at the first place.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    pub(crate) fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    fn path(&self) -> String {
        match self {
            At::Root => String::new(),
            At::Key(up, k) => match up.path() {
                p if p.is_empty() => (*k).to_owned(),
                p => format!("{p}.{k}"),
            },
            At::Index(up, i) => format!("{}[{i}]", up.path()),
        }
    }
}

/// Why a value does not fit its model: where, what the model declares, what CAMS sent.
#[derive(Debug)]
pub(crate) struct Mismatch {
    path: String,
    expected: &'static str,
    found: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() {
            "the body".to_owned()
        } else {
            format!("`{}`", self.path)
        };
        write!(
            f,
            "{at} is {}, the model declares {}",
            self.found, self.expected
        )
    }
}

pub(crate) type Read<T> = Result<T, Mismatch>;

#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
fn wrong(v: &Value, at: &At, expected: &'static str) -> Mismatch {
    let found = match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    };
    Mismatch {
        path: at.path(),
        expected,
        found,
    }
}

/// A declared field: `null` is absent, anything else is read by `read`.
#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn opt<T>(v: Value, at: &At, read: fn(Value, &At) -> Read<T>) -> Read<Option<T>> {
    // `Null` matched by value: nothing to drop in that arm (no drop glue per copy of `opt`).
    match v {
        Value::Null => Ok(None),
        v => match read(v, at) {
            Ok(x) => Ok(Some(x)),
            Err(e) => Err(e),
        },
    }
}

#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn object(v: Value, at: &At) -> Read<serde_json::Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(wrong(&other, at, "an object")),
    }
}

#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn string(v: Value, at: &At) -> Read<String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(wrong(&other, at, "a string")),
    }
}

/// An integer exact to 64 signed bits (a fraction, an exponent or a larger integer is refused,
/// never rounded).
#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn integer(v: Value, at: &At) -> Read<i64> {
    match v.as_i64() {
        Some(i) => Ok(i),
        None => Err(wrong(&v, at, "an integer of 64 signed bits")),
    }
}

/// A number (an integer too). No record of the current `UNIFFI_OPS` declares one: kept for the
/// generator's next model with a fraction.
#[allow(dead_code)]
#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn number(v: Value, at: &At) -> Read<f64> {
    match v.as_f64() {
        Some(x) => Ok(x),
        None => Err(wrong(&v, at, "a number")),
    }
}

#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn boolean(v: Value, at: &At) -> Read<bool> {
    match v {
        Value::Bool(b) => Ok(b),
        other => Err(wrong(&other, at, "a boolean")),
    }
}

/// A JSON value of no fixed type, as JSON text.
#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn any(v: Value, _at: &At) -> Read<String> {
    Ok(v.to_string())
}

/// A list whose items `read` reads (an item `null` is read by `read`, as serde would).
#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn list<T>(v: Value, at: &At, read: fn(Value, &At) -> Read<T>) -> Read<Vec<T>> {
    let items = match v {
        Value::Array(items) => items,
        other => return Err(wrong(&other, at, "a list")),
    };
    // A plain loop: one small copy per item type (an iterator chain's adapters are not).
    let mut out = Vec::with_capacity(items.len());
    for (i, x) in items.into_iter().enumerate() {
        out.push(read(x, &At::Index(at, i))?);
    }
    Ok(out)
}

/// An object of values `read` reads, by key.
#[inline(never)] // one copy each: the generated readers call them (size, issue 27)
pub(crate) fn map<T>(
    v: Value,
    at: &At,
    read: fn(Value, &At) -> Read<T>,
) -> Read<HashMap<String, T>> {
    object(v, at)?
        .into_iter()
        .map(|(k, x)| {
            let value = read(x, &at.key(&k))?;
            Ok((k, value))
        })
        .collect()
}

/// The fields a model does not declare, as a JSON object's text.
pub(crate) fn extra_json(extra: serde_json::Map<String, Value>) -> String {
    Value::Object(extra).to_string()
}

fn mismatch_text(response: &CamsResponse, action: &str, why: &str) -> CamsError {
    CamsError::Parse {
        status: response.status,
        reason: format!("{action}: the answer is not JSON: {why}"),
        snippet: response
            .body_json
            .chars()
            .take(camskit::SNIPPET_BYTES)
            .collect(),
    }
}

fn mismatch(status: i32, body: &str, action: &str, model: &str, e: Mismatch) -> CamsError {
    CamsError::Parse {
        status,
        reason: format!("{action}: the answer does not match {model}: {e}"),
        snippet: body.chars().take(camskit::SNIPPET_BYTES).collect(),
    }
}

/// Core's `parse_response` (errors as `parseResponse` throws them), then the record `read`
/// reads from the body.
pub(crate) fn typed_answer<T>(
    status: i32,
    body: &[u8],
    action: &str,
    model: &str,
    read: fn(Value, &At) -> Read<T>,
) -> Result<T, CamsError> {
    let response = camskit::parse_response(status_u16(status, body)?, body)?;
    read(Value::Object(response.body), &At::Root)
        .map_err(|e| mismatch(status, &String::from_utf8_lossy(body), action, model, e))
}

/// The record `read` reads from a successful `CamsResponse` (`call`, `pages`): its body, whose
/// envelope core has checked already, parsed once into a tree that is moved into the record.
pub(crate) fn typed_answer_from<T>(
    response: &CamsResponse,
    action: &str,
    model: &str,
    read: fn(Value, &At) -> Read<T>,
) -> Result<T, CamsError> {
    let tree = serde_json::from_slice(response.body_json.as_bytes())
        .map_err(|e| mismatch_text(response, action, &e.to_string()))?;
    read(tree, &At::Root)
        .map_err(|e| mismatch(response.status, &response.body_json, action, model, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"RequestId":"r","Code":"OK","Data":{"Total":2,"List":[{"Id":9007199254740993,"Name":"a"}],"Big":18446744073709551615,"Rate":0.5}}"#;

    #[test]
    fn fields_by_path() {
        let j = || BODY.to_owned();
        assert_eq!(
            json_long(j(), "Data.List[0].Id".into()).unwrap(),
            9_007_199_254_740_993
        );
        assert_eq!(
            json_field(j(), "Data.List[0].Name".into()).unwrap(),
            JsonValue::Text { value: "a".into() }
        );
        assert_eq!(
            json_field(j(), "Data.List".into()).unwrap(),
            JsonValue::Json {
                json: r#"[{"Id":9007199254740993,"Name":"a"}]"#.into()
            }
        );
        assert_eq!(
            json_field(j(), "Data.Big".into()).unwrap(),
            JsonValue::Number {
                value: 18446744073709551615.0,
                json: "18446744073709551615".into()
            }
        );
        assert_eq!(json_double(j(), "Data.Rate".into()).unwrap(), 0.5);
        match json_string(j(), "Data.Total".into()).unwrap_err() {
            CamsError::Validation {
                code,
                parameter,
                error_message,
                ..
            } => {
                assert_eq!(code, "wrong_field_type");
                assert_eq!(parameter.as_deref(), Some("Data.Total"));
                assert!(error_message.contains("\"Data.Total\""), "{error_message}");
            }
            other => panic!("{other:?}"),
        }
        match json_field(j(), "Data.Nope".into()).unwrap_err() {
            CamsError::Validation { code, .. } => assert_eq!(code, "missing_field"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            json_long("{".into(), "A".into()).unwrap_err(),
            CamsError::Validation { code, .. } if code == "invalid_input"
        ));
    }

    fn reason(e: CamsError) -> String {
        match e {
            CamsError::Parse { reason, .. } => reason,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn records_read_by_the_models_rules() {
        use crate::answers::ListChatappTemplateAnswer as L;
        let read = |body: &str| {
            typed_answer(
                200,
                body.as_bytes(),
                "ListChatappTemplate",
                "ListChatappTemplateResponseBody",
                L::read,
            )
        };
        // null is absent, an undeclared key kept in order and exact, an integer beyond 2^53 exact
        let r = read(
            r#"{"Code":"OK","Total":null,"Zed":1,"ListTemplate":[{"TemplateCode":"t","LastUpdateTime":9007199254740993}],"Alpha":18446744073709551615}"#,
        )
        .unwrap();
        assert_eq!(r.total, None);
        assert_eq!(r.code.as_deref(), Some("OK"));
        assert_eq!(r.extra_json, r#"{"Zed":1,"Alpha":18446744073709551615}"#);
        let t = &r.list_template.as_ref().unwrap()[0];
        assert_eq!(t.template_code.as_deref(), Some("t"));
        assert_eq!(t.last_update_time, Some(9_007_199_254_740_993));
        // each wrong type is refused, naming the path, never rounded or converted
        for (body, path, found) in [
            (r#"{"Code":"OK","Total":"two"}"#, "`Total`", "a string"),
            (r#"{"Code":"OK","Total":1.5}"#, "`Total`", "the number 1.5"),
            (
                r#"{"Code":"OK","Total":9223372036854775808}"#,
                "`Total`",
                "the number 9223372036854775808",
            ),
            (
                r#"{"Code":"OK","ListTemplate":{"a":1}}"#,
                "`ListTemplate`",
                "an object",
            ),
            (
                r#"{"Code":"OK","ListTemplate":[{},{"TemplateCode":7}]}"#,
                "`ListTemplate[1].TemplateCode`",
                "the number 7",
            ),
            (
                r#"{"Code":"OK","ListTemplate":[null]}"#,
                "`ListTemplate[0]`",
                "null",
            ),
        ] {
            let why = reason(read(body).unwrap_err());
            assert!(
                why.starts_with(
                    "ListChatappTemplate: the answer does not match ListChatappTemplateResponseBody: "
                ),
                "{why}"
            );
            assert!(why.contains(&format!("{path} is {found}")), "{body}: {why}");
        }
        // from a CamsResponse: the same record
        let response = crate::response::response(
            camskit::parse_response(200, br#"{"Code":"OK","Total":3}"#).unwrap(),
        );
        let from = typed_answer_from(
            &response,
            "ListChatappTemplate",
            "ListChatappTemplateResponseBody",
            L::read,
        )
        .unwrap();
        assert_eq!(from.total, Some(3));
        assert_eq!(from.extra_json, "{}");
    }

    #[test]
    fn typed_actions_are_known_operations() {
        let actions = crate::answers::typed_answer_actions();
        assert!(actions.len() >= 6);
        for a in &actions {
            assert!(camskit_answers::answer_type(a).is_some(), "{a}");
        }
    }
}

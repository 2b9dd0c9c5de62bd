//! Reading answers: one field by path with an exact type (`jsonField`, `jsonLong`, ... — for
//! every operation, typed records or not: the lookup is `camskit_answers::path`), and the
//! helpers the generated typed answers (`answers.rs`) convert through.

use camskit_answers::path::{self, PathError};
use camskit_answers::{AnswerError, Operation};
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

// ---- what the generated conversions use ------------------------------------------------------

/// A JSON value of no fixed type, as JSON text.
pub(crate) fn json_text(v: Value) -> String {
    v.to_string()
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

fn mismatch(status: i32, body: &str, e: AnswerError) -> CamsError {
    let snippet: String = body.chars().take(camskit::SNIPPET_BYTES).collect();
    CamsError::Parse {
        status,
        reason: e.to_string(),
        snippet,
    }
}

/// Core's `parse_response` (errors as `parseResponse` throws them), then the answer of `O`.
pub(crate) fn typed_answer<O: Operation>(status: i32, body: &[u8]) -> Result<O::Answer, CamsError> {
    let response = camskit::parse_response(status_u16(status, body)?, body)?;
    camskit_answers::answer::<O>(&response)
        .map_err(|e| mismatch(status, &String::from_utf8_lossy(body), e))
}

/// The answer of `O` from a successful `CamsResponse` (`call`, `pages`): its body read again
/// exactly as `typed_answer` reads one (one serde path per model, not two: the library stays
/// smaller).
pub(crate) fn typed_answer_from<O: Operation>(
    response: &CamsResponse,
) -> Result<O::Answer, CamsError> {
    // The response is core's (parseResponse, call, a page): its envelope is checked already.
    // The body is parsed once into a tree that is moved (not copied) into the answer, without a
    // second envelope check. (Straight from the text, `from_str::<O::Answer>`, would instantiate
    // every answer's deserializer a second time: +240 KB of native code.)
    let tree = body_tree(response, O::ACTION)?;
    serde_json::from_value::<O::Answer>(tree).map_err(|source| {
        answer_mismatch(
            response,
            O::ACTION,
            std::any::type_name::<O::Answer>(),
            source,
        )
    })
}

/// The body of a response as one JSON tree (not generic: one copy in the library).
fn body_tree(response: &CamsResponse, action: &str) -> Result<serde_json::Value, CamsError> {
    serde_json::from_slice(response.body_json.as_bytes())
        .map_err(|e| mismatch_text(response, action, &e.to_string()))
}

fn answer_mismatch(
    response: &CamsResponse,
    action: &str,
    model: &'static str,
    source: serde_json::Error,
) -> CamsError {
    let e = camskit_answers::AnswerError::Mismatch {
        action: action.to_string(),
        model: model.rsplit("::").next().unwrap_or(model),
        source,
    };
    mismatch(response.status, &response.body_json, e)
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

    #[test]
    fn typed_actions_are_known_operations() {
        let actions = crate::answers::typed_answer_actions();
        assert!(actions.len() >= 6);
        for a in &actions {
            assert!(camskit_answers::answer_type(a).is_some(), "{a}");
        }
    }
}

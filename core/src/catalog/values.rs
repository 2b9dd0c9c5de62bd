//! From parameter values to a [`Request`]: each value checked against its operation's
//! parameters (the [catalog model](super)) and serialized the way the official client does —
//! scalars as text, arrays and objects as compact JSON text (`json` style) or flattened into
//! `Name.1`, `Name.1.Key` (`flat` style), each in the query or the form body.

use serde_json::{Map, Value};

use super::{Location, Operation, Param, ParamType, Style, closest, operation};
use crate::error::{Error, truncate};
use crate::request::Request;
use crate::validate::MAX_PARAM_NAME_BYTES;

/// The unsigned request for `action` with these parameters, checked against the catalog.
///
/// Keys are API names (`CustSpaceId`) or the official snake names (`cust_space_id`); a `null`
/// value means "not given". Scalars must have the declared type (`"5"` is not an integer);
/// arrays and objects are given as structured values and serialized as the catalog says.
///
/// # Errors
/// [`Error::UnknownAction`], [`Error::UnknownParameter`] (with the closest names),
/// [`Error::MissingParameter`] (absent, `null` or empty text), [`Error::WrongType`] (naming
/// the parameter, the expected and the given type), [`Error::InvalidInput`] for a parameter
/// given twice.
pub fn request(action: &str, params: &Map<String, Value>) -> Result<Request, Error> {
    request_with(action, params.iter().map(|(k, v)| (k.as_str(), v)))
}

/// Like [`request`], for parameters that are all text (`name`, `value`) pairs, as a host
/// hands them over without building a JSON map: a text value is what a JSON string would be
/// (so a text given for an integer parameter is [`Error::WrongType`], as in [`request`]).
///
/// ```
/// let req = camskit::catalog::request_from_strs(
///     "ChatappMigrationRegister",
///     [("CustSpaceId", "cs-1"), ("PhoneNumber", "8613800001234")],
/// )?;
/// assert_eq!(req.query_params()[1], ("PhoneNumber".to_string(), "8613800001234".to_string()));
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// As [`request`].
pub fn request_from_strs<'a>(
    action: &str,
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Request, Error> {
    request_with(action, params)
}

/// Like [`request`], for `(name, value)` pairs in the caller's order (a name given twice is
/// an error, where a map would keep one).
///
/// # Errors
/// As [`request`].
pub fn request_from_pairs<'a>(
    action: &str,
    params: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<Request, Error> {
    request_with(action, params)
}

/// A parameter value the catalog reads: a JSON value, or a text (a JSON string).
trait Input {
    /// `null`, or empty text for a required parameter: "not given".
    fn is_absent(&self, required: bool) -> bool;
    /// Checks the type and writes the value's parameters through `put`.
    fn encode(
        &self,
        op: Operation,
        p: Param,
        put: &mut impl FnMut(String, String),
    ) -> Result<(), Error>;
}

impl Input for &Value {
    fn is_absent(&self, required: bool) -> bool {
        self.is_null() || (required && self.as_str() == Some(""))
    }
    fn encode(
        &self,
        op: Operation,
        p: Param,
        put: &mut impl FnMut(String, String),
    ) -> Result<(), Error> {
        encode(op, p, self, put)
    }
}

impl Input for &str {
    fn is_absent(&self, required: bool) -> bool {
        required && self.is_empty()
    }
    fn encode(
        &self,
        op: Operation,
        p: Param,
        put: &mut impl FnMut(String, String),
    ) -> Result<(), Error> {
        match p.ty() {
            // What `encode` does with a JSON string for these, without building one.
            ParamType::String | ParamType::Any => {
                put(p.name().to_owned(), (*self).to_owned());
                Ok(())
            }
            _ => encode(op, p, &Value::String((*self).to_owned()), put),
        }
    }
}

fn request_with<'a, V: Input>(
    action: &str,
    params: impl IntoIterator<Item = (&'a str, V)>,
) -> Result<Request, Error> {
    let op = operation(action)?;
    let mut req = Request::for_static_action(op.name()).with_method(op.method());
    let params = params.into_iter();
    req.query.reserve(params.size_hint().0);
    // Which parameters (by index in the operation) were given, and given with a value.
    let (mut given, mut present) = (0u64, 0u64);
    for (key, value) in params {
        let (index, p) = op
            .params()
            .enumerate()
            .find(|(_, p)| p.name() == key)
            .or_else(|| op.params().enumerate().find(|(_, p)| p.snake_name() == key))
            .ok_or_else(|| Error::UnknownParameter {
                action: op.name().to_owned(),
                parameter: truncate(key),
                suggestions: if key.len() <= MAX_PARAM_NAME_BYTES {
                    closest(key, op.params().map(Param::name))
                } else {
                    Vec::new()
                },
            })?;
        let bit = 1u64 << index;
        if given & bit != 0 {
            return Err(Error::invalid(
                format!("parameter {:?}", p.name()),
                "it is given more than once (an API name and its snake name are the same parameter)",
            ));
        }
        given |= bit;
        if value.is_absent(p.required()) {
            continue;
        }
        present |= bit;
        let mut put = |name: String, text: String| match p.location() {
            Location::Query => req.push_param(name, text),
            Location::Body => req.push_form_param(name, text),
        };
        value.encode(op, p, &mut put)?;
    }
    if let Some(missing) = op
        .params()
        .enumerate()
        .find(|(i, p)| p.required() && present & (1u64 << i) == 0)
    {
        return Err(Error::MissingParameter {
            action: op.name().to_owned(),
            parameter: missing.1.name().to_owned(),
        });
    }
    Ok(req)
}

/// Like [`request`], for values that arrive as text (a command line): each is read as the
/// parameter's type (`5` as an integer, `true` as a boolean, JSON text for arrays and objects).
///
/// # Errors
/// As [`request`]; text that does not read as the declared type is [`Error::WrongType`].
pub fn request_from_text(action: &str, params: &[(String, String)]) -> Result<Request, Error> {
    request(action, &values_from_text(action, params)?)
}

/// Reads text values (a command line) as each parameter's type, for [`request`]: `5` as an
/// integer, `true` as a boolean, JSON text for arrays and objects, anything for strings.
/// Names the operation does not have stay text ([`request`] then names them).
///
/// # Errors
/// [`Error::UnknownAction`]; [`Error::WrongType`] for text that is not of the declared type;
/// [`Error::InvalidInput`] for a name given twice.
pub fn values_from_text(
    action: &str,
    params: &[(String, String)],
) -> Result<Map<String, Value>, Error> {
    let op = operation(action)?;
    let mut map = Map::new();
    for (key, text) in params {
        let value = match op.param(key) {
            Some(p) => value_from_text(op, p, text)?,
            None => Value::String(text.clone()),
        };
        if map.insert(key.clone(), value).is_some() {
            return Err(Error::invalid(
                format!("parameter {key:?}"),
                "it is given more than once",
            ));
        }
    }
    Ok(map)
}

fn value_from_text(op: Operation, p: Param, text: &str) -> Result<Value, Error> {
    let wrong = |given: &str| Error::WrongType {
        action: op.name().to_owned(),
        parameter: p.name().to_owned(),
        expected: p.ty().as_str().to_owned(),
        given: given.to_owned(),
    };
    let parsed = || strict_json(text.as_bytes());
    let json = || parsed().ok();
    Ok(match p.ty() {
        ParamType::String => Value::String(text.to_owned()),
        ParamType::Integer => match json() {
            Some(v @ Value::Number(_)) if is_integer(&v) => v,
            _ => return Err(wrong(&format!("text {:?}", truncate(text)))),
        },
        ParamType::Number => match json() {
            Some(v @ Value::Number(_)) => v,
            _ => return Err(wrong(&format!("text {:?}", truncate(text)))),
        },
        ParamType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(wrong(&format!("text {:?}", truncate(text)))),
        },
        ParamType::Array | ParamType::Object => match parsed() {
            Ok(v) if v.is_array() || v.is_object() => v,
            // Text that is JSON-shaped but refused (a key twice, too deep): say why.
            Err(e) if text.trim_start().starts_with(['[', '{']) => {
                return Err(wrong(&format!(
                    "JSON that is refused: {}",
                    json_problem(&e)
                )));
            }
            _ => return Err(wrong("text that is not a JSON array or object")),
        },
        ParamType::Any => json()
            .filter(|v| v.is_array() || v.is_object())
            .unwrap_or_else(|| Value::String(text.to_owned())),
    })
}

/// An integer parameter is a 64-bit signed integer (`Long` in the official models):
/// 2^63 and above are refused, not wrapped.
fn is_integer(v: &Value) -> bool {
    v.as_i64().is_some()
}

/// Reads JSON text as a value, refusing what a plain parse would let through silently: a
/// key given twice in any object (serde_json keeps the last), and nesting deeper than
/// serde_json's limit (128) is reported as such.
pub(crate) fn strict_json(text: &[u8]) -> Result<Value, serde_json::Error> {
    use serde::de::DeserializeSeed as _;
    let mut de = serde_json::Deserializer::from_slice(text);
    let v = Strict.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// Says what a [`strict_json`] failure means, in words for an error message.
pub(crate) fn json_problem(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("recursion limit exceeded") {
        "JSON nested more than 128 levels deep".to_owned()
    } else {
        text
    }
}

/// A value whose objects hold each key once (see [`strict_json`]).
pub(crate) struct Strict;

impl<'de> serde::de::DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format!(
                    "key {:?} is given more than once in an object",
                    truncate(&k)
                )));
            }
            let v = map.next_value_seed(Strict)?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// The JSON type of a value, for error messages.
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.as_i64().is_some() || n.as_u64().is_some() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A scalar as the official Python client writes it (`str(value)`: `True`, `False`, `42`).
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("True".to_owned()),
        Value::Bool(false) => Some("False".to_owned()),
        _ => None,
    }
}

fn encode(
    op: Operation,
    p: Param,
    value: &Value,
    put: &mut impl FnMut(String, String),
) -> Result<(), Error> {
    let wrong = |path: String, expected: &str, given: &Value| Error::WrongType {
        action: op.name().to_owned(),
        parameter: path,
        expected: expected.to_owned(),
        given: type_name(given).to_owned(),
    };
    let ok = match (p.ty(), value) {
        (ParamType::String, Value::String(_))
        | (ParamType::Boolean, Value::Bool(_))
        | (ParamType::Number, Value::Number(_))
        | (ParamType::Array, Value::Array(_))
        | (ParamType::Object, Value::Object(_))
        | (ParamType::Any, _) => true,
        (ParamType::Integer, v) => is_integer(v),
        _ => false,
    };
    if !ok {
        let expected = if p.ty() == ParamType::Integer {
            "integer (64-bit)"
        } else {
            p.ty().as_str()
        };
        return Err(wrong(p.name().to_owned(), expected, value));
    }
    if let (Some(item), Value::Array(items)) = (p.item_type(), value) {
        for (i, v) in items.iter().enumerate() {
            let fits = match item {
                ParamType::String => v.is_string(),
                ParamType::Integer => is_integer(v),
                ParamType::Boolean => v.is_boolean(),
                ParamType::Number => v.is_number(),
                ParamType::Object => v.is_object(),
                ParamType::Array => v.is_array(),
                ParamType::Any => true,
            };
            if !fits {
                return Err(wrong(format!("{}[{i}]", p.name()), item.as_str(), v));
            }
        }
    }
    match (p.style(), value) {
        (_, v) if !v.is_array() && !v.is_object() => {
            put(p.name().to_owned(), scalar_text(v).unwrap_or_default());
        }
        (Style::Json | Style::Plain, v) => {
            let text = serde_json::to_string(v)
                .map_err(|e| Error::invalid(format!("parameter {:?}", p.name()), e.to_string()))?;
            put(p.name().to_owned(), text);
        }
        (Style::Flat, v) => {
            for (name, text) in flatten(p.name(), v) {
                put(name, text);
            }
        }
    }
    Ok(())
}

/// Flattens a value the way the official clients do (`Utils.query`): list items are numbered
/// from 1 (`Name.1`), object keys are appended (`Name.Key`), `null`s are dropped, scalars are
/// written as the Python client writes them.
///
/// ```
/// let v = serde_json::json!([{"Key": "k", "Value": true}, "x"]);
/// assert_eq!(
///     camskit::catalog::flatten("Tag", &v),
///     vec![("Tag.1.Key".to_string(), "k".to_string()), ("Tag.1.Value".into(), "True".into()), ("Tag.2".into(), "x".into())],
/// );
/// ```
pub fn flatten(prefix: &str, value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten_into(prefix, value, &mut out);
    out
}

fn flatten_into(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_into(&format!("{prefix}.{}", i + 1), v, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten_into(&format!("{prefix}.{k}"), v, out);
            }
        }
        scalar => out.push((prefix.to_owned(), scalar_text(scalar).unwrap_or_default())),
    }
}

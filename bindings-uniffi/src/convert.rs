//! Host values as core values and back: parameter values, the HTTP method, the signature
//! version, the time to sign at, name/value pairs, an HTTP status. No rule of its own: each
//! reading is core's.

use std::collections::HashMap;

use camskit::{Method, Timestamp};
use serde_json::Value;

use crate::{CamsError, guard};

/// A parameter value, any JSON value. Kotlin: `ParamValue.Text("…")`, `ParamValue.Integer(5)`,
/// `ParamValue.Json("""{"a":1}""")`, `ParamValue.Null`; Swift: `.text("…")`, `.integer(5)`.
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum ParamValue {
    /// A string, sent exactly as given.
    Text {
        /// The value.
        value: String,
    },
    /// An integer.
    Integer {
        /// The value.
        value: i64,
    },
    /// `true` or `false`.
    Boolean {
        /// The value.
        value: bool,
    },
    /// A floating-point number.
    Number {
        /// The value.
        value: f64,
    },
    /// `null`: "not given" for a CAMS operation, left out of a raw request.
    Null,
    /// An object or array (or any JSON value), as JSON text. An integer in it beyond 64 bits
    /// is refused (it could only be rounded).
    Json {
        /// The JSON text.
        json: String,
    },
}

impl ParamValue {
    /// The JSON value (numbers exact), or core's `invalid_input` naming the parameter.
    pub(crate) fn to_json(&self, name: &str) -> Result<Value, CamsError> {
        let invalid = |problem: String| {
            CamsError::from(camskit::Error::InvalidInput {
                what: format!("parameter {:?}", camskit::truncate(name)),
                problem,
            })
        };
        Ok(match self {
            ParamValue::Text { value } => Value::String(value.clone()),
            ParamValue::Integer { value } => Value::from(*value),
            ParamValue::Boolean { value } => Value::Bool(*value),
            ParamValue::Null => Value::Null,
            ParamValue::Number { value } => serde_json::Number::from_f64(*value)
                .map(Value::Number)
                .ok_or_else(|| invalid(format!("{value} is not a finite number")))?,
            ParamValue::Json { json } => {
                let v: Value = serde_json::from_str(json)
                    .map_err(|e| invalid(format!("not valid JSON ({e})")))?;
                if let Some(big) = integer_beyond_64_bits(json) {
                    return Err(invalid(format!(
                        "the integer {} does not fit in 64 bits; send it as text",
                        camskit::truncate(big)
                    )));
                }
                v
            }
        })
    }
}

/// The first integer literal of (valid) JSON text that is outside i64 and u64: serde_json
/// would read it as a rounded f64. The one check a host that hands JSON text must make.
fn integer_beyond_64_bits(json: &str) -> Option<&str> {
    let b = json.as_bytes();
    let (mut i, mut in_string) = (0, false);
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'-' | b'0'..=b'9' if !in_string => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let n = &json[start..i];
                let integer = !n.contains(['.', 'e', 'E']);
                if integer && n.parse::<i64>().is_err() && n.parse::<u64>().is_err() {
                    return Some(n);
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The HTTP method (Kotlin `HttpMethod.POST`, Swift `.post`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HttpMethod {
    /// GET: every parameter in the query.
    Get,
    /// POST.
    Post,
}

impl From<HttpMethod> for Method {
    fn from(m: HttpMethod) -> Self {
        match m {
            HttpMethod::Get => Method::Get,
            HttpMethod::Post => Method::Post,
        }
    }
}

/// Parses a method name by core's rule (`"GET"`, `"POST"`); anything else throws `CamsException.Validation`.
#[uniffi::export]
pub fn parse_http_method(name: String) -> Result<HttpMethod, CamsError> {
    guard(|| {
        Ok(match Method::parse(&name)? {
            Method::Get => HttpMethod::Get,
            Method::Post => HttpMethod::Post,
        })
    })
}

/// Which signature to use: RPC 1.0 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256, the
/// `Authorization` header; what Alibaba's current SDKs send).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignatureVersion {
    /// RPC signature 1.0 (`"1.0"`).
    V1,
    /// ACS3-HMAC-SHA256 (`"v3"`).
    V3,
}

impl From<SignatureVersion> for camskit::SignatureVersion {
    fn from(v: SignatureVersion) -> Self {
        match v {
            SignatureVersion::V1 => camskit::SignatureVersion::V1,
            SignatureVersion::V3 => camskit::SignatureVersion::V3,
        }
    }
}

impl From<camskit::SignatureVersion> for SignatureVersion {
    fn from(v: camskit::SignatureVersion) -> Self {
        match v {
            camskit::SignatureVersion::V1 => SignatureVersion::V1,
            camskit::SignatureVersion::V3 => SignatureVersion::V3,
        }
    }
}

/// Parses a signature version name: `"1.0"` (also `"v1"`, `"v2"`) or `"v3"` (also `"ACS3-HMAC-SHA256"`).
#[uniffi::export]
pub fn parse_signature_version(name: String) -> Result<SignatureVersion, CamsError> {
    guard(|| Ok(camskit::SignatureVersion::parse(&name)?.into()))
}

/// The name of a signature version: `"1.0"` or `"v3"`.
#[uniffi::export]
pub fn signature_version_name(version: SignatureVersion) -> String {
    camskit::SignatureVersion::from(version).as_str().to_owned()
}

/// One name/value pair (a header, or a flattened parameter).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NameValue {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

/// The time to sign at: unix seconds (Kotlin `SignTime.Unix(1752480000.0)`, a fraction is
/// floored) or text (`SignTime.Text("2025-07-14T08:00:00Z")`, also unix seconds as text), read
/// by core (`Timestamp::from_unix_f64`, `Timestamp::parse`).
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum SignTime {
    /// Unix seconds (a fraction is floored).
    Unix {
        /// The seconds since 1970-01-01T00:00:00Z.
        seconds: f64,
    },
    /// `YYYY-MM-DDThh:mm:ssZ` (UTC), or unix seconds as text.
    Text {
        /// The text.
        text: String,
    },
}

impl SignTime {
    pub(crate) fn to_core(&self) -> Result<Timestamp, camskit::Error> {
        match self {
            SignTime::Unix { seconds } => Timestamp::from_unix_f64(*seconds),
            SignTime::Text { text } => Timestamp::parse(text),
        }
    }
}

/// Parses a time by core's rule into `YYYY-MM-DDThh:mm:ssZ` (what would be signed).
#[uniffi::export]
pub fn format_sign_time(time: SignTime) -> Result<String, CamsError> {
    guard(|| Ok(time.to_core()?.as_str().to_owned()))
}

/// Parameters already in name order (each name once) as core's pairs, moving their texts:
/// what [`pairs`] gives for the map they came from.
pub(crate) fn sorted_pairs(
    params: Vec<(String, ParamValue)>,
) -> Result<Vec<(String, Value)>, CamsError> {
    params
        .into_iter()
        .map(|(name, value)| {
            let json = match value {
                ParamValue::Text { value } => Value::String(value),
                other => other.to_json(&name)?,
            };
            Ok((name, json))
        })
        .collect()
}

/// Host parameters as core's pairs, in name order (a host map has no order of its own).
pub(crate) fn pairs(
    params: &HashMap<String, ParamValue>,
) -> Result<Vec<(String, Value)>, CamsError> {
    let mut names: Vec<&String> = params.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| Ok((name.clone(), params[name].to_json(name)?)))
        .collect()
}

/// The host's clock (what core leaves to its host).
pub(crate) fn now() -> Result<Timestamp, camskit::Error> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(-1.0, |d| d.as_secs_f64());
    Timestamp::from_unix_f64(secs)
}

pub(crate) fn name_values<'a>(it: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<NameValue> {
    it.map(|(name, value)| NameValue {
        name: name.to_owned(),
        value: value.to_owned(),
    })
    .collect()
}

/// A status outside 0..=65535 cannot be a u16 (the host's `Int` is wider than HTTP's): it is
/// reported as core reports a non-HTTP status.
pub(crate) fn status_u16(status: i32, body: &[u8]) -> Result<u16, CamsError> {
    u16::try_from(status).map_err(|_| CamsError::Parse {
        status,
        reason: format!("{status} is not an HTTP status"),
        snippet: String::from_utf8_lossy(&body[..body.len().min(camskit::SNIPPET_BYTES)])
            .into_owned(),
    })
}

/// Flattens an object or array the way Alibaba's clients send `flat`-style parameters
/// (`Tag.1.Key=env`; core's `catalog::flatten`). Signing does this by itself (the catalog
/// where it says so, raw requests always): this shows what would be sent.
#[uniffi::export]
pub fn flatten_param(prefix: String, value: ParamValue) -> Result<Vec<NameValue>, CamsError> {
    guard(|| {
        let v = value.to_json(&prefix)?;
        Ok(camskit::catalog::flatten(&prefix, &v)
            .into_iter()
            .map(|(name, value)| NameValue { name, value })
            .collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_64_bits_in_json_text() {
        assert_eq!(
            integer_beyond_64_bits("[1, -5, 1.5e300, 18446744073709551615]"),
            None
        );
        assert_eq!(
            integer_beyond_64_bits(
                r#"{"a":"123456789012345678901234567890","b":18446744073709551616}"#
            ),
            Some("18446744073709551616")
        );
        assert_eq!(
            integer_beyond_64_bits(r#"["\"", -9223372036854775809]"#),
            Some("-9223372036854775809")
        );
    }
}

//! Values: JavaScript values <-> core values (JSON with exact 64-bit integers, parameters,
//! headers, options objects, strings checked for lone surrogates) and JavaScript's clock.
//!
//! Numbers: core keeps 64-bit integers exact; they reach JavaScript as `number` when that is
//! exact (within ±(2^53 − 1)) and as `BigInt` beyond it. A `BigInt` parameter beyond 64 bits
//! is refused (never rounded).

use camskit::Timestamp;
use js_sys::{Array, BigInt, Object, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::errors::{bad_arg, core};
pub use crate::tojs::value_to_js;
#[cfg(feature = "receipts")]
pub(crate) use crate::tojs::{Step, parse_exact};
pub(crate) use crate::tojs::{opt_str, set};

/// How deep nested parameter values may go (and a guard against cycles).
const MAX_DEPTH: usize = 32;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// A JavaScript string as Rust text; `Err` when it holds a lone surrogate (which UTF-8 cannot
/// carry). Checked only when the UTF-8 copy holds U+FFFD, which is what a lone surrogate
/// turns into. `Ok(None)` when `v` is not a string.
pub(crate) fn js_text(v: &JsValue) -> Result<Option<String>, ()> {
    let Some(s) = v.as_string() else {
        return Ok(None);
    };
    if s.contains('\u{FFFD}') && !v.unchecked_ref::<js_sys::JsString>().is_valid_utf16() {
        return Err(());
    }
    Ok(Some(s))
}

const LONE_SURROGATE: &str = "the string holds a lone surrogate (not valid Unicode)";

pub(crate) fn checked_string(
    v: &JsValue,
    what: &dyn Fn() -> String,
) -> Result<Option<String>, JsValue> {
    js_text(v).map_err(|()| bad_arg(&what(), LONE_SURROGATE))
}

pub(crate) fn type_name(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if Array::is_array(v) {
        "array".into()
    } else {
        v.js_typeof().as_string().unwrap_or_default()
    }
}

pub(crate) fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && !Array::is_array(v) && !v.is_function()
}

/// A JavaScript value as a JSON value (`null` and `undefined` are `null`: "not given").
/// Numbers that are whole and within 64 bits are integers, others floats; a `BigInt` must fit
/// in 64 bits (signed or unsigned).
pub fn js_to_value(v: &JsValue, path: &str, depth: usize) -> Result<Value, JsValue> {
    let what = || format!("parameter {path}");
    if depth > MAX_DEPTH {
        return Err(bad_arg(
            &what(),
            format!("nested deeper than {MAX_DEPTH} levels (a cycle?)"),
        ));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(s) = checked_string(v, &what)? {
        return Ok(Value::String(s));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(f) = v.as_f64() {
        // Only NaN and the infinities are refused: written as `{f}` writes them, without
        // pulling Rust's float formatting into the .wasm.
        return number_value(f).ok_or_else(|| {
            let text = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "inf"
            } else {
                "-inf"
            };
            bad_arg(&what(), format!("{text} is not a finite number"))
        });
    }
    if v.is_bigint() {
        let text = bigint_text(v);
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = text.parse::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(bad_arg(
            &what(),
            format!(
                "the integer {} does not fit in 64 bits; send it as a string",
                camskit::truncate(&text)
            ),
        ));
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let mut out = Vec::with_capacity(arr.length() as usize);
        for (i, item) in arr.iter().enumerate() {
            out.push(js_to_value(&item, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if is_plain_object(v) {
        let mut map = Map::new();
        for (key, child) in entries(v, &what)? {
            let p = format!("{path}.{key}");
            map.insert(key, js_to_value(&child, &p, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    Err(bad_arg(
        &what(),
        format!("a {} cannot be sent", type_name(v)),
    ))
}

fn bigint_text(v: &JsValue) -> String {
    v.unchecked_ref::<BigInt>()
        .to_string(10)
        .map(String::from)
        .unwrap_or_default()
}

/// A JavaScript number: whole numbers within 64 bits are exact integers (every such `f64` is
/// one integer), others floats.
fn number_value(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 {
        // 2^63 and 2^64 are exact f64 values: the ranges below hold only exact integers.
        if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
            return Some(Value::from(f as i64));
        }
        if (0.0..18_446_744_073_709_551_616.0).contains(&f) {
            return Some(Value::from(f as u64));
        }
    }
    Number::from_f64(f).map(Value::Number)
}

/// An object's own enumerable string-keyed entries, in order (`Object.entries`).
fn entries(v: &JsValue, what: &dyn Fn() -> String) -> Result<Vec<(String, JsValue)>, JsValue> {
    let mut out = Vec::new();
    for entry in Object::entries(v.unchecked_ref()).iter() {
        let pair: Array = entry.unchecked_into();
        let key =
            checked_string(&pair.get(0), &|| format!("a name in {}", what()))?.unwrap_or_default();
        out.push((key, pair.get(1)));
    }
    Ok(out)
}

/// Parameters: an object `{ Name: value }`, or (with `pairs_allowed`) an array of
/// `[name, value]` pairs (order kept, names may repeat). Values of any JSON type: core says
/// what each means.
pub(crate) fn params_from_js(
    v: &JsValue,
    what: &str,
    pairs_allowed: bool,
) -> Result<Vec<(String, Value)>, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(Vec::new());
    }
    if Array::is_array(v) && pairs_allowed {
        let arr: &Array = v.unchecked_ref();
        let mut out = Vec::with_capacity(arr.length() as usize);
        for entry in arr.iter() {
            if !Array::is_array(&entry) || entry.unchecked_ref::<Array>().length() != 2 {
                return Err(bad_arg(what, "each pair must be [name, value]"));
            }
            let pair: Array = entry.unchecked_into();
            let name = checked_string(&pair.get(0), &|| format!("{what} name"))?
                .ok_or_else(|| bad_arg(what, "a parameter name must be a string"))?;
            let value = js_to_value(&pair.get(1), &name, 1)?;
            out.push((name, value));
        }
        return Ok(out);
    }
    if is_plain_object(v) {
        let mut out = Vec::new();
        for (name, child) in entries(v, &|| what.to_owned())? {
            let value = js_to_value(&child, &name, 1)?;
            out.push((name, value));
        }
        return Ok(out);
    }
    Err(bad_arg(
        what,
        if pairs_allowed {
            format!(
                "expected an object or an array of [name, value] pairs, got {}",
                type_name(v)
            )
        } else {
            format!("expected an object {{ Name: value }}, got {}", type_name(v))
        },
    ))
}

/// Headers: an object or `[name, value]` pairs of strings; `null`/`undefined` values are left
/// out.
pub(crate) fn headers_from_js(v: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let what = "headers";
    if v.is_null() || v.is_undefined() {
        return Ok(Vec::new());
    }
    let pairs: Vec<(JsValue, JsValue)> = if Array::is_array(v) {
        let mut out = Vec::new();
        for entry in v.unchecked_ref::<Array>().iter() {
            if !Array::is_array(&entry) || entry.unchecked_ref::<Array>().length() != 2 {
                return Err(bad_arg(what, "each pair must be [name, value]"));
            }
            let pair: Array = entry.unchecked_into();
            out.push((pair.get(0), pair.get(1)));
        }
        out
    } else if is_plain_object(v) {
        entries(v, &|| what.to_owned())?
            .into_iter()
            .map(|(k, v)| (JsValue::from_str(&k), v))
            .collect()
    } else {
        return Err(bad_arg(
            what,
            format!(
                "expected an object or an array of [name, value] pairs, got {}",
                type_name(v)
            ),
        ));
    };
    let mut out = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        let name = checked_string(&name, &|| "header name".into())?
            .ok_or_else(|| bad_arg(what, "a header name must be a string"))?;
        if value.is_null() || value.is_undefined() {
            continue;
        }
        let value = checked_string(&value, &|| format!("header {name:?}"))?.ok_or_else(|| {
            bad_arg(
                &format!("header {:?}", camskit::truncate(&name)),
                format!("expected a string, got {}", type_name(&value)),
            )
        })?;
        out.push((name, value));
    }
    Ok(out)
}

pub(crate) fn opt_string(v: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(None);
    }
    checked_string(v, &|| what.to_owned())?
        .map(Some)
        .ok_or_else(|| bad_arg(what, format!("expected a string, got {}", type_name(v))))
}

pub(crate) fn opt_bool(v: &JsValue, what: &str) -> Result<bool, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| bad_arg(what, format!("expected a boolean, got {}", type_name(v))))
}

/// A body given as a string (its UTF-8), a `Uint8Array` or an `ArrayBuffer`, as bytes.
pub(crate) fn bytes_from_js(body: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = body.as_string() {
        Ok(s.into_bytes())
    } else if let Some(u8s) = body.dyn_ref::<js_sys::Uint8Array>() {
        Ok(u8s.to_vec())
    } else if let Some(buf) = body.dyn_ref::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(buf).to_vec())
    } else {
        Err(bad_arg(
            what,
            format!(
                "expected the body as a string, Uint8Array or ArrayBuffer, got {}",
                type_name(body)
            ),
        ))
    }
}

pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `options` as an object whose own keys are all in `known` (a misspelt option is an error,
/// never silently ignored). `undefined`/`null` are an empty object.
pub(crate) fn options_object(
    options: &JsValue,
    what: &str,
    known: &[&str],
) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Object::new().into());
    }
    if !is_plain_object(options) {
        return Err(bad_arg(
            what,
            format!("expected an object, got {}", type_name(options)),
        ));
    }
    for key in Object::keys(options.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !known.contains(&key.as_str()) {
            return Err(bad_arg(
                what,
                format!(
                    "unknown option {:?} (the options are {})",
                    camskit::truncate(&key),
                    known.join(", ")
                ),
            ));
        }
    }
    Ok(options.clone())
}

// ---------------------------------------------------------------------------------------------
// Time: JavaScript's clock and values, read by core's one rule.

/// Now, from JavaScript's clock.
pub(crate) fn now() -> Result<Timestamp, JsValue> {
    core(Timestamp::from_unix_f64(date_now() / 1000.0))
}

/// The timestamp option: `undefined` (now), a `Date` (its milliseconds / 1000), a number of
/// Unix seconds ([`Timestamp::from_unix_f64`]: a fraction is floored), or text
/// ([`Timestamp::parse`]).
pub fn timestamp_from_js(v: &JsValue) -> Result<Timestamp, JsValue> {
    if v.is_undefined() || v.is_null() {
        return now();
    }
    if let Some(date) = v.dyn_ref::<js_sys::Date>() {
        return core(Timestamp::from_unix_f64(date.get_time() / 1000.0));
    }
    if let Some(secs) = v.as_f64() {
        return core(Timestamp::from_unix_f64(secs));
    }
    if let Some(s) = checked_string(v, &|| "timestamp".into())? {
        return core(Timestamp::parse(&s));
    }
    Err(bad_arg(
        "timestamp",
        format!(
            "expected a Date, Unix seconds or \"YYYY-MM-DDThh:mm:ssZ\", got {}",
            type_name(v)
        ),
    ))
}

/// A whole number of 0 or more (within 2^53 − 1), or `None` when not given.
#[cfg(any(feature = "call", feature = "mns"))]
pub(crate) fn opt_u64(v: &JsValue, what: &str) -> Result<Option<u64>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(f) if f.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&f) => {
            Ok(Some(f as u64))
        }
        _ => Err(bad_arg(
            what,
            format!(
                "expected a whole number of 0 or more, got {}",
                if v.as_f64().is_some() {
                    format!("{}", v.as_f64().unwrap_or_default())
                } else {
                    type_name(v)
                }
            ),
        )),
    }
}

/// Milliseconds of JavaScript's clock as core's unsigned milliseconds.
#[cfg(any(feature = "call", feature = "mns"))]
pub(crate) fn millis(now_ms: f64) -> u64 {
    if now_ms.is_finite() && now_ms > 0.0 {
        now_ms as u64
    } else {
        0
    }
}

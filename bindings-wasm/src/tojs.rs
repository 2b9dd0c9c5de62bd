//! Core values to JavaScript values: JSON with exact 64-bit integers (numbers within
//! ±(2^53 − 1), `BigInt` beyond), and small object helpers. Below the error mapping, which
//! builds its error objects with them: nothing here fails.

use js_sys::{BigInt, Object, Reflect};
use serde_json::{Number, Value};
use wasm_bindgen::prelude::*;

/// The largest safe integer of JavaScript, 2^53 − 1.
const MAX_SAFE: i64 = 9_007_199_254_740_991;

pub(crate) fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

pub(crate) fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from_str)
}

// ---------------------------------------------------------------------------------------------
// JSON values: exact numbers both ways.

/// A core JSON value as a JavaScript value: integers beyond 2^53 − 1 become `BigInt`.
///
/// Objects and arrays cross as one JSON text that the engine's own `JSON.parse` reads (a
/// crossing per field made a 1 MB answer ten times slower than `JSON.parse`); the text is
/// core's serialisation of the parsed value (numbers print as the same doubles, duplicate keys
/// are gone, a `"__proto__"` key stays an ordinary property), then the few integers beyond
/// 2^53 − 1 — which a double would round — are put back as `BigInt` by their paths.
pub fn value_to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => number_to_js(n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(_) | Value::Object(_) => container_to_js(v),
    }
}

fn container_to_js(v: &Value) -> JsValue {
    let text = serde_json::to_string(v).unwrap_or_default();
    match v {
        Value::Array(items) => parse_exact(
            &text,
            items.iter().enumerate().map(|(i, v)| (Step::Index(i), v)),
            None,
        ),
        Value::Object(map) => parse_exact(&text, map.iter().map(|(k, v)| (Step::Key(k), v)), None),
        _ => value_to_js(v),
    }
}

/// One step of a path into a JSON value.
#[derive(Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Step<'_> {
    fn to_js(self) -> JsValue {
        match self {
            Step::Key(k) => JsValue::from_str(k),
            Step::Index(i) => JsValue::from_f64(i as f64),
        }
    }
}

/// `JSON.parse(text)`, then every integer beyond 2^53 − 1 among `children` (recursively)
/// replaced by its `BigInt`.
pub(crate) fn parse_exact<'a>(
    text: &str,
    children: impl Iterator<Item = (Step<'a>, &'a Value)>,
    prefix: Option<Step<'a>>,
) -> JsValue {
    let Ok(root) = js_sys::JSON::parse(text) else {
        return JsValue::UNDEFINED; // core's own serialisation: cannot happen
    };
    let mut path: Vec<Step<'a>> = prefix.into_iter().collect();
    for (step, child) in children {
        path.push(step);
        fix_big_integers(&root, &mut path, child);
        path.pop();
    }
    root
}

fn fix_big_integers<'a>(root: &JsValue, path: &mut Vec<Step<'a>>, v: &'a Value) {
    match v {
        Value::Number(n) if !is_safe_number(n) => {
            // Walk to the parent in JS (only for these rare values) and set the BigInt.
            let mut parent = root.clone();
            for step in &path[..path.len() - 1] {
                parent = Reflect::get(&parent, &step.to_js()).unwrap_or(JsValue::UNDEFINED);
            }
            if let Some(last) = path.last() {
                let _ = Reflect::set(&parent, &last.to_js(), &number_to_js(n));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                fix_big_integers(root, path, item);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(Step::Key(k));
                fix_big_integers(root, path, item);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Does `JSON.parse` read this number exactly as [`number_to_js`] gives it (a double)?
fn is_safe_number(n: &Number) -> bool {
    match n.as_i64() {
        Some(i) => (-MAX_SAFE..=MAX_SAFE).contains(&i),
        None => n.as_u64().is_none(), // a float (a u64 here is beyond i64: a BigInt)
    }
}

fn number_to_js(n: &Number) -> JsValue {
    if let Some(i) = n.as_i64() {
        if (-MAX_SAFE..=MAX_SAFE).contains(&i) {
            return JsValue::from_f64(i as f64);
        }
        return BigInt::from(i).into();
    }
    if let Some(u) = n.as_u64() {
        return BigInt::from(u).into();
    }
    JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN))
}

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
            &Int64Fields::default(),
        ),
        Value::Object(map) => parse_exact(
            &text,
            map.iter().map(|(k, v)| (Step::Key(k), v)),
            None,
            &Int64Fields::default(),
        ),
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

/// The fields to read as `BigInt` ALWAYS, not only beyond 2^53 − 1: core's 64-bit answer
/// fields ([`camskit::catalog::int64_paths`]), each split into its steps (`[]` each item of a
/// list, `{}` each value of a map), relative to the value [`parse_exact`] walks.
#[derive(Default)]
pub(crate) struct Int64Fields(Vec<Vec<&'static str>>);

impl Int64Fields {
    pub(crate) fn of<'p>(paths: impl IntoIterator<Item = &'p &'static str>) -> Self {
        Int64Fields(paths.into_iter().map(|p| p.split('.').collect()).collect())
    }

    /// The 64-bit fields of `action`'s answer body (none for an action core does not know).
    pub(crate) fn answer(action: &str) -> Self {
        Self::of(camskit::catalog::int64_paths(action))
    }

    /// The 64-bit fields of `action`'s page items, as a list (`[]` then an item's paths).
    pub(crate) fn page_items(action: &str) -> Self {
        let item = camskit::catalog::page_item_int64_paths(action);
        Int64Fields(
            item.iter()
                .map(|p| std::iter::once("[]").chain(p.split('.')).collect())
                .collect(),
        )
    }
}

/// `JSON.parse(text)`, then every integer beyond 2^53 − 1 among `children` (recursively), and
/// every integer at one of `int64`'s paths, replaced by its `BigInt`: THE decoder of answers
/// (parseAnswer, client.call, pages, items), so a field has one type on every path.
pub(crate) fn parse_exact<'a>(
    text: &str,
    children: impl Iterator<Item = (Step<'a>, &'a Value)>,
    prefix: Option<Step<'a>>,
    int64: &Int64Fields,
) -> JsValue {
    let Ok(root) = js_sys::JSON::parse(text) else {
        return JsValue::UNDEFINED; // core's own serialisation: cannot happen
    };
    let start: Vec<(usize, usize)> = (0..int64.0.len()).map(|i| (i, 0)).collect();
    let mut w = Walk {
        root: &root,
        path: prefix.into_iter().collect(),
        int64,
    };
    for (step, child) in children {
        w.child(step, child, &start);
    }
    root
}

/// One walk of [`parse_exact`]: the path so far, and which of the 64-bit paths it follows.
struct Walk<'r, 'a> {
    root: &'r JsValue,
    path: Vec<Step<'a>>,
    int64: &'r Int64Fields,
}

impl<'a> Walk<'_, 'a> {
    /// Steps into `v` (at `step`); `active`: (64-bit path, steps of it matched) so far.
    fn child(&mut self, step: Step<'a>, v: &'a Value, active: &[(usize, usize)]) {
        let mut next = Vec::new();
        let mut target = false;
        for &(p, d) in active {
            let seg = self.int64.0[p][d];
            let matches = match step {
                Step::Index(_) => seg == "[]",
                Step::Key(k) => seg == "{}" || seg == k,
            };
            if matches {
                if d + 1 == self.int64.0[p].len() {
                    target = true;
                } else {
                    next.push((p, d + 1));
                }
            }
        }
        self.path.push(step);
        match v {
            Value::Number(n) => {
                let big = if !is_safe_number(n) {
                    Some(number_to_js(n))
                } else if target {
                    integer_to_bigint(n)
                } else {
                    None
                };
                if let Some(big) = big {
                    self.set(&big);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.child(Step::Index(i), item, &next);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    self.child(Step::Key(k), item, &next);
                }
            }
            _ => {}
        }
        self.path.pop();
    }

    /// Sets the value at the current path (walking to its parent in JS: only for the values
    /// that change).
    fn set(&self, value: &JsValue) {
        let mut parent = self.root.clone();
        for step in &self.path[..self.path.len() - 1] {
            parent = Reflect::get(&parent, &step.to_js()).unwrap_or(JsValue::UNDEFINED);
        }
        if let Some(last) = self.path.last() {
            let _ = Reflect::set(&parent, &last.to_js(), value);
        }
    }
}

/// A 64-bit field's integer as a `BigInt` (a whole double too, as JSON `1.0`); a fraction or a
/// double beyond 64 bits stays what it was (`None`).
fn integer_to_bigint(n: &Number) -> Option<JsValue> {
    if let Some(i) = n.as_i64() {
        return Some(BigInt::from(i).into());
    }
    if let Some(u) = n.as_u64() {
        return Some(BigInt::from(u).into());
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f.abs() < 9.2e18).then(|| BigInt::from(f as i64).into())
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

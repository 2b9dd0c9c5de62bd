//! camskit-wasm: the WebAssembly layer of the npm package `camskit`.
//!
//! Pure translation: JavaScript values -> camskit values (a [`RequestSpec`], a [`Timestamp`],
//! an [`Endpoint`], [`Credentials`]), camskit errors -> plain JavaScript objects
//! `{ name, message, errorCode, category, ...fields }` that the package's JavaScript glue
//! (`js/camskit.js`) turns into `ValidationError`, `CredentialsError`, `ApiError` and
//! `ParseError`. Every decision (which endpoint, what a raw value means, how a time is read,
//! which headers are sent, error codes and kind names) is core's; this crate holds only what
//! JavaScript alone has: its values, its clock (`Date.now()`) and its environment object.
//!
//! Numbers: core keeps 64-bit integers exact; they reach JavaScript as `number` when that is
//! exact (within ±(2^53 − 1)) and as `BigInt` beyond it. A `BigInt` parameter beyond 64 bits
//! is refused (never rounded).
#![forbid(unsafe_code)]

use camskit::{
    ApiError, Category, Credentials, Endpoint, EnvValue, Error, Method, RequestSpec,
    SignatureVersion, SignedRequest, Signer, Timestamp,
};
use js_sys::{Array, BigInt, Object, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

// Talc instead of the default dlmalloc: a signature makes ~20 small allocations, and talc
// makes them faster (and its code is smaller). Single-threaded wasm only (no atomics).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

mod calls;
mod ops;

/// How deep nested parameter values may go (and a guard against cycles).
const MAX_DEPTH: usize = 32;
/// The largest safe integer of JavaScript, 2^53 − 1.
const MAX_SAFE: i64 = 9_007_199_254_740_991;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

// ---------------------------------------------------------------------------------------------
// Errors: one plain object per camskit error; the glue gives it its class.

fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

pub(crate) fn opt_str(v: Option<&str>) -> JsValue {
    v.map_or(JsValue::NULL, JsValue::from_str)
}

/// The JavaScript class name of a core error category.
fn class_name(c: Category) -> &'static str {
    match c {
        Category::Validation => "ValidationError",
        Category::Credentials => "CredentialsError",
        Category::Api => "ApiError",
        Category::Parse => "ParseError",
        Category::Transport => "TransportError",
    }
}

/// Maps a camskit error to the plain object the glue turns into an `Error` subclass: `name`
/// (the class), `message`, `errorCode` ([`Error::code`]), `category`
/// ([`Error::category`]), and the variant's fields. `code` is kept where it was: the core
/// code on a `ValidationError`, CAMS's own code on an `ApiError`.
pub fn error_to_js(e: &Error) -> JsValue {
    let o = Object::new();
    set(&o, "name", class_name(e.category()));
    set(&o, "message", e.to_string());
    set(&o, "errorCode", e.code());
    set(&o, "category", e.category().as_str());
    if e.category() == Category::Validation {
        set(&o, "code", e.code());
    }
    match e {
        Error::Api(api) => api_fields(&o, api),
        Error::Parse(p) => {
            set(&o, "status", p.status);
            set(&o, "reason", p.reason.as_str());
            set(&o, "snippet", p.snippet.as_str());
        }
        Error::Credentials { problem } => set(&o, "problem", problem.as_str()),
        Error::Transport {
            reason,
            outcome_unknown,
        } => {
            set(&o, "reason", reason.as_str());
            set(&o, "outcomeUnknown", *outcome_unknown);
        }
        Error::InvalidInput { what, problem } => {
            set(&o, "what", what.as_str());
            set(&o, "problem", problem.as_str());
        }
        Error::MissingParameter { action, parameter } => {
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
        }
        Error::UnknownAction {
            action,
            suggestions,
        } => {
            set(&o, "action", action.as_str());
            set(&o, "suggestions", str_array(suggestions));
        }
        Error::UnknownParameter {
            action,
            parameter,
            suggestions,
        } => {
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            set(&o, "suggestions", str_array(suggestions));
        }
        Error::WrongType {
            action,
            parameter,
            expected,
            given,
        } => {
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            set(&o, "expected", expected.as_str());
            set(&o, "given", given.as_str());
        }
        // A variant added to core later: its class, code and message are already set.
        _ => {}
    }
    o.into()
}

fn api_fields(o: &Object, e: &ApiError) {
    set(o, "apiMessage", e.message.as_str());
    set(o, "status", e.status);
    set(o, "code", e.code.as_str());
    set(o, "requestId", opt_str(e.request_id.as_deref()));
    set(o, "hostId", opt_str(e.host_id.as_deref()));
    set(o, "recommend", opt_str(e.recommend.as_deref()));
    set(
        o,
        "accessDeniedDetail",
        opt_str(e.access_denied_detail.as_deref()),
    );
    set(o, "kind", e.kind.as_str());
    set(o, "retryable", e.retryable());
    set(
        o,
        "serverStringToSign",
        opt_str(e.server_string_to_sign.as_deref()),
    );
    set(o, "body", value_to_js(&e.body));
}

fn str_array(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

/// A `ValidationError` (core's `invalid_input`) for a JavaScript value of the wrong shape.
fn bad_arg(what: &str, problem: impl std::fmt::Display) -> JsValue {
    error_to_js(&Error::InvalidInput {
        what: what.to_owned(),
        problem: problem.to_string(),
    })
}

fn credentials_error(problem: &str) -> JsValue {
    error_to_js(&Error::Credentials {
        problem: problem.to_owned(),
    })
}

pub(crate) fn core<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| error_to_js(&e))
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
enum Step<'a> {
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
fn parse_exact<'a>(
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

/// A JavaScript string as Rust text; `Err` when it holds a lone surrogate (which UTF-8 cannot
/// carry). Checked only when the UTF-8 copy holds U+FFFD, which is what a lone surrogate
/// turns into. `Ok(None)` when `v` is not a string.
fn js_text(v: &JsValue) -> Result<Option<String>, ()> {
    let Some(s) = v.as_string() else {
        return Ok(None);
    };
    if s.contains('\u{FFFD}') && !v.unchecked_ref::<js_sys::JsString>().is_valid_utf16() {
        return Err(());
    }
    Ok(Some(s))
}

const LONE_SURROGATE: &str = "the string holds a lone surrogate (not valid Unicode)";

fn checked_string(v: &JsValue, what: &dyn Fn() -> String) -> Result<Option<String>, JsValue> {
    js_text(v).map_err(|()| bad_arg(&what(), LONE_SURROGATE))
}

fn type_name(v: &JsValue) -> String {
    if v.is_null() {
        "null".into()
    } else if Array::is_array(v) {
        "array".into()
    } else {
        v.js_typeof().as_string().unwrap_or_default()
    }
}

fn is_plain_object(v: &JsValue) -> bool {
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
        return number_value(f)
            .ok_or_else(|| bad_arg(&what(), format!("{f} is not a finite number")));
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
fn params_from_js(
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
fn headers_from_js(v: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
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

fn opt_string(v: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(None);
    }
    checked_string(v, &|| what.to_owned())?
        .map(Some)
        .ok_or_else(|| bad_arg(what, format!("expected a string, got {}", type_name(v))))
}

fn opt_bool(v: &JsValue, what: &str) -> Result<bool, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| bad_arg(what, format!("expected a boolean, got {}", type_name(v))))
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `options` as an object whose own keys are all in `known` (a misspelt option is an error,
/// never silently ignored). `undefined`/`null` are an empty object.
fn options_object(options: &JsValue, what: &str, known: &[&str]) -> Result<JsValue, JsValue> {
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
fn now() -> Result<Timestamp, JsValue> {
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

// ---------------------------------------------------------------------------------------------
// Credentials and endpoint

/// The options `new Client()` and `Client.fromEnv()` read.
const CLIENT_OPTIONS: [&str; 6] = [
    "accessKeyId",
    "accessKeySecret",
    "securityToken",
    "regionId",
    "endpoint",
    "allowInsecureHttp",
];

fn required_credential(options: &JsValue, key: &str) -> Result<String, JsValue> {
    let v = get(options, key);
    if v.is_undefined() || v.is_null() {
        return Err(credentials_error(&format!("{key} is missing")));
    }
    match js_text(&v) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(credentials_error(&format!(
            "{key} must be a string, got {}",
            type_name(&v)
        ))),
        Err(()) => Err(credentials_error(&format!(
            "{key} holds a lone surrogate (not valid Unicode)"
        ))),
    }
}

/// The endpoint the options name ([`Endpoint::resolve`]), checked for sending credentials
/// ([`Endpoint::check_credentials_transport`], opt-in `allowInsecureHttp`).
fn endpoint_from_options(options: &JsValue) -> Result<Endpoint, JsValue> {
    let region = opt_string(&get(options, "regionId"), "regionId")?;
    let endpoint = opt_string(&get(options, "endpoint"), "endpoint")?;
    let insecure = opt_bool(&get(options, "allowInsecureHttp"), "allowInsecureHttp")?;
    let endpoint = core(Endpoint::resolve(region.as_deref(), endpoint.as_deref()))?;
    core(endpoint.check_credentials_transport(insecure))?;
    Ok(endpoint)
}

/// Reads the credentials variables core names from a JavaScript object (`process.env` or
/// any map of strings) and hands them to [`Credentials::from_env`].
fn env_credentials(env: &JsValue) -> Result<Option<camskit::EnvCredentials>, JsValue> {
    if !is_plain_object(env) {
        return Err(bad_arg(
            "env",
            format!(
                "expected an object of environment variables (process.env), got {}",
                type_name(env)
            ),
        ));
    }
    let mut vars: Vec<(&'static str, EnvValue)> = Vec::new();
    for name in camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
    {
        let v = get(env, name);
        if v.is_undefined() || v.is_null() {
            continue;
        }
        let value = match js_text(&v) {
            Ok(Some(s)) => EnvValue::Text(s),
            Ok(None) => {
                return Err(bad_arg(
                    &format!("env.{name}"),
                    format!("expected a string, got {}", type_name(&v)),
                ));
            }
            Err(()) => EnvValue::NotUnicode,
        };
        vars.push((name, value));
    }
    core(Credentials::from_env(|name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }))
}

/// What the environment holds, without the secret: `null` when no credentials are set, else
/// `{ accessKeyId, hasSecurityToken, idVariable, secretVariable, tokenVariable }`.
#[wasm_bindgen(js_name = credentialsFromEnv)]
pub fn credentials_from_env(env: JsValue) -> Result<JsValue, JsValue> {
    let Some(found) = env_credentials(&env)? else {
        return Ok(JsValue::NULL);
    };
    let o = Object::new();
    set(&o, "accessKeyId", found.credentials.access_key_id());
    set(
        &o,
        "hasSecurityToken",
        found.credentials.security_token().is_some(),
    );
    set(&o, "idVariable", found.id_variable);
    set(&o, "secretVariable", found.secret_variable);
    set(&o, "tokenVariable", opt_str(found.token_variable));
    Ok(o.into())
}

// ---------------------------------------------------------------------------------------------
// Signing

/// Holds the credentials inside WebAssembly memory; JavaScript only sees a handle.
#[wasm_bindgen]
pub struct WasmSigner {
    signer: Signer,
}

/// The options `sign` reads.
const SIGN_OPTIONS: [&str; 8] = [
    "raw",
    "form",
    "apiVersion",
    "method",
    "signature",
    "timestamp",
    "nonce",
    "headers",
];

#[wasm_bindgen]
impl WasmSigner {
    /// `options`: `{ accessKeyId, accessKeySecret, securityToken?, regionId?, endpoint?,
    /// allowInsecureHttp? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmSigner, JsValue> {
        if !is_plain_object(&options) {
            return Err(credentials_error(
                "new Client() needs an options object { accessKeyId, accessKeySecret }",
            ));
        }
        let options = options_object(&options, "Client options", &CLIENT_OPTIONS)?;
        let id = required_credential(&options, "accessKeyId")?;
        let secret = required_credential(&options, "accessKeySecret")?;
        let token = get(&options, "securityToken");
        let token = if token.is_null() || token.is_undefined() {
            None
        } else {
            Some(match js_text(&token) {
                Ok(Some(t)) => t,
                Ok(None) => return Err(credentials_error("securityToken must be a string")),
                Err(()) => return Err(credentials_error("securityToken is not valid Unicode")),
            })
        };
        let mut creds = core(Credentials::new(id, secret))?;
        if let Some(token) = token {
            creds = core(creds.with_security_token(token))?;
        }
        let endpoint = endpoint_from_options(&options)?;
        Ok(WasmSigner {
            signer: Signer::new(creds, endpoint),
        })
    }

    /// A signer with the environment's credentials ([`Credentials::from_env`]), or
    /// `undefined` when none are set. `options`: `{ regionId?, endpoint?, allowInsecureHttp? }`.
    #[wasm_bindgen(js_name = fromEnv)]
    pub fn from_env(env: JsValue, options: JsValue) -> Result<Option<WasmSigner>, JsValue> {
        let options = options_object(
            &options,
            "Client.fromEnv options",
            &["regionId", "endpoint", "allowInsecureHttp"],
        )?;
        let endpoint = endpoint_from_options(&options)?;
        Ok(env_credentials(&env)?.map(|found| WasmSigner {
            signer: Signer::new(found.credentials, endpoint),
        }))
    }

    /// The access key id (not secret), for `toString`.
    #[wasm_bindgen(getter, js_name = accessKeyId)]
    pub fn access_key_id(&self) -> String {
        self.signer.credentials().access_key_id().to_owned()
    }

    /// The endpoint's base URL.
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.signer.endpoint().base_url().to_owned()
    }

    /// The region of a `cams.<region>.aliyuncs.com` endpoint, else `undefined`.
    #[wasm_bindgen(getter, js_name = regionId)]
    pub fn region_id(&self) -> Option<String> {
        self.signer.endpoint().region_id().map(str::to_owned)
    }

    /// Core's warning for a region CAMS is not listed in, else `undefined`.
    #[wasm_bindgen(getter)]
    pub fn warning(&self) -> Option<String> {
        self.signer.endpoint().warning()
    }

    /// Whether the endpoint is a loopback address.
    #[wasm_bindgen(getter, js_name = isLoopback)]
    pub fn is_loopback(&self) -> bool {
        self.signer.endpoint().is_loopback()
    }

    /// Signs one request (the exact path). `options`: `{ raw?, form?, apiVersion?, method?,
    /// signature?, timestamp?, nonce?, headers? }`; `fresh_nonce` is used when
    /// `options.nonce` is absent (the glue passes `crypto.randomUUID()`).
    pub fn sign(
        &self,
        action: JsValue,
        params: JsValue,
        options: JsValue,
        fresh_nonce: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (spec, timestamp, nonce) = spec_from_js(&action, &params, &options, &fresh_nonce)?;
        let signed = core(self.signer.sign_spec(&spec, timestamp, &nonce))?;
        Ok(signed_to_js(&signed))
    }
}

/// A host's arguments as core's [`RequestSpec`], plus the time and the nonce.
fn spec_from_js(
    action: &JsValue,
    params: &JsValue,
    options: &JsValue,
    fresh_nonce: &JsValue,
) -> Result<(RequestSpec, Timestamp, String), JsValue> {
    let options = options_object(options, "options", &SIGN_OPTIONS)?;
    let timestamp = timestamp_from_js(&get(&options, "timestamp"))?;
    let nonce = match opt_string(&get(&options, "nonce"), "nonce")? {
        Some(n) => n,
        None => opt_string(fresh_nonce, "nonce")?
            .ok_or_else(|| bad_arg("nonce", "missing (no Web Crypto to make one)"))?,
    };
    Ok((spec_of(action, params, &options)?, timestamp, nonce))
}

/// The [`RequestSpec`] of an action, its parameters and the (already checked) options
/// object's `raw`, `form`, `apiVersion`, `method`, `signature` and `headers`.
fn spec_of(action: &JsValue, params: &JsValue, options: &JsValue) -> Result<RequestSpec, JsValue> {
    let action = checked_string(action, &|| "action".into())?.ok_or_else(|| {
        bad_arg(
            "action",
            format!(
                "expected the operation name as a string, got {}",
                type_name(action)
            ),
        )
    })?;
    let options = options.clone();
    let raw = opt_bool(&get(&options, "raw"), "option raw")?;
    let method = opt_string(&get(&options, "method"), "method")?
        .map(|m| core(Method::parse(&m)))
        .transpose()?;
    let signature = opt_string(&get(&options, "signature"), "signature")?
        .map(|s| core(SignatureVersion::parse(&s)))
        .transpose()?
        .unwrap_or_default();
    Ok(RequestSpec {
        action,
        params: params_from_js(params, "params", raw)?,
        form: params_from_js(&get(&options, "form"), "form", true)?,
        raw,
        api_version: opt_string(&get(&options, "apiVersion"), "apiVersion")?,
        method,
        signature,
        headers: headers_from_js(&get(&options, "headers"))?,
    })
}

/// What `signPacked` answers when the input needs the exact path.
const SLOW: &str = "\u{1}slow";

#[wasm_bindgen]
impl WasmSigner {
    /// The fast path of `Client.sign` for the plain common call: an action, parameters that
    /// are all strings, and only the options `method`, `signature`, `timestamp` (text or
    /// number) and `nonce` as strings/numbers — one string in, one string out, instead of a
    /// JavaScript property access per field. It builds the SAME [`RequestSpec`] the exact path
    /// builds from those values and calls the same [`Signer::sign_spec`]; it never reports an
    /// error: on any problem it answers `"\u{1}slow"` and the glue takes the exact path, which
    /// names it.
    ///
    /// `packed` is `action \0 method \0 signature \0 timestamp \0 nonce` then `\0 name \0
    /// value` for each of the `count` parameters. Empty method / signature: not given; empty
    /// timestamp: now; `@` + JavaScript's text of a number: that number of Unix seconds. A
    /// piece holding `\0` changes the piece count, and a lone surrogate becomes U+FFFD: both
    /// take the exact path. The answer is `method \0 url \0 body \0 stringToSign \0 signature
    /// \0 signatureVersion \0 canonicalQuery \0 canonicalRequest` (body and canonicalRequest:
    /// empty for none, else `=` + the text) then `\0 name \0 value` per header to send.
    #[wasm_bindgen(js_name = signPacked)]
    pub fn sign_packed(&self, packed: &str, count: u32) -> String {
        self.try_sign_packed(packed, count as usize)
            .map_or_else(|| SLOW.to_owned(), |signed| pack_signed(&signed))
    }
}

impl WasmSigner {
    /// `None`: take the exact path (it also names whatever is wrong).
    fn try_sign_packed(&self, packed: &str, count: usize) -> Option<SignedRequest> {
        // (0xEF leads U+FFFD in UTF-8: the byte scan is cheap, the char search is not.)
        if packed.as_bytes().contains(&0xEF) && packed.contains('\u{FFFD}') {
            return None;
        }
        let mut parts = packed.split('\0');
        let (action, method, signature, timestamp, nonce) = (
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
            parts.next()?,
        );
        let mut params = Vec::with_capacity(count);
        for _ in 0..count {
            let (name, value) = (parts.next()?, parts.next()?);
            params.push((name.to_owned(), Value::String(value.to_owned())));
        }
        if parts.next().is_some() {
            return None;
        }
        // The exact path's readings of the same values (see timestamp_from_js, spec_from_js).
        let timestamp = if timestamp.is_empty() {
            now().ok()?
        } else if let Some(secs) = timestamp.strip_prefix('@') {
            Timestamp::from_unix_f64(secs.parse().ok()?).ok()?
        } else {
            Timestamp::parse(timestamp).ok()?
        };
        let spec = RequestSpec {
            action: action.to_owned(),
            params,
            method: match method {
                "" => None,
                m => Some(Method::parse(m).ok()?),
            },
            signature: match signature {
                "" => SignatureVersion::default(),
                s => SignatureVersion::parse(s).ok()?,
            },
            ..RequestSpec::default()
        };
        self.signer.sign_spec(&spec, timestamp, nonce).ok()
    }
}

fn pack_signed(s: &SignedRequest) -> String {
    let cr = s.canonical_request.as_deref();
    let mut len = s.url.len()
        + s.string_to_sign.len()
        + s.signature.len()
        + s.canonical_query.len()
        + s.body.as_ref().map_or(0, |b| b.len() + 1)
        + cr.map_or(0, |c| c.len() + 1)
        + 24;
    for (n, v) in s.headers_to_send() {
        len += n.len() + v.len() + 2;
    }
    let mut out = String::with_capacity(len);
    out.push_str(s.method.as_str());
    out.push('\0');
    out.push_str(&s.url);
    out.push('\0');
    if let Some(b) = &s.body {
        out.push('=');
        out.push_str(b);
    }
    out.push('\0');
    out.push_str(&s.string_to_sign);
    out.push('\0');
    out.push_str(&s.signature);
    out.push('\0');
    out.push_str(s.signature_version.as_str());
    out.push('\0');
    out.push_str(&s.canonical_query);
    out.push('\0');
    if let Some(c) = cr {
        out.push('=');
        out.push_str(c);
    }
    for (n, v) in s.headers_to_send() {
        out.push('\0');
        out.push_str(n);
        out.push('\0');
        out.push_str(v);
    }
    out
}

fn signed_to_js(s: &SignedRequest) -> JsValue {
    let o = Object::new();
    set(&o, "method", s.method.as_str());
    set(&o, "url", s.url.as_str());
    let headers = Object::new();
    for (n, v) in s.headers_to_send() {
        set(&headers, n, v);
    }
    set(&o, "headers", headers);
    set(&o, "body", opt_str(s.body.as_deref()));
    set(&o, "stringToSign", s.string_to_sign.as_str());
    set(&o, "signature", s.signature.as_str());
    set(&o, "signatureVersion", s.signature_version.as_str());
    set(&o, "canonicalQuery", s.canonical_query.as_str());
    set(
        &o,
        "canonicalRequest",
        opt_str(s.canonical_request.as_deref()),
    );
    o.into()
}

// ---------------------------------------------------------------------------------------------
// Responses

/// Status, body and headers of an answer as core reads them.
pub(crate) fn answer_from_js(
    status: &JsValue,
    body: &JsValue,
    headers: &JsValue,
) -> Result<camskit::Response, JsValue> {
    let status = match status.as_f64() {
        Some(s) if s.fract() == 0.0 && (0.0..=65535.0).contains(&s) => s as u16,
        _ => {
            return Err(bad_arg(
                "status",
                format!("expected an HTTP status number, got {}", type_name(status)),
            ));
        }
    };
    let bytes: Vec<u8> = if let Some(s) = body.as_string() {
        s.into_bytes()
    } else if let Some(u8s) = body.dyn_ref::<js_sys::Uint8Array>() {
        u8s.to_vec()
    } else if let Some(buf) = body.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(buf).to_vec()
    } else {
        return Err(bad_arg(
            "body",
            format!(
                "expected the body as a string, Uint8Array or ArrayBuffer, got {}",
                type_name(body)
            ),
        ));
    };
    let headers = headers_from_js(headers)?;
    core(camskit::parse_response_with_headers(
        status,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        &bytes,
    ))
}

/// Parses a CAMS answer: `{ status, requestId, code, message, accessDeniedDetail, data, body }`
/// or throws the error object. `headers` (optional): the answer's headers, as an object or
/// `[name, value]` pairs (a redirect's `Location` is named in the error).
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(
    status: JsValue,
    body: JsValue,
    headers: JsValue,
) -> Result<JsValue, JsValue> {
    let r = answer_from_js(&status, &body, &headers)?;
    Ok(response_to_js(&r))
}

/// A parsed answer as `{ status, requestId, code, message, accessDeniedDetail, body, data }`:
/// one JSON text read by `JSON.parse` (one crossing; a `Reflect.set` per envelope field cost
/// more than the parse of a small answer), integers beyond 2^53 − 1 put back as `BigInt`, and
/// `data` the body's own `Data` object.
fn response_to_js(r: &camskit::Response) -> JsValue {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Envelope<'a> {
        status: u16,
        request_id: Option<&'a str>,
        code: &'a str,
        message: Option<&'a str>,
        access_denied_detail: Option<&'a str>,
        body: &'a Map<String, Value>,
    }
    let text = serde_json::to_string(&Envelope {
        status: r.status,
        request_id: r.request_id.as_deref(),
        code: r.code.as_str(),
        message: r.message.as_deref(),
        access_denied_detail: r.access_denied_detail.as_deref(),
        body: &r.body,
    })
    .unwrap_or_default();
    let root = parse_exact(
        &text,
        r.body.iter().map(|(k, v)| (Step::Key(k), v)),
        Some(Step::Key("body")),
    );
    let data = match r.data() {
        Some(_) => Reflect::get(&root, &JsValue::from_str("body"))
            .and_then(|body| Reflect::get(&body, &JsValue::from_str("Data")))
            .unwrap_or(JsValue::UNDEFINED),
        None => JsValue::UNDEFINED,
    };
    let _ = Reflect::set(&root, &JsValue::from_str("data"), &data);
    root
}

/// The largest answer body core parses, in bytes ([`camskit::MAX_RESPONSE_BYTES`]).
#[wasm_bindgen(js_name = maxResponseBytes)]
pub fn max_response_bytes() -> f64 {
    camskit::MAX_RESPONSE_BYTES as f64
}

/// The operations this build knows, for the typed methods and the generated `.d.ts`:
/// `[{ name, camelName, method, params: [{ name, camelName, location, type, itemType, style, required }] }]`.
#[wasm_bindgen]
pub fn operations() -> Array {
    ops::operations_js()
}

/// The operations' names and method names, for the typed methods installed on `Client`: one
/// string, `Name\0camelName\0Name\0camelName...` in the catalog's order. `operations()` builds
/// a few thousand JS objects (every parameter of every operation); the typed methods need only
/// the names, and one string crosses into JS in one copy (cold start).
#[wasm_bindgen(js_name = operationNames)]
pub fn operation_names() -> String {
    let mut out = String::with_capacity(8 * 1024);
    for op in camskit::catalog::operations() {
        if !out.is_empty() {
            out.push('\0');
        }
        out.push_str(op.name());
        out.push('\0');
        out.push_str(&op.camel_name());
    }
    out
}

/// How the catalog flattens an array or object parameter of style "flat" (`Tag.1.Key`, ...),
/// as `[name, value]` pairs.
#[wasm_bindgen]
pub fn flatten(prefix: JsValue, value: JsValue) -> Result<Array, JsValue> {
    let prefix = checked_string(&prefix, &|| "prefix".into())?.ok_or_else(|| {
        bad_arg(
            "prefix",
            format!("expected a string, got {}", type_name(&prefix)),
        )
    })?;
    let value = js_to_value(&value, &prefix, 0)?;
    Ok(camskit::catalog::flatten(&prefix, &value)
        .into_iter()
        .map(|(n, v)| JsValue::from(Array::of2(&JsValue::from_str(&n), &JsValue::from_str(&v))))
        .collect())
}

/// The error kinds, in core's order (`ErrorKind::ALL`: `"throttling"`, ...).
#[wasm_bindgen(js_name = errorKinds)]
pub fn error_kinds() -> Array {
    camskit::ErrorKind::ALL
        .iter()
        .map(|k| JsValue::from_str(k.as_str()))
        .collect()
}

/// The core's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

pub use ops::{
    parse_chatapp_migration_register_response, parse_chatapp_migration_verified_response,
    parse_create_chatapp_migration_initiate_response, parse_get_migration_verify_code_response,
};

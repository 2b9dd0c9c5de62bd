//! camskit-wasm: the WebAssembly layer of the npm package `camskit`.
//!
//! A thin translation layer: JavaScript values -> camskit values, camskit errors -> plain
//! JavaScript objects `{ name, message, ...fields }` that the package's JavaScript glue
//! (`js/camskit.js`) turns into `ValidationError`, `CredentialsError`, `ApiError` and
//! `ParseError`. The JavaScript-facing API (`Client`, `parseResponse`) lives in that glue; this
//! crate exports the low-level pieces it calls.
//!
//! Numbers: the core keeps JSON numbers exact (serde_json `arbitrary_precision`); they reach
//! JavaScript as `number` when that is exact (integers within ±(2^53 − 1), decimals) and as
//! `BigInt` for integers beyond it.
#![forbid(unsafe_code)]

use camskit::{
    ApiError, Credentials, Endpoint, Error, Method, Request, SignOptions, SignatureVersion,
    SignedRequest, Signer, Timestamp,
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

fn opt_str(v: &Option<String>) -> JsValue {
    match v {
        Some(s) => JsValue::from_str(s),
        None => JsValue::NULL,
    }
}

fn validation(code: &str, message: String) -> JsValue {
    let o = Object::new();
    set(&o, "name", "ValidationError");
    set(&o, "code", code);
    set(&o, "message", message);
    o.into()
}

/// A `ValidationError` for a bad argument of the binding itself.
fn bad_arg(what: &str, problem: impl std::fmt::Display) -> JsValue {
    validation("invalid_input", format!("invalid {what}: {problem}"))
}

/// The JavaScript object for an API error (exported for the unit tests).
fn api_error_to_js(e: &ApiError) -> JsValue {
    let o = Object::new();
    set(&o, "name", "ApiError");
    set(&o, "message", e.to_string());
    set(&o, "status", e.status);
    set(&o, "code", e.code.as_str());
    set(&o, "apiMessage", e.message.as_str());
    set(&o, "requestId", opt_str(&e.request_id));
    set(&o, "hostId", opt_str(&e.host_id));
    set(&o, "recommend", opt_str(&e.recommend));
    set(&o, "accessDeniedDetail", opt_str(&e.access_denied_detail));
    set(&o, "kind", e.kind.as_str());
    set(&o, "retryable", e.retryable());
    set(&o, "serverStringToSign", opt_str(&e.server_string_to_sign));
    set(&o, "body", value_to_js(&e.body));
    o.into()
}

/// Maps a camskit error to the plain object the glue turns into an `Error` subclass.
pub fn error_to_js(e: &Error) -> JsValue {
    let message = e.to_string();
    match e {
        Error::Api(api) => api_error_to_js(api),
        Error::Parse(p) => {
            let o = Object::new();
            set(&o, "name", "ParseError");
            set(&o, "message", message);
            set(&o, "status", p.status);
            set(&o, "reason", p.reason.as_str());
            set(&o, "snippet", p.snippet.as_str());
            o.into()
        }
        Error::Credentials { problem } => {
            let o = Object::new();
            set(&o, "name", "CredentialsError");
            set(&o, "message", message);
            set(&o, "problem", problem.as_str());
            o.into()
        }
        Error::InvalidInput { what, problem } => {
            let o: Object = validation("invalid_input", message).unchecked_into();
            set(&o, "what", what.as_str());
            set(&o, "problem", problem.as_str());
            o.into()
        }
        Error::MissingParameter { action, parameter } => {
            let o: Object = validation("missing_parameter", message).unchecked_into();
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            o.into()
        }
        Error::UnknownAction {
            action,
            suggestions,
        } => {
            let o: Object = validation("unknown_action", message).unchecked_into();
            set(&o, "action", action.as_str());
            set(&o, "suggestions", str_array(suggestions));
            o.into()
        }
        Error::UnknownParameter {
            action,
            parameter,
            suggestions,
        } => {
            let o: Object = validation("unknown_parameter", message).unchecked_into();
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            set(&o, "suggestions", str_array(suggestions));
            o.into()
        }
        Error::WrongType {
            action,
            parameter,
            expected,
            given,
        } => {
            let o: Object = validation("wrong_type", message).unchecked_into();
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            set(&o, "expected", expected.as_str());
            set(&o, "given", given.as_str());
            o.into()
        }
        // A variant added to core later: still the right class, with its message.
        other => validation("invalid_input", other.to_string()),
    }
}

fn str_array(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

// ---------------------------------------------------------------------------------------------
// JSON values: exact numbers both ways.

/// A core JSON value as a JavaScript value: integers beyond 2^53 − 1 become `BigInt`.
pub fn value_to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => number_to_js(n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(value_to_js).collect::<Array>().into(),
        Value::Object(map) => map_to_js(map).into(),
    }
}

fn map_to_js(map: &Map<String, Value>) -> Object {
    let o = Object::new();
    for (k, v) in map {
        set(&o, k, value_to_js(v));
    }
    o
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
    let text = n.to_string();
    let integer = !text.contains(['.', 'e', 'E']);
    if integer {
        // Beyond 64 bits: BigInt from the exact decimal text.
        if let Ok(b) = BigInt::new(&JsValue::from_str(&text)) {
            return b.into();
        }
    }
    JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN))
}

/// Whether a JavaScript string holds a lone surrogate (which UTF-8 cannot carry). Checked
/// only when the UTF-8 copy holds U+FFFD, which is what a lone surrogate turns into.
fn checked_string(v: &JsValue, what: &dyn Fn() -> String) -> Result<Option<String>, JsValue> {
    let Some(s) = v.as_string() else {
        return Ok(None);
    };
    if s.contains('\u{FFFD}') {
        let js: &js_sys::JsString = v.unchecked_ref();
        if !js.is_valid_utf16() {
            return Err(bad_arg(
                &what(),
                "the string holds a lone surrogate (not valid Unicode)",
            ));
        }
    }
    Ok(Some(s))
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

/// A JavaScript value as a JSON value, for the catalog's validation.
pub fn js_to_value(v: &JsValue, path: &str, depth: usize) -> Result<Value, JsValue> {
    if depth > MAX_DEPTH {
        return Err(bad_arg(
            &format!("parameter {path}"),
            format!("nested deeper than {MAX_DEPTH} levels (a cycle?)"),
        ));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(s) = checked_string(v, &|| format!("parameter {path}"))? {
        return Ok(Value::String(s));
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(f) = v.as_f64() {
        return number_value(f).ok_or_else(|| {
            bad_arg(
                &format!("parameter {path}"),
                format!("{f} is not a finite number"),
            )
        });
    }
    if v.is_bigint() {
        return bigint_text(v)
            .parse::<Number>()
            .map(Value::Number)
            .map_err(|e| bad_arg(&format!("parameter {path}"), e));
    }
    if Array::is_array(v) {
        let arr: &Array = v.unchecked_ref();
        let mut out = Vec::with_capacity(arr.length() as usize);
        for (i, item) in arr.iter().enumerate() {
            out.push(js_to_value(&item, &format!("{path}[{i}]"), depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() && !v.is_function() {
        return object_to_map(v, path, depth).map(Value::Object);
    }
    Err(bad_arg(
        &format!("parameter {path}"),
        format!("a {} cannot be sent", type_name(v)),
    ))
}

fn bigint_text(v: &JsValue) -> String {
    v.unchecked_ref::<BigInt>()
        .to_string(10)
        .map(String::from)
        .unwrap_or_default()
}

fn number_value(f: f64) -> Option<Value> {
    if !f.is_finite() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() <= MAX_SAFE as f64 {
        return Some(Value::Number(Number::from(f as i64)));
    }
    Number::from_f64(f).map(Value::Number)
}

fn object_to_map(v: &JsValue, path: &str, depth: usize) -> Result<Map<String, Value>, JsValue> {
    let obj: &Object = v.unchecked_ref();
    let mut map = Map::new();
    for entry in Object::entries(obj).iter() {
        let pair: Array = entry.unchecked_into();
        let key = checked_string(&pair.get(0), &|| format!("parameter name in {path:?}"))?
            .unwrap_or_default();
        let child = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        map.insert(key, js_to_value(&pair.get(1), &child, depth + 1)?);
    }
    Ok(map)
}

/// A raw parameter value as text: strings as given, numbers, booleans and BigInts as their
/// JavaScript text.
fn raw_text(v: &JsValue, name: &str) -> Result<String, JsValue> {
    if let Some(s) = checked_string(v, &|| format!("parameter {name:?}"))? {
        return Ok(s);
    }
    if let Some(f) = v.as_f64() {
        if !f.is_finite() {
            return Err(bad_arg(
                &format!("parameter {name:?}"),
                format!("{f} is not a finite number"),
            ));
        }
        // JavaScript's own text of the number (`String(1.5)`).
        let text = js_sys::Number::from(f).to_string_with_radix(10);
        return Ok(text.map(String::from).unwrap_or_else(|_| f.to_string()));
    }
    if let Some(b) = v.as_bool() {
        return Ok(if b { "true" } else { "false" }.to_owned());
    }
    if v.is_bigint() {
        return Ok(bigint_text(v));
    }
    Err(bad_arg(
        &format!("parameter {name:?}"),
        format!(
            "a raw parameter is a string, number, boolean or bigint, not {}",
            type_name(v)
        ),
    ))
}

/// Raw parameters: an object `{ Name: value }` or an array of `[name, value]` pairs (order
/// kept, names may repeat). `null`/`undefined` values are left out.
fn raw_pairs(v: &JsValue, what: &str) -> Result<Vec<(String, String)>, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(Vec::new());
    }
    let entries: Array = if Array::is_array(v) {
        v.clone().unchecked_into()
    } else if v.is_object() && !v.is_function() {
        Object::entries(v.unchecked_ref())
    } else {
        return Err(bad_arg(
            what,
            format!(
                "expected an object or an array of [name, value] pairs, got {}",
                type_name(v)
            ),
        ));
    };
    let mut out = Vec::with_capacity(entries.length() as usize);
    for entry in entries.iter() {
        if !Array::is_array(&entry) || entry.unchecked_ref::<Array>().length() != 2 {
            return Err(bad_arg(what, "each pair must be [name, value]"));
        }
        let pair: Array = entry.unchecked_into();
        let name = checked_string(&pair.get(0), &|| format!("{what} name"))?
            .ok_or_else(|| bad_arg(what, "a parameter name must be a string"))?;
        let value = pair.get(1);
        if value.is_null() || value.is_undefined() {
            continue;
        }
        let text = raw_text(&value, &name)?;
        out.push((name, text));
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

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

// ---------------------------------------------------------------------------------------------
// Signing

/// Holds the credentials inside WebAssembly memory; JavaScript only sees a handle.
#[wasm_bindgen]
pub struct WasmSigner {
    signer: Signer,
}

#[wasm_bindgen]
impl WasmSigner {
    /// `options`: `{ accessKeyId, accessKeySecret, securityToken?, regionId?, endpoint? }`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmSigner, JsValue> {
        if !options.is_object() || Array::is_array(&options) {
            return Err(credentials_error(
                "new Client() needs an options object { accessKeyId, accessKeySecret }",
            ));
        }
        let id = required_credential(&options, "accessKeyId")?;
        let secret = required_credential(&options, "accessKeySecret")?;
        let token = get(&options, "securityToken");
        let token = if token.is_null() || token.is_undefined() {
            None
        } else {
            Some(
                checked_string(&token, &|| "securityToken".into())
                    .map_err(|_| credentials_error("securityToken is not valid Unicode"))?
                    .ok_or_else(|| credentials_error("securityToken must be a string"))?,
            )
        };
        let mut creds = Credentials::new(id, secret).map_err(|e| error_to_js(&e))?;
        if let Some(token) = token {
            creds = creds
                .with_security_token(token)
                .map_err(|e| error_to_js(&e))?;
        }
        let region = opt_string(&get(&options, "regionId"), "regionId")?;
        let endpoint = opt_string(&get(&options, "endpoint"), "endpoint")?;
        let endpoint = match (region, endpoint) {
            (Some(_), Some(_)) => {
                return Err(bad_arg("options", "give regionId or endpoint, not both"));
            }
            (Some(r), None) => Endpoint::region(&r),
            (None, Some(e)) => Endpoint::parse(&e),
            (None, None) => Ok(Endpoint::default()),
        }
        .map_err(|e| error_to_js(&e))?;
        Ok(WasmSigner {
            signer: Signer::new(creds, endpoint),
        })
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

    /// Signs one request. `options`: `{ method?, timestamp?, nonce?, signature?, raw?,
    /// apiVersion?, form?, headers? }`; `fresh_nonce` is used when `options.nonce` is absent
    /// (the glue passes `crypto.randomUUID()`).
    pub fn sign(
        &self,
        action: JsValue,
        params: JsValue,
        options: JsValue,
        fresh_nonce: JsValue,
    ) -> Result<JsValue, JsValue> {
        let signed = self.sign_inner(&action, &params, &options, &fresh_nonce)?;
        Ok(signed_to_js(&signed))
    }
}

/// What `signPacked` answers when the input needs the exact (slower) path.
const SLOW: &str = "\u{1}slow";

#[wasm_bindgen]
impl WasmSigner {
    /// The fast path of `Client.sign` for the common call (a catalog operation, string
    /// parameters, no extra headers): one string in, one string out, instead of a JS property
    /// access per field. `packed` is `action \0 method \0 signature \0 timestamp \0 nonce`
    /// followed by `\0 name \0 value` for each of the `count` parameters; empty method /
    /// signature mean the defaults, an empty timestamp means now, `@` + digits Unix seconds.
    /// Answers `"\u{1}slow"` when a piece held `\0` or U+FFFD (a lone surrogate may have
    /// become one) or anything is wrong with the input: the glue then takes the exact path,
    /// which names the problem. The answer is `method \0 url \0 body \0 stringToSign \0
    /// signature \0 signatureVersion \0 canonicalQuery \0 canonicalRequest` (body and
    /// canonicalRequest: empty for none, else `=` + the text) then `\0 name \0 value` per
    /// header.
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
            params.push((parts.next()?, parts.next()?));
        }
        if parts.next().is_some() {
            return None;
        }
        let timestamp = if timestamp.is_empty() {
            timestamp_from_js(&JsValue::UNDEFINED).ok()?
        } else if let Some(secs) = timestamp.strip_prefix('@') {
            Timestamp::from_unix(secs.parse().ok()?).ok()?
        } else {
            Timestamp::parse(timestamp).ok()?
        };
        let mut options = SignOptions::default();
        if !method.is_empty() {
            options.method = Some(Method::parse(method).ok()?);
        }
        if !signature.is_empty() {
            options.signature = SignatureVersion::parse(signature).ok()?;
        }
        self.signer
            .sign_action_strs(action, params, &options, timestamp, nonce)
            .ok()
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
    for (n, v) in &s.headers {
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
    for (n, v) in &s.headers {
        out.push('\0');
        out.push_str(n);
        out.push('\0');
        out.push_str(v);
    }
    out
}

fn credentials_error(problem: &str) -> JsValue {
    error_to_js(&Error::Credentials {
        problem: problem.to_owned(),
    })
}

fn required_credential(options: &JsValue, key: &str) -> Result<String, JsValue> {
    let v = get(options, key);
    if v.is_undefined() || v.is_null() {
        return Err(credentials_error(&format!("{key} is missing")));
    }
    match checked_string(&v, &|| key.to_owned()) {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(credentials_error(&format!(
            "{key} must be a string, got {}",
            type_name(&v)
        ))),
        Err(_) => Err(credentials_error(&format!(
            "{key} holds a lone surrogate (not valid Unicode)"
        ))),
    }
}

/// The timestamp option: `undefined` (now), a `Date`, Unix seconds, or `YYYY-MM-DDThh:mm:ssZ`.
pub fn timestamp_from_js(v: &JsValue) -> Result<Timestamp, JsValue> {
    let from_secs = |secs: f64| {
        if !secs.is_finite() || secs.fract() != 0.0 || secs.abs() > 1e15 {
            return Err(bad_arg(
                "timestamp",
                format!("{secs} is not a whole number of Unix seconds"),
            ));
        }
        Timestamp::from_unix(secs as i64).map_err(|e| error_to_js(&e))
    };
    if v.is_undefined() || v.is_null() {
        return from_secs((date_now() / 1000.0).floor());
    }
    if let Some(date) = v.dyn_ref::<js_sys::Date>() {
        let ms = date.get_time();
        if ms.is_nan() {
            return Err(bad_arg("timestamp", "the Date is invalid"));
        }
        return from_secs((ms / 1000.0).floor());
    }
    if let Some(secs) = v.as_f64() {
        return from_secs(secs);
    }
    if let Some(s) = checked_string(v, &|| "timestamp".into())? {
        return Timestamp::parse(&s).map_err(|e| error_to_js(&e));
    }
    Err(bad_arg(
        "timestamp",
        format!(
            "expected a Date, Unix seconds or \"YYYY-MM-DDThh:mm:ssZ\", got {}",
            type_name(v)
        ),
    ))
}

impl WasmSigner {
    fn sign_inner(
        &self,
        action: &JsValue,
        params: &JsValue,
        options: &JsValue,
        fresh_nonce: &JsValue,
    ) -> Result<SignedRequest, JsValue> {
        let action = checked_string(action, &|| "action".into())?.ok_or_else(|| {
            bad_arg(
                "action",
                format!(
                    "expected the operation name as a string, got {}",
                    type_name(action)
                ),
            )
        })?;
        let options = if options.is_undefined() || options.is_null() {
            Object::new().into()
        } else if options.is_object() && !Array::is_array(options) {
            options.clone()
        } else {
            return Err(bad_arg(
                "options",
                format!("expected an object, got {}", type_name(options)),
            ));
        };
        let method = opt_string(&get(&options, "method"), "method")?
            .map(|m| Method::parse(&m))
            .transpose()
            .map_err(|e| error_to_js(&e))?;
        let signature = opt_string(&get(&options, "signature"), "signature")?
            .map(|s| SignatureVersion::parse(&s))
            .transpose()
            .map_err(|e| error_to_js(&e))?
            .unwrap_or_default();
        let timestamp = timestamp_from_js(&get(&options, "timestamp"))?;
        let nonce = match opt_string(&get(&options, "nonce"), "nonce")? {
            Some(n) => n,
            None => opt_string(fresh_nonce, "nonce")?
                .ok_or_else(|| bad_arg("nonce", "missing (no Web Crypto to make one)"))?,
        };
        let raw = get(&options, "raw");
        let raw = raw.as_bool().unwrap_or(false);
        let headers = raw_pairs(&get(&options, "headers"), "headers")?;

        if !raw {
            for key in ["apiVersion", "form"] {
                if !get(&options, key).is_undefined() {
                    return Err(bad_arg(
                        &format!("option {key}"),
                        "only with raw: true (CAMS operations take their version and parameter places from the catalog)",
                    ));
                }
            }
            let map = if params.is_undefined() || params.is_null() {
                Map::new()
            } else if params.is_object() && !Array::is_array(params) && !params.is_function() {
                object_to_map(params, "", 0)?
            } else {
                return Err(bad_arg(
                    "params",
                    format!(
                        "expected an object {{ Name: value }}, got {}",
                        type_name(params)
                    ),
                ));
            };
            let options = SignOptions {
                method,
                signature,
                headers,
            };
            return self
                .signer
                .sign_action(&action, &map, &options, timestamp, &nonce)
                .map_err(|e| error_to_js(&e));
        }
        let mut request = {
            let mut request = Request::new(action);
            if let Some(v) = opt_string(&get(&options, "apiVersion"), "apiVersion")? {
                request = request.with_api_version(v);
            }
            for (n, v) in raw_pairs(params, "params")? {
                request.push_param(n, v);
            }
            for (n, v) in raw_pairs(&get(&options, "form"), "form")? {
                request.push_form_param(n, v);
            }
            if let Some(m) = method {
                request = request.with_method(m);
            }
            request
        };
        request = request.with_signature(signature);
        for (n, v) in headers {
            request = request.header(n, v);
        }
        self.signer
            .sign(&request, timestamp, &nonce)
            .map_err(|e| error_to_js(&e))
    }
}

fn signed_to_js(s: &SignedRequest) -> JsValue {
    let o = Object::new();
    set(&o, "method", s.method.as_str());
    set(&o, "url", s.url.as_str());
    let headers = Object::new();
    for (n, v) in &s.headers {
        set(&headers, n, v.as_str());
    }
    set(&o, "headers", headers);
    set(&o, "body", opt_str(&s.body));
    set(&o, "stringToSign", s.string_to_sign.as_str());
    set(&o, "signature", s.signature.as_str());
    set(&o, "signatureVersion", s.signature_version.as_str());
    set(&o, "canonicalQuery", s.canonical_query.as_str());
    set(&o, "canonicalRequest", opt_str(&s.canonical_request));
    o.into()
}

// ---------------------------------------------------------------------------------------------
// Responses

/// Parses a CAMS answer: `{ status, requestId, code, message, accessDeniedDetail, data, body }`
/// or throws the error object.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(status: JsValue, body: JsValue) -> Result<JsValue, JsValue> {
    let status = match status.as_f64() {
        Some(s) if s.fract() == 0.0 && (0.0..=65535.0).contains(&s) => s as u16,
        _ => {
            return Err(bad_arg(
                "status",
                format!("expected an HTTP status number, got {}", type_name(&status)),
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
                type_name(&body)
            ),
        ));
    };
    let r = camskit::parse_response(status, &bytes).map_err(|e| error_to_js(&e))?;
    let o = Object::new();
    set(&o, "status", r.status);
    set(&o, "requestId", opt_str(&r.request_id));
    set(&o, "code", r.code.as_str());
    set(&o, "message", opt_str(&r.message));
    set(&o, "accessDeniedDetail", opt_str(&r.access_denied_detail));
    set(
        &o,
        "data",
        r.data().map(value_to_js).unwrap_or(JsValue::UNDEFINED),
    );
    set(&o, "body", map_to_js(&r.body));
    Ok(o.into())
}

/// The operations this build knows, for the typed methods and the generated `.d.ts`:
/// `[{ name, camelName, method, params: [{ name, camelName, location, type, itemType, style, required }] }]`.
#[wasm_bindgen]
pub fn operations() -> Array {
    ops::operations_js()
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

/// The error kinds, in the core's order (`"throttling"`, ...).
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

//! Answers: status, body and headers as core reads them ([`camskit::parse_response_with_headers`]),
//! and the parsed answer as ONE JavaScript value (one JSON text, one `JSON.parse`). With an
//! action (`parseAnswer`, a call's answer, its pages) the action's 64-bit fields (core's
//! [`camskit::catalog::int64_paths`]) are `BigInt` always: one decoder, `tojs::parse_exact`, for
//! every path; the glue types the value with the generated `answers.d.ts`.

use js_sys::Reflect;
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::convert::{Int64Fields, Step, bytes_from_js, headers_from_js, parse_exact, type_name};
use crate::errors::{bad_arg, core};

/// Status, body and headers of an answer as core reads them.
fn answer_from_js(
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
    let bytes = bytes_from_js(body, "body")?;
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
    Ok(response_to_js(&r, None))
}

/// `parseResponse` for a known action: its 64-bit fields (core's
/// [`camskit::catalog::int64_paths`]) are `BigInt` ALWAYS, as on `client.call`'s, `pages`' and
/// `items`' answers (one decoder). An action core does not know: as `parseResponse`.
#[wasm_bindgen(js_name = parseAnswer)]
pub fn parse_answer(
    action: &str,
    status: JsValue,
    body: JsValue,
    headers: JsValue,
) -> Result<JsValue, JsValue> {
    let r = answer_from_js(&status, &body, &headers)?;
    Ok(response_to_js(&r, Some(action)))
}

/// Core's 64-bit answer fields of `action` ([`camskit::catalog::int64_paths`]): paths of keys
/// joined by `.`, `[]` each item of a list, `{}` each value of a map.
#[wasm_bindgen(js_name = int64Paths)]
pub fn int64_paths(action: &str) -> Vec<String> {
    camskit::catalog::int64_paths(action)
        .iter()
        .map(|p| (*p).to_owned())
        .collect()
}

/// A parsed answer as `{ status, requestId, code, message, accessDeniedDetail, body, data }`:
/// one JSON text read by `JSON.parse` (one crossing; a `Reflect.set` per envelope field cost
/// more than the parse of a small answer), integers beyond 2^53 − 1 put back as `BigInt`, and
/// `data` the body's own `Data` object. With `action`, its 64-bit fields are `BigInt` always
/// (core's table).
pub(crate) fn response_to_js(r: &camskit::Response, action: Option<&str>) -> JsValue {
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
        &action.map(Int64Fields::answer).unwrap_or_default(),
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

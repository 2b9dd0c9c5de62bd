//! Answers: core's reading of an answer ([`camskit::scan_response`]) as one JSON text; the
//! glue parses the body with `JSON.parse` and sets the exact integers core lists (one decoder
//! for every path: `parseResponse`, `parseAnswer`, `client.call`, `pages`, `items`).

use camskit::PathStep;
use wasm_bindgen::prelude::*;

use crate::convert::{bytes_from_js, headers_from_js, type_name};
use crate::errors::{bad_arg, core};

/// An HTTP status from JavaScript.
pub(crate) fn status_from_js(status: &JsValue) -> Result<u16, JsValue> {
    match status.as_f64() {
        Some(s) if s.fract() == 0.0 && (0.0..=65535.0).contains(&s) => Ok(s as u16),
        _ => Err(bad_arg(
            "status",
            format!("expected an HTTP status number, got {}", type_name(status)),
        )),
    }
}

/// Core's reading of an answer ([`camskit::scan_response`]: the same rules as
/// `parse_response`, without building the body's tree), for the glue, which parses the body
/// with the engine's own `JSON.parse` and sets the exact integers core lists: ONE JSON text,
/// `{"requestId","code","message","accessDeniedDetail","data":bool,"exact":[[path, digits]]}`
/// (a path's steps are keys and list indexes). With `action`, the action's 64-bit fields (core's
/// [`camskit::catalog::int64_paths`]) are listed too, so they become `BigInt` always: the one
/// decoder of `parseResponse`, `parseAnswer`, `client.call`, `pages` and `items`. A failure
/// throws core's error object (`ApiError`, `ParseError`), as `parse_response` words it.
#[wasm_bindgen(js_name = scanAnswer)]
pub fn scan_answer(
    action: Option<String>,
    status: JsValue,
    body: JsValue,
    headers: JsValue,
) -> Result<String, JsValue> {
    let status = status_from_js(&status)?;
    let bytes = bytes_from_js(&body, "body")?;
    let headers = headers_from_js(&headers)?;
    let int64 = action
        .as_deref()
        .map_or(&[][..], camskit::catalog::int64_paths);
    let scan = core(camskit::scan_response(
        status,
        headers.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        &bytes,
        int64,
    ))?;
    Ok(scan_to_json(&scan))
}

/// The scan as the glue reads it (see [`scan_answer`]), written directly (no JSON tree).
fn scan_to_json(scan: &camskit::AnswerScan) -> String {
    fn text(out: &mut String, v: Option<&str>) {
        match v {
            Some(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            None => out.push_str("null"),
        }
    }
    let mut out = String::with_capacity(160 + 48 * scan.exact.len());
    out.push_str("{\"requestId\":");
    text(&mut out, scan.request_id.as_deref());
    out.push_str(",\"code\":");
    text(&mut out, Some(&scan.code));
    out.push_str(",\"message\":");
    text(&mut out, scan.message.as_deref());
    out.push_str(",\"accessDeniedDetail\":");
    text(&mut out, scan.access_denied_detail.as_deref());
    out.push_str(if scan.has_data {
        ",\"data\":true"
    } else {
        ",\"data\":false"
    });
    out.push_str(",\"exact\":[");
    for (n, e) in scan.exact.iter().enumerate() {
        out.push_str(if n == 0 { "[[" } else { ",[[" });
        for (i, step) in e.path.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match step {
                PathStep::Key(k) => text(&mut out, Some(k)),
                PathStep::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out.push_str("],\"");
        out.push_str(&e.digits);
        out.push_str("\"]");
    }
    out.push_str("]}");
    out
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

/// The largest answer body core parses, in bytes ([`camskit::MAX_RESPONSE_BYTES`]).
#[wasm_bindgen(js_name = maxResponseBytes)]
pub fn max_response_bytes() -> f64 {
    camskit::MAX_RESPONSE_BYTES as f64
}

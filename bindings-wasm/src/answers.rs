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

thread_local! {
    /// The last quick scan whose result did not fit its flags (see [`scan_text`]), for
    /// [`last_scan`]: the glue asks for it at once, in the same synchronous step.
    static LAST: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Flags of a quick scan ([`scan_text`], [`scan_bytes`]).
const QUICK_SUCCESS: u32 = 1;
const QUICK_DATA: u32 = 2;
/// The scan's JSON (exact integers, or a text that is not the body's own string) waits in
/// [`last_scan`].
const QUICK_MORE: u32 = 4;

/// The quick scan, the glue's fast path of `parseResponse`, `parseAnswer`, `client.call`,
/// `pages` and `items` ([`scan_input`], [`scan_bytes`]): core's [`camskit::scan_response`]
/// (no headers) as one number, so that the common answer crosses back without any text: bit 0
/// a success, bit 1 `Data` present, bit 2 "call `lastScan()` for the rest" (exact integers, or
/// an envelope text the body does not hold as a string); bits 4–7, 8–11 and 12–15 say where
/// `requestId`, `message` and `accessDeniedDetail` are: 0 absent, else the body's string at
/// `quickScanTable().keys[n - 1]` (core's [`camskit::AnswerScan::sources`]). 0 (no success): the glue calls [`scan_answer`]
/// with its headers, which throws core's error.
fn quick(action: &str, status: u16, body: &[u8]) -> u32 {
    let int64 = if action.is_empty() {
        &[][..]
    } else {
        camskit::catalog::int64_paths(action)
    };
    let Ok(scan) = camskit::scan_response(status, [], body, int64) else {
        return 0;
    };
    let index = |key: Option<usize>| key.map_or(0, |i| i as u32 + 1);
    let src = &scan.sources;
    let sourced =
        |text: &Option<std::borrow::Cow<str>>, key: Option<usize>| text.is_none() || key.is_some();
    let mut flags = QUICK_SUCCESS
        | (index(src.request_id) << 4)
        | (index(src.message) << 8)
        | (index(src.access_denied_detail) << 12);
    if scan.has_data {
        flags |= QUICK_DATA;
    }
    let all_sourced = sourced(&scan.request_id, src.request_id)
        && sourced(&scan.message, src.message)
        && sourced(&scan.access_denied_detail, src.access_denied_detail);
    if !all_sourced || !scan.exact.is_empty() {
        flags |= QUICK_MORE;
        LAST.with(|l| *l.borrow_mut() = Some(scan_to_json(&scan)));
    }
    flags
}

thread_local! {
    /// The quick scan's input for small text bodies ([`input_buffer`], [`scan_input`]).
    static INPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The quick scan's input buffer, grown to at least `len` bytes: its address in the module's
/// memory ([`wasm_memory`]). The glue writes a small text body there with
/// `TextEncoder.encodeInto` and calls [`scan_input`]: no allocation and no copy loop per call.
/// The buffer stays where it is until the next call asks for more.
#[wasm_bindgen(js_name = inputBuffer)]
pub fn input_buffer(len: usize) -> usize {
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < len {
            b.resize(len, 0);
        }
        b.as_mut_ptr() as usize
    })
}

/// [`quick`] on the first `len` bytes of the input buffer (0: `len` is beyond it), for no
/// action (`parseResponse`: no text crosses at all).
#[wasm_bindgen(js_name = scanInput)]
pub fn scan_input(status: u16, len: usize) -> u32 {
    scan_input_for("", status, len)
}

/// [`scan_input`] with the action whose 64-bit fields are exact (`parseAnswer`, `client.call`).
#[wasm_bindgen(js_name = scanInputFor)]
pub fn scan_input_for(action: &str, status: u16, len: usize) -> u32 {
    INPUT.with(|b| {
        b.borrow()
            .get(..len)
            .map_or(0, |body| quick(action, status, body))
    })
}

/// The module's memory (`WebAssembly.Memory`), where [`input_buffer`] is.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// [`quick`] on a byte body.
#[wasm_bindgen(js_name = scanBytes)]
pub fn scan_bytes(action: &str, status: u16, body: &[u8]) -> u32 {
    quick(action, status, body)
}

/// The last quick scan that set bit 2, as [`scan_answer`]'s JSON (taken: a second call throws).
#[wasm_bindgen(js_name = lastScan)]
pub fn last_scan() -> Result<String, JsValue> {
    LAST.with(|l| l.borrow_mut().take()).ok_or_else(|| {
        bad_arg(
            "lastScan",
            "no scan is waiting (call it right after a scan that set bit 2)",
        )
    })
}

/// What the quick scan's flags refer to: core's envelope keys ([`camskit::ENVELOPE_KEYS`]),
/// which they index, and the code of every success ([`camskit::SUCCESS_CODE`]), as
/// `{ keys, successCode }`.
#[wasm_bindgen(js_name = quickScanTable)]
pub fn quick_scan_table() -> String {
    let keys: Vec<&str> = camskit::ENVELOPE_KEYS.to_vec();
    serde_json::json!({ "keys": keys, "successCode": camskit::SUCCESS_CODE }).to_string()
}

/// The scan as the glue reads it (see [`scan_answer`]), written directly (no JSON tree).
fn scan_to_json(scan: &camskit::AnswerScan) -> String {
    use std::fmt::Write as _;
    // Strings are written by serde_json straight into the output (no String per key: a 1 MB
    // list has thousands of exact integers, three keys each).
    fn text(out: &mut Vec<u8>, v: Option<&str>) {
        match v {
            Some(s) => {
                if serde_json::to_writer(&mut *out, s).is_err() {
                    out.extend_from_slice(b"null");
                }
            }
            None => out.extend_from_slice(b"null"),
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(160 + 48 * scan.exact.len());
    out.extend_from_slice(b"{\"requestId\":");
    text(&mut out, scan.request_id.as_deref());
    out.extend_from_slice(b",\"code\":");
    text(&mut out, Some(&scan.code));
    out.extend_from_slice(b",\"message\":");
    text(&mut out, scan.message.as_deref());
    out.extend_from_slice(b",\"accessDeniedDetail\":");
    text(&mut out, scan.access_denied_detail.as_deref());
    out.extend_from_slice(if scan.has_data {
        b",\"data\":true"
    } else {
        b",\"data\":false"
    });
    out.extend_from_slice(b",\"exact\":[");
    let mut number = String::new();
    for (n, e) in scan.exact.iter().enumerate() {
        out.extend_from_slice(if n == 0 { b"[[" } else { b",[[" });
        for (i, step) in e.path.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match step {
                PathStep::Key(k) => text(&mut out, Some(k)),
                PathStep::Index(i) => {
                    number.clear();
                    let _ = write!(number, "{i}");
                    out.extend_from_slice(number.as_bytes());
                }
            }
        }
        out.extend_from_slice(b"],\"");
        out.extend_from_slice(e.digits.as_bytes());
        out.extend_from_slice(b"\"]");
    }
    out.extend_from_slice(b"]}");
    // Only text went in (serde_json writes valid UTF-8).
    String::from_utf8(out).unwrap_or_default()
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

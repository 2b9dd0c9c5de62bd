//! HTTP: core's one request type ([`HttpRequest`], what a `Call` attempt and a credentials
//! `Plan` fetch both ask for, with core's `timeout_ms`) as a JavaScript object for `fetch`, and
//! the host's words for "no answer" as core's [`TransportFailure`].

use camskit::{HttpRequest, TransportFailure};
use js_sys::Object;

use crate::convert::{opt_str, set};
use crate::errors::bad_arg;
use wasm_bindgen::JsValue;

/// `{ type, method, url, headers, body, purpose, timeoutMs }` (headers: an object to hand to
/// `fetch`; body: a string or null).
pub(crate) fn request_to_js(kind: &str, r: &HttpRequest) -> JsValue {
    let o = Object::new();
    set(&o, "type", kind);
    set(&o, "method", r.method.as_str());
    set(&o, "url", r.url.as_str());
    let headers = Object::new();
    for (n, v) in &r.headers {
        set(&headers, n, v.as_str());
    }
    set(&o, "headers", headers);
    set(&o, "body", opt_str(r.body.as_deref()));
    set(&o, "purpose", r.purpose.as_str());
    set(&o, "timeoutMs", r.timeout_ms as f64);
    o.into()
}

/// The failure `kind` names ([`TransportFailure::from_name`]).
pub(crate) fn failure_from_js(kind: &str) -> Result<TransportFailure, JsValue> {
    TransportFailure::from_name(kind).ok_or_else(|| {
        let names: Vec<&str> = TransportFailure::ALL.iter().map(|f| f.as_str()).collect();
        bad_arg(
            "transport failure",
            format!(
                "unknown kind {:?} ({})",
                camskit::truncate(kind),
                names.join(", ")
            ),
        )
    })
}

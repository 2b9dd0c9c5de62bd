//! Answers: status, body and headers as core reads them ([`camskit::parse_response_with_headers`]),
//! and the parsed answer as one JavaScript value.

use camskit::ops::{
    ChatappMigrationRegisterResponse, ChatappMigrationVerifiedResponse,
    CreateChatappMigrationInitiateResponse, GetMigrationVerifyCodeResponse,
};
use js_sys::{Object, Reflect};
use serde_json::{Map, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::convert::{Step, headers_from_js, opt_str, parse_exact, set, type_name, value_to_js};
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
pub(crate) fn response_to_js(r: &camskit::Response) -> JsValue {
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

/// The envelope every typed answer has, as JavaScript: core's fields in camelCase, `raw` (the
/// whole body) as CAMS sent it. Built field by field (no serde serializer in the `.wasm`).
fn envelope(
    request_id: Option<&str>,
    code: &str,
    message: Option<&str>,
    access_denied_detail: Option<&str>,
    raw: &serde_json::Map<String, Value>,
) -> Object {
    let o = Object::new();
    set(&o, "requestId", opt_str(request_id));
    set(&o, "code", code);
    set(&o, "message", opt_str(message));
    set(&o, "accessDeniedDetail", opt_str(access_denied_detail));
    set(&o, "raw", value_to_js(&Value::Object(raw.clone())));
    o
}

macro_rules! typed_answer {
    ($(#[$doc:meta])* $fn:ident, $js:literal, $ty:ty $(, { $($field:ident => $name:literal),+ })?) => {
        $(#[$doc])*
        #[wasm_bindgen(js_name = $js)]
        pub fn $fn(status: JsValue, body: JsValue, headers: JsValue) -> Result<JsValue, JsValue> {
            let r = answer_from_js(&status, &body, &headers)?;
            let t = core(<$ty>::try_from(r))?;
            let o = envelope(
                t.request_id.as_deref(),
                &t.code,
                t.message.as_deref(),
                t.access_denied_detail.as_deref(),
                &t.raw,
            );
            $(
            let data: JsValue = match &t.data {
                None => JsValue::NULL,
                Some(d) => {
                    let j = Object::new();
                    $(set(&j, $name, opt_str(d.$field.as_deref()));)+
                    j.into()
                }
            };
            set(&o, "data", data);
            )?
            Ok(o.into())
        }
    };
}

typed_answer!(
    /// Core's `CreateChatappMigrationInitiateResponse`: `{ requestId, code, message,
    /// accessDeniedDetail, data: { id, phoneNumber, status } | null, raw }`.
    parse_create_chatapp_migration_initiate_response,
    "parseCreateChatappMigrationInitiateResponse",
    CreateChatappMigrationInitiateResponse,
    { id => "id", phone_number => "phoneNumber", status => "status" }
);
typed_answer!(
    /// Core's `GetMigrationVerifyCodeResponse`: `{ ..., data: { id, phoneNumber } | null, raw }`.
    parse_get_migration_verify_code_response,
    "parseGetMigrationVerifyCodeResponse",
    GetMigrationVerifyCodeResponse,
    { id => "id", phone_number => "phoneNumber" }
);
typed_answer!(
    /// Core's `ChatappMigrationVerifiedResponse`: `{ ..., data: { id, phoneNumber } | null, raw }`.
    parse_chatapp_migration_verified_response,
    "parseChatappMigrationVerifiedResponse",
    ChatappMigrationVerifiedResponse,
    { id => "id", phone_number => "phoneNumber" }
);
typed_answer!(
    /// Core's `ChatappMigrationRegisterResponse`: the envelope and `raw`.
    parse_chatapp_migration_register_response,
    "parseChatappMigrationRegisterResponse",
    ChatappMigrationRegisterResponse
);

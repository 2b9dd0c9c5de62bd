//! The catalog as JavaScript data (for the typed methods and the generated `.d.ts`), and
//! core's typed answers of the migration workflow (`camskit::ops`).

use camskit::catalog;
use camskit::ops::{
    ChatappMigrationRegisterResponse, ChatappMigrationVerifiedResponse,
    CreateChatappMigrationInitiateResponse, GetMigrationVerifyCodeResponse,
};
use js_sys::{Array, Object};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), &v.into());
}

/// `[{ name, camelName, snakeName, method, params: [{ name, camelName, snakeName, location,
/// type, itemType, style, required }] }]`, sorted by name.
pub fn operations_js() -> Array {
    catalog::operations()
        .map(|op| {
            let o = Object::new();
            set(&o, "name", op.name());
            set(&o, "camelName", op.camel_name());
            set(&o, "snakeName", op.snake_name());
            set(&o, "method", op.method().as_str());
            let params: Array = op
                .params()
                .map(|p| {
                    let j = Object::new();
                    set(&j, "name", p.name());
                    set(&j, "camelName", p.camel_name());
                    set(&j, "snakeName", p.snake_name());
                    set(&j, "location", p.location().as_str());
                    set(&j, "type", p.ty().as_str());
                    set(
                        &j,
                        "itemType",
                        p.item_type()
                            .map_or(JsValue::NULL, |t| JsValue::from_str(t.as_str())),
                    );
                    set(&j, "style", p.style().as_str());
                    set(&j, "required", p.required());
                    JsValue::from(j)
                })
                .collect();
            set(&o, "params", params);
            JsValue::from(o)
        })
        .collect()
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
    set(&o, "requestId", crate::opt_str(request_id));
    set(&o, "code", code);
    set(&o, "message", crate::opt_str(message));
    set(
        &o,
        "accessDeniedDetail",
        crate::opt_str(access_denied_detail),
    );
    set(&o, "raw", crate::value_to_js(&Value::Object(raw.clone())));
    o
}

macro_rules! typed_answer {
    ($(#[$doc:meta])* $fn:ident, $js:literal, $ty:ty $(, { $($field:ident => $name:literal),+ })?) => {
        $(#[$doc])*
        #[wasm_bindgen(js_name = $js)]
        pub fn $fn(status: JsValue, body: JsValue, headers: JsValue) -> Result<JsValue, JsValue> {
            let r = crate::answer_from_js(&status, &body, &headers)?;
            let t = crate::core(<$ty>::try_from(r))?;
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
                    $(set(&j, $name, crate::opt_str(d.$field.as_deref()));)+
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

//! The catalog as JavaScript data, for the typed methods and the generated `.d.ts`.

use camskit::catalog::{self, Location};
use js_sys::{Array, Object};
use wasm_bindgen::JsValue;

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
                    set(
                        &j,
                        "location",
                        match p.location() {
                            Location::Query => "query",
                            Location::Body => "body",
                        },
                    );
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

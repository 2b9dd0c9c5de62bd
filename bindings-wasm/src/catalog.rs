//! The catalog as JavaScript data: the operations (for the typed methods and the generated
//! `.d.ts`) and how a "flat" parameter is sent. The lean build (no feature `typed`) has only
//! the names, for the typed methods; signing validates through core's catalog in both builds.

use camskit::catalog;
#[cfg(feature = "typed")]
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

#[cfg(feature = "typed")]
use crate::convert::{checked_string, js_to_value, set, type_name};
#[cfg(feature = "typed")]
use crate::errors::bad_arg;

/// The operations this build knows, for the typed methods and the generated `.d.ts`:
/// `[{ name, camelName, snakeName, method, itemsPath, params: [{ name, camelName, snakeName,
/// location, type, itemType, style, required }] }]`, sorted by name. `itemsPath`: where core's
/// `page_items` finds the items of a page (`"ListTemplate"`, `"Data.List"`), else null.
#[cfg(feature = "typed")]
#[wasm_bindgen]
pub fn operations() -> Array {
    catalog::operations()
        .map(|op| {
            let o = Object::new();
            set(&o, "name", op.name());
            set(&o, "camelName", op.camel_name());
            set(&o, "snakeName", op.snake_name());
            set(&o, "method", op.method().as_str());
            set(
                &o,
                "itemsPath",
                op.paging()
                    .and_then(|p| p.items_path())
                    .map_or(JsValue::NULL, JsValue::from_str),
            );
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

/// The operations' names and method names, for the typed methods installed on `Client`: one
/// string, `Name\0camelName\0Name\0camelName...` in the catalog's order. `operations()` builds
/// a few thousand JS objects (every parameter of every operation); the typed methods need only
/// the names, and one string crosses into JS in one copy (cold start).
#[wasm_bindgen(js_name = operationNames)]
pub fn operation_names() -> String {
    let mut out = String::with_capacity(8 * 1024);
    for op in catalog::operations() {
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
#[cfg(feature = "typed")]
#[wasm_bindgen]
pub fn flatten(prefix: JsValue, value: JsValue) -> Result<Array, JsValue> {
    let prefix = checked_string(&prefix, &|| "prefix".into())?.ok_or_else(|| {
        bad_arg(
            "prefix",
            format!("expected a string, got {}", type_name(&prefix)),
        )
    })?;
    let value = js_to_value(&value, &prefix, 0)?;
    Ok(catalog::flatten(&prefix, &value)
        .into_iter()
        .map(|(n, v)| JsValue::from(Array::of2(&JsValue::from_str(&n), &JsValue::from_str(&v))))
        .collect())
}

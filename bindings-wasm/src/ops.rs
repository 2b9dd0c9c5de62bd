//! CAMS operations for the typed methods: STOPGAP until `camskit::catalog` lands on main.
//! Only the migration workflow is described here; with the catalog this module becomes a
//! direct call of `camskit::catalog::request` / `camskit::catalog::operations`.

use camskit::{Error, Request};
use js_sys::{Array, Object};
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;

struct Op {
    name: &'static str,
    /// (API name, required)
    params: &'static [(&'static str, bool)],
}

const OPS: &[Op] = &[
    Op {
        name: "ChatappMigrationRegister",
        params: &[("CustSpaceId", true), ("PhoneNumber", true)],
    },
    Op {
        name: "ChatappMigrationVerified",
        params: &[
            ("CustSpaceId", true),
            ("PhoneNumber", true),
            ("VerifyCode", true),
        ],
    },
    Op {
        name: "CreateChatappMigrationInitiate",
        params: &[
            ("CustSpaceId", true),
            ("CountryCode", true),
            ("MobileNumber", true),
        ],
    },
    Op {
        name: "GetMigrationVerifyCode",
        params: &[
            ("CustSpaceId", true),
            ("PhoneNumber", true),
            ("Locale", false),
            ("Method", false),
        ],
    },
];

fn camel(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Validates `params` against the operation and builds the unsigned request.
pub fn request(action: &str, params: &Map<String, Value>) -> Result<Request, Error> {
    let Some(op) = OPS.iter().find(|o| o.name == action) else {
        return Err(Error::UnknownAction {
            action: action.to_owned(),
            suggestions: OPS
                .iter()
                .filter(|o| o.name.eq_ignore_ascii_case(action))
                .map(|o| o.name.to_owned())
                .collect(),
        });
    };
    for key in params.keys() {
        if !op.params.iter().any(|(n, _)| n == key) {
            return Err(Error::UnknownParameter {
                action: action.to_owned(),
                parameter: key.clone(),
                suggestions: op
                    .params
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(key))
                    .map(|(n, _)| (*n).to_owned())
                    .collect(),
            });
        }
    }
    let mut request = Request::new(op.name);
    for (name, required) in op.params {
        match params.get(*name) {
            None | Some(Value::Null) => {
                if *required {
                    return Err(Error::MissingParameter {
                        action: action.to_owned(),
                        parameter: (*name).to_owned(),
                    });
                }
            }
            Some(Value::String(s)) => {
                if s.is_empty() && *required {
                    return Err(Error::MissingParameter {
                        action: action.to_owned(),
                        parameter: (*name).to_owned(),
                    });
                }
                request.push_param(*name, s.as_str());
            }
            Some(other) => {
                return Err(Error::WrongType {
                    action: action.to_owned(),
                    parameter: (*name).to_owned(),
                    expected: "string".into(),
                    given: match other {
                        Value::Bool(_) => "boolean",
                        Value::Number(_) => "number",
                        Value::Array(_) => "array",
                        _ => "object",
                    }
                    .into(),
                });
            }
        }
    }
    Ok(request)
}

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(k), &v.into());
}

/// `[{ name, camelName, method, params: [{ name, camelName, location, type, itemType, style, required }] }]`
pub fn operations_js() -> Array {
    OPS.iter()
        .map(|op| {
            let o = Object::new();
            set(&o, "name", op.name);
            set(&o, "camelName", camel(op.name));
            set(&o, "method", "POST");
            let params: Array = op
                .params
                .iter()
                .map(|(n, required)| {
                    let p = Object::new();
                    set(&p, "name", *n);
                    set(&p, "camelName", camel(n));
                    set(&p, "location", "query");
                    set(&p, "type", "string");
                    set(&p, "itemType", JsValue::NULL);
                    set(&p, "style", "plain");
                    set(&p, "required", *required);
                    JsValue::from(p)
                })
                .collect();
            set(&o, "params", params);
            JsValue::from(o)
        })
        .collect()
}

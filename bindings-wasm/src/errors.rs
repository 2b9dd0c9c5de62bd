//! Errors: one plain object per core [`Error`] (`{ name, message, errorCode, category,
//! ...fields }`); the glue (`js/errors.js`) gives it its class.

use camskit::{ApiError, Category, Error, ParseError};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use crate::tojs::{opt_str, set, value_to_js};

/// The JavaScript class name of a core error category.
fn class_name(c: Category) -> &'static str {
    match c {
        Category::Validation => "ValidationError",
        Category::Credentials => "CredentialsError",
        Category::Api => "ApiError",
        Category::Parse => "ParseError",
        Category::Transport => "TransportError",
    }
}

/// Maps a camskit error to the plain object the glue turns into an `Error` subclass: `name`
/// (the class), `message`, `errorCode` ([`Error::code`]), `category`
/// ([`Error::category`]), and the variant's fields. `code` is kept where it was: the core
/// code on a `ValidationError`, CAMS's own code on an `ApiError`.
pub fn error_to_js(e: &Error) -> JsValue {
    let o = Object::new();
    set(&o, "name", class_name(e.category()));
    set(&o, "message", e.to_string());
    set(&o, "errorCode", e.code());
    set(&o, "category", e.category().as_str());
    if e.category() == Category::Validation {
        set(&o, "code", e.code());
    }
    match e {
        Error::Api(api) => api_fields(&o, api),
        Error::Parse(p) => {
            set(&o, "status", p.status);
            set(&o, "reason", p.reason.as_str());
            set(&o, "snippet", p.snippet.as_str());
        }
        Error::Credentials { problem } => set(&o, "problem", problem.as_str()),
        Error::Transport {
            reason,
            outcome_unknown,
        } => {
            set(&o, "reason", reason.as_str());
            set(&o, "outcomeUnknown", *outcome_unknown);
        }
        Error::InvalidInput { what, problem } => {
            set(&o, "what", what.as_str());
            set(&o, "problem", problem.as_str());
        }
        Error::MissingParameter { action, parameter } => {
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
        }
        Error::UnknownAction {
            action,
            suggestions,
        } => {
            set(&o, "action", action.as_str());
            set(&o, "suggestions", str_array(suggestions));
        }
        Error::UnknownParameter {
            action,
            parameter,
            suggestions,
        } => {
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            set(&o, "suggestions", str_array(suggestions));
        }
        Error::WrongType {
            action,
            parameter,
            expected,
            given,
        } => {
            set(&o, "action", action.as_str());
            set(&o, "parameter", parameter.as_str());
            set(&o, "expected", expected.as_str());
            set(&o, "given", given.as_str());
        }
        // A variant added to core later: its class, code and message are already set.
        _ => {}
    }
    o.into()
}

fn api_fields(o: &Object, e: &ApiError) {
    set(o, "apiMessage", e.message.as_str());
    set(o, "status", e.status);
    set(o, "code", e.code.as_str());
    set(o, "requestId", opt_str(e.request_id.as_deref()));
    set(o, "hostId", opt_str(e.host_id.as_deref()));
    set(o, "recommend", opt_str(e.recommend.as_deref()));
    set(
        o,
        "accessDeniedDetail",
        opt_str(e.access_denied_detail.as_deref()),
    );
    set(o, "kind", e.kind.as_str());
    set(o, "retryable", e.retryable());
    set(
        o,
        "serverStringToSign",
        opt_str(e.server_string_to_sign.as_deref()),
    );
    set(o, "body", value_to_js(&e.body));
}

fn str_array(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

/// A `ValidationError` (core's `invalid_input`) for a JavaScript value of the wrong shape.
pub(crate) fn bad_arg(what: &str, problem: impl std::fmt::Display) -> JsValue {
    error_to_js(&Error::InvalidInput {
        what: what.to_owned(),
        problem: problem.to_string(),
    })
}

pub(crate) fn credentials_error(problem: &str) -> JsValue {
    error_to_js(&Error::Credentials {
        problem: problem.to_owned(),
    })
}

pub(crate) fn core<T>(r: Result<T, Error>) -> Result<T, JsValue> {
    r.map_err(|e| error_to_js(&e))
}

/// The error kinds, in core's order (`ErrorKind::ALL`: `"throttling"`, ...).
#[wasm_bindgen(js_name = errorKinds)]
pub fn error_kinds() -> Array {
    camskit::ErrorKind::ALL
        .iter()
        .map(|k| JsValue::from_str(k.as_str()))
        .collect()
}

/// Core's [`ParseError`] of an answer (HTTP `status`) whose shape a typed reading refused:
/// `reason` says what (the deprecated migration parsers of `js/camskit.js`).
#[wasm_bindgen(js_name = parseError)]
pub fn parse_error(status: u16, reason: &str) -> JsValue {
    error_to_js(&Error::Parse(ParseError {
        status,
        reason: reason.to_owned(),
        snippet: String::new(),
    }))
}

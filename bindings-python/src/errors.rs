//! Errors: a core [`Error`] becomes the Python exception class of `camskit._errors`
//! ([`to_py`]); a Rust panic becomes `camskit.CamsError` ([`guard`]); this layer's own
//! validation errors ([`validation`], [`type_error`]).

use camskit::Error;
use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::json::json_to_py;

/// Runs one exported entry point; a panic inside it (a bug) becomes `camskit.CamsError`
/// (code `internal`) instead of `pyo3_runtime.PanicException`, which is a `BaseException`
/// that `except Exception` does not catch. The panic's own text is not shown: it could
/// hold an input.
pub(crate) fn guard<T>(
    py: Python<'_>,
    entry: &str,
    f: impl FnOnce() -> PyResult<T>,
) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(raise(
            py,
            "CamsError",
            format!("internal error in camskit ({entry}): a bug, please report it"),
            vec![
                ("code", obj(py, "internal")),
                ("category", obj(py, "internal")),
            ],
        )),
    }
}

/// Panics inside [`guard`]: proves (in the tests) that a panic becomes `CamsError`.
#[pyfunction]
pub(crate) fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guard(py, "_panic_for_tests", || {
        panic!("camskit test panic");
    })
}

pub(crate) static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

pub(crate) fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(ERRORS
        .get_or_try_init(py, || py.import("camskit._errors").map(Bound::unbind))?
        .bind(py))
}

/// Builds `camskit.<class_name>(message, **fields)` as a `PyErr`; a class name `kind:NAME`
/// means the `ApiError` subclass for that error kind (`camskit._errors.ERROR_CLASSES`).
pub(crate) fn raise(
    py: Python<'_>,
    class_name: &str,
    message: String,
    fields: Vec<(&str, Py<PyAny>)>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = errors_module(py)?;
        let class = match class_name.strip_prefix("kind:") {
            Some(kind) => module.getattr("ERROR_CLASSES")?.get_item(kind)?,
            None => module.getattr(class_name)?,
        };
        let kwargs = PyDict::new(py);
        for (k, v) in fields {
            kwargs.set_item(k, v)?;
        }
        let instance = class.call((message.as_str(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

pub(crate) fn obj<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: T) -> Py<PyAny> {
    match v.into_pyobject(py) {
        Ok(o) => o.into_bound().into_any().unbind(),
        Err(_) => py.None(),
    }
}

/// A validation error of this layer (a Python value core never sees). Same fields as core's
/// `InvalidInput`.
pub(crate) fn validation(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(
        py,
        "ValidationError",
        message.into(),
        vec![
            ("code", obj(py, "invalid_input")),
            ("category", obj(py, "validation")),
        ],
    )
}

/// A Python value of the wrong type (never reaches core).
pub(crate) fn type_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(
        py,
        "ParameterTypeError",
        message.into(),
        vec![
            ("code", obj(py, "wrong_type")),
            ("category", obj(py, "validation")),
        ],
    )
}

/// Converts a core error into the matching Python exception: the class from the category
/// (API errors: from the kind), `code` = [`Error::code`], `category`, and the variant's fields.
pub(crate) fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let code = e.code();
    let category = e.category().as_str();
    let mut fields = vec![("code", obj(py, code)), ("category", obj(py, category))];
    let class = match e {
        Error::InvalidInput { what, problem } => {
            fields.push(("what", obj(py, what)));
            fields.push(("problem", obj(py, problem)));
            "ValidationError".to_owned()
        }
        Error::MissingParameter { action, parameter } => {
            fields.push(("action", obj(py, action)));
            fields.push(("parameter", obj(py, parameter)));
            "ValidationError".to_owned()
        }
        Error::UnknownAction {
            action,
            suggestions,
        } => {
            fields.push(("action", obj(py, action)));
            fields.push(("suggestions", obj(py, suggestions)));
            "ValidationError".to_owned()
        }
        Error::UnknownParameter {
            action,
            parameter,
            suggestions,
        } => {
            fields.push(("action", obj(py, action)));
            fields.push(("parameter", obj(py, parameter)));
            fields.push(("suggestions", obj(py, suggestions)));
            "ValidationError".to_owned()
        }
        Error::WrongType {
            action, parameter, ..
        } => {
            fields.push(("action", obj(py, action)));
            fields.push(("parameter", obj(py, parameter)));
            "ParameterTypeError".to_owned()
        }
        Error::Credentials { .. } => "CredentialsError".to_owned(),
        Error::Parse(p) => {
            fields.push(("status", obj(py, p.status)));
            fields.push(("reason", obj(py, p.reason)));
            fields.push(("snippet", obj(py, p.snippet)));
            "ParseError".to_owned()
        }
        Error::Transport {
            reason,
            outcome_unknown,
        } => {
            fields.push(("reason", obj(py, reason)));
            fields.push(("outcome_unknown", obj(py, outcome_unknown)));
            if outcome_unknown {
                "TransportOutcomeUnknownError".to_owned()
            } else {
                "TransportError".to_owned()
            }
        }
        Error::Api(api) => {
            // `code` of an ApiError stays the server's `Code` (core's ApiError::code);
            // `error_code` is Error::code() ("api") for every class.
            let body = json_to_py(py, &api.body).unwrap_or_else(|_| py.None());
            let kind = api.kind.as_str();
            fields = vec![
                ("error_code", obj(py, code)),
                ("category", obj(py, category)),
                ("status", obj(py, api.status)),
                ("code", obj(py, api.code)),
                ("api_message", obj(py, api.message)),
                ("request_id", obj(py, api.request_id)),
                ("host_id", obj(py, api.host_id)),
                ("recommend", obj(py, api.recommend)),
                ("access_denied_detail", obj(py, api.access_denied_detail)),
                ("kind", obj(py, kind)),
                ("retryable", obj(py, api.kind.retryable())),
                ("server_string_to_sign", obj(py, api.server_string_to_sign)),
                ("body", body),
            ];
            format!("kind:{kind}")
        }
        _ => "CamsError".to_owned(),
    };
    raise(py, &class, message, fields)
}

/// The API error kinds, in core's order (`ErrorKind::ALL`), each with whether it is
/// retryable.
#[pyfunction]
pub(crate) fn error_kinds() -> Vec<(&'static str, bool)> {
    camskit::ErrorKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.retryable()))
        .collect()
}

//! Typed migration answers: core's `camskit::ops` response types, one per step, as they are.

use camskit::Error;
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::{json_to_py, text};
use crate::errors::{guard, to_py, validation};
use crate::response::parse_core;

/// A typed answer as core declares it: the action, the response type's name, its `Data`
/// type's name (None: the envelope only) and that type's fields.
pub(crate) type TypedRow = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Vec<String>,
);

/// `[(action, response type, data type or None, data fields)]`: core's typed answers, one per
/// migration step (the fields are read from core's own serialization of each `Data` type).
#[pyfunction]
pub(crate) fn typed_responses() -> Vec<TypedRow> {
    use camskit::ops;
    fn fields<T: Default + serde::Serialize>() -> Vec<String> {
        match serde_json::to_value(T::default()) {
            Ok(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    vec![
        (
            "CreateChatappMigrationInitiate",
            "CreateChatappMigrationInitiateResponse",
            Some("MigrationInitiateData"),
            fields::<ops::MigrationInitiateData>(),
        ),
        (
            "GetMigrationVerifyCode",
            "GetMigrationVerifyCodeResponse",
            Some("MigrationData"),
            fields::<ops::MigrationData>(),
        ),
        (
            "ChatappMigrationVerified",
            "ChatappMigrationVerifiedResponse",
            Some("MigrationData"),
            fields::<ops::MigrationData>(),
        ),
        (
            "ChatappMigrationRegister",
            "ChatappMigrationRegisterResponse",
            None,
            Vec::new(),
        ),
    ]
}

/// Core's typed answer for `action` (one of the migration steps) as JSON; None for any other
/// action.
pub(crate) fn typed_value(
    action: &str,
    parsed: camskit::Response,
) -> Option<Result<serde_json::Result<Value>, Error>> {
    use camskit::ops;
    fn typed<T: TryFrom<camskit::Response, Error = Error> + serde::Serialize>(
        r: camskit::Response,
    ) -> Result<serde_json::Result<Value>, Error> {
        T::try_from(r).map(|t| serde_json::to_value(t))
    }
    Some(match action {
        "CreateChatappMigrationInitiate" => {
            typed::<ops::CreateChatappMigrationInitiateResponse>(parsed)
        }
        "GetMigrationVerifyCode" => typed::<ops::GetMigrationVerifyCodeResponse>(parsed),
        "ChatappMigrationVerified" => typed::<ops::ChatappMigrationVerifiedResponse>(parsed),
        "ChatappMigrationRegister" => typed::<ops::ChatappMigrationRegisterResponse>(parsed),
        _ => return None,
    })
}

/// Parses the answer to one migration step into core's typed response for it:
/// `(status, fields)` where `fields` is core's serialization of the typed answer
/// (`request_id`, `code`, `message`, `access_denied_detail`, `data` when the type has one,
/// `raw`). Any other action: ValidationError.
#[pyfunction]
#[pyo3(signature = (action, status, body, headers=None))]
pub(crate) fn parse_typed<'py>(
    py: Python<'py>,
    action: &Bound<'py, PyAny>,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
) -> PyResult<(u16, Py<PyAny>)> {
    guard(py, "parse_response", || {
        let action = text(py, action, "action")?;
        let parsed = parse_core(py, status, body, headers, Some(&action))?;
        let http = parsed.status;
        let value = typed_value(&action, parsed).ok_or_else(|| {
            validation(
                py,
                format!(
                    "{action:?} has no typed response (the migration workflow's operations do)"
                ),
            )
        })?;
        let value = value
            .map_err(|e| to_py(py, e))?
            .map_err(|_| validation(py, "the typed response did not serialize"))?;
        Ok((http, json_to_py(py, &value)?))
    })
}

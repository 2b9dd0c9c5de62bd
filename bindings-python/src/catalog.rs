//! The catalog: core's operations and parameters as Python tuples.

use pyo3::prelude::*;

use crate::convert::text;
use crate::errors::{guard, to_py};

pub(crate) type ParamRow = (
    &'static str,
    &'static str,
    String,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    bool,
);
pub(crate) type OperationRow = (
    &'static str,
    &'static str,
    String,
    &'static str,
    Vec<ParamRow>,
);

pub(crate) fn operation_row(op: camskit::catalog::Operation) -> OperationRow {
    let params = op
        .params()
        .map(|p| {
            (
                p.name(),
                p.snake_name(),
                p.camel_name(),
                p.location().as_str(),
                p.ty().as_str(),
                p.item_type().map(|t| t.as_str()),
                p.style().as_str(),
                p.required(),
            )
        })
        .collect();
    (
        op.name(),
        op.snake_name(),
        op.camel_name(),
        op.method().as_str(),
        params,
    )
}

/// Every operation of the catalog: `(name, snake_name, camel_name, method, params)`, each
/// param `(name, snake_name, camel_name, location, type, item_type, style, required)`.
#[pyfunction]
pub(crate) fn operations(py: Python<'_>) -> PyResult<Vec<OperationRow>> {
    guard(py, "operations", || {
        Ok(camskit::catalog::operations().map(operation_row).collect())
    })
}

/// One operation by API name or snake name (as [`operations`]); unknown -> ValidationError.
#[pyfunction]
pub(crate) fn operation(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<OperationRow> {
    guard(py, "operation", || {
        let name = text(py, name, "operation name")?;
        if let Some(op) = camskit::catalog::operation_by_snake(&name) {
            return Ok(operation_row(op));
        }
        camskit::catalog::operation(&name)
            .map(operation_row)
            .map_err(|e| to_py(py, e))
    })
}

/// For the typed helpers: `(action, parameter snake names)` of the operation with this
/// snake name, or None.
#[pyfunction]
#[allow(clippy::type_complexity)]
pub(crate) fn operation_by_snake(
    py: Python<'_>,
    name: &str,
) -> PyResult<Option<(&'static str, Vec<&'static str>)>> {
    guard(py, "operation_by_snake", || {
        Ok(camskit::catalog::operation_by_snake(name)
            .map(|op| (op.name(), op.params().map(|p| p.snake_name()).collect())))
    })
}

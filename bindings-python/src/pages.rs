//! Pages: where a paged operation's items are (core's catalog), the next page's parameters
//! (core's `next_page`) and a page's items (core's `page_items`), as Python values.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

use crate::convert::{ToPy, json_to_py};
use crate::errors::to_py;

/// Where an operation's answer holds its page of items (core's `catalog::Paging::items_path`),
/// or None: not a paged operation, or its items are untyped (`iter_items` refuses it before
/// sending anything).
#[pyfunction]
pub(crate) fn items_path(name: &str) -> Option<&'static str> {
    camskit::catalog::operation(name)
        .ok()
        .or_else(|| camskit::catalog::operation_by_snake(name))
        .and_then(|op| op.paging())
        .and_then(|p| p.items_path())
}

/// After a successful call (`last`, its answer): the parameters of the next page (core's
/// `next_page`), or None on the last page or for an operation without paging.
pub(crate) fn next_params<'py>(
    py: Python<'py>,
    action: &str,
    params: &[(String, Value)],
    last: Option<&camskit::Response>,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(last) = last else {
        return Ok(None);
    };
    let next = camskit::next_page(action, params, last).map_err(|e| to_py(py, e))?;
    let Some(next) = next else { return Ok(None) };
    let d = PyDict::new(py);
    for (k, v) in &next {
        d.set_item(k, json_to_py(py, v)?)?;
    }
    Ok(Some(d))
}

/// After a successful call: the page's items (core's `page_items`), or None when the
/// operation is not paged or its items are untyped.
pub(crate) fn page_items<'py>(
    py: Python<'py>,
    action: &str,
    last: Option<&camskit::Response>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let Some(items) = last.and_then(|r| camskit::page_items(action, r)) else {
        return Ok(None);
    };
    // One conversion for the whole page: its items share their keys.
    let mut to_py = ToPy::new(py);
    let items = items
        .iter()
        .map(|item| to_py.value(item))
        .collect::<PyResult<Vec<_>>>()?;
    let list = PyList::new(py, items)?;
    Ok(Some(list))
}

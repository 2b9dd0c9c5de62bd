//! Pages: where a paged operation's items are (core's catalog), the next page's parameters
//! (core's `next_page`) and a page's items (core's `page_items`), as Python values.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

use crate::convert::{ToPy, json_to_py};
use crate::errors::guard;

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

/// A walk through every page of a list (core's `PageWalk`): the parameters of the page to ask
/// for, and after each answer whether another follows (core's `next_page`), within core's
/// `MAX_PAGES`.
#[pyclass(module = "camskit", name = "_NativePageWalk")]
pub(crate) struct NativePageWalk {
    walk: camskit::PageWalk,
}

impl NativePageWalk {
    /// After the page a call read: true when another page follows (then `params` are its
    /// parameters), false after the last (core's `PageWalk::on_answer`).
    pub(crate) fn on_answer(&mut self, answer: &camskit::Response) -> Result<bool, camskit::Error> {
        self.walk.on_answer(answer)
    }

    /// The walk of the list a first call asked for (its action and converted parameters).
    pub(crate) fn new(action: &str, params: Vec<(String, Value)>) -> Self {
        Self {
            walk: camskit::PageWalk::new(action, params),
        }
    }
}

#[pymethods]
impl NativePageWalk {
    /// The parameters of the page to ask for next.
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(py, "PageWalk.params", || {
            let d = PyDict::new(py);
            for (k, v) in self.walk.params() {
                d.set_item(k, json_to_py(py, v)?)?;
            }
            Ok(d)
        })
    }

    /// Pages read so far.
    #[getter]
    fn pages(&self) -> u32 {
        self.walk.pages()
    }
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

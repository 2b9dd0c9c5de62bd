//! JSON values to Python objects, in one pass (core's answers, error bodies, parameters
//! echoed back). Below the error mapping: it raises nothing of its own.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// JSON -> Python: integers exact within 64 bits (core reads bigger ones as floats), objects
/// keep their order.
pub(crate) fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(ToPy::new(py).value(v)?.unbind())
}

pub(crate) fn map_to_py<'py>(
    py: Python<'py>,
    map: &Map<String, Value>,
) -> PyResult<Bound<'py, PyDict>> {
    ToPy::new(py).map(map)
}

/// One conversion of a JSON value to Python objects. Object keys are made once per distinct
/// key and shared (as `json.loads` does): a list answer repeats the same dozen keys thousands
/// of times, and a new `str` per key was a third of the conversion.
pub(crate) struct ToPy<'py, 'v> {
    py: Python<'py>,
    keys: HashMap<&'v str, Bound<'py, PyString>>,
}

impl<'py, 'v> ToPy<'py, 'v> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Self {
            py,
            keys: HashMap::new(),
        }
    }

    pub(crate) fn value(&mut self, v: &'v Value) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        Ok(match v {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    i.into_pyobject(py)?.into_any()
                } else if let Some(u) = n.as_u64() {
                    u.into_pyobject(py)?.into_any()
                } else {
                    PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
                }
            }
            Value::String(s) => PyString::new(py, s).into_any(),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.value(item)?);
                }
                PyList::new(py, out)?.into_any()
            }
            Value::Object(map) => self.map(map)?.into_any(),
        })
    }

    pub(crate) fn map(&mut self, map: &'v Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(self.py);
        for (k, v) in map {
            let value = self.value(v)?;
            let py = self.py;
            let key = self
                .keys
                .entry(k.as_str())
                .or_insert_with(|| PyString::new(py, k));
            d.set_item(&*key, value)?;
        }
        Ok(d)
    }
}

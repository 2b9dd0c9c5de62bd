//! JSON values to Python objects, in one pass (core's answers, error bodies, parameters
//! echoed back). Below the error mapping: it raises nothing of its own.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use rustc_hash::FxHashMap;
use serde_json::{Map, Value};

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
    keys: FxHashMap<&'v str, Bound<'py, PyString>>,
}

impl<'py, 'v> ToPy<'py, 'v> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Self {
            py,
            keys: FxHashMap::default(),
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

/// JSON bytes -> Python objects in one pass, without a `serde_json::Value` tree in between
/// (half the memory and time of parsing, then converting). The caller has had core read the
/// answer ([`camskit::parse_envelope`]: valid JSON, an object, within the nesting limit, a
/// success); `None` when the bytes are nonetheless not an object this can convert (the caller
/// then falls back to core's full parse). Values as [`json_to_py`] gives them: integers exact
/// within 64 bits (bigger ones floats, as serde_json reads them), keys in order, a repeated key
/// keeping its first place and its last value, key strings shared.
pub(crate) fn object_to_py<'py>(py: Python<'py>, body: &[u8]) -> Option<Bound<'py, PyDict>> {
    use serde::de::DeserializeSeed;

    let mut cx = Cx {
        py,
        keys: FxHashMap::default(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = Seed { cx: &mut cx }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    value.cast_into::<PyDict>().ok()
}

struct Cx<'py, 'de> {
    py: Python<'py>,
    // Short keys, hashed many times, never chosen by an attacker to any effect but speed.
    keys: FxHashMap<&'de str, Bound<'py, PyString>>,
}

/// One JSON value, built as a Python object.
struct Seed<'a, 'py, 'de> {
    cx: &'a mut Cx<'py, 'de>,
}

/// An object's key: a Python `str`, made once per distinct (unescaped) key.
struct KeySeed<'a, 'py, 'de> {
    cx: &'a mut Cx<'py, 'de>,
}

fn py_err<E: serde::de::Error>(e: PyErr) -> E {
    E::custom(e)
}

impl<'de, 'py> serde::de::DeserializeSeed<'de> for Seed<'_, 'py, 'de> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> serde::de::Visitor<'de> for Seed<'_, 'py, 'de> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.cx.py, b).to_owned().into_any())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let Ok(int) = v.into_pyobject(self.cx.py);
        Ok(int.into_any())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let Ok(int) = v.into_pyobject(self.cx.py);
        Ok(int.into_any())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.cx.py, v).into_any())
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.cx.py, s).into_any())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.cx.py.None().into_bound(self.cx.py))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        // Appended one by one (the list grows as json.loads' does): no second array of the
        // items beside the list while a long one is built.
        let cx = self.cx;
        let list = PyList::empty(cx.py);
        while let Some(item) = a.next_element_seed(Seed { cx: &mut *cx })? {
            list.append(item).map_err(py_err)?;
        }
        Ok(list.into_any())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let cx = self.cx;
        let d = PyDict::new(cx.py);
        while let Some(key) = a.next_key_seed(KeySeed { cx: &mut *cx })? {
            let value = a.next_value_seed(Seed { cx: &mut *cx })?;
            d.set_item(key, value).map_err(py_err)?;
        }
        Ok(d.into_any())
    }
}

impl<'de, 'py> serde::de::DeserializeSeed<'de> for KeySeed<'_, 'py, 'de> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'py> serde::de::Visitor<'de> for KeySeed<'_, 'py, 'de> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        let py = self.cx.py;
        Ok(self
            .cx
            .keys
            .entry(s)
            .or_insert_with(|| PyString::new(py, s))
            .clone())
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
        // An escaped key (rare): not shared.
        Ok(PyString::new(self.cx.py, s))
    }
}

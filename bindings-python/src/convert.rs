//! Python values <-> core values: parameters (`str`, `int`, ..., nested lists and dicts) as
//! JSON for core's `RequestSpec`, header dicts, and JSON answers back as Python objects.

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

use crate::errors::{type_error, validation};
pub(crate) use crate::json::{ToPy, json_to_py, map_to_py};

/// Deepest nesting of lists/dicts accepted in a parameter value.
pub(crate) const MAX_DEPTH: usize = 32;

pub(crate) fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A Python `str` as a Rust `String`; lone surrogates (not valid UTF-8) are a ValidationError.
pub(crate) fn text(py: Python<'_>, v: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    text_with(py, v, &|| what.to_owned())
}

/// [`text`], with the name of the value built only when there is an error.
pub(crate) fn text_with(
    py: Python<'_>,
    v: &Bound<'_, PyAny>,
    what: &dyn Fn() -> String,
) -> PyResult<String> {
    let Ok(s) = v.cast::<PyString>() else {
        return Err(type_error(
            py,
            format!("{} must be a str, not {}", what(), type_name(v)),
        ));
    };
    s.extract::<String>().map_err(|_| {
        validation(
            py,
            format!(
                "{} is not valid Unicode text (it holds a lone surrogate)",
                what()
            ),
        )
    })
}

pub(crate) fn opt_text(
    py: Python<'_>,
    v: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => text(py, v, what).map(Some),
    }
}

/// The `(key, value)` pairs of a dict, from a snapshot (`dict.items()` is a new list): no
/// Python code run while the values are read can change what is iterated.
pub(crate) fn dict_pairs<'py>(
    d: &Bound<'py, PyDict>,
) -> Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    d.items()
        .iter()
        .filter_map(|pair| {
            let pair = pair.cast_into::<PyTuple>().ok()?;
            Some((pair.get_item(0).ok()?, pair.get_item(1).ok()?))
        })
        .collect()
}

/// A parameter value as JSON (str, int, bool, float, list/tuple, dict, None). Integers are
/// exact within 64 bits (signed or unsigned); a bigger one is refused, naming the parameter,
/// rather than rounded.
pub(crate) fn to_json(
    py: Python<'_>,
    v: &Bound<'_, PyAny>,
    what: &dyn Fn() -> String,
    depth: usize,
) -> PyResult<Value> {
    if depth > MAX_DEPTH {
        return Err(validation(
            py,
            format!("{} is nested more than {MAX_DEPTH} levels deep", what()),
        ));
    }
    if v.is_none() {
        return Ok(Value::Null);
    }
    if v.cast::<PyString>().is_ok() {
        return text_with(py, v, what).map(Value::String);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if v.cast::<PyInt>().is_ok() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::Number(i.into()));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Value::Number(u.into()));
        }
        return Err(validation(
            py,
            format!(
                "{} is an integer beyond 64 bits, which cannot be sent exactly (give it as a str)",
                what()
            ),
        ));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let f = f.value();
        return Number::from_f64(f).map(Value::Number).ok_or_else(|| {
            validation(
                py,
                format!("{} is {f}, which cannot be sent (not finite)", what()),
            )
        });
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, item) in dict_pairs(d) {
            let key = text_with(py, &k, &|| format!("a key of {}", what()))?;
            let value = to_json(py, &item, &|| format!("{}[{key:?}]", what()), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    let items = if let Ok(l) = v.cast::<PyList>() {
        Some(l.to_tuple())
    } else {
        v.cast::<PyTuple>().ok().cloned()
    };
    if let Some(items) = items {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(to_json(
                py,
                &item,
                &|| format!("{}[{i}]", what()),
                depth + 1,
            )?);
        }
        return Ok(Value::Array(out));
    }
    if v.cast::<PyBytes>().is_ok() || v.cast::<PyByteArray>().is_ok() {
        return Err(type_error(
            py,
            format!("{} is {}: decode it to str first", what(), type_name(v)),
        ));
    }
    Err(type_error(
        py,
        format!(
            "{} has type {}; expected str, int, bool, float, list, dict or None",
            what(),
            type_name(v)
        ),
    ))
}

/// A dict of parameters (None = empty), in the dict's order.
pub(crate) fn to_params(
    py: Python<'_>,
    v: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Vec<(String, Value)>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    let Ok(d) = v.cast::<PyDict>() else {
        return Err(type_error(
            py,
            format!("{what} must be a dict, not {}", type_name(v)),
        ));
    };
    let mut out = Vec::with_capacity(d.len());
    for (k, item) in dict_pairs(d) {
        let key = text_with(py, &k, &|| format!("a {what} name"))?;
        let value = to_json(py, &item, &|| format!("parameter {key:?}"), 0)?;
        out.push((key, value));
    }
    Ok(out)
}

/// Header pairs from a dict (None = none), from a snapshot.
pub(crate) fn headers(
    py: Python<'_>,
    v: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<(String, String)>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    let Ok(d) = v.cast::<PyDict>() else {
        return Err(type_error(
            py,
            format!("headers must be a dict, not {}", type_name(v)),
        ));
    };
    let mut out = Vec::with_capacity(d.len());
    for (k, item) in dict_pairs(d) {
        let name = text(py, &k, "a header name")?;
        let value = text(py, &item, &format!("header {name:?}"))?;
        out.push((name, value));
    }
    Ok(out)
}

//! When to sign: a Python value (datetime, str, int, float, None) as core's [`Timestamp`], and
//! the host's clock.

use camskit::Timestamp;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString};
use std::cell::Cell;

use crate::convert::{text, type_name};
use crate::errors::{to_py, type_error, validation};

thread_local! {
    static CLOCK: Cell<Option<(u64, Timestamp)>> = const { Cell::new(None) };
}

/// When to sign: None = now; str -> [`Timestamp::parse`]; int/float -> unix seconds through
/// [`Timestamp::from_unix_f64`] (the fraction floored); an aware datetime -> its
/// `.timestamp()` the same way. A naive datetime and a bool are refused.
pub(crate) fn timestamp(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
    let from_f64 = |secs: f64| Timestamp::from_unix_f64(secs).map_err(|e| to_py(py, e));
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return now(py);
    };
    if v.cast::<PyBool>().is_ok() {
        return Err(type_error(
            py,
            "timestamp must be a datetime, str, int or float, not bool",
        ));
    }
    if v.cast::<PyInt>().is_ok() {
        return match v.extract::<i64>() {
            Ok(i) => from_f64(i as f64),
            // Beyond 64 bits: out of range whatever its value (core's range is years 1970..=9999).
            Err(_) => Err(validation(
                py,
                "invalid timestamp: an integer beyond 64 bits is outside 1970-01-01T00:00:00Z..=9999-12-31T23:59:59Z",
            )),
        };
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return from_f64(f.value());
    }
    if v.cast::<PyString>().is_ok() {
        let s = text(py, v, "timestamp")?;
        return Timestamp::parse(&s).map_err(|e| to_py(py, e));
    }
    if v.hasattr("tzinfo")? && v.hasattr("timestamp")? && v.hasattr("utcoffset")? {
        if v.call_method0("utcoffset")?.is_none() {
            return Err(validation(
                py,
                "invalid timestamp: a naive datetime; give an aware one (datetime.now(timezone.utc))",
            ));
        }
        let secs: f64 = v.call_method0("timestamp")?.extract()?;
        return from_f64(secs);
    }
    Err(type_error(
        py,
        format!(
            "timestamp must be a datetime, str (YYYY-MM-DDThh:mm:ssZ or unix seconds), int or float, not {}",
            type_name(v)
        ),
    ))
}

/// Now, as a timestamp (formatted once per second per thread).
pub(crate) fn now(py: Python<'_>) -> PyResult<Timestamp> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| validation(py, "the system clock is before 1970"))?
        .as_secs();
    if let Some((s, t)) = CLOCK.get()
        && s == secs
    {
        return Ok(t);
    }
    let t = i64::try_from(secs)
        .map_err(|_| validation(py, "the system clock is out of range"))
        .and_then(|s| Timestamp::from_unix(s).map_err(|e| to_py(py, e)))?;
    CLOCK.set(Some((secs, t)));
    Ok(t)
}

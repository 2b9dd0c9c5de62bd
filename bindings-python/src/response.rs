//! Responses: an answer's status, headers and body (Python values) through core's parse; the
//! generic fields of a successful answer back to Python.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyMemoryView, PyString};

use crate::convert::{map_to_py, opt_text, text, type_name};
use crate::errors::{guard, to_py, type_error, validation};

pub(crate) fn body_bytes<'a>(
    py: Python<'_>,
    body: &'a Bound<'_, PyAny>,
) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = body.cast::<PyBytes>() {
        // Borrowed: an 8 MiB answer is not copied before it is parsed.
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(b) = body.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    if body.cast::<PyMemoryView>().is_ok() {
        let b = py.get_type::<PyBytes>().call1((body,))?;
        return Ok(Cow::Owned(b.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    if body.cast::<PyString>().is_ok() {
        return text(py, body, "body").map(|s| Cow::Owned(s.into_bytes()));
    }
    Err(type_error(
        py,
        format!("body must be bytes or str, not {}", type_name(body)),
    ))
}

pub(crate) fn status_code(py: Python<'_>, status: &Bound<'_, PyAny>) -> PyResult<u16> {
    if status.cast::<PyBool>().is_ok() || status.cast::<PyInt>().is_err() {
        return Err(type_error(
            py,
            format!("status must be an int, not {}", type_name(status)),
        ));
    }
    status
        .extract::<i64>()
        .ok()
        .and_then(|s| u16::try_from(s).ok())
        .ok_or_else(|| validation(py, "status is not an HTTP status (100 to 599)"))
}

/// The answer's headers: None, a mapping (anything with `.items()`: a dict,
/// `http.client.HTTPMessage`, `requests`' and `httpx`' headers) or pairs; names and values str.
pub(crate) fn response_headers(
    py: Python<'_>,
    headers: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<(String, String)>> {
    let Some(h) = headers.filter(|h| !h.is_none()) else {
        return Ok(Vec::new());
    };
    let pairs = if h.hasattr("items")? {
        h.call_method0("items")?
    } else {
        h.clone()
    };
    let mut out = Vec::new();
    for pair in pairs.try_iter()? {
        let pair = pair?;
        let (n, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair
            .extract()
            .map_err(|_| type_error(py, "headers must be a mapping or (name, value) pairs"))?;
        out.push((
            text(py, &n, "a header name")?,
            text(py, &v, "a header value")?,
        ));
    }
    Ok(out)
}

/// Core's parse of an answer: [`camskit::parse_response_for`] when the action is known (a 5xx
/// to an operation that changes state is `outcome_unknown`), else
/// [`camskit::parse_response_with_headers`]. Core decides (success or which error) through
/// [`camskit::parse_envelope`], which builds no tree of the body; a success's body then becomes
/// Python objects straight from the bytes ([`crate::json::object_to_py`]). The migration steps,
/// whose body core also reads as their model, take the full parse.
fn parse_to_row<'py>(
    py: Python<'py>,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
    action: Option<&str>,
) -> PyResult<AnswerRow<'py>> {
    let status = status_code(py, status)?;
    let headers = response_headers(py, headers)?;
    let body = body_bytes(py, body)?;
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let full = || {
        let pairs = pairs.iter().copied();
        match action {
            Some(action) => camskit::parse_response_for(action, status, pairs, &body)
                .and_then(|r| crate::answers::check(action, &r).map(|()| r)),
            None => camskit::parse_response_with_headers(status, pairs, &body),
        }
        .map_err(|e| to_py(py, e))
    };
    if action.is_some_and(crate::answers::is_typed) {
        return answer_row(py, &full()?);
    }
    let env = camskit::parse_envelope(action, status, &pairs, &body).map_err(|e| to_py(py, e))?;
    let dict = match crate::json::object_to_py(py, &body) {
        Some(d) => d,
        // Not expected (core read the same bytes): the full parse gives the error or the body.
        None => return answer_row(py, &full()?),
    };
    Ok((
        env.status,
        env.request_id,
        env.code,
        env.message,
        env.access_denied_detail,
        dict,
    ))
}

/// Parses a CAMS answer. Returns `(status, request_id, code, message, access_denied_detail,
/// raw)` on success, raises the matching exception otherwise.
#[pyfunction]
#[pyo3(signature = (status, body, headers=None, action=None))]
pub(crate) fn parse_response<'py>(
    py: Python<'py>,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
    action: Option<&Bound<'py, PyAny>>,
) -> PyResult<AnswerRow<'py>> {
    guard(py, "parse_response", || {
        let action = opt_text(py, action, "action")?;
        parse_to_row(py, status, body, headers, action.as_deref())
    })
}

/// The generic fields of an answer, as `parse_response` returns them.
pub(crate) type AnswerRow<'py> = (
    u16,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Bound<'py, PyDict>,
);

pub(crate) fn answer_row<'py>(py: Python<'py>, r: &camskit::Response) -> PyResult<AnswerRow<'py>> {
    Ok((
        r.status,
        r.request_id.clone(),
        r.code.clone(),
        r.message.clone(),
        r.access_denied_detail.clone(),
        map_to_py(py, &r.body)?,
    ))
}

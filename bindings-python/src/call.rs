//! `_NativeCall`: core's [`Call`] machine, driven by the Python side's HTTP, clock and
//! randomness (camskit/_call.py). Every decision (retry, backoff, clock offset, outcome
//! unknown) is core's.

use camskit::{Call, RetryPolicy, Step, TransportFailure};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use serde_json::Value;

use crate::errors::{guard, to_py, validation};
use crate::response::answer_row;

/// Core's `TransportFailure` names, for the Python side's classification of HTTP errors.
#[pyfunction]
pub(crate) fn transport_failures() -> Vec<&'static str> {
    TransportFailure::ALL.iter().map(|f| f.as_str()).collect()
}

/// Core's `RetryPolicy::default()` as `(max_attempts, base_delay_ms, max_delay_ms,
/// deadline_ms or None, recover_clock_skew)`: the defaults of the Python `RetryPolicy`.
pub(crate) fn default_retry_policy() -> (u32, u64, u64, Option<u64>, bool) {
    let p = RetryPolicy::default();
    (
        p.max_attempts,
        p.base_delay_ms,
        p.max_delay_ms,
        p.deadline_ms,
        p.recover_clock_skew,
    )
}

/// 16 bytes of the host's randomness.
pub(crate) fn entropy16(py: Python<'_>, entropy: &[u8]) -> PyResult<[u8; 16]> {
    entropy
        .try_into()
        .map_err(|_| validation(py, "entropy must be 16 bytes (os.urandom(16))"))
}

/// One logical call (core's [`Call`]): the Python side asks `poll` what to do, sends, and
/// feeds back what happened. Every decision (retry, backoff, clock offset, outcome unknown) is
/// core's.
#[pyclass(module = "camskit", name = "_NativeCall")]
pub(crate) struct NativeCall {
    pub(crate) call: Call,
    pub(crate) action: String,
    pub(crate) params: Vec<(String, Value)>,
    /// The answer of a finished call (for paging).
    pub(crate) last: Option<camskit::Response>,
}

#[pymethods]
impl NativeCall {
    /// What to do next, at `now_ms` (unix milliseconds) with 16 fresh random bytes:
    /// `("send", method, url, [(name, value)], body bytes or None)`,
    /// `("wait", millis, attempt, reason)`, or
    /// `("done", (status, request_id, code, message, access_denied_detail, raw))`: the answer
    /// converted once, as `parse_response` returns it; a failed call raises its exception.
    fn poll(&mut self, py: Python<'_>, now_ms: u64, entropy: &[u8]) -> PyResult<Py<PyAny>> {
        guard(py, "Call.poll", || {
            let entropy = entropy16(py, entropy)?;
            match self.call.poll(now_ms, entropy) {
                Step::Send(signed) => {
                    let headers: Vec<(&str, &str)> = signed.headers_to_send().collect();
                    let body = signed.body.as_ref().map(|b| PyBytes::new(py, b.as_bytes()));
                    Ok((
                        "send",
                        signed.method.as_str(),
                        signed.url.as_str(),
                        headers,
                        body,
                    )
                        .into_pyobject(py)?
                        .into_any()
                        .unbind())
                }
                Step::Wait(w) => Ok(("wait", w.millis, w.attempt, w.reason)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()),
                Step::Done(Err(e)) => Err(to_py(py, e)),
                Step::Done(Ok(r)) => {
                    crate::answers::check(&self.action, &r).map_err(|e| to_py(py, e))?;
                    let row = answer_row(py, &r)?;
                    self.last = Some(r);
                    Ok(("done", row).into_pyobject(py)?.into_any().unbind())
                }
            }
        })
    }

    /// The answer to the request last sent: status, header pairs, body.
    fn on_response(
        &mut self,
        py: Python<'_>,
        now_ms: u64,
        status: u16,
        headers: Vec<(String, String)>,
        body: &[u8],
    ) -> PyResult<()> {
        guard(py, "Call.on_response", || {
            let pairs: Vec<(&str, &str)> = headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            self.call.on_response(now_ms, status, &pairs, body);
            Ok(())
        })
    }

    /// The request last sent got no answer: `failure` is `refused_before_send`, `timed_out`
    /// or `reset_after_send` (core's `TransportFailure`), `message` the host's words.
    fn on_transport_error(
        &mut self,
        py: Python<'_>,
        now_ms: u64,
        failure: &str,
        message: &str,
    ) -> PyResult<()> {
        guard(py, "Call.on_transport_error", || {
            let failure = TransportFailure::from_name(failure).ok_or_else(|| {
                validation(
                    py,
                    format!("unknown transport failure {failure:?} (refused_before_send, timed_out, reset_after_send)"),
                )
            })?;
            self.call.on_transport_error(now_ms, failure, message);
            Ok(())
        })
    }

    /// Attempts sent so far.
    #[getter]
    fn attempts(&self) -> u32 {
        self.call.attempts()
    }

    /// Server time minus the host's clock (seconds), as the machine learnt it.
    #[getter]
    fn clock_offset_secs(&self) -> i64 {
        self.call.clock_offset_secs()
    }

    /// The operation's safety in the catalog: `"read_only"` or `"write"`.
    #[getter]
    fn safety(&self) -> &'static str {
        match self.call.safety() {
            camskit::catalog::Safety::ReadOnly => "read_only",
            _ => "write",
        }
    }

    /// The walk of the list this call asked for (core's `PageWalk`: `MAX_PAGES`), from its
    /// action and parameters.
    fn page_walk(&self) -> crate::pages::NativePageWalk {
        crate::pages::NativePageWalk::new(&self.action, self.params.clone())
    }

    /// After this call's page: True when another page follows (then `walk.params` are its
    /// parameters), False after the last; a list that has not ended after `MAX_PAGES` pages is
    /// a ValidationError.
    fn advance_walk(
        &self,
        py: Python<'_>,
        mut walk: PyRefMut<'_, crate::pages::NativePageWalk>,
    ) -> PyResult<bool> {
        guard(py, "Call.advance_walk", || {
            let last = self
                .last
                .as_ref()
                .ok_or_else(|| validation(py, "the call has not answered yet"))?;
            walk.on_answer(last).map_err(|e| to_py(py, e))
        })
    }

    /// After a successful call: the page's items (core's `page_items`), or None when the
    /// operation is not paged or its items are untyped.
    fn page_items<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        guard(py, "Call.page_items", || {
            crate::pages::page_items(py, &self.action, self.last.as_ref())
        })
    }
}

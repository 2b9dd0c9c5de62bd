//! The receipts queue consumer: core's `mns::Consumer` machine, driven by
//! `camskit/_consumer.py` with the host's HTTP (`_http.py`), clock and randomness. Every
//! decision (when to fetch a token, what to delete, how long to back off, what is a duplicate
//! or poison) is the machine's; this file converts its steps and the host's reports.

use camskit::mns::{Consumer, ConsumerOptions, ConsumerStep};
use camskit::{Credentials, TransportFailure};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::client::pick_credentials;
use crate::convert::{opt_text, text};
use crate::credentials::NativeResolved;
use crate::errors::{guard, to_py, validation};
use crate::receipts::Events;
use crate::response::{body_bytes, status_code};

/// Core's consumer and the account credentials that sign its token requests.
#[pyclass(module = "camskit", name = "_NativeConsumer")]
pub(crate) struct NativeConsumer {
    consumer: Consumer,
    account: Credentials,
}

#[pymethods]
impl NativeConsumer {
    /// A consumer of `queue` at `endpoint` for receipts of `message_type`; options left None
    /// take core's defaults (`ConsumerOptions::new`). Credentials as the client takes them:
    /// keys, or what a provider resolved, or the environment.
    #[new]
    #[pyo3(signature = (message_type, queue, endpoint, *, token_endpoint=None, batch_size=None,
                        wait_seconds=None, delete=None, max_dequeue_count=None,
                        dedup_capacity=None, access_key_id=None, access_key_secret=None,
                        security_token=None, environ=None, resolved=None,
                        allow_insecure_http=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        message_type: &Bound<'_, PyAny>,
        queue: &Bound<'_, PyAny>,
        endpoint: &Bound<'_, PyAny>,
        token_endpoint: Option<&Bound<'_, PyAny>>,
        batch_size: Option<usize>,
        wait_seconds: Option<u32>,
        delete: Option<bool>,
        max_dequeue_count: Option<i64>,
        dedup_capacity: Option<usize>,
        access_key_id: Option<&Bound<'_, PyAny>>,
        access_key_secret: Option<&Bound<'_, PyAny>>,
        security_token: Option<&Bound<'_, PyAny>>,
        environ: Option<&Bound<'_, PyAny>>,
        resolved: Option<PyRef<'_, NativeResolved>>,
        allow_insecure_http: bool,
    ) -> PyResult<Self> {
        guard(py, "ReceiptsConsumer", || {
            let mut options = ConsumerOptions::new(
                &text(py, message_type, "message_type")?,
                &text(py, queue, "queue")?,
                &text(py, endpoint, "endpoint")?,
            );
            options.token_endpoint = opt_text(py, token_endpoint, "token_endpoint")?;
            if let Some(v) = batch_size {
                options.batch_size = v;
            }
            if let Some(v) = wait_seconds {
                options.wait_seconds = v;
            }
            if let Some(v) = delete {
                options.delete = v;
            }
            if let Some(v) = max_dequeue_count {
                options.max_dequeue_count = v;
            }
            if let Some(v) = dedup_capacity {
                options.dedup_capacity = v;
            }
            options.allow_insecure_http = allow_insecure_http;
            let account = pick_credentials(
                py,
                access_key_id,
                access_key_secret,
                security_token,
                environ,
                resolved.as_deref(),
            )?;
            let consumer = Consumer::new(options).map_err(|e| to_py(py, e))?;
            Ok(Self { consumer, account })
        })
    }

    /// New account credentials (a provider refreshed them).
    fn _set_credentials(&mut self, resolved: PyRef<'_, NativeResolved>) {
        self.account = resolved.inner.credentials.clone();
    }

    /// What to do next: `("send", method, url, [(name, value)], body or None, purpose,
    /// timeout_ms)`, `("deliver", [(message_id, body, dequeue_count, enqueue_time,
    /// first_dequeue_time, duplicate, poison, events or None, error or None)])`, `("idle",)`,
    /// `("wait", millis, reason)` or `("done",)`; a consumer that ended on an error raises it.
    fn poll(
        &mut self,
        py: Python<'_>,
        now_ms: u64,
        nonce: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        guard(py, "ReceiptsConsumer.poll", || {
            let nonce = text(py, nonce, "nonce")?;
            match self.consumer.poll(now_ms, &nonce, &self.account) {
                ConsumerStep::Send(r) => Ok((
                    "send",
                    r.method,
                    r.url,
                    r.headers,
                    r.body,
                    r.purpose,
                    r.timeout_ms,
                )
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()),
                ConsumerStep::Deliver(batch) => {
                    let mut events = Events::new(py)?;
                    let mut out = Vec::with_capacity(batch.len());
                    for d in &batch {
                        let (list, error) = match &d.events {
                            Ok(evs) => (Some(events.list(evs)?.into_any()), None),
                            Err(e) => (None, Some(to_py(py, e.clone()).into_value(py))),
                        };
                        let m = &d.message;
                        out.push(
                            (
                                m.message_id.as_str(),
                                m.message_body.as_str(),
                                m.dequeue_count,
                                m.enqueue_time,
                                m.first_dequeue_time,
                                d.duplicate,
                                d.poison,
                                list,
                                error,
                            )
                                .into_pyobject(py)?,
                        );
                    }
                    Ok(("deliver", PyList::new(py, out)?)
                        .into_pyobject(py)?
                        .into_any()
                        .unbind())
                }
                ConsumerStep::Idle => Ok(("idle",).into_pyobject(py)?.into_any().unbind()),
                ConsumerStep::Wait { millis, reason } => Ok(("wait", millis, reason)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind()),
                ConsumerStep::Done(Ok(())) => Ok(("done",).into_pyobject(py)?.into_any().unbind()),
                ConsumerStep::Done(Err(e)) => Err(to_py(py, e)),
                #[allow(unreachable_patterns)]
                _ => Err(validation(py, "an unknown consumer step")),
            }
        })
    }

    /// The answer to the request last sent.
    fn on_response(
        &mut self,
        py: Python<'_>,
        now_ms: u64,
        status: &Bound<'_, PyAny>,
        body: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        guard(py, "ReceiptsConsumer.on_response", || {
            let status = status_code(py, status)?;
            let body = body_bytes(py, body)?;
            self.consumer.on_response(now_ms, status, &body);
            Ok(())
        })
    }

    /// The request last sent got no answer: `failure` is a `TransportFailure` name.
    fn on_transport_error(
        &mut self,
        py: Python<'_>,
        now_ms: u64,
        failure: &str,
        message: &str,
    ) -> PyResult<()> {
        guard(py, "ReceiptsConsumer.on_transport_error", || {
            let failure = TransportFailure::from_name(failure)
                .ok_or_else(|| validation(py, format!("unknown transport failure {failure:?}")))?;
            self.consumer.on_transport_error(now_ms, failure, message);
            Ok(())
        })
    }

    /// The handler succeeded on `message_id`.
    fn handled(&mut self, py: Python<'_>, message_id: &str) -> PyResult<()> {
        self.consumer.handled(message_id).map_err(|e| to_py(py, e))
    }

    /// The handler failed on `message_id`.
    fn failed(&mut self, py: Python<'_>, message_id: &str) -> PyResult<()> {
        self.consumer.failed(message_id).map_err(|e| to_py(py, e))
    }

    /// Keep `message_id` hidden `seconds` more (sent at the next poll).
    fn extend(&mut self, py: Python<'_>, message_id: &str, seconds: u32) -> PyResult<()> {
        self.consumer
            .extend(message_id, seconds)
            .map_err(|e| to_py(py, e))
    }

    /// End once the deliveries in hand are reported and their deletes done.
    fn stop(&mut self) {
        self.consumer.stop();
    }

    /// Leave early: core releases every delivery not reported (visible again at once) and
    /// stops once what was handled is deleted. Returns how many were released.
    fn stop_early(&mut self) -> usize {
        self.consumer.stop_early()
    }

    /// Messages delivered to the handler so far.
    #[getter]
    fn delivered(&self) -> u64 {
        self.consumer.delivered()
    }

    /// Messages deleted so far.
    #[getter]
    fn deleted(&self) -> u64 {
        self.consumer.deleted()
    }

    fn __repr__(&self) -> &'static str {
        "<camskit receipts consumer>"
    }
}

//! MNS, the queue CAMS delivers receipts through: core's request builders and signer
//! (`camskit::mns::MnsQueue`, `sign_mns`), its answer parsers, and the `QueryTokenForMnsQueue`
//! signer, as plain Python values for `camskit.mns`. The receipts consumer drives the same code
//! through core's `Consumer`; this is the same signer for a program that sends its own MNS
//! requests (and what the official SDK vectors are replayed against).

use camskit::Credentials;
use camskit::mns::{self, MnsMessage, MnsQueue, MnsRequest};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert::{opt_text, text};
use crate::errors::{guard, to_py, validation};
use crate::nonce::nonce_or_fresh;
use crate::response::{body_bytes, status_code};
use crate::signed::SignedRequest;

/// An MNS request's fields: method, resource, body, purpose, timeout_ms.
type RequestRow = (&'static str, String, Option<String>, &'static str, u64);

/// A signed MNS request's fields: method, url, headers, body, string_to_sign, purpose,
/// timeout_ms.
type SignedRow = (
    String,
    String,
    Vec<(String, String)>,
    Option<String>,
    String,
    String,
    u64,
);

/// The options of one operation (what `MnsQueue`'s builders take).
#[derive(FromPyObject)]
pub(crate) struct Op {
    op: String,
    wait_seconds: Option<u32>,
    num_of_messages: Option<usize>,
    receipt_handle: Option<String>,
    receipt_handles: Option<Vec<String>>,
    visibility_timeout: Option<u32>,
}

fn build(py: Python<'_>, queue: &MnsQueue, op: &Op) -> PyResult<MnsRequest> {
    let need = |what: &str| validation(py, format!("{what} is missing for {}", op.op));
    let built = match op.op.as_str() {
        "receive" => queue.receive_message(op.wait_seconds),
        "batch_receive" => queue.batch_receive_message(
            op.num_of_messages.ok_or_else(|| need("num_of_messages"))?,
            op.wait_seconds,
        ),
        "delete" => queue.delete_message(
            op.receipt_handle
                .as_deref()
                .ok_or_else(|| need("receipt_handle"))?,
        ),
        "batch_delete" => queue.batch_delete_message(
            op.receipt_handles
                .as_deref()
                .ok_or_else(|| need("receipt_handles"))?,
        ),
        "change_visibility" => queue.change_message_visibility(
            op.receipt_handle
                .as_deref()
                .ok_or_else(|| need("receipt_handle"))?,
            op.visibility_timeout
                .ok_or_else(|| need("visibility_timeout"))?,
        ),
        other => return Err(unknown_op(py, other)),
    };
    built.map_err(|e| to_py(py, e))
}

fn unknown_op(py: Python<'_>, op: &str) -> PyErr {
    validation(
        py,
        format!(
            "op {:?} is not receive, batch_receive, delete, batch_delete or change_visibility",
            camskit::truncate(op)
        ),
    )
}

fn credentials(
    py: Python<'_>,
    access_key_id: &Bound<'_, PyAny>,
    access_key_secret: &Bound<'_, PyAny>,
    security_token: Option<&Bound<'_, PyAny>>,
) -> PyResult<Credentials> {
    let id = text(py, access_key_id, "access_key_id")?;
    let secret = text(py, access_key_secret, "access_key_secret")?;
    let mut c = Credentials::new(id, secret).map_err(|e| to_py(py, e))?;
    if let Some(t) = opt_text(py, security_token, "security_token")? {
        c = c.with_security_token(t).map_err(|e| to_py(py, e))?;
    }
    Ok(c)
}

/// One MNS operation on a queue, not signed (core's `MnsQueue` builders).
#[pyfunction]
pub(crate) fn mns_request(
    py: Python<'_>,
    endpoint: &str,
    queue: &str,
    op: Op,
) -> PyResult<RequestRow> {
    guard(py, "mns_request", || {
        let q = MnsQueue::new(endpoint, queue).map_err(|e| to_py(py, e))?;
        let r = build(py, &q, &op)?;
        Ok((r.method, r.resource, r.body, r.purpose, r.timeout_ms))
    })
}

/// One MNS operation on a queue, signed at `date` (RFC 1123, GMT) with these keys (core's
/// `MnsQueue::sign`).
#[pyfunction]
#[pyo3(signature = (endpoint, queue, op, access_key_id, access_key_secret, security_token, date))]
#[allow(clippy::too_many_arguments)] // pyo3's Python arguments, one each
pub(crate) fn mns_sign(
    py: Python<'_>,
    endpoint: &str,
    queue: &str,
    op: Op,
    access_key_id: &Bound<'_, PyAny>,
    access_key_secret: &Bound<'_, PyAny>,
    security_token: Option<&Bound<'_, PyAny>>,
    date: &str,
) -> PyResult<SignedRow> {
    guard(py, "mns_sign", || {
        let creds = credentials(py, access_key_id, access_key_secret, security_token)?;
        let q = MnsQueue::new(endpoint, queue).map_err(|e| to_py(py, e))?;
        let r = build(py, &q, &op)?;
        let s = q.sign(&creds, &r, date).map_err(|e| to_py(py, e))?;
        let h = s.request;
        Ok((
            h.method,
            h.url,
            h.headers,
            h.body,
            s.string_to_sign,
            h.purpose,
            h.timeout_ms,
        ))
    })
}

/// The RFC 1123 date MNS signs (`Sun, 06 Dec 2026 02:40:35 GMT`) of unix seconds.
#[pyfunction]
pub(crate) fn mns_http_date(py: Python<'_>, unix: i64) -> PyResult<String> {
    guard(py, "mns_http_date", || {
        mns::http_date(unix).map_err(|e| to_py(py, e))
    })
}

/// One message as the keyword arguments of `camskit.mns.MnsMessage`: the keys are interned, so
/// the call matches them with its parameter names by identity.
fn message<'py>(py: Python<'py>, m: &MnsMessage) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "message_id"), &m.message_id)?;
    d.set_item(intern!(py, "receipt_handle"), &m.receipt_handle)?;
    d.set_item(intern!(py, "message_body"), &m.message_body)?;
    d.set_item(intern!(py, "message_body_md5"), &m.message_body_md5)?;
    d.set_item(intern!(py, "enqueue_time"), m.enqueue_time)?;
    d.set_item(intern!(py, "first_dequeue_time"), m.first_dequeue_time)?;
    d.set_item(intern!(py, "next_visible_time"), m.next_visible_time)?;
    d.set_item(intern!(py, "dequeue_count"), m.dequeue_count)?;
    d.set_item(intern!(py, "priority"), m.priority)?;
    Ok(d)
}

/// An MNS answer read as core reads it: `receive` / `batch_receive` -> a list of message
/// dicts (empty for an empty poll), `delete` -> None, `batch_delete` -> a list of failure
/// dicts, `change_visibility` -> a dict; an MNS error raises its `ApiError`.
#[pyfunction]
pub(crate) fn mns_parse<'py>(
    py: Python<'py>,
    op: &str,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, "mns_parse", || {
        let status = status_code(py, status)?;
        let body = body_bytes(py, body)?;
        let err = |e| to_py(py, e);
        let list = |ms: Vec<MnsMessage>| -> PyResult<Bound<'py, PyAny>> {
            let items = ms
                .iter()
                .map(|m| message(py, m))
                .collect::<PyResult<Vec<_>>>()?;
            Ok(pyo3::types::PyList::new(py, items)?.into_any())
        };
        match op {
            "receive" => list(
                mns::parse_receive_message(status, &body)
                    .map_err(err)?
                    .into_iter()
                    .collect(),
            ),
            "batch_receive" => list(mns::parse_batch_receive_message(status, &body).map_err(err)?),
            "delete" => {
                mns::parse_delete_message(status, &body).map_err(err)?;
                Ok(py.None().into_bound(py))
            }
            "batch_delete" => {
                let failures = mns::parse_batch_delete_message(status, &body).map_err(err)?;
                let items = failures
                    .iter()
                    .map(|f| {
                        let d = PyDict::new(py);
                        d.set_item("receipt_handle", &f.receipt_handle)?;
                        d.set_item("error_code", &f.error_code)?;
                        d.set_item("error_message", &f.error_message)?;
                        Ok(d)
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                Ok(pyo3::types::PyList::new(py, items)?.into_any())
            }
            "change_visibility" => {
                let v = mns::parse_change_message_visibility(status, &body).map_err(err)?;
                let d = PyDict::new(py);
                d.set_item("receipt_handle", &v.receipt_handle)?;
                d.set_item("next_visible_time", v.next_visible_time)?;
                Ok(d.into_any())
            }
            other => Err(unknown_op(py, other)),
        }
    })
}

/// The signed `QueryTokenForMnsQueue` request (core's `sign_query_token_for_mns_queue`):
/// the temporary keys of a receipts queue, asked of Dybaseapi.
#[pyfunction]
#[pyo3(signature = (access_key_id, access_key_secret, message_type, queue_name=None, *, security_token=None, timestamp=None, nonce=None))]
#[allow(clippy::too_many_arguments)] // pyo3's Python arguments, one each
pub(crate) fn sign_query_token_for_mns_queue(
    py: Python<'_>,
    access_key_id: &Bound<'_, PyAny>,
    access_key_secret: &Bound<'_, PyAny>,
    message_type: &str,
    queue_name: Option<&str>,
    security_token: Option<&Bound<'_, PyAny>>,
    timestamp: Option<&Bound<'_, PyAny>>,
    nonce: Option<&str>,
) -> PyResult<SignedRequest> {
    guard(py, "sign_query_token_for_mns_queue", || {
        let creds = credentials(py, access_key_id, access_key_secret, security_token)?;
        let now = crate::timestamp::timestamp(py, timestamp)?;
        let mut buf = [0u8; camskit_nonce_pool::NONCE_LEN];
        let nonce = nonce_or_fresh(nonce, &mut buf)?;
        let signed =
            mns::sign_query_token_for_mns_queue(&creds, message_type, queue_name, now, nonce)
                .map_err(|e| to_py(py, e))?;
        Ok(SignedRequest {
            inner: signed,
            action: PyString::new(py, "QueryTokenForMnsQueue").unbind(),
        })
    })
}

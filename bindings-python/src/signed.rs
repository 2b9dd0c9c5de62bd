//! `SignedRequest`: core's signed request as a Python value, with the keyword arguments of
//! the usual HTTP clients.

use camskit::SignedRequest as CoreSigned;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::errors::guard;

/// A signed request: send `method` to `url` with `headers` and `body`.
#[pyclass(frozen, module = "camskit", name = "SignedRequest")]
pub(crate) struct SignedRequest {
    pub(crate) inner: CoreSigned,
    pub(crate) action: Py<PyString>,
}

impl SignedRequest {
    /// The headers an HTTP client should be given (it sets `host` itself from the URL).
    fn send_headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (n, v) in self.inner.headers_to_send() {
            d.set_item(n, v)?;
        }
        Ok(d)
    }

    fn body_bytes<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        self.inner
            .body
            .as_ref()
            .map(|b| PyBytes::new(py, b.as_bytes()))
    }
}

#[pymethods]
impl SignedRequest {
    /// `"GET"` or `"POST"`.
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.as_str()
    }
    /// The full URL (with the signature for 1.0).
    #[getter]
    fn url(&self) -> &str {
        &self.inner.url
    }
    /// Every header to send, names in lower case (including `host`).
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(py, "SignedRequest.headers", || {
            let d = PyDict::new(py);
            for (n, v) in &self.inner.headers {
                d.set_item(n, v)?;
            }
            Ok(d)
        })
    }
    /// The form body (`application/x-www-form-urlencoded`), or None.
    #[getter]
    fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }
    /// The CAMS action.
    #[getter]
    fn action(&self, py: Python<'_>) -> Py<PyString> {
        self.action.clone_ref(py)
    }
    /// The canonical query.
    #[getter]
    fn canonical_query(&self) -> &str {
        &self.inner.canonical_query
    }
    /// For v3, the canonical request that was hashed; None for 1.0.
    #[getter]
    fn canonical_request(&self) -> Option<&str> {
        self.inner.canonical_request.as_deref()
    }
    /// The string that was signed.
    #[getter]
    fn string_to_sign(&self) -> &str {
        &self.inner.string_to_sign
    }
    /// The signature (base64 for 1.0, hex for v3).
    #[getter]
    fn signature(&self) -> &str {
        &self.inner.signature
    }
    /// `"1.0"` or `"v3"`.
    #[getter]
    fn signature_version(&self) -> &'static str {
        self.inner.signature_version.as_str()
    }
    /// The value of a header (case-insensitive), or None.
    fn header(&self, name: &str) -> Option<&str> {
        self.inner.header(name)
    }
    /// Keyword arguments for `requests.request(**kwargs)`.
    fn as_requests_kwargs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(py, "SignedRequest.as_requests_kwargs", || {
            let d = PyDict::new(py);
            d.set_item("method", self.inner.method.as_str())?;
            d.set_item("url", &self.inner.url)?;
            d.set_item("headers", self.send_headers(py)?)?;
            d.set_item("data", self.body_bytes(py))?;
            Ok(d)
        })
    }
    /// Keyword arguments for `httpx.request(**kwargs)` / `httpx.Client().request(**kwargs)`.
    fn as_httpx_kwargs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(py, "SignedRequest.as_httpx_kwargs", || {
            let d = PyDict::new(py);
            d.set_item("method", self.inner.method.as_str())?;
            d.set_item("url", &self.inner.url)?;
            d.set_item("headers", self.send_headers(py)?)?;
            d.set_item("content", self.body_bytes(py))?;
            Ok(d)
        })
    }
    /// A `urllib.request.Request` ready for `urllib.request.urlopen`.
    fn as_urllib_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, "SignedRequest.as_urllib_request", || {
            let kwargs = PyDict::new(py);
            kwargs.set_item("data", self.body_bytes(py))?;
            kwargs.set_item("headers", self.send_headers(py)?)?;
            kwargs.set_item("method", self.inner.method.as_str())?;
            py.import("urllib.request")?
                .getattr("Request")?
                .call((self.inner.url.as_str(),), Some(&kwargs))
        })
    }
    /// Everything as a dict (the fields `camskit sign --output json` prints).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        guard(py, "SignedRequest.to_dict", || {
            let d = PyDict::new(py);
            d.set_item("method", self.inner.method.as_str())?;
            d.set_item("url", &self.inner.url)?;
            d.set_item("headers", self.headers(py)?)?;
            d.set_item("body", self.inner.body.as_deref())?;
            d.set_item("canonical_query", &self.inner.canonical_query)?;
            if let Some(c) = &self.inner.canonical_request {
                d.set_item("canonical_request", c)?;
            }
            d.set_item("string_to_sign", &self.inner.string_to_sign)?;
            d.set_item("signature", &self.inner.signature)?;
            d.set_item("signature_version", self.inner.signature_version.as_str())?;
            Ok(d)
        })
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        let action = self.action.bind(py).to_string();
        let base = self
            .inner
            .url
            .split_once("/?")
            .map_or(self.inner.url.as_str(), |(b, _)| b);
        format!(
            "<SignedRequest {} {} {} (signature {})>",
            self.inner.method, base, action, self.inner.signature_version
        )
    }
}

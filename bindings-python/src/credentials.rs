//! Credentials: core's provider `Plan` (the default chain), walked by the Python side's file
//! reads and HTTP (camskit/_credentials.py), and the credentials it resolves.

use camskit::provider::{
    self, CacheStep, ChainOptions, CredentialsCache, Plan, ResolvedCredentials,
};
use camskit::{Error, TransportFailure};
use pyo3::prelude::*;

use crate::convert::{opt_text, text};
use crate::env::HostEnv;
use crate::errors::{guard, to_py};

pub(crate) fn chain_options(
    py: Python<'_>,
    sts_endpoint: Option<&Bound<'_, PyAny>>,
    ecs_metadata_endpoint: Option<&Bound<'_, PyAny>>,
) -> PyResult<ChainOptions> {
    Ok(ChainOptions {
        sts_endpoint: opt_text(py, sts_endpoint, "sts_endpoint")?,
        ecs_metadata_endpoint: opt_text(py, ecs_metadata_endpoint, "ecs_metadata_endpoint")?,
        ..ChainOptions::default()
    })
}

/// A walk of the default credentials chain (core's `provider::Plan`).
#[pyclass(module = "camskit", name = "_NativePlan")]
pub(crate) struct NativePlan {
    plan: Plan,
}

#[pymethods]
impl NativePlan {
    /// The default chain: `environ` (None: `os.environ`), `home` (the home directory),
    /// `now` (unix seconds), `nonce` (a fresh UUID), `profile` (overrides
    /// `ALIBABA_CLOUD_PROFILE`), and where STS and the ECS metadata service are.
    #[new]
    #[pyo3(signature = (environ, home, now, nonce, *, profile=None, sts_endpoint=None,
                        ecs_metadata_endpoint=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        environ: Option<&Bound<'_, PyAny>>,
        home: &Bound<'_, PyAny>,
        now: i64,
        nonce: &Bound<'_, PyAny>,
        profile: Option<&Bound<'_, PyAny>>,
        sts_endpoint: Option<&Bound<'_, PyAny>>,
        ecs_metadata_endpoint: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, "CredentialsPlan", || {
            let home = text(py, home, "home")?;
            let nonce = text(py, nonce, "nonce")?;
            let profile = opt_text(py, profile, "profile")?;
            let options = chain_options(py, sts_endpoint, ecs_metadata_endpoint)?;
            let env = HostEnv::new(py, environ, profile)?;
            let plan = Plan::new(|name| env.get(name), &home, now, &nonce, options);
            env.check()?;
            Ok(Self {
                plan: plan.map_err(|e| to_py(py, e))?,
            })
        })
    }

    /// The next step: `("read_file", path)`, `("fetch", method, url, [(name, value)], body or
    /// None, purpose)` or `("ready", resolved)`; no source gave credentials: CredentialsError
    /// (every source's reason, never a secret).
    fn next(&mut self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        guard(py, "CredentialsPlan.next", || {
            match self.plan.next().map_err(|e| to_py(py, e))? {
                provider::Step::ReadFile { path } => {
                    Ok(("read_file", path).into_pyobject(py)?.into_any().unbind())
                }
                provider::Step::Fetch(r) => {
                    let timeout_ms = r.timeout_ms;
                    Ok((
                        "fetch", r.method, r.url, r.headers, r.body, r.purpose, timeout_ms,
                    )
                        .into_pyobject(py)?
                        .into_any()
                        .unbind())
                }
                provider::Step::Ready(resolved) => {
                    let resolved = Py::new(py, NativeResolved { inner: resolved })?;
                    Ok(("ready", resolved).into_pyobject(py)?.into_any().unbind())
                }
            }
        })
    }

    /// The text of the file asked for (None: it does not exist or cannot be read).
    #[pyo3(signature = (text=None))]
    fn feed_file(&mut self, py: Python<'_>, text: Option<&str>) -> PyResult<()> {
        guard(py, "CredentialsPlan.feed_file", || {
            self.plan.feed_file(text).map_err(|e| to_py(py, e))
        })
    }

    /// The answer to the request asked for: HTTP status and body text.
    fn feed_response(&mut self, py: Python<'_>, status: u16, body: &str) -> PyResult<()> {
        guard(py, "CredentialsPlan.feed_response", || {
            self.plan
                .feed_response(status, body)
                .map_err(|e| to_py(py, e))
        })
    }

    /// The request asked for got no answer (`message`: the host's words, no secret).
    fn feed_failure(&mut self, py: Python<'_>, message: &str) -> PyResult<()> {
        guard(py, "CredentialsPlan.feed_failure", || {
            self.plan.feed_failure(message).map_err(|e| to_py(py, e))
        })
    }

    /// The request asked for got no answer, in the words a call takes: `failure` is
    /// `refused_before_send`, `timed_out` or `reset_after_send` (core's `TransportFailure`),
    /// `message` the host's words (no secret).
    fn feed_transport_error(
        &mut self,
        py: Python<'_>,
        failure: &str,
        message: &str,
    ) -> PyResult<()> {
        guard(py, "CredentialsPlan.feed_transport_error", || {
            let failure = TransportFailure::from_name(failure).ok_or_else(|| {
                crate::errors::validation(py, format!("unknown transport failure {failure:?}"))
            })?;
            self.plan
                .feed_transport_error(failure, message)
                .map_err(|e| to_py(py, e))
        })
    }

    fn __repr__(&self) -> &'static str {
        "<camskit credentials plan>"
    }
}

/// Credentials the chain resolved (core's `ResolvedCredentials`); the secret stays in Rust.
#[pyclass(frozen, module = "camskit", name = "_NativeResolved")]
pub(crate) struct NativeResolved {
    pub(crate) inner: ResolvedCredentials,
}

#[pymethods]
impl NativeResolved {
    /// The access key id (not a secret).
    #[getter]
    fn access_key_id(&self) -> &str {
        self.inner.credentials.access_key_id()
    }
    /// Whether there is an STS token.
    #[getter]
    fn has_security_token(&self) -> bool {
        self.inner.credentials.security_token().is_some()
    }
    /// Which source gave them (`env`, `cli_profile:<name>/<kind>`, `ecs_ram_role`, ...).
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }
    /// Expiry (unix seconds) of temporary credentials; None for a fixed key.
    #[getter]
    fn expiration(&self) -> Option<i64> {
        self.inner.expiration
    }
    /// From when they must be refreshed (unix seconds), or None.
    #[getter]
    fn stale_time(&self) -> Option<i64> {
        self.inner.stale_time()
    }
    /// Core's rule: refresh from 15 minutes before expiry.
    fn needs_refresh(&self, now: i64) -> bool {
        self.inner.needs_refresh(now)
    }
    /// The plan that fetches them again from the same source (None for a fixed key).
    fn refresh(&self, now: i64, nonce: &str) -> Option<NativePlan> {
        self.inner
            .refresh(now, nonce)
            .map(|plan| NativePlan { plan })
    }
    fn __repr__(&self) -> String {
        format!(
            "<credentials {} from {}{}>",
            self.inner.credentials.access_key_id(),
            self.inner.source,
            match self.inner.expiration {
                Some(e) => format!(", expiring at {e}"),
                None => String::new(),
            }
        )
    }
}

/// A client's credentials between calls: core's `provider::CredentialsCache`, the one rule for
/// when temporary keys are refreshed and what a failed refresh means (a still-valid key is
/// kept, with one warning; an expired one fails). The host only walks the plans it names.
#[pyclass(module = "camskit", name = "_NativeCredentialsCache")]
pub(crate) struct NativeCredentialsCache {
    cache: CredentialsCache,
}

#[pymethods]
impl NativeCredentialsCache {
    /// A cache holding credentials a provider resolved.
    #[new]
    fn new(resolved: PyRef<'_, NativeResolved>) -> Self {
        Self {
            cache: CredentialsCache::with(resolved.inner.clone()),
        }
    }

    /// What to do before signing at `now` (unix seconds; `nonce`: a fresh UUID for a refresh
    /// plan): `("ready", resolved)`, `("refresh", plan)` (walk it, then `refreshed` or
    /// `refresh_failed`) or `("resolve",)` (walk the default chain, the same way).
    fn next(&self, py: Python<'_>, now: i64, nonce: &str) -> PyResult<Py<PyAny>> {
        guard(py, "CredentialsCache.next", || {
            Ok(match self.cache.next(now, nonce) {
                CacheStep::Ready(r) => ("ready", Py::new(py, NativeResolved { inner: r })?)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
                CacheStep::Refresh(plan) => ("refresh", Py::new(py, NativePlan { plan })?)
                    .into_pyobject(py)?
                    .into_any()
                    .unbind(),
                CacheStep::Resolve => ("resolve",).into_pyobject(py)?.into_any().unbind(),
            })
        })
    }

    /// The plan gave these: kept and used from now on.
    fn refreshed(&mut self, resolved: PyRef<'_, NativeResolved>) {
        self.cache.refreshed(resolved.inner.clone());
    }

    /// The plan failed at `now` with `message` (the exception's text, no secret): `None` when
    /// nothing valid is cached (the host raises its exception), else `(kept, warning)`, the
    /// warning (for the host's log) only the first time.
    #[allow(clippy::type_complexity)]
    fn refresh_failed(
        &mut self,
        py: Python<'_>,
        now: i64,
        message: &str,
    ) -> PyResult<Option<(Py<NativeResolved>, Option<String>)>> {
        guard(py, "CredentialsCache.refresh_failed", || {
            // The exception's text is core's `Error` display: its `credentials: ` prefix is
            // written again by core's message.
            let problem = message.strip_prefix("credentials: ").unwrap_or(message);
            let error = Error::Credentials {
                problem: problem.to_owned(),
            };
            match self.cache.refresh_failed(now, error) {
                Err(_) => Ok(None),
                Ok(kept) => Ok(Some((
                    Py::new(
                        py,
                        NativeResolved {
                            inner: kept.credentials,
                        },
                    )?,
                    kept.warning,
                ))),
            }
        })
    }

    fn __repr__(&self) -> &'static str {
        "<camskit credentials cache>"
    }
}

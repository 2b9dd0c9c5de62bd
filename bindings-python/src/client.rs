//! `_NativeClient`: core's [`Signer`] with one set of credentials for one endpoint; `sign`
//! and `_start_call` turn their Python arguments into core's [`RequestSpec`].

use camskit::{
    Call, Credentials, Endpoint, Method, RequestSpec, RetryPolicy, SignatureVersion, Signer,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use std::sync::{RwLock, RwLockReadGuard};

use crate::call::NativeCall;
use crate::convert::{opt_text, text, to_params};
use crate::credentials::NativeResolved;
use crate::env::HostEnv;
use crate::errors::{errors_module, guard, obj, raise, to_py, validation};
use crate::nonce::nonce_or_fresh;
use crate::signed::SignedRequest;

/// Signs CAMS requests with one set of credentials for one endpoint.
#[pyclass(subclass, module = "camskit", name = "_NativeClient")]
pub(crate) struct NativeClient {
    /// Behind a lock: a credentials provider replaces the credentials when they near expiry.
    signer: RwLock<Signer>,
    signature: SignatureVersion,
    allow_insecure_http: bool,
    /// Credentials that expire: the Python `_CredentialsCache` (camskit/_credentials.py), whose
    /// `fresh()` returns new ones when core's `needs_refresh` says so (else None). Asked before
    /// each signature and call here, so the Python `Client` needs no `sign` of its own (a
    /// Python-level wrapper cost a quarter of a signature).
    refresher: std::sync::OnceLock<Py<PyAny>>,
}

/// What `sign` and `_start_call` share: the Python arguments of a `RequestSpec`.
pub(crate) struct SpecArgs<'a, 'py> {
    action: &'a Bound<'py, PyAny>,
    params: Option<&'a Bound<'py, PyAny>>,
    method: Option<&'a Bound<'py, PyAny>>,
    signature: Option<&'a Bound<'py, PyAny>>,
    raw: bool,
    api_version: Option<&'a Bound<'py, PyAny>>,
    form: Option<&'a Bound<'py, PyAny>>,
    headers: Option<&'a Bound<'py, PyAny>>,
}

impl NativeClient {
    /// Asks the credentials cache, if any, for fresh credentials and takes them.
    fn refresh(&self, py: Python<'_>) -> PyResult<()> {
        let Some(cache) = self.refresher.get() else {
            return Ok(());
        };
        let new = cache.bind(py).call_method0("fresh")?;
        if new.is_none() {
            return Ok(());
        }
        let resolved = new.extract::<PyRef<'_, NativeResolved>>()?;
        self.replace_credentials(py, &resolved)
    }

    fn replace_credentials(&self, py: Python<'_>, resolved: &NativeResolved) -> PyResult<()> {
        let mut signer = self
            .signer
            .write()
            .map_err(|_| validation(py, "the client's credentials lock is poisoned"))?;
        *signer = Signer::new(
            resolved.inner.credentials.clone(),
            signer.endpoint().clone(),
        );
        Ok(())
    }

    fn signer(&self) -> RwLockReadGuard<'_, Signer> {
        self.signer.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The usual call in one step: an action and parameters that are all exact `str` (names
    /// and values), nothing else chosen but the time, nonce and signature version. The
    /// strings reach core borrowed (CPython ≥ 3.10 lends a `str`'s UTF-8 without a copy),
    /// through `Signer::sign_action_strs`, the same request `RequestSpec` would build. `None`
    /// when the arguments are anything else: `sign` then takes the general path (which also
    /// words the errors).
    fn sign_strs(
        &self,
        py: Python<'_>,
        action: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        nonce: Option<&Bound<'_, PyAny>>,
        signature: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<SignedRequest>> {
        let Ok(action_obj) = action.cast_exact::<PyString>() else {
            return Ok(None);
        };
        let Ok(action_str) = action_obj.to_str() else {
            return Ok(None);
        };
        // Exact `str` keys and values only: reading them runs no Python code, so the dict
        // cannot change while it is read.
        let mut held: Vec<(Bound<'_, PyString>, Bound<'_, PyString>)> = Vec::new();
        if let Some(p) = params.filter(|p| !p.is_none()) {
            let Ok(d) = p.cast_exact::<PyDict>() else {
                return Ok(None);
            };
            held.reserve(d.len());
            for (k, v) in d.iter() {
                match (
                    k.cast_into_exact::<PyString>(),
                    v.cast_into_exact::<PyString>(),
                ) {
                    (Ok(k), Ok(v)) => held.push((k, v)),
                    _ => return Ok(None),
                }
            }
        }
        let mut pairs = Vec::with_capacity(held.len());
        for (k, v) in &held {
            match (k.to_str(), v.to_str()) {
                (Ok(k), Ok(v)) => pairs.push((k, v)),
                _ => return Ok(None),
            }
        }
        let options = camskit::SignOptions {
            signature: self.signature_version_or_default(py, signature)?,
            ..camskit::SignOptions::default()
        };
        let ts = crate::timestamp::timestamp(py, timestamp)?;
        let given_nonce = opt_text(py, nonce, "nonce")?;
        let mut nonce_buf = [0u8; camskit_nonce_pool::NONCE_LEN];
        let nonce = nonce_or_fresh(given_nonce.as_deref(), &mut nonce_buf)?;
        let signed = self
            .signer()
            .sign_action_strs(action_str, pairs, &options, ts, nonce)
            .map_err(|e| to_py(py, e))?;
        Ok(Some(SignedRequest {
            inner: signed,
            action: action_obj.clone().unbind(),
        }))
    }

    /// The `signature` argument read by core (`"1.0"`, `"v3"`), or the client's default.
    fn signature_version_or_default(
        &self,
        py: Python<'_>,
        signature: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SignatureVersion> {
        match opt_text(py, signature, "signature")? {
            Some(s) => SignatureVersion::parse(&s).map_err(|e| to_py(py, e)),
            None => Ok(self.signature),
        }
    }

    /// Python values -> core's `RequestSpec`, as given (core validates).
    fn spec(&self, py: Python<'_>, a: SpecArgs<'_, '_>) -> PyResult<RequestSpec> {
        Ok(RequestSpec {
            action: text(py, a.action, "action")?,
            params: to_params(py, a.params, "params")?,
            form: to_params(py, a.form, "form")?,
            raw: a.raw,
            api_version: opt_text(py, a.api_version, "api_version")?,
            method: opt_text(py, a.method, "method")?
                .map(|m| Method::parse(&m))
                .transpose()
                .map_err(|e| to_py(py, e))?,
            signature: self.signature_version_or_default(py, a.signature)?,
            headers: crate::convert::headers(py, a.headers)?,
        })
    }
}

/// Credentials from an environment mapping (`os.environ` by default) through
/// [`Credentials::from_env`]: a value that is not a `str`, or a `str` that cannot be encoded
/// (lone surrogates: `os.environ` decodes undecodable bytes with surrogateescape), is
/// [`EnvValue::NotUnicode`].
pub(crate) fn env_credentials(
    py: Python<'_>,
    environ: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Credentials>> {
    let env = HostEnv::new(py, environ, None)?;
    let found = Credentials::from_env(|name| env.get(name));
    env.check()?;
    Ok(found.map_err(|e| to_py(py, e))?.map(|f| f.credentials))
}

/// The credentials a client (or a receipts consumer) signs with: the given keys, else those a
/// provider resolved, else the environment (`environ`, default `os.environ`).
pub(crate) fn pick_credentials(
    py: Python<'_>,
    access_key_id: Option<&Bound<'_, PyAny>>,
    access_key_secret: Option<&Bound<'_, PyAny>>,
    security_token: Option<&Bound<'_, PyAny>>,
    environ: Option<&Bound<'_, PyAny>>,
    resolved: Option<&NativeResolved>,
) -> PyResult<Credentials> {
    let id = opt_text(py, access_key_id, "access_key_id")?;
    let secret = opt_text(py, access_key_secret, "access_key_secret")?;
    let token = opt_text(py, security_token, "security_token")?;
    let credentials_error = |m: &str| {
        raise(
            py,
            "CredentialsError",
            m.to_owned(),
            vec![
                ("code", obj(py, "credentials")),
                ("category", obj(py, "credentials")),
            ],
        )
    };
    let mut creds = match (id, secret) {
        (None, None) if resolved.is_some() => resolved
            .map(|r| r.inner.credentials.clone())
            .ok_or_else(|| credentials_error("no credentials"))?,
        (Some(id), Some(secret)) => Credentials::new(id, secret).map_err(|e| to_py(py, e))?,
        (None, None) => env_credentials(py, environ)?.ok_or_else(|| {
            credentials_error(&format!(
                "no credentials: pass access_key_id and access_key_secret, or set {} and {}",
                camskit::ENV_ACCESS_KEY_ID[0],
                camskit::ENV_ACCESS_KEY_SECRET[0]
            ))
        })?,
        (Some(_), None) => {
            return Err(credentials_error(
                "access_key_id is given but access_key_secret is not",
            ));
        }
        (None, Some(_)) => {
            return Err(credentials_error(
                "access_key_secret is given but access_key_id is not",
            ));
        }
    };
    if let Some(t) = token {
        creds = creds.with_security_token(t).map_err(|e| to_py(py, e))?;
    }
    Ok(creds)
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(
        text_signature = "(access_key_id=None, access_key_secret=None, security_token=None, region_id=None, endpoint=None, *, signature='1.0', environ=None, allow_insecure_http=False)"
    )]
    #[pyo3(signature = (access_key_id=None, access_key_secret=None, security_token=None,
                        region_id=None, endpoint=None, *, signature=None, environ=None,
                        allow_insecure_http=false, resolved=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        access_key_id: Option<&Bound<'_, PyAny>>,
        access_key_secret: Option<&Bound<'_, PyAny>>,
        security_token: Option<&Bound<'_, PyAny>>,
        region_id: Option<&Bound<'_, PyAny>>,
        endpoint: Option<&Bound<'_, PyAny>>,
        signature: Option<&Bound<'_, PyAny>>,
        environ: Option<&Bound<'_, PyAny>>,
        allow_insecure_http: bool,
        resolved: Option<PyRef<'_, NativeResolved>>,
    ) -> PyResult<Self> {
        guard(py, "Client", || {
            let creds = pick_credentials(
                py,
                access_key_id,
                access_key_secret,
                security_token,
                environ,
                resolved.as_deref(),
            )?;
            let region = opt_text(py, region_id, "region_id")?;
            let endpoint = opt_text(py, endpoint, "endpoint")?;
            let endpoint = Endpoint::resolve(region.as_deref(), endpoint.as_deref())
                .map_err(|e| to_py(py, e))?;
            endpoint
                .check_credentials_transport(allow_insecure_http)
                .map_err(|e| to_py(py, e))?;
            if let Some(warning) = endpoint.warning() {
                let category = errors_module(py)?.getattr("CamsWarning")?;
                let message = std::ffi::CString::new(warning.replace('\0', " "))
                    .map_err(|_| validation(py, "the endpoint warning holds a NUL"))?;
                PyErr::warn(py, &category, &message, 1)?;
            }
            let signature = match opt_text(py, signature, "signature")? {
                Some(s) => SignatureVersion::parse(&s).map_err(|e| to_py(py, e))?,
                None => SignatureVersion::V1,
            };
            Ok(Self {
                signer: RwLock::new(Signer::new(creds, endpoint)),
                signature,
                allow_insecure_http,
                refresher: std::sync::OnceLock::new(),
            })
        })
    }

    /// The access key id (not a secret).
    #[getter]
    fn access_key_id(&self) -> String {
        self.signer().credentials().access_key_id().to_owned()
    }

    /// The endpoint's base URL, such as `https://cams.ap-southeast-1.aliyuncs.com`.
    #[getter]
    fn endpoint(&self) -> String {
        self.signer().endpoint().base_url().to_owned()
    }

    /// The region of a `cams.<region>.aliyuncs.com` endpoint (None for any other host).
    #[getter]
    fn region_id(&self) -> Option<String> {
        self.signer().endpoint().region_id().map(str::to_owned)
    }

    /// The default signature version of this client: `"1.0"` or `"v3"`.
    #[getter]
    fn signature_version(&self) -> &'static str {
        self.signature.as_str()
    }

    /// Signs one request; returns a `SignedRequest` (nothing is sent).
    ///
    /// The arguments become core's `RequestSpec` as given: `action`, `params` (a dict keyed by
    /// API or snake names; values str/int/bool/float/list/dict or None = not given), `raw`,
    /// `form`, `api_version`, `method`, `signature` (default: the client's), `headers`.
    /// `timestamp`: default now (UTC); an aware datetime, a str (`YYYY-MM-DDThh:mm:ssZ` or
    /// unix seconds) or an int/float (unix seconds, the fraction floored). `nonce`: default a
    /// fresh random UUIDv4.
    ///
    /// Raises `ValidationError` / `ParameterTypeError` for bad input, before anything is signed.
    #[pyo3(signature = (action, params=None, *, method=None, timestamp=None, nonce=None,
                        signature=None, raw=false, api_version=None, form=None, headers=None))]
    #[allow(clippy::too_many_arguments)]
    fn sign(
        &self,
        py: Python<'_>,
        action: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        method: Option<&Bound<'_, PyAny>>,
        timestamp: Option<&Bound<'_, PyAny>>,
        nonce: Option<&Bound<'_, PyAny>>,
        signature: Option<&Bound<'_, PyAny>>,
        raw: bool,
        api_version: Option<&Bound<'_, PyAny>>,
        form: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<SignedRequest> {
        self.refresh(py)?;
        guard(py, "Client.sign", || {
            let given = |v: Option<&Bound<'_, PyAny>>| v.is_some_and(|v| !v.is_none());
            let plain =
                !raw && !given(method) && !given(api_version) && !given(form) && !given(headers);
            if plain
                && let Some(signed) =
                    self.sign_strs(py, action, params, timestamp, nonce, signature)?
            {
                return Ok(signed);
            }
            let action_obj = action.cast::<PyString>().ok().map(|a| a.clone().unbind());
            let spec = self.spec(
                py,
                SpecArgs {
                    action,
                    params,
                    method,
                    signature,
                    raw,
                    api_version,
                    form,
                    headers,
                },
            )?;
            let action_obj = action_obj.ok_or_else(|| validation(py, "action must be a str"))?;
            let ts = crate::timestamp::timestamp(py, timestamp)?;
            let given_nonce = opt_text(py, nonce, "nonce")?;
            let mut nonce_buf = [0u8; camskit_nonce_pool::NONCE_LEN];
            let nonce = nonce_or_fresh(given_nonce.as_deref(), &mut nonce_buf)?;
            let signed = self
                .signer()
                .sign_spec(&spec, ts, nonce)
                .map_err(|e| to_py(py, e))?;
            Ok(SignedRequest {
                inner: signed,
                action: action_obj,
            })
        })
    }

    /// Starts one logical call (core's `Call`): the same arguments as `sign` (no time, no
    /// nonce: the machine signs each attempt), plus the retry policy
    /// `(max_attempts, base_delay_ms, max_delay_ms, deadline_ms or None, recover_clock_skew)`,
    /// the clock offset the client kept, and the caller's `allow_insecure_http`. Core's
    /// `Endpoint::check_credentials_transport` decides whether plain HTTP may carry the key.
    #[pyo3(signature = (action, params=None, *, method=None, signature=None, raw=false,
                        api_version=None, form=None, headers=None, policy=None,
                        clock_offset=0, allow_insecure_http=false))]
    #[allow(clippy::too_many_arguments)]
    fn _start_call(
        &self,
        py: Python<'_>,
        action: &Bound<'_, PyAny>,
        params: Option<&Bound<'_, PyAny>>,
        method: Option<&Bound<'_, PyAny>>,
        signature: Option<&Bound<'_, PyAny>>,
        raw: bool,
        api_version: Option<&Bound<'_, PyAny>>,
        form: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        policy: Option<(u32, u64, u64, Option<u64>, bool)>,
        clock_offset: i64,
        allow_insecure_http: bool,
    ) -> PyResult<NativeCall> {
        self.refresh(py)?;
        guard(py, "Client.call", || {
            let spec = self.spec(
                py,
                SpecArgs {
                    action,
                    params,
                    method,
                    signature,
                    raw,
                    api_version,
                    form,
                    headers,
                },
            )?;
            let signer = self.signer().clone();
            signer
                .endpoint()
                .check_credentials_transport(allow_insecure_http || self.allow_insecure_http)
                .map_err(|e| to_py(py, e))?;
            let policy = match policy {
                None => RetryPolicy::default(),
                Some((max_attempts, base_delay_ms, max_delay_ms, deadline_ms, recover)) => {
                    RetryPolicy {
                        max_attempts,
                        base_delay_ms,
                        max_delay_ms,
                        deadline_ms,
                        recover_clock_skew: recover,
                    }
                }
            };
            let call = Call::new(signer, &spec, policy)
                .map_err(|e| to_py(py, e))?
                .with_clock_offset(clock_offset);
            Ok(NativeCall {
                call,
                action: spec.action,
                params: spec.params,
                last: None,
            })
        })
    }

    /// Sets the credentials cache asked before each signature (once: see `refresher`).
    fn _set_refresher(&self, py: Python<'_>, cache: Py<PyAny>) -> PyResult<()> {
        self.refresher
            .set(cache)
            .map_err(|_| validation(py, "the client's credentials cache is set already"))
    }

    /// Replaces the credentials with ones a provider resolved (a refresh).
    fn _set_credentials(
        &self,
        py: Python<'_>,
        resolved: PyRef<'_, NativeResolved>,
    ) -> PyResult<()> {
        guard(py, "Client._set_credentials", || {
            self.replace_credentials(py, &resolved)
        })
    }

    fn __repr__(&self) -> String {
        let signer = self.signer();
        let token = if signer.credentials().security_token().is_some() {
            ", security_token=<set>"
        } else {
            ""
        };
        format!(
            "Client(access_key_id={:?}{token}, endpoint={:?}, signature={:?})",
            signer.credentials().access_key_id(),
            signer.endpoint().base_url(),
            self.signature.as_str()
        )
    }
}

//! `camskit_native`: the pyo3 layer of the `camskit` Python package.
//!
//! A translation layer and nothing else: Python values become core values, core errors become
//! the Python exception classes of `camskit._errors`. The pure-Python package
//! (`python/camskit/`) re-exports what is public here.
#![forbid(unsafe_code)]

use camskit::{
    Credentials, Endpoint, Error, Method, Request, SignOptions, SignatureVersion,
    SignedRequest as CoreSigned, Signer, Timestamp,
};
use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyModule, PyString,
    PyTuple,
};
use serde_json::{Map, Number, Value};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};

/// The Rust side's allocator. A signed request takes ~20 short-lived allocations (core and
/// this layer); mimalloc makes them several times cheaper than glibc's malloc. Only Rust
/// memory uses it: everything handed to Python is copied into Python objects.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Deepest nesting of lists/dicts accepted in a parameter value.
const MAX_DEPTH: usize = 32;

// ---------------------------------------------------------------------------------------------
// Errors: core -> Python exception classes (defined in camskit/_errors.py).

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(ERRORS
        .get_or_try_init(py, || py.import("camskit._errors").map(Bound::unbind))?
        .bind(py))
}

/// Builds `camskit.<class_name>(message, **fields)` as a `PyErr`; a class name `kind:NAME`
/// means the `ApiError` subclass for that error kind (`camskit._errors.ERROR_CLASSES`).
fn raise(
    py: Python<'_>,
    class_name: &str,
    message: String,
    fields: Vec<(&str, Py<PyAny>)>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = errors_module(py)?;
        let class = match class_name.strip_prefix("kind:") {
            Some(kind) => module.getattr("ERROR_CLASSES")?.get_item(kind)?,
            None => module.getattr(class_name)?,
        };
        let kwargs = PyDict::new(py);
        for (k, v) in fields {
            kwargs.set_item(k, v)?;
        }
        let instance = class.call((message.as_str(),), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

fn obj<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: T) -> Py<PyAny> {
    match v.into_pyobject(py) {
        Ok(o) => o.into_bound().into_any().unbind(),
        Err(_) => py.None(),
    }
}

fn validation(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(py, "ValidationError", message.into(), vec![])
}

fn type_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(py, "ParameterTypeError", message.into(), vec![])
}

/// Converts a core error into the matching Python exception.
fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    match e {
        Error::InvalidInput { what, problem } => raise(
            py,
            "ValidationError",
            message,
            vec![("what", obj(py, what)), ("problem", obj(py, problem))],
        ),
        Error::MissingParameter { action, parameter } => raise(
            py,
            "ValidationError",
            message,
            vec![
                ("action", obj(py, action)),
                ("parameter", obj(py, parameter)),
            ],
        ),
        Error::UnknownAction {
            action,
            suggestions,
        } => raise(
            py,
            "ValidationError",
            message,
            vec![
                ("action", obj(py, action)),
                ("suggestions", obj(py, suggestions)),
            ],
        ),
        Error::UnknownParameter {
            action,
            parameter,
            suggestions,
        } => raise(
            py,
            "ValidationError",
            message,
            vec![
                ("action", obj(py, action)),
                ("parameter", obj(py, parameter)),
                ("suggestions", obj(py, suggestions)),
            ],
        ),
        Error::WrongType {
            action, parameter, ..
        } => raise(
            py,
            "ParameterTypeError",
            message,
            vec![
                ("action", obj(py, action)),
                ("parameter", obj(py, parameter)),
            ],
        ),
        Error::Credentials { .. } => raise(py, "CredentialsError", message, vec![]),
        Error::Parse(p) => raise(
            py,
            "ParseError",
            message,
            vec![
                ("status", obj(py, p.status)),
                ("reason", obj(py, p.reason)),
                ("snippet", obj(py, p.snippet)),
            ],
        ),
        Error::Api(api) => {
            let body = json_to_py(py, &api.body).unwrap_or_else(|_| py.None());
            raise(
                py,
                &format!("kind:{}", api.kind.as_str()),
                message,
                vec![
                    ("status", obj(py, api.status)),
                    ("code", obj(py, api.code)),
                    ("api_message", obj(py, api.message)),
                    ("request_id", obj(py, api.request_id)),
                    ("host_id", obj(py, api.host_id)),
                    ("recommend", obj(py, api.recommend)),
                    ("access_denied_detail", obj(py, api.access_denied_detail)),
                    ("kind", obj(py, api.kind.as_str())),
                    ("retryable", obj(py, api.kind.retryable())),
                    ("server_string_to_sign", obj(py, api.server_string_to_sign)),
                    ("body", body),
                ],
            )
        }
        other => raise(py, "CamsError", other.to_string(), vec![]),
    }
}

// ---------------------------------------------------------------------------------------------
// Python values -> core values.

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A Python `str` as a Rust `String`; lone surrogates (not valid UTF-8) are a ValidationError.
fn text(py: Python<'_>, v: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    text_with(py, v, &|| what.to_owned())
}

/// [`text`], with the name of the value built only when there is an error.
fn text_with(py: Python<'_>, v: &Bound<'_, PyAny>, what: &dyn Fn() -> String) -> PyResult<String> {
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

fn opt_text(py: Python<'_>, v: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => text(py, v, what).map(Some),
    }
}

/// A parameter value as JSON (str, int, bool, float, list/tuple, dict, None).
fn to_json(
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
        // Beyond 64 bits: exact decimal text (Python may refuse more than 4300 digits).
        let digits = v
            .str()
            .and_then(|s| s.extract::<String>())
            .map_err(|_| validation(py, format!("{} is an integer too large to send", what())))?;
        return serde_json::from_str::<Number>(&digits)
            .map(Value::Number)
            .map_err(|_| validation(py, format!("{} is an integer too large to send", what())));
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
        let mut map = Map::with_capacity(d.len());
        for (k, item) in d.iter() {
            let key = text_with(py, &k, &|| format!("a key of {}", what()))?;
            let value = to_json(py, &item, &|| format!("{}[{key:?}]", what()), depth + 1)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for (i, item) in v.try_iter()?.enumerate() {
            out.push(to_json(
                py,
                &item?,
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

/// A dict of parameters (None = empty).
fn to_params(
    py: Python<'_>,
    v: Option<&Bound<'_, PyAny>>,
    what: &str,
) -> PyResult<Map<String, Value>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(Map::new());
    };
    let Ok(d) = v.cast::<PyDict>() else {
        return Err(type_error(
            py,
            format!("{what} must be a dict, not {}", type_name(v)),
        ));
    };
    let mut map = Map::with_capacity(d.len());
    for (k, item) in d.iter() {
        let key = text_with(py, &k, &|| format!("a {what} name"))?;
        let value = to_json(py, &item, &|| format!("parameter {key:?}"), 0)?;
        map.insert(key, value);
    }
    Ok(map)
}

fn timestamp(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
    let from_unix = |secs: i64| Timestamp::from_unix(secs).map_err(|e| to_py(py, e));
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return now(py);
    };
    if v.cast::<PyBool>().is_ok() {
        return Err(type_error(
            py,
            "timestamp must be a datetime, str or int, not bool",
        ));
    }
    if v.cast::<PyInt>().is_ok() {
        let secs = v
            .extract::<i64>()
            .map_err(|_| validation(py, "timestamp is out of range (unix seconds)"))?;
        return from_unix(secs);
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let f = f.value();
        if !f.is_finite() || f.abs() > 1e15 {
            return Err(validation(py, "timestamp is out of range (unix seconds)"));
        }
        return from_unix(f.floor() as i64);
    }
    if v.cast::<PyString>().is_ok() {
        let s = text(py, v, "timestamp")?;
        return Timestamp::parse(&s).map_err(|e| to_py(py, e));
    }
    if v.hasattr("tzinfo")? && v.hasattr("timestamp")? && v.hasattr("utcoffset")? {
        if v.call_method0("utcoffset")?.is_none() {
            return Err(validation(
                py,
                "timestamp is a naive datetime; give an aware one (datetime.now(timezone.utc))",
            ));
        }
        let secs: f64 = v.call_method0("timestamp")?.extract()?;
        return from_unix(secs.floor() as i64);
    }
    Err(type_error(
        py,
        format!(
            "timestamp must be a datetime, str (YYYY-MM-DDThh:mm:ssZ) or int (unix seconds), not {}",
            type_name(v)
        ),
    ))
}

/// Bumped in a forked child (os.register_at_fork in camskit/__init__.py): random bytes read
/// before the fork are never used again, so parent and child never share a nonce.
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

const RANDOM_BUFFER: usize = 4096;

struct RandomPool {
    bytes: [u8; RANDOM_BUFFER],
    used: usize,
    generation: u64,
}

thread_local! {
    static RANDOM: RefCell<RandomPool> = const {
        RefCell::new(RandomPool { bytes: [0; RANDOM_BUFFER], used: RANDOM_BUFFER, generation: 0 })
    };
    static CLOCK: Cell<Option<(u64, Timestamp)>> = const { Cell::new(None) };
}

/// A random UUIDv4. The OS's randomness is read 4 KiB at a time (one getrandom call per 256
/// nonces instead of one per nonce); each byte is used once, then zeroed.
fn fresh_nonce(buf: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> Result<&str, getrandom::Error> {
    RANDOM
        .with(|pool| {
            let mut pool = pool.borrow_mut();
            let generation = FORK_GENERATION.load(Ordering::Relaxed);
            if pool.used + 16 > RANDOM_BUFFER || pool.generation != generation {
                getrandom::fill(&mut pool.bytes)?;
                pool.used = 0;
                pool.generation = generation;
            }
            let at = pool.used;
            let mut b = [0u8; 16];
            b.copy_from_slice(&pool.bytes[at..at + 16]);
            pool.bytes[at..at + 16].fill(0);
            pool.used += 16;
            Ok(b)
        })
        .map(|b| {
            &*uuid::Builder::from_random_bytes(b)
                .into_uuid()
                .hyphenated()
                .encode_lower(buf)
        })
}

/// Called in a forked child (see [`FORK_GENERATION`]).
#[pyfunction]
fn _after_fork_in_child() {
    FORK_GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Now, as a timestamp (formatted once per second per thread).
fn now(py: Python<'_>) -> PyResult<Timestamp> {
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

fn headers(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
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
    for (k, item) in d.iter() {
        let name = text(py, &k, "a header name")?;
        let value = text(py, &item, &format!("header {name:?}"))?;
        out.push((name, value));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Core values -> Python values.

/// JSON -> Python: integers stay exact (any size), objects keep their order.
fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Value::Null => py.None(),
        Value::Bool(b) => obj(py, *b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                obj(py, i)
            } else if let Some(u) = n.as_u64() {
                obj(py, u)
            } else {
                let text = n.to_string();
                if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                    py.get_type::<PyInt>().call1((text,))?.unbind()
                } else {
                    // Python's own float() of the exact text (1e400 -> inf, as json.loads).
                    py.get_type::<PyFloat>().call1((text,))?.unbind()
                }
            }
        }
        Value::String(s) => obj(py, s.as_str()),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => map_to_py(py, map)?.into_any().unbind(),
    })
}

fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in map {
        d.set_item(k, json_to_py(py, v)?)?;
    }
    Ok(d)
}

// ---------------------------------------------------------------------------------------------
// Client.

/// Signs CAMS requests with one set of credentials for one endpoint.
#[pyclass(subclass, module = "camskit", name = "_NativeClient")]
struct NativeClient {
    signer: Signer,
    region_id: Option<String>,
    signature: SignatureVersion,
}

fn env(py: Python<'_>, name: &str) -> PyResult<Option<String>> {
    let environ = py.import("os")?.getattr("environ")?;
    let v = environ.call_method1("get", (name,))?;
    let v = opt_text(py, Some(&v), name).map_err(|_| {
        credentials_error(
            py,
            &format!("{name} is not valid Unicode text (undecodable bytes in the environment)"),
        )
    })?;
    match v {
        Some(s) if !s.is_empty() => Ok(Some(s)),
        _ => Ok(None),
    }
}

fn credentials_error(py: Python<'_>, message: &str) -> PyErr {
    raise(py, "CredentialsError", message.to_owned(), vec![])
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(
        text_signature = "(access_key_id=None, access_key_secret=None, security_token=None, region_id='ap-southeast-1', endpoint=None, *, signature='1.0')"
    )]
    #[pyo3(signature = (access_key_id=None, access_key_secret=None, security_token=None,
                        region_id=None, endpoint=None, *, signature=None))]
    fn new(
        py: Python<'_>,
        access_key_id: Option<&Bound<'_, PyAny>>,
        access_key_secret: Option<&Bound<'_, PyAny>>,
        security_token: Option<&Bound<'_, PyAny>>,
        region_id: Option<&Bound<'_, PyAny>>,
        endpoint: Option<&Bound<'_, PyAny>>,
        signature: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let id = opt_text(py, access_key_id, "access_key_id")?;
        let secret = opt_text(py, access_key_secret, "access_key_secret")?;
        let token = opt_text(py, security_token, "security_token")?;
        let (id, secret, token) = match (id, secret) {
            (Some(id), Some(secret)) => (id, secret, token),
            (None, None) => {
                let id = env(py, "ALIBABA_CLOUD_ACCESS_KEY_ID")?;
                let secret = env(py, "ALIBABA_CLOUD_ACCESS_KEY_SECRET")?;
                let token = match token {
                    Some(t) => Some(t),
                    None => env(py, "ALIBABA_CLOUD_SECURITY_TOKEN")?,
                };
                match (id, secret) {
                    (Some(id), Some(secret)) => (id, secret, token),
                    (None, None) => {
                        return Err(credentials_error(
                            py,
                            "no credentials: pass access_key_id and access_key_secret, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                        ));
                    }
                    (Some(_), None) => {
                        return Err(credentials_error(
                            py,
                            "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not",
                        ));
                    }
                    (None, Some(_)) => {
                        return Err(credentials_error(
                            py,
                            "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not",
                        ));
                    }
                }
            }
            (Some(_), None) => {
                return Err(credentials_error(
                    py,
                    "access_key_id is given but access_key_secret is not",
                ));
            }
            (None, Some(_)) => {
                return Err(credentials_error(
                    py,
                    "access_key_secret is given but access_key_id is not",
                ));
            }
        };
        let mut creds = Credentials::new(id, secret).map_err(|e| to_py(py, e))?;
        if let Some(t) = token.filter(|t| !t.is_empty()) {
            creds = creds.with_security_token(t).map_err(|e| to_py(py, e))?;
        }
        let endpoint_text = opt_text(py, endpoint, "endpoint")?;
        let region = opt_text(py, region_id, "region_id")?;
        let (endpoint, region_id) = match endpoint_text {
            Some(e) => (Endpoint::parse(&e).map_err(|e| to_py(py, e))?, region),
            None => {
                let r = region.unwrap_or_else(|| camskit::DEFAULT_REGION.to_owned());
                (Endpoint::region(&r).map_err(|e| to_py(py, e))?, Some(r))
            }
        };
        let signature = match opt_text(py, signature, "signature")? {
            Some(s) => SignatureVersion::parse(&s).map_err(|e| to_py(py, e))?,
            None => SignatureVersion::V1,
        };
        Ok(Self {
            signer: Signer::new(creds, endpoint),
            region_id,
            signature,
        })
    }

    /// The access key id (not a secret).
    #[getter]
    fn access_key_id(&self) -> &str {
        self.signer.credentials().access_key_id()
    }

    /// The endpoint's base URL, such as `https://cams.ap-southeast-1.aliyuncs.com`.
    #[getter]
    fn endpoint(&self) -> &str {
        self.signer.endpoint().base_url()
    }

    /// The region the endpoint was built from (None for an explicit endpoint).
    #[getter]
    fn region_id(&self) -> Option<&str> {
        self.region_id.as_deref()
    }

    /// The default signature version of this client: `"1.0"` or `"v3"`.
    #[getter]
    fn signature_version(&self) -> &'static str {
        self.signature.as_str()
    }

    /// Signs one request; returns a `SignedRequest` (nothing is sent).
    ///
    /// `action`: the CAMS operation (`"ChatappMigrationRegister"`). `params`: a dict keyed by
    /// API names or snake names, values str/int/bool/float/list/dict or None (= not given);
    /// checked against the catalog and serialized as the official SDK does (lists and dicts as
    /// compact JSON or flattened, in the query or the form body as the catalog says).
    /// `method`: "GET"/"POST" (default: the catalog's). `timestamp`: default now (UTC); an
    /// aware datetime, "YYYY-MM-DDThh:mm:ssZ" or unix seconds. `nonce`: default a fresh random
    /// UUIDv4. `signature`: "1.0" (default) or "v3". `headers`: extra headers (signed under v3).
    /// `raw=True` skips the catalog to sign any Alibaba Cloud RPC API as given, with
    /// `api_version` and `form` (body parameters).
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
        let action_text = text(py, action, "action")?;
        let action_obj = action.cast::<PyString>()?.clone().unbind();
        let action = action_text;
        let params = to_params(py, params, "params")?;
        let form = to_params(py, form, "form")?;
        let method = match opt_text(py, method, "method")? {
            Some(m) => Some(Method::parse(&m).map_err(|e| to_py(py, e))?),
            None => None,
        };
        let signature = match opt_text(py, signature, "signature")? {
            Some(s) => SignatureVersion::parse(&s).map_err(|e| to_py(py, e))?,
            None => self.signature,
        };
        let api_version = opt_text(py, api_version, "api_version")?;
        let extra_headers = self::headers(py, headers)?;
        let ts = self::timestamp(py, timestamp)?;
        let given_nonce = opt_text(py, nonce, "nonce")?;
        let mut nonce_buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let nonce = match &given_nonce {
            Some(n) => n.as_str(),
            None => fresh_nonce(&mut nonce_buf).map_err(|e| {
                pyo3::exceptions::PyOSError::new_err(format!("no randomness for the nonce: {e}"))
            })?,
        };

        let signed = if raw {
            // Any Alibaba Cloud RPC API: every parameter as given (structured values flattened
            // as the official clients do), `form` in the body.
            let mut request = Request::new(action.as_str())
                .with_method(method.unwrap_or(Method::Post))
                .with_signature(signature);
            if let Some(v) = api_version {
                request = request.with_api_version(v);
            }
            for (name, value) in &params {
                for (n, v) in camskit::catalog::flatten(name, value) {
                    request.push_param(n, v);
                }
            }
            for (name, value) in &form {
                for (n, v) in camskit::catalog::flatten(name, value) {
                    request.push_form_param(n, v);
                }
            }
            for (n, v) in extra_headers {
                request = request.header(n, v);
            }
            self.signer.sign(&request, ts, nonce)
        } else {
            if !form.is_empty() {
                return Err(validation(
                    py,
                    "form= needs raw=True: for CAMS operations the catalog places each parameter in the query or the body",
                ));
            }
            if api_version.is_some() {
                return Err(validation(
                    py,
                    "api_version= needs raw=True: CAMS operations use API version 2020-06-06",
                ));
            }
            let options = SignOptions {
                method,
                signature,
                headers: extra_headers,
            };
            self.signer
                .sign_action(&action, &params, &options, ts, nonce)
        }
        .map_err(|e| to_py(py, e))?;
        Ok(SignedRequest {
            inner: signed,
            action: action_obj,
        })
    }

    fn __repr__(&self) -> String {
        let token = if self.signer.credentials().security_token().is_some() {
            ", security_token=<set>"
        } else {
            ""
        };
        format!(
            "Client(access_key_id={:?}{token}, endpoint={:?}, signature={:?})",
            self.signer.credentials().access_key_id(),
            self.signer.endpoint().base_url(),
            self.signature.as_str()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// SignedRequest.

/// A signed request: send `method` to `url` with `headers` and `body`.
#[pyclass(frozen, module = "camskit", name = "SignedRequest")]
struct SignedRequest {
    inner: CoreSigned,
    action: Py<PyString>,
}

impl SignedRequest {
    /// The headers an HTTP client should be given (it sets `host` itself from the URL).
    fn send_headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (n, v) in &self.inner.headers {
            if n != "host" {
                d.set_item(n, v)?;
            }
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
        let d = PyDict::new(py);
        for (n, v) in &self.inner.headers {
            d.set_item(n, v)?;
        }
        Ok(d)
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
        let d = PyDict::new(py);
        d.set_item("method", self.inner.method.as_str())?;
        d.set_item("url", &self.inner.url)?;
        d.set_item("headers", self.send_headers(py)?)?;
        d.set_item("data", self.body_bytes(py))?;
        Ok(d)
    }
    /// Keyword arguments for `httpx.request(**kwargs)` / `httpx.Client().request(**kwargs)`.
    fn as_httpx_kwargs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("method", self.inner.method.as_str())?;
        d.set_item("url", &self.inner.url)?;
        d.set_item("headers", self.send_headers(py)?)?;
        d.set_item("content", self.body_bytes(py))?;
        Ok(d)
    }
    /// A `urllib.request.Request` ready for `urllib.request.urlopen`.
    fn as_urllib_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let kwargs = PyDict::new(py);
        kwargs.set_item("data", self.body_bytes(py))?;
        kwargs.set_item("headers", self.send_headers(py)?)?;
        kwargs.set_item("method", self.inner.method.as_str())?;
        py.import("urllib.request")?
            .getattr("Request")?
            .call((self.inner.url.as_str(),), Some(&kwargs))
    }
    /// Everything as a dict (what `python -m camskit sign --output json` prints).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
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

// ---------------------------------------------------------------------------------------------
// Responses.

fn body_bytes(py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = body.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if body.cast::<PyMemoryView>().is_ok() {
        let b = py.get_type::<PyBytes>().call1((body,))?;
        return Ok(b.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    if body.cast::<PyString>().is_ok() {
        return text(py, body, "body").map(String::into_bytes);
    }
    Err(type_error(
        py,
        format!("body must be bytes or str, not {}", type_name(body)),
    ))
}

fn status_code(py: Python<'_>, status: &Bound<'_, PyAny>) -> PyResult<u16> {
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

/// Parses a CAMS answer. Returns `(status, request_id, code, message, access_denied_detail,
/// raw)` on success, raises the matching exception otherwise.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn parse_response<'py>(
    py: Python<'py>,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<(
    u16,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Bound<'py, PyDict>,
)> {
    let status = status_code(py, status)?;
    let body = body_bytes(py, body)?;
    let r = camskit::parse_response(status, &body).map_err(|e| to_py(py, e))?;
    let raw = map_to_py(py, &r.body)?;
    Ok((
        r.status,
        r.request_id,
        r.code,
        r.message,
        r.access_denied_detail,
        raw,
    ))
}

// ---------------------------------------------------------------------------------------------
// Catalog.

type ParamRow = (
    &'static str,
    &'static str,
    String,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    bool,
);
type OperationRow = (
    &'static str,
    &'static str,
    String,
    &'static str,
    Vec<ParamRow>,
);

fn operation_row(op: camskit::catalog::Operation) -> OperationRow {
    use camskit::catalog::Location;
    let params = op
        .params()
        .map(|p| {
            (
                p.name(),
                p.snake_name(),
                p.camel_name(),
                match p.location() {
                    Location::Query => "query",
                    _ => "body",
                },
                p.ty().as_str(),
                p.item_type().map(|t| t.as_str()),
                p.style().as_str(),
                p.required(),
            )
        })
        .collect();
    (
        op.name(),
        op.snake_name(),
        op.camel_name(),
        op.method().as_str(),
        params,
    )
}

/// Every operation of the catalog: `(name, snake_name, camel_name, method, params)`, each
/// param `(name, snake_name, camel_name, location, type, item_type, style, required)`.
#[pyfunction]
fn operations() -> Vec<OperationRow> {
    camskit::catalog::operations().map(operation_row).collect()
}

/// One operation by API name or snake name (as [`operations`]); unknown -> ValidationError.
#[pyfunction]
fn operation(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<OperationRow> {
    let name = text(py, name, "operation name")?;
    if let Some(op) = camskit::catalog::operation_by_snake(&name) {
        return Ok(operation_row(op));
    }
    camskit::catalog::operation(&name)
        .map(operation_row)
        .map_err(|e| to_py(py, e))
}

/// For the typed helpers: `(action, parameter snake names)` of the operation with this
/// snake name, or None.
#[pyfunction]
fn operation_by_snake(name: &str) -> Option<(&'static str, Vec<&'static str>)> {
    camskit::catalog::operation_by_snake(name)
        .map(|op| (op.name(), op.params().map(|p| p.snake_name()).collect()))
}

/// Parses the answer to one of the migration workflow's operations into core's typed
/// response: `(status, request_id, code, message, access_denied_detail, raw, data)` where
/// `data` is the typed `Data` as a dict of snake-named fields (or None).
#[pyfunction]
#[allow(clippy::type_complexity)]
fn parse_typed<'py>(
    py: Python<'py>,
    action: &str,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
) -> PyResult<(
    u16,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Bound<'py, PyDict>,
    Py<PyAny>,
)> {
    use camskit::ops;
    let status = status_code(py, status)?;
    let body = body_bytes(py, body)?;
    let parsed = camskit::parse_response(status, &body).map_err(|e| to_py(py, e))?;
    let http = parsed.status;
    let typed: serde_json::Result<Value> = match action {
        "CreateChatappMigrationInitiate" => {
            ops::CreateChatappMigrationInitiateResponse::try_from(parsed)
                .map_err(|e| to_py(py, e))
                .map(serde_json::to_value)?
        }
        "GetMigrationVerifyCode" => ops::GetMigrationVerifyCodeResponse::try_from(parsed)
            .map_err(|e| to_py(py, e))
            .map(serde_json::to_value)?,
        "ChatappMigrationVerified" => ops::ChatappMigrationVerifiedResponse::try_from(parsed)
            .map_err(|e| to_py(py, e))
            .map(serde_json::to_value)?,
        "ChatappMigrationRegister" => ops::ChatappMigrationRegisterResponse::try_from(parsed)
            .map_err(|e| to_py(py, e))
            .map(serde_json::to_value)?,
        other => {
            return Err(validation(
                py,
                format!("{other:?} has no typed response (the migration workflow's operations do)"),
            ));
        }
    };
    let Ok(Value::Object(mut typed)) = typed else {
        return Err(validation(py, "the typed response did not serialize"));
    };
    let get = |typed: &mut Map<String, Value>, k: &str| match typed.remove(k) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let request_id = get(&mut typed, "request_id");
    let code = get(&mut typed, "code").unwrap_or_default();
    let message = get(&mut typed, "message");
    let add = get(&mut typed, "access_denied_detail");
    let raw = match typed.remove("raw") {
        Some(Value::Object(m)) => map_to_py(py, &m)?,
        _ => PyDict::new(py),
    };
    let data = match typed.remove("data") {
        Some(v) => json_to_py(py, &v)?,
        None => py.None(),
    };
    Ok((http, request_id, code, message, add, raw, data))
}

/// Text values (a command line) read as each parameter's type (`5` as an integer, `true` as a
/// boolean, JSON text for arrays and objects), as `camskit sign` reads them.
#[pyfunction]
fn values_from_text<'py>(
    py: Python<'py>,
    action: &str,
    params: Vec<(String, String)>,
) -> PyResult<Bound<'py, PyDict>> {
    let map = camskit::catalog::values_from_text(action, &params).map_err(|e| to_py(py, e))?;
    map_to_py(py, &map)
}

/// The error kinds, in core's order.
#[pyfunction]
fn error_kinds() -> Vec<&'static str> {
    camskit::ErrorKind::ALL.iter().map(|k| k.as_str()).collect()
}

#[pymodule]
fn camskit_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<SignedRequest>()?;
    m.add_function(wrap_pyfunction!(parse_response, m)?)?;
    m.add_function(wrap_pyfunction!(error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(operation, m)?)?;
    m.add_function(wrap_pyfunction!(operation_by_snake, m)?)?;
    m.add_function(wrap_pyfunction!(parse_typed, m)?)?;
    m.add_function(wrap_pyfunction!(values_from_text, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    m.add("DEFAULT_REGION", camskit::DEFAULT_REGION)?;
    m.add("CAMS_API_VERSION", camskit::CAMS_API_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CATALOG_SOURCE", camskit::catalog::SOURCE)?;
    Ok(())
}

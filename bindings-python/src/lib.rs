//! `camskit_native`: the pyo3 layer of the `camskit` Python package.
//!
//! A translation layer and nothing else: Python values become core values (a
//! [`camskit::RequestSpec`], a [`Timestamp`], an [`Endpoint`], credentials read from
//! `os.environ` through [`Credentials::from_env`]), core errors become the Python exception
//! classes of `camskit._errors`. What only the host can do stays here: its environment, its
//! clock, its randomness (nonces), its warnings. The pure-Python package (`python/camskit/`)
//! re-exports what is public here.
//!
//! No Rust panic reaches Python as `pyo3_runtime.PanicException`: every exported entry point
//! runs inside [`guard`], which turns a panic into `camskit.CamsError`; and Python containers
//! are read from snapshots (`dict.items()`, `tuple(list)`), so Python code run while reading
//! them cannot change them under the reader.
// One `unsafe` call in all the binding: registering the fork handler (see `watch_forks`).
#![deny(unsafe_code)]

use camskit::provider::{self, ChainOptions, Plan, ResolvedCredentials};
use camskit::{
    Call, Credentials, Endpoint, EnvValue, Error, Method, RequestSpec, RetryPolicy,
    SignatureVersion, SignedRequest as CoreSigned, Signer, Step, Timestamp, TransportFailure,
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
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{RwLock, RwLockReadGuard};

/// The Rust side's allocator. A signed request takes ~20 short-lived allocations (core and
/// this layer); mimalloc makes them several times cheaper than glibc's malloc. Only Rust
/// memory uses it: everything handed to Python is copied into Python objects.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Deepest nesting of lists/dicts accepted in a parameter value.
const MAX_DEPTH: usize = 32;

// ---------------------------------------------------------------------------------------------
// The boundary: a Rust panic becomes camskit.CamsError.

/// Runs one exported entry point; a panic inside it (a bug) becomes `camskit.CamsError`
/// (code `internal`) instead of `pyo3_runtime.PanicException`, which is a `BaseException`
/// that `except Exception` does not catch. The panic's own text is not shown: it could
/// hold an input.
fn guard<T>(py: Python<'_>, entry: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(_) => Err(raise(
            py,
            "CamsError",
            format!("internal error in camskit ({entry}): a bug, please report it"),
            vec![
                ("code", obj(py, "internal")),
                ("category", obj(py, "internal")),
            ],
        )),
    }
}

/// Panics inside [`guard`]: proves (in the tests) that a panic becomes `CamsError`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    guard(py, "_panic_for_tests", || {
        panic!("camskit test panic");
    })
}

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

/// A validation error of this layer (a Python value core never sees). Same fields as core's
/// `InvalidInput`.
fn validation(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(
        py,
        "ValidationError",
        message.into(),
        vec![
            ("code", obj(py, "invalid_input")),
            ("category", obj(py, "validation")),
        ],
    )
}

/// A Python value of the wrong type (never reaches core).
fn type_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    raise(
        py,
        "ParameterTypeError",
        message.into(),
        vec![
            ("code", obj(py, "wrong_type")),
            ("category", obj(py, "validation")),
        ],
    )
}

/// Converts a core error into the matching Python exception: the class from the category
/// (API errors: from the kind), `code` = [`Error::code`], `category`, and the variant's fields.
fn to_py(py: Python<'_>, e: Error) -> PyErr {
    let message = e.to_string();
    let code = e.code();
    let category = e.category().as_str();
    let mut fields = vec![("code", obj(py, code)), ("category", obj(py, category))];
    let class = match e {
        Error::InvalidInput { what, problem } => {
            fields.push(("what", obj(py, what)));
            fields.push(("problem", obj(py, problem)));
            "ValidationError".to_owned()
        }
        Error::MissingParameter { action, parameter } => {
            fields.push(("action", obj(py, action)));
            fields.push(("parameter", obj(py, parameter)));
            "ValidationError".to_owned()
        }
        Error::UnknownAction {
            action,
            suggestions,
        } => {
            fields.push(("action", obj(py, action)));
            fields.push(("suggestions", obj(py, suggestions)));
            "ValidationError".to_owned()
        }
        Error::UnknownParameter {
            action,
            parameter,
            suggestions,
        } => {
            fields.push(("action", obj(py, action)));
            fields.push(("parameter", obj(py, parameter)));
            fields.push(("suggestions", obj(py, suggestions)));
            "ValidationError".to_owned()
        }
        Error::WrongType {
            action, parameter, ..
        } => {
            fields.push(("action", obj(py, action)));
            fields.push(("parameter", obj(py, parameter)));
            "ParameterTypeError".to_owned()
        }
        Error::Credentials { .. } => "CredentialsError".to_owned(),
        Error::Parse(p) => {
            fields.push(("status", obj(py, p.status)));
            fields.push(("reason", obj(py, p.reason)));
            fields.push(("snippet", obj(py, p.snippet)));
            "ParseError".to_owned()
        }
        Error::Transport {
            reason,
            outcome_unknown,
        } => {
            fields.push(("reason", obj(py, reason)));
            fields.push(("outcome_unknown", obj(py, outcome_unknown)));
            if outcome_unknown {
                "TransportOutcomeUnknownError".to_owned()
            } else {
                "TransportError".to_owned()
            }
        }
        Error::Api(api) => {
            // `code` of an ApiError stays the server's `Code` (core's ApiError::code);
            // `error_code` is Error::code() ("api") for every class.
            let body = json_to_py(py, &api.body).unwrap_or_else(|_| py.None());
            let kind = api.kind.as_str();
            fields = vec![
                ("error_code", obj(py, code)),
                ("category", obj(py, category)),
                ("status", obj(py, api.status)),
                ("code", obj(py, api.code)),
                ("api_message", obj(py, api.message)),
                ("request_id", obj(py, api.request_id)),
                ("host_id", obj(py, api.host_id)),
                ("recommend", obj(py, api.recommend)),
                ("access_denied_detail", obj(py, api.access_denied_detail)),
                ("kind", obj(py, kind)),
                ("retryable", obj(py, api.kind.retryable())),
                ("server_string_to_sign", obj(py, api.server_string_to_sign)),
                ("body", body),
            ];
            format!("kind:{kind}")
        }
        _ => "CamsError".to_owned(),
    };
    raise(py, &class, message, fields)
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

/// The `(key, value)` pairs of a dict, from a snapshot (`dict.items()` is a new list): no
/// Python code run while the values are read can change what is iterated.
fn dict_pairs<'py>(d: &Bound<'py, PyDict>) -> Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
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
fn to_params(
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

/// When to sign: None = now; str -> [`Timestamp::parse`]; int/float -> unix seconds through
/// [`Timestamp::from_unix_f64`] (the fraction floored); an aware datetime -> its
/// `.timestamp()` the same way. A naive datetime and a bool are refused.
fn timestamp(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
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

// ---------------------------------------------------------------------------------------------
// Randomness and the clock (the host's own).

/// Bumped in a forked child (a `pthread_atfork` handler registered when the module loads, so
/// every `fork()` counts — `os.fork`, libc's through ctypes, a C extension's — and
/// os.register_at_fork in camskit/__init__.py): random bytes read before the fork are never
/// used again, so parent and child never share a nonce.
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

extern "C" fn bump_fork_generation() {
    // Async-signal-safe: one atomic add.
    FORK_GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Registers [`bump_fork_generation`] to run in the child of every `fork()`. This replaces a
/// process-id check per nonce (a `getpid` system call each time: glibc no longer caches it).
fn watch_forks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a handler that only touches an atomic; no pointer is passed.
        #[allow(unsafe_code)]
        let rc = unsafe { libc::pthread_atfork(None, None, Some(bump_fork_generation)) };
        if rc != 0 {
            // Without the handler a fork through libc could reuse buffered random bytes:
            // never buffer then (one getrandom call per nonce).
            NO_POOL.store(true, Ordering::Relaxed);
        }
    });
}

/// Set when the fork handler could not be registered: every nonce reads the OS directly.
static NO_POOL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

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

/// The nonce given, or a fresh random UUIDv4 written into `buf`.
fn nonce_or_fresh<'a>(
    given: Option<&'a str>,
    buf: &'a mut [u8; uuid::fmt::Hyphenated::LENGTH],
) -> PyResult<&'a str> {
    match given {
        Some(n) => Ok(n),
        None => fresh_nonce(buf).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("no randomness for the nonce: {e}"))
        }),
    }
}

/// A random UUIDv4. The OS's randomness is read 4 KiB at a time (one getrandom call per 256
/// nonces instead of one per nonce); each byte is used once, then zeroed. The pool is refilled
/// after any fork (a new fork generation: see [`watch_forks`]).
fn fresh_nonce(buf: &mut [u8; uuid::fmt::Hyphenated::LENGTH]) -> Result<&str, getrandom::Error> {
    RANDOM
        .with(|pool| {
            let mut pool = pool.borrow_mut();
            let generation = FORK_GENERATION.load(Ordering::Relaxed);
            if NO_POOL.load(Ordering::Relaxed) {
                let mut b = [0u8; 16];
                getrandom::fill(&mut b)?;
                return Ok(b);
            }
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

/// Header pairs from a dict (None = none), from a snapshot.
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
    for (k, item) in dict_pairs(d) {
        let name = text(py, &k, "a header name")?;
        let value = text(py, &item, &format!("header {name:?}"))?;
        out.push((name, value));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Core values -> Python values.

/// JSON -> Python: integers exact within 64 bits (core reads bigger ones as floats), objects
/// keep their order.
fn json_to_py(py: Python<'_>, v: &Value) -> PyResult<Py<PyAny>> {
    Ok(ToPy::new(py).value(v)?.unbind())
}

fn map_to_py<'py>(py: Python<'py>, map: &Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
    ToPy::new(py).map(map)
}

/// One conversion of a JSON value to Python objects. Object keys are made once per distinct
/// key and shared (as `json.loads` does): a list answer repeats the same dozen keys thousands
/// of times, and a new `str` per key was a third of the conversion.
struct ToPy<'py, 'v> {
    py: Python<'py>,
    keys: HashMap<&'v str, Bound<'py, PyString>>,
}

impl<'py, 'v> ToPy<'py, 'v> {
    fn new(py: Python<'py>) -> Self {
        Self {
            py,
            keys: HashMap::new(),
        }
    }

    fn value(&mut self, v: &'v Value) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        Ok(match v {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    i.into_pyobject(py)?.into_any()
                } else if let Some(u) = n.as_u64() {
                    u.into_pyobject(py)?.into_any()
                } else {
                    PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
                }
            }
            Value::String(s) => PyString::new(py, s).into_any(),
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.value(item)?);
                }
                PyList::new(py, out)?.into_any()
            }
            Value::Object(map) => self.map(map)?.into_any(),
        })
    }

    fn map(&mut self, map: &'v Map<String, Value>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(self.py);
        for (k, v) in map {
            let value = self.value(v)?;
            let py = self.py;
            let key = self
                .keys
                .entry(k.as_str())
                .or_insert_with(|| PyString::new(py, k));
            d.set_item(&*key, value)?;
        }
        Ok(d)
    }
}

// ---------------------------------------------------------------------------------------------
// Client.

/// Signs CAMS requests with one set of credentials for one endpoint.
#[pyclass(subclass, module = "camskit", name = "_NativeClient")]
struct NativeClient {
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
struct SpecArgs<'a, 'py> {
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
        let ts = self::timestamp(py, timestamp)?;
        let given_nonce = opt_text(py, nonce, "nonce")?;
        let mut nonce_buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
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
            headers: self::headers(py, a.headers)?,
        })
    }
}

/// Credentials from an environment mapping (`os.environ` by default) through
/// [`Credentials::from_env`]: a value that is not a `str`, or a `str` that cannot be encoded
/// (lone surrogates: `os.environ` decodes undecodable bytes with surrogateescape), is
/// [`EnvValue::NotUnicode`].
fn env_credentials(
    py: Python<'_>,
    environ: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<Credentials>> {
    let env = HostEnv::new(py, environ, None)?;
    let found = Credentials::from_env(|name| env.get(name));
    env.check()?;
    Ok(found.map_err(|e| to_py(py, e))?.map(|f| f.credentials))
}

/// The host's environment as core's lookup wants it: a mapping (`os.environ` by default) read
/// name by name; a value that is not a `str`, or a `str` that cannot be encoded (lone
/// surrogates), is [`EnvValue::NotUnicode`]. `profile` overrides `ALIBABA_CLOUD_PROFILE`.
struct HostEnv<'py> {
    environ: Bound<'py, PyAny>,
    profile: Option<String>,
    failure: RefCell<Option<PyErr>>,
}

impl<'py> HostEnv<'py> {
    fn new(
        py: Python<'py>,
        environ: Option<&Bound<'py, PyAny>>,
        profile: Option<String>,
    ) -> PyResult<Self> {
        let environ = match environ.filter(|e| !e.is_none()) {
            Some(e) => e.clone(),
            None => py.import("os")?.getattr("environ")?,
        };
        Ok(Self {
            environ,
            profile,
            failure: RefCell::new(None),
        })
    }

    fn get(&self, name: &str) -> Option<EnvValue> {
        if name == "ALIBABA_CLOUD_PROFILE"
            && let Some(p) = &self.profile
        {
            return Some(EnvValue::Text(p.clone()));
        }
        if self.failure.borrow().is_some() {
            return None;
        }
        match self.environ.call_method1("get", (name,)) {
            Ok(v) if v.is_none() => None,
            Ok(v) => match v.cast::<PyString>().map(|s| s.extract::<String>()) {
                Ok(Ok(s)) => Some(EnvValue::Text(s)),
                _ => Some(EnvValue::NotUnicode),
            },
            Err(e) => {
                *self.failure.borrow_mut() = Some(e);
                None
            }
        }
    }

    /// The error reading the mapping raised, if any.
    fn check(self) -> PyResult<()> {
        match self.failure.into_inner() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
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
                    .as_ref()
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
            let ts = self::timestamp(py, timestamp)?;
            let given_nonce = opt_text(py, nonce, "nonce")?;
            let mut nonce_buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
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

/// The answer's headers: None, a mapping (anything with `.items()`: a dict,
/// `http.client.HTTPMessage`, `requests`' and `httpx`' headers) or pairs; names and values str.
fn response_headers(
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
/// [`camskit::parse_response_with_headers`].
fn parse_core(
    py: Python<'_>,
    status: &Bound<'_, PyAny>,
    body: &Bound<'_, PyAny>,
    headers: Option<&Bound<'_, PyAny>>,
    action: Option<&str>,
) -> PyResult<camskit::Response> {
    let status = status_code(py, status)?;
    let headers = response_headers(py, headers)?;
    let body = body_bytes(py, body)?;
    let pairs = headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    match action {
        Some(action) => camskit::parse_response_for(action, status, pairs, &body),
        None => camskit::parse_response_with_headers(status, pairs, &body),
    }
    .map_err(|e| to_py(py, e))
}

/// Parses a CAMS answer. Returns `(status, request_id, code, message, access_denied_detail,
/// raw)` on success, raises the matching exception otherwise.
#[pyfunction]
#[pyo3(signature = (status, body, headers=None, action=None))]
#[allow(clippy::type_complexity)]
fn parse_response<'py>(
    py: Python<'py>,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
    action: Option<&Bound<'py, PyAny>>,
) -> PyResult<(
    u16,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Bound<'py, PyDict>,
)> {
    guard(py, "parse_response", || {
        let action = opt_text(py, action, "action")?;
        let r = parse_core(py, status, body, headers, action.as_deref())?;
        let raw = map_to_py(py, &r.body)?;
        Ok((
            r.status,
            r.request_id,
            r.code,
            r.message,
            r.access_denied_detail,
            raw,
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// Typed migration answers: core's `camskit::ops` response types, one per step, as they are.

/// A typed answer as core declares it: the action, the response type's name, its `Data`
/// type's name (None: the envelope only) and that type's fields.
type TypedRow = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Vec<String>,
);

/// `[(action, response type, data type or None, data fields)]`: core's typed answers, one per
/// migration step (the fields are read from core's own serialization of each `Data` type).
#[pyfunction]
fn typed_responses() -> Vec<TypedRow> {
    use camskit::ops;
    fn fields<T: Default + serde::Serialize>() -> Vec<String> {
        match serde_json::to_value(T::default()) {
            Ok(Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }
    vec![
        (
            "CreateChatappMigrationInitiate",
            "CreateChatappMigrationInitiateResponse",
            Some("MigrationInitiateData"),
            fields::<ops::MigrationInitiateData>(),
        ),
        (
            "GetMigrationVerifyCode",
            "GetMigrationVerifyCodeResponse",
            Some("MigrationData"),
            fields::<ops::MigrationData>(),
        ),
        (
            "ChatappMigrationVerified",
            "ChatappMigrationVerifiedResponse",
            Some("MigrationData"),
            fields::<ops::MigrationData>(),
        ),
        (
            "ChatappMigrationRegister",
            "ChatappMigrationRegisterResponse",
            None,
            Vec::new(),
        ),
    ]
}

/// Core's typed answer for `action` (one of the migration steps) as JSON; None for any other
/// action.
fn typed_value(
    action: &str,
    parsed: camskit::Response,
) -> Option<Result<serde_json::Result<Value>, Error>> {
    use camskit::ops;
    fn typed<T: TryFrom<camskit::Response, Error = Error> + serde::Serialize>(
        r: camskit::Response,
    ) -> Result<serde_json::Result<Value>, Error> {
        T::try_from(r).map(|t| serde_json::to_value(t))
    }
    Some(match action {
        "CreateChatappMigrationInitiate" => {
            typed::<ops::CreateChatappMigrationInitiateResponse>(parsed)
        }
        "GetMigrationVerifyCode" => typed::<ops::GetMigrationVerifyCodeResponse>(parsed),
        "ChatappMigrationVerified" => typed::<ops::ChatappMigrationVerifiedResponse>(parsed),
        "ChatappMigrationRegister" => typed::<ops::ChatappMigrationRegisterResponse>(parsed),
        _ => return None,
    })
}

/// Parses the answer to one migration step into core's typed response for it:
/// `(status, fields)` where `fields` is core's serialization of the typed answer
/// (`request_id`, `code`, `message`, `access_denied_detail`, `data` when the type has one,
/// `raw`). Any other action: ValidationError.
#[pyfunction]
#[pyo3(signature = (action, status, body, headers=None))]
fn parse_typed<'py>(
    py: Python<'py>,
    action: &Bound<'py, PyAny>,
    status: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    headers: Option<&Bound<'py, PyAny>>,
) -> PyResult<(u16, Py<PyAny>)> {
    guard(py, "parse_response", || {
        let action = text(py, action, "action")?;
        let parsed = parse_core(py, status, body, headers, Some(&action))?;
        let http = parsed.status;
        let value = typed_value(&action, parsed).ok_or_else(|| {
            validation(
                py,
                format!(
                    "{action:?} has no typed response (the migration workflow's operations do)"
                ),
            )
        })?;
        let value = value
            .map_err(|e| to_py(py, e))?
            .map_err(|_| validation(py, "the typed response did not serialize"))?;
        Ok((http, json_to_py(py, &value)?))
    })
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
    let params = op
        .params()
        .map(|p| {
            (
                p.name(),
                p.snake_name(),
                p.camel_name(),
                p.location().as_str(),
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
fn operations(py: Python<'_>) -> PyResult<Vec<OperationRow>> {
    guard(py, "operations", || {
        Ok(camskit::catalog::operations().map(operation_row).collect())
    })
}

/// One operation by API name or snake name (as [`operations`]); unknown -> ValidationError.
#[pyfunction]
fn operation(py: Python<'_>, name: &Bound<'_, PyAny>) -> PyResult<OperationRow> {
    guard(py, "operation", || {
        let name = text(py, name, "operation name")?;
        if let Some(op) = camskit::catalog::operation_by_snake(&name) {
            return Ok(operation_row(op));
        }
        camskit::catalog::operation(&name)
            .map(operation_row)
            .map_err(|e| to_py(py, e))
    })
}

/// For the typed helpers: `(action, parameter snake names)` of the operation with this
/// snake name, or None.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn operation_by_snake(
    py: Python<'_>,
    name: &str,
) -> PyResult<Option<(&'static str, Vec<&'static str>)>> {
    guard(py, "operation_by_snake", || {
        Ok(camskit::catalog::operation_by_snake(name)
            .map(|op| (op.name(), op.params().map(|p| p.snake_name()).collect())))
    })
}

/// Where an operation's answer holds its page of items (core's `catalog::Paging::items_path`),
/// or None: not a paged operation, or its items are untyped (`iter_items` refuses it before
/// sending anything).
#[pyfunction]
fn items_path(name: &str) -> Option<&'static str> {
    camskit::catalog::operation(name)
        .ok()
        .or_else(|| camskit::catalog::operation_by_snake(name))
        .and_then(|op| op.paging())
        .and_then(|p| p.items_path())
}

/// Core's `TransportFailure` names, for the Python side's classification of HTTP errors.
#[pyfunction]
fn transport_failures() -> Vec<&'static str> {
    [
        TransportFailure::RefusedBeforeSend,
        TransportFailure::TimedOut,
        TransportFailure::ResetAfterSend,
    ]
    .iter()
    .map(|f| f.as_str())
    .collect()
}

/// The API error kinds, in core's order (`ErrorKind::ALL`), each with whether it is
/// retryable.
#[pyfunction]
fn error_kinds() -> Vec<(&'static str, bool)> {
    camskit::ErrorKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.retryable()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Calls: core's `Call` machine, driven by the Python side's HTTP (camskit/_call.py).

/// The generic fields of an answer, as `parse_response` returns them.
type AnswerRow<'py> = (
    u16,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Bound<'py, PyDict>,
);

fn answer_row<'py>(py: Python<'py>, r: &camskit::Response) -> PyResult<AnswerRow<'py>> {
    Ok((
        r.status,
        r.request_id.clone(),
        r.code.clone(),
        r.message.clone(),
        r.access_denied_detail.clone(),
        map_to_py(py, &r.body)?,
    ))
}

/// 16 bytes of the host's randomness.
fn entropy16(py: Python<'_>, entropy: &[u8]) -> PyResult<[u8; 16]> {
    entropy
        .try_into()
        .map_err(|_| validation(py, "entropy must be 16 bytes (os.urandom(16))"))
}

/// One logical call (core's [`Call`]): the Python side asks `poll` what to do, sends, and
/// feeds back what happened. Every decision (retry, backoff, clock offset, outcome unknown) is
/// core's.
#[pyclass(module = "camskit", name = "_NativeCall")]
struct NativeCall {
    call: Call,
    action: String,
    params: Vec<(String, Value)>,
    /// The answer of a finished call (for paging).
    last: Option<camskit::Response>,
}

#[pymethods]
impl NativeCall {
    /// What to do next, at `now_ms` (unix milliseconds) with 16 fresh random bytes:
    /// `("send", method, url, [(name, value)], body bytes or None)`,
    /// `("wait", millis, attempt, reason)`, or
    /// `("done", status, typed fields or None, (status, request_id, code, message,
    /// access_denied_detail, raw))`; a failed call raises its exception.
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
                    let row = answer_row(py, &r)?;
                    let typed =
                        match typed_value(&self.action, r.clone()) {
                            None => None,
                            Some(v) => Some(v.map_err(|e| to_py(py, e))?.map_err(|_| {
                                validation(py, "the typed response did not serialize")
                            })?),
                        };
                    let typed = match typed {
                        Some(v) => json_to_py(py, &v)?,
                        None => py.None(),
                    };
                    let status = r.status;
                    self.last = Some(r);
                    Ok(("done", status, typed, row)
                        .into_pyobject(py)?
                        .into_any()
                        .unbind())
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

    /// After a successful call: the parameters of the next page (core's `next_page`), or None
    /// on the last page or for an operation without paging.
    fn next_params<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        guard(py, "Call.next_params", || {
            let Some(last) = &self.last else {
                return Ok(None);
            };
            let next =
                camskit::next_page(&self.action, &self.params, last).map_err(|e| to_py(py, e))?;
            let Some(next) = next else { return Ok(None) };
            let d = PyDict::new(py);
            for (k, v) in &next {
                d.set_item(k, json_to_py(py, v)?)?;
            }
            Ok(Some(d))
        })
    }

    /// After a successful call: the page's items (core's `page_items`), or None when the
    /// operation is not paged or its items are untyped.
    fn page_items<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyList>>> {
        guard(py, "Call.page_items", || {
            let Some(items) = self
                .last
                .as_ref()
                .and_then(|r| camskit::page_items(&self.action, r))
            else {
                return Ok(None);
            };
            // One conversion for the whole page: its items share their keys.
            let mut to_py = ToPy::new(py);
            let items = items
                .iter()
                .map(|item| to_py.value(item))
                .collect::<PyResult<Vec<_>>>()?;
            let list = PyList::new(py, items)?;
            Ok(Some(list))
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Credentials: core's provider `Plan` (the default chain), walked by the Python side's file
// reads and HTTP (camskit/_credentials.py).

fn chain_options(
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
struct NativePlan {
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
                    Ok(("fetch", r.method, r.url, r.headers, r.body, r.purpose)
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

    fn __repr__(&self) -> &'static str {
        "<camskit credentials plan>"
    }
}

/// Credentials the chain resolved (core's `ResolvedCredentials`); the secret stays in Rust.
#[pyclass(frozen, module = "camskit", name = "_NativeResolved")]
struct NativeResolved {
    inner: ResolvedCredentials,
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

#[pymodule]
fn camskit_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativeClient>()?;
    m.add_class::<SignedRequest>()?;
    m.add_class::<NativeCall>()?;
    m.add_class::<NativePlan>()?;
    m.add_class::<NativeResolved>()?;
    m.add_function(wrap_pyfunction!(transport_failures, m)?)?;
    m.add_function(wrap_pyfunction!(items_path, m)?)?;
    m.add_function(wrap_pyfunction!(parse_response, m)?)?;
    m.add_function(wrap_pyfunction!(error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(operations, m)?)?;
    m.add_function(wrap_pyfunction!(operation, m)?)?;
    m.add_function(wrap_pyfunction!(operation_by_snake, m)?)?;
    m.add_function(wrap_pyfunction!(parse_typed, m)?)?;
    m.add_function(wrap_pyfunction!(typed_responses, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    watch_forks();
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add("DEFAULT_REGION", camskit::DEFAULT_REGION)?;
    m.add("CAMS_API_VERSION", camskit::CAMS_API_VERSION)?;
    m.add("MAX_RESPONSE_BYTES", camskit::MAX_RESPONSE_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CATALOG_SOURCE", camskit::catalog::SOURCE)?;
    Ok(())
}

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
//!
//! This file only registers the module; each concern has its own file, named after core's
//! concept it converts: [`errors`] (core errors -> exceptions, panics), [`convert`] (Python
//! values <-> JSON), [`timestamp`], [`nonce`] (fork-safe randomness), [`env`] (the host's
//! environment), [`client`] (`Signer`: `sign`, `_start_call`), [`signed`] (`SignedRequest`),
//! [`response`] (parsing an answer), [`answers`] (typed answers), [`call`] (the `Call`
//! machine), [`pages`] (next page, page items), [`catalog`], [`credentials`] (the provider
//! `Plan`), [`mns`] (the queue's signer and parsers), [`receipts`] (typed receipt events, the dedup window, the status order),
//! [`consumer`] (the receipts queue's `Consumer` machine).
// No `unsafe` in the binding (the nonce pool's fork handler is registered in camskit-nonce-pool).
#![deny(unsafe_code)]

mod answers;
mod call;
mod catalog;
mod client;
mod consumer;
mod convert;
mod credentials;
mod env;
mod errors;
mod json;
mod mns;
mod nonce;
mod pages;
mod receipts;
mod response;
mod signed;
mod timestamp;

use pyo3::prelude::*;

/// The Rust side's allocator. A signed request takes ~20 short-lived allocations (core and
/// this layer); mimalloc makes them several times cheaper than glibc's malloc. Only Rust
/// memory uses it: everything handed to Python is copied into Python objects.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn camskit_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::NativeClient>()?;
    m.add_class::<signed::SignedRequest>()?;
    m.add_class::<call::NativeCall>()?;
    m.add_class::<pages::NativePageWalk>()?;
    m.add_class::<credentials::NativePlan>()?;
    m.add_class::<credentials::NativeResolved>()?;
    m.add_class::<credentials::NativeCredentialsCache>()?;
    m.add_class::<receipts::NativeDedupWindow>()?;
    m.add_class::<consumer::NativeConsumer>()?;
    m.add_function(wrap_pyfunction!(receipts::parse_push, m)?)?;
    m.add_function(wrap_pyfunction!(receipts::parse_mns_body, m)?)?;
    m.add_function(wrap_pyfunction!(receipts::statuses, m)?)?;
    m.add_function(wrap_pyfunction!(receipts::status_of, m)?)?;
    m.add_function(wrap_pyfunction!(receipts::status_is_terminal, m)?)?;
    m.add_function(wrap_pyfunction!(receipts::advances, m)?)?;
    m.add_function(wrap_pyfunction!(receipts::message_type_of_queue, m)?)?;
    receipts::add_constants(m)?;
    m.add_function(wrap_pyfunction!(mns::mns_request, m)?)?;
    m.add_function(wrap_pyfunction!(mns::mns_sign, m)?)?;
    m.add_function(wrap_pyfunction!(mns::mns_http_date, m)?)?;
    m.add_function(wrap_pyfunction!(mns::mns_parse, m)?)?;
    m.add_function(wrap_pyfunction!(mns::sign_query_token_for_mns_queue, m)?)?;
    m.add_function(wrap_pyfunction!(call::transport_failures, m)?)?;
    m.add_function(wrap_pyfunction!(pages::items_path, m)?)?;
    m.add_function(wrap_pyfunction!(response::parse_response, m)?)?;
    m.add_function(wrap_pyfunction!(errors::error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::operations, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::operation, m)?)?;
    m.add_function(wrap_pyfunction!(catalog::operation_by_snake, m)?)?;
    m.add_function(wrap_pyfunction!(answers::typed_answers, m)?)?;
    m.add_function(wrap_pyfunction!(nonce::_after_fork_in_child, m)?)?;
    camskit_nonce_pool::watch_forks();
    m.add_function(wrap_pyfunction!(errors::_panic_for_tests, m)?)?;
    m.add("DEFAULT_REGION", camskit::DEFAULT_REGION)?;
    m.add("CAMS_API_VERSION", camskit::CAMS_API_VERSION)?;
    m.add("MAX_RESPONSE_BYTES", camskit::MAX_RESPONSE_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CATALOG_SOURCE", camskit::catalog::SOURCE)?;
    m.add("MAX_PAGES", camskit::MAX_PAGES)?;
    m.add("MAX_FILE_BYTES", camskit::provider::MAX_FILE_BYTES)?;
    m.add("DEFAULT_RETRY_POLICY", call::default_retry_policy())?;
    Ok(())
}

//! `SignatureNonce`: the host's randomness, from camskit-nonce-pool (a fork-safe per-thread pool
//! of the OS's random bytes, shared with bindings-uniffi). What stays here is Python's part: the
//! error a refusal becomes, and the hook `os.register_at_fork` calls.

use camskit_nonce_pool::NONCE_LEN;
use pyo3::prelude::*;

/// The nonce given, or a fresh random UUIDv4 written into `buf`.
pub(crate) fn nonce_or_fresh<'a>(
    given: Option<&'a str>,
    buf: &'a mut [u8; NONCE_LEN],
) -> PyResult<&'a str> {
    match given {
        Some(n) => Ok(n),
        None => camskit_nonce_pool::fresh_nonce(buf).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("no randomness for the nonce: {e}"))
        }),
    }
}

/// Called in a forked child (os.register_at_fork in camskit/__init__.py; the pool's own
/// `pthread_atfork` handler, registered when the module loads, covers every other `fork()`):
/// random bytes read before the fork are never used again.
#[pyfunction]
pub(crate) fn _after_fork_in_child() {
    camskit_nonce_pool::after_fork_in_child();
}

//! `SignatureNonce`: the host's randomness, a fork-safe pool of the OS's random bytes.

use pyo3::prelude::*;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bumped in a forked child (a `pthread_atfork` handler registered when the module loads, so
/// every `fork()` counts — `os.fork`, libc's through ctypes, a C extension's — and
/// os.register_at_fork in camskit/__init__.py): random bytes read before the fork are never
/// used again, so parent and child never share a nonce.
pub(crate) static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

pub(crate) extern "C" fn bump_fork_generation() {
    // Async-signal-safe: one atomic add.
    FORK_GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Registers [`bump_fork_generation`] to run in the child of every `fork()`. This replaces a
/// process-id check per nonce (a `getpid` system call each time: glibc no longer caches it).
pub(crate) fn watch_forks() {
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
pub(crate) static NO_POOL: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

pub(crate) const RANDOM_BUFFER: usize = 4096;

pub(crate) struct RandomPool {
    bytes: [u8; RANDOM_BUFFER],
    used: usize,
    generation: u64,
}

thread_local! {
    static RANDOM: RefCell<RandomPool> = const {
        RefCell::new(RandomPool { bytes: [0; RANDOM_BUFFER], used: RANDOM_BUFFER, generation: 0 })
    };
}

/// The nonce given, or a fresh random UUIDv4 written into `buf`.
pub(crate) fn nonce_or_fresh<'a>(
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
pub(crate) fn fresh_nonce(
    buf: &mut [u8; uuid::fmt::Hyphenated::LENGTH],
) -> Result<&str, getrandom::Error> {
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
pub(crate) fn _after_fork_in_child() {
    FORK_GENERATION.fetch_add(1, Ordering::Relaxed);
}

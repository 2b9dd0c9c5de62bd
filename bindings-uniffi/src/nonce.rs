//! `SignatureNonce`: a random UUIDv4 from a per-thread pool of the OS's random bytes, as the
//! Python binding makes it (bindings-python/src/nonce.rs): one `getrandom` call per 256 nonces
//! instead of one per nonce (`uuid::Uuid::new_v4`), each byte used once and then zeroed.
//! The nonce stays as unpredictable as the OS's randomness it is cut from.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Bumped in the child of every `fork()` (a `pthread_atfork` handler): bytes read before a fork
/// are never used after it, so a parent and its child never share a nonce.
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

/// Set when no fork handler could be registered (or the platform has none): every nonce then
/// reads the OS directly, as `uuid::Uuid::new_v4` does.
static NO_POOL: AtomicBool = AtomicBool::new(false);

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
}

#[cfg(unix)]
extern "C" fn bump_fork_generation() {
    // Async-signal-safe: one atomic add.
    FORK_GENERATION.fetch_add(1, Ordering::Relaxed);
}

fn watch_forks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            // SAFETY: registers a handler that only touches an atomic; no pointer is passed.
            let rc = unsafe { libc::pthread_atfork(None, None, Some(bump_fork_generation)) };
            if rc != 0 {
                NO_POOL.store(true, Ordering::Relaxed);
            }
        }
        #[cfg(not(unix))]
        NO_POOL.store(true, Ordering::Relaxed);
    });
}

/// 16 random bytes: from the pool, or straight from the OS (see [`NO_POOL`]).
fn random16() -> Result<[u8; 16], getrandom::Error> {
    watch_forks();
    let mut b = [0u8; 16];
    if NO_POOL.load(Ordering::Relaxed) {
        getrandom::fill(&mut b)?;
        return Ok(b);
    }
    RANDOM.with(|pool| {
        let mut pool = pool.borrow_mut();
        let generation = FORK_GENERATION.load(Ordering::Relaxed);
        if pool.used + 16 > RANDOM_BUFFER || pool.generation != generation {
            getrandom::fill(&mut pool.bytes)?;
            pool.used = 0;
            pool.generation = generation;
        }
        let at = pool.used;
        b.copy_from_slice(&pool.bytes[at..at + 16]);
        pool.bytes[at..at + 16].fill(0);
        pool.used += 16;
        Ok(b)
    })
}

/// A fresh random UUIDv4, lower-case and hyphenated (what `uuid::Uuid::new_v4().to_string()`
/// gives). Should the OS refuse randomness, `new_v4` decides (it panics: caught by `guard`).
pub(crate) fn fresh_nonce() -> String {
    match random16() {
        Ok(b) => uuid::Builder::from_random_bytes(b)
            .into_uuid()
            .hyphenated()
            .to_string(),
        Err(_) => uuid::Uuid::new_v4().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_v4_uuids_and_differ() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let n = fresh_nonce();
            let u = uuid::Uuid::parse_str(&n).unwrap();
            assert_eq!(u.get_version_num(), 4);
            assert_eq!(n, u.hyphenated().to_string());
            assert!(seen.insert(n), "a nonce repeated");
        }
    }
}

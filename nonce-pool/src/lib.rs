//! `SignatureNonce` for camskit's native hosts (`bindings-python`, `bindings-uniffi`): a random
//! UUIDv4 cut from a per-thread pool of the OS's random bytes. One `getrandom` call per 256 nonces
//! instead of one per nonce (`uuid::Uuid::new_v4`); each byte is used once, then zeroed, so a
//! nonce stays as unpredictable as the OS's randomness it is cut from. The pool is refilled after
//! any `fork()`: a parent and its child never share a nonce.
//!
//! Host code, not core: core does no I/O and takes the nonce as an argument.
// One `unsafe` call in the crate: registering the fork handler (see `watch_forks`).
#![deny(unsafe_code)]

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

pub use getrandom::Error;

/// The length of a nonce: a hyphenated UUID, 36 ASCII bytes.
pub const NONCE_LEN: usize = uuid::fmt::Hyphenated::LENGTH;

/// Bumped in the child of every `fork()` (a `pthread_atfork` handler, see [`watch_forks`], and
/// [`after_fork_in_child`] for a host's own hook): bytes read before a fork are never used after
/// it, so a parent and its child never share a nonce.
static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

/// Set when no fork handler could be registered (or the platform has none): every nonce then
/// reads the OS directly (one `getrandom` call per nonce, as `uuid::Uuid::new_v4` does).
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

/// Tells the pool that this process is a forked child: every thread's pool is refilled before its
/// next nonce. For a host's own fork hook (Python's `os.register_at_fork`); the `pthread_atfork`
/// handler of [`watch_forks`] does the same for every `fork()`. Async-signal-safe: one atomic add.
pub fn after_fork_in_child() {
    FORK_GENERATION.fetch_add(1, Ordering::Relaxed);
}

#[cfg(unix)]
extern "C" fn bump_fork_generation() {
    after_fork_in_child();
}

/// Registers, once per process, a handler that runs in the child of every `fork()` (`os.fork`,
/// libc's through ctypes, a C extension's: every one counts). This replaces a process-id check
/// per nonce (a `getpid` system call each time: glibc no longer caches it). [`fresh_nonce`] calls
/// it; a host may call it early (when its module loads). Where no handler can be registered, the
/// pool is not used.
pub fn watch_forks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        #[cfg(unix)]
        {
            // SAFETY: registers a handler that only touches an atomic; no pointer is passed.
            #[allow(unsafe_code)]
            let rc = unsafe { libc::pthread_atfork(None, None, Some(bump_fork_generation)) };
            if rc != 0 {
                // Without the handler a fork through libc could reuse buffered random bytes:
                // never buffer then.
                NO_POOL.store(true, Ordering::Relaxed);
            }
        }
        #[cfg(not(unix))]
        NO_POOL.store(true, Ordering::Relaxed);
    });
}

/// 16 random bytes: from this thread's pool, or straight from the OS (see [`NO_POOL`]).
fn random16() -> Result<[u8; 16], Error> {
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

/// A fresh random UUIDv4, lower-case and hyphenated (the text `uuid::Uuid::new_v4().to_string()`
/// gives), written into `buf` without allocating. The error is the OS's refusal to give
/// randomness (it names no secret); the host turns it into its own error.
pub fn fresh_nonce(buf: &mut [u8; NONCE_LEN]) -> Result<&str, Error> {
    let b = random16()?;
    Ok(uuid::Builder::from_random_bytes(b)
        .into_uuid()
        .hyphenated()
        .encode_lower(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool_used() -> usize {
        RANDOM.with(|p| p.borrow().used)
    }

    #[test]
    fn nonces_are_v4_uuids_and_differ() {
        let mut seen = std::collections::HashSet::new();
        let mut buf = [0u8; NONCE_LEN];
        // More than one pool's worth (256 nonces per 4 KiB), so refills are crossed too.
        for _ in 0..1000 {
            let n = fresh_nonce(&mut buf).unwrap().to_owned();
            let u = uuid::Uuid::parse_str(&n).unwrap();
            assert_eq!(u.get_version_num(), 4);
            assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
            assert_eq!(n, u.hyphenated().to_string(), "lower-case, hyphenated");
            assert_eq!(n.len(), NONCE_LEN);
            assert!(seen.insert(n), "a nonce repeated");
        }
    }

    #[test]
    fn bytes_are_used_once_then_zeroed() {
        let mut buf = [0u8; NONCE_LEN];
        // Each test runs on a thread of its own: a fresh, empty pool.
        fresh_nonce(&mut buf).unwrap();
        if NO_POOL.load(Ordering::Relaxed) {
            return; // no pool on this platform: nothing is buffered
        }
        let used = pool_used();
        assert_eq!(used % 16, 0);
        RANDOM.with(|p| {
            let p = p.borrow();
            assert!(
                p.bytes[..used].iter().all(|&x| x == 0),
                "handed-out bytes are zeroed"
            );
            assert!(
                p.bytes[used..].iter().any(|&x| x != 0),
                "the rest is random"
            );
        });
    }

    #[test]
    fn a_new_fork_generation_refills_the_pool() {
        let mut buf = [0u8; NONCE_LEN];
        fresh_nonce(&mut buf).unwrap();
        fresh_nonce(&mut buf).unwrap();
        if NO_POOL.load(Ordering::Relaxed) {
            return;
        }
        let before = pool_used();
        assert!(before >= 32, "two nonces from the pool: {before}");
        after_fork_in_child();
        fresh_nonce(&mut buf).unwrap();
        // Refilled, then one nonce taken: nothing read before the "fork" is used after it.
        assert_eq!(pool_used(), 16);
    }
}

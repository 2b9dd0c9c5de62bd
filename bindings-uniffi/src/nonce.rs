//! `SignatureNonce`: a random UUIDv4 from camskit-nonce-pool (a fork-safe per-thread pool of the
//! OS's random bytes, shared with bindings-python): one `getrandom` call per 256 nonces instead
//! of one per nonce (`uuid::Uuid::new_v4`), each byte used once and then zeroed.

/// A fresh random UUIDv4, lower-case and hyphenated (what `uuid::Uuid::new_v4().to_string()`
/// gives). Should the OS refuse randomness, `new_v4` decides (it panics: caught by `guard`).
pub(crate) fn fresh_nonce() -> String {
    let mut buf = [0u8; camskit_nonce_pool::NONCE_LEN];
    match camskit_nonce_pool::fresh_nonce(&mut buf) {
        Ok(n) => n.to_owned(),
        Err(_) => uuid::Uuid::new_v4().to_string(),
    }
}

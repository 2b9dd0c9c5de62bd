//! The credentials a client keeps between calls, and the one rule for refreshing them.
//!
//! Every host used to write this rule itself (Kotlin, Python, JS); it is written here once. A
//! cache is a sans-I/O value: given the time, [`CredentialsCache::next`] says *sign with these*,
//! *walk this refresh plan* or *resolve the chain first*; the host walks the [`Plan`] with its
//! files and HTTP and reports the outcome: [`CredentialsCache::refreshed`], or
//! [`CredentialsCache::refresh_failed`], which keeps a still-valid key (with one warning for
//! the host's log), or fails once the key has expired.
//!
//! ```
//! use camskit::provider::{CacheStep, CredentialsCache, ResolvedCredentials};
//! use camskit::{Credentials, Error};
//!
//! let mut cache = CredentialsCache::new();
//! assert!(matches!(cache.next(1_000, "nonce-1"), CacheStep::Resolve));
//! // The host walks `Plan::new(...)` and hands over what it resolved:
//! cache.refreshed(ResolvedCredentials::fixed(Credentials::new("LTAI5tExample", "secret")?, "explicit"));
//! match cache.next(2_000, "nonce-2") {
//!     CacheStep::Ready(r) => assert_eq!(r.credentials.access_key_id(), "LTAI5tExample"),
//!     _ => unreachable!("a fixed key never needs a refresh"),
//! }
//! // Told that a resolve failed while nothing usable is cached, the cache gives the error back.
//! let mut empty = CredentialsCache::new();
//! let none = Error::Credentials { problem: "no source".into() };
//! assert!(empty.refresh_failed(3_000, none).is_err());
//! # Ok::<(), camskit::Error>(())
//! ```

use super::{Plan, ResolvedCredentials};
use crate::error::Error;
use crate::timestamp::format_timestamp;

/// What the host does before signing.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // made once per call; a binding translates it at once
pub enum CacheStep {
    /// Sign with these: cached and not yet stale.
    Ready(ResolvedCredentials),
    /// The cached credentials are stale (15 minutes before they expire): walk this plan, which
    /// fetches them again from the same source, then report
    /// [`refreshed`](CredentialsCache::refreshed) or
    /// [`refresh_failed`](CredentialsCache::refresh_failed).
    Refresh(Plan),
    /// Nothing is cached yet: walk the default chain ([`Plan::new`] with the host's
    /// environment and home), then report as for [`Refresh`](Self::Refresh).
    Resolve,
}

/// Credentials kept after a failed refresh.
#[derive(Clone, Debug)]
pub struct Kept {
    /// The cached credentials, still valid: sign with them.
    pub credentials: ResolvedCredentials,
    /// For the host's log, the first time only (never a secret): which source failed, why,
    /// which key stays in use and until when. `None` when it was already said.
    pub warning: Option<String>,
}

/// A client's credentials between calls. See the [module](self) docs.
#[derive(Debug, Default, Clone)]
pub struct CredentialsCache {
    current: Option<ResolvedCredentials>,
    /// A failed refresh was reported since the last success.
    warned: bool,
}

impl CredentialsCache {
    /// An empty cache: the first [`next`](Self::next) asks for the chain to be resolved.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache holding credentials already resolved.
    pub fn with(resolved: ResolvedCredentials) -> Self {
        Self {
            current: Some(resolved),
            warned: false,
        }
    }

    /// The credentials held now, if any (stale or not).
    pub fn current(&self) -> Option<&ResolvedCredentials> {
        self.current.as_ref()
    }

    /// What to do before signing at `now` (unix seconds). `nonce` is fresh and unique (a
    /// UUID): the refresh plan's `SignatureNonce` when it assumes a role.
    pub fn next(&self, now: i64, nonce: &str) -> CacheStep {
        match &self.current {
            None => CacheStep::Resolve,
            Some(r) if !r.needs_refresh(now) => CacheStep::Ready(r.clone()),
            Some(r) => match r.refresh(now, nonce) {
                Some(plan) => CacheStep::Refresh(plan),
                // Temporary credentials given without a source to fetch them from: only the
                // chain can give others.
                None => CacheStep::Resolve,
            },
        }
    }

    /// The plan of a [`CacheStep::Refresh`] or [`CacheStep::Resolve`] gave `fresh`: it is kept
    /// and used from now on.
    pub fn refreshed(&mut self, fresh: ResolvedCredentials) {
        self.current = Some(fresh);
        self.warned = false;
    }

    /// The plan failed with `error` at `now` (unix seconds). The official clients' rule:
    /// while the cached key has not expired it stays in use ([`Kept`], with a warning the
    /// first time); once expired, or with nothing cached, the error is the answer.
    ///
    /// # Errors
    /// `error` itself, when nothing valid is cached.
    pub fn refresh_failed(&mut self, now: i64, error: Error) -> Result<Kept, Error> {
        let Some(old) = self
            .current
            .as_ref()
            .filter(|r| r.expiration.is_some_and(|x| now < x))
        else {
            return Err(error);
        };
        let warning = (!self.warned).then(|| {
            let until = old
                .expiration
                .and_then(|x| format_timestamp(x).ok())
                .unwrap_or_default();
            format!(
                "refreshing the credentials from {} failed ({error}); the current key {} stays in use until it expires at {until}",
                old.source,
                old.credentials.access_key_id()
            )
        });
        self.warned = true;
        Ok(Kept {
            credentials: old.clone(),
            warning,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    fn temporary(expiration: i64) -> ResolvedCredentials {
        let mut r = ResolvedCredentials::fixed(
            Credentials::new("STS.id", "s3cr3t")
                .unwrap()
                .with_security_token("tok3n")
                .unwrap(),
            "credentials_uri",
        );
        r.expiration = Some(expiration);
        r
    }

    #[test]
    fn empty_asks_to_resolve_and_fixed_keys_stay_ready() {
        let mut cache = CredentialsCache::new();
        assert!(matches!(cache.next(0, "n"), CacheStep::Resolve));
        cache.refreshed(ResolvedCredentials::fixed(
            Credentials::new("LTAI5t", "s").unwrap(),
            "explicit",
        ));
        for now in [0, 1 << 40] {
            assert!(matches!(cache.next(now, "n"), CacheStep::Ready(_)));
        }
    }

    #[test]
    fn stale_temporary_credentials_without_a_route_are_resolved_again() {
        let cache = CredentialsCache::with(temporary(10_000));
        assert!(matches!(cache.next(10_000 - 901, "n"), CacheStep::Ready(_)));
        // From 15 minutes before the expiry: stale.
        assert!(matches!(cache.next(10_000 - 900, "n"), CacheStep::Resolve));
    }

    #[test]
    fn a_failed_refresh_keeps_a_valid_key_warns_once_then_fails_when_expired() {
        let mut cache = CredentialsCache::with(temporary(10_000));
        let boom = || Error::credentials("credentials-uri: timed out");
        let kept = cache.refresh_failed(9_500, boom()).unwrap();
        assert_eq!(kept.credentials.credentials.access_key_id(), "STS.id");
        let w = kept.warning.expect("the first failure is reported");
        assert!(
            w.contains("credentials_uri") && w.contains("timed out"),
            "{w}"
        );
        assert!(
            w.contains("STS.id") && w.contains("1970-01-01T02:46:40Z"),
            "{w}"
        );
        assert!(!w.contains("s3cr3t") && !w.contains("tok3n"), "{w}");
        // The second failure keeps the key silently.
        let again = cache.refresh_failed(9_600, boom()).unwrap();
        assert!(again.warning.is_none());
        // Expired: the error itself.
        let e = cache.refresh_failed(10_000, boom()).unwrap_err();
        assert_eq!(e, boom());
        // A success re-arms the warning.
        cache.refreshed(temporary(20_000));
        let w = cache.refresh_failed(19_500, boom()).unwrap().warning;
        assert!(w.is_some());
    }

    #[test]
    fn nothing_cached_means_the_error() {
        let mut cache = CredentialsCache::new();
        let e = cache
            .refresh_failed(0, Error::credentials("no source"))
            .unwrap_err();
        assert!(e.to_string().contains("no source"));
    }
}

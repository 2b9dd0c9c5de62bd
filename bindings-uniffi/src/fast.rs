//! `signRequest`: one signed request for the fewest FFI crossings uniffi's generated code allows.
//!
//! A method on `CamsClient` costs Kotlin (JNA) six native calls: a clone of the object handle
//! (uniffi clones the `Arc` for every method call), one `rustbuffer_alloc` per argument that is
//! not a number (action, params, options: three), the method itself, and a free of the returned
//! buffer; each of them also allocates a JNA call-status `Structure`. A free function with one
//! record argument and one record result makes three: allocate the argument's buffer, the call,
//! free the result's buffer. Everything the call needs therefore travels in that one record —
//! the key as well, since an object inside the record would be cloned again while lowering it.
//!
//! The secret and the security token are bytes (Kotlin `ByteArray`, Swift `Data`) rather than
//! text, so that the generated data class's `toString()` (Swift: `description`) shows an
//! array's identity (Swift: a byte count), never the secret.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;

use camskit::{Endpoint, Signer};
use zeroize::Zeroize;

use crate::client::sign_core;
use crate::convert::sorted_pairs;
use crate::{CamsError, ParamValue, SignOptions, SignedRequest, guard};

/// An access key for [`sign_request`]: the secret and token as UTF-8 bytes
/// (`"…".toByteArray()`), so that printing the record never shows them.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct AccessKey {
    /// The access key id (not a secret).
    pub access_key_id: String,
    /// The access key secret, UTF-8.
    pub access_key_secret: Vec<u8>,
    /// The STS security token, UTF-8; absent or empty: none.
    #[uniffi(default = None)]
    pub security_token: Option<Vec<u8>>,
}

impl fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessKey")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl AccessKey {
    fn into_core(self) -> Result<camskit::Credentials, CamsError> {
        fn text(bytes: Vec<u8>, what: &str) -> Result<String, CamsError> {
            String::from_utf8(bytes).map_err(|_| CamsError::Credentials {
                error_message: format!("the {what} is not UTF-8"),
            })
        }
        let mut credentials = camskit::Credentials::new(
            self.access_key_id,
            text(self.access_key_secret, "access key secret")?,
        )?;
        if let Some(token) = self.security_token.filter(|t| !t.is_empty()) {
            credentials = credentials.with_security_token(text(token, "security token")?)?;
        }
        Ok(credentials)
    }
}

/// Everything one signing call needs, in one record: the key, the endpoint (as `CamsClient`
/// takes it: `region` and/or `endpoint`, neither: `ap-southeast-1`), the operation, its
/// parameters and the options — the same meaning as `CamsClient(...).sign(action, params, options)`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SignRequest {
    /// The key to sign with.
    pub key: AccessKey,
    /// The operation (`ChatappMigrationRegister`), checked against the catalog unless `options.raw`.
    pub action: String,
    /// The parameters, as for `CamsClient.sign`.
    #[uniffi(default)]
    pub params: HashMap<String, ParamValue>,
    /// How to sign; absent: 1.0, now, a fresh nonce.
    #[uniffi(default = None)]
    pub options: Option<SignOptions>,
    /// The region, as for `CamsClient`.
    #[uniffi(default = None)]
    pub region: Option<String>,
    /// The endpoint, as for `CamsClient`.
    #[uniffi(default = None)]
    pub endpoint: Option<String>,
}

/// Signs one request with three FFI crossings instead of a client method's six (see the
/// module's documentation): the same result as `CamsClient(key, region, endpoint).sign(action,
/// params, options)`, and the same exceptions. The key and the endpoint are checked when they
/// differ from the thread's previous call (see below); for credentials from a provider chain,
/// clock-skew recovery and retries use `CamsClient`.
///
/// Each thread keeps the signer of its last call (see [`LastSigner`]): a call with the same
/// key and endpoint reuses it — its checks passed and its HMAC states are keyed — instead of
/// checking the key, resolving the endpoint and keying HMAC-SHA1/SHA-256 again.
#[uniffi::export]
pub fn sign_request(request: SignRequest) -> Result<SignedRequest, CamsError> {
    guard(|| {
        let (signed, timestamp, nonce) = sign_request_core(request)?;
        Ok(SignedRequest::from_core(signed, timestamp, nonce))
    })
}

/// [`sign_request`] up to core's answer, before the uniffi record is built.
pub(crate) fn sign_request_core(
    request: SignRequest,
) -> Result<(camskit::SignedRequest, camskit::Timestamp, String), CamsError> {
    let SignRequest {
        key,
        action,
        params,
        options,
        region,
        endpoint,
    } = request;
    let mut params: Vec<(String, ParamValue)> = params.into_iter().collect();
    params.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sign_parts(SignParts {
        key,
        action,
        params,
        options,
        region,
        endpoint,
    })
}

/// A [`SignRequest`] with its parameters as pairs in name order, each name once (as a map's
/// sorted entries): what the JNI path decodes its frames into (no hash map to build).
pub(crate) struct SignParts {
    pub(crate) key: AccessKey,
    pub(crate) action: String,
    pub(crate) params: Vec<(String, ParamValue)>,
    pub(crate) options: Option<SignOptions>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
}

/// [`sign_request_core`] of a request's parts (the JNI path encodes its frames from this
/// directly: some thirty allocations less than the uniffi record).
pub(crate) fn sign_parts(
    parts: SignParts,
) -> Result<(camskit::SignedRequest, camskit::Timestamp, String), CamsError> {
    {
        let SignParts {
            mut key,
            action,
            params,
            options,
            region,
            endpoint,
        } = parts;
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            let reuse = last
                .as_ref()
                .is_some_and(|l| l.serves(&key, region.as_deref(), endpoint.as_deref()));
            if reuse {
                // The record's copies of the secret and token are not needed: wiped now.
                key.access_key_secret.zeroize();
                if let Some(token) = key.security_token.as_mut() {
                    token.zeroize();
                }
            } else {
                // The same checks, in the same order, as without the cache.
                let resolved = Endpoint::resolve(region.as_deref(), endpoint.as_deref())?;
                // The old signer (and its secret) is dropped, wiped, before the new is made.
                *last = None;
                *last = Some(LastSigner {
                    signer: Signer::new(key.into_core()?, resolved),
                    region,
                    endpoint,
                });
            }
            let signer = &last.as_ref().expect("set above").signer;
            sign_core(
                signer,
                action,
                sorted_pairs(params)?,
                options.unwrap_or_default(),
            )
        })
    }
}

/// The signer of a thread's last [`sign_request`], with the endpoint arguments it was made
/// from. Its credentials keep the secret until the thread ends or signs with another key or
/// endpoint; they are wiped then (core's `Credentials` zeroize on drop). No `Debug`: nothing of
/// it is ever printed.
struct LastSigner {
    signer: Signer,
    region: Option<String>,
    endpoint: Option<String>,
}

impl LastSigner {
    /// Made from this key (id, secret and token compared in constant time by core) and these
    /// endpoint arguments.
    fn serves(&self, key: &AccessKey, region: Option<&str>, endpoint: Option<&str>) -> bool {
        self.region.as_deref() == region
            && self.endpoint.as_deref() == endpoint
            && self.signer.credentials().is_key(
                &key.access_key_id,
                &key.access_key_secret,
                key.security_token.as_deref(),
            )
    }
}

thread_local! {
    /// See [`LastSigner`]. One per thread: no lock, and a key never crosses threads.
    static LAST: RefCell<Option<LastSigner>> = const { RefCell::new(None) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CamsClient, Credentials, SignTime};

    fn key() -> AccessKey {
        AccessKey {
            access_key_id: "LTAI5tCamsKitBench01".into(),
            access_key_secret: b"BenchSecret0123456789abcdefABCD".to_vec(),
            security_token: None,
        }
    }

    #[test]
    fn same_request_as_the_client() {
        let params: HashMap<String, ParamValue> = [
            ("CustSpaceId", "29348393884"),
            ("PhoneNumber", "8613800001234"),
        ]
        .into_iter()
        .map(|(k, v)| {
            (
                k.to_owned(),
                ParamValue::Text {
                    value: v.to_owned(),
                },
            )
        })
        .collect();
        for signature in [None, Some(crate::SignatureVersion::V3)] {
            let options = SignOptions {
                signature,
                timestamp: Some(SignTime::Unix {
                    seconds: 1_752_480_000.0,
                }),
                nonce: Some("6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21".into()),
                ..SignOptions::default()
            };
            let client = CamsClient::new(
                Credentials::new(
                    "LTAI5tCamsKitBench01".into(),
                    "BenchSecret0123456789abcdefABCD".into(),
                    None,
                )
                .unwrap(),
                None,
                None,
            )
            .unwrap();
            let by_client = client
                .chatapp_migration_register(
                    "29348393884".into(),
                    "8613800001234".into(),
                    Some(options.clone()),
                )
                .unwrap();
            let fast = sign_request(SignRequest {
                key: key(),
                action: "ChatappMigrationRegister".into(),
                params: params.clone(),
                options: Some(options),
                region: None,
                endpoint: None,
            })
            .unwrap();
            assert_eq!(fast, by_client);
        }
    }

    #[test]
    fn bad_key_and_no_secret_in_debug() {
        let mut bad = key();
        bad.access_key_secret = vec![0xff, 0xfe];
        let err = sign_request(SignRequest {
            key: bad,
            action: "ChatappMigrationRegister".into(),
            params: HashMap::new(),
            options: None,
            region: None,
            endpoint: None,
        })
        .unwrap_err();
        assert!(matches!(err, CamsError::Credentials { .. }), "{err:?}");
        let shown = format!("{:?}", key());
        assert!(!shown.contains("BenchSecret"), "{shown}");
    }
}

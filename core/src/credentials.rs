//! Access keys.

use std::fmt;
use std::sync::OnceLock;

use hmac::{Hmac, KeyInit};
use sha1::Sha1;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::Error;

/// An Alibaba Cloud access key pair, with an optional STS security token.
///
/// The secret and the token are wiped from memory when the value is dropped and never appear
/// in `Debug` output or in any error message.
///
/// ```
/// let creds = camskit::Credentials::new("LTAI5tExample", "secret")?
///     .with_security_token("sts-token")?;
/// let shown = format!("{creds:?}");
/// assert!(shown.contains("LTAI5tExample"));
/// assert!(!shown.contains("secret\"") && !shown.contains("sts-token"));
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
    security_token: Option<Zeroizing<String>>,
    /// The HMAC states keyed with the secret, made on first use and cloned per signature
    /// (two SHA-1 or SHA-256 blocks less for every request); wiped when dropped like the
    /// secret (the `zeroize` feature of `hmac`, `sha1`, `sha2`).
    keyed: KeyedMacs,
    /// The id holds only unreserved bytes (Alibaba's ids do): signing copies it unscanned.
    id_clean: bool,
}

#[derive(Clone, Default)]
struct KeyedMacs {
    // Boxed: the states are a few hundred bytes, and credentials travel by value.
    v1: OnceLock<Box<Hmac<Sha1>>>,
    v3: OnceLock<Box<Hmac<Sha256>>>,
}

impl Credentials {
    /// Creates credentials from an access key id and secret.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the id is empty or holds whitespace or control characters,
    /// or when the secret is empty or holds control characters.
    pub fn new(
        access_key_id: impl Into<String>,
        access_key_secret: impl Into<String>,
    ) -> Result<Self, Error> {
        let access_key_id = access_key_id.into();
        let access_key_secret = Zeroizing::new(access_key_secret.into());
        check_id(&access_key_id)?;
        check_secret(&access_key_secret)?;
        Ok(Self {
            access_key_secret,
            security_token: None,
            keyed: KeyedMacs::default(),
            id_clean: access_key_id.bytes().all(crate::encode::is_unreserved),
            access_key_id,
        })
    }

    /// Adds an STS security token. An empty token means "no token", as in Alibaba's SDKs.
    ///
    /// # Errors
    /// [`Error::Credentials`] when the token holds whitespace or control characters.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Result<Self, Error> {
        let token = Zeroizing::new(token.into());
        if token.is_empty() {
            self.security_token = None;
            return Ok(self);
        }
        check_token(&token)?;
        self.security_token = Some(token);
        Ok(self)
    }

    /// The access key id (not a secret: it is sent with every request).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The STS security token, if any.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref().map(String::as_str)
    }

    /// Whether these credentials are this id, secret and token (`None` or empty: no token):
    /// what a host that receives the key with every call checks before reusing credentials
    /// whose HMAC states are already keyed. The secret and the token are compared in constant
    /// time (their lengths are not hidden).
    ///
    /// ```
    /// let creds = camskit::Credentials::new("id", "secret")?;
    /// assert!(creds.is_key("id", b"secret", None));
    /// assert!(creds.is_key("id", b"secret", Some(b"")));
    /// assert!(!creds.is_key("id", b"secreT", None));
    /// assert!(!creds.is_key("id", b"secret", Some(b"t")));
    /// # Ok::<(), camskit::Error>(())
    /// ```
    pub fn is_key(&self, access_key_id: &str, secret: &[u8], token: Option<&[u8]>) -> bool {
        fn same(a: &[u8], b: &[u8]) -> bool {
            a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
        }
        let mine = self.security_token().map_or(&[][..], str::as_bytes);
        let same_secret = same(self.access_key_secret.as_bytes(), secret);
        let same_token = same(mine, token.unwrap_or_default());
        self.access_key_id == access_key_id && same_secret & same_token
    }

    /// The access key id holds only unreserved bytes.
    pub(crate) fn id_is_clean(&self) -> bool {
        self.id_clean
    }

    pub(crate) fn secret(&self) -> &str {
        &self.access_key_secret
    }

    /// HMAC-SHA1 keyed with `secret + "&"` (signature 1.0), ready for the string to sign.
    pub(crate) fn v1_mac(&self) -> Hmac<Sha1> {
        self.keyed
            .v1
            .get_or_init(|| {
                let mut key = Zeroizing::new(Vec::with_capacity(self.access_key_secret.len() + 1));
                key.extend_from_slice(self.access_key_secret.as_bytes());
                key.push(b'&');
                Box::new(Hmac::new_from_slice(&key).expect("HMAC accepts keys of any length"))
            })
            .as_ref()
            .clone()
    }

    /// HMAC-SHA256 keyed with the secret (ACS3-HMAC-SHA256), ready for the string to sign.
    pub(crate) fn v3_mac(&self) -> Hmac<Sha256> {
        self.keyed
            .v3
            .get_or_init(|| {
                Box::new(
                    Hmac::new_from_slice(self.access_key_secret.as_bytes())
                        .expect("HMAC accepts keys of any length"),
                )
            })
            .as_ref()
            .clone()
    }
}

/// The environment variables [`Credentials::from_env`] reads, each list in order of
/// precedence: Alibaba's official name first (what `alibabacloud-credentials` reads), then
/// the aliases the `aliyun` command line accepts.
pub const ENV_ACCESS_KEY_ID: [&str; 3] = [
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABACLOUD_ACCESS_KEY_ID",
    "ALICLOUD_ACCESS_KEY_ID",
];
/// See [`ENV_ACCESS_KEY_ID`].
pub const ENV_ACCESS_KEY_SECRET: [&str; 3] = [
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABACLOUD_ACCESS_KEY_SECRET",
    "ALICLOUD_ACCESS_KEY_SECRET",
];
/// See [`ENV_ACCESS_KEY_ID`].
pub const ENV_SECURITY_TOKEN: [&str; 3] = [
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABACLOUD_SECURITY_TOKEN",
    "ALICLOUD_SECURITY_TOKEN",
];

/// One environment variable as a host reads it.
#[derive(Clone, PartialEq, Eq)]
pub enum EnvValue {
    /// Set, as text.
    Text(String),
    /// Set, but not valid Unicode (the host could not decode it).
    NotUnicode,
}

impl From<String> for EnvValue {
    fn from(s: String) -> Self {
        EnvValue::Text(s)
    }
}

/// Credentials found in the environment, and the variables they came from.
#[derive(Clone, Debug)]
pub struct EnvCredentials {
    /// The credentials.
    pub credentials: Credentials,
    /// The variable the access key id came from.
    pub id_variable: &'static str,
    /// The variable the secret came from.
    pub secret_variable: &'static str,
    /// The variable the security token came from, if any.
    pub token_variable: Option<&'static str>,
}

impl Credentials {
    /// Reads credentials from the environment through `lookup` (the host's own: `std::env`,
    /// `os.environ`, `process.env`, `System.getenv`). Each of the id, secret and token is the
    /// first variable of [`ENV_ACCESS_KEY_ID`], [`ENV_ACCESS_KEY_SECRET`] and
    /// [`ENV_SECURITY_TOKEN`] that is set and not empty.
    ///
    /// ```
    /// use camskit::{Credentials, EnvValue};
    /// let env = |name: &str| match name {
    ///     "ALIBABA_CLOUD_ACCESS_KEY_ID" => Some(EnvValue::Text("LTAI5tExample".into())),
    ///     "ALICLOUD_ACCESS_KEY_SECRET" => Some(EnvValue::Text("secret".into())),
    ///     _ => None,
    /// };
    /// let found = Credentials::from_env(env)?.expect("set");
    /// assert_eq!(found.credentials.access_key_id(), "LTAI5tExample");
    /// assert_eq!(found.secret_variable, "ALICLOUD_ACCESS_KEY_SECRET");
    /// assert!(Credentials::from_env(|_| None)?.is_none());
    /// # Ok::<(), camskit::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Credentials`] naming the variable when only one of the id and the secret is
    /// set, when a variable is not valid Unicode, or when a value is unusable (see
    /// [`new`](Self::new)). `Ok(None)` when neither is set.
    pub fn from_env(
        lookup: impl Fn(&str) -> Option<EnvValue>,
    ) -> Result<Option<EnvCredentials>, Error> {
        let first = |names: &'static [&'static str]| -> Result<Option<(&'static str, Zeroizing<String>)>, Error> {
            for &name in names {
                match lookup(name) {
                    None => {}
                    Some(EnvValue::NotUnicode) => {
                        return Err(Error::credentials(format!(
                            "the environment variable {name} is set but is not valid Unicode text"
                        )));
                    }
                    Some(EnvValue::Text(t)) if t.is_empty() => {}
                    Some(EnvValue::Text(t)) => return Ok(Some((name, Zeroizing::new(t)))),
                }
            }
            Ok(None)
        };
        let id = first(&ENV_ACCESS_KEY_ID)?;
        let secret = first(&ENV_ACCESS_KEY_SECRET)?;
        let token = first(&ENV_SECURITY_TOKEN)?;
        let (id, secret) = match (id, secret) {
            (None, None) => {
                return match token {
                    None => Ok(None),
                    Some((name, _)) => Err(Error::credentials(format!(
                        "{name} is set but {} and {} are not",
                        ENV_ACCESS_KEY_ID[0], ENV_ACCESS_KEY_SECRET[0]
                    ))),
                };
            }
            (Some((name, _)), None) => {
                return Err(Error::credentials(format!(
                    "{name} is set but {} (the access key secret) is not",
                    ENV_ACCESS_KEY_SECRET[0]
                )));
            }
            (None, Some((name, _))) => {
                return Err(Error::credentials(format!(
                    "{name} is set but {} (the access key id) is not",
                    ENV_ACCESS_KEY_ID[0]
                )));
            }
            (Some(id), Some(secret)) => (id, secret),
        };
        let in_var = |name: &str, e: Error| match e {
            Error::Credentials { problem } => Error::credentials(format!("{name}: {problem}")),
            other => other,
        };
        // Each value checked on its own, so the error names the variable that holds it.
        check_id(&id.1).map_err(|e| in_var(id.0, e))?;
        check_secret(&secret.1).map_err(|e| in_var(secret.0, e))?;
        let mut credentials = Credentials::new(id.1.as_str(), secret.1.as_str())?;
        if let Some((name, t)) = &token {
            credentials = credentials
                .with_security_token(t.as_str())
                .map_err(|e| in_var(name, e))?;
        }
        Ok(Some(EnvCredentials {
            credentials,
            id_variable: id.0,
            secret_variable: secret.0,
            token_variable: token.map(|(n, _)| n),
        }))
    }
}

/// The access key id's rule: not empty, no whitespace or control characters.
fn check_id(id: &str) -> Result<(), Error> {
    if id.is_empty() {
        return Err(Error::credentials("the access key id is empty"));
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::credentials(
            "the access key id holds whitespace or control characters",
        ));
    }
    Ok(())
}

/// The secret's rule: not empty, no control characters.
fn check_secret(secret: &str) -> Result<(), Error> {
    if secret.is_empty() {
        return Err(Error::credentials("the access key secret is empty"));
    }
    if secret.chars().any(char::is_control) {
        return Err(Error::credentials(
            "the access key secret holds control characters",
        ));
    }
    Ok(())
}

/// The security token's rule: no whitespace or control characters.
fn check_token(token: &str) -> Result<(), Error> {
    if token.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::credentials(
            "the security token holds whitespace or control characters",
        ));
    }
    Ok(())
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secret_and_token() {
        let c = Credentials::new("AKID", "TopSecret42")
            .unwrap()
            .with_security_token("TokenXYZ")
            .unwrap();
        let s = format!("{c:?} {c:#?}");
        assert!(s.contains("AKID"));
        assert!(!s.contains("TopSecret42"));
        assert!(!s.contains("TokenXYZ"));
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(Credentials::new("", "s").is_err());
        assert!(Credentials::new("a b", "s").is_err());
        assert!(Credentials::new("a", "").is_err());
        assert!(Credentials::new("a", "x\ny").is_err());
        let err = Credentials::new("a", "s")
            .unwrap()
            .with_security_token("t\u{0}")
            .unwrap_err();
        assert!(err.to_string().contains("security token"));
    }

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<EnvValue> {
        move |name| {
            vars.iter().find(|(n, _)| *n == name).map(|(_, v)| {
                if *v == "\u{FFFD}" {
                    EnvValue::NotUnicode
                } else {
                    EnvValue::Text((*v).to_owned())
                }
            })
        }
    }

    #[test]
    fn environment() {
        let found = Credentials::from_env(env(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id1"),
            ("ALICLOUD_ACCESS_KEY_ID", "id2"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s1"),
            ("ALIBABA_CLOUD_SECURITY_TOKEN", ""),
            ("ALICLOUD_SECURITY_TOKEN", "tok"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(found.credentials.access_key_id(), "id1");
        assert_eq!(found.token_variable, Some("ALICLOUD_SECURITY_TOKEN"));
        assert_eq!(found.credentials.security_token(), Some("tok"));
        assert!(
            Credentials::from_env(env(&[("ALIBABA_CLOUD_ACCESS_KEY_ID", "")]))
                .unwrap()
                .is_none()
        );
        for (vars, needle) in [
            (
                &[("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")][..],
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET (the access key secret) is not",
            ),
            (
                &[("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "CanarySecret")][..],
                "ALIBABA_CLOUD_ACCESS_KEY_ID (the access key id) is not",
            ),
            (
                &[("ALIBABA_CLOUD_SECURITY_TOKEN", "t")][..],
                "ALIBABA_CLOUD_SECURITY_TOKEN is set",
            ),
            (
                &[
                    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
                    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "\u{FFFD}"),
                ][..],
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but is not valid Unicode",
            ),
            (
                &[
                    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "a b"),
                    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "CanarySecret"),
                ][..],
                "ALIBABA_CLOUD_ACCESS_KEY_ID: ",
            ),
            (
                &[
                    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "id"),
                    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "Canary\nSecret"),
                ][..],
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET: ",
            ),
        ] {
            let leaked: &'static [(&'static str, &'static str)] =
                Box::leak(vars.to_vec().into_boxed_slice());
            let err = Credentials::from_env(env(leaked)).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
            assert!(!err.contains("Canary"), "{err}");
        }
    }

    #[test]
    fn empty_token_is_no_token() {
        let c = Credentials::new("a", "s")
            .unwrap()
            .with_security_token("")
            .unwrap();
        assert_eq!(c.security_token(), None);
    }
}

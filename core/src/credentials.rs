//! Access keys.

use std::fmt;

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
        if access_key_id.is_empty() {
            return Err(Error::credentials("the access key id is empty"));
        }
        if access_key_id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::credentials(
                "the access key id holds whitespace or control characters",
            ));
        }
        if access_key_secret.is_empty() {
            return Err(Error::credentials("the access key secret is empty"));
        }
        if access_key_secret.chars().any(char::is_control) {
            return Err(Error::credentials(
                "the access key secret holds control characters",
            ));
        }
        Ok(Self {
            access_key_id,
            access_key_secret,
            security_token: None,
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
        if token.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(Error::credentials(
                "the security token holds whitespace or control characters",
            ));
        }
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

    pub(crate) fn secret(&self) -> &str {
        &self.access_key_secret
    }
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

    #[test]
    fn empty_token_is_no_token() {
        let c = Credentials::new("a", "s")
            .unwrap()
            .with_security_token("")
            .unwrap();
        assert_eq!(c.security_token(), None);
    }
}

//! An explicit key ([`Credentials`], core's [`camskit::Credentials`]) and the environment's
//! (core's `Credentials::from_env`). The default chain is in `chain.rs`.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use camskit::EnvValue;

use crate::{CamsError, guard};

/// An Alibaba Cloud access key pair, with an optional STS security token.
///
/// An object rather than a record so that `toString()` / `description` never shows the secret.
#[derive(uniffi::Object)]
#[uniffi::export(Display)]
pub struct Credentials {
    pub(crate) inner: camskit::Credentials,
}

#[uniffi::export]
impl Credentials {
    /// Checks and keeps the key. An empty or absent `security_token` means none.
    ///
    /// Throws `CamsException.Credentials` when the id or secret is empty or holds control characters.
    #[uniffi::constructor(default(security_token = None))]
    pub fn new(
        access_key_id: String,
        access_key_secret: String,
        security_token: Option<String>,
    ) -> Result<Arc<Self>, CamsError> {
        guard(|| {
            let mut inner = camskit::Credentials::new(access_key_id, access_key_secret)?;
            if let Some(token) = security_token {
                inner = inner.with_security_token(token)?;
            }
            Ok(Arc::new(Credentials { inner }))
        })
    }

    /// The access key id (not a secret).
    pub fn access_key_id(&self) -> String {
        self.inner.access_key_id().to_owned()
    }

    /// Whether an STS security token is set.
    pub fn has_security_token(&self) -> bool {
        self.inner.security_token().is_some()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Credentials(accessKeyId={}, accessKeySecret=<redacted>{})",
            self.inner.access_key_id(),
            if self.inner.security_token().is_some() {
                ", securityToken=<redacted>"
            } else {
                ""
            }
        )
    }
}

/// Credentials from an environment map (Kotlin `System.getenv()`, Swift
/// `ProcessInfo.processInfo.environment`), read by core's rule (`camskit::Credentials::from_env`):
/// `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then the aliases
/// of the `aliyun` command line; empty means unset. `null` when none is set; throws
/// `CamsException.Credentials` naming the variable when only half is set or a value is unusable.
#[uniffi::export]
pub fn credentials_from_env(
    env: HashMap<String, String>,
) -> Result<Option<Arc<Credentials>>, CamsError> {
    guard(|| {
        let found =
            camskit::Credentials::from_env(|name| env.get(name).cloned().map(EnvValue::Text))?;
        Ok(found.map(|f| {
            Arc::new(Credentials {
                inner: f.credentials,
            })
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_show_the_secret() {
        let c = Credentials::new("id".into(), "s3cr3t".into(), Some("tok3n".into())).unwrap();
        let shown = c.to_string();
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("tok3n"),
            "{shown}"
        );
    }
}

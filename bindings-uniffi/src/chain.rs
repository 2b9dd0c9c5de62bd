//! Credentials: explicit, or core's default chain ([`camskit::provider::Plan`]) walked with
//! the app's file reads and HTTP transport, kept in core's [`CredentialsCache`].
//!
//! The order of the sources, the files' formats, the STS requests and their signatures, the
//! expiry rule, what a failed refresh does (keep a still-valid key, warn once): all core's.
//! This file reads the files the plan names, sends the requests it names through the app's
//! [`HttpTransport`], and logs the cache's warning.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use camskit::provider::{self, CacheStep, CredentialsCache, Plan, ResolvedCredentials};
use camskit::{Endpoint, EnvValue, TransportFailure};

use crate::transport::HttpTransport;
use crate::{CamsClient, CamsError, guard};

/// Reads the files the credentials chain names (`~/.aliyun/config.json`,
/// `~/.alibabacloud/credentials.ini`, an OIDC token file). Optional: without one, camskit
/// reads them itself from the process's file system (the same files a Kotlin `File` sees).
///
/// Return `null` when the file does not exist (the chain goes on to its next source). Throw
/// [`FileReadError::Refused`] (Kotlin `FileReadException.Refused`, Swift
/// `FileReadError.refused`) when the file is there but must not be read — not a regular file,
/// longer than `maxChainFileBytes()`, not allowed: the chain then stops with
/// `CamsException.Credentials` naming the file and your reason, instead of going on to another
/// identity. Text longer than `maxChainFileBytes()` is refused the same way by camskit.
#[uniffi::export(with_foreign)]
pub trait FileReader: Send + Sync {
    /// The file's text; `null` when it does not exist.
    fn read(&self, path: String) -> Result<Option<String>, FileReadError>;
}

/// Why a [`FileReader`] does not give a file's text.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum FileReadError {
    /// The file exists but must not be read (not a regular file, too large, not allowed):
    /// `reason` says why, with no secret in it.
    #[error("{reason}")]
    Refused {
        /// Why (it is shown after the file's path).
        reason: String,
    },
    /// The reader failed in a way it did not declare (an exception of another type).
    #[error("the file reader failed: {reason}")]
    Failed {
        /// The exception's message.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for FileReadError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        FileReadError::Failed { reason: e.reason }
    }
}

/// The most bytes of a file the credentials chain reads (4 MiB, core's `MAX_FILE_BYTES`): a
/// `FileReader` should refuse a longer file without reading it all.
#[uniffi::export]
pub fn max_chain_file_bytes() -> u64 {
    provider::MAX_FILE_BYTES
}

/// Where the chain sends its requests (core's `provider::ChainOptions`), for tests and
/// private networks; absent: Alibaba's.
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct ChainOptions {
    /// Every STS request goes here (`http://127.0.0.1:PORT` in tests) instead of
    /// `sts[-vpc][.<region>].aliyuncs.com`.
    #[uniffi(default = None)]
    pub sts_endpoint: Option<String>,
    /// The ECS metadata service (default `http://100.100.100.200`).
    #[uniffi(default = None)]
    pub ecs_metadata_endpoint: Option<String>,
}

/// Which key a client signs with now (no secret in it).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CredentialsStatus {
    /// The access key id.
    pub access_key_id: String,
    /// Whether an STS security token goes with it.
    pub has_security_token: bool,
    /// Where it came from: `explicit` (given to the constructor), or core's source name
    /// (`env`, `cli_profile:<profile>/<kind>`, `profile:<section>/<kind>`, `oidc_role_arn`,
    /// `ecs_ram_role`, `credentials_uri`).
    pub source: String,
    /// When temporary credentials expire (unix seconds); `null` for a fixed key.
    pub expiration: Option<i64>,
}

/// Where a client's credentials come from.
pub(crate) enum Source {
    Fixed(camskit::Credentials),
    Chain(Box<Chain>),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Fixed(c) => write!(f, "accessKeyId={}", c.access_key_id()),
            Source::Chain(chain) => {
                // try_lock: a logger that shows the client while a refresh runs must not block.
                let cache = chain.cache.try_lock();
                match cache.as_ref().ok().and_then(|c| c.current()) {
                    Some(r) => write!(
                        f,
                        "accessKeyId={}, credentials={}",
                        r.credentials.access_key_id(),
                        r.source
                    ),
                    None => f.write_str("credentials=default chain (not resolved yet)"),
                }
            }
        }
    }
}

pub(crate) struct Chain {
    env: HashMap<String, String>,
    home: String,
    options: provider::ChainOptions,
    transport: Arc<dyn HttpTransport>,
    files: Option<Arc<dyn FileReader>>,
    cache: Mutex<CredentialsCache>,
}

impl Chain {
    /// The credentials to sign with now, as core's cache says: the cached ones, or walked
    /// again (first use, a stale key); a failed refresh keeps a still-valid key (the cache's
    /// warning is logged once) and throws once it has expired.
    fn resolve(&self, client: &CamsClient) -> Result<ResolvedCredentials, CamsError> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        let now = now_secs();
        let nonce = crate::nonce::fresh_nonce();
        let walked = match cache.next(now, &nonce) {
            CacheStep::Ready(r) => return Ok(r),
            CacheStep::Refresh(plan) => self.walk(plan),
            CacheStep::Resolve => Plan::new(
                |name| self.env.get(name).cloned().map(EnvValue::Text),
                &self.home,
                now,
                &nonce,
                self.options.clone(),
            )
            .and_then(|plan| self.walk(plan)),
        };
        match walked {
            Ok(fresh) => {
                cache.refreshed(fresh.clone());
                Ok(fresh)
            }
            Err(e) => {
                let kept = cache.refresh_failed(now, e)?;
                if let Some(warning) = kept.warning {
                    client.log_warning(warning);
                }
                Ok(kept.credentials)
            }
        }
    }

    /// Walks a plan: reads the files it names, sends the requests it names.
    fn walk(&self, mut plan: Plan) -> Result<ResolvedCredentials, camskit::Error> {
        loop {
            match plan.next()? {
                provider::Step::ReadFile { path } => {
                    let text = match &self.files {
                        Some(files) => match files.read(path) {
                            Ok(text) => text,
                            Err(e) => return Err(plan.refuse_file(&e.to_string())),
                        },
                        None => match read_chain_file(&path) {
                            Ok(text) => text,
                            Err(why) => return Err(plan.refuse_file(&why)),
                        },
                    };
                    plan.feed_file(text.as_deref())?;
                }
                provider::Step::Fetch(request) => match self.transport.send(request.into()) {
                    Ok(answer) => match u16::try_from(answer.status) {
                        Ok(status) => {
                            plan.feed_response(status, &String::from_utf8_lossy(&answer.body))?;
                        }
                        Err(_) => plan.feed_transport_error(
                            TransportFailure::ResetAfterSend,
                            &format!(
                                "the transport returned {}, not an HTTP status",
                                answer.status
                            ),
                        )?,
                    },
                    Err(e) => {
                        let (failure, reason) = e.core();
                        plan.feed_transport_error(failure, reason)?;
                    }
                },
                provider::Step::Ready(resolved) => return Ok(resolved),
            }
        }
    }
}

fn now_secs() -> i64 {
    i64::try_from(crate::transport::now_ms() / 1000).unwrap_or(i64::MAX)
}

#[uniffi::export]
impl CamsClient {
    /// A client whose credentials come from the official default chain, as core walks it:
    /// the environment (`env`: Kotlin `System.getenv()`), OIDC (RRSA), the `aliyun` CLI's
    /// `<home>/.aliyun/config.json` (modes `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`,
    /// `OIDC`, `CredentialsURI`, `ChainableRamRoleArn`), `<home>/.alibabacloud/credentials.ini`,
    /// the ECS RAM role, a credentials URI. Files are read by `files` (absent: by camskit from
    /// the process's file system); STS, ECS metadata and credentials-URI requests go through
    /// `transport`.
    ///
    /// Nothing is read or sent here: the chain is walked on first use (`sign`, `call`,
    /// `resolveCredentials`), blocking that call. Temporary credentials are cached and
    /// fetched again from 15 minutes before they expire (core's `needs_refresh`); a failed
    /// refresh keeps a still-valid key (reported once through the logger) and throws only
    /// once the key has expired. No source: `CamsException.Credentials` listing each source's
    /// reason (never a secret).
    #[uniffi::constructor(default(region = None, endpoint = None, options = None, files = None))]
    #[allow(clippy::too_many_arguments)]
    pub fn from_default_chain(
        env: HashMap<String, String>,
        home: String,
        transport: Arc<dyn HttpTransport>,
        region: Option<String>,
        endpoint: Option<String>,
        options: Option<ChainOptions>,
        files: Option<Arc<dyn FileReader>>,
    ) -> Result<Arc<Self>, CamsError> {
        guard(|| {
            let endpoint = Endpoint::resolve(region.as_deref(), endpoint.as_deref())?;
            let options = options.unwrap_or_default();
            let chain = Chain {
                env,
                home,
                options: provider::ChainOptions {
                    sts_endpoint: options.sts_endpoint,
                    ecs_metadata_endpoint: options.ecs_metadata_endpoint,
                    ..provider::ChainOptions::default()
                },
                transport,
                files,
                cache: Mutex::new(CredentialsCache::new()),
            };
            Ok(Arc::new(CamsClient::with_source(
                endpoint,
                Source::Chain(Box::new(chain)),
            )))
        })
    }

    /// The key this client signs with now, resolving or refreshing it as a call would
    /// (blocking when the chain must fetch).
    pub fn resolve_credentials(&self) -> Result<CredentialsStatus, CamsError> {
        guard(|| {
            Ok(match &self.credentials {
                Source::Fixed(c) => CredentialsStatus {
                    access_key_id: c.access_key_id().to_owned(),
                    has_security_token: c.security_token().is_some(),
                    source: "explicit".to_owned(),
                    expiration: None,
                },
                Source::Chain(chain) => {
                    let r = chain.resolve(self)?;
                    CredentialsStatus {
                        access_key_id: r.credentials.access_key_id().to_owned(),
                        has_security_token: r.credentials.security_token().is_some(),
                        source: r.source,
                        expiration: r.expiration,
                    }
                }
            })
        })
    }
}

impl CamsClient {
    /// The credentials to sign with now.
    pub(crate) fn current_credentials(&self) -> Result<camskit::Credentials, CamsError> {
        match &self.credentials {
            Source::Fixed(c) => Ok(c.clone()),
            Source::Chain(chain) => Ok(chain.resolve(self)?.credentials),
        }
    }
}

/// Reads a file the chain names from the process's file system, as every host does: a missing
/// or unreadable file is `None`; anything but a regular file (a FIFO, a device such as
/// `/dev/zero`, a directory) or a file over core's `MAX_FILE_BYTES` is an error naming it,
/// never read without end.
/// camskit's own reader: `Err(why)` for a file that is there but must not be read.
fn read_chain_file(path: &str) -> Result<Option<String>, String> {
    use std::io::Read;
    let refuse = |why: String| why;
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(refuse(
            "not a regular file (a FIFO, a device or a directory): not read".into(),
        ));
    }
    let max = provider::MAX_FILE_BYTES;
    let Ok(file) = std::fs::File::open(path) else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    if file.take(max + 1).read_to_end(&mut bytes).is_err() {
        return Ok(None);
    }
    if bytes.len() as u64 > max {
        return Err(refuse(format!("larger than {max} bytes: not read")));
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transport::{HttpRequest, HttpResponse, TransportError};

    struct Files(&'static str);
    impl FileReader for Files {
        fn read(&self, path: String) -> Result<Option<String>, FileReadError> {
            match self.0 {
                "REFUSE" => Err(FileReadError::Refused {
                    reason: "a FIFO: not read".into(),
                }),
                text => Ok((path == "/h/.aliyun/config.json").then(|| text.to_owned())),
            }
        }
    }

    struct NoNetwork;
    impl HttpTransport for NoNetwork {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            Err(TransportError::RefusedBeforeSend {
                reason: format!("no network for {}", request.purpose),
            })
        }
    }

    fn client(config: &'static str) -> Arc<CamsClient> {
        let env = [("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        CamsClient::from_default_chain(
            env,
            "/h".into(),
            Arc::new(NoNetwork),
            None,
            None,
            None,
            Some(Arc::new(Files(config))),
        )
        .unwrap()
    }

    #[test]
    fn a_profile_key_is_resolved_cached_and_never_shown() {
        let c = client(
            r#"{"current":"default","profiles":[{"name":"default","mode":"AK",
                "access_key_id":"LTAI5tChain","access_key_secret":"CanarySecret"}]}"#,
        );
        assert!(c.to_string().contains("not resolved yet"));
        let status = c.resolve_credentials().unwrap();
        assert_eq!(status.access_key_id, "LTAI5tChain");
        assert_eq!(status.source, "cli_profile:default/static");
        assert_eq!(status.expiration, None);
        let shown = format!("{c} {status:?}");
        assert!(
            shown.contains("LTAI5tChain") && !shown.contains("Canary"),
            "{shown}"
        );
    }

    #[test]
    fn a_file_the_app_reader_refuses_stops_the_chain_naming_it() {
        let e = client("REFUSE").resolve_credentials().unwrap_err();
        match &e {
            CamsError::Credentials { error_message } => assert!(
                error_message.contains("/h/.aliyun/config.json: a FIFO: not read"),
                "{error_message}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_source_lists_the_reasons_without_a_secret() {
        let c = client(
            r#"{"current":"default","profiles":[{"name":"default","mode":"RamRoleArn",
                "access_key_id":"LTAI5tChain","access_key_secret":"CanarySecret",
                "ram_role_arn":"acs:ram::1:role/r"}]}"#,
        );
        let e = c.resolve_credentials().unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(matches!(e, CamsError::Credentials { .. }), "{text}");
        assert!(text.contains("no network for sts:AssumeRole"), "{text}");
        assert!(!text.contains("Canary"), "{text}");
    }
}

#[cfg(test)]
mod file_bounds {
    use super::read_chain_file;

    #[test]
    fn chain_files_are_bounded_and_regular() {
        let dir = std::env::temp_dir().join(format!("camskit-uniffi-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("config.json");
        std::fs::write(&ok, "{}").unwrap();
        assert_eq!(
            read_chain_file(ok.to_str().unwrap()).unwrap().as_deref(),
            Some("{}")
        );
        assert_eq!(
            read_chain_file(dir.join("missing").to_str().unwrap()).unwrap(),
            None
        );
        let big = dir.join("big.json");
        std::fs::write(
            &big,
            vec![b' '; (camskit::provider::MAX_FILE_BYTES + 1) as usize],
        )
        .unwrap();
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let mut refused = vec![big, dir.clone(), std::path::PathBuf::from("/dev/zero")];
        if made.is_ok_and(|s| s.success()) {
            refused.push(fifo);
        }
        for p in refused {
            let e = read_chain_file(p.to_str().unwrap()).unwrap_err();
            assert!(
                e.contains("not a regular file") || e.contains("larger than 4194304 bytes"),
                "{}: {e}",
                p.display()
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

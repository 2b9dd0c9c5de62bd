//! The credentials chain: core's `provider::Plan` decides; this reads the files and sends the
//! fetches it names. Also `camskit credentials`.

use camskit::provider::{
    CacheStep, ChainOptions, CredentialsCache, Plan, ResolvedCredentials, Step,
};
use camskit::{Credentials, EnvValue, Timestamp};

use crate::args::ChainArgs;
use crate::failure::Failure;
use crate::input::{MAX_INPUT_BYTES, ReadError, read_bounded};
use crate::transport::{MAX_FETCH_BYTES, send};

/// The key pair `sign` uses when no credentials are set (it is also mock-cams's demo key).
pub const DEMO_KEY_ID: &str = "LTAI5tCamsKitDemoKey01";
const DEMO_KEY_SECRET: &str = "CamsKitDemoSecret0123456789abcd";

/// Where credentials come from.
pub enum Source {
    /// The default chain (the label says which source: `env`, `cli_profile:NAME/...`).
    Chain(String),
    Demo,
}

fn env_lookup(name: &str) -> Option<EnvValue> {
    std::env::var_os(name).map(|v| match v.into_string() {
        Ok(s) => EnvValue::Text(s),
        Err(_) => EnvValue::NotUnicode,
    })
}

/// The credentials of one run, kept in core's [`CredentialsCache`]: resolved once, refreshed
/// from their source when stale (a long `--all-pages` walk outlives an STS key), and kept while
/// still valid when a refresh fails (with one warning on stderr).
pub struct Keys {
    cache: CredentialsCache,
    chain: ChainArgs,
}

impl Keys {
    /// The credentials to sign with now: the cached ones, or fresh ones when they are stale.
    pub fn current(&mut self) -> Result<ResolvedCredentials, Failure> {
        let (now, nonce) = now_and_nonce();
        let fetched = match self.cache.next(now, &nonce) {
            CacheStep::Ready(resolved) => return Ok(resolved),
            CacheStep::Refresh(plan) => walk(plan)?,
            CacheStep::Resolve => walk(chain_plan(&self.chain, now, &nonce)?)?,
        };
        match fetched {
            Ok(fresh) => {
                self.cache.refreshed(fresh.clone());
                Ok(fresh)
            }
            Err(e) => {
                let kept = self.cache.refresh_failed(now, e)?;
                if let Some(warning) = kept.warning {
                    eprintln!("camskit: warning: {warning}");
                }
                Ok(kept.credentials)
            }
        }
    }
}

/// The credentials the official default chain gives (the core plans it; this reads the files
/// and sends the requests it names), or the demo key when nothing at all is configured; and
/// the cache that keeps them for the rest of the run.
pub fn credentials(chain: &ChainArgs) -> Result<(ResolvedCredentials, Source, Keys), Failure> {
    let home = std::env::var("HOME").unwrap_or_default();
    let mut keys = Keys {
        cache: CredentialsCache::new(),
        chain: chain.clone(),
    };
    if chain.profile.is_none() && nothing_configured(&home) {
        let demo = Credentials::new(DEMO_KEY_ID, DEMO_KEY_SECRET)?;
        let resolved = ResolvedCredentials::fixed(demo, "demo");
        keys.cache = CredentialsCache::with(resolved.clone());
        return Ok((resolved, Source::Demo, keys));
    }
    let resolved = keys.current()?;
    let label = resolved.source.clone();
    Ok((resolved, Source::Chain(label), keys))
}

fn now_and_nonce() -> (i64, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    (now, uuid::Uuid::new_v4().to_string())
}

/// The default chain's plan, from the environment (`--profile` standing for
/// ALIBABA_CLOUD_PROFILE) and the home directory.
fn chain_plan(chain: &ChainArgs, now: i64, nonce: &str) -> Result<Plan, Failure> {
    let lookup = |name: &str| {
        if name == "ALIBABA_CLOUD_PROFILE" {
            if let Some(p) = &chain.profile {
                return Some(EnvValue::Text(p.clone()));
            }
        }
        env_lookup(name)
    };
    let home = std::env::var("HOME").unwrap_or_default();
    let options = ChainOptions {
        sts_endpoint: chain.sts_endpoint.clone(),
        ecs_metadata_endpoint: chain.ecs_metadata_endpoint.clone(),
        probe_ecs_metadata: false,
    };
    Ok(Plan::new(lookup, &home, now, nonce, options)?)
}

/// Walks a plan: reads the files it names (bounded, regular files only) and sends its fetches.
/// The outer error is a file refused outright; the inner result is the chain's own outcome,
/// for the cache to judge.
fn walk(mut plan: Plan) -> Result<Result<ResolvedCredentials, camskit::Error>, Failure> {
    loop {
        let step = match plan.next() {
            Ok(step) => step,
            Err(e) => return Ok(Err(e)),
        };
        let fed = match step {
            Step::ReadFile { path } => {
                // A file that exists but cannot be read counts as absent (the plan then says
                // which file it missed).
                let text = match read_bounded(&path, MAX_INPUT_BYTES, "credentials file") {
                    Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
                    Err(ReadError::Refused(message)) => return Err(Failure::Usage(message)),
                    Err(ReadError::Unreadable(_)) => None,
                };
                plan.feed_file(text.as_deref())
            }
            Step::Fetch(request) => match send(&request, MAX_FETCH_BYTES) {
                Ok(answer) => {
                    plan.feed_response(answer.status, &String::from_utf8_lossy(&answer.body))
                }
                Err((failure, message)) => plan.feed_transport_error(failure, &message),
            },
            Step::Ready(resolved) => return Ok(Ok(resolved)),
        };
        if let Err(e) = fed {
            return Ok(Err(e));
        }
    }
}

/// No credential of any kind: no variable of the chain, no config.json, no credentials file.
fn nothing_configured(home: &str) -> bool {
    let any_var = camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
        .chain(&camskit::provider::CHAIN_ENV)
        .any(|n| std::env::var_os(n).is_some_and(|v| !v.is_empty()));
    let any_file = [
        ".aliyun/config.json",
        ".alibabacloud/credentials.ini",
        ".alibabacloud/credentials",
    ]
    .iter()
    .any(|f| !home.is_empty() && std::path::Path::new(home).join(f).exists());
    !any_var && !any_file
}

/// `camskit credentials`: which source, which key, until when.
pub fn show_credentials(chain: &ChainArgs) -> Result<(), Failure> {
    let (resolved, source, _) = credentials(chain)?;
    let source = match source {
        Source::Chain(label) => label,
        Source::Demo => "none set: the built-in demo key (CAMS rejects it)".into(),
    };
    out!("source: {source}");
    out!("access key id: {}", resolved.credentials.access_key_id());
    out!(
        "security token: {}",
        if resolved.credentials.security_token().is_some() {
            "yes"
        } else {
            "no"
        }
    );
    match resolved.expiration {
        Some(at) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let when = Timestamp::from_unix(at)
                .map(|t| t.to_string())
                .unwrap_or_else(|_| at.to_string());
            out!(
                "expires: {when} (in {} s; refreshed from {} s before)",
                at - now,
                camskit::provider::STALE_SECONDS
            );
        }
        None => out!("expires: never (a long-term key)"),
    }
    Ok(())
}

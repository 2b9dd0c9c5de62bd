//! The official default credentials chain, as a plan the host walks (sans-I/O).
//!
//! `alibabacloud-credentials` looks in this order: the environment → OIDC (RRSA, when
//! `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, `ALIBABA_CLOUD_ROLE_ARN` and
//! `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` are all set) → the `~/.aliyun/config.json` profile →
//! the `~/.alibabacloud/credentials.ini` section → the ECS RAM role (metadata service) → the
//! credentials URI (when `ALIBABA_CLOUD_CREDENTIALS_URI` is set). One difference: camskit
//! asks the ECS metadata service only when `ALIBABA_CLOUD_ECS_METADATA` names the role or
//! the host opts in ([`ChainOptions::probe_ecs_metadata`]), never by surprise from a laptop. A source that fails is
//! remembered and the next is tried; when none gives credentials, the error lists every
//! source's reason.
//!
//! camskit reads no file and sends nothing: a [`Plan`] says what it needs next
//! ([`Step::ReadFile`], [`Step::Fetch`]) and the host feeds the answer back
//! ([`Plan::feed_file`], [`Plan::feed_response`], [`Plan::feed_failure`]) until
//! [`Step::Ready`]:
//!
//! ```
//! use camskit::provider::{ChainOptions, Plan, Step};
//! use camskit::EnvValue;
//! let env = |name: &str| match name {
//!     "ALIBABA_CLOUD_ECS_METADATA_DISABLED" => Some(EnvValue::Text("true".into())),
//!     _ => None,
//! };
//! let mut plan = Plan::new(env, "/home/me", 1_752_480_000, "4c1e-nonce", ChainOptions::default())?;
//! let resolved = loop {
//!     match plan.next()? {
//!         Step::ReadFile { path } => {
//!             // The host reads `path`: Some(text), or None when it does not exist.
//!             let text = (path == "/home/me/.aliyun/config.json").then(|| {
//!                 r#"{"current":"default","profiles":[{"name":"default","mode":"AK",
//!                    "access_key_id":"LTAI5tExample","access_key_secret":"secret"}]}"#
//!             });
//!             plan.feed_file(text)?;
//!         }
//!         Step::Fetch(request) => {
//!             // The host sends request.method to request.url with request.headers, then:
//!             # let _ = request;
//!             plan.feed_response(200, "...")?; // or plan.feed_failure("connection refused")?
//!         }
//!         Step::Ready(resolved) => break resolved,
//!     }
//! };
//! assert_eq!(resolved.credentials.access_key_id(), "LTAI5tExample");
//! assert_eq!(resolved.source, "cli_profile:default/static");
//! assert!(!resolved.needs_refresh(1_752_480_000));
//! # Ok::<(), camskit::Error>(())
//! ```
//!
//! Temporary credentials carry their expiry: [`ResolvedCredentials::needs_refresh`] is the
//! official rule (refresh from 15 minutes before `Expiration`), and
//! [`ResolvedCredentials::refresh`] gives the plan that fetches them again from the same
//! source.

mod cache;
mod fetch;
mod files;

pub use crate::http::HttpRequest;
pub use cache::{CacheStep, CredentialsCache, Kept};

use std::collections::BTreeMap;

pub use fetch::{
    ECS_CREDENTIALS_PATH, ECS_METADATA_ENDPOINT, ECS_TOKEN_HEADER, ECS_TOKEN_PATH,
    ECS_TOKEN_TTL_HEADER, ECS_TOKEN_TTL_SECONDS, STS_API_VERSION, STS_GLOBAL_HOST, StsRole,
    Temporary, assume_role_with_oidc, parse_code_success_answer, parse_sts_answer,
    sign_assume_role,
};
pub use files::{
    CLI_MODES, DEFAULT_DURATION_SECONDS, INI_TYPES, MIN_DURATION_SECONDS, OidcRole, ProfileSource,
    RoleHop, parse_cli_config, parse_credentials_ini,
};

use crate::credentials::{Credentials, EnvValue};
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::timestamp::Timestamp;

/// The most bytes a host reads of any file the chain names (`config.json`, the credentials
/// ini, an OIDC token file) or that a user hands over (parameters, a saved answer): 4 MiB.
/// A longer file, or anything that is not a regular file (a FIFO, a device such as
/// `/dev/zero`, a directory), is refused with an error naming it, never read without end.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// Seconds before `Expiration` from which temporary credentials are refreshed (the official
/// client's stale time).
pub const STALE_SECONDS: i64 = 15 * 60;
/// For the ECS RAM role, seconds after a fetch from which the official client prefetches in
/// the background.
pub const ECS_PREFETCH_SECONDS: i64 = 60 * 60;

/// The environment variables the chain reads (besides the access key ones of
/// [`Credentials::from_env`](crate::Credentials::from_env)).
pub const CHAIN_ENV: [&str; 14] = [
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CONFIG_FILE",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_ROLE_SESSION_NAME",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_IMDSV1_DISABLED",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
    "ALIBABA_CLOUD_STS_REGION",
    "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
];

pub(crate) fn files_problem(e: &Error) -> String {
    match e {
        Error::Credentials { problem } => problem.clone(),
        other => other.to_string(),
    }
}

/// Where the chain sends its requests, for tests and private networks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainOptions {
    /// Every STS request goes here (`http://127.0.0.1:PORT` in tests) instead of
    /// `sts[-vpc][.<region>].aliyuncs.com`.
    pub sts_endpoint: Option<String>,
    /// The ECS metadata service (default [`ECS_METADATA_ENDPOINT`]).
    pub ecs_metadata_endpoint: Option<String>,
    /// Probe the ECS metadata service even though `ALIBABA_CLOUD_ECS_METADATA` (the role
    /// name) is not set. Off by default, unlike the official chain: on a machine that is not
    /// an ECS instance the probe goes to a link-local address outside the machine and waits
    /// for a timeout. The chain also tries ECS when [`ecs_metadata_endpoint`](Self::ecs_metadata_endpoint)
    /// is given.
    pub probe_ecs_metadata: bool,
}

/// What the plan needs next.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // plain values a binding translates; made a few times per run
pub enum Step {
    /// Read this file and hand its text to [`Plan::feed_file`] (`None` when it does not
    /// exist or cannot be read).
    ReadFile {
        /// The path.
        path: String,
    },
    /// Send this request and hand the answer to [`Plan::feed_response`] (or a transport
    /// failure to [`Plan::feed_failure`]).
    Fetch(HttpRequest),
    /// Done.
    Ready(ResolvedCredentials),
}

/// Credentials the chain found, with their expiry when they are temporary.
#[derive(Clone, Debug)]
pub struct ResolvedCredentials {
    /// The key, secret and token.
    pub credentials: Credentials,
    /// `Expiration` (unix seconds) of temporary credentials; `None` for a fixed key.
    pub expiration: Option<i64>,
    /// When to prefetch in the background (unix seconds; the ECS RAM role only).
    pub prefetch_time: Option<i64>,
    /// Which source: `env`, `oidc_role_arn`, `cli_profile:<profile>/<kind>`,
    /// `profile:<section>/<kind>`, `ecs_ram_role`, `credentials_uri`; `<kind>` is `static`,
    /// `ram_role_arn`, `oidc_role_arn`, `ecs_ram_role` or `credentials_uri`.
    pub source: String,
    route: Option<Route>,
}

impl ResolvedCredentials {
    /// Explicit credentials a host was given (a fixed key, or an STS token it refreshes
    /// itself): no expiry, nothing to refresh.
    pub fn fixed(credentials: Credentials, source: &str) -> Self {
        Self {
            credentials,
            expiration: None,
            prefetch_time: None,
            source: source.to_owned(),
            route: None,
        }
    }

    /// From when the credentials must be refreshed before use: `Expiration` − 15 minutes.
    pub fn stale_time(&self) -> Option<i64> {
        self.expiration.map(|e| e - STALE_SECONDS)
    }

    /// Whether to refresh before the next request, the official rule: from 15 minutes before
    /// `Expiration` (a fixed key never).
    pub fn needs_refresh(&self, now: i64) -> bool {
        self.stale_time().is_some_and(|s| now >= s)
    }

    /// Whether a background refresh is due (ECS RAM role: one hour after the fetch), while
    /// the credentials stay usable.
    pub fn should_prefetch(&self, now: i64) -> bool {
        self.prefetch_time.is_some_and(|p| now >= p)
    }

    /// The plan that fetches these credentials again from the same source (the official
    /// client reuses the provider that answered). `None` for a fixed key.
    pub fn refresh(&self, now: i64, nonce: &str) -> Option<Plan> {
        let route = self.route.clone()?;
        Some(Plan::with_route(route, self.source.clone(), now, nonce))
    }
}

/// The start of a route: where the first credentials come from.
#[derive(Clone, Debug)]
enum Base {
    Static(Credentials),
    Oidc {
        role: StsRole,
        provider_arn: String,
        token_file: String,
    },
    Ecs {
        base: String,
        role_name: Option<String>,
        disable_v1: bool,
    },
    Uri(String),
}

/// A source resolved to its fetches: the base, then `AssumeRole` hops.
#[derive(Clone, Debug)]
struct Route {
    base: Base,
    hops: Vec<StsRole>,
}

impl Route {
    fn fetches(&self) -> bool {
        !matches!(self.base, Base::Static(_)) || !self.hops.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SourceKind {
    Env,
    Oidc,
    CliProfile,
    Ini,
    Ecs,
    Uri,
}

impl SourceKind {
    fn name(self) -> &'static str {
        match self {
            SourceKind::Env => "env",
            SourceKind::Oidc => "oidc_role_arn",
            SourceKind::CliProfile => "cli_profile",
            SourceKind::Ini => "profile",
            SourceKind::Ecs => "ecs_ram_role",
            SourceKind::Uri => "credentials_uri",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Waiting {
    /// Nothing asked yet.
    Nothing,
    CliFile(String),
    IniFile {
        paths: Vec<String>,
        index: usize,
    },
    OidcToken,
    Oidc,
    EcsToken,
    EcsRole {
        v1: bool,
    },
    EcsCredentials {
        v1: bool,
    },
    Uri,
    Hop,
}

/// A walk through the chain (or one source, for a refresh). See the [module](self) docs.
#[derive(Debug)]
pub struct Plan {
    env: BTreeMap<&'static str, String>,
    home: String,
    now: i64,
    nonce: String,
    options: ChainOptions,
    sources: Vec<SourceKind>,
    /// The source being worked, and its label.
    label: String,
    route: Option<Route>,
    /// The credentials so far on the route, and the hop to assume next.
    current: Option<Temporaryish>,
    hop: usize,
    ecs_token: Option<String>,
    ecs_role: Option<String>,
    waiting: Waiting,
    pending: Option<Step>,
    errors: Vec<String>,
    fetches: u32,
    finished: Option<Result<ResolvedCredentials, Error>>,
}

#[derive(Clone, Debug)]
struct Temporaryish {
    credentials: Credentials,
    expiration: Option<i64>,
}

fn truthy(v: Option<&String>) -> bool {
    v.is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

impl Plan {
    /// The default chain. `env` is the host's environment lookup, `home` its home directory
    /// (paths are built with `/`), `now` the time (unix seconds), `nonce` a fresh unique
    /// value (a UUID): the `SignatureNonce` of the first `AssumeRole` (a chained role's second
    /// uses `<nonce>-2`, and so on).
    ///
    /// # Errors
    /// [`Error::Credentials`] when a variable the chain reads is not valid Unicode.
    pub fn new(
        env: impl Fn(&str) -> Option<EnvValue>,
        home: &str,
        now: i64,
        nonce: &str,
        options: ChainOptions,
    ) -> Result<Self, Error> {
        let mut snapshot = BTreeMap::new();
        for name in CHAIN_ENV {
            match env(name) {
                None => {}
                Some(EnvValue::NotUnicode) => {
                    return Err(Error::credentials(format!(
                        "the environment variable {name} is set but is not valid Unicode text"
                    )));
                }
                Some(EnvValue::Text(t)) if t.is_empty() => {}
                Some(EnvValue::Text(t)) => {
                    snapshot.insert(name, t);
                }
            }
        }
        let env_credentials = Credentials::from_env(&env);
        let mut plan = Self::empty(snapshot, home, now, nonce, options);
        let mut sources = vec![SourceKind::Env];
        let has = |n: &str| plan.env.contains_key(n);
        if has("ALIBABA_CLOUD_OIDC_TOKEN_FILE")
            && has("ALIBABA_CLOUD_ROLE_ARN")
            && has("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")
        {
            sources.push(SourceKind::Oidc);
        }
        sources.push(SourceKind::CliProfile);
        sources.push(SourceKind::Ini);
        // ECS only when asked for (a role name, an explicit metadata endpoint, or the probe
        // option): see ChainOptions::probe_ecs_metadata.
        let ecs_wanted = has("ALIBABA_CLOUD_ECS_METADATA")
            || plan.options.ecs_metadata_endpoint.is_some()
            || plan.options.probe_ecs_metadata;
        if ecs_wanted && !truthy(plan.env.get("ALIBABA_CLOUD_ECS_METADATA_DISABLED")) {
            sources.push(SourceKind::Ecs);
        }
        if has("ALIBABA_CLOUD_CREDENTIALS_URI") {
            sources.push(SourceKind::Uri);
        }
        sources.reverse(); // popped from the end
        plan.sources = sources;
        // The environment is the first source: settle it now.
        plan.sources.pop();
        match env_credentials {
            Ok(Some(found)) => {
                plan.finished = Some(Ok(ResolvedCredentials {
                    credentials: found.credentials,
                    expiration: None,
                    prefetch_time: None,
                    source: "env".into(),
                    route: None,
                }));
            }
            Ok(None) => plan.errors.push(
                "env: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set"
                    .into(),
            ),
            // Set but invalid (a control character in the secret, a line break in the id): an
            // error naming the variable, never a silent switch to the next source's identity.
            Err(e) => return Err(e),
        }
        Ok(plan)
    }

    /// A plan for one profile source (as [`parse_cli_config`] or [`parse_credentials_ini`]
    /// return it), with the environment's defaults (session name, STS region, VPC, IMDSv1).
    ///
    /// # Errors
    /// As [`new`](Self::new), and when the source is unusable (a bad STS region).
    pub fn for_source(
        source: &ProfileSource,
        env: impl Fn(&str) -> Option<EnvValue>,
        now: i64,
        nonce: &str,
        options: ChainOptions,
    ) -> Result<Self, Error> {
        // Only the chain's own variables count here: the access key variables belong to the
        // `env` source, which this plan does not walk.
        let chain_only = |name: &str| {
            if CHAIN_ENV.contains(&name) {
                env(name)
            } else {
                None
            }
        };
        let mut plan = Self::new(chain_only, "", now, nonce, options)?;
        plan.finished = None;
        plan.errors.clear();
        plan.sources.clear();
        let route = plan.route_for(source)?;
        let label = format!("source/{}", kind_of(source));
        plan.start_route(route, label);
        Ok(plan)
    }

    fn empty(
        env: BTreeMap<&'static str, String>,
        home: &str,
        now: i64,
        nonce: &str,
        options: ChainOptions,
    ) -> Self {
        Self {
            env,
            home: home.trim_end_matches('/').to_owned(),
            now,
            nonce: nonce.to_owned(),
            options,
            sources: Vec::new(),
            label: String::new(),
            route: None,
            current: None,
            hop: 0,
            ecs_token: None,
            ecs_role: None,
            waiting: Waiting::Nothing,
            pending: None,
            errors: Vec::new(),
            fetches: 0,
            finished: None,
        }
    }

    fn with_route(route: Route, label: String, now: i64, nonce: &str) -> Self {
        let mut plan = Self::empty(BTreeMap::new(), "", now, nonce, ChainOptions::default());
        plan.start_route(route, label);
        plan
    }

    /// What the host must do next. Calling it again without feeding an answer returns the
    /// same step.
    ///
    /// # Errors
    /// [`Error::Credentials`] when no source gave credentials: the message lists each
    /// source's reason (never a secret).
    #[allow(clippy::should_implement_trait)] // not an iterator: it repeats a step until fed
    pub fn next(&mut self) -> Result<Step, Error> {
        loop {
            if let Some(done) = &self.finished {
                return done.clone().map(Step::Ready);
            }
            if let Some(step) = &self.pending {
                return Ok(step.clone());
            }
            self.advance()?;
        }
    }

    /// The host was asked to read the file of the last [`Step::ReadFile`] and must not (it is
    /// not a regular file, it is too large, its reader refused it): the walk ends with an
    /// [`Error::Credentials`] naming the file and `why` — never read as absent, which would let
    /// the chain fall through to another identity.
    ///
    /// # Errors
    /// Always an error: [`Error::InvalidInput`] when the plan did not ask for a file, else the
    /// credentials error.
    pub fn refuse_file(&mut self, why: &str) -> Error {
        let Some(Step::ReadFile { path }) = self.pending.take() else {
            return Error::invalid("credentials plan", "no file was asked for");
        };
        // The walk ends here: nothing further is asked, a later `next` repeats the error.
        let problem = format!("{path}: {why}");
        self.waiting = Waiting::Nothing;
        self.route = None;
        self.sources.clear();
        self.errors = vec![problem.clone()];
        Error::Credentials { problem }
    }

    /// Hands over the text of the file of the last [`Step::ReadFile`] (`None`: it does not
    /// exist or cannot be read).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the plan did not ask for a file; [`Error::Credentials`]
    /// naming the file when the text is longer than [`MAX_FILE_BYTES`] (a reader the host was
    /// given, an app's, may not bound what it reads: the plan does).
    pub fn feed_file(&mut self, contents: Option<&str>) -> Result<(), Error> {
        if !matches!(self.pending, Some(Step::ReadFile { .. })) {
            return Err(Error::invalid("credentials plan", "no file was asked for"));
        }
        if let Some(text) = contents
            && text.len() as u64 > MAX_FILE_BYTES
        {
            let why = format!("larger than {MAX_FILE_BYTES} bytes: not read");
            return Err(self.refuse_file(&why));
        }
        self.pending = None;
        match std::mem::replace(&mut self.waiting, Waiting::Nothing) {
            Waiting::CliFile(path) => self.cli_file(&path, contents),
            Waiting::IniFile { paths, index } => self.ini_file(paths, index, contents),
            Waiting::OidcToken => self.oidc_token(contents),
            other => {
                self.waiting = other;
                return Err(Error::invalid("credentials plan", "no file was asked for"));
            }
        }
        Ok(())
    }

    /// Hands over the answer to the last [`Step::Fetch`]: its HTTP status and body.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the plan did not ask for a fetch.
    pub fn feed_response(&mut self, status: u16, body: &str) -> Result<(), Error> {
        self.feed(Ok((status, body)))
    }

    /// Says the last [`Step::Fetch`] failed before any answer (connection refused, timeout).
    /// `message` is the host's (it appears in the final error, so it must not hold a secret).
    /// [`feed_transport_error`](Self::feed_transport_error) says the same with the failure's
    /// kind, in the words a [`Call`](crate::Call) takes.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the plan did not ask for a fetch.
    pub fn feed_failure(&mut self, message: &str) -> Result<(), Error> {
        self.feed(Err(message))
    }

    /// Says the last [`Step::Fetch`] got no answer, the way a host reports it to a
    /// [`Call`](crate::Call) ([`Call::on_transport_error`](crate::Call::on_transport_error)):
    /// one failure vocabulary for every fetch, so a host's HTTP adapter maps its client's
    /// errors once. The source fails with `message` (no secret in it) and the chain moves on.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when the plan did not ask for a fetch.
    pub fn feed_transport_error(
        &mut self,
        failure: crate::http::TransportFailure,
        message: &str,
    ) -> Result<(), Error> {
        let text = format!("{} ({message})", failure.as_str().replace('_', " "));
        self.feed(Err(&text))
    }

    fn feed(&mut self, answer: Result<(u16, &str), &str>) -> Result<(), Error> {
        if !matches!(self.pending, Some(Step::Fetch(_))) {
            return Err(Error::invalid(
                "credentials plan",
                "no request was asked for",
            ));
        }
        self.pending = None;
        let waiting = std::mem::replace(&mut self.waiting, Waiting::Nothing);
        let outcome = self.on_answer(waiting, answer);
        if let Err(e) = outcome {
            self.fail_source(&files_problem(&e));
        }
        Ok(())
    }

    // ------------------------------------------------------------------ the sources

    fn advance(&mut self) -> Result<(), Error> {
        if self.route.is_some() {
            return self.route_step();
        }
        let Some(kind) = self.sources.pop() else {
            return Err(Error::credentials(format!(
                "no credentials found in the default chain: {}",
                self.errors.join("; ")
            )));
        };
        match kind {
            SourceKind::Env => {}
            SourceKind::Oidc => {
                let source = ProfileSource::Oidc(OidcRole {
                    role_arn: self.env["ALIBABA_CLOUD_ROLE_ARN"].clone(),
                    oidc_provider_arn: self.env["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"].clone(),
                    oidc_token_file: self.env["ALIBABA_CLOUD_OIDC_TOKEN_FILE"].clone(),
                    duration_seconds: DEFAULT_DURATION_SECONDS,
                    ..OidcRole::default()
                });
                match self.route_for(&source) {
                    Ok(r) => self.start_route(r, kind.name().into()),
                    Err(e) => self
                        .errors
                        .push(format!("{}: {}", kind.name(), files_problem(&e))),
                }
            }
            SourceKind::CliProfile => {
                if truthy(self.env.get("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")) {
                    self.errors
                        .push("cli_profile: disabled by ALIBABA_CLOUD_CLI_PROFILE_DISABLED".into());
                } else {
                    let path = self
                        .env
                        .get("ALIBABA_CLOUD_CONFIG_FILE")
                        .cloned()
                        .unwrap_or_else(|| format!("{}/.aliyun/config.json", self.home));
                    self.ask_file(path.clone(), Waiting::CliFile(path));
                }
            }
            SourceKind::Ini => {
                let paths = match self.env.get("ALIBABA_CLOUD_CREDENTIALS_FILE") {
                    Some(p) => vec![p.clone()],
                    None => vec![
                        format!("{}/.alibabacloud/credentials.ini", self.home),
                        format!("{}/.alibabacloud/credentials", self.home),
                    ],
                };
                self.ask_file(paths[0].clone(), Waiting::IniFile { paths, index: 0 });
            }
            SourceKind::Ecs => {
                let source = ProfileSource::EcsRamRole {
                    role_name: self.env.get("ALIBABA_CLOUD_ECS_METADATA").cloned(),
                };
                let r = self.route_for(&source)?;
                self.start_route(r, kind.name().into());
            }
            SourceKind::Uri => {
                let source = ProfileSource::CredentialsUri {
                    uri: self.env["ALIBABA_CLOUD_CREDENTIALS_URI"].clone(),
                };
                let r = self.route_for(&source)?;
                self.start_route(r, kind.name().into());
            }
        }
        Ok(())
    }

    fn ask_file(&mut self, path: String, waiting: Waiting) {
        self.waiting = waiting;
        self.pending = Some(Step::ReadFile { path });
    }

    fn cli_file(&mut self, path: &str, contents: Option<&str>) {
        let Some(text) = contents else {
            self.errors
                .push(format!("cli_profile: {path} does not exist"));
            return;
        };
        let profile = self.env.get("ALIBABA_CLOUD_PROFILE").cloned();
        match parse_cli_config(path, text, profile.as_deref())
            .and_then(|(name, source)| Ok((name, self.route_for(&source)?, kind_of(&source))))
        {
            Ok((name, route, kind)) => {
                self.start_route(route, format!("cli_profile:{name}/{kind}"));
            }
            Err(e) => self
                .errors
                .push(format!("cli_profile: {}", files_problem(&e))),
        }
    }

    fn ini_file(&mut self, paths: Vec<String>, index: usize, contents: Option<&str>) {
        let path = paths[index].clone();
        let Some(text) = contents else {
            if index + 1 < paths.len() {
                let next = paths[index + 1].clone();
                self.ask_file(
                    next,
                    Waiting::IniFile {
                        paths,
                        index: index + 1,
                    },
                );
            } else {
                self.errors
                    .push(format!("profile: {} does not exist", paths.join(" nor ")));
            }
            return;
        };
        let section = self
            .env
            .get("ALIBABA_CLOUD_PROFILE")
            .cloned()
            .unwrap_or_else(|| "default".into());
        match parse_credentials_ini(&path, text, &section)
            .and_then(|source| Ok((self.route_for(&source)?, kind_of(&source))))
        {
            Ok((route, kind)) => self.start_route(route, format!("profile:{section}/{kind}")),
            Err(e) => self.errors.push(format!("profile: {}", files_problem(&e))),
        }
    }

    // ------------------------------------------------------------------ routes

    fn sts_role(&self, hop: &RoleHop) -> Result<StsRole, Error> {
        let RoleHop {
            role_arn,
            role_session_name: session,
            duration_seconds: duration,
            policy,
            external_id,
            sts_region: region,
            enable_vpc: vpc,
        } = hop;
        let (duration, vpc) = (*duration, *vpc);
        let (session, policy, external_id, region) = (
            session.as_deref(),
            policy.as_deref(),
            external_id.as_deref(),
            region.as_deref(),
        );
        let endpoint = match &self.options.sts_endpoint {
            // AssumeRole carries the source key id, its signature and any STS token: the same
            // rule as every call (no plain HTTP to a host that is not loopback).
            Some(e) => {
                let e = Endpoint::parse(e)?;
                e.check_credentials_transport(false)?;
                e
            }
            None => {
                let vpc = vpc
                    .unwrap_or_else(|| truthy(self.env.get("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED")));
                let prefix = if vpc { "sts-vpc" } else { "sts" };
                let region = region
                    .map(str::to_owned)
                    .or_else(|| self.env.get("ALIBABA_CLOUD_STS_REGION").cloned());
                match region {
                    Some(r) => {
                        // The region's shape is the endpoint module's rule.
                        Endpoint::region(&r)
                            .map_err(|e| Error::credentials(format!("STS region: {e}")))?;
                        Endpoint::parse(&format!("{prefix}.{r}.aliyuncs.com"))?
                    }
                    None => Endpoint::parse(STS_GLOBAL_HOST)?,
                }
            }
        };
        let role_session_name = session
            .map(str::to_owned)
            .or_else(|| self.env.get("ALIBABA_CLOUD_ROLE_SESSION_NAME").cloned())
            .unwrap_or_else(|| format!("camskit-{}", self.now));
        if duration < MIN_DURATION_SECONDS {
            return Err(Error::credentials(format!(
                "DurationSeconds {duration} is shorter than {MIN_DURATION_SECONDS}"
            )));
        }
        Ok(StsRole {
            role_arn: role_arn.to_owned(),
            role_session_name,
            duration_seconds: duration,
            policy: policy.map(str::to_owned),
            external_id: external_id.map(str::to_owned),
            endpoint,
        })
    }

    fn route_for(&self, source: &ProfileSource) -> Result<Route, Error> {
        Ok(match source {
            ProfileSource::Static(c) => Route {
                base: Base::Static(c.clone()),
                hops: Vec::new(),
            },
            ProfileSource::RamRoleArn { source, role } => {
                let mut route = self.route_for(source)?;
                route.hops.push(self.sts_role(role)?);
                route
            }
            ProfileSource::Oidc(o) => Route {
                base: Base::Oidc {
                    role: self.sts_role(&RoleHop {
                        role_arn: o.role_arn.clone(),
                        role_session_name: o.role_session_name.clone(),
                        duration_seconds: o.duration_seconds,
                        policy: o.policy.clone(),
                        external_id: None,
                        sts_region: o.sts_region.clone(),
                        enable_vpc: o.enable_vpc,
                    })?,
                    provider_arn: o.oidc_provider_arn.clone(),
                    token_file: o.oidc_token_file.clone(),
                },
                hops: Vec::new(),
            },
            ProfileSource::EcsRamRole { role_name } => Route {
                base: Base::Ecs {
                    base: self
                        .options
                        .ecs_metadata_endpoint
                        .clone()
                        .unwrap_or_else(|| ECS_METADATA_ENDPOINT.into())
                        .trim_end_matches('/')
                        .to_owned(),
                    role_name: role_name.clone(),
                    disable_v1: truthy(self.env.get("ALIBABA_CLOUD_IMDSV1_DISABLED")),
                },
                hops: Vec::new(),
            },
            ProfileSource::CredentialsUri { uri } => Route {
                base: Base::Uri(uri.clone()),
                hops: Vec::new(),
            },
        })
    }

    fn start_route(&mut self, route: Route, label: String) {
        self.label = label;
        self.current = None;
        self.hop = 0;
        self.ecs_token = None;
        self.ecs_role = None;
        self.waiting = Waiting::Nothing;
        self.route = Some(route);
    }

    fn fail_source(&mut self, problem: &str) {
        self.errors.push(format!("{}: {problem}", self.label));
        self.route = None;
        self.current = None;
        self.waiting = Waiting::Nothing;
    }

    fn timestamp(&self) -> Result<Timestamp, Error> {
        Timestamp::from_unix(self.now)
    }

    fn fetch(&mut self, request: HttpRequest, waiting: Waiting) {
        self.fetches += 1;
        self.waiting = waiting;
        self.pending = Some(Step::Fetch(request));
    }

    /// The next step on the current route.
    fn route_step(&mut self) -> Result<(), Error> {
        let route = self.route.clone().expect("a route");
        if self.current.is_none() {
            match &route.base {
                Base::Static(c) => {
                    self.current = Some(Temporaryish {
                        credentials: c.clone(),
                        expiration: None,
                    });
                }
                Base::Oidc { token_file, .. } => {
                    self.ask_file(token_file.clone(), Waiting::OidcToken);
                    return Ok(());
                }
                Base::Ecs { base, .. } => {
                    let req = fetch::ecs_token(base);
                    self.fetch(req, Waiting::EcsToken);
                    return Ok(());
                }
                Base::Uri(uri) => {
                    let req = fetch::uri_get(uri);
                    self.fetch(req, Waiting::Uri);
                    return Ok(());
                }
            }
        }
        let current = self.current.clone().expect("credentials so far");
        if let Some(role) = route.hops.get(self.hop) {
            // The first AssumeRole uses the host's nonce; a chained one derives its own.
            let nonce = if self.hop == 0 {
                self.nonce.clone()
            } else {
                format!("{}-{}", self.nonce, self.hop + 1)
            };
            match fetch::assume_role(&current.credentials, role, self.timestamp()?, &nonce) {
                Ok(req) => self.fetch(req, Waiting::Hop),
                Err(e) => self.fail_source(&files_problem(&e)),
            }
            return Ok(());
        }
        let prefetch_time = match route.base {
            Base::Ecs { .. } if route.hops.is_empty() => Some(self.now + ECS_PREFETCH_SECONDS),
            _ => None,
        };
        self.finished = Some(Ok(ResolvedCredentials {
            credentials: current.credentials,
            expiration: current.expiration,
            prefetch_time,
            source: self.label.clone(),
            route: route.fetches().then_some(route),
        }));
        Ok(())
    }

    fn oidc_token(&mut self, contents: Option<&str>) {
        let Some(Route {
            base:
                Base::Oidc {
                    role,
                    provider_arn,
                    token_file,
                },
            ..
        }) = self.route.clone()
        else {
            return;
        };
        let token = contents.map(str::trim).unwrap_or("");
        if token.is_empty() {
            let why = if contents.is_none() {
                "does not exist"
            } else {
                "is empty"
            };
            self.fail_source(&format!("the OIDC token file {token_file} {why}"));
            return;
        }
        match self.timestamp() {
            Ok(t) => {
                let req = fetch::assume_role_with_oidc(&role, &provider_arn, token, t);
                self.fetch(req, Waiting::Oidc);
            }
            Err(e) => self.fail_source(&files_problem(&e)),
        }
    }

    fn got(&mut self, t: Temporary, what: &str) -> Result<(), Error> {
        if t.expiration <= self.now {
            return Err(Error::credentials(format!(
                "{what}: the credentials received expired at {}",
                crate::timestamp::format_timestamp(t.expiration).unwrap_or_default()
            )));
        }
        self.current = Some(Temporaryish {
            credentials: t.credentials,
            expiration: Some(t.expiration),
        });
        Ok(())
    }

    fn on_answer(
        &mut self,
        waiting: Waiting,
        answer: Result<(u16, &str), &str>,
    ) -> Result<(), Error> {
        let route = self.route.clone().expect("a route");
        let transport = |what: &str, m: &str| {
            Error::credentials(format!("{what}: {}", crate::error::truncate(m)))
        };
        match waiting {
            Waiting::Oidc => {
                let (status, body) = answer.map_err(|m| transport("STS AssumeRoleWithOIDC", m))?;
                let t = parse_sts_answer(status, body, "STS AssumeRoleWithOIDC")?;
                self.got(t, "STS AssumeRoleWithOIDC")
            }
            Waiting::Hop => {
                let (status, body) = answer.map_err(|m| transport("STS AssumeRole", m))?;
                let t = parse_sts_answer(status, body, "STS AssumeRole")?;
                self.got(t, "STS AssumeRole")?;
                self.hop += 1;
                Ok(())
            }
            Waiting::Uri => {
                let (status, body) = answer.map_err(|m| transport("credentials URI", m))?;
                let t = parse_code_success_answer(status, body, "credentials URI")?;
                self.got(t, "credentials URI")
            }
            Waiting::EcsToken => {
                let Base::Ecs {
                    base,
                    role_name,
                    disable_v1,
                } = &route.base
                else {
                    return Ok(());
                };
                match answer {
                    Ok((200, body)) if !body.trim().is_empty() => {
                        self.ecs_token = Some(body.trim().to_owned());
                    }
                    Ok((status, _)) if *disable_v1 => {
                        return Err(Error::credentials(format!(
                            "ECS metadata token: HTTP {status} (IMDSv1 is disabled)"
                        )));
                    }
                    Err(m) if *disable_v1 => {
                        return Err(transport("ECS metadata token (IMDSv1 is disabled)", m));
                    }
                    _ => self.ecs_token = None,
                }
                let role = role_name.clone().or_else(|| self.ecs_role.clone());
                let req = fetch::ecs_get(base, role.as_deref(), self.ecs_token.as_deref());
                let next = if role.is_some() {
                    Waiting::EcsCredentials {
                        v1: self.ecs_token.is_none(),
                    }
                } else {
                    Waiting::EcsRole {
                        v1: self.ecs_token.is_none(),
                    }
                };
                self.fetch(req, next);
                Ok(())
            }
            Waiting::EcsRole { v1 } | Waiting::EcsCredentials { v1 } => {
                let Base::Ecs {
                    base,
                    role_name,
                    disable_v1,
                } = route.base.clone()
                else {
                    return Ok(());
                };
                let for_role = matches!(waiting, Waiting::EcsRole { .. });
                let what = if for_role {
                    "ECS metadata role name"
                } else {
                    "ECS metadata credentials"
                };
                let failed = match answer {
                    Ok((200, body)) => {
                        if for_role {
                            let role = body.lines().next().unwrap_or("").trim();
                            if role.is_empty() {
                                return Err(Error::credentials(
                                    "ECS metadata role name: no RAM role is attached to the instance",
                                ));
                            }
                            self.ecs_role = Some(role.to_owned());
                            let req = fetch::ecs_get(&base, Some(role), self.ecs_token.as_deref());
                            self.fetch(
                                req,
                                Waiting::EcsCredentials {
                                    v1: self.ecs_token.is_none(),
                                },
                            );
                            return Ok(());
                        }
                        let t = parse_code_success_answer(200, body, what)?;
                        self.got(t, what)?;
                        return Ok(());
                    }
                    Ok((status, _)) => Error::credentials(format!("{what}: HTTP {status}")),
                    Err(m) => transport(what, m),
                };
                // The official fallback: with a token that did not work, once more without
                // it, unless IMDSv1 is disabled.
                if !v1 && !disable_v1 {
                    self.ecs_token = None;
                    let role = if for_role {
                        None
                    } else {
                        role_name.or_else(|| self.ecs_role.clone())
                    };
                    let req = fetch::ecs_get(&base, role.as_deref(), None);
                    let next = if for_role {
                        Waiting::EcsRole { v1: true }
                    } else {
                        Waiting::EcsCredentials { v1: true }
                    };
                    self.fetch(req, next);
                    return Ok(());
                }
                Err(failed)
            }
            _ => Ok(()),
        }
    }
}

fn kind_of(source: &ProfileSource) -> &'static str {
    match source {
        ProfileSource::Static(_) => "static",
        ProfileSource::RamRoleArn { .. } => "ram_role_arn",
        ProfileSource::Oidc(_) => "oidc_role_arn",
        ProfileSource::EcsRamRole { .. } => "ecs_ram_role",
        ProfileSource::CredentialsUri { .. } => "credentials_uri",
    }
}

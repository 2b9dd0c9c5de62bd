//! `camskit`: sign, send and parse Alibaba Cloud CAMS requests from a shell.

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use camskit::{
    Credentials, Endpoint, EnvValue, Error, MAX_RESPONSE_BYTES, Method, RequestSpec,
    SignatureVersion, Signer, Timestamp, catalog,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::{Value, json};

/// Writes a line to standard output; a closed pipe (`camskit ops | head`) ends the program
/// quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            return Err(Failure::Usage(format!("writing the output: {e}")));
        }
    }};
}

/// The key pair `sign` uses when no credentials are set (it is also mock-cams's demo key).
const DEMO_KEY_ID: &str = "LTAI5tCamsKitDemoKey01";
const DEMO_KEY_SECRET: &str = "CamsKitDemoSecret0123456789abcd";

#[derive(Parser)]
#[command(
    name = "camskit",
    version,
    about = "Sign, send and parse Alibaba Cloud Chat App Message Service (CAMS) requests",
    long_about = "Sign, send and parse Alibaba Cloud Chat App Message Service (CAMS) requests.\n\n\
        Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and \
        ALIBABA_CLOUD_SECURITY_TOKEN (empty means none). With none set, `sign` uses a built-in \
        demo key pair and says so on stderr.\n\n\
        Exit codes: 0 success, 1 CAMS answered with an error, 2 bad usage, transport or parse \
        failure, 3 outcome unknown (a request that changes state was sent and got a server \
        error or no answer: it may have taken effect, and was not sent again)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign a request and print it (nothing is sent).
    Sign {
        #[command(flatten)]
        request: RequestArgs,
        /// What to print: the signed URL (and body), or one JSON object.
        #[arg(long, value_enum, default_value_t = Output::Url)]
        output: Output,
    },
    /// Sign a request, send it, and print CAMS's answer as JSON.
    Call {
        #[command(flatten)]
        request: RequestArgs,
        /// Seconds to wait for the answer (1 to 3600).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
        timeout: u64,
        /// Send credentials over plain http:// to a host that is not loopback (they travel in
        /// clear text: the key id, the signature and any STS token).
        #[arg(long)]
        allow_insecure_http: bool,
        /// Attempts in all, the first included (1 to 10; default 4). Writes are re-sent only
        /// when the request surely did not take effect.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10), conflicts_with = "no_retry")]
        max_attempts: Option<u32>,
        /// One attempt: no retry (a clock-skew rejection is still re-signed once).
        #[arg(long)]
        no_retry: bool,
        /// Walk every page of a list operation and print the items of all pages.
        #[arg(long)]
        all_pages: bool,
        /// With --all-pages: one JSON array (json), or one item per line as pages arrive (ndjson).
        #[arg(long, value_enum, default_value_t = CallOutput::Json)]
        output: CallOutput,
    },
    /// List the CAMS operations, or describe one (its parameters: location, type, style, required).
    Ops {
        /// An operation to describe.
        action: Option<String>,
    },
    /// Show which credentials the chain picks (source, key id, expiry; never the secret).
    Credentials {
        #[command(flatten)]
        chain: ChainArgs,
    },
    /// Parse a saved CAMS answer (a file, or - for standard input) as `call` would.
    Parse {
        /// The HTTP status the answer came with.
        #[arg(long)]
        status: u16,
        /// The body (default: standard input).
        #[arg(default_value = "-")]
        file: String,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CallOutput {
    /// The answer (or, with --all-pages, the items of every page) as pretty JSON.
    Json,
    /// With --all-pages: one item per line, as each page arrives.
    Ndjson,
}

/// How `call` runs.
struct CallOptions {
    timeout: u64,
    allow_insecure_http: bool,
    policy: camskit::RetryPolicy,
    all_pages: bool,
    output: CallOutput,
}

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    /// The URL, then headers to send (signature v3) and the form body, if any.
    Url,
    /// One JSON object: method, url, headers, body, string_to_sign, signature, ...
    Json,
}

/// Where credentials come from, besides the environment.
#[derive(Args, Clone, Default)]
struct ChainArgs {
    /// A profile of ~/.aliyun/config.json (or ~/.alibabacloud/credentials.ini) to use
    /// (default: ALIBABA_CLOUD_PROFILE, then the file's current profile).
    #[arg(long)]
    profile: Option<String>,
    /// Where STS AssumeRole requests go (default sts[-vpc][.<region>].aliyuncs.com).
    #[arg(long, value_name = "URL")]
    sts_endpoint: Option<String>,
    /// The ECS metadata service to ask for a RAM role's key (it is asked only when
    /// ALIBABA_CLOUD_ECS_METADATA names the role or this option is given).
    #[arg(long, value_name = "URL")]
    ecs_metadata_endpoint: Option<String>,
}

#[derive(Args)]
struct RequestArgs {
    /// The CAMS action, such as ChatappMigrationRegister.
    action: String,
    /// Query parameters as NAME=VALUE (split at the first '='; the value is signed exactly).
    params: Vec<String>,
    /// Form-body parameters as NAME=VALUE (with --raw; for CAMS the catalog places them).
    #[arg(long = "form", value_name = "NAME=VALUE")]
    form: Vec<String>,
    /// All parameters as one JSON object, from a file or - (standard input).
    #[arg(long, value_name = "FILE|-")]
    params_json: Option<String>,
    /// HTTP method (default: the catalog's, POST).
    #[arg(long)]
    method: Option<String>,
    /// Region of the CAMS endpoint (cams.<region>.aliyuncs.com; default ap-southeast-1, the
    /// only region CAMS is offered in). With --endpoint too, both must name the same host.
    #[arg(long)]
    region: Option<String>,
    /// An explicit endpoint: a host, or a URL such as http://127.0.0.1:8080.
    #[arg(long)]
    endpoint: Option<String>,
    /// API version.
    #[arg(long, default_value = camskit::CAMS_API_VERSION)]
    api_version: String,
    /// Signature version: 1.0 (HMAC-SHA1, the default) or v3 (ACS3-HMAC-SHA256).
    #[arg(long, default_value = "1.0")]
    signature: String,
    /// Request time: YYYY-MM-DDThh:mm:ssZ or unix seconds (default: now).
    #[arg(long)]
    timestamp: Option<String>,
    /// Signature nonce (default: a random UUIDv4).
    #[arg(long)]
    nonce: Option<String>,
    /// An extra header to send (signed under v3), as NAME=VALUE.
    #[arg(long = "header", value_name = "NAME=VALUE")]
    headers: Vec<String>,
    /// Skip the CAMS catalog (no checks, values as given): signs any Alibaba Cloud RPC API.
    #[arg(long)]
    raw: bool,
    #[command(flatten)]
    chain: ChainArgs,
}

/// A failure, with its exit code and what to print on stderr.
enum Failure {
    /// Bad usage, or a transport / parse failure (exit 2).
    Usage(String),
    /// CAMS answered with an error (exit 1, JSON on stderr).
    Api(Value),
    /// A write may have taken effect (exit 3).
    OutcomeUnknown(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Api(api) if api.kind == camskit::ErrorKind::OutcomeUnknown => {
                Failure::OutcomeUnknown(format!(
                    "outcome unknown: {api}; the request may have taken effect and was not sent again (check before retrying)"
                ))
            }
            Error::Api(api) => Failure::Api(api_error_json(&api)),
            e @ Error::Transport {
                outcome_unknown: true,
                ..
            } => Failure::OutcomeUnknown(e.to_string()),
            other => Failure::Usage(other.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign { request, output } => sign(&request, output),
        Command::Call {
            request,
            timeout,
            allow_insecure_http,
            max_attempts,
            no_retry,
            all_pages,
            output,
        } => {
            let mut policy = camskit::RetryPolicy::default();
            if no_retry {
                policy = camskit::RetryPolicy::no_retry();
            }
            if let Some(n) = max_attempts {
                policy.max_attempts = n;
            }
            call(
                &request,
                &CallOptions {
                    timeout,
                    allow_insecure_http,
                    policy,
                    all_pages,
                    output,
                },
            )
        }
        Command::Parse { status, file } => parse(status, &file),
        Command::Credentials { chain } => show_credentials(&chain),
        Command::Ops { action } => ops(action.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Api(v)) => {
            eprintln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            ExitCode::from(1)
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("camskit: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::OutcomeUnknown(msg)) => {
            eprintln!("camskit: {msg}");
            ExitCode::from(3)
        }
    }
}

fn split_pair(arg: &str, what: &str) -> Result<(String, String), Failure> {
    arg.split_once('=')
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .ok_or_else(|| Failure::Usage(format!("{what} {arg:?} is not NAME=VALUE")))
}

/// Where credentials come from.
enum Source {
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

/// The credentials the official default chain gives (the core plans it; this reads the files
/// and sends the requests it names), or the demo key when nothing at all is configured.
fn credentials(
    chain: &ChainArgs,
) -> Result<(camskit::provider::ResolvedCredentials, Source), Failure> {
    use camskit::provider::{ChainOptions, Plan, Step};
    let lookup = |name: &str| {
        if name == "ALIBABA_CLOUD_PROFILE" {
            if let Some(p) = &chain.profile {
                return Some(EnvValue::Text(p.clone()));
            }
        }
        env_lookup(name)
    };
    let home = std::env::var("HOME").unwrap_or_default();
    if chain.profile.is_none() && nothing_configured(&home) {
        let demo = Credentials::new(DEMO_KEY_ID, DEMO_KEY_SECRET)?;
        return Ok((
            camskit::provider::ResolvedCredentials::fixed(demo, "demo"),
            Source::Demo,
        ));
    }
    let options = ChainOptions {
        sts_endpoint: chain.sts_endpoint.clone(),
        ecs_metadata_endpoint: chain.ecs_metadata_endpoint.clone(),
        probe_ecs_metadata: false,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let nonce = uuid::Uuid::new_v4().to_string();
    let mut plan = Plan::new(lookup, &home, now, &nonce, options)?;
    loop {
        match plan.next()? {
            Step::ReadFile { path } => {
                let text = std::fs::read(&path)
                    .ok()
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                plan.feed_file(text.as_deref())?;
            }
            Step::Fetch(request) => match fetch(&request) {
                Ok((status, body)) => plan.feed_response(status, &body)?,
                Err(message) => plan.feed_failure(&message)?,
            },
            Step::Ready(resolved) => {
                let label = resolved.source.clone();
                return Ok((resolved, Source::Chain(label)));
            }
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

/// One request of the credentials chain (STS, OIDC, ECS metadata, a credentials URI), with
/// redirects refused like every request camskit sends.
fn fetch(request: &camskit::provider::HttpRequest) -> Result<(u16, String), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(request.url.as_str());
    for (n, v) in &request.headers {
        builder = builder.header(n.as_str(), v.as_str());
    }
    let body = request.body.clone().unwrap_or_default();
    let req = builder.body(body).map_err(|e| e.to_string())?;
    let mut response = agent.run(req).map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok((status, text))
}

/// `camskit credentials`: which source, which key, until when.
fn show_credentials(chain: &ChainArgs) -> Result<(), Failure> {
    let (resolved, source) = credentials(chain)?;
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

fn timestamp(arg: Option<&str>) -> Result<Timestamp, Failure> {
    Ok(match arg {
        Some(t) => Timestamp::parse(t)?,
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| Failure::Usage("the system clock is before 1970".into()))?;
            Timestamp::from_unix_f64(now.as_secs_f64())?
        }
    })
}

/// What the arguments describe: the signer, the request, where the credentials came from.
struct Prepared {
    signer: Signer,
    spec: RequestSpec,
    source: Source,
    endpoint: Endpoint,
}

/// Signs what the arguments describe; also says where the credentials came from.
fn build(args: &RequestArgs) -> Result<(camskit::SignedRequest, Source, Endpoint), Failure> {
    let p = prepare(args)?;
    let nonce = args
        .nonce
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let signed = p
        .signer
        .sign_spec(&p.spec, timestamp(args.timestamp.as_deref())?, &nonce)?;
    Ok((signed, p.source, p.endpoint))
}

fn prepare(args: &RequestArgs) -> Result<Prepared, Failure> {
    let endpoint = Endpoint::resolve(args.region.as_deref(), args.endpoint.as_deref())?;
    if let Some(warning) = endpoint.warning() {
        eprintln!("camskit: warning: {warning}");
    }
    let params = args
        .params
        .iter()
        .map(|p| split_pair(p, "parameter"))
        .collect::<Result<Vec<_>, _>>()?;
    let form = args
        .form
        .iter()
        .map(|p| split_pair(p, "--form"))
        .collect::<Result<Vec<_>, _>>()?;
    let text = |pairs: Vec<(String, String)>| -> Vec<(String, Value)> {
        pairs
            .into_iter()
            .map(|(n, v)| (n, Value::String(v)))
            .collect()
    };
    let mut spec = RequestSpec {
        action: args.action.clone(),
        raw: args.raw,
        api_version: Some(args.api_version.clone()),
        form: text(form),
        method: args.method.as_deref().map(Method::parse).transpose()?,
        signature: SignatureVersion::parse(&args.signature)?,
        headers: args
            .headers
            .iter()
            .map(|h| split_pair(h, "--header"))
            .collect::<Result<_, _>>()?,
        ..RequestSpec::default()
    };
    spec.params = if args.raw {
        let mut all = text(params);
        if let Some(source) = &args.params_json {
            let text = read_input(source, MAX_PARAMS_JSON_BYTES, "--params-json")?;
            all.extend(
                RequestSpec::params_from_json(&text)
                    .map_err(|e| Failure::Usage(format!("--params-json {source}: {e}")))?,
            );
        }
        all
    } else {
        catalog_params(&args.action, params, args.params_json.as_deref())?
    };
    let (resolved, source) = credentials(&args.chain)?;
    let creds = resolved.credentials;
    Ok(Prepared {
        signer: Signer::new(creds, endpoint.clone()),
        spec,
        source,
        endpoint,
    })
}

/// The largest `--params-json` accepted, in bytes.
const MAX_PARAMS_JSON_BYTES: usize = 4 << 20;

/// Parameters for the catalog: NAME=VALUE text read as each parameter's type, and/or one JSON
/// object of parameters (`--params-json`; a name given twice in it is an error, as twice on
/// the command line is).
fn catalog_params(
    action: &str,
    params: Vec<(String, String)>,
    params_json: Option<&str>,
) -> Result<Vec<(String, Value)>, Failure> {
    let mut out: Vec<(String, Value)> = catalog::values_from_text(action, &params)?
        .into_iter()
        .collect();
    let Some(source) = params_json else {
        return Ok(out);
    };
    let text = read_input(source, MAX_PARAMS_JSON_BYTES, "--params-json")?;
    let object = RequestSpec::params_from_json(&text)
        .map_err(|e| Failure::Usage(format!("--params-json {source}: {e}")))?;
    for (name, value) in object {
        if out.iter().any(|(n, _)| *n == name) {
            return Err(Failure::Usage(format!(
                "parameter {name} is given both in --params-json and as an argument"
            )));
        }
        out.push((name, value));
    }
    Ok(out)
}

/// Reads a file or standard input (`-`), refusing more than `limit` bytes.
fn read_input(source: &str, limit: usize, what: &str) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    let reader: Box<dyn Read> = if source == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(source).map_err(|e| Failure::Usage(format!("{source}: {e}")))?)
    };
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| Failure::Usage(format!("reading {source}: {e}")))?;
    if body.len() > limit {
        return Err(Failure::Usage(format!(
            "{what} {source}: more than {limit} bytes"
        )));
    }
    Ok(body)
}

/// `camskit ops [ACTION]`.
fn ops(action: Option<&str>) -> Result<(), Failure> {
    let Some(action) = action else {
        for op in catalog::operations() {
            out!("{}\t{}", op.name(), op.method());
        }
        return Ok(());
    };
    let op = catalog::operation(action)?;
    out!(
        "{} ({}, CAMS {})",
        op.name(),
        op.method(),
        camskit::CAMS_API_VERSION
    );
    out!(
        "{:<28} {:<6} {:<16} {:<6} required",
        "parameter",
        "in",
        "type",
        "style"
    );
    for p in op.params() {
        let ty = match p.item_type() {
            Some(item) => format!("{}<{}>", p.ty(), item),
            None => p.ty().to_string(),
        };
        let location = p.location().as_str();
        out!(
            "{:<28} {:<6} {:<16} {:<6} {}",
            p.name(),
            location,
            ty,
            p.style().as_str(),
            if p.required() { "yes" } else { "no" }
        );
    }
    Ok(())
}

fn sign(args: &RequestArgs, output: Output) -> Result<(), Failure> {
    let (signed, source, _) = build(args)?;
    if let Source::Demo = source {
        eprintln!(
            "camskit: no ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET set: signed with the built-in demo key {DEMO_KEY_ID} (CAMS will reject it)"
        );
    }
    match output {
        Output::Json => {
            let v = serde_json::to_value(&signed)
                .map_err(|e| Failure::Usage(format!("cannot write JSON: {e}")))?;
            out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Output::Url => {
            out!("{}", signed.url);
            let show_headers = signed.signature_version == SignatureVersion::V3;
            for (name, value) in &signed.headers {
                if show_headers || name == "content-type" {
                    out!("{name}: {value}");
                }
            }
            if let Some(body) = &signed.body {
                out!("");
                out!("{body}");
            }
        }
    }
    Ok(())
}

fn call(args: &RequestArgs, options: &CallOptions) -> Result<(), Failure> {
    if args.timestamp.is_some() || args.nonce.is_some() {
        return Err(Failure::Usage(
            "call signs each attempt with the current time and a fresh nonce: --timestamp and --nonce are for sign".into(),
        ));
    }
    let Prepared {
        signer,
        mut spec,
        source,
        endpoint,
    } = prepare(args)?;
    match source {
        Source::Demo if !endpoint.is_loopback() => {
            return Err(Failure::Usage(
                "call needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the demo key is only sent to loopback endpoints)".into(),
            ));
        }
        Source::Demo => eprintln!(
            "camskit: no credentials set: using the demo key {DEMO_KEY_ID} with the loopback endpoint"
        ),
        Source::Chain(_) => endpoint
            .check_credentials_transport(options.allow_insecure_http)
            .map_err(|e| Failure::Usage(format!("{e} (--allow-insecure-http)")))?,
    }
    if !options.all_pages {
        if options.output == CallOutput::Ndjson {
            return Err(Failure::Usage("--output ndjson needs --all-pages".into()));
        }
        let answer = drive(&signer, &spec, options)?;
        out!(
            "{}",
            serde_json::to_string_pretty(&Value::Object(answer.body)).unwrap_or_default()
        );
        return Ok(());
    }
    if spec.raw {
        return Err(Failure::Usage(
            "--all-pages needs the catalog (it knows how each list operation pages)".into(),
        ));
    }
    let mut all = Vec::new();
    let mut pages = 0u32;
    loop {
        let answer = drive(&signer, &spec, options)?;
        pages += 1;
        let items = camskit::page_items(&spec.action, &answer).ok_or_else(|| {
            Failure::Usage(format!(
                "--all-pages: {} is not a list whose items the official model types",
                spec.action
            ))
        })?;
        for item in items {
            match options.output {
                CallOutput::Ndjson => out!("{item}"),
                CallOutput::Json => all.push(item.clone()),
            }
        }
        match camskit::next_page(&spec.action, &spec.params, &answer)? {
            Some(next) if pages < 10_000 => spec.params = next,
            _ => break,
        }
    }
    if options.output == CallOutput::Json {
        out!(
            "{}",
            serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_default()
        );
    }
    eprintln!("camskit: {pages} page(s)");
    Ok(())
}

/// Drives one logical call with the core's machine: sends each attempt, sleeps when told,
/// prints each retry on stderr.
fn drive(
    signer: &Signer,
    spec: &RequestSpec,
    options: &CallOptions,
) -> Result<camskit::Response, Failure> {
    use camskit::Step;
    let mut machine = camskit::Call::new(signer.clone(), spec, options.policy.clone())?;
    let now_ms = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64)
    };
    let mut last: Option<camskit::SignedRequest> = None;
    loop {
        match machine.poll(now_ms(), *uuid::Uuid::new_v4().as_bytes()) {
            Step::Send(signed) => {
                match send(&signed, signer.endpoint(), options.timeout) {
                    Ok((status, headers, body)) => {
                        let h: Vec<(&str, &str)> = headers
                            .iter()
                            .map(|(n, v)| (n.as_str(), v.as_str()))
                            .collect();
                        machine.on_response(now_ms(), status, &h, &body);
                    }
                    Err((failure, message)) => {
                        machine.on_transport_error(now_ms(), failure, &message);
                    }
                }
                last = Some(signed);
            }
            Step::Wait(wait) => {
                eprintln!(
                    "camskit: attempt {} failed: {}; retrying in {} ms",
                    wait.attempt, wait.reason, wait.millis
                );
                std::thread::sleep(Duration::from_millis(wait.millis));
            }
            Step::Done(Ok(answer)) => return Ok(answer),
            Step::Done(Err(Error::Api(api))) if api.kind != camskit::ErrorKind::OutcomeUnknown => {
                return Err(api_failure(&api, last.as_ref()));
            }
            Step::Done(Err(Error::Transport {
                reason,
                outcome_unknown: false,
            })) => {
                let host = last.as_ref().map_or("", |s| host_of(&s.url));
                return Err(Failure::Usage(format!("cannot reach {host}: {reason}")));
            }
            Step::Done(Err(e)) => return Err(e.into()),
        }
    }
}

type Headers = Vec<(String, String)>;

/// Sends one signed request; a failure without an answer says whether the request could
/// have been sent.
fn send(
    signed: &camskit::SignedRequest,
    endpoint: &Endpoint,
    timeout: u64,
) -> Result<(u16, Headers, Vec<u8>), (camskit::TransportFailure, String)> {
    // Resolve the name first: a name that does not resolve is a failure before anything was
    // sent (ureq reports it as a plain I/O error, which could come later too).
    resolves(endpoint).map_err(|e| (camskit::TransportFailure::RefusedBeforeSend, e))?;
    // Redirects are never followed: they would carry the credentials to another host.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(timeout)))
        .build()
        .into();
    let result = match signed.method {
        Method::Get => {
            let mut req = agent.get(&signed.url);
            for (n, v) in signed.headers_to_send() {
                req = req.header(n, v);
            }
            req.call()
        }
        Method::Post => {
            let mut req = agent.post(&signed.url);
            for (n, v) in signed.headers_to_send() {
                req = req.header(n, v);
            }
            match &signed.body {
                Some(body) => req.send(body.as_bytes()),
                None => req.send_empty(),
            }
        }
    };
    let mut response = result.map_err(|e| (transport_failure(&e), e.to_string()))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    response
        .body_mut()
        .with_config()
        .limit(MAX_RESPONSE_BYTES as u64 + 1)
        .reader()
        .read_to_end(&mut body)
        .map_err(|e| {
            (
                camskit::TransportFailure::ResetAfterSend,
                format!("reading the answer failed: {e}"),
            )
        })?;
    Ok((status, headers, body))
}

/// Resolves the endpoint's host and port (core's `Endpoint::socket_target`) as the HTTP
/// client will.
fn resolves(endpoint: &Endpoint) -> Result<(), String> {
    use std::net::ToSocketAddrs;
    let host = endpoint.host();
    match endpoint
        .socket_target()
        .to_socket_addrs()
        .map(|mut a| a.next())
    {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(format!("{host} has no address")),
        Err(e) => Err(format!("cannot resolve {host}: {e}")),
    }
}

/// Could the request have been sent? Failures to resolve, connect or set up TLS happen before
/// anything is written; anything later may have reached the server.
fn transport_failure(e: &ureq::Error) -> camskit::TransportFailure {
    use camskit::TransportFailure::*;
    use ureq::Timeout;
    match e {
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BadUri(_)
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::Timeout(Timeout::Resolve | Timeout::Connect) => RefusedBeforeSend,
        ureq::Error::Io(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::AddrNotAvailable
                    | std::io::ErrorKind::NotFound
            ) =>
        {
            RefusedBeforeSend
        }
        ureq::Error::Timeout(_) => TimedOut,
        _ => ResetAfterSend,
    }
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

fn parse(status: u16, file: &str) -> Result<(), Failure> {
    // One byte more than the core parses, so an oversized answer gets the core's error.
    let body = read_input(file, MAX_RESPONSE_BYTES + 1, "the answer")?;
    report(status, &body)
}

/// Prints a parsed answer (stdout) or its error (stderr).
fn report(status: u16, body: &[u8]) -> Result<(), Failure> {
    match camskit::parse_response(status, body) {
        Ok(ok) => {
            out!(
                "{}",
                serde_json::to_string_pretty(&Value::Object(ok.body)).unwrap_or_default()
            );
            Ok(())
        }
        Err(Error::Api(api)) => Err(api_failure(&api, None)),
        Err(e) => Err(e.into()),
    }
}

/// An API error for stderr; for a signature mismatch, both strings to sign and a hint.
fn api_failure(api: &camskit::ApiError, signed: Option<&camskit::SignedRequest>) -> Failure {
    let mut v = api_error_json(api);
    if let (Some(server), Some(signed)) = (&api.server_string_to_sign, signed) {
        v["client_string_to_sign"] = json!(signed.string_to_sign);
        v["hint"] = json!(if server == &signed.string_to_sign {
            "CAMS signed the same string: the access key secret is wrong"
        } else {
            "CAMS signed a different string: a parameter changed on the way or was encoded differently"
        });
    }
    Failure::Api(v)
}

fn api_error_json(api: &camskit::ApiError) -> Value {
    json!({
        "error": "api",
        "status": api.status,
        "code": api.code,
        "message": api.message,
        "kind": api.kind.as_str(),
        "retryable": api.retryable(),
        "request_id": api.request_id,
        "host_id": api.host_id,
        "recommend": api.recommend,
        "access_denied_detail": api.access_denied_detail,
        "server_string_to_sign": api.server_string_to_sign,
    })
}

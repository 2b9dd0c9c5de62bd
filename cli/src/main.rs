//! `camskit`: sign, send and parse Alibaba Cloud CAMS requests from a shell.

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use camskit::{
    Credentials, Endpoint, Error, Method, Request, SignatureVersion, Signer, Timestamp, catalog,
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
        Exit codes: 0 success, 1 CAMS answered with an error, 2 bad usage, transport or parse failure."
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
        /// Seconds to wait for the answer.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
    },
    /// List the CAMS operations, or describe one (its parameters: location, type, style, required).
    Ops {
        /// An operation to describe.
        action: Option<String>,
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

#[derive(Clone, Copy, ValueEnum)]
enum Output {
    /// The URL, then headers to send (signature v3) and the form body, if any.
    Url,
    /// One JSON object: method, url, headers, body, string_to_sign, signature, ...
    Json,
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
    /// Region of the CAMS endpoint (cams.<region>.aliyuncs.com).
    #[arg(long, conflicts_with = "endpoint", default_value = camskit::DEFAULT_REGION)]
    region: String,
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
}

/// A failure, with its exit code and what to print on stderr.
enum Failure {
    /// Bad usage, or a transport / parse failure (exit 2).
    Usage(String),
    /// CAMS answered with an error (exit 1, JSON on stderr).
    Api(Value),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        match e {
            Error::Api(api) => Failure::Api(api_error_json(&api)),
            other => Failure::Usage(other.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Sign { request, output } => sign(&request, output),
        Command::Call { request, timeout } => call(&request, timeout),
        Command::Parse { status, file } => parse(status, &file),
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
    }
}

fn split_pair(arg: &str, what: &str) -> Result<(String, String), Failure> {
    arg.split_once('=')
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .ok_or_else(|| Failure::Usage(format!("{what} {arg:?} is not NAME=VALUE")))
}

/// Where credentials come from.
enum Source {
    Environment,
    Demo,
}

fn credentials() -> Result<(Credentials, Source), Failure> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let id = var("ALIBABA_CLOUD_ACCESS_KEY_ID");
    let secret = var("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    let token = var("ALIBABA_CLOUD_SECURITY_TOKEN");
    match (id, secret) {
        (Some(id), Some(secret)) => {
            let mut c = Credentials::new(id, secret)?;
            if let Some(t) = token {
                c = c.with_security_token(t)?;
            }
            Ok((c, Source::Environment))
        }
        (None, None) => Ok((
            Credentials::new(DEMO_KEY_ID, DEMO_KEY_SECRET)?,
            Source::Demo,
        )),
        (Some(_), None) => Err(Failure::Usage(
            "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not".into(),
        )),
        (None, Some(_)) => Err(Failure::Usage(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not".into(),
        )),
    }
}

fn timestamp(arg: Option<&str>) -> Result<Timestamp, Failure> {
    Ok(match arg {
        Some(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
            let secs: i64 = t
                .parse()
                .map_err(|_| Failure::Usage(format!("--timestamp {t}: too large")))?;
            Timestamp::from_unix(secs)?
        }
        Some(t) => Timestamp::parse(t)?,
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|_| Failure::Usage("the system clock is before 1970".into()))?;
            Timestamp::from_unix(now.as_secs() as i64)?
        }
    })
}

/// Signs what the arguments describe; also says where the credentials came from.
fn build(args: &RequestArgs) -> Result<(camskit::SignedRequest, Source, Endpoint), Failure> {
    let endpoint = match &args.endpoint {
        Some(e) => Endpoint::parse(e)?,
        None => Endpoint::region(&args.region)?,
    };
    let params = args
        .params
        .iter()
        .map(|p| split_pair(p, "parameter"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut request = if args.raw {
        if args.params_json.is_some() {
            return Err(Failure::Usage(
                "--params-json needs the catalog: it cannot be used with --raw".into(),
            ));
        }
        let mut r = Request::new(args.action.as_str()).with_api_version(args.api_version.as_str());
        for (n, v) in params {
            r.push_param(n, v);
        }
        for p in &args.form {
            let (n, v) = split_pair(p, "--form")?;
            r.push_form_param(n, v);
        }
        r
    } else {
        if !args.form.is_empty() {
            return Err(Failure::Usage(
                "--form is for --raw requests: the catalog decides which CAMS parameters go in the body".into(),
            ));
        }
        if args.api_version != camskit::CAMS_API_VERSION {
            return Err(Failure::Usage(format!(
                "--api-version {} needs --raw: the catalog describes CAMS {}",
                args.api_version,
                camskit::CAMS_API_VERSION
            )));
        }
        catalog_request(&args.action, params, args.params_json.as_deref())?
    };
    if let Some(m) = &args.method {
        request = request.with_method(Method::parse(m)?);
    }
    request = request.with_signature(SignatureVersion::parse(&args.signature)?);
    for h in &args.headers {
        let (n, v) = split_pair(h, "--header")?;
        request = request.header(n, v);
    }
    let (creds, source) = credentials()?;
    let nonce = args
        .nonce
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let signed = Signer::new(creds, endpoint.clone()).sign(
        &request,
        timestamp(args.timestamp.as_deref())?,
        &nonce,
    )?;
    Ok((signed, source, endpoint))
}

/// A CAMS request checked against the catalog: NAME=VALUE text read as each parameter's
/// type, and/or one JSON object of parameters (`--params-json`).
fn catalog_request(
    action: &str,
    params: Vec<(String, String)>,
    params_json: Option<&str>,
) -> Result<Request, Failure> {
    let Some(source) = params_json else {
        return Ok(catalog::request_from_text(action, &params)?);
    };
    let text = read_input(source)?;
    let value: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| Failure::Usage(format!("--params-json {source}: not JSON ({e})")))?;
    let serde_json::Value::Object(mut map) = value else {
        return Err(Failure::Usage(format!(
            "--params-json {source}: not a JSON object of parameters"
        )));
    };
    // NAME=VALUE arguments next to the object: read as their types, then added.
    if !params.is_empty() {
        let extra = catalog::values_from_text(action, &params)?;
        for (name, value) in extra {
            if map.insert(name.clone(), value).is_some() {
                return Err(Failure::Usage(format!(
                    "parameter {name} is given both in --params-json and as an argument"
                )));
            }
        }
    }
    Ok(catalog::request(action, &map)?)
}

fn read_input(source: &str) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    if source == "-" {
        std::io::stdin()
            .read_to_end(&mut body)
            .map_err(|e| Failure::Usage(format!("reading standard input: {e}")))?;
    } else {
        body = std::fs::read(source).map_err(|e| Failure::Usage(format!("{source}: {e}")))?;
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
        let location = match p.location() {
            catalog::Location::Query => "query",
            catalog::Location::Body => "body",
        };
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

fn call(args: &RequestArgs, timeout: u64) -> Result<(), Failure> {
    let (signed, source, endpoint) = build(args)?;
    if let Source::Demo = source {
        if !endpoint.is_local() {
            return Err(Failure::Usage(
                "call needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the demo key is only sent to local endpoints)".into(),
            ));
        }
        eprintln!(
            "camskit: no credentials set: using the demo key {DEMO_KEY_ID} with the local endpoint"
        );
    }
    let (status, body) = send(&signed, timeout)?;
    report(status, &body, Some(&signed))
}

fn send(signed: &camskit::SignedRequest, timeout: u64) -> Result<(u16, Vec<u8>), Failure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(timeout)))
        .build()
        .into();
    let transport =
        |e: ureq::Error| Failure::Usage(format!("cannot reach {}: {e}", host_of(&signed.url)));
    let mut response = match signed.method {
        Method::Get => {
            let mut req = agent.get(&signed.url);
            for (n, v) in &signed.headers {
                if n != "host" {
                    req = req.header(n.as_str(), v.as_str());
                }
            }
            req.call().map_err(transport)?
        }
        Method::Post => {
            let mut req = agent.post(&signed.url);
            for (n, v) in &signed.headers {
                if n != "host" {
                    req = req.header(n.as_str(), v.as_str());
                }
            }
            match &signed.body {
                Some(body) => req.send(body.as_bytes()).map_err(transport)?,
                None => req.send_empty().map_err(transport)?,
            }
        }
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(64 * 1024 * 1024)
        .read_to_end(&mut body)
        .map_err(|e| Failure::Usage(format!("reading the answer failed: {e}")))?;
    Ok((status, body))
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

fn parse(status: u16, file: &str) -> Result<(), Failure> {
    report(status, &read_input(file)?, None)
}

/// Prints a parsed answer (stdout) or its error (stderr).
fn report(
    status: u16,
    body: &[u8],
    signed: Option<&camskit::SignedRequest>,
) -> Result<(), Failure> {
    match camskit::parse_response(status, body) {
        Ok(ok) => {
            out!(
                "{}",
                serde_json::to_string_pretty(&Value::Object(ok.body)).unwrap_or_default()
            );
            Ok(())
        }
        Err(Error::Api(api)) => {
            let mut v = api_error_json(&api);
            if let (Some(server), Some(signed)) = (&api.server_string_to_sign, signed) {
                v["client_string_to_sign"] = json!(signed.string_to_sign);
                v["hint"] = json!(if server == &signed.string_to_sign {
                    "CAMS signed the same string: the access key secret is wrong"
                } else {
                    "CAMS signed a different string: a parameter changed on the way or was encoded differently"
                });
            }
            Err(Failure::Api(v))
        }
        Err(e) => Err(e.into()),
    }
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

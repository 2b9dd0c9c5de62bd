//! How a command fails: the failure kinds and their exit codes (2 usage or transport, 1 an
//! API error, 3 outcome unknown), an API error as JSON for stderr (tokens cut out), and the
//! `out!` macro that writes a line to standard output. Below every other module.

use std::process::ExitCode;

use camskit::Error;
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
            return Err($crate::failure::Failure::Usage(format!("writing the output: {e}")));
        }
    }};
}

/// A failure, with its exit code and what to print on stderr.
pub enum Failure {
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

/// Prints a command's result on stderr, if it failed, and gives its exit code.
pub fn exit(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Api(mut v)) => {
            redact_json(&mut v);
            eprintln!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            ExitCode::from(1)
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("camskit: {}", redact(&msg));
            ExitCode::from(2)
        }
        Err(Failure::OutcomeUnknown(msg)) => {
            eprintln!("camskit: {}", redact(&msg));
            ExitCode::from(3)
        }
    }
}

/// An API error for stderr; for a signature mismatch, both strings to sign, which parameters
/// differ, and a hint. Core has already cut the STS token out of the server's string; the
/// client's is cut the same way, so the two still compare.
pub fn api_failure(api: &camskit::ApiError, signed: Option<&camskit::SignedRequest>) -> Failure {
    let mut v = api_error_json(api);
    if let (Some(server), Some(signed)) = (&api.server_string_to_sign, signed) {
        let client = redact(&signed.string_to_sign);
        let server = redact(server);
        v["client_string_to_sign"] = json!(client);
        if server == client {
            v["hint"] = json!("CAMS signed the same string: the access key secret is wrong");
        } else {
            let mut hint = String::from(
                "CAMS signed a different string: a parameter changed on the way or was encoded differently",
            );
            if let Some(names) = differing_parameters(&server, &client) {
                if !names.is_empty() {
                    hint.push_str(&format!(" (it differs in: {})", names.join(", ")));
                }
                v["differs"] = json!(names);
            }
            v["hint"] = json!(hint);
        }
    }
    Failure::Api(v)
}

/// The parameters (and `method`) in which two RPC strings to sign (`METHOD&%2F&` + the
/// encoded canonical query) differ, in the client's order; `None` when either is not one.
fn differing_parameters(server: &str, client: &str) -> Option<Vec<String>> {
    fn parts(s: &str) -> Option<(&str, Vec<(String, String)>)> {
        let mut it = s.splitn(3, '&');
        let (method, _path, query) = (it.next()?, it.next()?, it.next()?);
        let query = percent_decode(query)?;
        let pairs = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((n, v)) => (n.to_owned(), v.to_owned()),
                None => (p.to_owned(), String::new()),
            })
            .collect();
        Some((method, pairs))
    }
    let (server_method, server) = parts(server)?;
    let (client_method, client) = parts(client)?;
    let mut names = Vec::new();
    if server_method != client_method {
        names.push("method".to_owned());
    }
    let value = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    for (name, _) in client.iter().chain(&server) {
        if !names.contains(name) && value(&client, name) != value(&server, name) {
            names.push(name.clone());
        }
    }
    Some(names)
}

/// `%XX` decoded once (the string to sign encodes the canonical query a second time).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `text` with every STS token's value replaced by `<redacted>`: core's one rule
/// ([`camskit::redact_tokens`]), applied to everything camskit writes on stderr.
fn redact(text: &str) -> String {
    camskit::redact_tokens(text)
}

/// Every string in `v` redacted.
fn redact_json(v: &mut Value) {
    match v {
        Value::String(s) => *s = redact(s),
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        Value::Object(map) => map.values_mut().for_each(redact_json),
        _ => {}
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

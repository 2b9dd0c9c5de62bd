//! What the command prints: signed requests, the catalog, and parsed answers or API errors.

use camskit::{Error, MAX_RESPONSE_BYTES, SignatureVersion, catalog};
use serde_json::Value;

use crate::args::{Output, RequestArgs};
use crate::credentials::{DEMO_KEY_ID, Source};
use crate::failure::{Failure, api_failure};
use crate::prepare::{build, read_input};

/// `camskit ops [ACTION]`.
pub fn ops(action: Option<&str>) -> Result<(), Failure> {
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

/// `camskit sign`: the signed request, as a URL (and body) or as one JSON object.
pub fn sign(args: &RequestArgs, output: Output) -> Result<(), Failure> {
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

/// `camskit parse`.
pub fn parse(status: u16, file: &str) -> Result<(), Failure> {
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

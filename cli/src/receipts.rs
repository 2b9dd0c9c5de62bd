//! `camskit receipts parse`, `camskit receipts pull` and `camskit mns-sign`: core parses the
//! receipts, runs the queue consumer and signs MNS requests; this reads files, sends HTTP,
//! keeps the clock and writes the lines.

use std::io::Write as _;
use std::time::Duration;

use camskit::Endpoint;
use camskit::mns::{
    Consumer, ConsumerOptions, ConsumerStep, MAX_MNS_RESPONSE_BYTES, MNS_API_VERSION,
    MNS_CONTENT_TYPE, MnsRequest, http_date, sign_mns,
};
use camskit::receipts::{Event, MAX_RECEIPT_BYTES, parse_mns_body, parse_push};
use serde_json::{Value, json};

use crate::args::{MnsSignArgs, Output, PullArgs};
use crate::credentials::{DEMO_KEY_ID, Source, credentials};
use crate::failure::Failure;
use crate::prepare::{read_input, split_pair};
use crate::transport::send;

/// `camskit receipts parse`: one event per line.
pub fn parse(message_type: Option<&str>, mns: bool, file: &str) -> Result<(), Failure> {
    // One byte more than core parses, so an oversized body gets core's error.
    let body = read_input(file, MAX_RECEIPT_BYTES + 1, "the receipt body")?;
    let events = if mns {
        parse_mns_body(&body, message_type)?
    } else {
        parse_push(&body, message_type)?
    };
    for event in &events {
        out!("{}", event_json(event));
    }
    Ok(())
}

fn event_json(event: &Event) -> Value {
    serde_json::to_value(event).unwrap_or(Value::Null)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Writes lines to standard output and flushes it; an error (a closed pipe) means they were
/// not surely written.
fn write_flushed(lines: &[String]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    for line in lines {
        writeln!(stdout, "{line}")?;
    }
    stdout.flush()
}

/// `camskit receipts pull`: drives core's `Consumer` until `--max` messages or an error that
/// does not heal.
pub fn pull(args: &PullArgs) -> Result<(), Failure> {
    // A bad --endpoint is reported before the credentials are looked for.
    Endpoint::parse(&args.endpoint)?;
    let token_endpoint = Endpoint::parse(
        args.token_endpoint
            .as_deref()
            .unwrap_or(camskit::mns::DYBASEAPI_HOST),
    )?;
    let (_, source, mut keys) = credentials(&args.chain)?;
    match source {
        Source::Demo if !token_endpoint.is_loopback() => {
            return Err(Failure::Usage(
                "receipts pull needs credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (the demo key is only sent to loopback endpoints)".into(),
            ));
        }
        Source::Demo => eprintln!(
            "camskit: no credentials set: using the demo key {DEMO_KEY_ID} with the loopback token endpoint"
        ),
        Source::Chain(_) => {}
    }
    let mut options = ConsumerOptions::new(&args.message_type, &args.queue, &args.endpoint);
    options.token_endpoint = args.token_endpoint.clone();
    options.wait_seconds = args.wait;
    options.delete = !args.no_delete;
    options.max_dequeue_count = args.max_dequeue_count;
    // Core's Consumer::new refuses plain HTTP to either host, naming the CLI's flag.
    options.allow_insecure_http = args.allow_insecure_http;
    options.insecure_http_option = "--allow-insecure-http";
    let batch = args
        .batch
        .unwrap_or(16)
        .min(args.max.unwrap_or(16))
        .clamp(1, 16);
    options.batch_size = batch as usize;
    let mut consumer = Consumer::new(options)?;
    // Messages handed over so far (printed, or left for a body that cannot be read).
    let mut taken: u64 = 0;
    let mut printed: u64 = 0;
    let mut left: u64 = 0;
    loop {
        let account = keys.current()?.credentials;
        let nonce = uuid::Uuid::new_v4().to_string();
        match consumer.poll(now_ms(), &nonce, &account) {
            ConsumerStep::Send(request) => {
                let limit = if request.purpose.starts_with("mns:") {
                    MAX_MNS_RESPONSE_BYTES as u64 + 1
                } else {
                    crate::transport::MAX_FETCH_BYTES
                };
                match send(&request, limit) {
                    Ok(answer) => consumer.on_response(now_ms(), answer.status, &answer.body),
                    Err((failure, message)) => {
                        consumer.on_transport_error(now_ms(), failure, &message)
                    }
                }
            }
            ConsumerStep::Deliver(deliveries) => {
                for delivery in deliveries {
                    let id = delivery.message.message_id.clone();
                    if args.max.is_some_and(|max| taken >= max) {
                        // Beyond --max: core releases it (visible again at once).
                        consumer.release(&id)?;
                        continue;
                    }
                    taken += 1;
                    match &delivery.events {
                        Ok(events) => {
                            let lines: Vec<String> = events
                                .iter()
                                .map(|event| {
                                    json!({
                                        "message_id": id,
                                        "dequeue_count": delivery.message.dequeue_count,
                                        "duplicate": delivery.duplicate,
                                        "poison": delivery.poison,
                                        "event": event_json(event),
                                    })
                                    .to_string()
                                })
                                .collect();
                            if let Err(e) = write_flushed(&lines) {
                                // Not surely written: not handled, so not deleted.
                                consumer.failed(&id)?;
                                if e.kind() == std::io::ErrorKind::BrokenPipe {
                                    std::process::exit(0);
                                }
                                return Err(Failure::Usage(format!("writing the output: {e}")));
                            }
                            consumer.handled(&id)?;
                            printed += 1;
                        }
                        Err(e) => {
                            eprintln!(
                                "camskit: message {id} (dequeue count {}): its body cannot be parsed: {}; left in the queue",
                                delivery.message.dequeue_count,
                                camskit::redact_tokens(&e.to_string())
                            );
                            consumer.failed(&id)?;
                            left += 1;
                        }
                    }
                }
                if args.max.is_some_and(|max| taken >= max) {
                    consumer.stop();
                }
            }
            ConsumerStep::Idle => {
                return Err(Failure::Usage(
                    "receipts pull: the consumer waits for a report that was given".into(),
                ));
            }
            ConsumerStep::Wait { millis, reason } => {
                eprintln!(
                    "camskit: {}; retrying in {millis} ms",
                    camskit::redact_tokens(&reason)
                );
                std::thread::sleep(Duration::from_millis(millis));
            }
            ConsumerStep::Done(result) => {
                eprintln!(
                    "camskit: {printed} message(s) printed, {left} left in the queue, {} deleted",
                    consumer.deleted()
                );
                return result.map_err(Failure::from);
            }
        }
    }
}

/// `camskit mns-sign`: the headers to send for one MNS request.
pub fn mns_sign(args: &MnsSignArgs) -> Result<(), Failure> {
    let method: &'static str = match args.method.to_ascii_uppercase().as_str() {
        "GET" => "GET",
        "PUT" => "PUT",
        "POST" => "POST",
        "DELETE" => "DELETE",
        _ => {
            return Err(Failure::Usage(format!(
                "--method {:?}: MNS takes GET, PUT, POST or DELETE",
                args.method
            )));
        }
    };
    let endpoint = Endpoint::parse(&args.endpoint)?;
    let body = match &args.body {
        Some(source) => {
            let bytes = read_input(source, MAX_MNS_RESPONSE_BYTES, "--body")?;
            Some(
                String::from_utf8(bytes)
                    .map_err(|_| Failure::Usage(format!("--body {source}: not UTF-8 text")))?,
            )
        }
        None => None,
    };
    if let Some(t) = &args.content_type {
        if body.is_none() {
            return Err(Failure::Usage(
                "--content-type goes with --body (a request without a body signs an empty content type)".into(),
            ));
        }
        if !t.eq_ignore_ascii_case(MNS_CONTENT_TYPE) {
            return Err(Failure::Usage(format!(
                "--content-type {t:?}: MNS bodies are signed and sent as {MNS_CONTENT_TYPE}, the only type core signs"
            )));
        }
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    for h in &args.headers {
        let (name, value) = split_pair(h, "--header")?;
        let name = name.to_ascii_lowercase();
        if !name.starts_with("x-mns-") || name.len() == "x-mns-".len() {
            return Err(Failure::Usage(format!(
                "--header {h:?}: only x-mns-* headers are signed (content-md5, content-type and date come from --body and --date)"
            )));
        }
        if headers.iter().any(|(n, _)| *n == name) {
            return Err(Failure::Usage(format!("--header {name} is given twice")));
        }
        headers.push((name, value));
    }
    if !headers.iter().any(|(n, _)| n == "x-mns-version") {
        headers.push(("x-mns-version".into(), MNS_API_VERSION.into()));
    }
    let date = match &args.date {
        Some(d) => d.clone(),
        None => http_date((now_ms() / 1000) as i64)?,
    };
    let (resolved, source, _) = credentials(&args.chain)?;
    if let Source::Demo = source {
        eprintln!(
            "camskit: no ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET set: signed with the built-in demo key {DEMO_KEY_ID} (MNS will reject it)"
        );
    }
    let request = MnsRequest {
        method,
        resource: args.resource.clone(),
        body,
        purpose: "mns:request",
        timeout_ms: camskit::CAMS_TIMEOUT_MS,
    };
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let signed = sign_mns(
        &resolved.credentials,
        endpoint.base_url(),
        &request,
        &date,
        &pairs,
    )?;
    let r = &signed.request;
    match args.output {
        Output::Json => {
            let v = json!({
                "method": r.method,
                "url": r.url,
                "resource": request.resource,
                "headers": r.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
                "body": r.body,
                "string_to_sign": signed.string_to_sign,
                "authorization": r.header("Authorization"),
            });
            out!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Output::Url => {
            out!("{} {}", r.method, r.url);
            for (name, value) in &r.headers {
                out!("{name}: {value}");
            }
            if let Some(body) = &r.body {
                out!("");
                out!("{body}");
            }
        }
    }
    Ok(())
}

//! `camskit call`: one answer, or (`--all-pages`) every page of a list operation, the items
//! printed as one JSON array or one per line as pages arrive.

use camskit::Signer;
use serde_json::Value;

use crate::args::{CallOptions, CallOutput, RequestArgs};
use crate::credentials::{DEMO_KEY_ID, Source};
use crate::failure::Failure;
use crate::prepare::{Prepared, prepare};
use crate::transport::drive;

pub fn call(args: &RequestArgs, options: &CallOptions) -> Result<(), Failure> {
    if args.timestamp.is_some() || args.nonce.is_some() {
        return Err(Failure::Usage(
            "call signs each attempt with the current time and a fresh nonce: --timestamp and --nonce are for sign".into(),
        ));
    }
    let Prepared {
        mut signer,
        spec,
        source,
        endpoint,
        mut keys,
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
            .check_credentials_transport_as(options.allow_insecure_http, "--allow-insecure-http")?,
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
    // Core walks the pages (and stops a list that has not ended after MAX_PAGES pages).
    let mut walk = camskit::PageWalk::new(spec.action.clone(), spec.params.clone());
    let mut page = spec;
    loop {
        let answer = drive(&signer, &page, options)?;
        let items = camskit::page_items(walk.action(), &answer).ok_or_else(|| {
            Failure::Usage(format!(
                "--all-pages: {} is not a list whose items the official model types",
                walk.action()
            ))
        })?;
        for item in items {
            match options.output {
                CallOutput::Ndjson => out!("{item}"),
                CallOutput::Json => all.push(item.clone()),
            }
        }
        if !walk.on_answer(&answer)? {
            break;
        }
        page.params = walk.params().to_vec();
        // A long walk can outlive temporary credentials: the cache refreshes them when stale.
        signer = Signer::new(keys.current()?.credentials, endpoint.clone());
    }
    if options.output == CallOutput::Json {
        out!(
            "{}",
            serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_default()
        );
    }
    eprintln!("camskit: {} page(s)", walk.pages());
    Ok(())
}

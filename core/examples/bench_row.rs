//! The Rust row of the one performance table (`bench/all.sh`; contract in bench/README.md):
//! signs the seed's request (1.0 and v3, time and nonce given), parses its answer, and the
//! bare HMAC-SHA1 + base64 of the same string to sign, in interleaved rounds (medians); then
//! `parse_response` on the 1 MB list answer next to `serde_json::from_slice::<Value>`; and,
//! given the receipt inputs of `bench/receipts_bodies.py`, the 16-event push body
//! (`receipts::parse_push` next to `serde_json::from_slice::<Value>`) and the 16-message MNS
//! batch (`mns::parse_batch_receive_message` + `receipts::parse_mns_body` of each body next to
//! quick-xml reading every event of the same bytes).
//!
//! `cargo run --release -p camskit --example bench_row -- LARGE_JSON [ROUNDS] [SLICE_MS] [PUSH_JSON MNS_XML]`
//! prints JSON lines (host "Rust") on standard output.

use std::hint::black_box;
use std::time::{Duration, Instant};

use camskit::mns::parse_batch_receive_message;
use camskit::ops::ChatappMigrationRegister;
use camskit::receipts::{parse_mns_body, parse_push};
use camskit::{Credentials, Endpoint, SignatureVersion, Signer, Timestamp, parse_response};
use hmac::{Hmac, KeyInit, Mac};

const SEED_ANSWER: &[u8] = br#"{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#;

/// A metric's name, what it times, and the timed call.
type Contender<'a> = (&'static str, &'static str, Box<dyn FnMut() + 'a>);

/// Microseconds per call of `f`, over about `slice`.
fn slice_us(f: &mut dyn FnMut(), slice: Duration) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < slice {
        for _ in 0..256 {
            f();
        }
        n += 256;
    }
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// A `what` built at run time, kept for the program's life (one of a handful).
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn line(metric: &str, value: f64, unit: &str, what: &str) {
    println!(
        "{}",
        serde_json::json!({"host": "Rust", "metric": metric, "value": value, "unit": unit, "what": what})
    );
}

fn main() {
    let mut args = std::env::args().skip(1);
    let large = args
        .next()
        .expect("usage: bench_row LARGE_JSON [ROUNDS] [SLICE_MS] [PUSH_JSON MNS_XML]");
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(9);
    let slice = Duration::from_millis(args.next().and_then(|a| a.parse().ok()).unwrap_or(200));
    let receipts = match (args.next(), args.next()) {
        (Some(push), Some(mns)) => Some((
            std::fs::read(push).expect("the push body"),
            std::fs::read(mns).expect("the MNS batch"),
        )),
        _ => None,
    };

    let signer = Signer::new(
        Credentials::new("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABC").unwrap(),
        Endpoint::default(),
    );
    let t = Timestamp::parse("2025-07-14T08:00:00Z").unwrap();
    let nonce = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21";
    let v1 = ChatappMigrationRegister::new("29348393884", "8613800001234")
        .to_request()
        .unwrap();
    let v3 = v1.clone().with_signature(SignatureVersion::V3);
    let string_to_sign = signer.sign(&v1, t, nonce).unwrap().string_to_sign;
    let canonical_v3 = signer
        .sign(&v3, t, nonce)
        .unwrap()
        .canonical_request
        .unwrap();
    let keyed = Hmac::<sha1::Sha1>::new_from_slice(b"BenchSecret0123456789abcdefABC&").unwrap();

    let mut contenders: Vec<Contender> = vec![
        (
            "sign_v1",
            "Signer::sign, RPC 1.0, time+nonce given",
            Box::new(|| drop(black_box(signer.sign(black_box(&v1), t, nonce).unwrap()))),
        ),
        (
            "sign_v3",
            "Signer::sign, ACS3, time+nonce given",
            Box::new(|| drop(black_box(signer.sign(black_box(&v3), t, nonce).unwrap()))),
        ),
        (
            "parse",
            "parse_response(200, seed answer)",
            Box::new(|| {
                drop(black_box(
                    parse_response(200, black_box(SEED_ANSWER)).unwrap(),
                ))
            }),
        ),
        (
            "bare_hmac",
            "HMAC-SHA1 + base64 of the same string to sign (hmac, sha1, base64 crates)",
            Box::new(|| {
                let mut mac = Hmac::<sha1::Sha1>::new_from_slice(black_box(
                    b"BenchSecret0123456789abcdefABC&",
                ))
                .unwrap();
                mac.update(black_box(string_to_sign.as_bytes()));
                black_box(base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    mac.finalize().into_bytes(),
                ));
            }),
        ),
        (
            "bare_hmac_keyed",
            "the same from a keyed HMAC state cloned per call (what the signer does)",
            Box::new(|| {
                let mut mac = black_box(&keyed).clone();
                mac.update(black_box(string_to_sign.as_bytes()));
                black_box(base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    mac.finalize().into_bytes(),
                ));
            }),
        ),
        (
            "bare_v3",
            "SHA-256 of the v3 canonical request + HMAC-SHA256 of the string to sign, hex (sha2, hmac, hex crates)",
            Box::new(|| {
                use sha2::Digest;
                let h = hex::encode(sha2::Sha256::digest(black_box(canonical_v3.as_bytes())));
                let s = format!("ACS3-HMAC-SHA256\n{h}");
                let mut mac =
                    Hmac::<sha2::Sha256>::new_from_slice(b"BenchSecret0123456789abcdefABC")
                        .unwrap();
                mac.update(s.as_bytes());
                black_box(hex::encode(mac.finalize().into_bytes()));
            }),
        ),
    ];
    if let Some((push, mns)) = &receipts {
        let events = |what: &str, n: usize| format!("{what} ({n} events, {} bytes)", push.len());
        assert_eq!(parse_push(push, None).unwrap().len(), 16);
        let batch = parse_batch_receive_message(200, mns).unwrap();
        assert_eq!(batch.len(), 16);
        for m in &batch {
            assert_eq!(
                parse_mns_body(m.message_body.as_bytes(), Some("ChatAppStatus"))
                    .unwrap()
                    .len(),
                1
            );
        }
        contenders.extend::<[Contender; 4]>([
            (
                "receipts16",
                leak(events("receipts::parse_push(body, None) into typed events", 16)),
                Box::new(|| drop(black_box(parse_push(black_box(push), None).unwrap()))),
            ),
            (
                "json_receipts16",
                "serde_json::from_slice::<Value> on the same bytes",
                Box::new(|| {
                    drop(black_box(
                        serde_json::from_slice::<serde_json::Value>(black_box(push)).unwrap(),
                    ))
                }),
            ),
            (
                "mns16",
                leak(format!(
                    "mns::parse_batch_receive_message(200, xml) + receipts::parse_mns_body(base64 body, Some(\"ChatAppStatus\")) of each of its 16 messages ({} bytes)",
                    mns.len()
                )),
                Box::new(|| {
                    let batch = parse_batch_receive_message(200, black_box(mns)).unwrap();
                    for m in &batch {
                        black_box(
                            parse_mns_body(m.message_body.as_bytes(), Some("ChatAppStatus"))
                                .unwrap(),
                        );
                    }
                }),
            ),
            (
                "xml_mns16",
                "quick-xml 0.41 Reader::from_reader(bytes).read_event_into until Eof on the same bytes (XML only: no base64 or JSON of the bodies; quick-xml is the tokenizer camskit's MNS parser is built on)",
                Box::new(|| {
                    let mut reader = quick_xml::Reader::from_reader(black_box(&mns[..]));
                    let mut buf = Vec::new();
                    loop {
                        match reader.read_event_into(&mut buf).unwrap() {
                            quick_xml::events::Event::Eof => break,
                            e => drop(black_box(e)),
                        }
                        buf.clear();
                    }
                }),
            ),
        ]);
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    for round in 0..=rounds {
        for (k, (_, _, f)) in contenders.iter_mut().enumerate() {
            let us = slice_us(f.as_mut(), slice);
            if round > 0 {
                times[k].push(us); // round 0 warms up
            }
        }
    }
    for ((metric, what, _), ts) in contenders.iter().zip(times) {
        line(metric, median(ts), "us", what);
    }

    let data = std::fs::read(&large).expect("the large answer");
    let mb = data.len() as f64 / 1e6;
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..rounds.max(3) {
        let t0 = Instant::now();
        black_box(parse_response(200, black_box(&data)).unwrap());
        ours.push(mb / t0.elapsed().as_secs_f64());
        let t0 = Instant::now();
        black_box(serde_json::from_slice::<serde_json::Value>(black_box(&data)).unwrap());
        theirs.push(mb / t0.elapsed().as_secs_f64());
    }
    line(
        "parse_mbps",
        median(ours),
        "MB/s",
        &format!(
            "parse_response(200, body) on a {}-byte ListChatappTemplate answer",
            data.len()
        ),
    );
    line(
        "json_mbps",
        median(theirs),
        "MB/s",
        "serde_json::from_slice::<Value> on the same bytes",
    );
}

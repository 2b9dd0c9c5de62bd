//! The call machine fed arbitrary answers: statuses, headers (Date, Retry-After,
//! x-acs-retry-after), bodies and transport failures, for a write and a read operation.
//!
//! Properties:
//! - It always ends (within the attempt limit plus one clock-skew re-sign), and never asks to
//!   wait longer than the backoff cap or a minute of Retry-After.
//! - A write (`SendChatappMessage`) is never sent again after an answer or failure whose
//!   outcome is unknown: a 5xx, a proxy page with a 5xx, a timeout or a reset after sending.
//! - Every attempt is signed with a fresh nonce.
//! - A success is only reported for a 2xx answer whose `Code` is absent or "OK".
#![no_main]

use arbitrary::Arbitrary;
use camskit::{Call, Credentials, Endpoint, RequestSpec, RetryPolicy, Signer, Step, TransportFailure};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Event {
    Answer { status: u16, date: Option<String>, acs_retry: Option<String>, retry: Option<String>, body: Vec<u8> },
    Refused,
    TimedOut,
    Reset,
}

#[derive(Arbitrary, Debug)]
struct Input {
    write: bool,
    max_attempts: u8,
    events: Vec<Event>,
}

fuzz_target!(|input: Input| {
    let signer = Signer::new(Credentials::new("id", "secret").unwrap(), Endpoint::default());
    let (action, params) = if input.write {
        (
            "SendChatappMessage",
            vec![
                ("CustSpaceId".to_string(), "c".into()),
                ("ChannelType".to_string(), "whatsapp".into()),
                ("Type".to_string(), "text".into()),
                ("From".to_string(), "1".into()),
                ("To".to_string(), "2".into()),
            ],
        )
    } else {
        ("ListChatappTemplate", vec![])
    };
    let policy = RetryPolicy {
        max_attempts: u32::from(input.max_attempts % 6).max(1),
        deadline_ms: None,
        ..RetryPolicy::default()
    };
    let limit = policy.max_attempts + 1;
    let mut call = Call::new(signer, &RequestSpec::new(action, params), policy).unwrap();
    let mut now = 1_752_480_000_000u64;
    let mut nonces = std::collections::HashSet::new();
    let mut events = input.events.iter();
    let mut unknown_outcome_seen = false;
    for i in 0u32..1000 {
        let mut entropy = [0u8; 16];
        entropy[..4].copy_from_slice(&i.to_le_bytes());
        match call.poll(now, entropy) {
            Step::Send(signed) => {
                assert!(!(input.write && unknown_outcome_seen), "a write was sent again after an unknown outcome");
                assert!(call.attempts() <= limit, "{} attempts", call.attempts());
                let nonce = signed.url.split("SignatureNonce=").nth(1).unwrap()[..36].to_owned();
                assert!(nonces.insert(nonce), "a nonce was reused");
                match events.next() {
                    Some(Event::Answer { status, date, acs_retry, retry, body }) => {
                        let mut headers: Vec<(&str, &str)> = Vec::new();
                        if let Some(d) = date { headers.push(("Date", d)); }
                        if let Some(r) = acs_retry { headers.push(("x-acs-retry-after", r)); }
                        if let Some(r) = retry { headers.push(("Retry-After", r)); }
                        let status = *status % 700;
                        if (500..600).contains(&status) {
                            unknown_outcome_seen = true;
                        }
                        call.on_response(now, status, &headers, body);
                    }
                    Some(Event::Refused) | None => {
                        call.on_transport_error(now, TransportFailure::RefusedBeforeSend, "refused")
                    }
                    Some(Event::TimedOut) => {
                        unknown_outcome_seen = true;
                        call.on_transport_error(now, TransportFailure::TimedOut, "timed out")
                    }
                    Some(Event::Reset) => {
                        unknown_outcome_seen = true;
                        call.on_transport_error(now, TransportFailure::ResetAfterSend, "reset")
                    }
                }
                if !input.write {
                    unknown_outcome_seen = false;
                }
            }
            Step::Wait(w) => {
                assert!(w.millis <= 60_000, "waits {} ms", w.millis);
                now += w.millis.max(1);
            }
            Step::Done(Ok(r)) => {
                assert!((200..300).contains(&r.status), "success with HTTP {}", r.status);
                return;
            }
            Step::Done(Err(_)) => return,
        }
    }
    panic!("the call never ended");
});

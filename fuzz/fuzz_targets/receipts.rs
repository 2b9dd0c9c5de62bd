//! `receipts::parse_push` and `receipts::parse_mns_body` on arbitrary bytes (the first byte
//! picks the message type handed over: none, ChatAppStatus, ChatAppInbound, ChatAppAudit, or
//! an unknown one).
//!
//! Properties:
//! - No panic, for any bytes, either parser.
//! - A failure is a validation error (`InvalidInput`) that never repeats more than its first
//!   bytes of a large body (the message stays short).
//! - Every event parsed has a non-empty dedup key, and its message type is the one asked for
//!   when a known one was given; with a known type every event is of that type or `Other`.
//! - The dedup window says a key was seen the second time it is given, never the first.
#![no_main]

use camskit::receipts::{DedupWindow, Event, parse_mns_body, parse_push};
use libfuzzer_sys::fuzz_target;

const TYPES: [Option<&str>; 5] = [
    None,
    Some("ChatAppStatus"),
    Some("ChatAppInbound"),
    Some("ChatAppAudit"),
    Some("SomethingElse"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let ty = TYPES[usize::from(first) % TYPES.len()];
    for (which, result) in [("push", parse_push(body, ty)), ("mns", parse_mns_body(body, ty))] {
        match result {
            Err(e) => {
                assert_eq!(e.category().as_str(), "validation", "{which}: {e}");
                assert!(e.to_string().len() < 2_000, "{which}: a long error: {}", e.to_string().len());
            }
            Ok(events) => {
                let mut window = DedupWindow::new(events.len().max(1) * 2);
                for ev in &events {
                    let key = ev.dedup_key();
                    assert!(!key.is_empty(), "{which}: {ev:?}");
                    if let Some(t @ ("ChatAppStatus" | "ChatAppInbound" | "ChatAppAudit")) = ty {
                        assert!(
                            ev.message_type() == Some(t) || matches!(ev, Event::Other { .. }),
                            "{which}: asked for {t}, got {:?}",
                            ev.message_type()
                        );
                    }
                    window.seen(&key);
                    assert!(window.seen(&key), "{which}: a key given twice is seen");
                }
            }
        }
    }
});

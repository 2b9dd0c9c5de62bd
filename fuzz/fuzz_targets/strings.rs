//! `Endpoint::parse`, `Timestamp::parse`, `Timestamp::from_unix` and `server_string_to_sign`
//! on arbitrary text (the input, lossily UTF-8; its first eight bytes are also a unix time).
//!
//! Properties:
//! - A parsed endpoint's `base_url()` is `scheme://host` and re-parses to an equal endpoint.
//! - A parsed timestamp's `as_str()` has the form `YYYY-MM-DDThh:mm:ssZ` (the input itself
//!   when it had that form; `parse` also reads unix seconds) and parses back to the same timestamp; `from_unix(t.unix())` gives it too.
//! - `from_unix` accepts exactly 0 up to 9999-12-31T23:59:59Z, and its text parses back.
//! - `server_string_to_sign` finds a non-empty, trimmed part of the message after
//!   "string to sign is:" (any case), and nothing when the message lacks that mark.
#![no_main]

use camskit::{Endpoint, Timestamp};
use libfuzzer_sys::fuzz_target;

/// 9999-12-31T23:59:59Z + 1 s.
const END: i64 = 253_402_300_800;

fn layout_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn check_timestamp(t: Timestamp) {
    let s = t.as_str();
    assert!(layout_ok(s), "as_str() {s:?} is not YYYY-MM-DDThh:mm:ssZ");
    assert_eq!(
        Timestamp::parse(s).ok(),
        Some(t),
        "{s:?} does not parse back"
    );
    assert_eq!(
        Timestamp::from_unix(t.unix()).ok(),
        Some(t),
        "from_unix({}) != {s:?}",
        t.unix()
    );
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();

    match Endpoint::parse(text) {
        Ok(e) => {
            let base = e.base_url();
            assert_eq!(base, format!("{}://{}", e.scheme().as_str(), e.host()));
            let again = Endpoint::parse(base).unwrap_or_else(|err| {
                panic!("base URL {base:?} of {text:?} does not re-parse: {err}")
            });
            assert_eq!(again, e, "{base:?} re-parses to another endpoint");
            assert!(!e.host().is_empty());
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }

    match Timestamp::parse(text) {
        Ok(t) => {
            // `parse` also reads unix seconds; the YYYY-MM-DDThh:mm:ssZ form comes back as is.
            if layout_ok(text) {
                assert_eq!(t.as_str(), text);
            }
            check_timestamp(t);
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }

    if data.len() >= 8 {
        let secs = i64::from_le_bytes(data[..8].try_into().unwrap());
        // Also the interesting range, folded in.
        for s in [secs, secs.rem_euclid(END + 2) - 1] {
            match Timestamp::from_unix(s) {
                Ok(t) => {
                    assert!((0..END).contains(&s), "from_unix({s}) accepted");
                    assert_eq!(t.unix(), s);
                    check_timestamp(t);
                }
                Err(_) => assert!(!(0..END).contains(&s), "from_unix({s}) refused"),
            }
        }
    }

    let found = camskit::server_string_to_sign(text);
    let lower = text.to_ascii_lowercase();
    match lower.find("string to sign is:") {
        None => assert_eq!(found, None, "found a string to sign without the mark"),
        Some(at) => {
            let after = text[at + "string to sign is:".len()..].trim();
            match &found {
                Some(s) => {
                    assert!(!s.is_empty() && s == s.trim());
                    assert_eq!(s, after, "not the text after the first mark");
                }
                None => assert!(after.is_empty(), "missed {after:?}"),
            }
        }
    }
});

//! `scan_response`'s two readers on an arbitrary body: the byte scanner (tried first) and
//! serde_json's reader alone must give the same scan, or the same error word for word. Input:
//! one byte choosing the 64-bit paths (bit 0: `ListTemplate.[].LastUpdateTime`, bit 1:
//! `Data.{}.Id`, bit 2: `Data.[]`), then the body (status 200).
//!
//! Property: `scan_response(200, [], body, paths) == scan_response_serde_only(200, [], body, paths)`
//! (errors compared by their text).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let all = ["ListTemplate.[].LastUpdateTime", "Data.{}.Id", "Data.[]"];
    let paths: Vec<&str> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| choice & (1 << i) != 0)
        .map(|(_, p)| *p)
        .collect();
    let fast = camskit::scan_response(200, [], body, &paths);
    let serde = camskit::scan_response_serde_only(200, [], body, &paths);
    match (&fast, &serde) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the two readers differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "the two errors differ"),
        _ => panic!("one reader accepted what the other refused: {fast:?} / {serde:?}"),
    }
});

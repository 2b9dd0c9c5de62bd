//! `parse_response` on an arbitrary status and body. Input: two bytes of big-endian status,
//! then the body.
//!
//! Properties:
//! - `Ok` only if the status is 2xx and the body is a JSON object whose `Code` is absent or
//!   exactly the string "OK" (checked with an independent `serde_json::Value` parse); then the
//!   response carries the status, code "OK", the `RequestId` text and the whole object.
//! - Conversely a 2xx JSON object with neither `Code` nor `code`, or with `Code` "OK", is `Ok`.
//! - An error reports the status it was given (`Api` or `Parse`), and displays.
#![no_main]

use camskit::Error;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]);
    let body = &data[2..];
    let result = camskit::parse_response(status, body);

    let parsed: Option<serde_json::Map<String, Value>> = match serde_json::from_slice(body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    };
    let two_xx = (200..300).contains(&status);

    match &result {
        Ok(resp) => {
            assert!(two_xx, "Ok for status {status}");
            let map = parsed
                .as_ref()
                .unwrap_or_else(|| panic!("Ok for a body that is not a JSON object"));
            match map.get("Code") {
                None => {}
                Some(Value::String(s)) if s == "OK" => {}
                // (A null, array or object `Code` was once read as no code: see README.)
                Some(other) => panic!("Ok although Code is {other}"),
            }
            assert_eq!(resp.status, status);
            assert_eq!(resp.code, "OK");
            assert_eq!(&resp.body, map, "the body is not the parsed object");
            if let Some(Value::String(id)) = map.get("RequestId") {
                assert_eq!(resp.request_id.as_deref(), Some(id.as_str()));
            }
        }
        Err(e) => {
            let _ = e.to_string();
            match e {
                Error::Api(api) => {
                    assert_eq!(api.status, status, "ApiError with another status");
                    let _ = (api.code.len(), api.kind);
                }
                Error::Parse(p) => assert_eq!(p.status, status, "ParseError with another status"),
                other => panic!("parse_response gave neither Api nor Parse: {other:?}"),
            }
            if let Some(map) = &parsed {
                let code_ok = match map.get("Code") {
                    None => !map.contains_key("code"),
                    Some(Value::String(s)) => s == "OK",
                    Some(_) => false,
                };
                assert!(
                    !(two_xx && code_ok),
                    "error for a {status} JSON object with Code absent or OK: {e}"
                );
            }
        }
    }
});

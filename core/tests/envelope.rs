//! `parse_envelope` decides exactly as the full parse: the same envelope for every success and
//! the same error for everything else, over `tests/vectors/responses.json` and bodies made to
//! tell them apart (duplicate keys, `code` for `Code`, non-text codes, JSON errors after the
//! envelope, nesting, density).

use std::path::PathBuf;

use camskit::{Envelope, parse_envelope, parse_response_for, parse_response_with_headers};
use serde_json::Value;

fn same(action: Option<&str>, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let full = match action {
        Some(a) => parse_response_for(a, status, headers.iter().copied(), body),
        None => parse_response_with_headers(status, headers.iter().copied(), body),
    }
    .map(|r| Envelope::from(&r));
    let env = parse_envelope(action, status, headers, body);
    assert_eq!(
        env,
        full,
        "{status} {action:?} {}",
        String::from_utf8_lossy(&body[..body.len().min(200)])
    );
}

#[test]
fn every_response_vector_decides_alike() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/responses.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 50);
    for case in cases {
        let status = case["status"].as_u64().unwrap() as u16;
        let body = match case["body"].as_str() {
            Some(b) => b.as_bytes().to_vec(),
            None => {
                use base64::Engine;
                let b = case["body_base64"].as_str().unwrap();
                base64::engine::general_purpose::STANDARD.decode(b).unwrap()
            }
        };
        same(None, status, &[], &body);
        same(Some("SendChatappMessage"), status, &[], &body);
        same(Some("ListChatappTemplate"), status, &[], &body);
    }
}

#[test]
fn made_up_bodies_decide_alike() {
    let bodies: &[&[u8]] = &[
        br#"{"Code":"OK","Code":"Throttling","Message":"m"}"#,
        br#"{"Code":"Throttling","Code":"OK","RequestId":"a","RequestId":"b"}"#,
        br#"{"code":"OK","message":"lower","requestId":"r"}"#,
        br#"{"code":"Throttling","Code":"OK"}"#,
        br#"{"Code":null,"Message":null,"Data":1}"#,
        br#"{"Code":["OK"]}"#,
        br#"{"Code":"OK","Message":7,"RequestId":true,"AccessDeniedDetail":{"A":1}}"#,
        br#"{"Code":"OK","AccessDeniedDetail":null}"#,
        br#"{"RequestId":"only"}"#,
        br#"{"Code":"OK","Data":[1,2,{"x":"y"}]} trailing"#,
        br#"{"Code":"OK","Data":[1,2,}"#,
        br#"{"Code":"OK","Data":"\ud800"}"#,
        br#"{"Code":"OK","Data":"bad escape \q"}"#,
        br#"{"Code":"OK","D\u0061ta":"escaped key"}"#,
        br#"[{"Code":"OK"}]"#,
        br#""OK""#,
        b"   ",
        b"<html><body>gateway</body></html>",
        b"<?xml version=\"1.0\"?><Error/>",
        br#"{"Code":"OK","Big":18446744073709551616,"Neg":-1e400}"#,
        br#"{"Code":"OK","Message":"ok","Data":{"Id":9007199254740993}}"#,
        br#"{"Code":"SignatureDoesNotMatch","Message":"string to sign is:GET&%2F&SecurityToken%3Dabc%26X"}"#,
    ];
    for body in bodies {
        for status in [200, 201, 204, 302, 400, 404, 429, 500, 503, 99, 600] {
            same(None, status, &[], body);
            same(Some("SendChatappMessage"), status, &[], body);
            same(
                None,
                status,
                &[("Location", "https://elsewhere.example/")],
                body,
            );
        }
    }
    // Invalid UTF-8 inside a string, nesting past serde_json's limit inside a member the
    // envelope skips, a density over the limit.
    let mut bad_utf8 = br#"{"Code":"OK","Data":""#.to_vec();
    bad_utf8.extend_from_slice(&[0xff, 0xfe]);
    bad_utf8.extend_from_slice(br#""}"#);
    same(None, 200, &[], &bad_utf8);
    let deep = format!(
        r#"{{"Code":"OK","Data":{}{}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    same(None, 200, &[], deep.as_bytes());
    let dense = format!(r#"{{"Data":[{}1]}}"#, "1,".repeat(700_000));
    same(None, 200, &[], dense.as_bytes());
}

#[test]
fn a_success_envelope_has_the_fields() {
    let env = parse_envelope(
        Some("ListChatappTemplate"),
        200,
        &[],
        br#"{"ListTemplate":[{"Code":"not the envelope"}],"RequestId":"r","Message":"SUCCESS","Code":"OK","AccessDeniedDetail":{"A":1}}"#,
    )
    .unwrap();
    assert_eq!(env.status, 200);
    assert_eq!(env.code, "OK");
    assert_eq!(env.request_id.as_deref(), Some("r"));
    assert_eq!(env.message.as_deref(), Some("SUCCESS"));
    assert_eq!(env.access_denied_detail.as_deref(), Some(r#"{"A":1}"#));
}

//! The shared response vectors (`tests/vectors/responses.json`).

use std::path::PathBuf;

use base64::Engine as _;
use camskit::{Error, ErrorKind, parse_response};
use serde_json::Value;

#[test]
fn response_vectors() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/responses.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let status = case["status"].as_u64().unwrap() as u16;
        let body: Vec<u8> = match case["body_base64"].as_str() {
            Some(b) => base64::engine::general_purpose::STANDARD.decode(b).unwrap(),
            None => case["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let e = &case["expected"];
        let want = |k: &str| e.get(k).and_then(Value::as_str);
        let result = parse_response(status, &body);
        match e["outcome"].as_str().unwrap() {
            "ok" => {
                let ok = result.unwrap_or_else(|err| panic!("{name}: {err}"));
                assert_eq!(ok.status, status, "{name}");
                if let Some(v) = want("request_id") {
                    assert_eq!(ok.request_id.as_deref(), Some(v), "{name}");
                }
                if let Some(v) = want("code") {
                    assert_eq!(ok.code, v, "{name}");
                }
                if let Some(v) = want("message") {
                    assert_eq!(ok.message.as_deref(), Some(v), "{name}");
                }
                if let Some(v) = want("access_denied_detail") {
                    assert_eq!(ok.access_denied_detail.as_deref(), Some(v), "{name}");
                }
                if let Some(v) = want("data") {
                    assert_eq!(ok.data().unwrap().to_string(), v, "{name}");
                }
                for f in e["extra_fields"].as_array().into_iter().flatten() {
                    assert!(ok.get(f.as_str().unwrap()).is_some(), "{name}: {f}");
                }
            }
            "api_error" => {
                let err = result.expect_err(name);
                let api = err.as_api().unwrap_or_else(|| panic!("{name}: {err}"));
                assert_eq!(api.status, status, "{name}");
                assert_eq!(
                    Some(api.kind),
                    ErrorKind::from_name(want("kind").unwrap()),
                    "{name}"
                );
                assert_eq!(api.retryable(), e["retryable"].as_bool().unwrap(), "{name}");
                for (k, got) in [
                    ("code", Some(api.code.as_str())),
                    ("message", Some(api.message.as_str())),
                    ("request_id", api.request_id.as_deref()),
                    ("host_id", api.host_id.as_deref()),
                    ("recommend", api.recommend.as_deref()),
                    (
                        "server_string_to_sign",
                        api.server_string_to_sign.as_deref(),
                    ),
                    ("access_denied_detail", api.access_denied_detail.as_deref()),
                ] {
                    if let Some(v) = want(k) {
                        assert_eq!(got, Some(v), "{name}: {k}");
                    }
                }
                // The message a person sees names the code and the kind.
                let shown = err.to_string();
                assert!(shown.contains(api.kind.as_str()), "{name}: {shown}");
            }
            "parse_error" => {
                let err = result.expect_err(name);
                let Error::Parse(p) = &err else {
                    panic!("{name}: {err}")
                };
                assert_eq!(p.status, status, "{name}");
                let needle = want("reason_contains").unwrap();
                assert!(p.reason.contains(needle), "{name}: {}", p.reason);
                assert!(
                    err.to_string().contains(&format!("HTTP {status}")),
                    "{name}"
                );
            }
            other => panic!("{name}: outcome {other}"),
        }
    }
}

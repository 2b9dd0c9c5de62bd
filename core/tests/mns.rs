//! `tests/vectors/mns.json`, recorded from Alibaba's official SDKs by `tools/vectors/mns.py`
//! (`aliyun-mns-sdk`, `alibabacloud-dybaseapi20170525`, `aliyun-python-sdk-core`): camskit
//! must reproduce every MNS request byte for byte, read every answer as the SDK's decoders
//! do, and sign `QueryTokenForMnsQueue` as the official clients do.

mod common;

use std::path::PathBuf;

use camskit::mns::{self, MnsQueue};
use camskit::{Credentials, Endpoint, Error, Timestamp};
use common::*;
use serde_json::Value;

fn doc() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mns.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

fn credentials(input: &Value) -> Credentials {
    let c = Credentials::new(s(input, "access_key_id"), s(input, "access_key_secret")).unwrap();
    match input["security_token"].as_str() {
        Some(t) => c.with_security_token(t).unwrap(),
        None => c,
    }
}

#[test]
fn mns_request_vectors() {
    let doc = doc();
    let cases = doc["requests"].as_array().unwrap();
    assert!(cases.len() >= 14, "{} cases", cases.len());
    for case in cases {
        let name = s(case, "name");
        let (input, e) = (&case["input"], &case["expected"]);
        let queue = MnsQueue::new(s(input, "endpoint"), s(input, "queue")).unwrap();
        let wait = input["wait_seconds"].as_u64().map(|w| w as u32);
        let handle = || s(input, "receipt_handle");
        let req = match s(input, "op") {
            "receive" => queue.receive_message(wait),
            "batch_receive" => queue
                .batch_receive_message(input["num_of_messages"].as_u64().unwrap() as usize, wait),
            "delete" => queue.delete_message(handle()),
            "batch_delete" => {
                let hs: Vec<&str> = input["receipt_handles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h.as_str().unwrap())
                    .collect();
                queue.batch_delete_message(&hs)
            }
            "change_visibility" => queue.change_message_visibility(
                handle(),
                input["visibility_timeout"].as_u64().unwrap() as u32,
            ),
            other => panic!("{other}"),
        }
        .unwrap();
        assert_eq!(req.resource, s(e, "resource"), "{name}");
        let signed = queue
            .sign(&credentials(input), &req, s(input, "date"))
            .unwrap();
        assert_eq!(signed.string_to_sign, s(e, "string_to_sign"), "{name}");
        let r = &signed.request;
        assert_eq!(r.method, s(e, "method"), "{name}");
        assert_eq!(r.url, s(e, "url"), "{name}");
        assert_eq!(
            r.header("Authorization"),
            Some(s(e, "authorization")),
            "{name}"
        );
        assert_eq!(r.body.as_deref(), e["body"].as_str(), "{name}");
        // Every header the SDK sends (but the client's own Host, User-Agent, Connection),
        // names as it writes them, and no other.
        let mut got: Vec<(String, String)> = r.headers.clone();
        got.sort();
        assert_eq!(got, pairs(&e["headers"]), "{name}");
        assert!(r.purpose.starts_with("mns:"), "{name}");
    }
}

#[test]
fn mns_answer_vectors() {
    let doc = doc();
    let cases = doc["answers"].as_array().unwrap();
    assert!(cases.len() >= 19, "{} cases", cases.len());
    for case in cases {
        let name = s(case, "name");
        let status = case["status"].as_u64().unwrap() as u16;
        let body = s(case, "body").as_bytes();
        let e = &case["expected"];
        let op = s(case, "op");
        let outcome: Result<Value, Error> = match op {
            "receive" => mns::parse_receive_message(status, body)
                .map(|m| Value::Array(m.into_iter().map(message_json).collect())),
            "batch_receive" => mns::parse_batch_receive_message(status, body)
                .map(|ms| Value::Array(ms.into_iter().map(message_json).collect())),
            "delete" => mns::parse_delete_message(status, body).map(|()| Value::Null),
            "batch_delete" => mns::parse_batch_delete_message(status, body).map(|fs| {
                Value::Array(
                    fs.into_iter()
                        .map(|f| {
                            serde_json::json!({"error_code": f.error_code, "error_message": f.error_message,
                                               "receipt_handle": f.receipt_handle})
                        })
                        .collect(),
                )
            }),
            "change_visibility" => mns::parse_change_message_visibility(status, body).map(|v| {
                serde_json::json!({"receipt_handle": v.receipt_handle, "next_visible_time": v.next_visible_time})
            }),
            other => panic!("{other}"),
        };
        match s(e, "outcome") {
            "messages" => assert_eq!(outcome.unwrap(), e["messages"], "{name}"),
            "empty" => assert_eq!(outcome.unwrap(), Value::Array(vec![]), "{name}"),
            "visibility" => {
                let v = outcome.unwrap();
                assert_eq!(v["receipt_handle"], e["receipt_handle"], "{name}");
                assert_eq!(v["next_visible_time"], e["next_visible_time"], "{name}");
            }
            "batch_delete_errors" => {
                assert_eq!(outcome.unwrap(), e["error"]["errors"], "{name}");
            }
            "error" => {
                let err = outcome.unwrap_err();
                let api = err.as_api().unwrap_or_else(|| panic!("{name}: {err}"));
                assert_eq!(api.kind.as_str(), s(e, "kind"), "{name}");
                assert_eq!(api.status, status, "{name}");
                let sdk = &e["error"];
                assert_eq!(api.code, s(sdk, "code"), "{name}");
                assert_eq!(api.message, s(sdk, "message"), "{name}");
                assert_eq!(
                    api.request_id.as_deref(),
                    sdk["request_id"].as_str(),
                    "{name}"
                );
                assert_eq!(api.host_id.as_deref(), sdk["host_id"].as_str(), "{name}");
            }
            "parse_error" => {
                let err = outcome.unwrap_err();
                assert!(matches!(err, Error::Parse(_)), "{name}: {err}");
            }
            other => panic!("{other}"),
        }
    }
}

fn message_json(m: mns::MnsMessage) -> Value {
    serde_json::json!({
        "message_id": m.message_id, "receipt_handle": m.receipt_handle,
        "message_body": m.message_body, "message_body_md5": m.message_body_md5,
        "enqueue_time": m.enqueue_time, "first_dequeue_time": m.first_dequeue_time,
        "next_visible_time": m.next_visible_time, "dequeue_count": m.dequeue_count,
        "priority": m.priority,
    })
}

#[test]
fn query_token_vectors() {
    let doc = doc();
    let cases = doc["query_token"].as_array().unwrap();
    assert!(cases.len() >= 3, "{} cases", cases.len());
    for case in cases {
        let name = s(case, "name");
        let (input, e) = (&case["input"], &case["expected"]);
        let signed = mns::sign_query_token_for_mns_queue(
            &credentials(input),
            s(input, "message_type"),
            input["queue_name"].as_str(),
            Timestamp::parse(s(input, "timestamp")).unwrap(),
            s(input, "nonce"),
        )
        .unwrap();
        assert_eq!(signed.method.as_str(), s(e, "method"), "{name}");
        check_v1(name, &signed, e);
        let base = Endpoint::parse(s(e, "host")).unwrap().base_url().to_owned();
        assert!(
            signed.url.starts_with(&format!("{base}/?")),
            "{name}: {}",
            signed.url
        );
        let http = mns::query_token_for_mns_queue(
            &credentials(input),
            s(input, "message_type"),
            input["queue_name"].as_str(),
            Timestamp::parse(s(input, "timestamp")).unwrap(),
            s(input, "nonce"),
        )
        .unwrap();
        assert_eq!(http.url, signed.url, "{name}");
        assert_eq!(http.purpose, "dybaseapi:QueryTokenForMnsQueue");
    }
}

/// The vector file records which official packages made it.
#[test]
fn vectors_name_their_sources() {
    let doc = doc();
    for p in [
        "aliyun-mns-sdk",
        "alibabacloud-dybaseapi20170525",
        "aliyun-python-sdk-core",
    ] {
        assert!(doc["packages"][p].is_string(), "{p}");
    }
}

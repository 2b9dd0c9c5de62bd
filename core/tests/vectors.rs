//! The shared conformance vectors (`tests/vectors/rpc-v1.json`, `v3.json`), recorded from
//! Alibaba's official SDKs by `tools/gen-vectors.sh`: camskit must reproduce every byte.

mod common;

use camskit::{Endpoint, Method, Request, SignatureVersion, Timestamp};
use common::*;
use serde_json::Value;

fn sign(input: &Value, version: SignatureVersion) -> camskit::SignedRequest {
    let s = |k: &str| input[k].as_str().unwrap();
    let mut req = Request::new(s("action"))
        .with_api_version(s("version"))
        .with_method(Method::parse(s("method")).unwrap())
        .with_signature(version);
    for (n, v) in pairs(&input["query"]) {
        req.push_param(n, v);
    }
    for (n, v) in pairs(&input["form"]) {
        req.push_form_param(n, v);
    }
    for (n, v) in pairs(&input["headers"]) {
        req = req.header(n, v);
    }
    signer(input)
        .sign(&req, Timestamp::parse(s("timestamp")).unwrap(), s("nonce"))
        .unwrap()
}

#[test]
fn rpc_v1_vectors() {
    let cases = load("rpc-v1.json");
    assert!(cases.len() >= 60, "{} cases", cases.len());
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let signed = sign(&case["input"], SignatureVersion::V1);
        check_v1(name, &signed, &case["expected"]);
        if let Some(endpoint) = case["input"]["endpoint"].as_str() {
            let base = Endpoint::parse(endpoint).unwrap().base_url().to_owned();
            assert!(signed.url.starts_with(&format!("{base}/?")), "{name}");
        }
    }
}

#[test]
fn v3_vectors() {
    let cases = load("v3.json");
    assert!(cases.len() >= 15, "{} cases", cases.len());
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let signed = sign(&case["input"], SignatureVersion::V3);
        check_v3(name, &signed, &case["expected"]);
    }
}

//! Shared by the vector tests: loading vectors and comparing a signed request with what
//! Alibaba's official signers produced.

#![allow(dead_code)]

use std::path::PathBuf;

use camskit::SignedRequest;
use percent_encoding::percent_decode_str;
use serde_json::Value;

pub fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

pub fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap().to_owned(),
                        p[1].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The URL's query as decoded, sorted pairs.
pub fn url_params(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let mut out: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap();
            let dec = |s: &str| percent_decode_str(s).decode_utf8().unwrap().into_owned();
            (dec(n), dec(v))
        })
        .collect();
    out.sort();
    out
}

/// RPC 1.0: canonical query, string to sign, signature, URL parameters, body.
pub fn check_v1(name: &str, signed: &SignedRequest, e: &Value) {
    assert_eq!(
        signed.canonical_query,
        e["canonical_query"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(
        signed.string_to_sign,
        e["string_to_sign"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(signed.signature, e["signature"].as_str().unwrap(), "{name}");
    let mut expected_params = pairs(&e["url_params"]);
    expected_params.sort();
    assert_eq!(url_params(&signed.url), expected_params, "{name}");
    assert_eq!(signed.body.as_deref(), e["body"].as_str(), "{name}");
}

/// v3: canonical request, string to sign, signature, Authorization, headers, URL, body.
pub fn check_v3(name: &str, signed: &SignedRequest, e: &Value) {
    assert_eq!(
        signed.canonical_request.as_deref(),
        e["canonical_request"].as_str(),
        "{name}"
    );
    assert_eq!(
        signed.string_to_sign,
        e["string_to_sign"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(signed.signature, e["signature"].as_str().unwrap(), "{name}");
    assert_eq!(
        signed.header("authorization"),
        e["authorization"].as_str(),
        "{name}"
    );
    let mut headers: Vec<(String, String)> = signed
        .headers
        .iter()
        .filter(|(n, _)| n != "authorization")
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect();
    headers.sort();
    assert_eq!(headers, pairs(&e["headers"]), "{name}");
    let mut expected_params = pairs(&e["url_params"]);
    expected_params.sort();
    assert_eq!(url_params(&signed.url), expected_params, "{name}");
    assert_eq!(signed.body.as_deref(), e["body"].as_str(), "{name}");
    assert_eq!(signed.signature_version, camskit::SignatureVersion::V3);
}

/// Credentials and endpoint of a vector's input.
pub fn signer(input: &Value) -> camskit::Signer {
    let s = |k: &str| input[k].as_str().unwrap();
    let mut creds = camskit::Credentials::new(s("access_key_id"), s("access_key_secret")).unwrap();
    if let Some(t) = input["security_token"].as_str() {
        creds = creds.with_security_token(t).unwrap();
    }
    let endpoint = match input["endpoint"].as_str() {
        Some(e) => camskit::Endpoint::parse(e).unwrap(),
        None => camskit::Endpoint::default(),
    };
    camskit::Signer::new(creds, endpoint)
}

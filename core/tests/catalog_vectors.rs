//! `tests/vectors/catalog.json`: structured parameters through the catalog, against what the
//! official CAMS client serialized and signed from the same data.

mod common;

use camskit::{SignOptions, SignatureVersion, Timestamp};
use common::*;

#[test]
fn catalog_vectors() {
    let cases = load("catalog.json");
    let mut styles = std::collections::BTreeSet::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let input = &case["input"];
        let e = &case["expected"];
        if let Some(prefix) = input["prefix"].as_str() {
            let flat = camskit::catalog::flatten(prefix, &input["value"]);
            assert_eq!(flat, pairs(&e["pairs"]), "{name}");
            styles.insert("flat");
            continue;
        }
        let version = SignatureVersion::parse(input["signature"].as_str().unwrap()).unwrap();
        let options = SignOptions {
            signature: version,
            headers: pairs(&input["headers"]),
            ..SignOptions::default()
        };
        let signed = signer(input)
            .sign_action(
                input["action"].as_str().unwrap(),
                input["params"].as_object().unwrap(),
                &options,
                Timestamp::parse(input["timestamp"].as_str().unwrap()).unwrap(),
                input["nonce"].as_str().unwrap(),
            )
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        match version {
            SignatureVersion::V1 => check_v1(name, &signed, e),
            SignatureVersion::V3 => check_v3(name, &signed, e),
        }
        let op = camskit::catalog::operation(input["action"].as_str().unwrap()).unwrap();
        for key in input["params"].as_object().unwrap().keys() {
            let p = op.param(key).unwrap();
            styles.insert(match (p.style(), p.ty(), p.location()) {
                (_, _, camskit::catalog::Location::Body) => "body",
                (camskit::catalog::Style::Json, camskit::catalog::ParamType::Object, _) => {
                    "json object"
                }
                (camskit::catalog::Style::Json, _, _) => "json array",
                (_, camskit::catalog::ParamType::Integer, _) => "integer",
                (_, camskit::catalog::ParamType::Boolean, _) => "boolean",
                _ => "string",
            });
        }
    }
    // Every style and location has an official vector.
    for want in [
        "json object",
        "json array",
        "flat",
        "integer",
        "boolean",
        "body",
        "string",
    ] {
        assert!(styles.contains(want), "no vector for {want}");
    }
}

/// The text-pair path (`sign_action_strs`, what the JS and Kotlin fast paths call) signs
/// exactly what the JSON-map path signs, for every vector whose values are all text.
#[test]
fn text_pairs_sign_like_the_json_map() {
    let mut compared = 0;
    for case in &load("catalog.json") {
        let input = &case["input"];
        let Some(params) = input["params"].as_object() else {
            continue;
        };
        let Some(texts) = params
            .iter()
            .map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let options = SignOptions {
            signature: SignatureVersion::parse(input["signature"].as_str().unwrap()).unwrap(),
            headers: pairs(&input["headers"]),
            ..SignOptions::default()
        };
        let (action, nonce) = (
            input["action"].as_str().unwrap(),
            input["nonce"].as_str().unwrap(),
        );
        let t = Timestamp::parse(input["timestamp"].as_str().unwrap()).unwrap();
        let s = signer(input);
        let from_map = s.sign_action(action, params, &options, t, nonce).unwrap();
        let from_text = s
            .sign_action_strs(action, texts, &options, t, nonce)
            .unwrap();
        assert_eq!(from_text, from_map, "{}", case["name"]);
        compared += 1;
    }
    assert!(compared >= 2, "only {compared} all-text vectors");
}

/// Text for a typed parameter fails on both paths with the same error; so do unknown and
/// missing parameters.
#[test]
fn text_pairs_fail_like_the_json_map() {
    use serde_json::json;
    let cases = [
        ("ChatappMigrationRegister", json!({"CustSpaceId": "cs-1"})),
        (
            "ChatappMigrationRegister",
            json!({"CustSpaceId": "cs-1", "PhoneNumber": "", "X": "1"}),
        ),
        (
            "ChatappMigrationRegister",
            json!({"CustSpaceId": "cs-1", "PhoneNumber": "1", "cust_space_id": "2"}),
        ),
        ("ChatappMigrationRegistr", json!({})),
        (
            "ListChatappTemplate",
            json!({"CustSpaceId": "cs-1", "Page": "x"}),
        ),
        (
            "GetChatappTemplateDetail",
            json!({"CustSpaceId": "cs-1", "TemplateCode": "t", "Language": "en", "PageSize": "5"}),
        ),
    ];
    let mut typed = 0;
    for (action, params) in cases {
        let map = params.as_object().unwrap();
        let texts: Vec<(&str, &str)> = map
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
            .collect();
        let a = camskit::catalog::request(action, map).unwrap_err();
        let b = camskit::catalog::request_from_strs(action, texts).unwrap_err();
        assert_eq!(b.to_string(), a.to_string(), "{action} {params}");
        if matches!(a, camskit::Error::WrongType { .. }) {
            typed += 1;
        }
    }
    assert!(typed >= 1, "no wrong-type case among them");
}

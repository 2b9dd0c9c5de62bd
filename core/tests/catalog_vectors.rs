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

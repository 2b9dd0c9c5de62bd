//! `Signer::sign_action` with arbitrary JSON parameters against a catalog operation picked by
//! index. Input: a flags byte (bit 0: build the parameters from the bytes with `arbitrary`,
//! else read them as JSON text; bit 1: v3; bits 2-3: method override none/GET/POST), two
//! bytes of big-endian operation index (modulo the catalog's size), then the JSON text or the
//! bytes `arbitrary` reads. Built values nest up to 40 levels (the catalog's flattening and
//! serialization recurse); JSON text up to serde_json's limit of 128.
//!
//! Properties: no panic; a failure is an error of the validation category; when signing
//! succeeds, the request verifies against the independent 1.0 / v3 implementation, names the
//! operation (`Action%3D<name>` in the 1.0 string to sign, `x-acs-action` under v3) and uses
//! the override method or the catalog's.
#![no_main]

use arbitrary::Unstructured;
use camskit::{Credentials, Endpoint, Method, SignOptions, SignatureVersion, Signer, Timestamp};
use camskit_fuzz::{arbitrary_json, verify_v1, verify_v3};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

const KEY_ID: &str = "LTAI5tCamsKitFuzz";
const SECRET: &str = "FuzzSecret0123456789";

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let flags = data[0];
    let ops: Vec<camskit::catalog::Operation> = camskit::catalog::operations().collect();
    let op = ops[usize::from(u16::from_be_bytes([data[1], data[2]])) % ops.len()];
    let rest = &data[3..];
    let params: Map<String, Value> = if flags & 1 == 0 {
        match serde_json::from_slice(rest) {
            Ok(Value::Object(m)) => m,
            _ => return,
        }
    } else {
        let mut u = Unstructured::new(rest);
        let names: Vec<camskit::catalog::Param> = op.params().collect();
        let mut m = Map::new();
        let n = u.int_in_range(0..=10u8).unwrap_or(0);
        for _ in 0..n {
            let pick: u8 = u.arbitrary().unwrap_or(0);
            let key = match (pick % 4, names.is_empty()) {
                (0 | 1, false) => names[usize::from(pick / 4) % names.len()].name().to_owned(),
                (2, false) => names[usize::from(pick / 4) % names.len()]
                    .snake_name()
                    .to_owned(),
                _ => u.arbitrary::<String>().unwrap_or_default(),
            };
            let Ok(value) = arbitrary_json(&mut u, 40) else {
                break;
            };
            m.insert(key, value);
        }
        m
    };
    let method = match (flags >> 2) & 3 {
        1 => Some(Method::Get),
        2 => Some(Method::Post),
        _ => None,
    };
    let v3 = flags & 2 != 0;
    let options = SignOptions {
        method,
        signature: if v3 {
            SignatureVersion::V3
        } else {
            SignatureVersion::V1
        },
        headers: Vec::new(),
    };
    let endpoint = Endpoint::default();
    let signer = Signer::new(Credentials::new(KEY_ID, SECRET).unwrap(), endpoint.clone());
    let t = Timestamp::parse("2025-07-14T08:00:00Z").unwrap();
    let signed = match signer.sign_action(op.name(), &params, &options, t, "fuzz-nonce-1") {
        Ok(s) => s,
        Err(e) => {
            let _ = e.to_string();
            assert_eq!(e.category(), camskit::Category::Validation, "{e:?}");
            return;
        }
    };
    assert_eq!(signed.method, method.unwrap_or(op.method()));
    if v3 {
        verify_v3(&signed, endpoint.base_url(), KEY_ID, SECRET);
        assert_eq!(signed.header("x-acs-action"), Some(op.name()));
        let line = format!("\nx-acs-action:{}\n", op.name());
        assert!(signed.canonical_request.as_deref().unwrap().contains(&line));
    } else {
        let d = verify_v1(&signed, endpoint.base_url(), SECRET);
        let needle = format!("Action%3D{}%26", op.name());
        assert!(
            signed.string_to_sign.contains(&needle),
            "{needle} not in {}",
            signed.string_to_sign
        );
        assert!(
            d.url_params
                .contains(&("Action".to_owned(), op.name().to_owned()))
        );
    }
});

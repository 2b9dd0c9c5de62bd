//! `scan_response` (for hosts that parse the JSON themselves) agrees with `parse_response` on
//! every answer of tests/vectors/responses.json and tests/vectors/answers.json: the same
//! success envelope and `Data`, the same error word for word, and its exact integers are
//! exactly the integers a double cannot hold (plus the action's 64-bit fields).
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every integer beyond ±(2^53 − 1) in `v`, as (path, digits).
fn unsafe_integers(v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    match v {
        Value::Number(n) => {
            let big = n
                .as_i64()
                .map_or(n.as_u64().is_some(), |i| i.unsigned_abs() > (1 << 53) - 1);
            if big {
                out.push((path.join("/"), n.to_string()));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                unsafe_integers(item, path, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(k.clone());
                unsafe_integers(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn check(name: &str, status: u16, body: &[u8], int64: &[&str]) -> bool {
    let full = camskit::parse_response(status, body);
    let scan = camskit::scan_response(status, [], body, int64);
    match (full, scan) {
        (Ok(r), Ok(s)) => {
            assert_eq!(
                (
                    &s.request_id,
                    &s.code,
                    &s.message,
                    &s.access_denied_detail,
                    s.has_data
                ),
                (
                    &r.request_id,
                    &r.code,
                    &r.message,
                    &r.access_denied_detail,
                    r.data().is_some()
                ),
                "{name}"
            );
            let mut want = Vec::new();
            unsafe_integers(&Value::Object(r.body.clone()), &mut Vec::new(), &mut want);
            let got: Vec<(String, String)> = s
                .exact
                .iter()
                .map(|e| {
                    let p: Vec<String> = e
                        .path
                        .iter()
                        .map(|s| match s {
                            camskit::PathStep::Key(k) => k.clone(),
                            camskit::PathStep::Index(i) => i.to_string(),
                        })
                        .collect();
                    (p.join("/"), e.digits.clone())
                })
                .collect();
            if int64.is_empty() {
                assert_eq!(got, want, "{name}");
            } else {
                for w in &want {
                    assert!(got.contains(w), "{name}: {w:?}");
                }
            }
            true
        }
        (Err(a), Err(b)) => {
            assert_eq!(a.to_string(), b.to_string(), "{name}");
            false
        }
        (a, b) => panic!("{name}: parse_response {a:?}, scan_response {b:?}"),
    }
}

#[test]
fn scan_agrees_with_parse_response_on_every_vector() {
    let responses = load("responses.json");
    let (mut ok, mut err) = (0, 0);
    for c in responses["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let status = c["status"].as_u64().unwrap() as u16;
        let body: Vec<u8> = match c["body_base64"].as_str() {
            Some(b) => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.decode(b).unwrap()
            }
            None => c["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        if check(name, status, &body, &[]) {
            ok += 1;
        } else {
            err += 1;
        }
    }
    let answers = load("answers.json");
    for a in answers["answers"].as_array().unwrap() {
        let action = a["action"].as_str().unwrap();
        let body = serde_json::to_vec(&a["body"]).unwrap();
        assert!(
            check(action, 200, &body, camskit::catalog::int64_paths(action)),
            "{action}"
        );
        ok += 1;
    }
    assert!(ok >= 173 && err > 5, "{ok} successes, {err} errors");
}

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

/// The byte scanner and serde_json's reader give the same scan, or the same error.
fn same_paths(status: u16, body: &[u8], int64: &[&str]) -> Result<(), String> {
    let fast = camskit::scan_response(status, [], body, int64);
    let serde = camskit::scan_response_serde_only(status, [], body, int64);
    match (&fast, &serde) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Err(a), Err(b)) if a.to_string() == b.to_string() => Ok(()),
        _ => Err(format!(
            "{}: bytes first {fast:?}, serde only {serde:?}",
            String::from_utf8_lossy(body)
        )),
    }
}

fn check(name: &str, status: u16, body: &[u8], int64: &[&str]) -> bool {
    same_paths(status, body, int64).unwrap();
    let full = camskit::parse_response(status, body);
    let scan = camskit::scan_response(status, [], body, int64);
    match (full, scan) {
        (Ok(r), Ok(s)) => {
            assert_eq!(
                (
                    s.request_id.as_deref(),
                    &*s.code,
                    s.message.as_deref(),
                    s.access_denied_detail.as_deref(),
                    s.has_data
                ),
                (
                    r.request_id.as_deref(),
                    r.code.as_str(),
                    r.message.as_deref(),
                    r.access_denied_detail.as_deref(),
                    r.data().is_some()
                ),
                "{name}"
            );
            // Each source names a top-level key whose string value is that very text.
            let sourced = [
                (s.sources.request_id, &s.request_id),
                (s.sources.message, &s.message),
                (s.sources.access_denied_detail, &s.access_denied_detail),
            ];
            for (key, text) in sourced {
                if let Some(k) = key.map(|i| camskit::ENVELOPE_KEYS[i]) {
                    assert_eq!(
                        r.body.get(k).and_then(Value::as_str),
                        text.as_deref(),
                        "{name}: {k}"
                    );
                }
            }
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

/// The sources point at the body's own strings, and only there: a number or an object shown as
/// text has none (the host is handed core's text), and `requestId` is read where `RequestId`
/// is absent.
#[test]
fn envelope_sources_name_the_key_whose_string_is_the_text() {
    fn key(i: Option<usize>) -> Option<&'static str> {
        i.map(|i| camskit::ENVELOPE_KEYS[i])
    }
    fn scan(body: &str) -> camskit::AnswerScan<'_> {
        camskit::scan_response(200, [], body.as_bytes(), &[]).unwrap()
    }
    let s =
        scan(r#"{"RequestId":"r","Code":"OK","Message":"SUCCESS","AccessDeniedDetail":"None"}"#);
    assert_eq!(
        (
            key(s.sources.request_id),
            key(s.sources.message),
            key(s.sources.access_denied_detail)
        ),
        (
            Some("RequestId"),
            Some("Message"),
            Some("AccessDeniedDetail")
        )
    );
    let s = scan(r#"{"requestId":"r","message":"m"}"#);
    assert_eq!(
        (key(s.sources.request_id), key(s.sources.message)),
        (Some("requestId"), Some("message"))
    );
    let s = scan(r#"{"RequestId":7,"Message":true,"AccessDeniedDetail":{"a":1}}"#);
    assert_eq!(s.request_id.as_deref(), Some("7"));
    assert_eq!(s.sources, camskit::EnvelopeSources::default());
    // A repeated key keeps its last value, in core as in any JSON reader.
    let s = scan(r#"{"RequestId":"a","RequestId":"b","Message":"x"}"#);
    assert_eq!(
        (s.request_id.as_deref(), key(s.sources.request_id)),
        (Some("b"), Some("RequestId"))
    );
    let s = scan(r#"{"RequestId":"x","Message":"y"}"#);
    assert_eq!(
        (key(s.sources.request_id), key(s.sources.message)),
        (Some("RequestId"), Some("Message"))
    );
    assert_eq!(scan("{}").sources, camskit::EnvelopeSources::default());
}

mod paths {
    //! The byte scanner against serde_json's reader on generated answers: valid JSON of every
    //! shape (escapes, non-ASCII, surrogate pairs, big and negative integers, fractions,
    //! exponents, deep nesting, repeated keys, whitespace), 64-bit paths taken from its own
    //! keys, and the same bodies cut short or with one byte changed.
    use super::same_paths;
    use proptest::prelude::*;
    use serde_json::{Map, Value};

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Code".to_owned()),
            Just("RequestId".to_owned()),
            Just("requestId".to_owned()),
            Just("Message".to_owned()),
            Just("AccessDeniedDetail".to_owned()),
            Just("Data".to_owned()),
            Just("Id".to_owned()),
            Just("List".to_owned()),
            "[a-zA-Z]{1,6}",
            "\\PC{0,4}",
        ]
    }

    fn number() -> impl Strategy<Value = Value> {
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1000i64..1000).prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
        ]
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            number(),
            "\\PC{0,8}".prop_map(Value::String),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                proptest::collection::vec((key(), inner), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
            ]
        })
    }

    /// A body: the top-level members written out (a key may repeat), spaced or not, with
    /// raw numbers JSON can hold but a double cannot (`1e400`, 30 digits) mixed in.
    fn body() -> impl Strategy<Value = Vec<u8>> {
        let member = (
            key(),
            prop_oneof![
                8 => value().prop_map(|v| v.to_string()),
                1 => Just("1e400".to_owned()),
                1 => Just("123456789012345678901234567890".to_owned()),
                1 => Just("-0".to_owned()),
                1 => Just("1.0".to_owned()),
                1 => Just("2.5E3".to_owned()),
                1 => Just("\"\\ud83d\\ude00\"".to_owned()),
                1 => Just("\"\\ud800\"".to_owned()),
                1 => Just("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]".to_owned()),
            ],
        );
        (proptest::collection::vec(member, 0..8), any::<bool>()).prop_map(|(members, spaced)| {
            let sep = if spaced { " ,\n\t" } else { "," };
            let inner: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("{}:{v}", Value::String(k.clone())))
                .collect();
            format!("{{{}}}", inner.join(sep)).into_bytes()
        })
    }

    /// 64-bit paths over the generated keys (`[]` each item, `{}` each value).
    fn paths() -> impl Strategy<Value = Vec<String>> {
        let step = prop_oneof![key(), Just("[]".to_owned()), Just("{}".to_owned())];
        proptest::collection::vec(
            proptest::collection::vec(step, 1..4).prop_map(|s| s.join(".")),
            0..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn bytes_and_serde_agree(body in body(), paths in paths(), status in prop_oneof![Just(200u16), Just(204), Just(400)]) {
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            same_paths(status, &body, &paths).map_err(TestCaseError::fail)?;
        }

        #[test]
        fn bytes_and_serde_agree_on_damaged_bodies(body in body(), cut in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
            let mut changed = body.clone();
            if !changed.is_empty() {
                let i = at.index(changed.len());
                changed[i] = byte;
            }
            same_paths(200, &changed, &["Data.[].Id", "List.{}"]).map_err(TestCaseError::fail)?;
            let short = &body[..cut.index(body.len() + 1)];
            same_paths(200, short, &[]).map_err(TestCaseError::fail)?;
        }
    }
}

//! Receipts: every case of tests/vectors/receipts.json (doc examples, written by
//! tools/vectors/receipts.py), then dedup, status order, bad inputs and random bytes.

mod common;

use camskit::receipts::{
    DedupWindow, Event, InboundContent, MAX_DEPTH, MAX_RECEIPT_BYTES, Status, advances,
    parse_mns_body, parse_push,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn extra_of(event: &Event) -> Option<&Map<String, Value>> {
    match event {
        Event::Status(e) => Some(&e.extra),
        Event::Inbound(e) => Some(&e.extra),
        Event::Audit(e) => Some(&e.extra),
        _ => None,
    }
}

fn check_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let body = case["body"].as_str().unwrap().as_bytes();
    let message_type = case["message_type"].as_str();
    let result = match case["transport"].as_str().unwrap() {
        "push" => parse_push(body, message_type),
        "mns" => parse_mns_body(body, message_type),
        other => panic!("{name}: unknown transport {other}"),
    };
    if let Some(words) = case.get("error") {
        let err = result.expect_err(name);
        assert_eq!(err.category().as_str(), "validation", "{name}: {err}");
        let text = err.to_string();
        for word in words.as_array().unwrap() {
            let word = word.as_str().unwrap();
            assert!(
                text.contains(word),
                "{name}: {text:?} does not name {word:?}"
            );
        }
        return;
    }
    let events = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    let expect = case["expect"].as_array().unwrap();
    assert_eq!(events.len(), expect.len(), "{name}: number of events");
    for (i, (event, want)) in events.iter().zip(expect).enumerate() {
        let got = serde_json::to_value(event).unwrap();
        assert_eq!(got["MessageType"], want["type"], "{name} [{i}]");
        for (key, value) in want["fields"].as_object().unwrap() {
            assert_eq!(&got["Event"][key], value, "{name} [{i}] field {key}");
        }
        if let Some(status) = want.get("status") {
            let Event::Status(e) = event else {
                panic!("{name}: not a status")
            };
            assert_eq!(e.status.as_str(), status.as_str().unwrap(), "{name} [{i}]");
        }
        if let Some(content) = want.get("content") {
            let Event::Inbound(e) = event else {
                panic!("{name}: not inbound")
            };
            let got = serde_json::to_value(&e.content).unwrap();
            for (key, value) in content.as_object().unwrap() {
                assert_eq!(&got[key], value, "{name} [{i}] content {key}: {got}");
            }
        }
        if let Some(keys) = want.get("extra") {
            let mut got: Vec<&str> = extra_of(event)
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            got.sort_unstable();
            let mut keys: Vec<&str> = keys
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .collect();
            keys.sort_unstable();
            assert_eq!(got, keys, "{name} [{i}] extra");
        }
        if let Some(key) = want.get("dedup_key") {
            assert_eq!(event.dedup_key(), key.as_str().unwrap(), "{name} [{i}]");
        }
    }
}

#[test]
fn every_vector() {
    let cases = common::load("receipts.json");
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn every_inbound_type_of_the_docs_has_a_vector() {
    let cases = common::load("receipts.json");
    let text = serde_json::to_string(&cases).unwrap();
    for kind in [
        "text", "image", "video", "audio", "document", "location", "reply", "contacts", "system",
    ] {
        assert!(
            text.contains(&format!("\"kind\":\"{kind}\"")),
            "no vector for {kind}"
        );
    }
}

fn status_push(id: &str, status: &str) -> Vec<u8> {
    json!([{"MessageId": id, "Status": status, "Timestamp": 1}])
        .to_string()
        .into_bytes()
}

#[test]
fn a_repeated_push_is_flagged_by_the_window() {
    let mut window = DedupWindow::new(100);
    let first = parse_push(&status_push("m1", "Delivered"), None).unwrap();
    let again = parse_push(&status_push("m1", "Delivered"), None).unwrap();
    let read = parse_push(&status_push("m1", "Read"), None).unwrap();
    assert!(!window.seen(&first[0].dedup_key()));
    assert!(window.seen(&again[0].dedup_key()));
    assert!(!window.seen(&read[0].dedup_key()));
}

#[test]
fn statuses_never_regress() {
    use Status::*;
    let all = [Sent, Delivered, Read, Failed, Deleted, Other];
    for s in all {
        assert!(advances(None, s), "{s:?} from nothing");
    }
    let table = [
        (Sent, Delivered, true),
        (Sent, Read, true),
        (Delivered, Read, true),
        (Delivered, Sent, false),
        (Read, Delivered, false),
        (Read, Sent, false),
        (Read, Read, false),
        (Sent, Failed, true),
        (Delivered, Failed, true),
        (Read, Failed, false),
        (Failed, Sent, false),
        (Failed, Read, false),
        (Failed, Failed, false),
        (Deleted, Read, false),
        (Other, Sent, true),
        (Sent, Other, false),
    ];
    for (current, incoming, want) in table {
        assert_eq!(
            advances(Some(current), incoming),
            want,
            "{current:?} -> {incoming:?}"
        );
    }
    // Out of order: Read, then a late Delivered and a repeated Sent: Read stays.
    let mut stored = None;
    for s in [Sent, Read, Delivered, Sent] {
        if advances(stored, s) {
            stored = Some(s);
        }
    }
    assert_eq!(stored, Some(Read));
}

#[test]
fn status_text_is_read_ignoring_case() {
    assert_eq!(Status::from_text("read"), Status::Read);
    assert_eq!(Status::from_text("DELIVERED"), Status::Delivered);
    assert_eq!(Status::from_text("subscribe"), Status::Other);
}

#[test]
fn a_body_too_large_is_refused_before_parsing() {
    let mut body = b"[".to_vec();
    body.resize(MAX_RECEIPT_BYTES + 1, b' ');
    let err = parse_push(&body, None).unwrap_err().to_string();
    assert!(err.contains("larger than"), "{err}");
    let err = parse_mns_body(&body, None).unwrap_err().to_string();
    assert!(err.contains("larger than"), "{err}");
}

#[test]
fn deep_nesting_inside_an_inbound_message_is_kept_raw() {
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let body = json!([{"MessageId": "1", "Type": "IMAGE", "Message": deep}]).to_string();
    let events = parse_push(body.as_bytes(), Some("ChatAppInbound")).unwrap();
    let Event::Inbound(e) = &events[0] else {
        panic!()
    };
    match &e.content {
        InboundContent::Unparsed { reason, .. } => assert!(reason.contains("nested"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_mns_body_with_line_breaks_in_its_base64_is_read() {
    use base64::Engine as _;
    let json = r#"{"MessageId":"7","Status":"Sent"}"#;
    let b64 = base64::engine::general_purpose::STANDARD.encode(json);
    let wrapped = format!("{}\r\n{}\n", &b64[..10], &b64[10..]);
    let events = parse_mns_body(wrapped.as_bytes(), None).unwrap();
    assert_eq!(events[0].dedup_key(), "ChatAppStatus/7/Sent");
    // Unpadded base64 too.
    let events = parse_mns_body(b64.trim_end_matches('=').as_bytes(), None).unwrap();
    assert_eq!(events.len(), 1);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend(status_push("m2", "Sent"));
    assert_eq!(parse_push(&body, None).unwrap().len(), 1);
}

#[test]
fn a_wrong_typed_optional_field_stays_in_extra() {
    let body = br#"[{"MessageId":"1","Status":"Read","ErrorCode":{"x":1},"Timestamp":1.5}]"#;
    let events = parse_push(body, None).unwrap();
    let Event::Status(e) = &events[0] else {
        panic!()
    };
    assert_eq!(e.error_code, None);
    assert_eq!(e.timestamp, None);
    assert_eq!(e.extra["ErrorCode"], json!({"x": 1}));
    assert_eq!(e.extra["Timestamp"], json!(1.5));
}

#[test]
fn a_required_field_of_the_wrong_type_is_named() {
    let err = parse_push(
        br#"[{"MessageId":["1"],"Status":"Read"}]"#,
        Some("ChatAppStatus"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("MessageId") && err.contains("a list"), "{err}");
}

#[test]
fn serialised_events_keep_the_docs_keys() {
    let events = parse_push(&status_push("m9", "Sent"), None).unwrap();
    let v = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(v["MessageType"], "ChatAppStatus");
    assert_eq!(v["Event"]["MessageId"], "m9");
    assert_eq!(v["Event"]["Status"], "Sent");
    assert_eq!(v["Event"]["Timestamp"], 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_push(&body, None);
        let _ = parse_push(&body, Some("ChatAppInbound"));
        let _ = parse_mns_body(&body, None);
    }

    #[test]
    fn json_shaped_text_never_panics(body in r#"[\[\]{}",:0-9a-zA-Z \\]{0,200}"#) {
        let _ = parse_push(body.as_bytes(), None);
        let _ = parse_mns_body(body.as_bytes(), Some("ChatAppStatus"));
    }

    #[test]
    fn any_inbound_message_text_is_kept(t in "[A-Z]{1,10}", m in ".{0,100}") {
        let body = json!([{"MessageId": "1", "Type": t, "Message": m}]).to_string();
        let events = parse_push(body.as_bytes(), Some("ChatAppInbound")).unwrap();
        prop_assert_eq!(events.len(), 1);
    }
}

//! The recorded answers (tests/vectors/answers.json, by tools/gen-answers.sh): for every
//! operation, a sample body filled from the official models' description was parsed by the
//! official SDK's own model (`from_map`, then `to_map`). The generated structs must read the
//! same body and give back exactly what the official model kept, plus the fields it dropped.

use camskit_answers::{ACTIONS, Answer, AnswerError, answer, answer_type, ops, parse_answer};
use serde_json::{Map, Value};

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/answers.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("answers.json")).expect("JSON")
}

/// `v` without the fields no model declares (what the official model drops).
fn without(v: &Value, unknown: &str) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| *k != unknown)
                .map(|(k, x)| (k.clone(), without(x, unknown)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|x| without(x, unknown)).collect()),
        other => other.clone(),
    }
}

fn count_unknown(v: &Value, unknown: &str) -> usize {
    match v {
        Value::Object(m) => {
            usize::from(m.contains_key(unknown))
                + m.values().map(|x| count_unknown(x, unknown)).sum::<usize>()
        }
        Value::Array(a) => a.iter().map(|x| count_unknown(x, unknown)).sum(),
        _ => 0,
    }
}

#[test]
fn every_recorded_answer_reads_as_the_official_model_reads_it() {
    let v = vectors();
    let unknown = v["unknown_field"].as_str().unwrap();
    let answers = v["answers"].as_array().unwrap();
    assert_eq!(
        answers.len(),
        v["counts"]["operations"].as_u64().unwrap() as usize
    );
    assert_eq!(answers.len(), ACTIONS.len());
    let mut big = 0;
    for a in answers {
        let action = a["action"].as_str().unwrap();
        assert_eq!(answer_type(action), a["model"].as_str(), "{action}");
        let body = a["body"].clone();
        let response =
            camskit::parse_response(200, serde_json::to_string(&body).unwrap().as_bytes())
                .unwrap_or_else(|e| panic!("{action}: {e}"));
        let typed =
            Answer::from_response(action, &response).unwrap_or_else(|e| panic!("{action}: {e}"));
        assert_eq!(typed.action(), action);
        let back = serde_json::to_value(&typed).unwrap();
        // Nothing lost: the typed answer writes back the whole body, unknown fields included.
        assert_eq!(back, body, "{action}: the typed answer changed the body");
        // The declared fields are exactly what the official model kept.
        assert_eq!(
            without(&back, unknown),
            a["official"],
            "{action}: differs from the official model"
        );
        assert!(
            count_unknown(&back, unknown) > 0,
            "{action}: no unknown field kept"
        );
        big += count_big(&back);
    }
    assert!(big > 0, "no 64-bit value beyond 2^53 was read");
    println!(
        "{} recorded answers read as the official model reads them ({big} integers beyond 2^53 exact)",
        answers.len()
    );
}

fn count_big(v: &Value) -> usize {
    match v {
        Value::Number(n) => usize::from(n.as_i64().is_some_and(|i| i > (1i64 << 53))),
        Value::Object(m) => m.values().map(count_big).sum(),
        Value::Array(a) => a.iter().map(count_big).sum(),
        _ => 0,
    }
}

#[test]
fn the_description_and_the_structs_agree_on_every_model() {
    let v = vectors();
    let models = v["models"].as_object().unwrap();
    let ops: &Map<String, Value> = v["operations"].as_object().unwrap();
    assert_eq!(ops.len(), ACTIONS.len());
    for (action, model) in ACTIONS {
        assert_eq!(ops[action]["body"], *model, "{action}");
        assert!(models.contains_key(model), "{model}");
    }
}

#[test]
fn a_typed_field_reads_a_64_bit_id_exactly() {
    let body = br#"{"RequestId":"r","Code":"OK","TotalCount":1,"Data":[{"Id":9007199254740993,"FlowName":"f"}]}"#;
    let response = camskit::parse_response(200, body).unwrap();
    let flows = answer::<ops::ListMarketingFlow>(&response).unwrap();
    assert_eq!(flows.data.unwrap()[0].id, Some(9_007_199_254_740_993));
}

#[test]
fn unknown_fields_are_kept_and_a_wrong_type_names_the_field() {
    let body = br#"{"RequestId":"r","Code":"OK","Total":2,"NewThing":{"a":1}}"#;
    let response = camskit::parse_response(200, body).unwrap();
    let list = answer::<ops::ListChatappTemplate>(&response).unwrap();
    assert_eq!(list.total, Some(2));
    assert_eq!(list.extra["NewThing"]["a"], 1);
    assert_eq!(list.list_template, None);

    let wrong = camskit::parse_response(200, br#"{"Code":"OK","Total":"two"}"#).unwrap();
    let err = answer::<ops::ListChatappTemplate>(&wrong).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("ListChatappTemplate"), "{text}");
    assert!(matches!(err, AnswerError::Mismatch { .. }));

    let err = Answer::from_response("NoSuchAction", &response).unwrap_err();
    assert!(matches!(err, AnswerError::UnknownAction(_)));
    assert_eq!(answer_type("NoSuchAction"), None);
    // parse_answer reads any model directly.
    let same: camskit_answers::ListChatappTemplateResponseBody = parse_answer(&response).unwrap();
    assert_eq!(same.total, Some(2));
}

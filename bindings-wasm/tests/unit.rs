//! wasm-bindgen-test unit tests of the binding layer, run under Node by
//! wasm-bindgen-test-runner (see ../test.sh).

use camskit_wasm::{
    WasmSigner, error_to_js, js_to_value, scan_answer, timestamp_from_js, value_to_js,
};
use js_sys::{BigInt, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap()
}

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

#[wasm_bindgen_test]
fn numbers_reach_javascript_exactly() {
    let v: Value = serde_json::from_str(
        r#"{"small":9007199254740991,"big":9007199254740993,"neg":-9007199254740993,"huge":123456789012345678901234567890,"f":0.1}"#,
    )
    .unwrap();
    let js = value_to_js(&v);
    assert_eq!(get(&js, "small").as_f64(), Some(9007199254740991.0));
    let big = get(&js, "big");
    assert!(big.is_bigint());
    assert_eq!(
        String::from(big.unchecked_ref::<BigInt>().to_string(10).unwrap()),
        "9007199254740993"
    );
    assert_eq!(
        String::from(
            get(&js, "neg")
                .unchecked_ref::<BigInt>()
                .to_string(10)
                .unwrap()
        ),
        "-9007199254740993"
    );
    // Beyond 64 bits an answer's integer is a float in core (no arbitrary precision).
    assert_eq!(get(&js, "huge").as_f64(), Some(1.2345678901234568e29));
    assert_eq!(get(&js, "f").as_f64(), Some(0.1));
}

#[wasm_bindgen_test]
fn javascript_values_reach_core_exactly() {
    let big = BigInt::new(&JsValue::from_str("18446744073709551615")).unwrap();
    let v = js_to_value(&big.into(), "X", 0).unwrap();
    assert_eq!(v.to_string(), "18446744073709551615");
    // Beyond 64 bits: refused, naming the parameter (never rounded).
    let huge = BigInt::new(&JsValue::from_str("123456789012345678901234567890")).unwrap();
    let err = js_to_value(&huge.into(), "OwnerId", 0).unwrap_err();
    assert!(
        get(&err, "message")
            .as_string()
            .unwrap()
            .contains("parameter OwnerId")
    );
    assert_eq!(
        js_to_value(&JsValue::from_f64(42.0), "X", 0)
            .unwrap()
            .to_string(),
        "42"
    );
    assert_eq!(
        js_to_value(&JsValue::from_f64(1.5), "X", 0)
            .unwrap()
            .to_string(),
        "1.5"
    );
    assert_eq!(
        js_to_value(&JsValue::UNDEFINED, "X", 0).unwrap(),
        Value::Null
    );
    let err = js_to_value(&JsValue::from_f64(f64::NAN), "X", 0).unwrap_err();
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("ValidationError")
    );
    // A lone surrogate is refused, a real U+FFFD is kept.
    let lone = js_sys::JsString::from_char_code1(0xD800);
    let err = js_to_value(&lone.into(), "PhoneNumber", 0).unwrap_err();
    assert!(
        get(&err, "message")
            .as_string()
            .unwrap()
            .contains("lone surrogate")
    );
    let ok = js_to_value(&JsValue::from_str("\u{FFFD}"), "X", 0).unwrap();
    assert_eq!(ok, Value::String("\u{FFFD}".into()));
}

#[wasm_bindgen_test]
fn signs_the_first_rpc_vector() {
    let doc: Value = serde_json::from_str(include_str!("../../tests/vectors/rpc-v1.json")).unwrap();
    let case = &doc["cases"][0];
    let input = &case["input"];
    let s = |v: &Value| JsValue::from_str(v.as_str().unwrap());
    let signer = WasmSigner::new(obj(&[
        ("accessKeyId", s(&input["access_key_id"])),
        ("accessKeySecret", s(&input["access_key_secret"])),
    ]))
    .unwrap_or_else(|_| panic!("credentials"));
    let params = Object::new();
    for pair in input["query"].as_array().unwrap() {
        Reflect::set(&params, &s(&pair[0]), &s(&pair[1])).unwrap();
    }
    let options = obj(&[
        ("timestamp", s(&input["timestamp"])),
        ("nonce", s(&input["nonce"])),
    ]);
    let signed = signer
        .sign(
            s(&input["action"]),
            params.into(),
            options,
            JsValue::UNDEFINED,
        )
        .unwrap_or_else(|e| panic!("{:?}", get(&e, "message")));
    assert_eq!(
        get(&signed, "signature").as_string(),
        case["expected"]["signature"].as_str().map(String::from)
    );
    assert_eq!(
        get(&signed, "stringToSign").as_string(),
        case["expected"]["string_to_sign"]
            .as_str()
            .map(String::from)
    );
    assert_eq!(
        get(&signed, "signatureVersion").as_string().as_deref(),
        Some("1.0")
    );
}

#[wasm_bindgen_test]
fn errors_become_objects_with_fields() {
    let err = scan_answer(None, JsValue::from_f64(400.0), JsValue::from_str(
        r#"{"RequestId":"r","Code":"System.LimitControl","Message":"The system is under flow control."}"#,
    ), JsValue::UNDEFINED)
    .unwrap_err();
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("ApiError"));
    assert_eq!(get(&err, "kind").as_string().as_deref(), Some("throttling"));
    assert_eq!(get(&err, "retryable").as_bool(), Some(true));
    assert_eq!(get(&err, "status").as_f64(), Some(400.0));
    assert_eq!(get(&err, "requestId").as_string().as_deref(), Some("r"));
    assert!(get(&err, "hostId").is_null());

    let err = scan_answer(
        None,
        JsValue::from_f64(502.0),
        JsValue::from_str("<html>x</html>"),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    assert_eq!(get(&err, "name").as_string().as_deref(), Some("ParseError"));
    assert!(get(&err, "reason").as_string().unwrap().contains("HTML"));

    let e = error_to_js(&camskit::Error::MissingParameter {
        action: "A".into(),
        parameter: "P".into(),
    });
    assert_eq!(
        get(&e, "name").as_string().as_deref(),
        Some("ValidationError")
    );
    assert_eq!(
        get(&e, "code").as_string().as_deref(),
        Some("missing_parameter")
    );

    let err = WasmSigner::new(obj(&[("accessKeyId", JsValue::from_str("id"))]))
        .err()
        .unwrap();
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("CredentialsError")
    );
}

#[wasm_bindgen_test]
fn timestamps_from_javascript() {
    let t = timestamp_from_js(&JsValue::from_f64(1_752_480_000.0)).unwrap_or_else(|_| panic!());
    assert_eq!(t.as_str(), "2025-07-14T08:00:00Z");
    let d = js_sys::Date::new(&JsValue::from_f64(1_752_480_000_500.0));
    assert_eq!(
        timestamp_from_js(&d.into())
            .unwrap_or_else(|_| panic!())
            .as_str(),
        "2025-07-14T08:00:00Z"
    );
    assert!(timestamp_from_js(&JsValue::from_str("nope")).is_err());
    // A fraction is floored (core's one rule), a negative time is refused.
    assert_eq!(
        timestamp_from_js(&JsValue::from_f64(0.5))
            .unwrap_or_else(|_| panic!())
            .unix(),
        0
    );
    assert!(timestamp_from_js(&JsValue::from_f64(-0.5)).is_err());
    // Now, from Date.now().
    let now = timestamp_from_js(&JsValue::UNDEFINED).unwrap_or_else(|_| panic!());
    assert!((now.unix() as f64 - js_sys::Date::now() / 1000.0).abs() < 5.0);
}

#[wasm_bindgen_test]
fn receipt_events_are_one_flat_object_with_exact_integers() {
    let body = JsValue::from_str(
        r#"[{"MessageId":9007199254740993,"Status":"read","Timestamp":9007199254740993,"Later":1},
            {"MessageId":"i1","Type":"TEXT","Message":"hi","DisplayName":"d","Timestamp":1662104191973}]"#,
    );
    let events = camskit_wasm::parse_push(body, JsValue::UNDEFINED).unwrap_or_else(|_| panic!());
    let status = Reflect::get(&events, &JsValue::from_f64(0.0)).unwrap();
    assert_eq!(
        get(&status, "messageType").as_string().as_deref(),
        Some("ChatAppStatus")
    );
    assert_eq!(get(&status, "status").as_string().as_deref(), Some("Read"));
    assert_eq!(get(&status, "Status").as_string().as_deref(), Some("read"));
    assert_eq!(
        get(&status, "MessageId").as_string().as_deref(),
        Some("9007199254740993")
    );
    assert!(get(&status, "Timestamp").is_bigint());
    assert_eq!(get(&status, "Later").as_f64(), Some(1.0));
    assert_eq!(
        get(&status, "dedupKey").as_string().as_deref(),
        Some("ChatAppStatus/9007199254740993/read")
    );
    let inbound = Reflect::get(&events, &JsValue::from_f64(1.0)).unwrap();
    assert_eq!(
        get(&inbound, "Timestamp").as_f64(),
        Some(1_662_104_191_973.0)
    );
    let content = get(&inbound, "content");
    assert_eq!(get(&content, "kind").as_string().as_deref(), Some("text"));
    assert!(get(&inbound, "Content").is_undefined());
    // core's error, as the object the glue gives its class.
    let err = camskit_wasm::parse_push(JsValue::from_str("{"), JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(
        get(&err, "name").as_string().as_deref(),
        Some("ValidationError")
    );
    assert!(
        get(&err, "message")
            .as_string()
            .unwrap()
            .contains("truncated")
    );
}

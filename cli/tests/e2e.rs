//! `camskit call` against a real local mock-cams (tests/mock-cams/server.py on 127.0.0.1).

mod common;

use common::*;

fn call(mock: &Mock, creds: Option<(&str, &str, &str)>, extra: &[&str]) -> std::process::Output {
    let endpoint = format!("--endpoint={}", mock.url());
    let mut args = vec!["call", endpoint.as_str()];
    args.extend_from_slice(extra);
    camskit(creds, &args)
}

const GOOD: Option<(&str, &str, &str)> = Some((KEY_ID, SECRET, ""));

#[test]
fn register_succeeds_with_1_0_and_v3() {
    let mock = Mock::start();
    for sig in ["1.0", "v3"] {
        let s = format!("--signature={sig}");
        let out = call(
            &mock,
            GOOD,
            &[
                &s,
                "ChatappMigrationRegister",
                "CustSpaceId=29348393884",
                "PhoneNumber=+86 138 0000 1234",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{sig}: {}", stderr(&out));
        let body: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(body["Code"], "OK");
        assert!(body["RequestId"].as_str().unwrap().len() > 10);
    }
    // The mock saw exactly the values given, each signed with the version asked for.
    let seen: serde_json::Value = ureq_get(&format!("{}/__mock/requests", mock.url()));
    let reqs = seen.as_array().unwrap();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0]["params"]["PhoneNumber"], "+86 138 0000 1234");
    assert_eq!(reqs[0]["signature"], "1.0");
    assert_eq!(reqs[1]["signature"], "v3");
}

fn ureq_get(url: &str) -> serde_json::Value {
    // A plain HTTP GET with the standard library: the test must not trust camskit's client.
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str(body).unwrap()
}

#[test]
fn wrong_secret_is_a_signature_mismatch() {
    let mock = Mock::start();
    for sig in ["1.0", "v3"] {
        let s = format!("--signature={sig}");
        let out = call(
            &mock,
            Some((KEY_ID, "not-the-secret", "")),
            &[
                &s,
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{sig}");
        let e = error_json(&out);
        assert_eq!(e["kind"], "signature_mismatch", "{sig}");
        assert_eq!(e["code"], "SignatureDoesNotMatch");
        assert_eq!(e["status"], 400);
        assert_eq!(e["retryable"], false);
        // Same string on both sides: the tool can tell the secret is what is wrong.
        assert_eq!(
            e["server_string_to_sign"], e["client_string_to_sign"],
            "{sig}"
        );
        assert!(e["hint"].as_str().unwrap().contains("secret is wrong"));
        assert!(
            !stderr(&out).contains("not-the-secret"),
            "the secret leaked"
        );
    }
}

fn script(mock: &Mock, body: &str) {
    http_json("POST", &format!("{}/__mock/script", mock.url()), body);
}

fn effects(mock: &Mock, action: &str) -> (u64, u64) {
    let e = http_json("GET", &format!("{}/__mock/effects", mock.url()), "");
    (
        e["effects"][action].as_u64().unwrap_or(0),
        e["attempts"][action].as_u64().unwrap_or(0),
    )
}

#[test]
fn a_stale_gateway_clock_is_recovered_once() {
    for sig in ["1.0", "v3"] {
        let mock = Mock::start();
        // The gateway's clock is two hours ahead of this machine's.
        script(&mock, r#"{"clock_offset_s": 7200}"#);
        let s = format!("--signature={sig}");
        let out = call(
            &mock,
            GOOD,
            &[
                &s,
                "--no-retry",
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{sig}: {}", stderr(&out));
        assert_eq!(effects(&mock, "ChatappMigrationRegister"), (1, 2), "{sig}");
        // Three days off: no offset is believed, the error comes back.
        script(&mock, r#"{"clock_offset_s": 259200}"#);
        let out = call(
            &mock,
            GOOD,
            &[
                &s,
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{sig}");
        let e = error_json(&out);
        assert_eq!(e["kind"], "clock_skew", "{sig}");
        assert_eq!(e["code"], "InvalidTimeStamp.Expired");
    }
}

#[test]
fn a_reused_nonce_is_retried_with_a_new_one() {
    let mock = Mock::start();
    script(
        &mock,
        r#"{"faults":[{"action":"ChatappMigrationRegister","mode":"nonce_used"}]}"#,
    );
    let args = [
        "ChatappMigrationRegister",
        "CustSpaceId=cs",
        "PhoneNumber=1",
    ];
    let out = call(&mock, GOOD, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("attempt 1 failed: nonce_reused SignatureNonceUsed"),
        "{}",
        stderr(&out)
    );
    assert_eq!(effects(&mock, "ChatappMigrationRegister"), (1, 2));
    // Without retries the error comes back, marked retryable.
    script(
        &mock,
        r#"{"faults":[{"action":"ChatappMigrationRegister","mode":"nonce_used"}]}"#,
    );
    let out = call(&mock, GOOD, &["--no-retry", args[0], args[1], args[2]]);
    assert_eq!(out.status.code(), Some(1));
    let e = error_json(&out);
    assert_eq!(e["kind"], "nonce_reused");
    assert_eq!(e["retryable"], true);
}

#[test]
fn throttled_twice_then_sent_once() {
    let mock = Mock::start();
    script(
        &mock,
        r#"{"faults":[{"action":"SendChatappMessage","mode":"throttle","times":1,"retry_after_ms":300},{"action":"SendChatappMessage","mode":"http429","times":1}]}"#,
    );
    let out = call(&mock, GOOD, &SEND);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("attempt 1 failed: throttling System.LimitControl"),
        "{err}"
    );
    // x-acs-retry-after: 300 ms from the answer (what is left of it when the wait starts).
    let first_wait: u64 = err
        .lines()
        .next()
        .unwrap()
        .rsplit("retrying in ")
        .next()
        .unwrap()
        .trim_end_matches(" ms")
        .parse()
        .unwrap();
    assert!((200..=300).contains(&first_wait), "{err}");
    assert!(err.contains("attempt 2 failed: throttling"), "{err}");
    assert_eq!(effects(&mock, "SendChatappMessage"), (1, 3));
}

const SEND: [&str; 7] = [
    "SendChatappMessage",
    "CustSpaceId=cs",
    "ChannelType=whatsapp",
    "Type=message",
    "From=8613800001234",
    "To=447700900123",
    r#"Content={"text":"hello"}"#,
];

#[test]
fn a_message_is_never_sent_twice() {
    for (mode, needle) in [
        (
            "error500_after_effect",
            "outcome unknown: CAMS error InternalError",
        ),
        ("drop_after_effect", "outcome unknown: reset after send"),
    ] {
        let mock = Mock::start();
        script(
            &mock,
            &format!(r#"{{"faults":[{{"action":"SendChatappMessage","mode":"{mode}"}}]}}"#),
        );
        let out = call(&mock, GOOD, &SEND);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(3), "{mode}: {err}");
        assert!(err.contains(needle), "{mode}: {err}");
        assert_eq!(effects(&mock, "SendChatappMessage"), (1, 1), "{mode}");
    }
}

#[test]
fn a_read_is_retried_after_a_server_error() {
    let mock = Mock::start();
    script(
        &mock,
        r#"{"faults":[{"action":"ListChatappTemplate","mode":"error500_before_effect","times":2}]}"#,
    );
    let out = call(&mock, GOOD, &["ListChatappTemplate", "CustSpaceId=cs"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(effects(&mock, "ListChatappTemplate"), (1, 3));
}

#[test]
fn all_pages_of_a_list() {
    let mock = Mock::start();
    let out = call(
        &mock,
        GOOD,
        &[
            "--all-pages",
            "ListChatappTemplate",
            "CustSpaceId=cs",
            r#"Page={"Index":1,"Size":10}"#,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let items: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 25);
    let codes: std::collections::HashSet<_> = items
        .iter()
        .map(|i| i["TemplateCode"].to_string())
        .collect();
    assert_eq!(codes.len(), 25);
    assert!(stderr(&out).contains("3 page(s)"), "{}", stderr(&out));
    let out = call(
        &mock,
        GOOD,
        &[
            "--all-pages",
            "--output=ndjson",
            "ListChatappTemplate",
            "CustSpaceId=cs",
            r#"Page={"Index":1,"Size":7}"#,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 25);
    let out = call(
        &mock,
        GOOD,
        &[
            "--all-pages",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a list"), "{}", stderr(&out));
}

#[test]
fn documented_errors_come_back_with_their_kinds() {
    let mock = Mock::start();
    for (space, kind, status) in [
        ("cs-unsubscribed", "not_subscribed", 400),
        ("cs-denied", "permission", 400),
        ("cs-throttled", "throttling", 400),
        ("cs-not-mine", "not_found", 400),
        ("cs-http200-denied", "permission", 200),
    ] {
        let p = format!("CustSpaceId={space}");
        let out = call(
            &mock,
            GOOD,
            &[
                "--no-retry",
                "ChatappMigrationRegister",
                &p,
                "PhoneNumber=1",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{space}");
        let e = error_json(&out);
        assert_eq!(e["kind"], kind, "{space}");
        assert_eq!(e["status"], status, "{space}");
    }
    // A server error on an operation that changes state: outcome unknown, not retried.
    let out = call(
        &mock,
        GOOD,
        &[
            "ChatappMigrationRegister",
            "CustSpaceId=cs-server-error",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("outcome unknown"), "{}", stderr(&out));
}

#[test]
fn unknown_key_is_an_authentication_error() {
    let mock = Mock::start();
    let out = call(
        &mock,
        Some(("LTAI-unknown", "x", "")),
        &[
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let e = error_json(&out);
    assert_eq!(e["kind"], "authentication");
    assert_eq!(e["status"], 404);
}

#[test]
fn sts_token_and_form_body() {
    let mock = Mock::start();
    let sts = Some((STS_KEY_ID, STS_SECRET, STS_TOKEN));
    for sig in ["1.0", "v3"] {
        let s = format!("--signature={sig}");
        let out = call(
            &mock,
            sts,
            &[
                &s,
                // The catalog puts both parameters of this operation in the form body.
                "GetPreValidatePhoneId",
                "PhoneNumber=+86 138",
                "VerifyCode=12 34",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{sig}: {}", stderr(&out));
    }
    // Without the token the same key is refused.
    let out = call(
        &mock,
        Some((STS_KEY_ID, STS_SECRET, "")),
        &[
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(error_json(&out)["kind"], "authentication");
}

#[test]
fn demo_key_is_sent_only_to_local_endpoints() {
    let mock = Mock::start();
    let out = call(
        &mock,
        None,
        &[
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("demo key"));
    let out = camskit(
        None,
        &[
            "call",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ALIBABA_CLOUD_ACCESS_KEY_ID"));
}

#[test]
fn transport_failure_exits_2() {
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("--endpoint=http://127.0.0.1:{port}");
    let out = camskit(
        GOOD,
        &[
            "call",
            &endpoint,
            "--timeout=5",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot reach 127.0.0.1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn migration_workflow_through_the_cli() {
    let mock = Mock::start();
    let steps: [&[&str]; 4] = [
        &[
            "CreateChatappMigrationInitiate",
            "CustSpaceId=cs-1",
            "CountryCode=86",
            "MobileNumber=13800001234",
        ],
        &[
            "GetMigrationVerifyCode",
            "CustSpaceId=cs-1",
            "PhoneNumber=8613800001234",
            "Locale=en_US",
            "Method=sms",
        ],
        &[
            "ChatappMigrationVerified",
            "CustSpaceId=cs-1",
            "PhoneNumber=8613800001234",
            "VerifyCode=123456",
        ],
        &[
            "ChatappMigrationRegister",
            "CustSpaceId=cs-1",
            "PhoneNumber=8613800001234",
        ],
    ];
    let mut migration_id = None;
    for step in steps {
        let out = call(&mock, GOOD, step);
        assert_eq!(out.status.code(), Some(0), "{step:?}: {}", stderr(&out));
        let text = stdout(&out);
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["Code"], "OK");
        // The typed answers (camskit-answers, generated from the official models) read what
        // the CLI printed.
        let response = camskit::parse_response(200, text.as_bytes()).unwrap();
        use camskit_answers::{answer, ops};
        match step[0] {
            "CreateChatappMigrationInitiate" => {
                let r = answer::<ops::CreateChatappMigrationInitiate>(&response).unwrap();
                migration_id = r.data.and_then(|d| d.id);
                assert!(migration_id.as_deref().unwrap().starts_with("mig-"));
            }
            "GetMigrationVerifyCode" => {
                let r = answer::<ops::GetMigrationVerifyCode>(&response).unwrap();
                assert_eq!(
                    r.data.unwrap().phone_number.as_deref(),
                    Some("8613800001234")
                );
            }
            "ChatappMigrationVerified" => {
                let r = answer::<ops::ChatappMigrationVerified>(&response).unwrap();
                assert_eq!(
                    r.data.unwrap().phone_number.as_deref(),
                    Some("8613800001234")
                );
            }
            _ => {
                let r = answer::<ops::ChatappMigrationRegister>(&response).unwrap();
                assert_eq!(r.message.as_deref(), Some("SUCCESS"));
            }
        }
    }
    assert!(migration_id.is_some());
    let seen = ureq_get(&format!("{}/__mock/requests", mock.url()));
    let actions: Vec<&str> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "CreateChatappMigrationInitiate",
            "GetMigrationVerifyCode",
            "ChatappMigrationVerified",
            "ChatappMigrationRegister"
        ]
    );
}

#[test]
fn mock_checks_parameters_against_the_catalog() {
    let mock = Mock::start();
    // --raw skips camskit's checks, so the mock's own catalog check answers.
    let out = call(
        &mock,
        GOOD,
        &["--raw", "ChatappMigrationRegister", "CustSpaceId=cs"],
    );
    assert_eq!(out.status.code(), Some(1));
    let e = error_json(&out);
    assert_eq!(e["code"], "MissingParameter");
    assert_eq!(e["kind"], "invalid_parameter");
    let out = call(&mock, GOOD, &["--raw", "NoSuchAction"]);
    assert_eq!(error_json(&out)["code"], "InvalidAction.NotFound");
}

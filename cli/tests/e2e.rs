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

#[test]
fn old_timestamp_is_clock_skew() {
    let mock = Mock::start();
    for sig in ["1.0", "v3"] {
        let s = format!("--signature={sig}");
        let out = call(
            &mock,
            GOOD,
            &[
                &s,
                "--timestamp=2020-01-01T00:00:00Z",
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        assert_eq!(out.status.code(), Some(1));
        let e = error_json(&out);
        assert_eq!(e["kind"], "clock_skew", "{sig}");
        assert_eq!(e["code"], "InvalidTimeStamp.Expired");
    }
}

#[test]
fn reused_nonce_is_rejected() {
    let mock = Mock::start();
    let args = [
        "--nonce=fixed-nonce-1",
        "ChatappMigrationRegister",
        "CustSpaceId=cs",
        "PhoneNumber=1",
    ];
    let first = call(&mock, GOOD, &args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let second = call(&mock, GOOD, &args);
    assert_eq!(second.status.code(), Some(1));
    let e = error_json(&second);
    assert_eq!(e["kind"], "nonce_reused");
    assert_eq!(e["code"], "SignatureNonceUsed");
    assert_eq!(e["retryable"], true);
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
        ("cs-server-error", "server", 500),
    ] {
        let p = format!("CustSpaceId={space}");
        let out = call(
            &mock,
            GOOD,
            &["ChatappMigrationRegister", &p, "PhoneNumber=1"],
        );
        assert_eq!(out.status.code(), Some(1), "{space}");
        let e = error_json(&out);
        assert_eq!(e["kind"], kind, "{space}");
        assert_eq!(e["status"], status, "{space}");
    }
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
        // The typed responses of core read what the CLI printed.
        match step[0] {
            "CreateChatappMigrationInitiate" => {
                let r = camskit::ops::CreateChatappMigrationInitiateResponse::parse(
                    200,
                    text.as_bytes(),
                )
                .unwrap();
                migration_id = r.data.and_then(|d| d.id);
                assert!(migration_id.as_deref().unwrap().starts_with("mig-"));
            }
            "GetMigrationVerifyCode" => {
                let r = camskit::ops::GetMigrationVerifyCodeResponse::parse(200, text.as_bytes())
                    .unwrap();
                assert_eq!(
                    r.data.unwrap().phone_number.as_deref(),
                    Some("8613800001234")
                );
            }
            "ChatappMigrationVerified" => {
                let r = camskit::ops::ChatappMigrationVerifiedResponse::parse(200, text.as_bytes())
                    .unwrap();
                assert_eq!(
                    r.data.unwrap().phone_number.as_deref(),
                    Some("8613800001234")
                );
            }
            _ => {
                let r = camskit::ops::ChatappMigrationRegisterResponse::parse(200, text.as_bytes())
                    .unwrap();
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

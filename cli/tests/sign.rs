//! `camskit sign` and `camskit parse`, no network.

mod common;

use common::*;

const CREDS: Option<(&str, &str, &str)> = Some(("testid", "testsecret", ""));

#[test]
fn documented_example_through_the_cli() {
    let out = camskit(
        CREDS,
        &[
            "sign",
            "--raw",
            "--method",
            "GET",
            "--endpoint",
            "ecs.aliyuncs.com",
            "--api-version",
            "2014-05-26",
            "--timestamp",
            "2016-02-23T12:46:24Z",
            "--nonce",
            "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            "--output",
            "json",
            "DescribeRegions",
            "Format=XML",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["signature"], "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    assert_eq!(v["method"], "GET");
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .starts_with("https://ecs.aliyuncs.com/?AccessKeyId=testid&")
    );
    assert!(
        v["string_to_sign"]
            .as_str()
            .unwrap()
            .starts_with("GET&%2F&")
    );
}

#[test]
fn main_job_works_without_credentials() {
    let out = camskit(
        None,
        &[
            "sign",
            "ChatappMigrationRegister",
            "CustSpaceId=29348393884",
            "PhoneNumber=8613800001234",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let url = stdout(&out);
    assert!(url.starts_with("https://cams.ap-southeast-1.aliyuncs.com/?AccessKeyId=LTAI5tCamsKitDemoKey01&Action=ChatappMigrationRegister&"));
    assert!(url.contains("&Signature="));
    assert!(stderr(&out).contains("demo key"));
}

#[test]
fn values_are_signed_exactly_as_given() {
    let value = "a=b&c d\n\t\u{1}中😀+/*~%";
    let p = format!("PhoneNumber={value}");
    let out = camskit(
        CREDS,
        &[
            "sign",
            "--output=json",
            "--nonce=-starts-with-dash",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            &p,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let canonical = v["canonical_query"].as_str().unwrap();
    assert!(canonical.contains(&format!(
        "PhoneNumber={}&",
        camskit::encode::percent_encode(value)
    )));
    assert!(canonical.contains("SignatureNonce=-starts-with-dash&"));
}

#[test]
fn empty_security_token_means_none() {
    let out = camskit(
        Some(("id", "s", "")),
        &[
            "sign",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert!(!stdout(&out).contains("SecurityToken"));
    let out = camskit(
        Some(("id", "s", "tok")),
        &[
            "sign",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert!(stdout(&out).contains("&SecurityToken=tok&"));
}

#[test]
fn form_body_is_printed_after_the_url() {
    let out = camskit(
        CREDS,
        &[
            "sign",
            "--raw",
            "GetPreValidatePhoneId",
            "--form",
            "PhoneNumber=+86 1",
            "--form=VerifyCode=1",
        ],
    );
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("https://"));
    assert_eq!(lines[1], "content-type: application/x-www-form-urlencoded");
    assert_eq!(lines[2], "");
    assert_eq!(lines[3], "PhoneNumber=%2B86+1&VerifyCode=1");
}

#[test]
fn bad_input_names_the_problem() {
    // One argument can hold at most 128 KiB on Linux; 100 KiB is past the query limit.
    let big = format!("PhoneNumber={}", "x".repeat(100 * 1024));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["sign", ""], "action"),
        (
            vec!["sign", "ChatappMigrationRegister", "CustSpaceId=cs"],
            "missing required parameter PhoneNumber",
        ),
        (
            vec![
                "sign",
                "ChatappMigrationRegister",
                "CustSpaceId=",
                "PhoneNumber=1",
            ],
            "CustSpaceId",
        ),
        (vec!["sign", "--raw", "A", "B=C=D", "=x"], "parameter name"),
        (vec!["sign", "--raw", "A", "X\u{7}=1"], "parameter name"),
        (vec!["sign", "--raw", "A", "Novalue"], "NAME=VALUE"),
        (vec!["sign", "--raw", "A", &big], "102400 bytes"),
        (
            vec![
                "sign",
                "--timestamp=yesterday",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "timestamp",
        ),
        (
            vec![
                "sign",
                "--timestamp=2025-02-30T00:00:00Z",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "timestamp",
        ),
        (
            vec![
                "sign",
                "--timestamp=99999999999999999999",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "timestamp",
        ),
        (
            vec![
                "sign",
                "--method=PUT",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "method",
        ),
        (
            vec![
                "sign",
                "--region=Mars 1",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "region",
        ),
        (
            vec![
                "sign",
                "--endpoint=ftp://x",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "endpoint",
        ),
        (
            vec![
                "sign",
                "--signature=v9",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "signature version",
        ),
        (
            vec![
                "sign",
                "--nonce=",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
            ],
            "nonce",
        ),
    ];
    for (args, needle) in cases {
        let out = camskit(CREDS, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // An empty key id in the environment.
    let out = camskit(
        Some(("", "secret", "")),
        &[
            "sign",
            "ChatappMigrationRegister",
            "CustSpaceId=c",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn parse_reads_files_and_stdin() {
    let dir = TempDir::new();
    let ok = dir.0.join("ok.json");
    std::fs::write(
        &ok,
        r#"{"RequestId":"r","Code":"OK","Data":{"Id":9007199254740993}}"#,
    )
    .unwrap();
    let out = camskit(None, &["parse", "--status", "200", ok.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("9007199254740993"),
        "big ids stay exact"
    );
    let bad = dir.0.join("bad.html");
    std::fs::write(&bad, "<html><body>502</body></html>").unwrap();
    let out = camskit(None, &["parse", "--status=502", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("HTML"));
    let err = dir.0.join("err.json");
    std::fs::write(&err, r#"{"RequestId":"r","Code":"Product.Unsubscript","Message":"You have not subscribed to the specified product."}"#).unwrap();
    let out = camskit(None, &["parse", "--status=400", err.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(error_json(&out)["kind"], "not_subscribed");
    let out = camskit(None, &["parse", "--status=200", "/nonexistent/file"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn catalog_places_body_parameters() {
    let out = camskit(
        CREDS,
        &[
            "sign",
            "GetPreValidatePhoneId",
            "PhoneNumber=+86 1",
            "VerifyCode=1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.lines().next().unwrap().contains("PhoneNumber"));
    assert_eq!(
        text.lines().last(),
        Some("PhoneNumber=%2B86+1&VerifyCode=1")
    );
}

#[test]
fn ops_lists_and_describes_every_operation() {
    let out = camskit(None, &["ops"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 173);
    assert!(text.lines().any(|l| l == "ChatappMigrationRegister\tPOST"));
    let out = camskit(None, &["ops", "SendChatappMessage"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.starts_with("TemplateParams "))
        .unwrap();
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cols, ["TemplateParams", "query", "object", "json", "no"]);
    let line = text.lines().find(|l| l.starts_with("Payload ")).unwrap();
    assert!(line.contains("array<string>"), "{line}");
    let out = camskit(None, &["ops", "GetPreValidatePhoneId"]);
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.starts_with("PhoneNumber") && l.contains(" body "))
    );
    let out = camskit(None, &["ops", "ChatappMigrationRegistr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean ChatappMigrationRegister"));
}

#[test]
fn catalog_errors_are_exact() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["sign", "SendChatMessage"],
            "camskit: unknown CAMS operation \"SendChatMessage\"; did you mean SendChatappMessage, SendChatappMassMessage, ListChatappMessage?",
        ),
        (
            vec![
                "sign",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
                "Phone=2",
            ],
            "camskit: ChatappMigrationRegister: unknown parameter \"Phone\"; did you mean PhoneNumber?",
        ),
        (
            vec!["sign", "ChatappMigrationRegister", "CustSpaceId=c"],
            "camskit: ChatappMigrationRegister: missing required parameter PhoneNumber",
        ),
        (
            vec![
                "sign",
                "ChatappMigrationRegister",
                "CustSpaceId=c",
                "PhoneNumber=1",
                "OwnerId=abc",
            ],
            "camskit: ChatappMigrationRegister: parameter OwnerId expects integer, got text \"abc\"",
        ),
        (
            vec![
                "sign",
                "SendChatappMessage",
                "CustSpaceId=c",
                "ChannelType=w",
                "Type=t",
                "From=1",
                "To=2",
                "Payload=x",
            ],
            "camskit: SendChatappMessage: parameter Payload expects array, got text that is not a JSON array or object",
        ),
        (
            vec![
                "sign",
                "ChatappMigrationRegister",
                "--form=PhoneNumber=1",
                "CustSpaceId=c",
            ],
            "camskit: invalid form: form parameters need raw: for CAMS operations the catalog places each parameter in the query or the body",
        ),
    ];
    for (args, want) in cases {
        let out = camskit(CREDS, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out).trim_end(), want, "{args:?}");
    }
}

#[test]
fn params_json_takes_structured_values() {
    let dir = TempDir::new();
    let f = dir.0.join("p.json");
    std::fs::write(&f, r#"{"CustSpaceId":"cs","ChannelType":"whatsapp","Type":"template","From":"1","To":"2","TemplateParams":{"b":"2","a":"ü 1"},"Payload":["p1","p2"],"TaskId":"t"}"#).unwrap();
    let arg = format!("--params-json={}", f.display());
    let out = camskit(
        CREDS,
        &[
            "sign",
            "--output=json",
            &arg,
            "SendChatappMessage",
            "Language=en",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let q = v["canonical_query"].as_str().unwrap();
    // Compact JSON, keys in the file's order, UTF-8 kept (then percent-encoded).
    assert!(
        q.contains(&format!(
            "TemplateParams={}&",
            camskit::encode::percent_encode(r#"{"b":"2","a":"ü 1"}"#)
        )),
        "{q}"
    );
    assert!(q.contains(&format!(
        "Payload={}&",
        camskit::encode::percent_encode(r#"["p1","p2"]"#)
    )));
    assert!(q.contains("Language=en&"));
    let out = camskit(
        CREDS,
        &[
            "sign",
            "--params-json=/nonexistent.json",
            "SendChatappMessage",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(&f, "[1]").unwrap();
    let out = camskit(CREDS, &["sign", &arg, "SendChatappMessage"]);
    assert!(stderr(&out).contains("not a JSON object"));
    // A value of 1 MiB is refused by name (through a file: one argument cannot hold it).
    std::fs::write(
        &f,
        format!(
            r#"{{"CustSpaceId":"c","PhoneNumber":"{}"}}"#,
            "9".repeat(1 << 20)
        ),
    )
    .unwrap();
    let out = camskit(CREDS, &["sign", &arg, "ChatappMigrationRegister"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("parameter \"PhoneNumber\"")
            && stderr(&out).contains("1048576 bytes"),
        "{}",
        stderr(&out)
    );
}

//! Where credentials go, and how much work hostile input can cause: a test per finding of the
//! reliability review (issue "Reliability and security").

mod common;

use common::*;

const STS: Option<(&str, &str, &str)> = Some((STS_KEY_ID, STS_SECRET, STS_TOKEN));
const GOOD: Option<(&str, &str, &str)> = Some((KEY_ID, SECRET, ""));

#[test]
fn a_redirect_to_another_host_is_an_error_and_is_not_followed() {
    let mock = Mock::start();
    // mock-cams redirects to 127.0.0.2 on its own port: listen there to see whether anything
    // (the token in x-acs-security-token) arrives.
    let trap = std::net::TcpListener::bind(("127.0.0.2", mock.port)).expect("bind 127.0.0.2");
    trap.set_nonblocking(true).unwrap();
    http_json(
        "POST",
        &format!("{}/__mock/script", mock.url()),
        r#"{"faults":[{"action":"ChatappMigrationRegister","mode":"redirect","times":2}]}"#,
    );
    for signature in ["1.0", "v3"] {
        let out = camskit(
            STS,
            &[
                "call",
                &format!("--endpoint={}", mock.url()),
                &format!("--signature={signature}"),
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("a redirect to http://127.0.0.2:"), "{err}");
        assert!(!err.contains(STS_TOKEN), "{err}");
        assert!(
            trap.accept().is_err(),
            "camskit followed the redirect to another host"
        );
    }
    let effects = http_json("GET", &format!("{}/__mock/effects", mock.url()), "");
    assert_eq!(effects["attempts"]["ChatappMigrationRegister"], 2);
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_connecting() {
    // `.invalid` never resolves (RFC 6761): nothing could be reached even if the check were
    // missing, and the message says the refusal came first.
    for creds in [GOOD, STS] {
        let out = camskit(
            creds,
            &[
                "call",
                "--endpoint=http://cams.example.invalid",
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("clear text"), "{err}");
        assert!(err.contains("--allow-insecure-http"), "{err}");
        assert!(
            !err.contains("allow_insecure_http"),
            "the CLI names its own option: {err}"
        );
        assert!(!err.contains("cannot reach"), "{err}");
    }
}

#[test]
fn the_opt_in_sends_over_plain_http() {
    // With the opt-in the request goes out: to a name that does not resolve, so it fails to
    // connect (and never leaves the machine).
    let out = camskit(
        GOOD,
        &[
            "call",
            "--allow-insecure-http",
            "--timeout=5",
            "--endpoint=http://cams.example.invalid",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot reach"), "{}", stderr(&out));
}

#[test]
fn loopback_is_decided_on_the_address_not_the_name() {
    for endpoint in [
        "http://127.evil.example",
        "http://localhost.evil.com",
        "http://127.0.0.1.nip.io",
    ] {
        let out = camskit(
            None,
            &[
                "call",
                &format!("--endpoint={endpoint}"),
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{endpoint}: {err}");
        assert!(err.contains("call needs credentials"), "{endpoint}: {err}");
    }
}

#[test]
fn timeout_is_bounded_not_a_panic() {
    for t in [
        "18446744073709551615",
        "9223372036854775807",
        "0",
        "-1",
        "nan",
    ] {
        let out = camskit(
            GOOD,
            &[
                "call",
                &format!("--timeout={t}"),
                "--endpoint=http://127.0.0.1:9",
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "--timeout={t}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("--timeout"), "{}", stderr(&out));
    }
}

#[test]
fn a_huge_unknown_action_is_refused_with_a_short_message() {
    // The longest single argument Linux passes is 128 KiB.
    let action = "A".repeat(120 * 1024);
    let out = camskit(GOOD, &["sign", &action, "X=1"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("unknown CAMS operation"),
        "{}",
        &err[..200.min(err.len())]
    );
    assert!(err.len() < 512, "the message echoes {} bytes", err.len());
}

#[test]
fn params_json_is_bounded_and_refuses_repeated_names() {
    let dir = TempDir::new();
    let big = dir.0.join("big.json");
    std::fs::write(&big, vec![b' '; 5 << 20]).unwrap();
    let out = camskit(
        GOOD,
        &[
            "sign",
            &format!("--params-json={}", big.display()),
            "ChatappMigrationRegister",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("more than 4194304 bytes"),
        "{}",
        stderr(&out)
    );

    let dup = dir.0.join("dup.json");
    std::fs::write(
        &dup,
        r#"{"CustSpaceId":"a","PhoneNumber":"1","CustSpaceId":"b"}"#,
    )
    .unwrap();
    let out = camskit(
        GOOD,
        &[
            "sign",
            &format!("--params-json={}", dup.display()),
            "ChatappMigrationRegister",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("more than once"), "{}", stderr(&out));

    let deep = dir.0.join("deep.json");
    std::fs::write(
        &deep,
        format!(
            r#"{{"CustSpaceId":"a","PhoneNumber":{}1{}}}"#,
            "[".repeat(5000),
            "]".repeat(5000)
        ),
    )
    .unwrap();
    let out = camskit(
        GOOD,
        &[
            "sign",
            &format!("--params-json={}", deep.display()),
            "ChatappMigrationRegister",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // Core names the depth (it used to be serde_json's "recursion limit").
    assert!(
        stderr(&out).contains("nested more than 128 levels deep"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn parse_reads_a_bounded_answer() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_camskit"))
        .args(["parse", "--status=200", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // 40 MiB of spaces: camskit must stop reading after 8 MiB + 2 bytes.
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..40 {
        if stdin.write_all(&chunk).is_err() {
            break;
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("more than"), "{}", stderr(&out));
}

#[test]
fn non_unicode_credentials_are_an_error_not_the_demo_key() {
    use std::os::unix::ffi::OsStrExt;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_camskit"))
        .args([
            "sign",
            "ChatappMigrationRegister",
            "CustSpaceId=c",
            "PhoneNumber=1",
        ])
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tId")
        .env(
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
            std::ffi::OsStr::from_bytes(b"Canary\xffSecret"),
        )
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but is not valid Unicode"),
        "{err}"
    );
    assert!(!err.contains("demo key"), "{err}");
}

//! An STS token is never printed (issue #24, item 3): the SignatureDoesNotMatch diagnosis on
//! stderr shows both strings to sign with `SecurityToken=<redacted>` (core's `redact_tokens`,
//! applied to both alike so they still compare), and still says which parameter differs.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use common::*;

/// Every form the token could take on stderr: as given, percent-encoded once (a URL, a
/// canonical query) and twice (a string to sign).
fn assert_no_token(err: &str, token: &str) {
    let once = enc(token);
    let twice = enc(&once);
    for form in [token, &once, &twice] {
        assert!(!err.contains(form), "the token leaked as {form}: {err}");
    }
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn the_signature_mismatch_diagnosis_redacts_the_token() {
    let mock = Mock::start();
    for sig in ["1.0", "v3"] {
        let out = camskit(
            Some((STS_KEY_ID, "not-the-secret", STS_TOKEN)),
            &[
                "call",
                &format!("--endpoint={}", mock.url()),
                &format!("--signature={sig}"),
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{sig}: {err}");
        let e = error_json(&out);
        assert_eq!(e["kind"], "signature_mismatch", "{sig}");
        assert_no_token(&err, STS_TOKEN);
        assert!(!err.contains("not-the-secret"), "{err}");
        // Same string on both sides (redacted alike): still the secret is what is wrong.
        assert_eq!(
            e["server_string_to_sign"], e["client_string_to_sign"],
            "{sig}"
        );
        assert!(
            e["hint"].as_str().unwrap().contains("secret is wrong"),
            "{err}"
        );
        if sig == "1.0" {
            for field in ["server_string_to_sign", "client_string_to_sign", "message"] {
                assert!(
                    e[field]
                        .as_str()
                        .unwrap()
                        .contains("SecurityToken%3D<redacted>%26"),
                    "{field}: {err}"
                );
            }
        }
    }
}

/// A gateway that rejects every request with SignatureDoesNotMatch, its string to sign built
/// from the request (GET, the parameters in the URL, the token echoed) with `PhoneNumber`
/// replaced by `other_phone`: the strings differ in that parameter alone. Returns its URL.
fn gateway_with_another_phone_number(other_phone: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let target = line.split(' ').nth(1).unwrap_or("/").to_owned();
            let mut length = 0usize;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header.trim().is_empty() {
                    break;
                }
                if let Some((n, v)) = header.split_once(':') {
                    if n.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let query = target.split_once('?').map_or("", |(_, q)| q);
            let mut pairs: Vec<String> = query
                .split('&')
                .filter(|p| !p.starts_with("Signature="))
                .map(|p| {
                    if p.starts_with("PhoneNumber=") {
                        format!("PhoneNumber={}", enc(other_phone))
                    } else {
                        p.to_owned()
                    }
                })
                .collect();
            pairs.sort();
            let string_to_sign = format!("GET&%2F&{}", enc(&pairs.join("&")));
            let answer = serde_json::json!({
                "RequestId": "R-1",
                "HostId": "cams.ap-southeast-1.aliyuncs.com",
                "Code": "SignatureDoesNotMatch",
                "Message": format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
            })
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    url
}

#[test]
fn the_parameter_that_differs_is_named_and_the_token_not_shown() {
    let url = gateway_with_another_phone_number("2");
    let out = camskit(
        Some((STS_KEY_ID, STS_SECRET, STS_TOKEN)),
        &[
            "call",
            &format!("--endpoint={url}"),
            "--method=GET",
            "--no-retry",
            "--raw",
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_token(&err, STS_TOKEN);
    let e = error_json(&out);
    assert_eq!(e["kind"], "signature_mismatch", "{err}");
    assert_eq!(e["differs"], serde_json::json!(["PhoneNumber"]), "{err}");
    for field in ["server_string_to_sign", "client_string_to_sign"] {
        assert!(
            e[field]
                .as_str()
                .unwrap()
                .contains("SecurityToken%3D<redacted>%26"),
            "{field}: {err}"
        );
    }
    let hint = e["hint"].as_str().unwrap();
    assert!(hint.contains("a different string"), "{hint}");
    assert!(hint.contains("it differs in: PhoneNumber"), "{hint}");
}

#[test]
fn parse_redacts_a_token_in_a_saved_answer() {
    let answer = r#"{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3DSTS.k%26SecurityToken%3DCAIS%252Bsecret%252Ftok%26Version%3D2020-06-06"}"#;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_camskit"))
        .args(["parse", "--status", "400"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answer.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_no_token(&err, "CAIS+secret/tok");
    let e = error_json(&out);
    assert_eq!(
        e["server_string_to_sign"],
        "POST&%2F&AccessKeyId%3DSTS.k%26SecurityToken%3D<redacted>%26Version%3D2020-06-06"
    );
}

//! `camskit receipts parse` on every body of tests/vectors/receipts.json, `camskit mns-sign`
//! on the MNS SDK's recorded requests (tests/vectors/mns.json), and `camskit receipts pull`
//! end to end against mock-cams's Dybaseapi and MNS queue on 127.0.0.1.

mod common;

use common::*;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/vectors").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn lines(o: &std::process::Output) -> Vec<Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn receipts_parse_every_vector_body() {
    let dir = TempDir::new();
    let cases = vectors("receipts.json")["cases"]
        .as_array()
        .unwrap()
        .clone();
    assert!(cases.len() >= 30);
    for (i, case) in cases.iter().enumerate() {
        let name = case["name"].as_str().unwrap();
        let file = dir.0.join(format!("body-{i}"));
        std::fs::write(&file, case["body"].as_str().unwrap()).unwrap();
        let mut args = vec!["receipts", "parse"];
        if case["transport"] == "mns" {
            args.push("--mns");
        }
        if let Some(t) = case["message_type"].as_str() {
            args.extend(["--message-type", t]);
        }
        let path = file.to_str().unwrap().to_owned();
        args.push(&path);
        let out = camskit(None, &args);
        if let Some(words) = case.get("error") {
            assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
            assert!(stdout(&out).is_empty(), "{name}");
            let err = stderr(&out);
            assert!(err.starts_with("camskit: "), "{name}: {err}");
            for w in words.as_array().unwrap() {
                assert!(
                    err.contains(w.as_str().unwrap()),
                    "{name}: {w} not in {err}"
                );
            }
            continue;
        }
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let got = lines(&out);
        let expect = case["expect"].as_array().unwrap();
        assert_eq!(got.len(), expect.len(), "{name}");
        for (g, e) in got.iter().zip(expect) {
            assert_eq!(g["MessageType"], e["type"], "{name}");
            // A status camskit does not know ("Other") is kept as it came.
            match e.get("status").and_then(Value::as_str) {
                Some("Other") => assert!(g["Event"]["Status"].is_string(), "{name}"),
                Some(status) => assert_eq!(g["Event"]["Status"], status, "{name}"),
                None => {}
            }
            if e["type"] != "Other" {
                for key in ["MessageId", "WabaId"] {
                    if let Some(v) = e["fields"].get(key) {
                        assert_eq!(&g["Event"][key], v, "{name}: {key}");
                    }
                }
            }
        }
    }
}

#[test]
fn receipts_parse_reads_standard_input_and_refuses_what_is_not_a_file() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_camskit"))
        .args(["receipts", "parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"MessageId":"1","Status":"Read","Timestamp":1}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out)[0]["MessageType"], "ChatAppStatus");

    let dir = TempDir::new();
    let out = camskit(None, &["receipts", "parse", dir.0.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    let out = camskit(None, &["receipts", "parse", "/nonexistent/receipts.json"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Sorted (name lower-cased, value) pairs.
fn header_set(v: &Value) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_ascii_lowercase(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    h.sort();
    h
}

#[test]
fn mns_sign_matches_the_official_sdk() {
    let dir = TempDir::new();
    let requests = vectors("mns.json")["requests"].as_array().unwrap().clone();
    assert!(!requests.is_empty());
    for (i, r) in requests.iter().enumerate() {
        let (input, expected) = (&r["input"], &r["expected"]);
        let name = r["name"].as_str().unwrap();
        let mut args: Vec<String> = [
            "mns-sign",
            "--endpoint",
            input["endpoint"].as_str().unwrap(),
            "--method",
            expected["method"].as_str().unwrap(),
            "--resource",
            expected["resource"].as_str().unwrap(),
            "--date",
            input["date"].as_str().unwrap(),
            "--output",
            "json",
        ]
        .map(str::to_owned)
        .to_vec();
        if let Some(body) = expected["body"].as_str() {
            let file = dir.0.join(format!("body-{i}.xml"));
            std::fs::write(&file, body).unwrap();
            args.extend([
                "--body".to_owned(),
                file.to_str().unwrap().to_owned(),
                "--content-type".to_owned(),
                "text/xml;charset=UTF-8".to_owned(),
            ]);
        }
        let token = input["security_token"].as_str().unwrap_or("");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = camskit(
            Some((
                input["access_key_id"].as_str().unwrap(),
                input["access_key_secret"].as_str().unwrap(),
                token,
            )),
            &args,
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["url"], expected["url"], "{name}");
        assert_eq!(v["string_to_sign"], expected["string_to_sign"], "{name}");
        assert_eq!(v["authorization"], expected["authorization"], "{name}");
        assert_eq!(
            header_set(&v["headers"]),
            header_set(&expected["headers"]),
            "{name}"
        );
        assert_eq!(v["body"], expected["body"], "{name}");
    }
}

#[test]
fn mns_sign_prints_headers_and_refuses_bad_input() {
    let creds = Some(("id", "secret", ""));
    let base = [
        "mns-sign",
        "--endpoint",
        "https://1.mns.cn-hangzhou.aliyuncs.com",
        "--method",
        "GET",
        "--resource",
        "/queues/q/messages?waitseconds=10",
        "--date",
        "Sun, 06 Dec 2026 02:40:35 GMT",
    ];
    let out = camskit(creds, &base);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(
        "GET https://1.mns.cn-hangzhou.aliyuncs.com/queues/q/messages?waitseconds=10\n"
    ));
    assert!(text.contains("\nx-mns-version: 2015-06-06\n"), "{text}");
    assert!(text.contains("\nAuthorization: MNS id:"), "{text}");
    // An extra x-mns-* header is signed (sorted into the string to sign).
    let mut with = base.to_vec();
    with.extend(["--header", "x-mns-extra=1", "--output", "json"]);
    let out = camskit(creds, &with);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        v["string_to_sign"]
            .as_str()
            .unwrap()
            .contains("\nx-mns-extra:1\nx-mns-version:2015-06-06\n")
    );
    for (flag, value) in [
        ("--date", "2026-12-06T02:40:35Z"),
        ("--method", "PATCH"),
        ("--resource", "queues/q"),
        ("--header", "content-type=x"),
        ("--content-type", "text/plain"),
    ] {
        let mut args: Vec<&str> = base.to_vec();
        match args.iter().position(|a| *a == flag) {
            Some(i) => args[i + 1] = value,
            None => args.extend([flag, value]),
        }
        let out = camskit(creds, &args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag} {value}: {}",
            stdout(&out)
        );
        assert!(stderr(&out).starts_with("camskit: "), "{}", stderr(&out));
    }
}

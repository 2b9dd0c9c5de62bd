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

// ------------------------------------------------------------------ receipts pull, end to end

const QUEUE: &str = "Alicom-Queue-1234-ChatAppStatus";
const ACCOUNT: Option<(&str, &str, &str)> = Some((KEY_ID, SECRET, ""));

fn mns(mock: &Mock, path: &str, body: Option<Value>) -> Value {
    let url = format!("{}/__mock/mns{path}", mock.url());
    match body {
        Some(b) => http_json("POST", &url, &b.to_string()),
        None => http_json("GET", &url, ""),
    }
}

fn queue_view(mock: &Mock) -> Value {
    mns(mock, "", None)["queues"][QUEUE].clone()
}

/// `receipts pull` of QUEUE's ChatAppStatus messages from the MNS `endpoint`, then `extra`.
fn pull_command<'a>(endpoint: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "receipts",
        "pull",
        "--message-type",
        "ChatAppStatus",
        "--queue",
        QUEUE,
        "--endpoint",
        endpoint,
    ];
    args.extend_from_slice(extra);
    args
}

/// `receipts pull` from the mock (MNS and Dybaseapi), long polls of 1 s, then `extra`; with the
/// test account's key.
fn pull_process(mock: &Mock, extra: &[&str]) -> std::process::Command {
    let url = mock.url();
    let mut with = vec!["--wait", "1", "--token-endpoint", &url];
    with.extend_from_slice(extra);
    camskit_command(ACCOUNT, &pull_command(&url, &with))
}

fn pull(mock: &Mock, extra: &[&str]) -> std::process::Output {
    pull_process(mock, extra).output().unwrap()
}

/// A mock whose long polls last at most 1 s.
fn queue_mock(config: Value) -> Mock {
    let mock = Mock::start();
    let mut c = serde_json::json!({"max_wait_s": 1});
    c.as_object_mut()
        .unwrap()
        .extend(config.as_object().unwrap().clone());
    mns(&mock, "/config", Some(c));
    mock
}

fn enqueue_vectors(mock: &Mock, n: u64) -> Vec<String> {
    let ids = mns(
        mock,
        "/enqueue",
        Some(
            serde_json::json!({"queue": QUEUE, "from_vectors": n, "message_type": "ChatAppStatus"}),
        ),
    )["message_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert_eq!(ids.len() as u64, n);
    ids
}

#[test]
fn pull_prints_and_deletes_twenty_messages() {
    let mock = queue_mock(serde_json::json!({}));
    let mut ids = enqueue_vectors(&mock, 20);
    let out = pull(&mock, &["--max", "20"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 20, "{}", stderr(&out));
    let mut seen: Vec<String> = got
        .iter()
        .map(|l| l["message_id"].as_str().unwrap().to_owned())
        .collect();
    seen.sort();
    ids.sort();
    assert_eq!(seen, ids);
    for l in &got {
        assert_eq!(l["dequeue_count"], 1);
        assert_eq!(l["duplicate"], false);
        assert_eq!(l["poison"], false);
        assert_eq!(l["event"]["MessageType"], "ChatAppStatus");
        assert!(l["event"]["Event"]["MessageId"].is_string());
    }
    let view = mns(&mock, "", None);
    assert_eq!(view["deleted"], 20);
    assert_eq!(view["delivered"], 20);
    assert_eq!(view["signature_failures"], 0);
    assert_eq!(view["queues"][QUEUE]["visible"], 0);
    assert_eq!(view["queues"][QUEUE]["inflight"], 0);
}

#[test]
fn pull_fetches_a_new_token_when_it_is_about_to_expire() {
    use std::process::Stdio;
    // A token of 2 s is renewed from half its life, 1 s after it was issued (core renews from
    // 2 minutes before expiry, or at half the life of a token shorter than twice that).
    let mock = queue_mock(serde_json::json!({"token_lifetime_s": 2}));
    enqueue_vectors(&mock, 1);
    let child = pull_process(&mock, &["--max", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The second message comes while the pull long-polls past its token's renewal time.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    enqueue_vectors(&mock, 1);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 2);
    let view = mns(&mock, "", None);
    assert_eq!(view["deleted"], 2);
    assert!(view["token_calls"].as_u64().unwrap() >= 2, "{view}");
    assert_eq!(view["signature_failures"], 0);
}

#[test]
fn pull_no_delete_leaves_every_message() {
    let mock = queue_mock(serde_json::json!({}));
    enqueue_vectors(&mock, 5);
    let out = pull(&mock, &["--max", "5", "--no-delete"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 5);
    let view = queue_view(&mock);
    assert_eq!(view["deleted"], 0);
    assert_eq!(view["inflight"], 5);
    assert_eq!(
        mns(&mock, "", None)["requests"].get("BatchDeleteMessage"),
        None
    );
}

#[test]
fn pull_flags_a_redelivery_of_a_handled_message_as_duplicate_and_poison() {
    // Not deleted, visible again after 1 s: the same run receives it again.
    let mock = queue_mock(serde_json::json!({"visibility_timeout_s": 1}));
    let ids = enqueue_vectors(&mock, 1);
    let out = pull(
        &mock,
        &["--max", "2", "--no-delete", "--max-dequeue-count", "1"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 2);
    for (l, (count, repeat)) in got.iter().zip([(1, false), (2, true)]) {
        assert_eq!(l["message_id"], ids[0].as_str());
        assert_eq!(l["dequeue_count"], count);
        assert_eq!(l["duplicate"], repeat);
        assert_eq!(l["poison"], repeat);
    }
}

#[test]
fn pull_leaves_a_body_it_cannot_parse() {
    let mock = queue_mock(serde_json::json!({}));
    mns(
        &mock,
        "/enqueue",
        Some(serde_json::json!({"queue": QUEUE, "bodies": ["this is not a receipt!"]})),
    );
    enqueue_vectors(&mock, 1);
    let out = pull(&mock, &["--max", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 1);
    assert!(
        stderr(&out).contains("cannot be parsed") && stderr(&out).contains("left in the queue"),
        "{}",
        stderr(&out)
    );
    let view = queue_view(&mock);
    assert_eq!(view["deleted"], 1);
    assert_eq!(view["messages"][0]["deleted"], false);
}

#[test]
fn a_crash_after_the_line_and_before_the_delete_brings_the_message_back() {
    use std::io::BufRead;
    use std::process::Stdio;
    // Deletes are held 10 s: the CLI has printed its line and waits for the delete's answer.
    let mock = queue_mock(serde_json::json!({"delete_hold_s": 10, "visibility_timeout_s": 2}));
    let ids = enqueue_vectors(&mock, 1);
    let mut child = pull_process(&mock, &["--max", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let line: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(line["message_id"], ids[0].as_str());
    // Its delete has reached the mock (and is held there): the crash comes now.
    let start = std::time::Instant::now();
    while mns(&mock, "", None)["requests"]["BatchDeleteMessage"] != 1 {
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // The held delete sees its client gone and is not applied.
    let start = std::time::Instant::now();
    while mns(&mock, "", None)["deletes_abandoned"] == 0 {
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(mns(&mock, "", None)["deleted"], 0);
    // The next pull gets it again, once its visibility ends, and deletes it.
    mns(
        &mock,
        "/config",
        Some(serde_json::json!({"delete_hold_s": 0})),
    );
    let out = pull(&mock, &["--max", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["message_id"], ids[0].as_str());
    assert_eq!(got[0]["dequeue_count"], 2);
    assert_eq!(got[0]["event"], line["event"]);
    assert_eq!(mns(&mock, "", None)["deleted"], 1);
}

#[test]
fn pull_refuses_plain_http_to_a_remote_host_naming_its_flag() {
    // Core's ConsumerOptions::check_credentials_transport decides, for both hosts that receive
    // credentials; the CLI only names its flag. `.invalid` never resolves (RFC 6761).
    for (endpoint, token) in [
        ("http://mns.example.invalid", "http://127.0.0.1:9"),
        ("http://127.0.0.1:9", "http://dybaseapi.example.invalid"),
    ] {
        let out = camskit(
            ACCOUNT,
            &pull_command(endpoint, &["--token-endpoint", token]),
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("clear text") && err.contains(".invalid"),
            "{err}"
        );
        assert!(err.contains("--allow-insecure-http"), "{err}");
        assert!(!err.contains("allow_insecure_http"), "{err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
}

#[test]
fn pull_refuses_the_demo_key_off_loopback_and_bad_options() {
    let home = TempDir::new();
    // No credentials anywhere: no variables of the chain, an empty home.
    let run = |args: &[&str]| {
        let mut cmd = camskit_command(None, args);
        cmd.env("HOME", &home.0);
        for name in camskit::provider::CHAIN_ENV {
            cmd.env_remove(name);
        }
        cmd.output().unwrap()
    };
    let base = pull_command("http://127.0.0.1:9", &[]);
    // No credentials, and the token would go to dybaseapi.aliyuncs.com: refused before sending.
    let out = run(&base);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs credentials"),
        "{}",
        stderr(&out)
    );
    for extra in [
        &["--wait", "31"][..],
        &["--max", "0"],
        &["--batch", "17"],
        &["--queue", "1bad"],
    ] {
        let mut args = base.to_vec();
        args.extend(["--token-endpoint", "http://127.0.0.1:9"]);
        if extra[0] == "--queue" {
            args[5] = extra[1];
        } else {
            args.extend(extra);
        }
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
    }
}

#[test]
fn pull_max_hands_back_what_it_received_beyond_the_limit() {
    // --max 20 in batches of 16: the second batch brings 14 more than wanted; core releases
    // them (ChangeMessageVisibility 1 s, the shortest MNS takes), not printed, not deleted.
    let mock = queue_mock(serde_json::json!({}));
    enqueue_vectors(&mock, 30);
    let out = pull(&mock, &["--max", "20"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 20);
    let view = mns(&mock, "", None);
    assert_eq!(view["deleted"], 20);
    assert_eq!(view["requests"]["ChangeMessageVisibility"], 10);
    std::thread::sleep(std::time::Duration::from_millis(1_200));
    let view = mns(&mock, "", None);
    assert_eq!(view["queues"][QUEUE]["visible"], 10, "{view}");
    // The next pull takes the other 10.
    let out = pull(&mock, &["--max", "10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 10);
    assert_eq!(mns(&mock, "", None)["deleted"], 30);
}

#[test]
fn pull_uses_a_token_that_lives_less_than_the_renewal_margin() {
    // 100 s is inside the 2-minute renewal margin: core renews such a token at half its life
    // instead, so it is used (it was asked for again at once, forever).
    let mock = queue_mock(serde_json::json!({"token_lifetime_s": 100}));
    enqueue_vectors(&mock, 1);
    let out = pull(&mock, &["--max", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out).len(), 1);
    let view = mns(&mock, "", None);
    assert_eq!(view["token_calls"], 1);
    assert_eq!(view["deleted"], 1);
}

#[test]
fn pull_many_messages_over_http_through_scripted_faults() {
    // Every 7th queue request fails in turn: a 500 with nothing done, a hang-up before
    // anything is done, or the operation done and the answer lost (messages received but
    // never seen: back after the 2 s visibility; deletes done but unconfirmed: sent again,
    // refused as stale). Pulls run until the queue is empty. At least once: every message
    // printed, every deleted message printed before (a process prints, flushes, then deletes),
    // a message printed twice by one process is flagged a duplicate, and nothing is lost.
    // CI runs 400 messages; the documented long run sets CAMSKIT_FAULT_RUN_MESSAGES=10000.
    let n: u64 = std::env::var("CAMSKIT_FAULT_RUN_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let mock = queue_mock(serde_json::json!({"visibility_timeout_s": 2, "fault_every": 7}));
    let ids = enqueue_vectors(&mock, n);
    let mut printed: std::collections::HashMap<String, u64> = Default::default();
    let mut redelivered_flagged = 0u64;
    for round in 0..20 {
        let left = n - mns(&mock, "", None)["deleted"].as_u64().unwrap();
        if left == 0 {
            break;
        }
        // --max: a pull ends after that many deliveries (redeliveries count), never waiting
        // on an empty queue forever.
        let out = pull(&mock, &["--max", &left.to_string()]);
        eprintln!(
            "round {round}: {}",
            stderr(&out).lines().last().unwrap_or("")
        );
        assert!(
            matches!(out.status.code(), Some(0)),
            "round {round}: {}",
            stderr(&out)
        );
        let mut seen_here: std::collections::HashSet<String> = Default::default();
        for line in lines(&out) {
            let id = line["message_id"].as_str().unwrap().to_owned();
            if !seen_here.insert(id.clone()) {
                // Printed before by this process: only a lost delete brings it back, and core's
                // dedup window says so.
                assert_eq!(line["duplicate"], true, "{line}");
                redelivered_flagged += 1;
            }
            *printed.entry(id).or_default() += 1;
        }
    }
    let view = mns(&mock, "", None);
    assert_eq!(view["deleted"], n, "{}", view["queues"][QUEUE]["deleted"]);
    for id in &ids {
        assert!(
            printed.contains_key(id),
            "{id} was deleted or lost without being printed"
        );
    }
    let faults = &view["faults"];
    for kind in ["error_500", "drop_before", "drop_after"] {
        assert!(faults[kind].as_u64().unwrap() >= 1, "{kind}: {faults}");
    }
    let extra: u64 = printed.values().map(|c| c - 1).sum();
    eprintln!(
        "{n} messages: {} printed lines ({extra} redeliveries, {redelivered_flagged} flagged duplicate in-process), faults {faults}",
        n + extra
    );
}

#[test]
fn pull_defaults_to_the_cloud_communications_mns_endpoint() {
    // No network in tests: the default is read from --help, where clap shows what it applies.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_camskit"))
        .args(["receipts", "pull", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{help}");
    assert!(
        help.contains(&format!("[default: {}]", camskit::mns::ALICOM_MNS_ENDPOINT)),
        "{help}"
    );
}

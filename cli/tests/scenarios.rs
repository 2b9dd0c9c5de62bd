//! tests/vectors/call-scenarios.json through `camskit call` against mock-cams: the same
//! scripted faults every host's calling helper runs, and how many requests took effect.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

fn run_call(mock: &Mock, extra: &[String], params: &Value) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_camskit"));
    cmd.arg("call")
        .arg(format!("--endpoint={}", mock.url()))
        .arg("--params-json=-")
        .args(extra);
    for var in camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
    {
        cmd.env_remove(var);
    }
    cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(&serde_json::to_vec(params).unwrap());
    child.wait_with_output().unwrap()
}

fn doc() -> Value {
    let path = root().join("tests/vectors/call-scenarios.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn call_scenarios() {
    let mock = Mock::start();
    let doc = doc();
    let scenarios = doc["scenarios"].as_array().unwrap();
    for s in scenarios {
        let name = s["name"].as_str().unwrap();
        http_json("POST", &format!("{}/__mock/reset", mock.url()), "");
        http_json(
            "POST",
            &format!("{}/__mock/script", mock.url()),
            &s["script"].to_string(),
        );
        let action = s["action"].as_str().unwrap().to_owned();
        let mut extra = Vec::new();
        if let Some(n) = s.pointer("/policy/max_attempts") {
            extra.push(format!("--max-attempts={n}"));
        }
        extra.push(action.clone());
        let out = run_call(&mock, &extra, &s["params"]);
        let err = stderr(&out);
        let outcome = s["outcome"].as_str().unwrap();
        match outcome {
            "ok" => assert_eq!(out.status.code(), Some(0), "{name}: {err}"),
            "outcome_unknown" => {
                assert_eq!(out.status.code(), Some(3), "{name}: {err}");
                assert!(err.contains("outcome unknown"), "{name}: {err}");
            }
            "parse" | "transport" => assert_eq!(out.status.code(), Some(2), "{name}: {err}"),
            api => {
                let kind = api.strip_prefix("api:").unwrap();
                assert_eq!(out.status.code(), Some(1), "{name}: {err}");
                let json_start = err.find("{\n").unwrap_or_else(|| panic!("{name}: {err}"));
                let e: Value = serde_json::from_str(&err[json_start..]).unwrap();
                assert_eq!(e["kind"], kind, "{name}");
            }
        }
        let effects = http_json("GET", &format!("{}/__mock/effects", mock.url()), "");
        let count = |k: &str| effects[k][&action].as_u64().unwrap_or(0);
        assert_eq!(
            count("attempts"),
            s["attempts"].as_u64().unwrap(),
            "{name}: attempts"
        );
        assert_eq!(
            count("effects"),
            s["effects"].as_u64().unwrap(),
            "{name}: effects"
        );
    }
    println!("call-scenarios: {} passed, 0 failed", scenarios.len());
}

#[test]
fn page_walks() {
    let mock = Mock::start();
    let doc = doc();
    let walks = doc["pages"].as_array().unwrap();
    for w in walks {
        let action = w["action"].as_str().unwrap().to_owned();
        let out = run_call(&mock, &["--all-pages".into(), action], &w["params"]);
        assert_eq!(out.status.code(), Some(0), "{w}: {}", stderr(&out));
        let items: Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(
            items.as_array().unwrap().len() as u64,
            w["items"].as_u64().unwrap(),
            "{w}"
        );
        assert!(
            stderr(&out).contains(&format!("{} page(s)", w["pages"])),
            "{w}: {}",
            stderr(&out)
        );
    }
    println!("page walks: {} passed, 0 failed", walks.len());
}

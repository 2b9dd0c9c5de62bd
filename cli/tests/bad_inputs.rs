//! tests/vectors/bad-inputs.json through the `camskit` command, as a shell user would call it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Expands "@repeat(N,TEXT)" strings anywhere in a value.
fn expand(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(expand_str(s)),
        Value::Array(a) => Value::Array(a.iter().map(expand).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (expand_str(k), expand(v))).collect())
        }
        other => other.clone(),
    }
}

fn expand_str(s: &str) -> String {
    if let Some(inner) = s.strip_prefix("@repeat(").and_then(|r| r.strip_suffix(')')) {
        let (n, text) = inner.split_once(',').unwrap();
        return text.repeat(n.parse().unwrap());
    }
    s.to_owned()
}

/// The longest argument Linux passes (MAX_ARG_STRLEN is 128 KiB): an action longer than that
/// cannot reach any command; the runner cuts it to this length, which is refused as well.
const MAX_ARG: usize = 120 * 1024;

#[test]
fn bad_inputs_through_the_cli() {
    let path = common::root().join("tests/vectors/bad-inputs.json");
    let doc = expand(&serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap());
    let (mut passed, mut cut) = (0, 0);
    for c in doc["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_camskit"));
        for var in camskit::ENV_ACCESS_KEY_ID
            .iter()
            .chain(&camskit::ENV_ACCESS_KEY_SECRET)
            .chain(&camskit::ENV_SECURITY_TOKEN)
        {
            cmd.env_remove(var);
        }
        let stdin: Vec<u8>;
        if c["kind"] == "parse" {
            cmd.args(["parse", &format!("--status={}", c["status"]), "-"]);
            stdin = c["body"].as_str().unwrap().as_bytes().to_vec();
        } else {
            let creds = c.get("credentials").unwrap_or(&doc["credentials"]);
            cmd.env(
                "ALIBABA_CLOUD_ACCESS_KEY_ID",
                creds["access_key_id"].as_str().unwrap(),
            );
            cmd.env(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                creds["access_key_secret"].as_str().unwrap(),
            );
            if let Some(t) = creds.get("security_token") {
                cmd.env("ALIBABA_CLOUD_SECURITY_TOKEN", t.as_str().unwrap());
            }
            let o = &c["options"];
            let mut args: Vec<String> = vec!["sign".into()];
            let flag = |args: &mut Vec<String>, name: &str, key: &str| {
                if let Some(v) = o.get(key).and_then(Value::as_str) {
                    args.push(format!("--{name}={v}"));
                }
            };
            if o["raw"] == true {
                args.push("--raw".into());
            }
            flag(&mut args, "api-version", "api_version");
            flag(&mut args, "method", "method");
            flag(&mut args, "signature", "signature");
            flag(&mut args, "region", "region");
            flag(&mut args, "endpoint", "endpoint");
            flag(&mut args, "nonce", "nonce");
            args.push(format!(
                "--timestamp={}",
                o.get("timestamp")
                    .unwrap_or(&doc["timestamp"])
                    .as_str()
                    .unwrap()
            ));
            if o.get("nonce").is_none() {
                args.push(format!("--nonce={}", doc["nonce"].as_str().unwrap()));
            }
            for (k, v) in o
                .get("form")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                args.push(format!("--form={k}={text}"));
            }
            for (k, v) in o
                .get("headers")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                args.push(format!("--header={k}={}", v.as_str().unwrap()));
            }
            // Parameters as one JSON object on standard input: values keep their JSON types.
            args.push("--params-json=-".into());
            stdin = serde_json::to_vec(&c["params"]).unwrap();
            let mut action = c["action"].as_str().unwrap().to_owned();
            if action.len() > MAX_ARG {
                action.truncate(MAX_ARG);
                cut += 1;
            }
            args.push("--".into());
            args.push(action);
            cmd.args(&args);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // camskit may refuse before it reads its input: a closed pipe is fine.
        let _ = child.stdin.take().unwrap().write_all(&stdin);
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let want_exit = if c["error"] == "api" { 1 } else { 2 };
        assert_eq!(out.status.code(), Some(want_exit), "{name}: {err}");
        assert!(err.contains(c["names"].as_str().unwrap()), "{name}: {err}");
        assert!(!err.contains("Canary"), "{name}: a secret in {err}");
        assert!(
            err.len() < 1024,
            "{name}: the message echoes {} bytes",
            err.len()
        );
        assert!(out.stdout.is_empty(), "{name}: printed a result");
        passed += 1;
    }
    println!(
        "bad-inputs: {passed} passed, 0 failed ({cut} with the action cut to {MAX_ARG} bytes, the longest argument Linux passes)"
    );
}

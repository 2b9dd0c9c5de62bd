//! tests/vectors/host-behaviours.json and tests/vectors/bad-inputs.json, run by the Rust host:
//! the same cases every binding and the CLI run.

mod common;

use camskit::{
    Credentials, Endpoint, EnvValue, Error, Method, RequestSpec, SignatureVersion, Signer,
    Timestamp,
};
use serde_json::{Map, Value};

fn doc(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

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

fn opt<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn pairs(v: Option<&Value>) -> Vec<(String, Value)> {
    v.and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

#[test]
fn endpoints() {
    let cases = doc("host-behaviours.json")["endpoints"]
        .as_array()
        .unwrap()
        .clone();
    for c in &cases {
        let got = Endpoint::resolve(opt(c, "region"), opt(c, "endpoint"));
        match opt(c, "error") {
            Some(word) => {
                let err = got.expect_err(&c.to_string()).to_string();
                assert!(err.contains(word), "{c}: {err}");
            }
            None => {
                let e = got.unwrap_or_else(|err| panic!("{c}: {err}"));
                assert_eq!(e.base_url(), opt(c, "base_url").unwrap(), "{c}");
                assert_eq!(e.region_id(), opt(c, "region_id"), "{c}");
                assert_eq!(
                    e.warning().is_some(),
                    c["warning"].as_bool().unwrap(),
                    "{c}"
                );
                if let Some(l) = c.get("loopback") {
                    assert_eq!(e.is_loopback(), l.as_bool().unwrap(), "{c}");
                }
            }
        }
    }
    println!("host-behaviours endpoints: {} cases", cases.len());
}

#[test]
fn raw_values() {
    let signer = Signer::new(
        Credentials::new("id", "secret").unwrap(),
        Endpoint::default(),
    );
    let t = Timestamp::parse("2025-07-14T08:00:00Z").unwrap();
    let cases = doc("host-behaviours.json")["raw_values"]
        .as_array()
        .unwrap()
        .clone();
    for c in &cases {
        let spec = RequestSpec {
            action: "DescribeRegions".into(),
            raw: true,
            params: pairs(c.get("params")),
            form: pairs(c.get("form")),
            ..RequestSpec::default()
        };
        let signed = signer.sign_spec(&spec, t, "n").unwrap();
        let common = [
            "AccessKeyId",
            "Action",
            "Format",
            "SignatureMethod",
            "SignatureNonce",
            "SignatureVersion",
            "Timestamp",
            "Version",
            "Signature",
        ];
        let mut got: Vec<(String, String)> = common::url_params(&signed.url)
            .into_iter()
            .filter(|(n, _)| !common.contains(&n.as_str()))
            .collect();
        let mut want = common::pairs(&c["query"]);
        got.sort();
        want.sort();
        assert_eq!(got, want, "{c}");
        assert_eq!(signed.body.as_deref(), opt(c, "body"), "{c}");
    }
    println!("host-behaviours raw values: {} cases", cases.len());
}

#[test]
fn timestamps() {
    let cases = doc("host-behaviours.json")["timestamps"]
        .as_array()
        .unwrap()
        .clone();
    for c in &cases {
        let got = match &c["input"] {
            Value::String(s) => Timestamp::parse(s),
            Value::Number(n) => Timestamp::from_unix_f64(n.as_f64().unwrap()),
            other => panic!("{other}"),
        };
        match opt(c, "error") {
            Some(word) => {
                let err = got.expect_err(&c.to_string()).to_string();
                assert!(err.contains(word), "{c}: {err}");
            }
            None => assert_eq!(got.unwrap().as_str(), opt(c, "ok").unwrap(), "{c}"),
        }
    }
    println!("host-behaviours timestamps: {} cases", cases.len());
}

#[test]
fn environment() {
    let cases = doc("host-behaviours.json")["environment"]
        .as_array()
        .unwrap()
        .clone();
    for c in &cases {
        let env: Map<String, Value> = c["env"].as_object().unwrap().clone();
        let got = Credentials::from_env(|name| {
            env.get(name)
                .map(|v| EnvValue::Text(v.as_str().unwrap().to_owned()))
        });
        if let Some(word) = opt(c, "error") {
            let err = got.expect_err(&c.to_string()).to_string();
            assert!(err.contains(word), "{c}: {err}");
            assert!(!err.contains("Canary"), "a secret in {err}");
        } else if c.get("none").is_some() {
            assert!(got.unwrap().is_none(), "{c}");
        } else {
            let found = got.unwrap().unwrap();
            assert_eq!(
                found.credentials.access_key_id(),
                opt(c, "access_key_id").unwrap()
            );
            assert_eq!(
                found.credentials.security_token().is_some(),
                c["security_token"] == true,
                "{c}"
            );
            assert!(!format!("{:?}", found.credentials).contains("Canary"));
        }
    }
    println!("host-behaviours environment: {} cases", cases.len());
}

/// Runs one bad-input case; `Err` is the error the host reports.
fn run_bad(defaults: &Value, c: &Value) -> Result<(), Error> {
    if c["kind"] == "parse" {
        let body = c["body"].as_str().unwrap();
        let status = c["status"].as_u64().unwrap() as u16;
        return camskit::parse_response(status, body.as_bytes()).map(|_| ());
    }
    let o = &c["options"];
    let creds = c.get("credentials").unwrap_or(&defaults["credentials"]);
    let mut credentials = Credentials::new(
        opt(creds, "access_key_id").unwrap(),
        opt(creds, "access_key_secret").unwrap(),
    )?;
    if let Some(t) = opt(creds, "security_token") {
        credentials = credentials.with_security_token(t)?;
    }
    let endpoint = Endpoint::resolve(opt(o, "region"), opt(o, "endpoint"))?;
    let spec = RequestSpec {
        action: c["action"].as_str().unwrap().to_owned(),
        params: pairs(c.get("params")),
        form: pairs(o.get("form")),
        raw: o.get("raw") == Some(&Value::Bool(true)),
        api_version: opt(o, "api_version").map(str::to_owned),
        method: opt(o, "method").map(Method::parse).transpose()?,
        signature: opt(o, "signature").map_or(Ok(SignatureVersion::V1), SignatureVersion::parse)?,
        headers: o
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let t =
        Timestamp::parse(opt(o, "timestamp").unwrap_or(defaults["timestamp"].as_str().unwrap()))?;
    let nonce = opt(o, "nonce").unwrap_or(defaults["nonce"].as_str().unwrap());
    Signer::new(credentials, endpoint)
        .sign_spec(&spec, t, nonce)
        .map(|_| ())
}

#[test]
fn bad_inputs() {
    let d = expand(&doc("bad-inputs.json"));
    let cases = d["cases"].as_array().unwrap();
    let mut passed = 0;
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let err = run_bad(&d, c).expect_err(name);
        let message = err.to_string();
        assert_eq!(
            err.category().as_str(),
            c["error"].as_str().unwrap(),
            "{name}: {message}"
        );
        assert!(
            message.contains(c["names"].as_str().unwrap()),
            "{name}: {message}"
        );
        assert!(!message.contains("Canary"), "{name}: a secret in {message}");
        assert!(
            message.len() < 1024,
            "{name}: the message echoes {} bytes",
            message.len()
        );
        passed += 1;
    }
    println!("bad-inputs: {passed} passed, 0 failed");
}

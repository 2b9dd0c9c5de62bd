//! The credentials files and the default chain, walked with fake files and answers.

use std::collections::HashMap;

use camskit::EnvValue;
use camskit::provider::{
    ChainOptions, Plan, ProfileSource, Step, parse_cli_config, parse_credentials_ini,
};

const CANARY: &str = "CanarySecretDoNotLeak42";
const NOW: i64 = 1_752_480_000; // 2025-07-14T08:00:00Z
const HOME: &str = "/home/u";

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<EnvValue> + use<> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).map(|v| EnvValue::Text(v.clone()))
}

fn sts_answer(id: &str, exp: &str) -> String {
    format!(
        r#"{{"RequestId":"r","AssumedRoleUser":{{"Arn":"a","AssumedRoleId":"i"}},"Credentials":{{"AccessKeyId":"{id}","AccessKeySecret":"{CANARY}","SecurityToken":"tok","Expiration":"{exp}"}}}}"#
    )
}

fn code_answer(id: &str, exp: &str) -> String {
    format!(
        r#"{{"Code":"Success","AccessKeyId":"{id}","AccessKeySecret":"{CANARY}","SecurityToken":"tok","Expiration":"{exp}"}}"#
    )
}

/// Walks a plan: files from `files` (path → text), answers from `answer` (purpose → result).
fn walk(
    mut plan: Plan,
    files: &[(&str, &str)],
    mut answer: impl FnMut(&camskit::provider::HttpRequest) -> Result<(u16, String), String>,
) -> (
    Result<camskit::provider::ResolvedCredentials, camskit::Error>,
    Vec<String>,
) {
    let mut trace = Vec::new();
    for _ in 0..50 {
        match plan.next() {
            Err(e) => return (Err(e), trace),
            Ok(Step::Ready(r)) => return (Ok(r), trace),
            Ok(Step::ReadFile { path }) => {
                trace.push(format!("read {path}"));
                let text = files.iter().find(|(p, _)| *p == path).map(|(_, t)| *t);
                plan.feed_file(text).unwrap();
            }
            Ok(Step::Fetch(req)) => {
                trace.push(format!(
                    "{} {} {}",
                    req.purpose,
                    req.method,
                    req.url.split('?').next().unwrap()
                ));
                // Core chooses each fetch's timeout: 1 s for the metadata service, 10 s else.
                let timeout = if req.purpose.starts_with("ecs:") {
                    camskit::ECS_TIMEOUT_MS
                } else {
                    camskit::CAMS_TIMEOUT_MS
                };
                assert_eq!(req.timeout_ms, timeout, "{req:?}");
                match answer(&req) {
                    Ok((status, body)) => plan.feed_response(status, &body).unwrap(),
                    Err(m) => plan
                        .feed_transport_error(camskit::TransportFailure::RefusedBeforeSend, &m)
                        .unwrap(),
                }
            }
        }
    }
    panic!("the plan does not end: {trace:?}")
}

fn no_fetch(r: &camskit::provider::HttpRequest) -> Result<(u16, String), String> {
    panic!("unexpected fetch {r:?}")
}

fn cfg(profiles: &str) -> String {
    format!(r#"{{"current":"default","profiles":[{profiles}]}}"#)
}

const AK: &str = r#""access_key_id":"LTAI5tFileKey","access_key_secret":"CanarySecretDoNotLeak42""#;

#[test]
fn every_cli_mode_parses() {
    let f = "/h/.aliyun/config.json";
    let one = |p: &str| parse_cli_config(f, &cfg(p), None).map(|(_, s)| s);
    assert!(
        matches!(one(&format!(r#"{{"name":"default","mode":"AK",{AK}}}"#)).unwrap(), ProfileSource::Static(c) if c.security_token().is_none())
    );
    assert!(
        matches!(one(&format!(r#"{{"name":"default","mode":"StsToken","sts_token":"t",{AK}}}"#)).unwrap(), ProfileSource::Static(c) if c.security_token() == Some("t"))
    );
    let ProfileSource::RamRoleArn { role, .. } = one(&format!(
        r#"{{"name":"default","mode":"RamRoleArn","ram_role_arn":"acs:ram::1:role/r","ram_session_name":"s","expired_seconds":1800,"sts_region":"cn-hangzhou","enable_vpc":true,"policy":"{{}}","external_id":"e",{AK}}}"#
    )).unwrap() else { panic!() };
    assert_eq!(
        (
            role.duration_seconds,
            role.sts_region.as_deref(),
            role.enable_vpc
        ),
        (1800, Some("cn-hangzhou"), Some(true))
    );
    assert_eq!(
        one(r#"{"name":"default","mode":"EcsRamRole","ram_role_name":"app"}"#).unwrap(),
        ProfileSource::EcsRamRole {
            role_name: Some("app".into())
        }
    );
    assert!(
        matches!(one(r#"{"name":"default","mode":"OIDC","ram_role_arn":"acs:ram::1:role/r","oidc_provider_arn":"p","oidc_token_file":"/t"}"#).unwrap(), ProfileSource::Oidc(o) if o.oidc_token_file == "/t")
    );
    assert_eq!(
        one(
            r#"{"name":"default","mode":"CredentialsURI","credentials_uri":"http://127.0.0.1:9/c"}"#
        )
        .unwrap(),
        ProfileSource::CredentialsUri {
            uri: "http://127.0.0.1:9/c".into()
        }
    );
    let chained = one(&format!(
        r#"{{"name":"default","mode":"ChainableRamRoleArn","source_profile":"mid","ram_role_arn":"acs:ram::1:role/top"}},
           {{"name":"mid","mode":"ChainableRamRoleArn","source_profile":"base","ram_role_arn":"acs:ram::1:role/mid"}},
           {{"name":"base","mode":"AK",{AK}}}"#
    )).unwrap();
    let ProfileSource::RamRoleArn { source, role } = chained else {
        panic!()
    };
    assert_eq!(role.role_arn, "acs:ram::1:role/top");
    assert!(
        matches!(*source, ProfileSource::RamRoleArn { ref role, .. } if role.role_arn == "acs:ram::1:role/mid")
    );
    // ALIBABA_CLOUD_PROFILE picks another profile than `current`.
    let (name, _) = parse_cli_config(
        f,
        &cfg(&format!(r#"{{"name":"x","mode":"AK",{AK}}}"#)),
        Some("x"),
    )
    .unwrap();
    assert_eq!(name, "x");
}

#[test]
fn every_ini_type_parses() {
    let f = "/h/.alibabacloud/credentials.ini";
    let k = "access_key_id = LTAI5tFileKey\naccess_key_secret = CanarySecretDoNotLeak42\n";
    let one = |body: &str| parse_credentials_ini(f, &format!("[default]\n{body}"), "default");
    assert!(matches!(
        one(&format!("type = access_key\n{k}")).unwrap(),
        ProfileSource::Static(_)
    ));
    assert!(
        matches!(one(&format!("type = sts\nsecurity_token = t\n{k}")).unwrap(), ProfileSource::Static(c) if c.security_token() == Some("t"))
    );
    let ProfileSource::RamRoleArn { role, .. } = one(&format!("type = ram_role_arn\nrole_arn = acs:ram::1:role/r\nrole_session_name = s\npolicy = {{}}\nduration_seconds = 1200\nsts_region = ap-southeast-1\n{k}")).unwrap() else { panic!() };
    assert_eq!(
        (
            role.duration_seconds,
            role.sts_region.as_deref(),
            role.policy.as_deref()
        ),
        (1200, Some("ap-southeast-1"), Some("{}"))
    );
    assert_eq!(
        one("type = ecs_ram_role\nrole_name = app\n").unwrap(),
        ProfileSource::EcsRamRole {
            role_name: Some("app".into())
        }
    );
    assert!(matches!(
        one(
            "type = oidc_role_arn\nrole_arn = r\noidc_provider_arn = p\noidc_token_file_path = /t\n"
        )
        .unwrap(),
        ProfileSource::Oidc(_)
    ));
    assert!(matches!(
        one("type = credentials_uri\ncredentials_uri = http://x/c\n").unwrap(),
        ProfileSource::CredentialsUri { .. }
    ));
    assert!(matches!(
        parse_credentials_ini(f, &format!("[prod]\ntype = access_key\n{k}"), "prod").unwrap(),
        ProfileSource::Static(_)
    ));
}

#[test]
fn bad_files_name_file_profile_and_field_never_the_secret() {
    const F: &str = "/h/.aliyun/config.json";
    const I: &str = "/h/.alibabacloud/credentials.ini";
    let f = F;
    let cli = |text: &str, profile: Option<&str>| {
        parse_cli_config(f, text, profile).unwrap_err().to_string()
    };
    let cases: Vec<(String, &[&str])> = vec![
        (cli("{nope", None), &[F, "not JSON"]),
        (cli("[1]", None), &[F, "not a JSON object"]),
        (
            cli(
                &cfg(&format!(r#"{{"name":"default","mode":"Magic",{AK}}}"#)),
                None,
            ),
            &[F, "profile \"default\"", "unknown mode \"Magic\""],
        ),
        (
            cli(
                &cfg(&format!(r#"{{"name":"default","mode":"CloudSSO",{AK}}}"#)),
                None,
            ),
            &[F, "\"CloudSSO\" is not supported"],
        ),
        (
            cli(
                &cfg(r#"{"name":"default","mode":"AK","access_key_id":"LTAI5tFileKey"}"#),
                None,
            ),
            &[F, "profile \"default\"", "\"access_key_secret\""],
        ),
        (
            cli(
                &cfg(&format!(r#"{{"name":"default","mode":"RamRoleArn",{AK}}}"#)),
                None,
            ),
            &[F, "\"ram_role_arn\"", "RamRoleArn"],
        ),
        (
            cli(
                &cfg(&format!(r#"{{"name":"default","mode":"StsToken",{AK}}}"#)),
                None,
            ),
            &[F, "\"sts_token\""],
        ),
        (
            cli(
                &cfg(&format!(
                    r#"{{"name":"default","mode":"RamRoleArn","ram_role_arn":"r","expired_seconds":60,{AK}}}"#
                )),
                None,
            ),
            &[F, "\"expired_seconds\"", "900"],
        ),
        (
            cli(
                &cfg(&format!(r#"{{"name":"x","mode":"AK",{AK}}}"#)),
                Some("prod"),
            ),
            &[F, "profile \"prod\"", "no such profile"],
        ),
        (cli(r#"{"profiles":[]}"#, None), &[F, "\"current\""]),
        (
            cli(
                &cfg(
                    r#"{"name":"default","mode":"ChainableRamRoleArn","source_profile":"b","ram_role_arn":"r"},{"name":"b","mode":"ChainableRamRoleArn","source_profile":"default","ram_role_arn":"r"}"#,
                ),
                None,
            ),
            &[F, "loop", "default -> b -> default"],
        ),
        (
            cli(
                &cfg(&format!(
                    r#"{{"name":"default","mode":"AK","access_key_id":"a b","access_key_secret":"{CANARY}"}}"#
                )),
                None,
            ),
            &[F, "whitespace"],
        ),
    ];
    let i = I;
    let ini = |text: &str, section: &str| {
        parse_credentials_ini(i, text, section)
            .unwrap_err()
            .to_string()
    };
    let k = format!("access_key_id = LTAI5tFileKey\naccess_key_secret = {CANARY}\n");
    let ini_cases: Vec<(String, &[&str])> = vec![
        (
            ini(&format!("type = access_key\n{k}"), "default"),
            &[I, "before any [section]"],
        ),
        (ini("", "default"), &[I, "no [section]"]),
        (
            ini(&format!("[prod]\ntype = access_key\n{k}"), "default"),
            &[I, "profile \"default\"", "no such [section]"],
        ),
        (
            ini(&format!("[default]\ntype = magic\n{k}"), "default"),
            &[I, "profile \"default\"", "unknown type \"magic\""],
        ),
        (ini(&format!("[default]\n{k}"), "default"), &[I, "\"type\""]),
        (
            ini(
                "[default]\ntype = access_key\naccess_key_id = x\n",
                "default",
            ),
            &[I, "\"access_key_secret\""],
        ),
        (
            ini(&format!("[default]\ntype = ram_role_arn\n{k}"), "default"),
            &[I, "\"role_arn\""],
        ),
        (
            ini(
                &format!("[default]\ntype = access_key\n{CANARY}\n"),
                "default",
            ),
            &[I, "line 3"],
        ),
        (
            ini(
                &format!("[default]\ntype = access_key\n{k}access_key_secret = {CANARY}\n"),
                "default",
            ),
            &[I, "appears twice"],
        ),
    ];
    for (msg, needles) in cases.iter().chain(ini_cases.iter()) {
        for n in needles.iter() {
            assert!(msg.contains(n), "{msg:?} lacks {n:?}");
        }
        assert!(!msg.contains(CANARY), "{msg}");
    }
    // Debug output of every parsed source hides the secret too.
    let src = parse_cli_config(
        f,
        &cfg(&format!(
            r#"{{"name":"default","mode":"StsToken","sts_token":"{CANARY}T",{AK}}}"#
        )),
        None,
    )
    .unwrap();
    let shown = format!("{src:?} {src:#?}");
    assert!(
        shown.contains("LTAI5tFileKey") && !shown.contains(CANARY),
        "{shown}"
    );
}

#[test]
fn environment_first_then_config_then_ini() {
    // The environment wins without reading anything.
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5tEnv"),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", CANARY),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let (r, trace) = walk(plan, &[], no_fetch);
    assert_eq!((r.unwrap().source, trace.len()), ("env".to_owned(), 0));

    // config.json's current profile.
    let config = cfg(&format!(r#"{{"name":"default","mode":"AK",{AK}}}"#));
    let plan = Plan::new(
        env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let (r, trace) = walk(plan, &[("/home/u/.aliyun/config.json", &config)], no_fetch);
    let r = r.unwrap();
    assert_eq!(r.source, "cli_profile:default/static");
    assert_eq!(trace, ["read /home/u/.aliyun/config.json"]);
    assert!(!r.needs_refresh(i64::MAX) && r.refresh(NOW, "n").is_none());

    // ALIBABA_CLOUD_CONFIG_FILE, ALIBABA_CLOUD_PROFILE; a broken config.json falls through to
    // the ini file (as the official chain does), found at its second default name.
    let ini = "[dev]\ntype = access_key\naccess_key_id = LTAI5tIni\naccess_key_secret = s\n";
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_CONFIG_FILE", "/etc/c.json"),
            ("ALIBABA_CLOUD_PROFILE", "dev"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let (r, trace) = walk(
        plan,
        &[
            ("/etc/c.json", "{broken"),
            ("/home/u/.alibabacloud/credentials", ini),
        ],
        no_fetch,
    );
    assert_eq!(r.unwrap().source, "profile:dev/static");
    assert_eq!(
        trace,
        [
            "read /etc/c.json",
            "read /home/u/.alibabacloud/credentials.ini",
            "read /home/u/.alibabacloud/credentials"
        ]
    );

    // ALIBABA_CLOUD_CLI_PROFILE_DISABLED skips config.json; ALIBABA_CLOUD_CREDENTIALS_FILE.
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "TRUE"),
            ("ALIBABA_CLOUD_CREDENTIALS_FILE", "/x.ini"),
            ("ALIBABA_CLOUD_PROFILE", "dev"),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let (_, trace) = walk(plan, &[("/x.ini", ini)], no_fetch);
    assert_eq!(trace, ["read /x.ini"]);
}

#[test]
fn environment_credentials_set_but_invalid_are_an_error_never_another_identity() {
    // Each case would otherwise fall through to the config.json profile below.
    for (vars, blamed) in [
        (
            vec![("ALIBABA_CLOUD_ACCESS_KEY_SECRET", CANARY)],
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
        ),
        (
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5t"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ab\u{1}c-CANARY"),
            ],
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        ),
        (
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI\r\n5t"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", CANARY),
            ],
            "ALIBABA_CLOUD_ACCESS_KEY_ID",
        ),
        (
            vec![
                ("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAI5t"),
                ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", CANARY),
                ("ALIBABA_CLOUD_SECURITY_TOKEN", "tok\nCANARY"),
            ],
            "ALIBABA_CLOUD_SECURITY_TOKEN",
        ),
    ] {
        let e = Plan::new(env(&vars), HOME, NOW, "n", ChainOptions::default()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(blamed), "{vars:?}: {msg}");
        assert!(!msg.contains("CANARY") && !msg.contains(CANARY), "{msg}");
    }
}

#[test]
fn nothing_found_lists_every_source_without_secrets() {
    let plan = Plan::new(
        env(&[("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "false")]),
        HOME,
        NOW,
        "n",
        ChainOptions {
            ecs_metadata_endpoint: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let bad = cfg(&format!(r#"{{"name":"default","mode":"Magic",{AK}}}"#));
    let (r, trace) = walk(plan, &[("/home/u/.aliyun/config.json", &bad)], |_| {
        Err("connection refused".into())
    });
    let msg = r.unwrap_err().to_string();
    for n in [
        "env: ",
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "cli_profile: /home/u/.aliyun/config.json: profile \"default\": unknown mode \"Magic\"",
        "profile: /home/u/.alibabacloud/credentials.ini nor",
        "ecs_ram_role: ",
        "connection refused",
    ] {
        assert!(msg.contains(n), "{msg} lacks {n}");
    }
    assert!(!msg.contains(CANARY), "{msg}");
    // IMDSv2 token refused → IMDSv1 tried (role discovery without a token), then given up.
    assert_eq!(
        trace.iter().filter(|t| t.starts_with("ecs:")).count(),
        2,
        "{trace:?}"
    );
}

#[test]
fn ram_role_arn_signs_assume_role_and_refreshes() {
    let config = cfg(&format!(
        r#"{{"name":"default","mode":"RamRoleArn","ram_role_arn":"acs:ram::1:role/r","ram_session_name":"s",{AK}}}"#
    ));
    let opts = ChainOptions {
        sts_endpoint: Some("http://127.0.0.1:8123".into()),
        ..Default::default()
    };
    let plan = Plan::new(
        env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]),
        HOME,
        NOW,
        "nonce-1",
        opts,
    )
    .unwrap();
    let mut seen = None;
    let (r, _) = walk(plan, &[("/home/u/.aliyun/config.json", &config)], |req| {
        seen = Some(req.clone());
        Ok((200, sts_answer("STS.Temp", "2025-07-14T09:00:00Z")))
    });
    let req = seen.unwrap();
    assert!(req.url.starts_with("http://127.0.0.1:8123/?AccessKeyId=LTAI5tFileKey&Action=AssumeRole&DurationSeconds=3600&"), "{}", req.url);
    assert!(
        req.url.contains("&SignatureNonce=nonce-1&")
            && req.url.contains("&Version=2015-04-01&Signature=")
    );
    assert!(
        !format!("{req:?}").contains("Signature=")
            || format!("{req:?}").contains("Signature=<redacted>")
    );
    let r = r.unwrap();
    assert_eq!(r.credentials.access_key_id(), "STS.Temp");
    assert_eq!(r.credentials.security_token(), Some("tok"));
    assert_eq!(r.expiration, Some(NOW + 3600));
    assert_eq!(r.source, "cli_profile:default/ram_role_arn");
    assert!(!format!("{r:?}").contains(CANARY));
    // The official rule: stale 15 minutes before Expiration.
    assert!(!r.needs_refresh(NOW + 3600 - 901));
    assert!(r.needs_refresh(NOW + 3600 - 900));
    // The refresh plan asks STS again, with the new time and nonce.
    let again = r.refresh(NOW + 2800, "nonce-2").unwrap();
    let mut url = String::new();
    let (r2, _) = walk(again, &[], |req| {
        url = req.url.clone();
        Ok((200, sts_answer("STS.Temp2", "2025-07-14T10:00:00Z")))
    });
    assert!(
        url.contains("SignatureNonce=nonce-2")
            && url.contains("Timestamp=2025-07-14T08%3A46%3A40Z"),
        "{url}"
    );
    assert_eq!(r2.unwrap().credentials.access_key_id(), "STS.Temp2");
}

#[test]
fn sts_errors_and_expired_answers_fail_the_source() {
    let config = cfg(&format!(
        r#"{{"name":"default","mode":"RamRoleArn","ram_role_arn":"acs:ram::1:role/r",{AK}}}"#
    ));
    for (status, body, needle) in [
        (
            403u16,
            r#"{"Code":"NoPermission","Message":"You are not authorized"}"#.to_owned(),
            "HTTP 403 NoPermission",
        ),
        (200, "<html>".to_owned(), "not JSON"),
        (
            200,
            r#"{"Credentials":{"AccessKeyId":"a"}}"#.to_owned(),
            "no AccessKeySecret",
        ),
        (
            200,
            sts_answer("STS.Old", "2025-07-14T07:00:00Z"),
            "expired at 2025-07-14T07:00:00Z",
        ),
        (
            200,
            sts_answer("STS.Bad", "tomorrow"),
            "Expiration \"tomorrow\"",
        ),
    ] {
        let plan = Plan::new(
            env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]),
            HOME,
            NOW,
            "n",
            ChainOptions::default(),
        )
        .unwrap();
        let (r, _) = walk(plan, &[("/home/u/.aliyun/config.json", &config)], |_| {
            Ok((status, body.clone()))
        });
        let msg = r.unwrap_err().to_string();
        assert!(
            msg.contains("cli_profile:default/ram_role_arn: STS AssumeRole")
                && msg.contains(needle),
            "{msg}"
        );
        assert!(!msg.contains(CANARY), "{msg}");
    }
}

#[test]
fn chained_roles_assume_in_order_with_each_new_key() {
    let config = cfg(&format!(
        r#"{{"name":"default","mode":"ChainableRamRoleArn","source_profile":"base","ram_role_arn":"acs:ram::1:role/top","sts_region":"ap-southeast-1"}},
           {{"name":"base","mode":"RamRoleArn","ram_role_arn":"acs:ram::1:role/first",{AK}}}"#
    ));
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "sess"),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let mut urls = Vec::new();
    let (r, _) = walk(plan, &[("/home/u/.aliyun/config.json", &config)], |req| {
        urls.push(req.url.clone());
        let id = if urls.len() == 1 {
            "STS.First"
        } else {
            "STS.Top"
        };
        Ok((200, sts_answer(id, "2025-07-14T09:00:00Z")))
    });
    assert_eq!(r.unwrap().credentials.access_key_id(), "STS.Top");
    assert_eq!(urls.len(), 2);
    assert!(
        urls[0].starts_with("https://sts.aliyuncs.com/?AccessKeyId=LTAI5tFileKey&")
            && urls[0].contains("role%2Ffirst"),
        "{}",
        urls[0]
    );
    assert!(
        urls[1].starts_with("https://sts.ap-southeast-1.aliyuncs.com/?AccessKeyId=STS.First&"),
        "{}",
        urls[1]
    );
    assert!(
        urls[1].contains("&SecurityToken=tok&")
            && urls[1].contains("role%2Ftop")
            && urls[1].contains("SignatureNonce=n-2"),
        "{}",
        urls[1]
    );
    assert!(urls.iter().all(|u| u.contains("RoleSessionName=sess")));
}

#[test]
fn sts_endpoint_follows_region_and_vpc_variables() {
    let config = cfg(&format!(
        r#"{{"name":"default","mode":"RamRoleArn","ram_role_arn":"acs:ram::1:role/r",{AK}}}"#
    ));
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            ("ALIBABA_CLOUD_STS_REGION", "cn-shanghai"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "true"),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let mut url = String::new();
    let _ = walk(plan, &[("/home/u/.aliyun/config.json", &config)], |req| {
        url = req.url.clone();
        Err("offline".into())
    });
    assert!(
        url.starts_with("https://sts-vpc.cn-shanghai.aliyuncs.com/?"),
        "{url}"
    );
}

#[test]
fn oidc_from_the_environment_comes_second() {
    let vars = [
        ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/rrsa"),
        (
            "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
            "acs:ram::1:oidc-provider/p",
        ),
        ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/token"),
    ];
    let plan = Plan::new(
        env(&vars),
        HOME,
        NOW,
        "n",
        ChainOptions {
            sts_endpoint: Some("http://127.0.0.1:7".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let mut seen = None;
    let (r, trace) = walk(plan, &[("/var/run/token", "a.b.c\n")], |req| {
        seen = Some(req.clone());
        Ok((200, sts_answer("STS.Oidc", "2025-07-14T09:00:00Z")))
    });
    let r = r.unwrap();
    assert_eq!(
        (r.source.as_str(), r.credentials.access_key_id()),
        ("oidc_role_arn", "STS.Oidc")
    );
    assert_eq!(trace[0], "read /var/run/token");
    let req = seen.unwrap();
    assert_eq!(req.purpose, "sts:AssumeRoleWithOIDC");
    assert!(
        req.query_pairs()
            .contains(&("OIDCToken".into(), "a.b.c".into()))
    );
    assert!(
        req.query_pairs()
            .contains(&("RoleSessionName".into(), format!("camskit-{NOW}")))
    );
    assert!(!req.url.contains("Signature="));
    // A missing token file fails the source and the chain goes on.
    let plan = Plan::new(env(&vars), HOME, NOW, "n", ChainOptions::default()).unwrap();
    let cfgtext = cfg(&format!(r#"{{"name":"default","mode":"AK",{AK}}}"#));
    let (r, _) = walk(plan, &[("/home/u/.aliyun/config.json", &cfgtext)], no_fetch);
    assert_eq!(r.unwrap().source, "cli_profile:default/static");
}

#[test]
fn ecs_ram_role_uses_imdsv2_discovers_the_role_and_prefetches() {
    let opts = ChainOptions {
        ecs_metadata_endpoint: Some("http://127.0.0.1:5/".into()),
        ..Default::default()
    };
    let plan = Plan::new(env(&[]), HOME, NOW, "n", opts.clone()).unwrap();
    let mut reqs = Vec::new();
    let (r, _) = walk(plan, &[], |req| {
        reqs.push(req.clone());
        Ok(match req.purpose.as_str() {
            "ecs:token" => (200, "tkn".into()),
            "ecs:role-name" => (200, "app-role\n".into()),
            _ => (200, code_answer("STS.Ecs", "2025-07-14T14:00:00Z")),
        })
    });
    let r = r.unwrap();
    assert_eq!(
        (r.source.as_str(), r.credentials.access_key_id()),
        ("ecs_ram_role", "STS.Ecs")
    );
    assert_eq!(reqs[0].method, "PUT");
    assert_eq!(reqs[0].url, "http://127.0.0.1:5/latest/api/token");
    assert_eq!(
        reqs[0].header("X-aliyun-ecs-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(
        reqs[1].url,
        "http://127.0.0.1:5/latest/meta-data/ram/security-credentials/"
    );
    assert_eq!(
        reqs[2].url,
        "http://127.0.0.1:5/latest/meta-data/ram/security-credentials/app-role"
    );
    assert!(
        reqs[1..]
            .iter()
            .all(|q| q.header("X-aliyun-ecs-metadata-token") == Some("tkn"))
    );
    assert!(!format!("{:?}", reqs[2]).contains("tkn"));
    assert!(!r.should_prefetch(NOW + 3599) && r.should_prefetch(NOW + 3600));
    assert!(!r.needs_refresh(NOW + 3600) && r.needs_refresh(NOW + 6 * 3600 - 900));

    // A named role (ALIBABA_CLOUD_ECS_METADATA), a token that is refused later: IMDSv1 retry.
    let plan = Plan::new(
        env(&[("ALIBABA_CLOUD_ECS_METADATA", "named")]),
        HOME,
        NOW,
        "n",
        opts.clone(),
    )
    .unwrap();
    let mut reqs = Vec::new();
    let (r, _) = walk(plan, &[], |req| {
        reqs.push(req.clone());
        Ok(
            match (
                req.purpose.as_str(),
                req.header("X-aliyun-ecs-metadata-token"),
            ) {
                ("ecs:token", _) => (200, "tkn".into()),
                (_, Some(_)) => (401, String::new()),
                _ => (200, code_answer("STS.V1", "2025-07-14T14:00:00Z")),
            },
        )
    });
    assert_eq!(r.unwrap().credentials.access_key_id(), "STS.V1");
    assert_eq!(reqs.len(), 3);
    assert!(reqs[2].url.ends_with("/named") && reqs[2].headers.is_empty());

    // ALIBABA_CLOUD_IMDSV1_DISABLED: no token, no IMDSv1.
    let plan = Plan::new(
        env(&[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true")]),
        HOME,
        NOW,
        "n",
        opts,
    )
    .unwrap();
    let (r, trace) = walk(plan, &[], |_| Ok((403, String::new())));
    assert!(r.unwrap_err().to_string().contains("IMDSv1 is disabled"));
    assert_eq!(trace.iter().filter(|t| t.starts_with("ecs:")).count(), 1);
}

#[test]
fn credentials_uri_comes_last() {
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            (
                "ALIBABA_CLOUD_CREDENTIALS_URI",
                "http://127.0.0.1:3/creds?x=1",
            ),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let (r, trace) = walk(plan, &[], |req| {
        assert_eq!(
            (req.method.as_str(), req.url.as_str()),
            ("GET", "http://127.0.0.1:3/creds?x=1")
        );
        Ok((200, code_answer("STS.Uri", "2025-07-14T09:00:00Z")))
    });
    assert_eq!(r.unwrap().source, "credentials_uri");
    assert_eq!(
        trace.last().unwrap(),
        "credentials-uri GET http://127.0.0.1:3/creds"
    );
    let plan = Plan::new(
        env(&[
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
            ("ALIBABA_CLOUD_CREDENTIALS_URI", "http://127.0.0.1:3/c"),
        ]),
        HOME,
        NOW,
        "n",
        ChainOptions::default(),
    )
    .unwrap();
    let (r, _) = walk(plan, &[], |_| Ok((200, r#"{"Code":"Failed"}"#.into())));
    assert!(
        r.unwrap_err()
            .to_string()
            .contains("credentials_uri: credentials URI: Code \"Failed\"")
    );
}

#[test]
fn feeding_out_of_turn_is_an_error() {
    let mut plan = Plan::new(env(&[]), HOME, NOW, "n", ChainOptions::default()).unwrap();
    assert!(plan.feed_response(200, "{}").is_err());
    assert!(matches!(plan.next().unwrap(), Step::ReadFile { .. }));
    assert!(
        matches!(plan.next().unwrap(), Step::ReadFile { .. }),
        "next() repeats the step"
    );
    assert!(plan.feed_failure("x").is_err());
    assert!(plan.feed_file(None).is_ok());
    assert!(
        Plan::new(
            |n: &str| (n == "ALIBABA_CLOUD_PROFILE").then_some(EnvValue::NotUnicode),
            HOME,
            NOW,
            "n",
            ChainOptions::default()
        )
        .unwrap_err()
        .to_string()
        .contains("ALIBABA_CLOUD_PROFILE")
    );
}

/// Found by the credentials_files fuzz target: a lone `\r` ends a line (as Python's universal
/// newlines read it), so a secret on the next line is not read as part of an unknown `type`;
/// and an echoed unknown type is cut.
#[test]
fn a_lone_carriage_return_ends_an_ini_line_and_echoed_values_are_cut() {
    let text = "[default]\ntype = bogus\raccess_key_secret = CanarySecretCR\r";
    let err = camskit::provider::parse_credentials_ini(
        "/h/.alibabacloud/credentials.ini",
        text,
        "default",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("unknown type \"bogus\""), "{err}");
    assert!(!err.contains("Canary"), "{err}");
    let long = format!("[default]\ntype = {}\n", "x".repeat(5000));
    let err = camskit::provider::parse_credentials_ini("/h/c.ini", &long, "default")
        .unwrap_err()
        .to_string();
    assert!(err.len() < 600, "{} bytes", err.len());
}

/// An STS endpoint over plain HTTP to a host that is not loopback is refused before the signed
/// AssumeRole is built (it carries the key id, the signature and any token).
#[test]
fn a_plain_http_sts_endpoint_off_the_machine_is_refused() {
    use camskit::provider::{ChainOptions, Plan};
    let config = r#"{"current":"r","profiles":[{"name":"r","mode":"RamRoleArn","access_key_id":"LTAI5tX","access_key_secret":"CanarySecretSts","ram_role_arn":"acs:ram::1:role/r","ram_session_name":"s"}]}"#;
    for (sts, refused) in [
        ("http://sts.example.com", true),
        ("http://127.0.0.1:9", false),
        ("https://sts.example.com", false),
    ] {
        let options = ChainOptions {
            sts_endpoint: Some(sts.into()),
            ..ChainOptions::default()
        };
        let mut plan = Plan::new(|_| None, "/h", 1_752_480_000, "n-1", options).unwrap();
        let mut outcome = None;
        for _ in 0..10 {
            match plan.next() {
                Ok(camskit::provider::Step::ReadFile { path }) => plan
                    .feed_file(path.ends_with("config.json").then_some(config))
                    .unwrap(),
                Ok(camskit::provider::Step::Fetch(r)) => {
                    outcome = Some(Ok(r.url));
                    break;
                }
                Ok(camskit::provider::Step::Ready(_)) => break,
                Err(e) => {
                    outcome = Some(Err(e.to_string()));
                    break;
                }
            }
        }
        match outcome {
            Some(Err(e)) if refused => {
                assert!(e.contains("clear text"), "{sts}: {e}");
                assert!(!e.contains("Canary"), "{e}");
            }
            Some(Ok(url)) if !refused => assert!(url.starts_with(sts), "{sts}: {url}"),
            other => panic!("{sts}: {other:?}"),
        }
    }
}

/// A file the host must not read (a FIFO, a device, one its reader refuses) or one whose text
/// is longer than `MAX_FILE_BYTES` ends the walk with an error naming the file: never read as
/// absent, which would let the chain go on to the ini file or the metadata service and sign
/// with another identity.
#[test]
fn a_refused_or_oversized_file_ends_the_walk_naming_it() {
    let ini = format!(
        "[default]\ntype = access_key\naccess_key_id = LTAI5tIni\naccess_key_secret = {CANARY}\n"
    );
    let new_plan = || {
        Plan::new(
            env(&[("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")]),
            HOME,
            NOW,
            "n",
            ChainOptions::default(),
        )
        .unwrap()
    };
    // Read as absent, config.json lets the ini file answer (the control case).
    let (r, _) = walk(
        new_plan(),
        &[("/home/u/.alibabacloud/credentials.ini", &ini)],
        no_fetch,
    );
    assert_eq!(r.unwrap().credentials.access_key_id(), "LTAI5tIni");

    // Refused by the host: the walk stops at config.json.
    let mut plan = new_plan();
    let Step::ReadFile { path } = plan.next().unwrap() else {
        panic!("config.json first")
    };
    assert_eq!(path, "/home/u/.aliyun/config.json");
    let e = plan.refuse_file("not a regular file (a FIFO): not read");
    assert!(matches!(e, camskit::Error::Credentials { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("/home/u/.aliyun/config.json: not a regular file (a FIFO)"),
        "{e}"
    );
    for _ in 0..3 {
        let again = plan
            .next()
            .expect_err("no further step after a refused file");
        assert!(again.to_string().contains("config.json"), "{again}");
    }

    // Longer than MAX_FILE_BYTES from a reader that did not bound it: refused by the plan.
    let mut plan = new_plan();
    assert!(matches!(plan.next().unwrap(), Step::ReadFile { .. }));
    let huge = " ".repeat(usize::try_from(camskit::provider::MAX_FILE_BYTES).unwrap() + 1);
    let e = plan.feed_file(Some(&huge)).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("/home/u/.aliyun/config.json: larger than 4194304 bytes"),
        "{text}"
    );
    assert!(plan.next().is_err(), "the walk ended");

    // Refusing when no file was asked for is an input error, not a credentials one.
    let mut plan = new_plan();
    assert!(matches!(
        plan.refuse_file("x"),
        camskit::Error::InvalidInput { .. }
    ));
}

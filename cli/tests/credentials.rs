//! The credentials chain through the CLI: a `~/.aliyun/config.json` in a temporary home (modes
//! AK, StsToken, RamRoleArn), `camskit credentials`, and calls signed with the right key.

mod common;

use std::process::Command;

use common::*;

/// `camskit` with HOME set to `home` and no credential variable at all.
fn camskit_home(home: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_camskit"));
    cmd.args(args).env("HOME", home);
    for var in camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
        .chain(&camskit::provider::CHAIN_ENV)
    {
        cmd.env_remove(var);
    }
    cmd.output().unwrap()
}

fn config(home: &std::path::Path, profiles: &str, current: &str) {
    std::fs::create_dir_all(home.join(".aliyun")).unwrap();
    std::fs::write(
        home.join(".aliyun/config.json"),
        format!(r#"{{"current":"{current}","profiles":[{profiles}]}}"#),
    )
    .unwrap();
}

const PROFILES: &str = concat!(
    r#"{"name":"ak","mode":"AK","access_key_id":"LTAI5tCliTestKey01","access_key_secret":"CliTestSecret0123456789abcdef"},"#,
    r#"{"name":"sts","mode":"StsToken","access_key_id":"STS.CliTestKey02","access_key_secret":"StsTestSecret","sts_token":"CAIS+sts/token=value"},"#,
    r#"{"name":"role","mode":"RamRoleArn","access_key_id":"LTAI5tCliTestKey01","access_key_secret":"CliTestSecret0123456789abcdef","ram_role_arn":"acs:ram::123456789:role/cams-admin","ram_session_name":"camskit-test"},"#,
    r#"{"name":"canary","mode":"AK","access_key_id":"LTAI5tCanary","access_key_secret":"CanarySecretXYZ"}"#
);

#[test]
fn each_profile_mode_signs_with_its_key() {
    let mock = Mock::start();
    let home = TempDir::new();
    config(&home.0, PROFILES, "ak");
    let sts = format!("--sts-endpoint={}", mock.url());
    let endpoint = format!("--endpoint={}", mock.url());

    let out = camskit_home(&home.0, &["credentials"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("source: cli_profile:ak/static"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("access key id: LTAI5tCliTestKey01"));
    assert!(!stdout(&out).contains("CliTestSecret"));

    for (profile, key) in [("ak", KEY_ID), ("sts", STS_KEY_ID)] {
        let p = format!("--profile={profile}");
        let out = camskit_home(
            &home.0,
            &[
                "call",
                &p,
                &endpoint,
                "ChatappMigrationRegister",
                "CustSpaceId=cs",
                "PhoneNumber=1",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{profile}: {}", stderr(&out));
        let reqs = http_json("GET", &format!("{}/__mock/requests", mock.url()), "");
        let last = reqs.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["access_key_id"], key, "{profile}: {last}");
    }

    // RamRoleArn: a temporary key from mock-STS first, then the call with it.
    let out = camskit_home(
        &home.0,
        &[
            "call",
            "--profile=role",
            &sts,
            &endpoint,
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let creds = http_json("GET", &format!("{}/__mock/credentials", mock.url()), "");
    assert_eq!(creds["sts_calls"]["AssumeRole"], 1, "{creds}");
    let issued = creds["issued"][0].as_str().unwrap().to_owned();
    let reqs = http_json("GET", &format!("{}/__mock/requests", mock.url()), "");
    let last = reqs.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["access_key_id"], issued.as_str(), "{last}");

    let out = camskit_home(&home.0, &["credentials", "--profile=role", &sts]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("source: cli_profile:role/ram_role_arn"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("access key id: STS."),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("expires: "), "{}", stdout(&out));
    assert!(!stdout(&out).contains("never"), "{}", stdout(&out));
}

#[test]
fn bad_files_name_the_file_profile_and_field_never_the_secret() {
    let home = TempDir::new();
    for (text, needles) in [
        ("not json".to_owned(), vec!["config.json"]),
        (
            format!(r#"{{"current":"x","profiles":[{PROFILES}]}}"#),
            vec!["config.json", "\"x\""],
        ),
        (
            r#"{"current":"p","profiles":[{"name":"p","mode":"Bogus","access_key_secret":"CanarySecretXYZ"}]}"#.to_owned(),
            vec!["config.json", "Bogus"],
        ),
        (
            r#"{"current":"p","profiles":[{"name":"p","mode":"AK","access_key_secret":"CanarySecretXYZ"}]}"#.to_owned(),
            vec!["config.json", "\"p\"", "access_key_id"],
        ),
    ] {
        std::fs::create_dir_all(home.0.join(".aliyun")).unwrap();
        std::fs::write(home.0.join(".aliyun/config.json"), &text).unwrap();
        let out = camskit_home(&home.0, &["sign", "ChatappMigrationRegister", "CustSpaceId=c", "PhoneNumber=1"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        for n in needles {
            assert!(err.contains(n), "{text}: {err} lacks {n}");
        }
        assert!(!err.contains("CanarySecret"), "{err}");
    }
}

#[test]
fn with_nothing_configured_sign_uses_the_demo_key() {
    let home = TempDir::new();
    let out = camskit_home(
        &home.0,
        &[
            "sign",
            "ChatappMigrationRegister",
            "CustSpaceId=c",
            "PhoneNumber=1",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("demo key"), "{}", stderr(&out));
}

//! Every file the command reads is bounded and must be a regular file (issue #24, item 1):
//! `--params-json`, `parse`'s answer and the credentials chain's files (config.json, the
//! credentials ini, the OIDC token file). A FIFO, /dev/zero or a directory is refused at once
//! with an error naming it; an oversized file is refused; standard input stays allowed but
//! bounded. Each run has a deadline, so a regression fails instead of hanging the suite.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Runs `cmd`, killing it after 20 s (its output is drained meanwhile).
fn run(mut cmd: Command, what: &str) -> Output {
    use std::io::Read;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("camskit runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: camskit still running after 20 s (it is reading without a bound)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `camskit` with HOME set to `home` and no credential variable but `env`.
fn camskit_cmd(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_camskit"));
    cmd.args(args).env("HOME", home).stdin(Stdio::null());
    for var in camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
        .chain(&camskit::provider::CHAIN_ENV)
    {
        cmd.env_remove(var);
    }
    for (n, v) in env {
        cmd.env(n, v);
    }
    cmd
}

/// The hostile inputs: a FIFO nobody writes to, /dev/zero, a directory, a file over 4 MiB.
struct Hostile {
    _dir: TempDir,
    fifo: PathBuf,
    directory: PathBuf,
    big: PathBuf,
}

impl Hostile {
    fn new() -> Hostile {
        let dir = TempDir::new();
        let fifo = dir.0.join("fifo");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let directory = dir.0.join("directory");
        std::fs::create_dir(&directory).unwrap();
        let big = dir.0.join("big.json");
        // Valid JSON, so only the size can refuse it: `{"a":"xxxx...."}`, 4 MiB + 100 bytes.
        let mut text = String::from(r#"{"CustSpaceId":""#);
        text.push_str(&"x".repeat((4 << 20) + 100));
        text.push_str(r#""}"#);
        std::fs::write(&big, text).unwrap();
        Hostile {
            _dir: dir,
            fifo,
            directory,
            big,
        }
    }

    /// (path, what the error must say).
    fn cases(&self) -> Vec<(String, &'static str)> {
        vec![
            (path(&self.fifo), "not a regular file (a FIFO)"),
            (
                "/dev/zero".into(),
                "not a regular file (a character device)",
            ),
            (path(&self.directory), "not a regular file (a directory)"),
            (path(&self.big), "more than 4194304 bytes"),
        ]
    }
}

fn path(p: &Path) -> String {
    p.to_str().unwrap().to_owned()
}

fn assert_refused(out: &Output, file: &str, says: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what} {file}: {err}");
    assert!(
        err.contains(file),
        "{what}: the error names the file: {err}"
    );
    assert!(err.contains(says), "{what} {file}: {err}");
    assert!(out.stdout.is_empty(), "{what} {file}: {}", stdout(out));
}

#[test]
fn params_json_and_parse_refuse_what_is_not_a_bounded_regular_file() {
    let bad = Hostile::new();
    let home = TempDir::new();
    for (file, says) in bad.cases() {
        let out = run(
            camskit_cmd(
                &home.0,
                &["sign", "ChatappMigrationRegister", "--params-json", &file],
                &[],
            ),
            "--params-json",
        );
        assert_refused(&out, &file, says, "--params-json");
        assert!(stderr(&out).contains("--params-json"));

        let out = run(
            camskit_cmd(&home.0, &["parse", "--status", "200", &file], &[]),
            "parse",
        );
        // `parse` takes up to the core's answer limit (8 MiB): the 4 MiB file is parsed.
        if file.ends_with("big.json") {
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        } else {
            assert_refused(&out, &file, says, "parse");
        }
    }
}

#[test]
fn standard_input_is_allowed_but_bounded() {
    let home = TempDir::new();
    for args in [
        &["parse", "--status", "200"][..],
        &["parse", "--status", "200", "-"],
        &["sign", "ChatappMigrationRegister", "--params-json", "-"],
    ] {
        let mut cmd = camskit_cmd(&home.0, args, &[]);
        cmd.stdin(std::fs::File::open("/dev/zero").unwrap());
        let out = run(cmd, "stdin from /dev/zero");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("-: more than"), "{args:?}: {err}");
    }
    // A small answer on standard input still works.
    let mut cmd = camskit_cmd(&home.0, &["parse", "--status", "200"], &[]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(br#"{"RequestId":"r","Code":"OK","Data":{"A":1}}"#)
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(r#""A": 1"#), "{}", stdout(&out));
}

#[test]
fn the_credentials_chain_refuses_what_is_not_a_bounded_regular_file() {
    let bad = Hostile::new();
    for (file, says) in bad.cases() {
        // ~/.aliyun/config.json itself (a symbolic link to the hostile file).
        let home = TempDir::new();
        std::fs::create_dir_all(home.0.join(".aliyun")).unwrap();
        let config = home.0.join(".aliyun/config.json");
        std::os::unix::fs::symlink(&file, &config).unwrap();
        let out = run(camskit_cmd(&home.0, &["credentials"], &[]), "config.json");
        assert_refused(&out, &path(&config), says, "config.json");

        // The credentials ini, named by ALIBABA_CLOUD_CREDENTIALS_FILE.
        let home = TempDir::new();
        let out = run(
            camskit_cmd(
                &home.0,
                &["credentials"],
                &[("ALIBABA_CLOUD_CREDENTIALS_FILE", &file)],
            ),
            "credentials ini",
        );
        assert_refused(&out, &file, says, "credentials ini");

        // The OIDC token file (RRSA).
        let out = run(
            camskit_cmd(
                &home.0,
                &["credentials"],
                &[
                    ("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::123456789:role/cams"),
                    (
                        "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                        "acs:ram::123456789:oidc-provider/ack",
                    ),
                    ("ALIBABA_CLOUD_OIDC_TOKEN_FILE", &file),
                ],
            ),
            "OIDC token file",
        );
        assert_refused(&out, &file, says, "OIDC token file");
    }
}

#[test]
fn a_missing_chain_file_is_still_just_absent() {
    let home = TempDir::new();
    let out = run(
        camskit_cmd(
            &home.0,
            &["credentials"],
            &[("ALIBABA_CLOUD_CREDENTIALS_FILE", "/nonexistent/credentials")],
        ),
        "missing ini",
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("no credentials found"), "{err}");
    assert!(!err.contains("not a regular file"), "{err}");
}

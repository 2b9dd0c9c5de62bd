//! Shared by the CLI tests: the `camskit` binary and a running mock-cams.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const KEY_ID: &str = "LTAI5tCliTestKey01";
pub const SECRET: &str = "CliTestSecret0123456789abcdef";
pub const STS_KEY_ID: &str = "STS.CliTestKey02";
pub const STS_SECRET: &str = "StsTestSecret";
pub const STS_TOKEN: &str = "CAIS+sts/token=value";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A mock-cams process on 127.0.0.1, stopped on drop.
pub struct Mock {
    child: Child,
    pub port: u16,
    _dir: TempDir,
}

impl Mock {
    pub fn start() -> Mock {
        let dir = TempDir::new();
        let port_file = dir.0.join("port");
        let child = Command::new("python3")
            .arg(root().join("tests/mock-cams/server.py"))
            .args(["--port", "0", "--port-file"])
            .arg(&port_file)
            .args(["--key", &format!("{KEY_ID}:{SECRET}")])
            .args(["--key", &format!("{STS_KEY_ID}:{STS_SECRET}:{STS_TOKEN}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs tests/mock-cams/server.py");
        // From here on, dropping the mock stops the process.
        let mut mock = Mock {
            child,
            port: 0,
            _dir: dir,
        };
        let start = Instant::now();
        while mock.port == 0 {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                mock.port = port;
            } else {
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "mock-cams did not start"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        mock
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "camskit-test-{}-{}",
            std::process::id(),
            uuid_ish()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn uuid_ish() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    t ^ u128::from(N.fetch_add(1, Ordering::Relaxed))
}

/// Runs `camskit` with the given credentials (None: no credential variables at all).
pub fn camskit(creds: Option<(&str, &str, &str)>, args: &[&str]) -> Output {
    camskit_command(creds, args).output().expect("camskit runs")
}

/// The `camskit` command of [`camskit`], not started yet (to spawn it, or to set more).
pub fn camskit_command(creds: Option<(&str, &str, &str)>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_camskit"));
    cmd.args(args);
    for name in camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
    {
        cmd.env_remove(name);
    }
    if let Some((id, secret, token)) = creds {
        cmd.env("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
            .env("ALIBABA_CLOUD_SECURITY_TOKEN", token);
    }
    cmd
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON object a failed `call` prints on stderr.
pub fn error_json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&stderr(o)).unwrap_or_else(|e| panic!("{e}: {}", stderr(o)))
}

/// A plain HTTP request with the standard library (the tests must not trust camskit's client):
/// the answer's JSON body.
pub fn http_json(method: &str, url: &str, body: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "{method} /{path} HTTP/1.0\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let body = text.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str(body).unwrap()
}

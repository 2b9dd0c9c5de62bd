//! A TLS handshake that fails is "not sent" and is not retried (issue #24, item 2): against
//! a local TLS server with a self-signed certificate, and one that speaks only TLS 1.1, a
//! call ends at once (one connection, no request read) with exit 2 and a clear message —
//! never "outcome unknown", even for an operation that changes state.

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const GOOD: Option<(&str, &str, &str)> = Some((KEY_ID, SECRET, ""));

/// tests/mock-cams/tls_server.py, stopped on drop.
struct TlsServer {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: TempDir,
}

impl TlsServer {
    fn start(extra: &[&str]) -> TlsServer {
        let dir = TempDir::new();
        let port_file = dir.0.join("port");
        let log = dir.0.join("log");
        let child = Command::new("python3")
            .arg(root().join("tests/mock-cams/tls_server.py"))
            .arg("--port-file")
            .arg(&port_file)
            .arg("--log")
            .arg(&log)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs tests/mock-cams/tls_server.py");
        let mut server = TlsServer {
            child,
            port: 0,
            log,
            _dir: dir,
        };
        let start = Instant::now();
        while server.port == 0 {
            if let Some(port) = std::fs::read_to_string(&port_file)
                .ok()
                .and_then(|t| t.trim().parse().ok())
            {
                server.port = port;
            } else {
                assert!(
                    server.child.try_wait().unwrap().is_none(),
                    "tls_server.py exited (it needs python3's ssl and the openssl command)"
                );
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "tls_server.py did not start"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        server
    }

    /// The log lines so far, once the server has logged at least `connections` connections
    /// and their handshakes (and a moment longer, to see anything more).
    fn log_after(&self, connections: usize) -> Vec<String> {
        let read = || {
            std::fs::read_to_string(&self.log)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        let start = Instant::now();
        while read()
            .iter()
            .filter(|l| !l.starts_with("connection"))
            .count()
            < connections
            && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(500));
        read()
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn check(server_args: &[&str], what: &str, error_says: &str) {
    let server = TlsServer::start(server_args);
    let endpoint = format!("--endpoint=https://127.0.0.1:{}", server.port);
    let mut connections = 0;
    for request in [
        // A write: a failure after sending would be "outcome unknown" (exit 3).
        &[
            "ChatappMigrationRegister",
            "CustSpaceId=cs",
            "PhoneNumber=1",
        ][..],
        // A read: retried after any retryable failure, but not after this one.
        &["ListChatappTemplate", "CustSpaceId=cs"],
    ] {
        let mut args = vec!["call", &endpoint, "--timeout=10"];
        args.extend_from_slice(request);
        let start = Instant::now();
        let out = camskit(GOOD, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what} {request:?}: {err}");
        assert!(
            err.contains(&format!("cannot reach 127.0.0.1:{}", server.port)),
            "{what}: {err}"
        );
        assert!(err.contains("handshake failed"), "{what}: {err}");
        assert!(err.contains("nothing was sent"), "{what}: {err}");
        assert!(err.contains("not retried"), "{what}: {err}");
        assert!(err.contains(error_says), "{what}: {err}");
        assert!(!err.contains("retrying in"), "{what}: retried: {err}");
        assert!(!err.contains("outcome unknown"), "{what}: {err}");
        assert!(
            start.elapsed() < Duration::from_secs(8),
            "{what}: no backoff expected"
        );
        connections += 1;
        let log = server.log_after(connections);
        assert_eq!(
            log.iter().filter(|l| *l == "connection").count(),
            connections,
            "{what}: one connection per call, no second attempt: {log:?}"
        );
        assert!(
            !log.iter().any(|l| l == "request"),
            "{what}: a request was read: {log:?}"
        );
    }
}

#[test]
fn a_self_signed_certificate_is_not_sent_and_not_retried() {
    check(&[], "self-signed", "invalid peer certificate");
}

#[test]
fn an_old_tls_version_is_not_sent_and_not_retried() {
    check(&["--tls-max", "1.1"], "TLS 1.1 only", "ProtocolVersion");
}

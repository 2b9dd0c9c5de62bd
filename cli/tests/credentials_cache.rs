//! The CLI keeps its credentials in core's `CredentialsCache`: a long `--all-pages` walk
//! refreshes temporary credentials when they are stale, and when the refresh fails while the
//! key is still valid, the key stays in use with one warning (not one per page).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;

/// A credentials URI that answers the STS key once (expiring in 10 minutes: already inside the
/// 15 minutes in which it is refreshed), then HTTP 500. Returns its URL and its hit counter.
fn credentials_uri_that_fails_after_once() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/credentials", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
            }
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let (status, body) = if n == 0 {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs() as i64;
                let expiration = camskit::Timestamp::from_unix(now + 600).unwrap();
                (
                    "200 OK",
                    serde_json::json!({
                        "Code": "Success",
                        "AccessKeyId": STS_KEY_ID,
                        "AccessKeySecret": STS_SECRET,
                        "SecurityToken": STS_TOKEN,
                        "Expiration": expiration.to_string(),
                    })
                    .to_string(),
                )
            } else {
                ("500 Internal Server Error", "{}".to_owned())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, hits)
}

#[test]
fn a_failed_refresh_keeps_the_valid_key_and_warns_once() {
    let mock = Mock::start();
    let (uri, hits) = credentials_uri_that_fails_after_once();
    let home = TempDir::new();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_camskit"));
    cmd.args([
        "call",
        &format!("--endpoint={}", mock.url()),
        "--all-pages",
        "ListChatappTemplate",
        r#"--params-json=-"#,
    ])
    .env("HOME", &home.0)
    .env("ALIBABA_CLOUD_CREDENTIALS_URI", &uri);
    for var in camskit::ENV_ACCESS_KEY_ID
        .iter()
        .chain(&camskit::ENV_ACCESS_KEY_SECRET)
        .chain(&camskit::ENV_SECURITY_TOKEN)
        .chain(
            camskit::provider::CHAIN_ENV
                .iter()
                .filter(|v| **v != "ALIBABA_CLOUD_CREDENTIALS_URI"),
        )
    {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"CustSpaceId":"cs","Page":{"Index":1,"Size":10}}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let items: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 25, "{err}");
    assert!(err.contains("3 page(s)"), "{err}");
    // Resolved once, then a refresh before each of pages 2 and 3: both failed.
    assert_eq!(hits.load(Ordering::SeqCst), 3, "{err}");
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("camskit: warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "warned once: {err}");
    assert!(warnings[0].contains("credentials_uri"), "{err}");
    assert!(warnings[0].contains(STS_KEY_ID), "{err}");
    assert!(warnings[0].contains("stays in use"), "{err}");
    assert!(
        !err.contains(STS_SECRET) && !err.contains(STS_TOKEN),
        "{err}"
    );
}

use super::*;
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::request::SignatureVersion;
use serde_json::json;

const T0: u64 = 1_752_480_000_000; // 2025-07-14T08:00:00Z

fn signer() -> Signer {
    Signer::new(
        Credentials::new("id", "secret").unwrap(),
        Endpoint::default(),
    )
}

fn call(action: &str, policy: RetryPolicy) -> Call {
    let params = match action {
        "SendChatappMessage" => vec![
            ("CustSpaceId".into(), json!("c")),
            ("ChannelType".into(), json!("whatsapp")),
            ("Type".into(), json!("text")),
            ("From".into(), json!("1")),
            ("To".into(), json!("2")),
            ("Content".into(), json!("{\"text\":\"hi\"}")),
        ],
        _ => vec![("CustSpaceId".into(), json!("c"))],
    };
    Call::new(signer(), &RequestSpec::new(action, params), policy).unwrap()
}

fn entropy(i: u8) -> [u8; 16] {
    [i.wrapping_mul(37).wrapping_add(11); 16]
}

const THROTTLED: &[u8] =
    br#"{"Code":"Throttling.User","Message":"Request was denied due to user flow control."}"#;
const SERVER: &[u8] = br#"{"Code":"InternalError","Message":"The request processing has failed."}"#;
const OK: &[u8] = br#"{"RequestId":"r","Code":"OK","ListTemplate":[]}"#;
const SKEW: &[u8] = br#"{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}"#;

/// Drives a call; `answer(attempt, request)` is what the "server" does with each attempt.
/// Returns the result, the waits, and the requests sent.
fn drive(
    c: &mut Call,
    mut answer: impl FnMut(u32, &SignedRequest, &mut Call, u64),
) -> (Result<Response, Error>, Vec<Wait>, Vec<SignedRequest>) {
    let (mut now, mut waits, mut sent) = (T0, Vec::new(), Vec::new());
    for i in 0..50u8 {
        match c.poll(now, entropy(i)) {
            Step::Send(r) => {
                sent.push(r.clone());
                answer(c.attempts(), &r, c, now);
            }
            Step::Wait(w) => {
                now += w.millis;
                waits.push(w);
            }
            Step::Done(result) => return (result, waits, sent),
        }
    }
    panic!("the call never ended")
}

#[test]
fn throttled_then_ok_with_growing_bounded_backoff() {
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, waits, sent) = drive(&mut c, |n, _, c, now| {
        if n < 4 {
            c.on_response(now, 400, &[], THROTTLED)
        } else {
            c.on_response(now, 200, &[], OK)
        }
    });
    assert!(result.is_ok());
    assert_eq!(c.attempts(), 4);
    // Every retry is announced by a Wait, even when the jitter draws 0 ms.
    assert_eq!(waits.len(), 3);
    // Full jitter: each delay within its ceiling, 200, 400, 800 ms.
    for (w, ceiling) in waits.iter().zip([200, 400, 800]) {
        assert!(w.millis <= ceiling, "{w:?}");
        assert!(w.reason.contains("throttling"), "{w:?}");
    }
    // Every attempt signed afresh: four different nonces.
    let nonces: std::collections::HashSet<_> = sent
        .iter()
        .map(|s| s.url.split("SignatureNonce=").nth(1).unwrap()[..36].to_owned())
        .collect();
    assert_eq!(nonces.len(), 4);
}

#[test]
fn the_ceiling_doubles_up_to_the_cap() {
    let policy = RetryPolicy {
        max_attempts: 10,
        base_delay_ms: 1000,
        max_delay_ms: 3000,
        deadline_ms: None,
        ..RetryPolicy::default()
    };
    let mut c = call("ListChatappTemplate", policy);
    // Entropy of all 0xFF-ish bytes varies; check every wait is within min(1000 * 2^k, 3000)
    // and that over many calls the largest seen exceeds the previous ceiling.
    let (result, waits, _) = drive(&mut c, |_, _, c, now| c.on_response(now, 429, &[], b"{}"));
    assert!(result.is_err());
    assert_eq!(c.attempts(), 10);
    for (k, w) in waits.iter().enumerate() {
        let ceiling = (1000u64 << k.min(20)).min(3000);
        assert!(w.millis <= ceiling, "wait {k}: {w:?}");
    }
}

#[test]
fn retry_after_wins() {
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, waits, _) = drive(&mut c, |n, _, c, now| match n {
        1 => c.on_response(
            now,
            400,
            &[("X-Acs-Retry-After", "1500"), ("Retry-After", "9")],
            THROTTLED,
        ),
        2 => c.on_response(
            now,
            429,
            &[("Retry-After", "2")],
            b"{\"Code\":\"Throttling\"}",
        ),
        _ => c.on_response(now, 200, &[], OK),
    });
    assert!(result.is_ok());
    assert_eq!(
        waits.iter().map(|w| w.millis).collect::<Vec<_>>(),
        [1500, 2000]
    );
}

#[test]
fn a_write_with_a_server_error_is_outcome_unknown_after_one_attempt() {
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    assert_eq!(c.safety(), Safety::Write);
    let (result, waits, sent) = drive(&mut c, |_, _, c, now| c.on_response(now, 500, &[], SERVER));
    let err = result.unwrap_err();
    let api = err.as_api().unwrap();
    assert_eq!(api.kind, ErrorKind::OutcomeUnknown);
    assert!(!api.retryable());
    assert_eq!((sent.len(), waits.len()), (1, 0));
}

#[test]
fn a_read_with_a_server_error_is_retried() {
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, waits, _) = drive(&mut c, |n, _, c, now| {
        if n == 1 {
            c.on_response(now, 503, &[], SERVER)
        } else {
            c.on_response(now, 200, &[], OK)
        }
    });
    assert!(result.is_ok());
    assert_eq!(waits.len(), 1);
    assert!(waits[0].reason.contains("read-only"), "{:?}", waits[0]);
}

#[test]
fn transport_failures_follow_safety() {
    // A write that timed out: outcome unknown, no second attempt.
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| {
        c.on_transport_error(now, TransportFailure::TimedOut, "read timed out")
    });
    assert!(
        matches!(
            result,
            Err(Error::Transport {
                outcome_unknown: true,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(sent.len(), 1);
    // Reset after sending: the same.
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    let (result, _, _) = drive(&mut c, |_, _, c, now| {
        c.on_transport_error(now, TransportFailure::ResetAfterSend, "reset")
    });
    assert!(result.unwrap_err().to_string().contains("outcome unknown"));
    // Refused before sending: safe for a write.
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    let (result, waits, _) = drive(&mut c, |n, _, c, now| {
        if n == 1 {
            c.on_transport_error(
                now,
                TransportFailure::RefusedBeforeSend,
                "connection refused",
            )
        } else {
            c.on_response(now, 200, &[], OK)
        }
    });
    assert!(result.is_ok());
    assert!(waits[0].reason.contains("nothing was sent"));
    // A read that timed out: retried; all attempts time out: no answer, outcome not in doubt.
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| {
        c.on_transport_error(now, TransportFailure::TimedOut, "t")
    });
    assert!(
        matches!(
            result,
            Err(Error::Transport {
                outcome_unknown: false,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(sent.len(), 4);
}

#[test]
fn clock_skew_is_recovered_once_with_the_servers_time() {
    for version in [SignatureVersion::V1, SignatureVersion::V3] {
        let spec = RequestSpec {
            signature: version,
            ..RequestSpec::new("ListChatappTemplate", vec![])
        };
        let mut c = Call::new(signer(), &spec, RetryPolicy::no_retry()).unwrap();
        // The server is two hours ahead.
        let (result, waits, sent) = drive(&mut c, |n, _, c, now| {
            if n == 1 {
                c.on_response(now, 400, &[("Date", "Mon, 14 Jul 2025 10:00:00 GMT")], SKEW)
            } else {
                c.on_response(now, 200, &[], OK)
            }
        });
        assert!(result.is_ok(), "{version}: {result:?}");
        assert_eq!(sent.len(), 2);
        assert!(waits.is_empty());
        assert_eq!(c.clock_offset_secs(), 7200);
        let time = |s: &SignedRequest| match version {
            SignatureVersion::V1 => s.url.split("Timestamp=").nth(1).unwrap()[..24].to_owned(),
            SignatureVersion::V3 => s.header("x-acs-date").unwrap().to_owned(),
        };
        assert!(
            time(&sent[0]).starts_with("2025-07-14T08"),
            "{}",
            time(&sent[0])
        );
        assert!(
            time(&sent[1]).starts_with("2025-07-14T10")
                || time(&sent[1]).starts_with("2025-07-14T10%3A"),
            "{}",
            time(&sent[1])
        );
    }
}

#[test]
fn clock_skew_is_recovered_only_once() {
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| {
        c.on_response(now, 400, &[("Date", "Mon, 14 Jul 2025 10:00:00 GMT")], SKEW)
    });
    assert_eq!(
        result.unwrap_err().as_api().unwrap().kind,
        ErrorKind::ClockSkew
    );
    assert_eq!(sent.len(), 2);
}

#[test]
fn an_absurd_or_missing_date_is_ignored() {
    for headers in [
        vec![("Date", "Thu, 14 Jul 2022 10:00:00 GMT")], // three years off
        vec![("Date", "yesterday")],
        vec![],
    ] {
        let mut c = call("ListChatappTemplate", RetryPolicy::default());
        let (result, _, sent) = drive(&mut c, |_, _, c, now| {
            c.on_response(now, 400, &headers, SKEW)
        });
        assert_eq!(
            result.unwrap_err().as_api().unwrap().kind,
            ErrorKind::ClockSkew
        );
        assert_eq!(sent.len(), 1, "{headers:?}");
        assert_eq!(c.clock_offset_secs(), 0);
    }
}

#[test]
fn the_deadline_ends_retries() {
    let policy = RetryPolicy {
        max_attempts: 100,
        base_delay_ms: 5_000,
        max_delay_ms: 5_000,
        deadline_ms: Some(12_000),
        ..RetryPolicy::default()
    };
    let mut c = call("ListChatappTemplate", policy);
    let (result, waits, sent) = drive(&mut c, |_, _, c, now| {
        c.on_response(now, 400, &[("x-acs-retry-after", "5000")], THROTTLED)
    });
    assert_eq!(
        result.unwrap_err().as_api().unwrap().kind,
        ErrorKind::Throttling
    );
    // Starts at 0, 5 and 10 s; a fourth at 15 s would pass the 12 s deadline.
    assert_eq!((sent.len(), waits.len()), (3, 2));
}

#[test]
fn no_retry_sends_once() {
    let mut c = call("ListChatappTemplate", RetryPolicy::no_retry());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| {
        c.on_response(now, 400, &[], THROTTLED)
    });
    assert!(result.is_err());
    assert_eq!(sent.len(), 1);
}

#[test]
fn other_errors_end_at_once_and_misuse_is_an_error() {
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| {
        c.on_response(
            now,
            400,
            &[],
            br#"{"Code":"InvalidParameter","Message":"x"}"#,
        )
    });
    assert_eq!(
        result.unwrap_err().as_api().unwrap().kind,
        ErrorKind::InvalidParameter
    );
    assert_eq!(sent.len(), 1);
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    assert!(matches!(c.poll(T0, [0; 16]), Step::Send(_)));
    assert!(matches!(c.poll(T0, [0; 16]), Step::Done(Err(_))));
    // A redirect is never followed and never retried.
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| {
        c.on_response(now, 302, &[("Location", "http://x.example")], b"")
    });
    assert!(
        result
            .unwrap_err()
            .to_string()
            .contains("redirect to http://x.example")
    );
    assert_eq!(sent.len(), 1);
}

#[test]
fn a_proxy_page_with_a_5xx_follows_safety() {
    let page = b"<html><body>502 Bad Gateway</body></html>";
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |_, _, c, now| c.on_response(now, 502, &[], page));
    assert!(
        matches!(
            result,
            Err(Error::Transport {
                outcome_unknown: true,
                ..
            })
        ),
        "{result:?}"
    );
    assert_eq!(sent.len(), 1);
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |n, _, c, now| {
        if n == 1 {
            c.on_response(now, 502, &[], page)
        } else {
            c.on_response(now, 200, &[], OK)
        }
    });
    assert!(result.is_ok());
    assert_eq!(sent.len(), 2);
}

#[test]
fn a_retry_with_zero_jitter_is_still_announced() {
    // base_delay 0: every jitter is 0 ms.
    let policy = RetryPolicy {
        base_delay_ms: 0,
        ..RetryPolicy::default()
    };
    let mut c = call("ListChatappTemplate", policy);
    let (result, waits, sent) = drive(&mut c, |n, _, c, now| {
        if n < 3 {
            c.on_response(now, 400, &[], THROTTLED)
        } else {
            c.on_response(now, 200, &[], OK)
        }
    });
    assert!(result.is_ok());
    assert_eq!(sent.len(), 3);
    assert_eq!(
        waits
            .iter()
            .map(|w| (w.millis, w.attempt))
            .collect::<Vec<_>>(),
        [(0, 1), (0, 2)]
    );
}

#[test]
fn nonces_are_uuid_v4() {
    let u = uuid_v4([0xff; 16]);
    assert_eq!(u, "ffffffff-ffff-4fff-bfff-ffffffffffff");
    assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
}

#[test]
fn cancelling_says_whether_the_outcome_is_known() {
    // Between attempts: known (the retry was safe to schedule).
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    assert!(matches!(c.poll(T0, [1; 16]), Step::Send(_)));
    c.on_response(T0, 400, &[], THROTTLED);
    assert!(matches!(c.poll(T0, [2; 16]), Step::Wait(_)));
    let e = c.cancel("aborted");
    assert!(
        matches!(
            e,
            Error::Transport {
                outcome_unknown: false,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(matches!(c.poll(T0 + 10_000, [3; 16]), Step::Done(Err(_))));
    // A write while its request is out: unknown; a read: known.
    let mut c = call("SendChatappMessage", RetryPolicy::default());
    assert!(matches!(c.poll(T0, [1; 16]), Step::Send(_)));
    assert!(matches!(
        c.cancel("aborted"),
        Error::Transport {
            outcome_unknown: true,
            ..
        }
    ));
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    assert!(matches!(c.poll(T0, [1; 16]), Step::Send(_)));
    assert!(matches!(
        c.cancel("aborted"),
        Error::Transport {
            outcome_unknown: false,
            ..
        }
    ));
}

#[test]
fn a_tls_handshake_failure_is_not_sent_and_not_retried() {
    for action in ["SendChatappMessage", "ListChatappTemplate"] {
        let mut c = call(action, RetryPolicy::default());
        let (result, waits, sent) = drive(&mut c, |_, _, c, now| {
            c.on_transport_error(
                now,
                TransportFailure::HandshakeFailed,
                "invalid peer certificate: UnknownIssuer",
            )
        });
        assert_eq!(sent.len(), 1, "{action}: one attempt, never repeated");
        assert!(waits.is_empty(), "{action}");
        let e = result.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport {
                    outcome_unknown: false,
                    ..
                }
            ),
            "{action}: nothing was sent: {e}"
        );
        let text = e.to_string();
        assert!(
            text.contains("handshake failed") && text.contains("nothing was sent"),
            "{text}"
        );
        assert!(text.contains("UnknownIssuer"), "{text}");
    }
}

#[test]
fn each_attempt_carries_its_timeout_in_the_shared_request_type() {
    let c = call("ListChatappTemplate", RetryPolicy::default());
    assert_eq!(c.timeout_ms(), crate::http::CAMS_TIMEOUT_MS);
    let mut c = c.with_timeout_ms(2_500);
    let Step::Send(signed) = c.poll(T0, entropy(1)) else {
        panic!("first step sends")
    };
    let http = c.http_request(&signed);
    assert_eq!(http.timeout_ms, 2_500);
    assert_eq!(http.purpose, "cams");
    assert_eq!(http.method, "POST");
    assert_eq!(http.url, signed.url);
    assert!(http.header("host").is_none(), "the client derives Host");
    assert_eq!(http.body, signed.body);
}

#[test]
fn a_write_answered_200_with_a_garbled_body_is_outcome_unknown() {
    for body in [
        &b"<html>ok</html>"[..],
        br#"{"RequestId":"r","Code":"O"#,
        b"",
    ] {
        let mut c = call("SendChatappMessage", RetryPolicy::default());
        let (result, waits, sent) =
            drive(&mut c, |_, _, c, now| c.on_response(now, 200, &[], body));
        assert_eq!(sent.len(), 1, "never sent twice");
        assert!(waits.is_empty());
        let e = result.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Transport {
                    outcome_unknown: true,
                    ..
                }
            ),
            "{body:?}: {e:?}"
        );
        assert!(
            e.to_string().contains("HTTP 200 without a CAMS answer"),
            "{e}"
        );
    }
    // A read with the same answer is safe to repeat.
    let mut c = call("ListChatappTemplate", RetryPolicy::default());
    let (result, _, sent) = drive(&mut c, |n, _, c, now| {
        c.on_response(now, 200, &[], if n == 1 { b"<html>" } else { OK })
    });
    assert!(result.is_ok());
    assert_eq!(sent.len(), 2);
}

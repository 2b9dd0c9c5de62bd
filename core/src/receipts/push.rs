//! What to answer CAMS for an HTTP batch push: one rule for every host.
//!
//! Alibaba's HTTP batch push (the pattern CAMS's receipt pages point to; "HTTP batch push
//! pattern", https://help.aliyun.com/en/vms/developer-reference/http-batch-delivery-mode-1):
//! the answer `{"code": 0, "msg": ...}` with HTTP 200 is a success ("the system validates that
//! the returned `code` is a number but does not validate its content"); any other status, or no
//! answer in time (3 s for CAMS: "return a response within 3 seconds", ChatAppStatus,
//! https://help.aliyun.com/en/chatapp/developer-reference/chatappstatus-1), is pushed again
//! (after 1, 5 and 10 minutes); "return an HTTP 50X response code if a system error or
//! consumption failure occurs".

use super::Event;
use crate::error::Error;

/// The HTTP answer to one push.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushAnswer {
    /// 200 (taken), 400 (a body camskit cannot read: pushed again, then dropped by CAMS), or
    /// 503 (the application failed to take it: pushed again).
    pub status: u16,
    /// The `Content-Type` of [`body`](Self::body).
    pub content_type: &'static str,
    /// The answer's body.
    pub body: String,
}

/// The longest refusal text sent back before the cut's `… (N bytes)`: the whole answer stays
/// under 300 bytes.
const MAX_REFUSAL_CHARS: usize = 280;

impl PushAnswer {
    /// The push was read: `200 {"code":0,"msg":"OK"}`. Answer it at once, before the
    /// events are handled (CAMS waits 3 s, then pushes again).
    pub fn accepted() -> Self {
        Self {
            status: 200,
            content_type: "application/json",
            body: r#"{"code":0,"msg":"OK"}"#.to_owned(),
        }
    }

    /// The body could not be read (`error` from [`parse_push`](super::parse_push)): 400 with
    /// core's message (no secret can be in it: it describes the body).
    pub fn refused(error: &Error) -> Self {
        let text = format!("camskit: {error}");
        Self {
            status: 400,
            content_type: "text/plain; charset=utf-8",
            body: crate::error::truncate_to(&text, MAX_REFUSAL_CHARS),
        }
    }

    /// The application could not take the events (its store is down, its handler threw
    /// before it saved them): 503, so CAMS pushes them again.
    pub fn handler_failed() -> Self {
        Self {
            status: 503,
            content_type: "application/json",
            body: r#"{"code":1,"msg":"the receiver could not take the receipts; push again"}"#
                .to_owned(),
        }
    }

    /// The answer for what [`parse_push`](super::parse_push) returned.
    pub fn for_parsed(parsed: &Result<Vec<Event>, Error>) -> Self {
        match parsed {
            Ok(_) => Self::accepted(),
            Err(e) => Self::refused(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipts::parse_push;

    #[test]
    fn a_readable_push_is_taken_with_a_numeric_code() {
        let parsed = parse_push(br#"[{"MessageId":"m1","Status":"Read"}]"#, None);
        let a = PushAnswer::for_parsed(&parsed);
        assert_eq!(a.status, 200);
        let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert!(v["code"].is_number(), "{}", a.body);
    }

    #[test]
    fn an_unreadable_push_is_refused_with_what_is_wrong() {
        let parsed = parse_push(b"not json at all", None);
        let a = PushAnswer::for_parsed(&parsed);
        assert_eq!(a.status, 400);
        assert!(a.body.starts_with("camskit: "), "{}", a.body);
        assert!(a.body.contains("JSON"), "{}", a.body);
        let long = Error::invalid("receipt push body", "word ".repeat(200));
        let a = PushAnswer::refused(&long);
        assert!(a.body.len() <= 300, "{}", a.body.len());
        assert!(a.body.ends_with(" bytes)"), "{}", a.body);
    }

    #[test]
    fn a_handler_failure_asks_for_the_push_again() {
        let a = PushAnswer::handler_failed();
        assert!((500..600).contains(&a.status));
    }
}

//! A call the host drives itself: core's [`camskit::Call`] machine as an object, for hosts whose
//! HTTP client does not block (Kotlin coroutines: `client.callSuspending(...)` in
//! kotlin/Coroutines.kt; Swift `async`). The host loops: [`PendingCall::poll`] says send this
//! request, wait this long, or done; the host sends with its own client and feeds the answer
//! ([`PendingCall::on_response`]) or how sending failed ([`PendingCall::on_transport_error`]);
//! a cancelled task calls [`PendingCall::cancel`], and core decides what that means for the
//! outcome (a write out on the wire: unknown). Every decision stays core's, as in
//! `CamsClient.call`, which runs the same machine in a blocking loop.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use camskit::{Call, Step, TransportFailure};

use crate::call::CallOptions;
use crate::convert::pairs;
use crate::response::response;
use crate::transport::{HttpRequest, HttpResponse, TransportError, now_ms};
use crate::{CamsClient, CamsError, CamsResponse, ParamValue, guard};

/// What the host does next in a [`PendingCall`].
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum CallStep {
    /// Send this request (signed for this attempt), then `onResponse` or `onTransportError`.
    Send { request: HttpRequest },
    /// Wait this long (possibly 0 ms; the retry is already logged), then `poll` again.
    Wait {
        /// The attempt that failed (1 is the first).
        attempt: u32,
        /// Why it failed and why retrying is safe.
        reason: String,
        /// How long to wait, in milliseconds.
        millis: u64,
    },
    /// The call is over with this answer (a failed call: `poll` throws instead).
    Done { response: CamsResponse },
}

/// One call in progress, driven by the host (see the module's text). Thread-safe; one step at
/// a time.
#[derive(uniffi::Object)]
pub struct PendingCall {
    client: Arc<CamsClient>,
    call: Mutex<Call>,
}

impl PendingCall {
    fn call(&self) -> MutexGuard<'_, Call> {
        self.call.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[uniffi::export]
impl CamsClient {
    /// Starts a call that the host drives (`poll`, `onResponse`, `onTransportError`, `cancel`):
    /// the same machine and options as `call`, for an HTTP client that does not block. Throws as
    /// `call` does before sending (validation, credentials, plain http). With the credentials
    /// chain this may fetch credentials (blocking): start it off the main thread.
    #[uniffi::method(default(options = None))]
    pub fn start_call(
        self: Arc<Self>,
        action: String,
        params: HashMap<String, ParamValue>,
        options: Option<CallOptions>,
    ) -> Result<Arc<PendingCall>, CamsError> {
        guard(|| {
            let params = pairs(&params)?;
            let call = self.start(action, params, &options.unwrap_or_default())?;
            Ok(Arc::new(PendingCall {
                client: self.clone(),
                call: Mutex::new(call),
            }))
        })
    }
}

#[uniffi::export]
impl PendingCall {
    /// The next step. Throws the call's error once it is over with one (the same
    /// `CamsException` `call` would throw); a `Wait` is logged with the client's logger.
    pub fn poll(&self) -> Result<CallStep, CamsError> {
        guard(|| {
            let mut call = self.call();
            let step = call.poll(now_ms(), *uuid::Uuid::new_v4().as_bytes());
            match step {
                Step::Send(signed) => Ok(CallStep::Send {
                    request: call.http_request(&signed).into(),
                }),
                Step::Wait(wait) => {
                    self.client.log_retry(&wait);
                    Ok(CallStep::Wait {
                        attempt: wait.attempt,
                        reason: wait.reason,
                        millis: wait.millis,
                    })
                }
                Step::Done(result) => {
                    // the clock offset learnt (or kept) is the client's for its next calls
                    self.client.clock_offset.store(
                        call.clock_offset_secs(),
                        std::sync::atomic::Ordering::Relaxed,
                    );
                    Ok(CallStep::Done {
                        response: response(result?),
                    })
                }
            }
        })
    }

    /// The answer to the request last sent. A status that is not HTTP is a reset after send.
    pub fn on_response(&self, response: HttpResponse) {
        let mut call = self.call();
        match u16::try_from(response.status) {
            Ok(status) => {
                let headers: Vec<(&str, &str)> = response
                    .headers
                    .iter()
                    .map(|h| (h.name.as_str(), h.value.as_str()))
                    .collect();
                call.on_response(now_ms(), status, &headers, &response.body);
            }
            Err(_) => call.on_transport_error(
                now_ms(),
                TransportFailure::ResetAfterSend,
                &format!(
                    "the transport returned {}, not an HTTP status",
                    response.status
                ),
            ),
        }
    }

    /// The request last sent got no answer: how, as `HttpTransport.send` would throw it.
    pub fn on_transport_error(&self, error: TransportError) {
        let (failure, reason) = error.core();
        self.call().on_transport_error(now_ms(), failure, reason);
    }

    /// The caller stops the call (a cancelled coroutine or task). Core decides the outcome:
    /// between attempts it is known (nothing out); while a write is out it is unknown. The next
    /// `poll` throws that error (`CamsException.Transport`, `outcomeUnknown` said).
    pub fn cancel(&self, why: String) {
        let _ = self.call().cancel(&why);
    }

    /// The attempts sent so far.
    pub fn attempts(&self) -> u32 {
        self.call().attempts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;

    fn client() -> Arc<CamsClient> {
        let c = Credentials::new("id".into(), "secret".into(), None).unwrap();
        CamsClient::new(c, None, Some("http://127.0.0.1:9".into())).unwrap()
    }

    fn params() -> HashMap<String, ParamValue> {
        [("CustSpaceId", "cs"), ("PhoneNumber", "1")]
            .into_iter()
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    ParamValue::Text {
                        value: v.to_owned(),
                    },
                )
            })
            .collect()
    }

    fn sent(step: CallStep) -> HttpRequest {
        match step {
            CallStep::Send { request } => request,
            other => panic!("expected Send, got {other:?}"),
        }
    }

    #[test]
    fn send_answer_done() {
        let p = client()
            .start_call("ChatappMigrationRegister".into(), params(), None)
            .unwrap();
        let req = sent(p.poll().unwrap());
        assert_eq!(req.method, "POST");
        assert!(
            req.url.contains("Action=ChatappMigrationRegister"),
            "{}",
            req.url
        );
        p.on_response(HttpResponse {
            status: 200,
            headers: vec![],
            body: br#"{"RequestId":"r","Code":"OK"}"#.to_vec(),
        });
        match p.poll().unwrap() {
            CallStep::Done { response } => assert_eq!(response.request_id.as_deref(), Some("r")),
            other => panic!("{other:?}"),
        }
        assert_eq!(p.attempts(), 1);
    }

    #[test]
    fn a_refused_connection_waits_then_resends() {
        let p = client()
            .start_call("ChatappMigrationRegister".into(), params(), None)
            .unwrap();
        sent(p.poll().unwrap());
        p.on_transport_error(TransportError::RefusedBeforeSend {
            reason: "no".into(),
        });
        match p.poll().unwrap() {
            CallStep::Wait { attempt, .. } => assert_eq!(attempt, 1),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cancelling_a_write_on_the_wire_is_an_unknown_outcome() {
        let p = client()
            .start_call("ChatappMigrationRegister".into(), params(), None)
            .unwrap();
        sent(p.poll().unwrap());
        p.cancel("test".into());
        match p.poll() {
            Err(CamsError::Transport {
                outcome_unknown,
                reason,
            }) => {
                assert!(outcome_unknown);
                assert!(reason.contains("stopped by the caller"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cancelling_before_sending_is_a_known_outcome() {
        let p = client()
            .start_call("ChatappMigrationRegister".into(), params(), None)
            .unwrap();
        p.cancel("test".into());
        match p.poll() {
            Err(CamsError::Transport {
                outcome_unknown, ..
            }) => assert!(!outcome_unknown),
            other => panic!("{other:?}"),
        }
    }
}

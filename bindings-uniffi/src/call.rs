//! Calls: core's [`camskit::Call`] machine driven over the app's HTTP transport.
//!
//! The app implements [`HttpTransport`] (a uniffi foreign trait: a Kotlin interface, a Swift
//! protocol) with the HTTP client it has; `CamsClient.call` loops over the machine here, in
//! Rust: it sends what the machine says to send, sleeps when it says wait, and returns what
//! it says is done. Every decision (retry or not, how long to wait, what is safe to re-send,
//! clock-skew recovery, when paging ends) is the machine's; this file only moves values.
//!
//! The loop keeps the machine in Rust (rather than exposing it as an object the app loops
//! over) so that every host runs the same loop and an app cannot get it subtly wrong (feed
//! the wrong answer, forget the clock offset, retry on its own). The price: `call` blocks the
//! calling thread (it sleeps between attempts), so apps call it off their main thread.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use camskit::{Call, Step, TransportFailure};
use serde_json::Value;

use crate::client::request_spec;
use crate::convert::pairs;
use crate::response::response;
use crate::transport::{CamsLogger, HttpTransport, now_ms};
use crate::{
    CamsClient, CamsError, CamsResponse, HttpMethod, NameValue, ParamValue, SignOptions,
    SignatureVersion, guard,
};

/// How many times and how long a call tries: core's `RetryPolicy` field for field. Get
/// core's values from `defaultRetryPolicy()` or `noRetryPolicy()` and change what you need
/// (Kotlin `defaultRetryPolicy().copy(maxAttempts = 2u)`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: no retry).
    pub max_attempts: u32,
    /// The first backoff's ceiling in milliseconds; it doubles with each retry.
    pub base_delay_ms: u64,
    /// The largest backoff ceiling in milliseconds.
    pub max_delay_ms: u64,
    /// No retry starts later than this after the first attempt (milliseconds); `null`: none.
    pub deadline_ms: Option<u64>,
    /// Re-sign once with the server's time after a clock-skew rejection.
    pub recover_clock_skew: bool,
}

impl From<camskit::RetryPolicy> for RetryPolicy {
    fn from(p: camskit::RetryPolicy) -> Self {
        RetryPolicy {
            max_attempts: p.max_attempts,
            base_delay_ms: p.base_delay_ms,
            max_delay_ms: p.max_delay_ms,
            deadline_ms: p.deadline_ms,
            recover_clock_skew: p.recover_clock_skew,
        }
    }
}

impl From<RetryPolicy> for camskit::RetryPolicy {
    fn from(p: RetryPolicy) -> Self {
        camskit::RetryPolicy {
            max_attempts: p.max_attempts,
            base_delay_ms: p.base_delay_ms,
            max_delay_ms: p.max_delay_ms,
            deadline_ms: p.deadline_ms,
            recover_clock_skew: p.recover_clock_skew,
        }
    }
}

/// Core's default policy: 4 attempts, backoff from 200 ms doubling up to 10 s (full
/// jitter), a 60 s deadline, one clock-skew recovery.
#[uniffi::export]
pub fn default_retry_policy() -> RetryPolicy {
    camskit::RetryPolicy::default().into()
}

/// Core's one-attempt policy (clock-skew recovery still on).
#[uniffi::export]
pub fn no_retry_policy() -> RetryPolicy {
    camskit::RetryPolicy::no_retry().into()
}

/// How to call. Every field is optional: `CallOptions()` calls a CAMS operation with
/// signature 1.0 and core's default retry policy. Each attempt is signed with the current
/// time and a fresh nonce (there is no `timestamp` or `nonce` here).
#[derive(Debug, Clone, PartialEq, Default, uniffi::Record)]
pub struct CallOptions {
    /// The retry policy; absent: core's default (`defaultRetryPolicy()`).
    #[uniffi(default = None)]
    pub retry: Option<RetryPolicy>,
    /// The signature version; absent: 1.0.
    #[uniffi(default = None)]
    pub signature: Option<SignatureVersion>,
    /// The HTTP method; absent: the catalog's (POST for a raw request).
    #[uniffi(default = None)]
    pub method: Option<HttpMethod>,
    /// Extra headers to send (signed under v3).
    #[uniffi(default)]
    pub headers: Vec<NameValue>,
    /// Skip the catalog (any Alibaba Cloud RPC API), as `SignOptions.raw`. Without the
    /// catalog an action's safety is unknown: it is treated as a write (never re-sent after
    /// an unknown outcome).
    #[uniffi(default = false)]
    pub raw: bool,
    /// Raw requests only: the API version.
    #[uniffi(default = None)]
    pub api_version: Option<String>,
    /// Raw requests only: form-body parameters.
    #[uniffi(default)]
    pub form: HashMap<String, ParamValue>,
    /// Send credentials over plain `http://` to a host that is not loopback (refused
    /// otherwise, before anything is sent).
    #[uniffi(default = false)]
    pub allow_insecure_http: bool,
}

impl CallOptions {
    fn sign_options(&self) -> SignOptions {
        SignOptions {
            method: self.method,
            signature: self.signature,
            timestamp: None,
            nonce: None,
            headers: self.headers.clone(),
            raw: self.raw,
            api_version: self.api_version.clone(),
            form: self.form.clone(),
        }
    }
}

#[uniffi::export]
impl CamsClient {
    /// Calls a CAMS operation (any RPC API with `options.raw`) through `transport`, as core's
    /// call machine decides: each attempt signed afresh; throttling, a reused nonce and a
    /// refused connection retried after a backoff (the server's `Retry-After` when it gives
    /// one); a read-only operation also after a server error or a timeout; an operation that
    /// changes state **never re-sent once it may have taken effect** — that ends in
    /// `CamsException.Api` of kind `OUTCOME_UNKNOWN` or `CamsException.Transport` with
    /// `outcomeUnknown`; one re-sign with the server's time after a clock-skew rejection
    /// (the offset is kept for later calls). Each retry is logged (`setLogger`).
    ///
    /// **Blocks** the calling thread for the whole call, sleeps included (up to the policy's
    /// deadline): on Android call it off the main thread (a background thread, or
    /// `withContext(Dispatchers.IO)`); on iOS off the main queue.
    ///
    /// Refuses (`CamsException.Validation`, nothing sent) credentials over plain `http://` to
    /// a host that is not loopback, unless `options.allowInsecureHttp`.
    #[uniffi::method(default(options = None))]
    pub fn call(
        &self,
        action: String,
        params: HashMap<String, ParamValue>,
        transport: Arc<dyn HttpTransport>,
        options: Option<CallOptions>,
    ) -> Result<CamsResponse, CamsError> {
        guard(|| {
            let params = pairs(&params)?;
            let options = options.unwrap_or_default();
            Ok(response(self.drive(
                action,
                params,
                &options,
                transport.as_ref(),
            )?))
        })
    }

    /// Where this client's log lines go (each retry; a failed credentials refresh); `null`:
    /// standard error.
    pub fn set_logger(&self, logger: Option<Arc<dyn CamsLogger>>) {
        *self.logger.write().unwrap_or_else(|p| p.into_inner()) = logger;
    }

    /// Server time minus this host's clock in seconds, as learnt from a clock-skew answer
    /// (0 until then); later calls sign with it.
    pub fn clock_offset_secs(&self) -> i64 {
        self.clock_offset.load(Ordering::Relaxed)
    }
}

impl CamsClient {
    /// One logical call: core's machine, this host's clock, randomness, sleep and transport.
    pub(crate) fn drive(
        &self,
        action: String,
        params: Vec<(String, Value)>,
        options: &CallOptions,
        transport: &dyn HttpTransport,
    ) -> Result<camskit::Response, CamsError> {
        let mut call = self.start(action, params, options)?;
        let result = loop {
            match call.poll(now_ms(), *uuid::Uuid::new_v4().as_bytes()) {
                Step::Send(signed) => match transport.send(call.http_request(&signed).into()) {
                    Ok(answer) => match u16::try_from(answer.status) {
                        Ok(status) => {
                            let headers: Vec<(&str, &str)> = answer
                                .headers
                                .iter()
                                .map(|h| (h.name.as_str(), h.value.as_str()))
                                .collect();
                            call.on_response(now_ms(), status, &headers, &answer.body);
                        }
                        Err(_) => call.on_transport_error(
                            now_ms(),
                            TransportFailure::ResetAfterSend,
                            &format!(
                                "the transport returned {}, not an HTTP status",
                                answer.status
                            ),
                        ),
                    },
                    Err(e) => {
                        let (failure, reason) = e.core();
                        call.on_transport_error(now_ms(), failure, reason);
                    }
                },
                Step::Wait(wait) => {
                    self.log_retry(&wait);
                    std::thread::sleep(Duration::from_millis(wait.millis));
                }
                Step::Done(result) => break result,
            }
        };
        self.clock_offset
            .store(call.clock_offset_secs(), Ordering::Relaxed);
        Ok(result?)
    }

    /// Core's call machine for one logical call, with this client's credentials (the chain
    /// may refresh them here), endpoint and clock offset: `drive` and `PendingCall` start here.
    pub(crate) fn start(
        &self,
        action: String,
        params: Vec<(String, Value)>,
        options: &CallOptions,
    ) -> Result<Call, CamsError> {
        self.endpoint
            .check_credentials_transport_as(options.allow_insecure_http, "allowInsecureHttp")?;
        let spec = request_spec(action, params, &options.sign_options())?;
        let policy = options
            .retry
            .clone()
            .map_or_else(camskit::RetryPolicy::default, Into::into);
        let signer = camskit::Signer::new(self.current_credentials()?, self.endpoint.clone());
        Ok(Call::new(signer, &spec, policy)?
            .with_clock_offset(self.clock_offset.load(Ordering::Relaxed)))
    }

    fn logger(&self) -> Option<Arc<dyn CamsLogger>> {
        self.logger
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn log_retry(&self, wait: &camskit::Wait) {
        match self.logger() {
            Some(l) => l.retry(wait.attempt, wait.reason.clone(), wait.millis),
            None => eprintln!(
                "camskit: attempt {} failed: {}; retrying in {} ms",
                wait.attempt, wait.reason, wait.millis
            ),
        }
    }

    pub(crate) fn log_warning(&self, message: String) {
        match self.logger() {
            Some(l) => l.warning(message),
            None => eprintln!("camskit: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use crate::transport::{HttpRequest, HttpResponse, TransportError};
    use std::sync::Mutex;

    /// Answers from a script, recording what was sent.
    struct Scripted {
        answers: Mutex<Vec<Result<HttpResponse, TransportError>>>,
        sent: Mutex<Vec<HttpRequest>>,
    }

    impl HttpTransport for Scripted {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.lock().unwrap().push(request);
            self.answers.lock().unwrap().remove(0)
        }
    }

    fn scripted(answers: Vec<Result<HttpResponse, TransportError>>) -> Arc<Scripted> {
        Arc::new(Scripted {
            answers: Mutex::new(answers),
            sent: Mutex::new(Vec::new()),
        })
    }

    fn answer(status: i32, body: &str) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        })
    }

    fn client() -> Arc<CamsClient> {
        let c = Credentials::new("id".into(), "secret".into(), None).unwrap();
        CamsClient::new(c, None, Some("http://127.0.0.1:9".into())).unwrap()
    }

    fn register() -> HashMap<String, ParamValue> {
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

    fn fast() -> Option<CallOptions> {
        Some(CallOptions {
            retry: Some(RetryPolicy {
                base_delay_ms: 1,
                max_delay_ms: 2,
                ..default_retry_policy()
            }),
            ..CallOptions::default()
        })
    }

    #[test]
    fn throttled_then_ok_is_two_attempts_each_signed_afresh() {
        let t = scripted(vec![
            answer(400, r#"{"Code":"Throttling.User","Message":"slow"}"#),
            answer(200, r#"{"Code":"OK","RequestId":"r"}"#),
        ]);
        let r = client()
            .call(
                "ChatappMigrationRegister".into(),
                register(),
                t.clone(),
                fast(),
            )
            .unwrap();
        assert_eq!(r.request_id.as_deref(), Some("r"));
        let sent = t.sent.lock().unwrap();
        assert_eq!(sent.len(), 2);
        assert_ne!(sent[0].url, sent[1].url, "a fresh nonce per attempt");
        assert_eq!(sent[0].purpose, "cams");
        assert_eq!(
            sent[0].max_body_bytes,
            camskit::MAX_RESPONSE_BYTES as u64 + 1
        );
    }

    #[test]
    fn a_write_answered_500_is_outcome_unknown_and_sent_once() {
        let t = scripted(vec![answer(
            500,
            r#"{"Code":"InternalError","Message":"boom","RequestId":"r"}"#,
        )]);
        let e = client()
            .call(
                "ChatappMigrationRegister".into(),
                register(),
                t.clone(),
                fast(),
            )
            .unwrap_err();
        assert!(
            matches!(
                &e,
                CamsError::Api {
                    kind: crate::ErrorKind::OutcomeUnknown,
                    retryable: false,
                    ..
                }
            ),
            "{e:?}"
        );
        assert_eq!(t.sent.lock().unwrap().len(), 1);
    }

    #[test]
    fn transport_failures_map_to_cores() {
        let t = scripted(vec![
            Err(TransportError::RefusedBeforeSend {
                reason: "refused".into(),
            }),
            Err(TransportError::ResetAfterSend {
                reason: "reset".into(),
            }),
        ]);
        let e = client()
            .call(
                "ChatappMigrationRegister".into(),
                register(),
                t.clone(),
                fast(),
            )
            .unwrap_err();
        assert_eq!(
            e,
            CamsError::Transport {
                reason: "reset after send (reset)".into(),
                outcome_unknown: true
            }
        );
        assert!(e.to_string().contains("reset"), "{e}");
        let unexpected = TransportError::from(uniffi::UnexpectedUniFFICallbackError {
            reason: "java.lang.IllegalStateException: x\n\tat Foo.bar".into(),
        });
        assert_eq!(
            unexpected.core(),
            (
                TransportFailure::ResetAfterSend,
                "the transport failed: java.lang.IllegalStateException: x"
            )
        );
    }

    #[test]
    fn plain_http_elsewhere_is_refused_before_sending() {
        let c = Credentials::new("id".into(), "secret".into(), None).unwrap();
        let client = CamsClient::new(c, None, Some("http://cams.example.com".into())).unwrap();
        let t = scripted(vec![]);
        let e = client
            .call(
                "ChatappMigrationRegister".into(),
                register(),
                t.clone(),
                None,
            )
            .unwrap_err();
        assert!(matches!(e, CamsError::Validation { .. }), "{e:?}");
        assert!(t.sent.lock().unwrap().is_empty());
    }

    #[test]
    fn retry_policies_are_cores() {
        assert_eq!(
            camskit::RetryPolicy::from(default_retry_policy()),
            camskit::RetryPolicy::default()
        );
        assert_eq!(
            camskit::RetryPolicy::from(no_retry_policy()),
            camskit::RetryPolicy::no_retry()
        );
    }

    #[test]
    fn pages_walk_until_core_says_the_end() {
        let page = |n: usize| {
            let items = vec!["{}"; n].join(",");
            answer(
                200,
                &format!(r#"{{"Code":"OK","ListTemplate":[{items}],"Total":5}}"#),
            )
        };
        let t = scripted(vec![page(2), page(2), page(1)]);
        let mut params = register();
        params.remove("PhoneNumber");
        params.insert(
            "Page".into(),
            ParamValue::Json {
                json: r#"{"Index":1,"Size":2}"#.into(),
            },
        );
        let walk = client()
            .pages("ListChatappTemplate".into(), params, t.clone(), None)
            .unwrap();
        let mut items = 0;
        while let Some(p) = walk.next_page().unwrap() {
            items += p.items_json.unwrap().len();
        }
        assert_eq!((items, walk.pages()), (5, 3));
        assert!(walk.next_page().unwrap().is_none());
        assert_eq!(t.sent.lock().unwrap().len(), 3);
    }
}

//! Calls: core's sans-I/O [`Call`] (retries, backoff, clock skew, "outcome unknown") handed to
//! JavaScript as an object. The glue (`js/camskit.js`) only loops: it sends what the call asks
//! with `fetch`, sleeps with `setTimeout`, and feeds back what happened.

use camskit::{Call, Error, PageWalk, RequestSpec, RetryPolicy, Signer, Step};
use js_sys::Object;
use wasm_bindgen::prelude::*;

use crate::client::{WasmSigner, spec_of};
use crate::convert::{get, headers_from_js, millis, opt_bool, opt_u64, options_object, set};
use crate::errors::{bad_arg, core, error_to_js};
use crate::http::{failure_from_js, request_to_js};

/// The options of `client.call` that become the [`RequestSpec`] (the glue takes its own —
/// `fetch`, `signal`, `timeoutMs`, `maxAttempts`, `retry`, `allowInsecureHttp`, `onRetry` —
/// out first).
const CALL_SPEC_OPTIONS: [&str; 6] = [
    "raw",
    "form",
    "apiVersion",
    "method",
    "signature",
    "headers",
];

/// The fields of the `retry` option, as core's [`RetryPolicy`].
const POLICY_FIELDS: [&str; 5] = [
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "deadlineMs",
    "recoverClockSkew",
];

/// Core's [`RetryPolicy`] from the `retry` option (`false`: [`RetryPolicy::no_retry`], an
/// object of [`POLICY_FIELDS`], or nothing: the default) and the `maxAttempts` shortcut.
fn policy_from_js(retry: &JsValue, max_attempts: &JsValue) -> Result<RetryPolicy, JsValue> {
    let mut policy = if retry.as_bool() == Some(false) {
        RetryPolicy::no_retry()
    } else if retry.is_undefined() || retry.is_null() || retry.as_bool() == Some(true) {
        RetryPolicy::default()
    } else {
        let o = options_object(retry, "retry", &POLICY_FIELDS)?;
        let mut p = RetryPolicy::default();
        if let Some(n) = opt_u64(&get(&o, "maxAttempts"), "retry.maxAttempts")? {
            p.max_attempts = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = opt_u64(&get(&o, "baseDelayMs"), "retry.baseDelayMs")? {
            p.base_delay_ms = n;
        }
        if let Some(n) = opt_u64(&get(&o, "maxDelayMs"), "retry.maxDelayMs")? {
            p.max_delay_ms = n;
        }
        let deadline = get(&o, "deadlineMs");
        if deadline.is_null() {
            p.deadline_ms = None;
        } else if let Some(n) = opt_u64(&deadline, "retry.deadlineMs")? {
            p.deadline_ms = Some(n);
        }
        let skew = get(&o, "recoverClockSkew");
        if !skew.is_undefined() {
            p.recover_clock_skew = opt_bool(&skew, "retry.recoverClockSkew")?;
        }
        p
    };
    if let Some(n) = opt_u64(max_attempts, "maxAttempts")? {
        if n == 0 {
            return Err(bad_arg("maxAttempts", "must be at least 1"));
        }
        policy.max_attempts = u32::try_from(n).unwrap_or(u32::MAX);
    }
    Ok(policy)
}
#[wasm_bindgen]
impl WasmSigner {
    /// Starts one logical call (core's [`Call`]). `options`: the request's `{ raw?, form?,
    /// apiVersion?, method?, signature?, headers? }`; `policy`: `{ retry?, maxAttempts? }`
    /// (see [`policy_from_js`]); `clock_offset`: the seconds a client learnt from an earlier
    /// call; `allow_insecure_http`: the opt-in of [`Endpoint::check_credentials_transport`](camskit::Endpoint::check_credentials_transport).
    #[wasm_bindgen(js_name = startCall)]
    pub fn start_call(
        &self,
        action: JsValue,
        params: JsValue,
        options: JsValue,
        policy: JsValue,
        clock_offset: f64,
        allow_insecure_http: bool,
    ) -> Result<WasmCall, JsValue> {
        let options = options_object(&options, "call options", &CALL_SPEC_OPTIONS)?;
        let spec = spec_of(&action, &params, &options)?;
        // The glue checked `timeoutMs` (a number above 0); none: core's default.
        let timeout_ms = get(&policy, "timeoutMs")
            .as_f64()
            .map_or(0, |ms| ms.ceil() as u64);
        let policy = policy_from_js(&get(&policy, "retry"), &get(&policy, "maxAttempts"))?;
        core(
            self.signer
                .endpoint()
                .check_credentials_transport_as(allow_insecure_http, "allowInsecureHttp"),
        )?;
        let walk = PageWalk::new(spec.action.clone(), spec.params.clone());
        WasmCall::start(&self.signer, spec, policy, timeout_ms, clock_offset, walk)
    }
}

/// One logical call: core's [`Call`], plus what paging needs (the request, the answer and
/// core's [`PageWalk`] of the list so far).
#[wasm_bindgen]
pub struct WasmCall {
    pub(crate) call: Call,
    pub(crate) spec: RequestSpec,
    pub(crate) policy: RetryPolicy,
    pub(crate) timeout_ms: u64,
    pub(crate) last: Option<camskit::Response>,
    pub(crate) walk: PageWalk,
}

impl WasmCall {
    pub(crate) fn start(
        signer: &Signer,
        spec: RequestSpec,
        policy: RetryPolicy,
        timeout_ms: u64,
        clock_offset: f64,
        walk: PageWalk,
    ) -> Result<WasmCall, JsValue> {
        let offset = if clock_offset.is_finite() {
            clock_offset as i64
        } else {
            0
        };
        let call = core(Call::new(signer.clone(), &spec, policy.clone()))?
            .with_clock_offset(offset)
            .with_timeout_ms(timeout_ms);
        Ok(WasmCall {
            call,
            spec,
            policy,
            timeout_ms,
            last: None,
            walk,
        })
    }
}

#[wasm_bindgen]
impl WasmCall {
    /// What to do next at `now_ms` (JavaScript's `Date.now()`) with 16 fresh random bytes:
    /// `{ type: "send", method, url, headers, body, purpose, timeoutMs }` (core's
    /// `HttpRequest`, see `http::request_to_js`), `{ type: "wait", millis, attempt, reason }`, or `{ type:
    /// "done" }` (the answer: the body last given to `onResponse`, read with `scanAnswer`); a call
    /// that ended in an error throws its error object.
    pub fn poll(&mut self, now_ms: f64, entropy: &[u8]) -> Result<JsValue, JsValue> {
        let entropy: [u8; 16] = entropy
            .try_into()
            .map_err(|_| bad_arg("entropy", "expected 16 random bytes"))?;
        let o = Object::new();
        match self.call.poll(millis(now_ms), entropy) {
            Step::Send(signed) => {
                return Ok(request_to_js("send", &self.call.http_request(&signed)));
            }
            Step::Wait(w) => {
                set(&o, "type", "wait");
                set(&o, "millis", w.millis as f64);
                set(&o, "attempt", w.attempt);
                set(&o, "reason", w.reason);
            }
            Step::Done(Ok(r)) => {
                // The answer is the body last fed to onResponse: the glue reads it with
                // scanAnswer (core's rules, the one decoder), not a second copy built here.
                set(&o, "type", "done");
                self.last = Some(r);
            }
            Step::Done(Err(e)) => return Err(error_to_js(&e)),
        }
        Ok(o.into())
    }

    /// The answer to the request last sent: its status, headers (`[name, value]` pairs or an
    /// object) and body bytes (at most `maxResponseBytes() + 1`).
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(
        &mut self,
        now_ms: f64,
        status: u16,
        headers: JsValue,
        body: &[u8],
    ) -> Result<(), JsValue> {
        let headers = headers_from_js(&headers)?;
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.call.on_response(millis(now_ms), status, &pairs, body);
        Ok(())
    }

    /// The request last sent got no answer: `kind` is `"refused_before_send"`,
    /// `"timed_out"`, `"reset_after_send"` or `"handshake_failed"` (core's `TransportFailure`), `message` the
    /// host's words (no secret).
    #[wasm_bindgen(js_name = onTransportError)]
    pub fn on_transport_error(
        &mut self,
        now_ms: f64,
        kind: &str,
        message: &str,
    ) -> Result<(), JsValue> {
        let failure = failure_from_js(kind)?;
        self.call
            .on_transport_error(millis(now_ms), failure, message);
        Ok(())
    }

    /// The error of a call its caller stopped (an `AbortSignal`) where the machine would have
    /// tried again: the machine retries only what is safe to repeat, so the outcome is known
    /// (nothing took effect, or the operation only reads). core's [`Error::Transport`].
    pub fn stopped(&self, why: &str) -> JsValue {
        error_to_js(&Error::Transport {
            reason: format!("stopped by the caller: {}", camskit::truncate(why)),
            outcome_unknown: false,
        })
    }

    /// Server time minus the host's clock, in seconds, as the machine learnt it.
    #[wasm_bindgen(getter, js_name = clockOffsetSecs)]
    pub fn clock_offset_secs(&self) -> f64 {
        self.call.clock_offset_secs() as f64
    }
}

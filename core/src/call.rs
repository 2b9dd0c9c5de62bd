//! One logical CAMS call as a sans-I/O state machine, driven by the host the way h11,
//! quinn-proto and rustls are: the host asks [`Call::poll`] what to do next (giving the time
//! and fresh randomness), the machine answers *send this signed request*, *wait*, or *done*;
//! the host feeds back what happened ([`Call::on_response`], [`Call::on_transport_error`]).
//! Every attempt is signed afresh (new nonce, current time). No clock, no I/O, no
//! randomness of its own.
//!
//! Safety first: an operation that changes state ([`Safety::Write`]: `Send*`, `Create*`,
//! ...) is retried only when the request surely did not take effect — throttled, nonce
//! reused, a clock-skew rejection, or a connection refused before anything was sent. A 5xx,
//! a timeout or a reset after sending ends the call with an *outcome unknown* error
//! ([`ErrorKind::OutcomeUnknown`], or [`Error::Transport`] with `outcome_unknown`), never a
//! second send. Read-only operations are also retried after server errors and timeouts.
//!
//! ```
//! use camskit::{Call, Credentials, Endpoint, RequestSpec, RetryPolicy, Signer, Step};
//! let signer = Signer::new(Credentials::new("id", "secret")?, Endpoint::default());
//! let spec = RequestSpec::new("ListChatappTemplate", vec![("CustSpaceId".into(), "cs".into())]);
//! let mut call = Call::new(signer, &spec, RetryPolicy::default())?;
//! let mut now_ms = 1_752_480_000_000_u64;
//! let answer = loop {
//!     match call.poll(now_ms, [7; 16]) {
//!         Step::Send(request) => {
//!             // The host sends `request` with its HTTP client; here: throttled once, then OK.
//!             if call.attempts() == 1 {
//!                 call.on_response(now_ms, 400, &[], br#"{"Code":"Throttling.User","Message":"slow down"}"#);
//!             } else {
//!                 call.on_response(now_ms, 200, &[], br#"{"Code":"OK","ListTemplate":[]}"#);
//!             }
//!         }
//!         Step::Wait(wait) => now_ms += wait.millis, // the host sleeps
//!         Step::Done(result) => break result?,
//!     }
//! };
//! assert_eq!(call.attempts(), 2);
//! assert_eq!(answer.code, "OK");
//! # Ok::<(), camskit::Error>(())
//! ```

use crate::catalog::Safety;
use crate::error::{Error, ErrorKind};
use crate::http::{CAMS_TIMEOUT_MS, HttpRequest, TransportFailure};
use crate::request::{Request, SignedRequest};
use crate::response::{Response, parse_response_for};
use crate::signer::Signer;
use crate::spec::RequestSpec;
use crate::timestamp::Timestamp;

/// How many times and how long a [`Call`] tries. The defaults: 4 attempts, backoff from
/// 200 ms doubling up to 10 s (full jitter: a random delay between 0 and that), a total
/// deadline of 60 s, and one clock-skew recovery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: no retry).
    pub max_attempts: u32,
    /// The first backoff's ceiling, in milliseconds; it doubles with each retry.
    pub base_delay_ms: u64,
    /// The largest backoff ceiling, in milliseconds.
    pub max_delay_ms: u64,
    /// No retry starts later than this after the first attempt, in milliseconds.
    pub deadline_ms: Option<u64>,
    /// Re-sign once with the server's time after a clock-skew rejection.
    pub recover_clock_skew: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay_ms: 200,
            max_delay_ms: 10_000,
            deadline_ms: Some(60_000),
            recover_clock_skew: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retry (clock-skew recovery still on).
    pub fn no_retry() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// What the host does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Send this request (signed for this attempt), then call [`Call::on_response`] or
    /// [`Call::on_transport_error`].
    Send(SignedRequest),
    /// Sleep this long (possibly 0 ms: every retry is announced by one), then call
    /// [`Call::poll`] again.
    Wait(Wait),
    /// The call is over.
    Done(Result<Response, Error>),
}

/// A pause before the next attempt, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    /// How long, in milliseconds.
    pub millis: u64,
    /// The attempt that failed (1 is the first).
    pub attempt: u32,
    /// Why it failed and why retrying is safe, in words (for a log line).
    pub reason: String,
}

#[derive(Clone, Debug)]
enum State {
    /// Ready to sign and send (after `delay` from `since`); `announced` once the retry's
    /// [`Step::Wait`] was given (every retry gets one, even of 0 ms, so a host can log it).
    Ready {
        since: u64,
        delay: Delay,
        announced: bool,
    },
    /// A request is out; its answer is awaited.
    Sent,
    /// Over.
    Done(Result<Response, Error>),
}

#[derive(Clone, Debug)]
enum Delay {
    None,
    /// Exactly this long (the server said so).
    Exact(u64, String),
    /// A random time up to this ceiling (full jitter).
    Jitter(u64, String),
    /// Decided: until this instant.
    Until(u64, String),
}

/// One logical call: see the [module docs](self).
#[derive(Clone, Debug)]
pub struct Call {
    signer: Signer,
    request: Request,
    safety: Safety,
    policy: RetryPolicy,
    /// Server time minus the host's clock, in seconds (clock-skew recovery).
    clock_offset: i64,
    skew_recovered: bool,
    attempts: u32,
    started: Option<u64>,
    timeout_ms: u64,
    state: State,
}

impl Call {
    /// A call of what `spec` describes, signed by `signer`, retried as `policy` allows.
    ///
    /// # Errors
    /// [`RequestSpec::to_request`]'s errors (nothing is sent then).
    pub fn new(signer: Signer, spec: &RequestSpec, policy: RetryPolicy) -> Result<Self, Error> {
        Ok(Self::for_request(signer, spec.to_request()?, policy))
    }

    /// A call of an unsigned request. Its safety is the catalog's for its action
    /// ([`Safety::Write`] for an action the catalog does not know).
    pub fn for_request(signer: Signer, request: Request, policy: RetryPolicy) -> Self {
        Self {
            safety: Safety::of(request.action()),
            signer,
            request,
            policy,
            clock_offset: 0,
            skew_recovered: false,
            attempts: 0,
            started: None,
            timeout_ms: CAMS_TIMEOUT_MS,
            state: State::Ready {
                since: 0,
                delay: Delay::None,
                announced: false,
            },
        }
    }

    /// Starts with a clock offset a client kept from an earlier call (see
    /// [`clock_offset_secs`](Self::clock_offset_secs)); offsets beyond a day are ignored.
    #[must_use]
    pub fn with_clock_offset(mut self, secs: i64) -> Self {
        if secs.abs() <= MAX_OFFSET {
            self.clock_offset = secs;
        }
        self
    }

    /// Server time minus the host's clock, in seconds, as learnt from a clock-skew answer
    /// (0 until then). A client may keep it for its next calls.
    pub fn clock_offset_secs(&self) -> i64 {
        self.clock_offset
    }

    /// Waits at most `ms` milliseconds for each attempt's answer (default
    /// [`CAMS_TIMEOUT_MS`](crate::CAMS_TIMEOUT_MS)); 0 is refused and keeps the default.
    pub fn with_timeout_ms(mut self, ms: u64) -> Self {
        if ms > 0 {
            self.timeout_ms = ms;
        }
        self
    }

    /// How long the host waits for each attempt's answer, in milliseconds.
    pub fn timeout_ms(&self) -> u64 {
        self.timeout_ms
    }

    /// The attempt of a [`Step::Send`] as the one request type every fetch of core uses
    /// (purpose `cams`, this call's [`timeout_ms`](Self::timeout_ms)): a host's HTTP adapter
    /// written for [`HttpRequest`] sends both the call's attempts and the credentials chain's
    /// fetches.
    pub fn http_request(&self, signed: &SignedRequest) -> HttpRequest {
        signed.to_http_request("cams", self.timeout_ms)
    }

    /// Attempts sent so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the operation may be re-sent after an unknown outcome.
    pub fn safety(&self) -> Safety {
        self.safety
    }

    /// What to do next. `now_ms` is the host's clock (unix milliseconds); `entropy` is 16
    /// fresh random bytes (the attempt's nonce, a UUIDv4, and the backoff's jitter come
    /// from them).
    pub fn poll(&mut self, now_ms: u64, entropy: [u8; 16]) -> Step {
        match std::mem::replace(&mut self.state, State::Sent) {
            State::Done(result) => {
                self.state = State::Done(result.clone());
                Step::Done(result)
            }
            State::Sent => {
                self.state = State::Sent;
                Step::Done(Err(Error::invalid(
                    "call",
                    "poll was called while an answer is awaited: feed on_response or on_transport_error first",
                )))
            }
            State::Ready {
                since,
                delay,
                announced,
            } => {
                let until = match delay {
                    Delay::None => now_ms,
                    Delay::Until(t, _) => t,
                    Delay::Exact(ms, _) => since.saturating_add(ms),
                    Delay::Jitter(ceiling, _) => since.saturating_add(jitter(entropy, ceiling)),
                };
                let retry = !matches!(delay, Delay::None);
                if now_ms < until || (retry && !announced) {
                    let reason = match &delay {
                        Delay::Exact(_, r) | Delay::Jitter(_, r) | Delay::Until(_, r) => r.clone(),
                        Delay::None => String::new(),
                    };
                    self.state = State::Ready {
                        since,
                        delay: Delay::Until(until, reason.clone()),
                        announced: true,
                    };
                    return Step::Wait(Wait {
                        millis: until.saturating_sub(now_ms),
                        attempt: self.attempts,
                        reason,
                    });
                }
                self.send(now_ms, entropy)
            }
        }
    }

    fn send(&mut self, now_ms: u64, entropy: [u8; 16]) -> Step {
        self.started.get_or_insert(now_ms);
        let secs = i64::try_from(now_ms / 1000).unwrap_or(i64::MAX);
        let signed = Timestamp::from_unix(secs.saturating_add(self.clock_offset))
            .and_then(|t| self.signer.sign(&self.request, t, &uuid_v4(entropy)));
        match signed {
            Ok(signed) => {
                self.attempts += 1;
                self.state = State::Sent;
                Step::Send(signed)
            }
            Err(e) => self.finish(Err(e)),
        }
    }

    fn finish(&mut self, result: Result<Response, Error>) -> Step {
        self.state = State::Done(result.clone());
        Step::Done(result)
    }

    /// The answer to the request last sent: its HTTP status, headers (name, value; any case)
    /// and body. Then call [`poll`](Self::poll).
    pub fn on_response(&mut self, now_ms: u64, status: u16, headers: &[(&str, &str)], body: &[u8]) {
        if !matches!(self.state, State::Sent) {
            return;
        }
        let result =
            parse_response_for(self.request.action(), status, headers.iter().copied(), body);
        let err = match result {
            Ok(r) => {
                self.state = State::Done(Ok(r));
                return;
            }
            Err(e) => e,
        };
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        let kind = err.as_api().map(|a| a.kind);
        match kind {
            Some(ErrorKind::ClockSkew) => {
                let server = header("date").and_then(Timestamp::parse_http_date);
                let offset = server.map(|t| t.unix() - (now_ms / 1000) as i64);
                match offset {
                    Some(o)
                        if self.policy.recover_clock_skew
                            && !self.skew_recovered
                            && o.abs() <= MAX_OFFSET =>
                    {
                        self.clock_offset = o;
                        self.skew_recovered = true;
                        // One re-sign with the corrected time, whatever the attempt limit.
                        self.state = State::Ready {
                            since: now_ms,
                            delay: Delay::None,
                            announced: false,
                        };
                    }
                    _ => self.state = State::Done(Err(err)),
                }
            }
            Some(ErrorKind::Throttling) | Some(ErrorKind::NonceReused) => {
                let why = format!(
                    "{} (the gateway refused it: nothing took effect)",
                    describe(&err)
                );
                let exact = retry_after(header("x-acs-retry-after"), header("retry-after"), now_ms);
                self.retry(now_ms, err, why, exact);
            }
            Some(ErrorKind::Server) => {
                // Only read-only operations keep this kind (writes get OutcomeUnknown).
                let why = format!("{} (a read-only operation: safe to repeat)", describe(&err));
                self.retry(now_ms, err, why, None);
            }
            Some(_) => self.state = State::Done(Err(err)),
            None if (500..600).contains(&status) || (200..300).contains(&status) => {
                // Not CAMS JSON with a 5xx (a proxy's page), or a success status with a body
                // that is not JSON or is cut off: did it take effect? Unknown.
                if self.safety == Safety::ReadOnly {
                    let why = format!(
                        "HTTP {status} without a CAMS answer (a read-only operation: safe to repeat)"
                    );
                    self.retry(now_ms, err, why, None);
                } else {
                    self.state = State::Done(Err(Error::Transport {
                        reason: format!("HTTP {status} without a CAMS answer ({err})"),
                        outcome_unknown: true,
                    }));
                }
            }
            None => self.state = State::Done(Err(err)),
        }
    }

    /// The request last sent got no answer: `failure` says how, `message` in the host's
    /// words (shown in the error). Then call [`poll`](Self::poll).
    pub fn on_transport_error(&mut self, now_ms: u64, failure: TransportFailure, message: &str) {
        if !matches!(self.state, State::Sent) {
            return;
        }
        let reason = format!(
            "{} ({})",
            failure.as_str().replace('_', " "),
            crate::error::truncate(message)
        );
        if failure == TransportFailure::HandshakeFailed {
            // Nothing was sent, and the same certificate or TLS version fails again.
            self.state = State::Done(Err(Error::Transport {
                reason: format!(
                    "{reason}: nothing was sent; not retried, a TLS failure does not heal"
                ),
                outcome_unknown: false,
            }));
            return;
        }
        let safe = failure.nothing_sent() || self.safety == Safety::ReadOnly;
        if !safe {
            self.state = State::Done(Err(Error::Transport {
                reason,
                outcome_unknown: true,
            }));
            return;
        }
        let why = if failure.nothing_sent() {
            format!("{reason}: nothing was sent")
        } else {
            format!("{reason}: a read-only operation, safe to repeat")
        };
        let err = Error::Transport {
            reason,
            outcome_unknown: false,
        };
        self.retry(now_ms, err, why, None);
    }

    /// The caller stops the call (an abort signal, a cancelled task). Between attempts — a
    /// retry scheduled, nothing out — the outcome is known: the machine only schedules what is
    /// safe to repeat, so the previous attempt took no effect or the operation only reads.
    /// While a request is out, it may take effect: for a write that is an unknown outcome.
    /// The call is over afterwards ([`poll`](Self::poll) answers `Done` with this error).
    pub fn cancel(&mut self, why: &str) -> Error {
        let out = matches!(self.state, State::Sent);
        let err = match &self.state {
            State::Done(Err(e)) => e.clone(),
            _ => Error::Transport {
                reason: format!("stopped by the caller: {}", crate::error::truncate(why)),
                outcome_unknown: out && self.safety == Safety::Write,
            },
        };
        if !matches!(self.state, State::Done(_)) {
            self.state = State::Done(Err(err.clone()));
        }
        err
    }

    /// Schedules another attempt after `err`, or ends the call with it when the attempts or
    /// the deadline are used up.
    fn retry(&mut self, now_ms: u64, err: Error, why: String, exact: Option<u64>) {
        if self.attempts >= self.policy.max_attempts.max(1) {
            self.state = State::Done(Err(err));
            return;
        }
        let ceiling = self
            .policy
            .base_delay_ms
            .saturating_mul(1u64 << (self.attempts.saturating_sub(1)).min(32))
            .min(self.policy.max_delay_ms);
        let longest = exact.unwrap_or(ceiling);
        if let (Some(deadline), Some(started)) = (self.policy.deadline_ms, self.started) {
            if now_ms.saturating_add(longest) > started.saturating_add(deadline) {
                self.state = State::Done(Err(err));
                return;
            }
        }
        let delay = match exact {
            Some(ms) => Delay::Exact(ms, why),
            None => Delay::Jitter(ceiling, why),
        };
        self.state = State::Ready {
            since: now_ms,
            delay,
            announced: false,
        };
    }
}

/// The largest clock offset believed, in seconds: a `Date` further off is ignored.
const MAX_OFFSET: i64 = 86_400;

fn describe(err: &Error) -> String {
    match err.as_api() {
        Some(api) => format!("{} {} (HTTP {})", api.kind, api.code, api.status),
        None => err.to_string(),
    }
}

/// The server's requested pause: `x-acs-retry-after` (milliseconds) wins over `Retry-After`
/// (seconds or an HTTP date). At most a minute is believed.
fn retry_after(acs: Option<&str>, standard: Option<&str>, now_ms: u64) -> Option<u64> {
    const MAX: u64 = 60_000;
    if let Some(ms) = acs.and_then(|v| v.trim().parse::<u64>().ok()) {
        return Some(ms.min(MAX));
    }
    let v = standard?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs.saturating_mul(1000).min(MAX));
    }
    let at = Timestamp::parse_http_date(v)?;
    let at_ms = u64::try_from(at.unix()).ok()?.saturating_mul(1000);
    Some(at_ms.saturating_sub(now_ms).min(MAX))
}

/// A delay in `[0, ceiling]` from the entropy (full jitter).
fn jitter(entropy: [u8; 16], ceiling: u64) -> u64 {
    if ceiling == 0 {
        return 0;
    }
    // SplitMix64 over both halves: the nonce shows the bytes, the delay need not be secret.
    let mut x = u64::from_le_bytes(entropy[..8].try_into().unwrap_or_default())
        ^ u64::from_le_bytes(entropy[8..].try_into().unwrap_or_default()).rotate_left(17);
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    x % (ceiling + 1)
}

/// A UUIDv4 text from 16 random bytes.
fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    out
}

#[cfg(test)]
mod tests;

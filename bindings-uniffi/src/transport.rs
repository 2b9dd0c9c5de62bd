//! The app's I/O as uniffi foreign traits: [`HttpTransport`] sends core's one request type
//! ([`HttpRequest`], with the timeout core chose) and says how a failure happened
//! ([`TransportError`], core's `TransportFailure` names); [`CamsLogger`] takes retries and
//! warnings; and the host's clock. Below the client, the call and the credentials chain, which
//! all use them.

use camskit::TransportFailure;

use crate::NameValue;

/// One HTTP request for the app's transport to send, exactly as given.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// `GET`, `POST` or `PUT`.
    pub method: String,
    /// The full URL (under STS with signature 1.0 it holds the security token: do not log it).
    pub url: String,
    /// The headers to set (the client derives `Host` from the URL).
    pub headers: Vec<NameValue>,
    /// The body, if any (its `content-type` is among `headers`).
    pub body: Option<String>,
    /// What it is for: `cams` (a CAMS call), the credentials chain's purpose
    /// (`sts:AssumeRole`, `sts:AssumeRoleWithOIDC`, `ecs:token`, `ecs:role-name`,
    /// `ecs:credentials`, `credentials-uri`), or the receipts consumer's
    /// (`dybaseapi:QueryTokenForMnsQueue`, `mns:BatchReceiveMessage`, `mns:BatchDeleteMessage`,
    /// `mns:ChangeMessageVisibility`).
    pub purpose: String,
    /// Read at most this many bytes of the answer's body (one more than camskit accepts, so
    /// that an oversized answer is reported as such).
    pub max_body_bytes: u64,
    /// How long to wait for the whole answer (connect, send, read), in milliseconds, chosen by
    /// core per purpose (`camskit::HttpRequest::timeout_ms`: 1 s for the ECS metadata
    /// service, an MNS long poll's wait plus a margin, 10 s for the rest); past it, throw
    /// `TransportException.TimedOut`.
    #[uniffi(default = 10000)]
    pub timeout_ms: u64,
}

impl From<camskit::HttpRequest> for HttpRequest {
    /// Core's request (a call's attempt, a credentials fetch) as the app's transport takes it.
    fn from(r: camskit::HttpRequest) -> Self {
        HttpRequest {
            method: r.method,
            url: r.url,
            headers: r
                .headers
                .into_iter()
                .map(|(name, value)| NameValue { name, value })
                .collect(),
            body: r.body,
            purpose: r.purpose,
            max_body_bytes: camskit::MAX_RESPONSE_BYTES as u64 + 1,
            timeout_ms: r.timeout_ms,
        }
    }
}

/// The answer the transport got: any status (a 3xx included: never follow a redirect).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: i32,
    /// The answer's headers (any case; repeated names as separate entries).
    pub headers: Vec<NameValue>,
    /// The body, at most `HttpRequest.maxBodyBytes` of it.
    pub body: Vec<u8>,
}

/// How a request failed without an answer (Kotlin `TransportException.RefusedBeforeSend`,
/// ...). Be honest: only what surely never left the app is `RefusedBeforeSend` (camskit
/// re-sends it); when in doubt, say `ResetAfterSend`. Any other exception thrown by the
/// transport counts as `ResetAfterSend`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// Nothing was sent: the name did not resolve, the connection was refused or timed out
    /// while connecting, TLS failed before the request was written.
    #[error("refused before send: {reason}")]
    RefusedBeforeSend {
        /// What happened (shown in the error; no secret).
        reason: String,
    },
    /// The request was (or may have been) sent and no answer came in time.
    #[error("timed out: {reason}")]
    TimedOut {
        /// What happened.
        reason: String,
    },
    /// The connection broke after the request was (or may have been) sent.
    #[error("reset after send: {reason}")]
    ResetAfterSend {
        /// What happened.
        reason: String,
    },
    /// The TLS handshake failed (the certificate did not verify, no common TLS version or
    /// cipher): nothing was sent, and sending again meets the same wall, so camskit does not.
    #[error("TLS handshake failed: {reason}")]
    HandshakeFailed {
        /// What happened.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportError::ResetAfterSend {
            // The foreign side's text may carry a stack trace: its first line says what.
            reason: format!(
                "the transport failed: {}",
                e.reason.lines().next().unwrap_or_default()
            ),
        }
    }
}

impl TransportError {
    pub(crate) fn core(&self) -> (TransportFailure, &str) {
        match self {
            TransportError::RefusedBeforeSend { reason } => {
                (TransportFailure::RefusedBeforeSend, reason)
            }
            TransportError::TimedOut { reason } => (TransportFailure::TimedOut, reason),
            TransportError::ResetAfterSend { reason } => (TransportFailure::ResetAfterSend, reason),
            TransportError::HandshakeFailed { reason } => {
                (TransportFailure::HandshakeFailed, reason)
            }
        }
    }
}

/// The app's HTTP client, as camskit needs it (Kotlin: implement the interface, or use
/// `JavaNetTransport` on the JVM; Swift: adopt the protocol).
///
/// `send` blocks until the answer is read. It must **never follow a redirect** (return the
/// 3xx: camskit reports where it pointed), must read at most `request.maxBodyBytes` of the
/// body, and must set exactly `request.headers`. A failure without an answer is a
/// [`TransportError`] saying whether the request could have been sent.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends `request` and returns the answer (any status), or how it failed.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Where a client's log lines go (Kotlin: implement it, or use `JavaLoggingLogger`; Swift:
/// adopt the protocol). Without one, they go to standard error.
#[uniffi::export(with_foreign)]
pub trait CamsLogger: Send + Sync {
    /// Attempt `attempt` of a call failed for `reason`; the next starts in `delay_ms`.
    fn retry(&self, attempt: u32, reason: String, delay_ms: u64);
    /// Something the app should know that did not stop the call (a failed credentials
    /// refresh while the cached key is still valid). Never holds a secret.
    fn warning(&self, message: String);
}

/// The host's clock in unix milliseconds.
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

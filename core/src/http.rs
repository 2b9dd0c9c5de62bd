//! What a host sends for core and how it says that no answer came: the one request type of
//! every fetch core asks for (a CAMS attempt of a `Call`, an STS, OIDC, ECS metadata or
//! credentials-URI fetch of a credentials `Plan`), so a host
//! writes one adapter to its HTTP client.

use std::fmt;

/// How long a host waits for a CAMS, STS, OIDC or credentials-URI answer (the official
/// clients' 10 s read timeout).
pub const CAMS_TIMEOUT_MS: u64 = 10_000;
/// How long a host waits for the ECS metadata service (the official credentials client's 1 s:
/// off an ECS instance the address answers nothing, and the chain must move on).
pub const ECS_TIMEOUT_MS: u64 = 1_000;

/// How an attempt failed without an answer, as the host's HTTP client reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransportFailure {
    /// Nothing was sent: the connection was refused, the name did not resolve, TLS failed
    /// before the request was written. Always safe to retry.
    RefusedBeforeSend,
    /// The request was (or may have been) sent and no answer came in time.
    TimedOut,
    /// The connection broke after the request was sent (reset, closed without an answer).
    ResetAfterSend,
    /// The TLS handshake failed (the certificate did not verify, no common TLS version or
    /// cipher): nothing was sent, and sending again meets the same wall, so it is not retried.
    HandshakeFailed,
}

impl TransportFailure {
    /// Every failure, in order.
    pub const ALL: [TransportFailure; 4] = [
        TransportFailure::RefusedBeforeSend,
        TransportFailure::TimedOut,
        TransportFailure::ResetAfterSend,
        TransportFailure::HandshakeFailed,
    ];

    /// `"refused_before_send"`, `"timed_out"` or `"reset_after_send"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportFailure::RefusedBeforeSend => "refused_before_send",
            TransportFailure::TimedOut => "timed_out",
            TransportFailure::ResetAfterSend => "reset_after_send",
            TransportFailure::HandshakeFailed => "handshake_failed",
        }
    }

    /// Whether the request surely never reached the server (the outcome is known: nothing
    /// happened).
    pub fn nothing_sent(self) -> bool {
        matches!(
            self,
            TransportFailure::RefusedBeforeSend | TransportFailure::HandshakeFailed
        )
    }

    /// The failure named by [`as_str`](Self::as_str).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// One HTTP request the host sends for the chain: plain text values every binding can
/// translate. `Debug` hides the security token, the OIDC token, the signature and the
/// metadata token.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET` or `PUT`.
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Headers to send (the client derives `Host` from the URL).
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<String>,
    /// What it is for: `cams` (an attempt of a [`Call`](crate::Call)), `sts:AssumeRole`,
    /// `sts:AssumeRoleWithOIDC`, `ecs:token`, `ecs:role-name`, `ecs:credentials`,
    /// `credentials-uri`.
    pub purpose: String,
    /// How long the host waits for the whole answer (connect, send, read), in milliseconds;
    /// past it, it reports [`TransportFailure::TimedOut`]. Core chooses it per purpose:
    /// [`ECS_TIMEOUT_MS`] for the metadata service, [`CAMS_TIMEOUT_MS`] for the rest.
    pub timeout_ms: u64,
}

impl HttpRequest {
    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query parameters of the URL, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let Some((_, q)) = self.url.split_once('?') else {
            return Vec::new();
        };
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

const HIDDEN_PARAMS: [&str; 3] = ["SecurityToken", "OIDCToken", "Signature"];

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = match self.url.split_once('?') {
            None => self.url.clone(),
            Some((base, q)) => {
                let shown: Vec<String> = q
                    .split('&')
                    .map(|p| match p.split_once('=') {
                        Some((k, _)) if HIDDEN_PARAMS.contains(&k) => format!("{k}=<redacted>"),
                        Some((k, v)) if k.contains("token") || k.contains("Token") => {
                            let _ = v;
                            format!("{k}=<redacted>")
                        }
                        _ => p.to_owned(),
                    })
                    .collect();
                format!("{base}?{}", shown.join("&"))
            }
        };
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if secret_header(n) {
                    (n.as_str(), "<redacted>")
                } else {
                    (n.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|_| "<body>"))
            .field("purpose", &self.purpose)
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Headers whose values are never shown: tokens and signatures.
fn secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("token") || n == "authorization"
}

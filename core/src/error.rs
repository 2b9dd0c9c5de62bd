//! The one error type of camskit, and the model of a CAMS error answer.

use std::fmt;

/// Everything that can go wrong in camskit.
///
/// Bindings map the [`category`](Error::category) to their host's idiom (Python exception
/// classes, JS `Error` subclasses, Kotlin exceptions). No variant ever holds a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input is malformed (an empty action, a bad timestamp, a parameter name with `=`, a
    /// value that is too large, ...). Nothing was signed.
    #[error("invalid {what}: {problem}")]
    InvalidInput {
        /// What the bad input is (`"action"`, `"timestamp"`, `"parameter \"PhoneNumber\""`).
        what: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A parameter the operation requires is missing or empty.
    #[error("{action}: missing required parameter {parameter}")]
    MissingParameter {
        /// The operation.
        action: String,
        /// The parameter's API name.
        parameter: String,
    },
    /// The action is not a CAMS operation.
    #[error("unknown CAMS operation {action:?}{}", did_you_mean(suggestions))]
    UnknownAction {
        /// What was asked for.
        action: String,
        /// The closest operation names.
        suggestions: Vec<String>,
    },
    /// The operation has no such parameter.
    #[error(
        "{action}: unknown parameter {parameter:?}{}",
        did_you_mean(suggestions)
    )]
    UnknownParameter {
        /// The operation.
        action: String,
        /// The parameter given.
        parameter: String,
        /// The closest valid parameter names.
        suggestions: Vec<String>,
    },
    /// A parameter's value has the wrong type.
    #[error("{action}: parameter {parameter} expects {expected}, got {given}")]
    WrongType {
        /// The operation.
        action: String,
        /// The parameter's API name (with its path, such as `Components[0].Type`).
        parameter: String,
        /// The type the catalog declares.
        expected: String,
        /// What was given.
        given: String,
    },
    /// The credentials are unusable (empty key id, control characters, ...).
    #[error("credentials: {problem}")]
    Credentials {
        /// What is wrong (never the secret itself).
        problem: String,
    },
    /// CAMS (or its gateway) answered with an error.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The answer could not be understood (not JSON, truncated, HTML from a proxy, ...).
    #[error(transparent)]
    Parse(ParseError),
    /// The request got no answer: the connection was refused, timed out or was reset (what
    /// a host's HTTP client reported to a [`Call`](crate::Call)).
    #[error("{}", transport_message(reason, *outcome_unknown))]
    Transport {
        /// What happened, in the host's words.
        reason: String,
        /// The request may have taken effect (it was sent, and the operation changes state):
        /// check before sending it again.
        outcome_unknown: bool,
    },
}

fn transport_message(reason: &str, outcome_unknown: bool) -> String {
    if outcome_unknown {
        format!(
            "outcome unknown: {reason}; the request was sent and may have taken effect, so it was not sent again (check before retrying)"
        )
    } else {
        format!("no answer: {reason}")
    }
}

/// The broad class of an [`Error`], what bindings map to exception types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Bad input caught before anything was signed.
    Validation,
    /// Unusable credentials.
    Credentials,
    /// An error answer from CAMS.
    Api,
    /// An answer that could not be parsed.
    Parse,
    /// No answer (refused, timed out, reset).
    Transport,
}

impl Category {
    /// `"validation"`, `"credentials"`, `"api"`, `"parse"` or `"transport"`, the same in every
    /// host.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Validation => "validation",
            Category::Credentials => "credentials",
            Category::Api => "api",
            Category::Parse => "parse",
            Category::Transport => "transport",
        }
    }
}

impl Error {
    /// The broad class of this error.
    pub fn category(&self) -> Category {
        match self {
            Error::InvalidInput { .. }
            | Error::MissingParameter { .. }
            | Error::UnknownAction { .. }
            | Error::UnknownParameter { .. }
            | Error::WrongType { .. } => Category::Validation,
            Error::Credentials { .. } => Category::Credentials,
            Error::Api(_) => Category::Api,
            Error::Parse(_) => Category::Parse,
            Error::Transport { .. } => Category::Transport,
        }
    }

    /// A stable, `snake_case` code for the variant, the same in every host:
    /// `invalid_input`, `missing_parameter`, `unknown_action`, `unknown_parameter`,
    /// `wrong_type`, `credentials`, `api`, `parse`, `transport`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::MissingParameter { .. } => "missing_parameter",
            Error::UnknownAction { .. } => "unknown_action",
            Error::UnknownParameter { .. } => "unknown_parameter",
            Error::WrongType { .. } => "wrong_type",
            Error::Credentials { .. } => "credentials",
            Error::Api(_) => "api",
            Error::Parse(_) => "parse",
            Error::Transport { .. } => "transport",
        }
    }

    /// The API error, when this is one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn invalid(what: impl Into<String>, problem: impl Into<String>) -> Self {
        Error::InvalidInput {
            what: what.into(),
            problem: problem.into(),
        }
    }

    pub(crate) fn credentials(problem: impl Into<String>) -> Self {
        Error::Credentials {
            problem: problem.into(),
        }
    }
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Self {
        Error::Parse(e)
    }
}

/// What kind of failure a CAMS error is, so a program can react without knowing every code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Flow control (`System.LimitControl`, `Throttling*`, HTTP 429). Retry after a backoff.
    Throttling,
    /// Invalid, disabled or unknown access key, or a bad STS token.
    Authentication,
    /// The server computed another signature (`SignatureDoesNotMatch`, `IncompleteSignature`).
    SignatureMismatch,
    /// The timestamp is too far from the server's clock (`InvalidTimeStamp.*`).
    ClockSkew,
    /// The signature nonce was used already (`SignatureNonceUsed`). Re-sign with a new nonce.
    NonceReused,
    /// The caller may not do this (`Ram.PermissionDeny`, `Forbidden*`, `NoPermission`).
    Permission,
    /// The account has not subscribed to CAMS (`Product.Unsubscript`).
    NotSubscribed,
    /// A request parameter is wrong or missing (`InvalidParameter*`, `MissingParameter*`).
    InvalidParameter,
    /// The resource does not exist or belongs to someone else (`Unknown.ResourceOwnerId`,
    /// `*.NotFound`, HTTP 404).
    NotFound,
    /// A server-side failure (HTTP 5xx, `InternalError`, `ServiceUnavailable`). Retry later.
    Server,
    /// Anything else (a business error of the operation).
    Other,
    /// A server error (HTTP 5xx) answered an operation that changes state: the request may
    /// have taken effect (a message may have been sent), so it is not re-sent; check before
    /// sending it again. Set by [`parse_response_for`](crate::parse_response_for) and the
    /// [`Call`](crate::Call) machine, which know the operation.
    OutcomeUnknown,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::Throttling,
        ErrorKind::Authentication,
        ErrorKind::SignatureMismatch,
        ErrorKind::ClockSkew,
        ErrorKind::NonceReused,
        ErrorKind::Permission,
        ErrorKind::NotSubscribed,
        ErrorKind::InvalidParameter,
        ErrorKind::NotFound,
        ErrorKind::Server,
        ErrorKind::Other,
        ErrorKind::OutcomeUnknown,
    ];

    /// Classifies a CAMS answer by its `Code` and, when the code says nothing, its HTTP status.
    ///
    /// ```
    /// use camskit::ErrorKind;
    /// assert_eq!(ErrorKind::classify(400, "System.LimitControl"), ErrorKind::Throttling);
    /// assert_eq!(ErrorKind::classify(404, "InvalidAccessKeyId.NotFound"), ErrorKind::Authentication);
    /// assert_eq!(ErrorKind::classify(503, ""), ErrorKind::Server);
    /// ```
    pub fn classify(status: u16, code: &str) -> ErrorKind {
        use ErrorKind::*;
        let starts = |p: &str| code.starts_with(p);
        let by_code = match code {
            "System.LimitControl" | "ServiceUnavailable.Throttling" => Some(Throttling),
            _ if starts("Throttling") || code.ends_with(".Throttling") => Some(Throttling),
            "SignatureDoesNotMatch"
            | "IncompleteSignature"
            | "InvalidSignatureMethod"
            | "UnsupportedSignatureVersion"
            | "InvalidAuthorization" => Some(SignatureMismatch),
            "SignatureNonceUsed" => Some(NonceReused),
            "Forbidden.AccessKeyDisabled" | "InvalidAccessKeySecret" | "MissingSecurityToken" => {
                Some(Authentication)
            }
            _ if starts("InvalidAccessKeyId") || starts("InvalidSecurityToken") => {
                Some(Authentication)
            }
            _ if starts("InvalidTimeStamp") || starts("InvalidTimestamp") => Some(ClockSkew),
            "Ram.PermissionDeny" | "NoPermission" | "Forbidden" => Some(Permission),
            _ if starts("Forbidden.") || starts("Ram.") || starts("NoPermission.") => {
                Some(Permission)
            }
            "Product.Unsubscript" | "Product.NotSubscribed" | "Product.NotSubscript" => {
                Some(NotSubscribed)
            }
            "Unknown.ResourceOwnerId" => Some(NotFound),
            _ if starts("InvalidParameter") || starts("MissingParameter") => Some(InvalidParameter),
            "InvalidAction" | "InvalidVersion" | "MissingAction" | "MissingVersion" => {
                Some(InvalidParameter)
            }
            _ if starts("InvalidAction.") || starts("InvalidVersion.") => Some(InvalidParameter),
            "InternalError" | "ServiceUnavailable" | "UnknownError" | "ServiceTimeout"
            | "System.Error" | "SystemError" => Some(Server),
            _ if starts("InternalError.") || starts("ServiceUnavailable.") => Some(Server),
            _ if code.ends_with(".NotFound") || code.ends_with(".NotExist") => Some(NotFound),
            _ => None,
        };
        by_code.unwrap_or(match status {
            429 => Throttling,
            403 => Permission,
            404 => NotFound,
            500..=599 => Server,
            _ => Other,
        })
    }

    /// Whether the same call may succeed if it is signed again (fresh time and nonce) and
    /// re-sent, after a backoff: throttling, nonce reuse and server errors. A server error on
    /// an operation that changes state is [`OutcomeUnknown`](ErrorKind::OutcomeUnknown)
    /// instead (when the operation is known), which is not retryable.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::Throttling | ErrorKind::NonceReused | ErrorKind::Server
        )
    }

    /// The kind as a `snake_case` word (`"signature_mismatch"`), the same in every host.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Throttling => "throttling",
            ErrorKind::Authentication => "authentication",
            ErrorKind::SignatureMismatch => "signature_mismatch",
            ErrorKind::ClockSkew => "clock_skew",
            ErrorKind::NonceReused => "nonce_reused",
            ErrorKind::Permission => "permission",
            ErrorKind::NotSubscribed => "not_subscribed",
            ErrorKind::InvalidParameter => "invalid_parameter",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Server => "server",
            ErrorKind::Other => "other",
            ErrorKind::OutcomeUnknown => "outcome_unknown",
        }
    }

    /// The kind named by [`as_str`](ErrorKind::as_str).
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer from CAMS or its API gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// Alibaba's error code (`Ram.PermissionDeny`, `SignatureDoesNotMatch`, ...); empty when
    /// the body had none.
    pub code: String,
    /// The error message.
    pub message: String,
    /// `RequestId`, to quote to Alibaba support.
    pub request_id: Option<String>,
    /// `HostId` (gateway errors).
    pub host_id: Option<String>,
    /// `Recommend`: a troubleshooting link (gateway errors).
    pub recommend: Option<String>,
    /// `AccessDeniedDetail` (a JSON text when CAMS sent an object).
    pub access_denied_detail: Option<String>,
    /// The kind, from the code and status.
    pub kind: ErrorKind,
    /// For `SignatureDoesNotMatch`: the string the server signed (after
    /// `server string to sign is:`), to compare with [`SignedRequest::string_to_sign`](crate::SignedRequest::string_to_sign).
    pub server_string_to_sign: Option<String>,
    /// The whole body as parsed.
    pub body: serde_json::Value,
}

impl ApiError {
    /// See [`ErrorKind::retryable`].
    pub fn retryable(&self) -> bool {
        self.kind.retryable()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = if self.code.is_empty() {
            "(no code)"
        } else {
            &self.code
        };
        write!(
            f,
            "CAMS error {code} (HTTP {}, {}): {}",
            self.status, self.kind, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// An answer that is not a CAMS JSON body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot parse the CAMS answer (HTTP {status}): {reason}; the body starts with \"{snippet}\""
)]
pub struct ParseError {
    /// The HTTP status of the answer.
    pub status: u16,
    /// What is wrong (`"empty body"`, `"the body is HTML, not JSON"`, ...).
    pub reason: String,
    /// The first bytes of the body (at most 120, lossily decoded).
    pub snippet: String,
}

/// The start of a long input, for error messages: at most 64 bytes, cut between words where
/// it can, then an ellipsis and the whole length.
pub fn truncate(s: &str) -> String {
    truncate_to(s, 64)
}

/// [`truncate`] to at most `max` bytes of `s` (then `… (N bytes)`).
pub fn truncate_to(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    // Cut between words, not inside one ("larger than requ…"), when a space is near the end.
    if let Some(space) = s[..end].rfind(' ').filter(|&i| i >= max / 2) {
        end = space;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

#[cfg(test)]
mod tests {

    #[test]
    fn truncate_says_how_long_and_cuts_between_words() {
        let long = "é".repeat(100);
        let t = truncate(&long);
        assert!(t.len() < 90, "{t}");
        assert!(t.ends_with("(200 bytes)"), "{t}");
        let words =
            "the answer is larger than requested by the caller of this endpoint, 8388608 bytes";
        let t = truncate(words);
        assert!(
            t.starts_with("the answer is larger than requested by the caller of this…"),
            "{t}"
        );
        assert!(t.ends_with(&format!("({} bytes)", words.len())), "{t}");
    }
    use super::*;

    #[test]
    fn seed_page_errors() {
        assert_eq!(
            ErrorKind::classify(400, "Product.Unsubscript"),
            ErrorKind::NotSubscribed
        );
        assert_eq!(
            ErrorKind::classify(400, "Ram.PermissionDeny"),
            ErrorKind::Permission
        );
        assert_eq!(
            ErrorKind::classify(400, "System.LimitControl"),
            ErrorKind::Throttling
        );
        assert_eq!(
            ErrorKind::classify(400, "Unknown.ResourceOwnerId"),
            ErrorKind::NotFound
        );
    }

    #[test]
    fn status_fallback_and_retry() {
        assert_eq!(ErrorKind::classify(429, "Whatever"), ErrorKind::Throttling);
        assert_eq!(ErrorKind::classify(502, ""), ErrorKind::Server);
        assert_eq!(ErrorKind::classify(200, "Biz.Fail"), ErrorKind::Other);
        assert!(ErrorKind::Throttling.retryable());
        assert!(!ErrorKind::SignatureMismatch.retryable());
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_name(k.as_str()), Some(k));
        }
    }
}

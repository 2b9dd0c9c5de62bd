//! Errors: core's [`camskit::Error`] as one [`CamsError`] (Kotlin `CamsException`, Swift
//! `CamsError`), core's [`camskit::ErrorKind`] as [`ErrorKind`], and [`guard`], which keeps a
//! panic from unwinding into the app.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Everything that can go wrong. Kotlin: `CamsException.Api`, `.Validation`, ...; Swift: `throws CamsError`.
///
/// The message field is named `errorMessage` (not `message`, which Kotlin's `Throwable` owns);
/// `toString()` / `description` give core's sentence, the same text in every camskit host.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum CamsError {
    /// CAMS (or its gateway) answered with an error.
    #[error("{description}")]
    Api {
        /// The HTTP status.
        status: i32,
        /// Alibaba's error code (`Ram.PermissionDeny`, `SignatureDoesNotMatch`, ...); empty when the body had none.
        code: String,
        /// The error message CAMS sent.
        error_message: String,
        /// `RequestId`, to quote to Alibaba support.
        request_id: Option<String>,
        /// `HostId` (gateway errors).
        host_id: Option<String>,
        /// `Recommend`: a troubleshooting link (gateway errors).
        recommend: Option<String>,
        /// `AccessDeniedDetail` (JSON text when CAMS sent an object).
        access_denied_detail: Option<String>,
        /// What kind of failure this is.
        kind: ErrorKind,
        /// Whether signing again (fresh time and nonce) and re-sending after a backoff may succeed.
        retryable: bool,
        /// For `SignatureDoesNotMatch`: the string the server signed, to compare with `SignedRequest.stringToSign`.
        server_string_to_sign: Option<String>,
        /// Core's sentence for this error (what `toString()` / `description` show).
        description: String,
    },
    /// Bad input caught before anything was signed (unknown action or parameter, missing
    /// required parameter, wrong type, malformed value, region and endpoint that disagree, ...).
    #[error("{error_message}")]
    Validation {
        /// Core's stable `snake_case` code: `invalid_input`, `missing_parameter`,
        /// `unknown_action`, `unknown_parameter` or `wrong_type` (the same in every host).
        code: String,
        /// What is wrong, naming the operation and the parameter.
        error_message: String,
        /// The operation, when the error is about one.
        action: Option<String>,
        /// The parameter's API name, when the error is about one.
        parameter: Option<String>,
        /// The closest valid names (`unknown_action`, `unknown_parameter`); empty otherwise.
        suggestions: Vec<String>,
    },
    /// The answer could not be understood (not JSON, truncated, HTML from a proxy, a redirect, ...).
    #[error(
        "cannot parse the CAMS answer (HTTP {status}): {reason}; the body starts with \"{snippet}\""
    )]
    Parse {
        /// The HTTP status of the answer.
        status: i32,
        /// What is wrong (`empty body`, `the body is HTML, not JSON`, ...).
        reason: String,
        /// The first bytes of the body (at most 120, lossily decoded).
        snippet: String,
    },
    /// The credentials are unusable (empty key id, control characters, only half of them in
    /// the environment, ...). Never holds the secret.
    #[error("{error_message}")]
    Credentials {
        /// What is wrong.
        error_message: String,
    },
    /// No answer came (`CamsClient.call`): refused, timed out, reset, or a server error page
    /// without a CAMS answer. `outcomeUnknown`: the request was (or may have been) sent and
    /// the operation changes state, so it may have taken effect: check before sending it
    /// again (camskit did not re-send it).
    #[error("{}", camskit::Error::Transport { reason: reason.clone(), outcome_unknown: *outcome_unknown })]
    Transport {
        /// What happened, in the transport's words.
        reason: String,
        /// Whether the request may have taken effect.
        outcome_unknown: bool,
    },
    /// A bug in camskit (a panic caught at the boundary). Please report it.
    #[error("camskit internal error: {error_message}")]
    Internal {
        /// What happened.
        error_message: String,
    },
}

impl CamsError {
    fn validation(
        e: &camskit::Error,
        action: Option<String>,
        parameter: Option<String>,
        suggestions: Vec<String>,
    ) -> Self {
        CamsError::Validation {
            code: e.code().to_owned(),
            error_message: e.to_string(),
            action,
            parameter,
            suggestions,
        }
    }
}

impl From<camskit::Error> for CamsError {
    fn from(e: camskit::Error) -> Self {
        use camskit::{Category, Error as E};
        match &e {
            E::Api(api) => CamsError::Api {
                status: i32::from(api.status),
                retryable: api.retryable(),
                kind: api.kind.into(),
                code: api.code.clone(),
                error_message: api.message.clone(),
                request_id: api.request_id.clone(),
                host_id: api.host_id.clone(),
                recommend: api.recommend.clone(),
                access_denied_detail: api.access_denied_detail.clone(),
                server_string_to_sign: api.server_string_to_sign.clone(),
                description: e.to_string(),
            },
            E::Parse(p) => CamsError::Parse {
                status: i32::from(p.status),
                reason: p.reason.clone(),
                snippet: p.snippet.clone(),
            },
            E::Transport {
                reason,
                outcome_unknown,
            } => CamsError::Transport {
                reason: reason.clone(),
                outcome_unknown: *outcome_unknown,
            },
            E::MissingParameter { action, parameter } => {
                CamsError::validation(&e, Some(action.clone()), Some(parameter.clone()), vec![])
            }
            E::UnknownAction {
                action,
                suggestions,
            } => CamsError::validation(&e, Some(action.clone()), None, suggestions.clone()),
            E::UnknownParameter {
                action,
                parameter,
                suggestions,
            } => CamsError::validation(
                &e,
                Some(action.clone()),
                Some(parameter.clone()),
                suggestions.clone(),
            ),
            E::WrongType {
                action, parameter, ..
            } => CamsError::validation(&e, Some(action.clone()), Some(parameter.clone()), vec![]),
            _ => match e.category() {
                Category::Credentials => CamsError::Credentials {
                    error_message: e.to_string(),
                },
                _ => CamsError::validation(&e, None, None, vec![]),
            },
        }
    }
}

/// Runs `f`, turning a panic into [`CamsError::Internal`] so it never unwinds into the app.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, CamsError>) -> Result<T, CamsError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_owned());
            Err(CamsError::Internal {
                error_message: what,
            })
        }
    }
}

/// What kind of failure a CAMS error is (Kotlin `ErrorKind.THROTTLING`, Swift `.throttling`).
///
/// The host's enum of core's [`camskit::ErrorKind::ALL`], in the same order: the names
/// (`errorKindName`) and the mapping come from core by position, and a build with another
/// number of kinds in core fails to compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ErrorKind {
    /// Flow control. Retry after a backoff.
    Throttling,
    /// Invalid, disabled or unknown access key, or a bad STS token.
    Authentication,
    /// The server computed another signature.
    SignatureMismatch,
    /// The timestamp is too far from the server's clock.
    ClockSkew,
    /// The signature nonce was used already. Re-sign with a new nonce.
    NonceReused,
    /// The caller may not do this.
    Permission,
    /// The account has not subscribed to CAMS.
    NotSubscribed,
    /// A request parameter is wrong or missing.
    InvalidParameter,
    /// The resource does not exist or belongs to someone else.
    NotFound,
    /// A server-side failure. Retry later.
    Server,
    /// Anything else (a business error of the operation).
    Other,
    /// A server error answered an operation that changes state: it may have taken effect,
    /// so it was not re-sent. Check before sending it again.
    OutcomeUnknown,
}

/// The host's kinds in the order of [`camskit::ErrorKind::ALL`] (the length is core's).
const KINDS: [ErrorKind; camskit::ErrorKind::ALL.len()] = [
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

impl From<camskit::ErrorKind> for ErrorKind {
    fn from(k: camskit::ErrorKind) -> Self {
        camskit::ErrorKind::ALL
            .iter()
            .position(|c| *c == k)
            .map_or(ErrorKind::Other, |i| KINDS[i])
    }
}

impl ErrorKind {
    fn core(self) -> camskit::ErrorKind {
        let i = KINDS
            .iter()
            .position(|k| *k == self)
            .unwrap_or(KINDS.len() - 1);
        camskit::ErrorKind::ALL[i]
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.core().as_str())
    }
}

/// The kind's `snake_case` name from core, the same in every camskit host (`"signature_mismatch"`).
#[uniffi::export]
pub fn error_kind_name(kind: ErrorKind) -> String {
    kind.core().as_str().to_owned()
}

/// Every kind's name from core (`camskit::ErrorKind::ALL`), in order.
#[uniffi::export]
pub fn error_kind_names() -> Vec<String> {
    camskit::ErrorKind::ALL
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error() {
        let r: Result<(), CamsError> = guard(|| panic!("boom"));
        assert_eq!(
            r,
            Err(CamsError::Internal {
                error_message: "boom".into()
            })
        );
    }

    #[test]
    fn kinds_are_cores_in_order() {
        for (i, k) in camskit::ErrorKind::ALL.iter().enumerate() {
            assert_eq!(ErrorKind::from(*k), KINDS[i]);
            assert_eq!(KINDS[i].core(), *k);
            // The host's variant name is core's word in another case.
            let variant = format!("{:?}", KINDS[i]);
            let snake: String = variant
                .chars()
                .enumerate()
                .flat_map(|(j, c)| {
                    let sep = (j > 0 && c.is_ascii_uppercase()).then_some('_');
                    sep.into_iter().chain(c.to_lowercase())
                })
                .collect();
            assert_eq!(snake, k.as_str());
        }
    }
}

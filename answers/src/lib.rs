//! Typed answer bodies of every CAMS operation, generated from the official SDK's response
//! models (`alibabacloud-cams20200606`, see [`SOURCE`]) by `tools/gen-answers.sh`.
//!
//! One struct per answer model: every field is an `Option`, named by its snake name and
//! renamed to the PascalCase key CAMS sends; integers are `i64` (exact beyond 2^53); fields the
//! official model does not declare are kept in `extra`, so nothing CAMS sent is lost.
//!
//! ```
//! use camskit_answers::{answer, ops, Answer};
//!
//! let response = camskit::parse_response(200, br#"{"RequestId":"r1","Code":"OK","Total":1,
//!     "ListTemplate":[{"TemplateCode":"744c4b5c79c9432497a075bdfca3****","LastUpdateTime":1693810000000}]}"#)?;
//!
//! // By marker type: the answer's type follows from the operation.
//! let list = answer::<ops::ListChatappTemplate>(&response)?;
//! assert_eq!(list.total, Some(1));
//! assert_eq!(list.list_template.unwrap()[0].last_update_time, Some(1693810000000));
//!
//! // By action name, known only at run time.
//! let any = Answer::from_response("ListChatappTemplate", &response)?;
//! assert_eq!(any.action(), "ListChatappTemplate");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod generated;
pub mod path;

pub use generated::*;

use serde::de::DeserializeOwned;
use serde_json::Value;

/// An operation whose answer has a typed body: one marker type per action in [`ops`].
pub trait Operation {
    /// The action name (`ListChatappTemplate`).
    const ACTION: &'static str;
    /// Its answer body.
    type Answer: DeserializeOwned;
}

/// Why a body could not be read as the typed answer.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// camskit knows no operation of that name.
    #[error("unknown action {0:?}: no typed answer")]
    UnknownAction(String),
    /// A field has another JSON type than the official model says.
    #[error("{action}: the answer does not match {model}: {source}")]
    Mismatch {
        /// The action.
        action: String,
        /// The answer model.
        model: &'static str,
        /// serde's word (names the field).
        source: serde_json::Error,
    },
}

/// The name of the answer body model of `action` (`ListChatappTemplateResponseBody`).
pub fn answer_type(action: &str) -> Option<&'static str> {
    ACTIONS
        .binary_search_by(|(a, _)| (*a).cmp(action))
        .ok()
        .map(|i| ACTIONS[i].1)
}

/// Reads a successful answer's body as `T` (any answer model of this crate).
///
/// # Errors
/// [`AnswerError::Mismatch`] when a field has another JSON type than `T` declares.
pub fn parse_answer<T: DeserializeOwned>(response: &camskit::Response) -> Result<T, AnswerError> {
    serde_json::from_value(Value::Object(response.body.clone())).map_err(|source| {
        AnswerError::Mismatch {
            action: String::new(),
            model: short_type_name::<T>(),
            source,
        }
    })
}

/// Reads the answer of operation `O`: `answer::<ops::ListChatappTemplate>(&response)`.
///
/// # Errors
/// As [`parse_answer`].
pub fn answer<O: Operation>(response: &camskit::Response) -> Result<O::Answer, AnswerError> {
    parse_answer::<O::Answer>(response).map_err(|e| match e {
        AnswerError::Mismatch { model, source, .. } => AnswerError::Mismatch {
            action: O::ACTION.to_string(),
            model,
            source,
        },
        other => other,
    })
}

impl Answer {
    /// The typed answer of `action`, read from a successful response.
    ///
    /// # Errors
    /// [`AnswerError::UnknownAction`] for an action camskit does not know;
    /// [`AnswerError::Mismatch`] when a field has another JSON type than the model declares.
    pub fn from_response(action: &str, response: &camskit::Response) -> Result<Self, AnswerError> {
        Self::from_body(action, Value::Object(response.body.clone()))
    }

    /// Like [`from_response`](Self::from_response), from a JSON body.
    ///
    /// # Errors
    /// As [`from_response`](Self::from_response).
    pub fn from_body(action: &str, body: Value) -> Result<Self, AnswerError> {
        match Self::from_value(action, body) {
            None => Err(AnswerError::UnknownAction(action.to_string())),
            Some(Ok(answer)) => Ok(answer),
            Some(Err(source)) => Err(AnswerError::Mismatch {
                action: action.to_string(),
                model: answer_type(action).unwrap_or("?"),
                source,
            }),
        }
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

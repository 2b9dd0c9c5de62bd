//! Typed answers. Every operation's answer reaches Python the same way: core's parsed body,
//! converted once into a dict ([`crate::convert::map_to_py`]), typed for checkers by
//! `camskit.answers` (generated from the same official models as the `camskit-answers` crate).
//! The package gives four operations, the migration steps, a class of their own
//! (`camskit.CreateChatappMigrationInitiateResponse`, ...): their body is read first as the
//! `camskit-answers` model ([`answer`]), so a field of another JSON type than the model
//! declares is a `ParseError` before any Python object is built.

use camskit::{Error, ParseError};
use camskit_answers::{AnswerError, Operation, answer, ops};
use pyo3::prelude::*;

/// The operations with a class of their own in the package, in the order it lists them.
const TYPED: [&str; 4] = [
    "CreateChatappMigrationInitiate",
    "GetMigrationVerifyCode",
    "ChatappMigrationVerified",
    "ChatappMigrationRegister",
];

/// `[(action, answer model)]`: the operations with a class of their own in the package and
/// the `camskit-answers` model of each answer body (`...ResponseBody`).
#[pyfunction]
pub(crate) fn typed_answers() -> Vec<(&'static str, &'static str)> {
    TYPED
        .iter()
        .filter_map(|a| camskit_answers::answer_type(a).map(|m| (*a, m)))
        .collect()
}

/// Whether `action` has a class of its own in the package (its answer is also read as its model).
pub(crate) fn is_typed(action: &str) -> bool {
    TYPED.contains(&action)
}

/// Reads a successful answer as the `camskit-answers` model of `action` when the package gives
/// that operation a class of its own (else nothing is read): a mismatch is core's
/// `Error::Parse`, naming the model and the field.
pub(crate) fn check(action: &str, r: &camskit::Response) -> Result<(), Error> {
    fn read<O: Operation>(r: &camskit::Response) -> Result<(), AnswerError> {
        answer::<O>(r).map(drop)
    }
    let read = match action {
        "CreateChatappMigrationInitiate" => read::<ops::CreateChatappMigrationInitiate>(r),
        "GetMigrationVerifyCode" => read::<ops::GetMigrationVerifyCode>(r),
        "ChatappMigrationVerified" => read::<ops::ChatappMigrationVerified>(r),
        "ChatappMigrationRegister" => read::<ops::ChatappMigrationRegister>(r),
        _ => Ok(()),
    };
    read.map_err(|e| {
        Error::Parse(ParseError {
            status: r.status,
            reason: e.to_string(),
            snippet: String::new(),
        })
    })
}

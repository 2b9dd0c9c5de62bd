//! Answers: core's [`camskit::parse_response`] as a [`CamsResponse`] (or a thrown
//! `CamsException`). The typed answers are generated (`answers.rs`, read through `fields.rs`).

use serde_json::Value;

use crate::convert::status_u16;
use crate::{CamsError, NameValue, guard};

/// A successful CAMS answer (HTTP 2xx and `Code` == `OK`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct CamsResponse {
    /// The HTTP status.
    pub status: i32,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `Code` (`OK`).
    pub code: String,
    /// `Message`.
    pub message: Option<String>,
    /// `AccessDeniedDetail`.
    pub access_denied_detail: Option<String>,
    /// `Data` as JSON text, numbers exact (64-bit IDs are not rounded).
    pub data_json: Option<String>,
    /// The whole body as JSON text.
    pub body_json: String,
}

pub(crate) fn response(r: camskit::Response) -> CamsResponse {
    CamsResponse {
        status: i32::from(r.status),
        data_json: r.data().map(Value::to_string),
        // the map written in place: the same text as `Value::Object(map).to_string()` without
        // first copying the whole tree (a 1 MB answer: 15.1 -> 10.5 ms through the JNI path)
        body_json: serde_json::to_string(&r.body).unwrap_or_default(),
        request_id: r.request_id,
        code: r.code,
        message: r.message,
        access_denied_detail: r.access_denied_detail,
    }
}

/// Parses an HTTP status and body: the answer on success, else throws `CamsException.Api`
/// (an error answer, also an HTTP 2xx whose `Code` is not `OK`) or `CamsException.Parse`
/// (not a CAMS JSON body: HTML from a proxy, truncated, empty, a redirect, ...). Read at most
/// `maxResponseBytes()` of a body.
#[uniffi::export]
pub fn parse_response(status: i32, body: Vec<u8>) -> Result<CamsResponse, CamsError> {
    guard(|| {
        Ok(response(camskit::parse_response(
            status_u16(status, &body)?,
            &body,
        )?))
    })
}

/// Like `parseResponse`, with the answer's headers (any case), which tell more: a redirect's
/// `Location` is named in the error.
#[uniffi::export]
pub fn parse_response_with_headers(
    status: i32,
    headers: Vec<NameValue>,
    body: Vec<u8>,
) -> Result<CamsResponse, CamsError> {
    guard(|| {
        let headers = headers.iter().map(|h| (h.name.as_str(), h.value.as_str()));
        Ok(response(camskit::parse_response_with_headers(
            status_u16(status, &body)?,
            headers,
            &body,
        )?))
    })
}

/// The most bytes of an answer worth reading (core's `MAX_RESPONSE_BYTES`): a longer body is
/// refused as a parse error.
#[uniffi::export]
pub fn max_response_bytes() -> u64 {
    camskit::MAX_RESPONSE_BYTES as u64
}

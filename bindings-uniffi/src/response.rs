//! Answers: core's [`camskit::parse_response`] as a [`CamsResponse`] (or a thrown
//! `CamsException`). The typed answers are generated (`answers.rs`, read through `fields.rs`).

use serde_json::Value;
use serde_json::value::RawValue;

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
    // The tree is written out and dropped, never copied: one tree at a time is the peak
    // (bench/jvm/parse-peak.sh).
    let data_json = r.data().map(Value::to_string);
    let body_json = Value::Object(r.body).to_string();
    CamsResponse {
        status: i32::from(r.status),
        data_json,
        body_json,
        request_id: r.request_id,
        code: r.code,
        message: r.message,
        access_denied_detail: r.access_denied_detail,
    }
}

/// The `Data` member of a body as its text, without building a tree: absent → `None`, present
/// (also `null`) → its JSON text.
#[derive(Default)]
struct DataText<'a>(Option<&'a RawValue>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for DataText<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&RawValue>::deserialize(d).map(|raw| DataText(Some(raw)))
    }
}

#[derive(serde::Deserialize)]
struct DataOnly<'a> {
    #[serde(rename = "Data", borrow, default)]
    data: DataText<'a>,
}

/// A success as `parseResponse` gives it, from core's [`camskit::parse_envelope`] (the same
/// decisions and errors as the full parse, no tree of the body): the body is handed on as the
/// text CAMS sent (valid JSON, an object: the envelope parse checked it) and `Data` as its
/// slice of that text. The peak memory is a few copies of the body, not a tree of it
/// (bench/jvm/parse-peak.sh).
fn response_text(
    status: i32,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<CamsResponse, CamsError> {
    let env = camskit::parse_envelope(None, status_u16(status, &body)?, headers, &body)?;
    let data_json = serde_json::from_slice::<DataOnly>(&body)
        .ok()
        .and_then(|d| d.data.0)
        .map(|raw| raw.get().to_owned());
    let body_json = match String::from_utf8(body) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(CamsResponse {
        status: i32::from(env.status),
        request_id: env.request_id,
        code: env.code,
        message: env.message,
        access_denied_detail: env.access_denied_detail,
        data_json,
        body_json,
    })
}

/// Parses an HTTP status and body: the answer on success, else throws `CamsException.Api`
/// (an error answer, also an HTTP 2xx whose `Code` is not `OK`) or `CamsException.Parse`
/// (not a CAMS JSON body: HTML from a proxy, truncated, empty, a redirect, ...). Read at most
/// `maxResponseBytes()` of a body. On success `bodyJson` is the body as CAMS sent it and
/// `dataJson` its `Data` member's text (numbers exact as written).
#[uniffi::export]
pub fn parse_response(status: i32, body: Vec<u8>) -> Result<CamsResponse, CamsError> {
    guard(|| response_text(status, &[], body))
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
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        response_text(status, &headers, body)
    })
}

/// The most bytes of an answer worth reading (core's `MAX_RESPONSE_BYTES`): a longer body is
/// refused as a parse error.
#[uniffi::export]
pub fn max_response_bytes() -> u64 {
    camskit::MAX_RESPONSE_BYTES as u64
}

//! Core's MNS signing, thinly (the receipts queue's requests and the Dybaseapi token request),
//! for apps that poll the queue with their own loop or check a signature: the consumer
//! (`ReceiptsConsumer`) signs these itself. Nothing is decided here: the request shapes, the
//! checks and the signature are core's (`camskit::mns`).

use std::sync::Arc;

use camskit::mns;

use crate::convert::SignTime;
use crate::transport::HttpRequest;
use crate::{CamsError, Credentials, SignedRequest, guard};

/// One MNS queue operation (the ones the receipts consumer sends).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum MnsOperation {
    /// `ReceiveMessage`, a long poll of `wait_seconds` (absent: the queue's own).
    Receive { wait_seconds: Option<u32> },
    /// `BatchReceiveMessage` of up to 16 messages.
    BatchReceive {
        num_of_messages: u32,
        wait_seconds: Option<u32>,
    },
    /// `DeleteMessage`.
    Delete { receipt_handle: String },
    /// `BatchDeleteMessage`.
    BatchDelete { receipt_handles: Vec<String> },
    /// `ChangeMessageVisibility` to `visibility_timeout` seconds.
    ChangeVisibility {
        receipt_handle: String,
        visibility_timeout: u32,
    },
}

/// A signed MNS request: what to send (headers include `Authorization`, `Date`,
/// `x-mns-version` and the STS token's `security-token`), and what was signed.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SignedMnsRequest {
    pub request: HttpRequest,
    pub string_to_sign: String,
}

/// Signs one MNS request for `queue_name` at the account `endpoint` with `credentials` (the
/// queue's temporary credentials or any MNS key) at `date`, an RFC 1123 time in GMT
/// (`mnsHttpDate` formats one). Throws `CamsException.Validation` for a bad endpoint, queue
/// name, receipt handle, count, wait or date.
#[uniffi::export]
pub fn sign_mns_request(
    endpoint: String,
    queue_name: String,
    operation: MnsOperation,
    credentials: Arc<Credentials>,
    date: String,
) -> Result<SignedMnsRequest, CamsError> {
    guard(|| {
        let queue = mns::MnsQueue::new(&endpoint, &queue_name)?;
        let request = match &operation {
            MnsOperation::Receive { wait_seconds } => queue.receive_message(*wait_seconds)?,
            MnsOperation::BatchReceive {
                num_of_messages,
                wait_seconds,
            } => queue.batch_receive_message(*num_of_messages as usize, *wait_seconds)?,
            MnsOperation::Delete { receipt_handle } => queue.delete_message(receipt_handle)?,
            MnsOperation::BatchDelete { receipt_handles } => {
                queue.batch_delete_message(receipt_handles)?
            }
            MnsOperation::ChangeVisibility {
                receipt_handle,
                visibility_timeout,
            } => queue.change_message_visibility(receipt_handle, *visibility_timeout)?,
        };
        let signed = queue.sign(&credentials.inner, &request, &date)?;
        Ok(SignedMnsRequest {
            request: signed.request.into(),
            string_to_sign: signed.string_to_sign,
        })
    })
}

/// Unix seconds as the RFC 1123 date MNS signs (`Sun, 06 Dec 2026 02:40:35 GMT`).
#[uniffi::export]
pub fn mns_http_date(unix_seconds: i64) -> Result<String, CamsError> {
    guard(|| Ok(mns::http_date(unix_seconds)?))
}

/// The signed `QueryTokenForMnsQueue` request (Dybaseapi, RPC 1.0) that fetches a receipts
/// queue's temporary credentials: `message_type` (`ChatAppStatus`, `ChatAppInbound`, ...) and,
/// when given, the queue's name.
#[uniffi::export(default(queue_name = None))]
pub fn sign_query_token_for_mns_queue(
    credentials: Arc<Credentials>,
    message_type: String,
    timestamp: SignTime,
    nonce: String,
    queue_name: Option<String>,
) -> Result<SignedRequest, CamsError> {
    guard(|| {
        let at = timestamp.to_core()?;
        let signed = mns::sign_query_token_for_mns_queue(
            &credentials.inner,
            &message_type,
            queue_name.as_deref(),
            at,
            &nonce,
        )?;
        Ok(SignedRequest::from_core(signed, at, nonce))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Arc<Credentials> {
        Credentials::new("LTAI5tMns".into(), "MnsSecret".into(), None).unwrap()
    }

    #[test]
    fn signs_a_receive_with_core_shapes() {
        let s = sign_mns_request(
            "https://1.mns.cn-hangzhou.aliyuncs.com".into(),
            "Alicom-Queue-1-ChatAppStatus".into(),
            MnsOperation::Receive {
                wait_seconds: Some(30),
            },
            key(),
            "Sun, 06 Dec 2026 02:40:35 GMT".into(),
        )
        .unwrap();
        assert_eq!(s.request.method, "GET");
        assert!(s.request.url.ends_with("/messages?waitseconds=30"));
        assert!(s.string_to_sign.starts_with("GET\n"));
    }

    #[test]
    fn a_bad_handle_is_a_validation_error() {
        let e = sign_mns_request(
            "https://1.mns.cn-hangzhou.aliyuncs.com".into(),
            "q".into(),
            MnsOperation::Delete {
                receipt_handle: "a b".into(),
            },
            key(),
            "Sun, 06 Dec 2026 02:40:35 GMT".into(),
        )
        .unwrap_err();
        assert!(matches!(e, CamsError::Validation { .. }), "{e:?}");
    }
}

// ---- answers: core's MNS XML readers, for apps that send the queue's requests themselves ----

/// One message of a ReceiveMessage / BatchReceiveMessage answer (core's `MnsMessage`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MnsMessage {
    /// `MessageId`.
    pub message_id: String,
    /// `ReceiptHandle`: what deletes the message or changes its visibility, valid until
    /// `next_visible_time`.
    pub receipt_handle: String,
    /// `MessageBody` as MNS sent it (`parseMnsBody` reads the receipts in it).
    pub message_body: String,
    /// `MessageBodyMD5`, upper-case hexadecimal.
    pub message_body_md5: String,
    /// Whether `message_body_md5` is the MD5 of `message_body` (core checks).
    pub body_md5_matches: bool,
    /// `EnqueueTime`, unix milliseconds.
    pub enqueue_time: i64,
    /// `FirstDequeueTime`, unix milliseconds.
    pub first_dequeue_time: i64,
    /// `NextVisibleTime`, unix milliseconds: the handle is stale after it.
    pub next_visible_time: i64,
    /// `DequeueCount`: more than 1 is a redelivery.
    pub dequeue_count: i64,
    /// `Priority`.
    pub priority: i64,
}

impl From<mns::MnsMessage> for MnsMessage {
    fn from(m: mns::MnsMessage) -> Self {
        MnsMessage {
            body_md5_matches: m.body_md5_matches(),
            message_id: m.message_id,
            receipt_handle: m.receipt_handle,
            message_body: m.message_body,
            message_body_md5: m.message_body_md5,
            enqueue_time: m.enqueue_time,
            first_dequeue_time: m.first_dequeue_time,
            next_visible_time: m.next_visible_time,
            dequeue_count: m.dequeue_count,
            priority: m.priority,
        }
    }
}

/// A ChangeMessageVisibility answer: the new handle and when the message shows again.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MnsVisibility {
    /// `ReceiptHandle`, the new one (the old one is stale).
    pub receipt_handle: String,
    /// `NextVisibleTime`, unix milliseconds.
    pub next_visible_time: i64,
}

/// One handle a BatchDeleteMessage could not delete.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MnsDeleteFailure {
    /// `ReceiptHandle`.
    pub receipt_handle: String,
    /// `ErrorCode` (`ReceiptHandleError`: a stale handle; `MessageNotExist`).
    pub error_code: String,
    /// `ErrorMessage`.
    pub error_message: String,
}

/// The answer of ReceiveMessage: `null` for an empty poll (HTTP 404 `MessageNotExist`, not an
/// error), else the message. Throws `CamsException.Api` for an MNS error (`code`,
/// `errorMessage`, `requestId`, `hostId`, `kind`: `QueueNotExist` is `NOT_FOUND`, an expired
/// token `AUTHENTICATION`, ...) and `CamsException.Parse` for a body that is not MNS's answer.
#[uniffi::export]
pub fn parse_receive_message(status: i32, body: Vec<u8>) -> Result<Option<MnsMessage>, CamsError> {
    guard(|| {
        let status = crate::convert::status_u16(status, &body)?;
        Ok(mns::parse_receive_message(status, &body)?.map(MnsMessage::from))
    })
}

/// The answer of BatchReceiveMessage: the messages, empty for an empty poll. Throws as
/// `parseReceiveMessage`.
#[uniffi::export]
pub fn parse_batch_receive_message(
    status: i32,
    body: Vec<u8>,
) -> Result<Vec<MnsMessage>, CamsError> {
    guard(|| {
        let status = crate::convert::status_u16(status, &body)?;
        Ok(mns::parse_batch_receive_message(status, &body)?
            .into_iter()
            .map(MnsMessage::from)
            .collect())
    })
}

/// The answer of DeleteMessage (HTTP 204 on success). Throws as `parseReceiveMessage`
/// (`ReceiptHandleError`: the handle is stale; the message may come back).
#[uniffi::export]
pub fn parse_delete_message(status: i32, body: Vec<u8>) -> Result<(), CamsError> {
    guard(|| {
        let status = crate::convert::status_u16(status, &body)?;
        Ok(mns::parse_delete_message(status, &body)?)
    })
}

/// The answer of BatchDeleteMessage: the handles it could not delete (empty: all deleted).
/// Throws as `parseReceiveMessage` for an error of the whole request.
#[uniffi::export]
pub fn parse_batch_delete_message(
    status: i32,
    body: Vec<u8>,
) -> Result<Vec<MnsDeleteFailure>, CamsError> {
    guard(|| {
        let status = crate::convert::status_u16(status, &body)?;
        Ok(mns::parse_batch_delete_message(status, &body)?
            .into_iter()
            .map(|f| MnsDeleteFailure {
                receipt_handle: f.receipt_handle,
                error_code: f.error_code,
                error_message: f.error_message,
            })
            .collect())
    })
}

/// The answer of ChangeMessageVisibility. Throws as `parseReceiveMessage`.
#[uniffi::export]
pub fn parse_change_message_visibility(
    status: i32,
    body: Vec<u8>,
) -> Result<MnsVisibility, CamsError> {
    guard(|| {
        let status = crate::convert::status_u16(status, &body)?;
        let v = mns::parse_change_message_visibility(status, &body)?;
        Ok(MnsVisibility {
            receipt_handle: v.receipt_handle,
            next_visible_time: v.next_visible_time,
        })
    })
}

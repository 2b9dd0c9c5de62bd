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

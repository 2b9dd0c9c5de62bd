//! Receipts in MNS consumer mode: the queue credentials, the signed MNS requests and their
//! XML answers — sans-I/O, like the rest of camskit.
//!
//! CAMS (like Alibaba's other communication services) can deliver its receipts
//! (`ChatAppStatus`, `ChatAppInbound`, ...) to an MNS queue that Alibaba owns. A consumer:
//!
//! 1. asks Dybaseapi for the queue's temporary credentials, `QueryTokenForMnsQueue`
//!    ([`query_token_for_mns_queue`], signed with the user's own key by camskit's RPC 1.0
//!    signer; the answer: [`parse_query_token_answer`] → [`MnsToken`], renewed from 2 minutes
//!    before `ExpireTime`, [`MnsToken::needs_refresh`]);
//! 2. long-polls the queue with them ([`MnsQueue::receive_message`] or
//!    [`MnsQueue::batch_receive_message`], signed by [`MnsQueue::sign`] with the MNS signature,
//!    `Authorization: MNS id:signature`; the answer: [`parse_receive_message`] /
//!    [`parse_batch_receive_message`], an empty poll being `Ok` with nothing);
//! 3. deletes each message by its `ReceiptHandle` once its handler succeeded
//!    ([`MnsQueue::delete_message`], [`MnsQueue::batch_delete_message`]), or extends its
//!    visibility while the handler runs ([`MnsQueue::change_message_visibility`]).
//!
//! The host sends each [`HttpRequest`](crate::HttpRequest) (the one request type of every
//! fetch core asks for; a long poll's `timeout_ms` is its `waitseconds` plus
//! [`LONG_POLL_MARGIN_MS`]) and hands back the status and body. The host's clock gives the
//! `date` ([`http_date`]).
//!
//! References: the MNS API reference (ReceiveMessage
//! <https://www.alibabacloud.com/help/en/mns/developer-reference/receivemessage>, error
//! responses <https://www.alibabacloud.com/help/en/mns/developer-reference/syntax-of-error-responses>,
//! error codes <https://www.alibabacloud.com/help/en/mns/error-codes>), the official
//! `aliyun-mns-sdk` (PyPI), and the vectors it made: `tests/vectors/mns.json`
//! (`tools/vectors/mns.py`).
//!
//! ```
//! use camskit::Credentials;
//! use camskit::mns::{MnsQueue, parse_receive_message};
//!
//! let queue = MnsQueue::new("https://1943695596114318.mns.cn-hangzhou.aliyuncs.com",
//!                           "Alicom-Queue-1873897471328909-ChatAppStatus")?;
//! // The credentials of QueryTokenForMnsQueue's answer (MnsToken::credentials).
//! let creds = Credentials::new("STS.NUgYrLnoC37mZZCNnAbez2bqQ", "secret")?
//!     .with_security_token("CAES+wMIARKAAZhjH0EUOIhJ")?;
//! let poll = queue.sign(&creds, &queue.receive_message(Some(30))?, "Sun, 06 Dec 2026 02:40:35 GMT")?;
//! assert_eq!(poll.request.method, "GET");
//! assert!(poll.request.header("Authorization").unwrap().starts_with("MNS STS.NUgYrLnoC37mZZCNnAbez2bqQ:"));
//! assert_eq!(poll.request.timeout_ms, 40_000);
//!
//! // Nothing came within 30 s: MNS answers 404 MessageNotExist, which is no error.
//! let empty = br#"<Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>MessageNotExist</Code>
//!   <Message>Message not exist.</Message><RequestId>1</RequestId><HostId>h</HostId></Error>"#;
//! assert_eq!(parse_receive_message(404, empty)?, None);
//! # Ok::<(), camskit::Error>(())
//! ```

mod consumer;
mod sign;
mod token;
mod xml;

pub use consumer::{Consumer, ConsumerOptions, ConsumerStep, Delivery};

pub use sign::{
    LONG_POLL_MARGIN_MS, MAX_BATCH, MAX_QUEUE_NAME_BYTES, MAX_RECEIPT_HANDLE_BYTES,
    MAX_VISIBILITY_TIMEOUT, MAX_WAIT_SECONDS, MIN_VISIBILITY_TIMEOUT, MNS_API_VERSION,
    MNS_CONTENT_TYPE, MNS_XMLNS, MnsQueue, MnsRequest, SignedMnsRequest, check_receipt_handle,
    http_date, mns_content_md5, mns_string_to_sign, sign_mns,
};
pub use token::{
    ALICOM_MNS_ENDPOINT, DYBASEAPI_API_VERSION, DYBASEAPI_HOST, MnsToken,
    TOKEN_REFRESH_MARGIN_SECONDS, parse_query_token_answer, query_token_for_mns_queue,
    query_token_for_mns_queue_at, sign_query_token_for_mns_queue,
};
pub use xml::{
    DeleteFailure, MAX_MNS_RESPONSE_BYTES, MnsMessage, VisibilityChanged, is_stale_receipt_handle,
    mns_error_kind, needs_new_token, parse_batch_delete_message, parse_batch_receive_message,
    parse_change_message_visibility, parse_delete_message, parse_mns_error, parse_receive_message,
};

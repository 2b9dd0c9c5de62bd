//! The MNS request signature and the requests of a queue consumer.
//!
//! The rule, as the official MNS SDKs compute it (`aliyun-mns-sdk` for Python,
//! `mns_client.MNSClient.build_header` / `get_signature`; the MNS reference, "Sign requests":
//! <https://www.alibabacloud.com/help/en/mns/sign-requests>):
//!
//! ```text
//! StringToSign = METHOD + "\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n"
//!              + CanonicalizedMNSHeaders      (each x-mns-* header, sorted: "name:value\n")
//!              + CanonicalizedResource        (the path with its query, as sent)
//! Authorization: MNS AccessKeyId:base64(HMAC-SHA1(AccessKeySecret, StringToSign))
//! ```
//!
//! `x-mns-version: 2015-06-06` is always sent (and so always signed); `security-token`
//! carries an STS token (not signed). A request with a body sends
//! `content-type: text/xml;charset=UTF-8` and a `content-md5` that is, as the official SDK
//! writes it, the base64 of the *hexadecimal text* of the body's MD5 (not of the 16 raw
//! bytes) — MNS writes its own the same way (the `Content-MD5` of the example of "Sign a
//! request that is sent to an endpoint", `ZDgxNjY5ZjFl…`, is base64 of hexadecimal text;
//! <https://www.alibabacloud.com/help/en/mns/sign-a-request-that-is-sent-to-an-endpoint>). Nothing is percent-encoded: the
//! resource is signed and sent as written, so core refuses names and handles that would
//! need encoding.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use sha1::Sha1;

use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, truncate};
use crate::http::{CAMS_TIMEOUT_MS, HttpRequest};
use crate::timestamp::Timestamp;

/// The MNS API version sent as `x-mns-version` (the only one).
pub const MNS_API_VERSION: &str = "2015-06-06";
/// The content type of every MNS request body.
pub const MNS_CONTENT_TYPE: &str = "text/xml;charset=UTF-8";
/// The XML namespace of MNS bodies.
pub const MNS_XMLNS: &str = "http://mns.aliyuncs.com/doc/v1/";
/// The longest long poll MNS holds, in seconds (`waitseconds` is 0 to 30, the queue's
/// `PollingWaitSeconds` applies when it is not given; the CreateQueue reference).
pub const MAX_WAIT_SECONDS: u32 = 30;
/// The most messages one BatchReceiveMessage returns or one BatchDeleteMessage deletes (16).
pub const MAX_BATCH: usize = 16;
/// The longest visibility timeout ChangeMessageVisibility accepts, in seconds (12 hours;
/// the official SDK's `ChangeMsgVisValidator` refuses more).
pub const MAX_VISIBILITY_TIMEOUT: u32 = 43_200;

/// The shortest `VisibilityTimeout` MNS accepts, in seconds ("The value ranges from 1 to
/// 43200": ChangeMessageVisibility, https://www.alibabacloud.com/help/doc-detail/35142.htm).
/// A released message ([`Consumer::release`](crate::mns::Consumer::release)) is visible again
/// after this.
pub const MIN_VISIBILITY_TIMEOUT: u32 = 1;
/// The longest queue name MNS accepts (`QueueNameLengthError`, the MNS error codes page).
pub const MAX_QUEUE_NAME_BYTES: usize = 256;
/// The longest receipt handle core accepts (MNS's are under 100 bytes).
pub const MAX_RECEIPT_HANDLE_BYTES: usize = 1024;
/// What a long poll may take beyond its `waitseconds` before the host gives up: the usual
/// answer time of every other fetch ([`CAMS_TIMEOUT_MS`]).
pub const LONG_POLL_MARGIN_MS: u64 = CAMS_TIMEOUT_MS;

/// An MNS queue: where it is and its name. The endpoint is the MNS account endpoint
/// (`https://<account id>.mns.<region>.aliyuncs.com`; CAMS and the other Alibaba
/// communication services name theirs in their receipts docs).
///
/// ```
/// use camskit::mns::MnsQueue;
/// let q = MnsQueue::new("https://1943695596114318.mns.cn-hangzhou.aliyuncs.com/",
///                       "Alicom-Queue-1873897471328909-ChatAppStatus")?;
/// let req = q.receive_message(Some(30))?;
/// assert_eq!(req.resource, "/queues/Alicom-Queue-1873897471328909-ChatAppStatus/messages?waitseconds=30");
/// assert_eq!(req.timeout_ms, 40_000);
/// # Ok::<(), camskit::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MnsQueue {
    endpoint: Endpoint,
    name: String,
}

/// One MNS request before it is signed: what the operation is, not who sends it when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MnsRequest {
    /// `GET`, `DELETE` or `PUT`.
    pub method: &'static str,
    /// The path with its query (`/queues/<name>/messages?waitseconds=30`): the canonical
    /// resource, sent and signed as it is.
    pub resource: String,
    /// The XML body, if any.
    pub body: Option<String>,
    /// What it is for: `mns:ReceiveMessage`, `mns:BatchReceiveMessage`, `mns:DeleteMessage`,
    /// `mns:BatchDeleteMessage`, `mns:ChangeMessageVisibility`.
    pub purpose: &'static str,
    /// How long the host waits for the answer: a long poll's `waitseconds` (30 s when the
    /// queue's own applies) plus [`LONG_POLL_MARGIN_MS`]; [`CAMS_TIMEOUT_MS`] otherwise.
    pub timeout_ms: u64,
}

/// A signed MNS request: the request to send, and what was signed (to compare with an
/// answer's `SignatureDoesNotMatch`).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedMnsRequest {
    /// What the host sends (`Host` comes from the URL).
    pub request: HttpRequest,
    /// The string that was signed.
    pub string_to_sign: String,
}

impl std::fmt::Debug for SignedMnsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignedMnsRequest")
            .field("request", &self.request)
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

impl MnsQueue {
    /// A queue at an MNS account endpoint (a URL or a host; see [`Endpoint::parse`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`]: a bad endpoint, or a queue name that is empty, longer than
    /// [`MAX_QUEUE_NAME_BYTES`], or not a letter followed by letters, digits and `-` (the
    /// rule of `InvalidQueueName`).
    pub fn new(endpoint: &str, queue_name: &str) -> Result<Self, Error> {
        let endpoint = Endpoint::parse(endpoint)?;
        check_queue_name(queue_name)?;
        Ok(Self {
            endpoint,
            name: queue_name.to_owned(),
        })
    }

    /// The queue's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The account endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn messages(&self) -> String {
        format!("/queues/{}/messages", self.name)
    }

    /// ReceiveMessage: `GET /queues/<name>/messages?waitseconds=N` (without the parameter,
    /// the queue's `PollingWaitSeconds` applies). Its answer: [`parse_receive_message`](crate::mns::parse_receive_message).
    /// <https://www.alibabacloud.com/help/en/mns/developer-reference/receivemessage>
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `wait_seconds` is over [`MAX_WAIT_SECONDS`].
    pub fn receive_message(&self, wait_seconds: Option<u32>) -> Result<MnsRequest, Error> {
        let mut resource = self.messages();
        if let Some(w) = wait_seconds {
            check_wait(w)?;
            resource.push_str(&format!("?waitseconds={w}"));
        }
        Ok(MnsRequest {
            method: "GET",
            resource,
            body: None,
            purpose: "mns:ReceiveMessage",
            timeout_ms: poll_timeout(wait_seconds),
        })
    }

    /// BatchReceiveMessage: `GET /queues/<name>/messages?numOfMessages=N&waitseconds=W`.
    /// Its answer: [`parse_batch_receive_message`](crate::mns::parse_batch_receive_message).
    /// <https://www.alibabacloud.com/help/en/mns/developer-reference/batchreceivemessage>
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `num_of_messages` is not 1 to [`MAX_BATCH`] or
    /// `wait_seconds` is over [`MAX_WAIT_SECONDS`].
    pub fn batch_receive_message(
        &self,
        num_of_messages: usize,
        wait_seconds: Option<u32>,
    ) -> Result<MnsRequest, Error> {
        if !(1..=MAX_BATCH).contains(&num_of_messages) {
            return Err(Error::invalid(
                "numOfMessages",
                format!("{num_of_messages} is not between 1 and {MAX_BATCH}"),
            ));
        }
        let mut resource = format!("{}?numOfMessages={num_of_messages}", self.messages());
        if let Some(w) = wait_seconds {
            check_wait(w)?;
            resource.push_str(&format!("&waitseconds={w}"));
        }
        Ok(MnsRequest {
            method: "GET",
            resource,
            body: None,
            purpose: "mns:BatchReceiveMessage",
            timeout_ms: poll_timeout(wait_seconds),
        })
    }

    /// DeleteMessage: `DELETE /queues/<name>/messages?ReceiptHandle=<handle>` (answered
    /// 204). Its answer: [`parse_delete_message`](crate::mns::parse_delete_message).
    /// <https://www.alibabacloud.com/help/en/mns/developer-reference/deletemessage>
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a handle [`check_receipt_handle`] refuses.
    pub fn delete_message(&self, receipt_handle: &str) -> Result<MnsRequest, Error> {
        check_receipt_handle(receipt_handle)?;
        Ok(MnsRequest {
            method: "DELETE",
            resource: format!("{}?ReceiptHandle={receipt_handle}", self.messages()),
            body: None,
            purpose: "mns:DeleteMessage",
            timeout_ms: CAMS_TIMEOUT_MS,
        })
    }

    /// BatchDeleteMessage: `DELETE /queues/<name>/messages` with the XML list of handles the
    /// official SDK writes (`<?xml version="1.0" encoding="utf-8"?><ReceiptHandles
    /// xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>…</ReceiptHandle>…</ReceiptHandles>`).
    /// Its answer: [`parse_batch_delete_message`](crate::mns::parse_batch_delete_message).
    /// <https://www.alibabacloud.com/help/en/mns/developer-reference/batchdeletemessage>
    ///
    /// # Errors
    /// [`Error::InvalidInput`]: no handle, more than [`MAX_BATCH`], or a bad handle.
    pub fn batch_delete_message<S: AsRef<str>>(
        &self,
        receipt_handles: &[S],
    ) -> Result<MnsRequest, Error> {
        if receipt_handles.is_empty() || receipt_handles.len() > MAX_BATCH {
            return Err(Error::invalid(
                "receipt handles",
                format!(
                    "{} handles; BatchDeleteMessage takes 1 to {MAX_BATCH}",
                    receipt_handles.len()
                ),
            ));
        }
        let mut body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><ReceiptHandles xmlns=\"{MNS_XMLNS}\">"
        );
        for h in receipt_handles {
            let h = h.as_ref();
            check_receipt_handle(h)?;
            body.push_str("<ReceiptHandle>");
            body.push_str(h);
            body.push_str("</ReceiptHandle>");
        }
        body.push_str("</ReceiptHandles>");
        Ok(MnsRequest {
            method: "DELETE",
            resource: self.messages(),
            body: Some(body),
            purpose: "mns:BatchDeleteMessage",
            timeout_ms: CAMS_TIMEOUT_MS,
        })
    }

    /// ChangeMessageVisibility: `PUT /queues/<name>/messages?ReceiptHandle=<handle>&VisibilityTimeout=<s>`
    /// (the parameter names as the official SDK writes them and the reference's parameter
    /// table names them; its request line spells them `receiptHandle`, `visibilityTimeout`).
    /// The reference gives 1 to 43200 seconds; the SDK also lets 0 through (visible again at
    /// once), and so does this. The answer carries a *new*
    /// receipt handle: [`parse_change_message_visibility`](crate::mns::parse_change_message_visibility).
    /// <https://www.alibabacloud.com/help/en/mns/developer-reference/changemessagevisibility>
    ///
    /// # Errors
    /// [`Error::InvalidInput`]: a bad handle or a timeout outside
    /// [`MIN_VISIBILITY_TIMEOUT`]..=[`MAX_VISIBILITY_TIMEOUT`].
    pub fn change_message_visibility(
        &self,
        receipt_handle: &str,
        visibility_timeout: u32,
    ) -> Result<MnsRequest, Error> {
        check_receipt_handle(receipt_handle)?;
        if !(MIN_VISIBILITY_TIMEOUT..=MAX_VISIBILITY_TIMEOUT).contains(&visibility_timeout) {
            return Err(Error::invalid(
                "VisibilityTimeout",
                format!(
                    "{visibility_timeout} s is not within MNS's {MIN_VISIBILITY_TIMEOUT}..={MAX_VISIBILITY_TIMEOUT} seconds"
                ),
            ));
        }
        Ok(MnsRequest {
            method: "PUT",
            resource: format!(
                "{}?ReceiptHandle={receipt_handle}&VisibilityTimeout={visibility_timeout}",
                self.messages()
            ),
            body: None,
            purpose: "mns:ChangeMessageVisibility",
            timeout_ms: CAMS_TIMEOUT_MS,
        })
    }

    /// Signs `request` for this queue's endpoint with `credentials` (the temporary queue
    /// credentials of [`parse_query_token_answer`](crate::mns::parse_query_token_answer), or
    /// any MNS key) at `date`, the RFC 1123 time the host's clock gives
    /// (`Sun, 06 Dec 2026 02:40:35 GMT`; [`http_date`] formats one).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `date` is not an RFC 1123 date in GMT.
    pub fn sign(
        &self,
        credentials: &Credentials,
        request: &MnsRequest,
        date: &str,
    ) -> Result<SignedMnsRequest, Error> {
        sign_mns(
            credentials,
            self.endpoint.base_url(),
            request,
            date,
            &[("x-mns-version", MNS_API_VERSION)],
        )
    }
}

fn poll_timeout(wait_seconds: Option<u32>) -> u64 {
    u64::from(wait_seconds.unwrap_or(MAX_WAIT_SECONDS)) * 1000 + LONG_POLL_MARGIN_MS
}

fn check_wait(w: u32) -> Result<(), Error> {
    if w > MAX_WAIT_SECONDS {
        return Err(Error::invalid(
            "waitseconds",
            format!("{w} is over {MAX_WAIT_SECONDS} seconds"),
        ));
    }
    Ok(())
}

fn check_queue_name(name: &str) -> Result<(), Error> {
    let bad = |why: &str| Error::invalid("queue name", format!("{:?}: {why}", truncate(name)));
    if name.is_empty() {
        return Err(bad("empty"));
    }
    if name.len() > MAX_QUEUE_NAME_BYTES {
        return Err(bad("longer than 256 characters"));
    }
    if !name.as_bytes()[0].is_ascii_alphabetic() {
        return Err(bad("must start with a letter"));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(bad("only letters, digits and - are allowed"));
    }
    Ok(())
}

/// Whether a receipt handle can go into a URL and an XML body as it is (the official SDKs
/// send it unencoded): not empty, at most [`MAX_RECEIPT_HANDLE_BYTES`], printable ASCII
/// without space, `&`, `#`, `?`, `%`, `<`, `>`, `"` or `'`. MNS's handles are a digit, `-`
/// and base64 text.
///
/// # Errors
/// [`Error::InvalidInput`] saying what is wrong.
pub fn check_receipt_handle(handle: &str) -> Result<(), Error> {
    let bad =
        |why: &str| Error::invalid("receipt handle", format!("{:?}: {why}", truncate(handle)));
    if handle.is_empty() {
        return Err(bad("empty"));
    }
    if handle.len() > MAX_RECEIPT_HANDLE_BYTES {
        return Err(bad("longer than 1024 bytes"));
    }
    if !handle
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"&#?%<>\"'".contains(&b))
    {
        return Err(bad(
            "only printable ASCII without space, &, #, ?, %, <, >, quotes is allowed",
        ));
    }
    Ok(())
}

/// The MNS string to sign (see the module docs): `mns_headers` are the `x-mns-*` headers
/// (name, value), any order; their names are lower-cased and sorted.
pub fn mns_string_to_sign(
    method: &str,
    content_md5: &str,
    content_type: &str,
    date: &str,
    mns_headers: &[(&str, &str)],
    resource: &str,
) -> String {
    let mut headers: Vec<(String, &str)> = mns_headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), *v))
        .filter(|(n, _)| n.starts_with("x-mns-"))
        .collect();
    headers.sort();
    let mut s = format!("{method}\n{content_md5}\n{content_type}\n{date}\n");
    for (n, v) in headers {
        s.push_str(&n);
        s.push(':');
        s.push_str(v);
        s.push('\n');
    }
    s.push_str(resource);
    s
}

/// `content-md5` as the official MNS SDK writes it: base64 of the lower-case hexadecimal
/// MD5 of the body.
pub fn mns_content_md5(body: &[u8]) -> String {
    let hex = hex::encode(Md5::digest(body));
    base64::engine::general_purpose::STANDARD.encode(hex.as_bytes())
}

/// Signs one MNS request: any method and resource on any MNS endpoint (`base_url`, such as
/// `https://1943695596114318.mns.cn-hangzhou.aliyuncs.com`), with `x-mns-*` headers to sign
/// and send (give `x-mns-version` here; [`MnsQueue::sign`] does).
///
/// # Errors
/// [`Error::InvalidInput`]: `date` is not an RFC 1123 date in GMT, the resource does not
/// start with `/` or holds a space or control character, or a header value holds a control
/// character.
pub fn sign_mns(
    credentials: &Credentials,
    base_url: &str,
    request: &MnsRequest,
    date: &str,
    mns_headers: &[(&str, &str)],
) -> Result<SignedMnsRequest, Error> {
    check_date(date)?;
    if !request.resource.starts_with('/')
        || request
            .resource
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(
            "MNS resource",
            format!(
                "{:?} must start with / and hold no space or control character",
                truncate(&request.resource)
            ),
        ));
    }
    for (n, v) in mns_headers {
        if v.chars().any(char::is_control) || n.chars().any(|c| c.is_control() || c == ':') {
            return Err(Error::invalid(
                "MNS header",
                format!("{:?} holds a control character", truncate(n)),
            ));
        }
    }
    let (md5, ctype) = match &request.body {
        Some(b) => (mns_content_md5(b.as_bytes()), MNS_CONTENT_TYPE),
        None => (String::new(), ""),
    };
    let string_to_sign = mns_string_to_sign(
        request.method,
        &md5,
        ctype,
        date,
        mns_headers,
        &request.resource,
    );
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(credentials.secret().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());

    let mut headers: Vec<(String, String)> = Vec::with_capacity(6);
    if request.body.is_some() {
        headers.push(("content-md5".into(), md5));
        headers.push(("content-type".into(), MNS_CONTENT_TYPE.into()));
    }
    for (n, v) in mns_headers {
        headers.push((n.to_ascii_lowercase(), (*v).to_owned()));
    }
    headers.push(("date".into(), date.to_owned()));
    headers.push((
        "Authorization".into(),
        format!("MNS {}:{signature}", credentials.access_key_id()),
    ));
    if let Some(token) = credentials.security_token() {
        headers.push(("security-token".into(), token.to_owned()));
    }
    Ok(SignedMnsRequest {
        request: HttpRequest {
            method: request.method.to_owned(),
            url: format!("{}{}", base_url.trim_end_matches('/'), request.resource),
            headers,
            body: request.body.clone(),
            purpose: request.purpose.to_owned(),
            timeout_ms: request.timeout_ms,
        },
        string_to_sign,
    })
}

fn check_date(date: &str) -> Result<(), Error> {
    // `Sun, 06 Dec 2026 02:40:35 GMT`: what MNS reads (InvalidDateHeader otherwise).
    let ok =
        date.len() == 29 && date.ends_with(" GMT") && Timestamp::parse_http_date(date).is_some();
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "date",
            format!(
                "{:?} is not an RFC 1123 date such as \"Sun, 06 Dec 2026 02:40:35 GMT\"",
                truncate(date)
            ),
        ))
    }
}

/// The RFC 1123 date MNS reads (`Sun, 06 Dec 2026 02:40:35 GMT`) for a unix time (seconds):
/// the `date` of [`MnsQueue::sign`] from the host's clock.
///
/// ```
/// assert_eq!(camskit::mns::http_date(1796524835)?, "Sun, 06 Dec 2026 02:40:35 GMT");
/// # Ok::<(), camskit::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidInput`] for a time [`Timestamp::from_unix`] refuses.
pub fn http_date(unix: i64) -> Result<String, Error> {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let t = Timestamp::from_unix(unix)?;
    // YYYY-MM-DDThh:mm:ssZ
    let s = t.as_str();
    let month: usize = s[5..7].parse().unwrap_or(1);
    let weekday = DAYS[unix.div_euclid(86_400).rem_euclid(7) as usize];
    Ok(format!(
        "{weekday}, {} {} {} {} GMT",
        &s[8..10],
        MONTHS[(month - 1).min(11)],
        &s[0..4],
        &s[11..19]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> MnsQueue {
        MnsQueue::new("https://1.mns.cn-hangzhou.aliyuncs.com", "Queue-1").unwrap()
    }

    #[test]
    fn long_poll_timeout_is_wait_plus_margin() {
        assert_eq!(q().receive_message(Some(0)).unwrap().timeout_ms, 10_000);
        assert_eq!(q().receive_message(Some(30)).unwrap().timeout_ms, 40_000);
        assert_eq!(q().receive_message(None).unwrap().timeout_ms, 40_000);
        assert_eq!(
            q().batch_receive_message(16, Some(5)).unwrap().timeout_ms,
            15_000
        );
        assert!(q().receive_message(Some(31)).is_err());
        assert!(q().batch_receive_message(0, None).is_err());
        assert!(q().batch_receive_message(17, None).is_err());
    }

    #[test]
    fn refuses_bad_names_handles_and_dates() {
        for name in ["", "1abc", "a_b", "a b", "é", &"a".repeat(257)] {
            assert!(
                MnsQueue::new("https://x.mns.aliyuncs.com", name).is_err(),
                "{name}"
            );
        }
        for h in [
            "",
            "a b",
            "a&b",
            "a#b",
            "a?b",
            "a%b",
            "a<b",
            "é",
            &"a".repeat(1025),
        ] {
            assert!(q().delete_message(h).is_err(), "{h}");
            assert!(q().change_message_visibility(h, 1).is_err(), "{h}");
        }
        assert!(q().change_message_visibility("1-a", 43_201).is_err());
        let none: [&str; 0] = [];
        assert!(q().batch_delete_message(&none).is_err());
        assert!(q().batch_delete_message(&["1-a"; 17]).is_err());
        let c = Credentials::new("id", "secret").unwrap();
        let r = q().receive_message(Some(1)).unwrap();
        for d in [
            "",
            "2026-12-06T02:40:35Z",
            "Sun, 06 Dec 2026 02:40:35 +0000",
            "Sun, 06 Dec 2026 02:40:35 GMT\n",
        ] {
            assert!(q().sign(&c, &r, d).is_err(), "{d:?}");
        }
    }

    #[test]
    fn string_to_sign_of_the_reference_example() {
        // "How do I obtain the signature string of an API request?" (MNS FAQ,
        // https://www.alibabacloud.com/help/en/mns/support/how-do-i-obtain-the-signature-string-of-an-api-request).
        assert_eq!(
            mns_string_to_sign(
                "GET",
                "",
                "",
                "Thu, 09 Jul 2015 03:01:34 GMT",
                &[("X-MNS-Version", "2015-06-06"), ("Content-Type", "ignored")],
                "/MyQueue"
            ),
            "GET\n\n\nThu, 09 Jul 2015 03:01:34 GMT\nx-mns-version:2015-06-06\n/MyQueue"
        );
        // Sorted by lower-cased name.
        assert_eq!(
            mns_string_to_sign(
                "PUT",
                "m",
                "t",
                "d",
                &[("x-mns-b", "2"), ("X-Mns-A", "1")],
                "/q"
            ),
            "PUT\nm\nt\nd\nx-mns-a:1\nx-mns-b:2\n/q"
        );
        // base64 of the hexadecimal text, as the SDK writes it.
        assert_eq!(
            mns_content_md5(b""),
            "ZDQxZDhjZDk4ZjAwYjIwNGU5ODAwOTk4ZWNmODQyN2U="
        );
    }

    #[test]
    fn http_date_formats_rfc_1123() {
        assert_eq!(http_date(0).unwrap(), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(951_782_400).unwrap(),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
        let d = http_date(1_796_524_835).unwrap();
        assert_eq!(
            Timestamp::parse_http_date(&d).unwrap().unix(),
            1_796_524_835
        );
    }

    #[test]
    fn debug_hides_token_and_signature() {
        let c = Credentials::new("id", "TopSecret")
            .unwrap()
            .with_security_token("TokenXYZ")
            .unwrap();
        let s = q()
            .sign(
                &c,
                &q().receive_message(None).unwrap(),
                "Sun, 06 Dec 2026 02:40:35 GMT",
            )
            .unwrap();
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("TokenXYZ") && !shown.contains("TopSecret"),
            "{shown}"
        );
        assert!(!shown.contains(&s.request.header("authorization").unwrap()[7..]));
    }
}

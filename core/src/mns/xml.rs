//! MNS answers (XML) into values or the one [`Error`] model.
//!
//! The shapes are those of the MNS API reference (ReceiveMessage, BatchReceiveMessage,
//! ChangeMessageVisibility, BatchDeleteMessage pages) and of its error page
//! (<https://www.alibabacloud.com/help/en/mns/developer-reference/syntax-of-error-responses>:
//! `<Error><Code/><Message/><RequestId/><HostId/></Error>`), read the way the official SDK's
//! decoders read them (`mns_xml_handler`: the elements under the root, by local name; a
//! missing field is `RespDataDamaged`, here a [`ParseError`]). The parser is bounded: at
//! most [`MAX_MNS_RESPONSE_BYTES`], 8 levels and 4096 elements; a DTD is refused (no entity
//! is ever expanded); bad XML is an error value, never a panic.

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::error::{ApiError, Error, ErrorKind, ParseError};

/// The largest MNS answer parsed, in bytes (8 MiB, as [`MAX_RESPONSE_BYTES`](crate::MAX_RESPONSE_BYTES)):
/// a BatchReceiveMessage of 16 messages of MNS's largest size (64 KiB each, the
/// `MaximumMessageSize` limit of CreateQueue) even if every byte were escaped (`&quot;` is 6
/// bytes for 1), with the elements around them. A host reads at most this much plus one byte.
pub const MAX_MNS_RESPONSE_BYTES: usize = 8 << 20;
const MAX_DEPTH: usize = 8;
const MAX_ELEMENTS: usize = 4096;
const SNIPPET: usize = 120;

/// One message received from a queue (the `Message` element of ReceiveMessage and
/// BatchReceiveMessage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MnsMessage {
    /// `MessageId`.
    pub message_id: String,
    /// `ReceiptHandle`: what deletes the message or changes its visibility, valid until
    /// `NextVisibleTime`.
    pub receipt_handle: String,
    /// `MessageBody`, as MNS sent it (the receipts of CAMS are JSON text; base64 is not
    /// decoded here).
    pub message_body: String,
    /// `MessageBodyMD5`: the upper-case hexadecimal MD5 of the body.
    pub message_body_md5: String,
    /// `EnqueueTime`, unix milliseconds.
    pub enqueue_time: i64,
    /// `FirstDequeueTime`, unix milliseconds.
    pub first_dequeue_time: i64,
    /// `NextVisibleTime`, unix milliseconds: the handle is stale after it.
    pub next_visible_time: i64,
    /// `DequeueCount`: how many times it was received (more than 1: a redelivery).
    pub dequeue_count: i64,
    /// `Priority`.
    pub priority: i64,
}

impl MnsMessage {
    /// Whether `MessageBodyMD5` is the MD5 of `MessageBody` (any case).
    pub fn body_md5_matches(&self) -> bool {
        use md5::{Digest, Md5};
        hex::encode(Md5::digest(self.message_body.as_bytes()))
            .eq_ignore_ascii_case(&self.message_body_md5)
    }
}

/// The answer of ChangeMessageVisibility: the message's *new* receipt handle (the old one
/// is stale) and when it becomes visible again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisibilityChanged {
    /// `ReceiptHandle`, the new one.
    pub receipt_handle: String,
    /// `NextVisibleTime`, unix milliseconds.
    pub next_visible_time: i64,
}

/// One handle BatchDeleteMessage could not delete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteFailure {
    /// `ReceiptHandle`.
    pub receipt_handle: String,
    /// `ErrorCode` (`ReceiptHandleError`: a stale handle; `MessageNotExist`).
    pub error_code: String,
    /// `ErrorMessage`.
    pub error_message: String,
}

/// Parses the answer of ReceiveMessage: `Ok(None)` for an empty poll (HTTP 404
/// `MessageNotExist`, not an error), the message, or the MNS error.
///
/// # Errors
/// [`Error::Api`] for an MNS error (see [`parse_mns_error`]); [`Error::Parse`] for a body
/// that is not a complete `Message`.
pub fn parse_receive_message(status: u16, body: &[u8]) -> Result<Option<MnsMessage>, Error> {
    Ok(parse_messages(status, body, false)?.into_iter().next())
}

/// Parses the answer of BatchReceiveMessage: the messages, or none for an empty poll (HTTP
/// 404 `MessageNotExist`).
///
/// # Errors
/// As [`parse_receive_message`].
pub fn parse_batch_receive_message(status: u16, body: &[u8]) -> Result<Vec<MnsMessage>, Error> {
    parse_messages(status, body, true)
}

fn parse_messages(status: u16, body: &[u8], batch: bool) -> Result<Vec<MnsMessage>, Error> {
    if !(200..300).contains(&status) {
        let err = parse_mns_error(status, body);
        if is_empty_poll(&err) {
            return Ok(Vec::new());
        }
        return Err(err);
    }
    let root = parse_xml(status, body)?;
    let damaged = |why: String| parse_error(status, body, why);
    if batch {
        if root.name != "Messages" {
            return Err(damaged(format!(
                "the root is <{}>, not <Messages>",
                root.name
            )));
        }
        root.children
            .into_iter()
            .filter(|c| c.name == "Message")
            .map(|m| message(m).map_err(&damaged))
            .collect()
    } else {
        if root.name != "Message" {
            return Err(damaged(format!(
                "the root is <{}>, not <Message>",
                root.name
            )));
        }
        Ok(vec![message(root).map_err(damaged)?])
    }
}

/// `MessageNotExist` with a client-error status (MNS sends 404): nothing came within the wait.
fn is_empty_poll(err: &Error) -> bool {
    err.as_api()
        .is_some_and(|a| a.code == "MessageNotExist" && (400..500).contains(&a.status))
}

/// Parses the answer of DeleteMessage (HTTP 204, no body).
///
/// # Errors
/// [`Error::Api`]: the MNS error (`ReceiptHandleError` for a stale handle: the message was
/// received again by someone else or its visibility ran out; see
/// [`is_stale_receipt_handle`]).
pub fn parse_delete_message(status: u16, body: &[u8]) -> Result<(), Error> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(parse_mns_error(status, body))
    }
}

/// Parses the answer of BatchDeleteMessage: the handles it could not delete (none when it
/// answered 204). MNS answers a partial failure with HTTP 404 and `<Errors>`, one `<Error>`
/// per handle (`ErrorCode`, `ErrorMessage`, `ReceiptHandle`).
///
/// # Errors
/// [`Error::Api`] for an error of the whole request (`<Error>`); [`Error::Parse`] for
/// anything else.
pub fn parse_batch_delete_message(status: u16, body: &[u8]) -> Result<Vec<DeleteFailure>, Error> {
    if (200..300).contains(&status) {
        return Ok(Vec::new());
    }
    if let Ok(root) = parse_xml(status, body) {
        if root.name == "Errors" {
            let mut out = Vec::new();
            for e in root.children.iter().filter(|c| c.name == "Error") {
                let f = |n: &str| {
                    e.child(n).map(str::to_owned).ok_or_else(|| {
                        parse_error(status, body, format!("an <Error> has no <{n}>"))
                    })
                };
                out.push(DeleteFailure {
                    receipt_handle: f("ReceiptHandle")?,
                    error_code: f("ErrorCode")?,
                    error_message: f("ErrorMessage")?,
                });
            }
            if out.is_empty() {
                return Err(parse_error(
                    status,
                    body,
                    "<Errors> lists no <Error>".into(),
                ));
            }
            return Ok(out);
        }
    }
    Err(parse_mns_error(status, body))
}

/// Parses the answer of ChangeMessageVisibility.
///
/// # Errors
/// [`Error::Api`] for an MNS error; [`Error::Parse`] for a body that is not a complete
/// `ChangeVisibility`.
pub fn parse_change_message_visibility(
    status: u16,
    body: &[u8],
) -> Result<VisibilityChanged, Error> {
    if !(200..300).contains(&status) {
        return Err(parse_mns_error(status, body));
    }
    let root = parse_xml(status, body)?;
    let damaged = |why: String| parse_error(status, body, why);
    if root.name != "ChangeVisibility" {
        return Err(damaged(format!(
            "the root is <{}>, not <ChangeVisibility>",
            root.name
        )));
    }
    Ok(VisibilityChanged {
        receipt_handle: root
            .child("ReceiptHandle")
            .ok_or_else(|| damaged("no <ReceiptHandle>".into()))?
            .to_owned(),
        next_visible_time: int(&root, "NextVisibleTime").map_err(damaged)?,
    })
}

/// An MNS error answer into the one error model: [`Error::Api`] with `Code`, `Message`,
/// `RequestId`, `HostId` and a [`kind`](ErrorKind) (see [`mns_error_kind`]); a body that is
/// not an MNS `<Error>` is an [`Error::Parse`] that shows the status and the first bytes.
pub fn parse_mns_error(status: u16, body: &[u8]) -> Error {
    let root = match parse_xml(status, body) {
        Ok(r) => r,
        Err(e) => return e,
    };
    if root.name != "Error" {
        return parse_error(
            status,
            body,
            format!("HTTP {status} with <{}>, not an MNS <Error>", root.name),
        );
    }
    let Some(code) = root.child("Code") else {
        return parse_error(status, body, "an MNS <Error> without <Code>".into());
    };
    let text = |n: &str| root.child(n).map(str::to_owned);
    let mut json = serde_json::Map::new();
    for n in ["Code", "Message", "RequestId", "HostId"] {
        if let Some(v) = root.child(n) {
            json.insert(n.to_owned(), serde_json::Value::String(v.to_owned()));
        }
    }
    ApiError {
        status,
        code: code.to_owned(),
        message: text("Message").unwrap_or_default(),
        request_id: text("RequestId"),
        host_id: text("HostId"),
        recommend: None,
        access_denied_detail: None,
        kind: mns_error_kind(status, code),
        server_string_to_sign: None,
        body: serde_json::Value::Object(json),
    }
    .into()
}

/// The kind of an MNS error code (the MNS error codes page,
/// <https://www.alibabacloud.com/help/en/mns/error-codes>), then the common rules of
/// [`ErrorKind::classify`]: `QueueNotExist` and `MessageNotExist` (outside a poll) are
/// [`NotFound`](ErrorKind::NotFound); `AccessDenied` is [`Permission`](ErrorKind::Permission);
/// `InvalidAccessKeyId` and the security-token codes are
/// [`Authentication`](ErrorKind::Authentication) (with queue credentials: fetch a new token,
/// see [`needs_new_token`]); `InvalidAuthorizationHeader`, `MissingAuthorizationHeader`
/// and `SignatureDoesNotMatch` are [`SignatureMismatch`](ErrorKind::SignatureMismatch);
/// `TimeExpired` is [`ClockSkew`](ErrorKind::ClockSkew); `QpsLimitExceeded` is
/// [`Throttling`](ErrorKind::Throttling); `InternalError`/`InternalServerError` are
/// [`Server`](ErrorKind::Server); `ReceiptHandleError` (a stale handle, see
/// [`is_stale_receipt_handle`]), `MalformedXML`, `InvalidArgument`, `InvalidQueryString`,
/// `InvalidRequestURL`, `InvalidDegist`, `InvalidDateHeader`, `InvalidQueueName`,
/// `Missing*` are [`InvalidParameter`](ErrorKind::InvalidParameter).
pub fn mns_error_kind(status: u16, code: &str) -> ErrorKind {
    use ErrorKind::*;
    match code {
        "QueueNotExist" | "MessageNotExist" | "TopicNotExist" | "SubscriptionNotExist" => NotFound,
        "AccessDenied" => Permission,
        "InvalidAccessKeyId" => Authentication,
        _ if code.contains("SecurityToken") || code.contains("StsToken") => Authentication,
        "InvalidAuthorizationHeader" | "MissingAuthorizationHeader" | "SignatureDoesNotMatch" => {
            SignatureMismatch
        }
        "TimeExpired" => ClockSkew,
        "QpsLimitExceeded" => Throttling,
        "InternalError" | "InternalServerError" => Server,
        "ReceiptHandleError"
        | "MalformedXML"
        | "InvalidArgument"
        | "InvalidQueryString"
        | "InvalidRequestURL"
        | "InvalidDegist"
        | "InvalidDateHeader"
        | "InvalidQueueName"
        | "QueueNameLengthError" => InvalidParameter,
        _ if code.starts_with("Missing") => InvalidParameter,
        _ => ErrorKind::classify(status, code),
    }
}

/// Whether an MNS error says the receipt handle is stale (`ReceiptHandleError`): the
/// message's visibility ran out and it was (or will be) delivered again. Not a failure of
/// the handler: the message comes back and is handled again (at-least-once).
pub fn is_stale_receipt_handle(err: &Error) -> bool {
    err.as_api().is_some_and(|a| a.code == "ReceiptHandleError")
}

/// Whether an MNS error means the queue credentials are no longer good (an expired or
/// invalid STS token, an unknown temporary key, `AccessDenied` after the token's policy
/// ran out): fetch a new token with `QueryTokenForMnsQueue`, then try again.
pub fn needs_new_token(err: &Error) -> bool {
    err.as_api()
        .is_some_and(|a| a.kind == ErrorKind::Authentication || a.code == "AccessDenied")
}

// ------------------------------------------------------------------ the tiny XML tree

struct Element {
    name: Cow<'static, str>,
    text: String,
    children: Vec<Element>,
}

/// The names of the elements MNS answers hold (the API reference's pages): one of them is
/// borrowed, any other name is copied.
const NAMES: [&str; 18] = [
    "Messages",
    "Message",
    "MessageId",
    "ReceiptHandle",
    "MessageBody",
    "MessageBodyMD5",
    "EnqueueTime",
    "FirstDequeueTime",
    "NextVisibleTime",
    "DequeueCount",
    "Priority",
    "Error",
    "Errors",
    "Code",
    "RequestId",
    "HostId",
    "ErrorCode",
    "ErrorMessage",
];

/// An element's local name, borrowed when MNS's ([`NAMES`]): a 16-message batch has 161
/// elements, and a copy of each name cost more than reading it.
fn element_name(local: &[u8]) -> Cow<'static, str> {
    match NAMES.iter().find(|n| n.as_bytes() == local) {
        Some(&known) => Cow::Borrowed(known),
        None => Cow::Owned(String::from_utf8_lossy(local).into_owned()),
    }
}

impl Element {
    fn child(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.text.as_str())
    }

    /// The text of the first child `name`, moved out (the tree is read once).
    fn take(&mut self, name: &str) -> Option<String> {
        self.children
            .iter_mut()
            .find(|c| c.name == name)
            .map(|c| std::mem::take(&mut c.text))
    }
}

fn int(e: &Element, name: &str) -> Result<i64, String> {
    let t = e.child(name).ok_or_else(|| format!("no <{name}>"))?;
    t.trim().parse().map_err(|_| {
        format!(
            "<{name}> is not an integer: {:?}",
            crate::error::truncate(t)
        )
    })
}

fn message(mut e: Element) -> Result<MnsMessage, String> {
    let mut text = |n: &str| {
        e.take(n)
            .ok_or_else(|| format!("a <Message> without <{n}>"))
    };
    Ok(MnsMessage {
        message_id: text("MessageId")?,
        receipt_handle: text("ReceiptHandle")?,
        message_body: text("MessageBody")?,
        message_body_md5: text("MessageBodyMD5")?,
        enqueue_time: int(&e, "EnqueueTime")?,
        first_dequeue_time: int(&e, "FirstDequeueTime")?,
        next_visible_time: int(&e, "NextVisibleTime")?,
        dequeue_count: int(&e, "DequeueCount")?,
        priority: int(&e, "Priority")?,
    })
}

fn snippet(body: &[u8]) -> String {
    let mut end = body.len().min(SNIPPET);
    while end > 0 && end < body.len() && std::str::from_utf8(&body[..end]).is_err() {
        end -= 1;
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}

fn parse_error(status: u16, body: &[u8], reason: String) -> Error {
    ParseError {
        status,
        reason: format!("MNS answer: {reason}"),
        snippet: snippet(body),
    }
    .into()
}

fn parse_xml(status: u16, body: &[u8]) -> Result<Element, Error> {
    let fail = |why: String| parse_error(status, body, why);
    if !(100..=599).contains(&status) {
        return Err(fail(format!("{status} is not an HTTP status")));
    }
    if body.len() > MAX_MNS_RESPONSE_BYTES {
        return Err(fail(format!(
            "{} bytes, more than the {MAX_MNS_RESPONSE_BYTES} read",
            body.len()
        )));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(fail("empty body".into()));
    }
    let text = std::str::from_utf8(body).map_err(|_| fail("not UTF-8".into()))?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| fail(format!("not well-formed XML ({e})")))?;
        match event {
            Event::Start(s) | Event::Empty(s) if root.is_some() => {
                let _ = s;
                return Err(fail("content after the root element".into()));
            }
            Event::Start(s) => {
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    return Err(fail("nested too deep or too many elements".into()));
                }
                stack.push(Element {
                    name: element_name(s.local_name().as_ref()),
                    text: String::new(),
                    children: Vec::new(),
                });
            }
            Event::Empty(s) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(fail("too many elements".into()));
                }
                let e = Element {
                    name: element_name(s.local_name().as_ref()),
                    text: String::new(),
                    children: Vec::new(),
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None => root = Some(e),
                }
            }
            Event::End(_) => {
                let Some(e) = stack.pop() else {
                    return Err(fail("an end tag without its start".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None => root = Some(e),
                }
            }
            Event::Text(t) => {
                let t = t
                    .xml_content(XmlVersion::Implicit1_0)
                    .map_err(|_| fail("text that is not UTF-8".into()))?;
                match stack.last_mut() {
                    Some(e) => e.text.push_str(&t),
                    None if t.trim().is_empty() => {}
                    None => return Err(fail("text outside the root element".into())),
                }
            }
            Event::CData(c) => {
                let raw = c.into_inner();
                let t = std::str::from_utf8(&raw)
                    .map_err(|_| fail("CDATA that is not UTF-8".into()))?;
                match stack.last_mut() {
                    Some(e) => e.text.push_str(t),
                    None => return Err(fail("CDATA outside the root element".into())),
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => {
                        let name = r.decode().map_err(|_| fail("a bad reference".into()))?;
                        match name.as_ref() {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => {
                                return Err(fail(format!(
                                    "an unknown entity &{};",
                                    crate::error::truncate(other)
                                )));
                            }
                        }
                    }
                    Err(e) => return Err(fail(format!("a bad character reference ({e})"))),
                };
                match stack.last_mut() {
                    Some(e) => e.text.push(c),
                    None => return Err(fail("a reference outside the root element".into())),
                }
            }
            Event::DocType(_) => return Err(fail("a DTD (refused: no entity is expanded)".into())),
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(fail("cut off: an element is not closed".into()));
    }
    root.ok_or_else(|| fail("no root element".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the ReceiveMessage reference page
    // (https://www.alibabacloud.com/help/en/mns/developer-reference/receivemessage).
    const RECEIVE: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<Message xmlns="http://mns.aliyuncs.com/doc/v1/">
  <MessageId>5F290C926D472878-2-14D9529A8FA-200000001</MessageId>
  <ReceiptHandle>1-ODU4OTkzNDU5My0xNDMyNzI3ODI3LTItOA==</ReceiptHandle>
  <MessageBodyMD5>C5DD56A39F5F7BB8B3337C6D11B6D8C7</MessageBodyMD5>
  <MessageBody>This is a test message</MessageBody>
  <EnqueueTime>1250700979248</EnqueueTime>
  <NextVisibleTime>1250700799348</NextVisibleTime>
  <FirstDequeueTime>1250700779318</FirstDequeueTime>
  <DequeueCount>1</DequeueCount>
  <Priority>8</Priority>
</Message>"#;

    // The example of the error page
    // (https://www.alibabacloud.com/help/en/mns/developer-reference/syntax-of-error-responses).
    const ERROR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error xmlns="http://mns.aliyuncs.com/doc/v1/">
<Code>InvalidArgument</Code>
<Message>Authorization header is invalid or missing.</Message>
<RequestId>04bb60e3-28aa-4706-99b0-9345d834****</RequestId>
<HostId>mns.cn-hangzhou.aliyuncs.com</HostId>
</Error>"#;

    #[test]
    fn reference_page_examples() {
        let m = parse_receive_message(200, RECEIVE.as_bytes())
            .unwrap()
            .unwrap();
        assert_eq!(m.receipt_handle, "1-ODU4OTkzNDU5My0xNDMyNzI3ODI3LTItOA==");
        assert_eq!(m.message_body, "This is a test message");
        assert_eq!(m.enqueue_time, 1_250_700_979_248);
        assert_eq!(m.dequeue_count, 1);
        assert_eq!(m.priority, 8);
        let e = parse_mns_error(400, ERROR.as_bytes());
        let a = e.as_api().unwrap();
        assert_eq!(a.code, "InvalidArgument");
        assert_eq!(a.kind, ErrorKind::InvalidParameter);
        assert_eq!(a.host_id.as_deref(), Some("mns.cn-hangzhou.aliyuncs.com"));
        assert_eq!(
            a.request_id.as_deref(),
            Some("04bb60e3-28aa-4706-99b0-9345d834****")
        );
    }

    #[test]
    fn empty_poll_is_not_an_error() {
        let body = ERROR.replace("InvalidArgument", "MessageNotExist");
        assert_eq!(parse_receive_message(404, body.as_bytes()).unwrap(), None);
        assert!(
            parse_batch_receive_message(404, body.as_bytes())
                .unwrap()
                .is_empty()
        );
        // Outside a poll it is an error.
        let e = parse_delete_message(404, body.as_bytes()).unwrap_err();
        assert_eq!(e.as_api().unwrap().kind, ErrorKind::NotFound);
    }

    #[test]
    fn escapes_cdata_and_references() {
        let body = r#"<Message><MessageId>a</MessageId><ReceiptHandle>h</ReceiptHandle><MessageBody>{&quot;a&quot;:&#34;&lt;&#x26;&gt;&apos;&amp;"<![CDATA[<x>]]>}</MessageBody><MessageBodyMD5>0</MessageBodyMD5><EnqueueTime>1</EnqueueTime><NextVisibleTime>2</NextVisibleTime><FirstDequeueTime>3</FirstDequeueTime><DequeueCount>4</DequeueCount><Priority>5</Priority></Message>"#;
        let m = parse_receive_message(200, body.as_bytes())
            .unwrap()
            .unwrap();
        assert_eq!(m.message_body, r#"{"a":"<&>'&"<x>}"#);
        assert!(!m.body_md5_matches());
        let mut ok = m.clone();
        ok.message_body_md5 = hex::encode(<md5::Md5 as md5::Digest>::digest(
            ok.message_body.as_bytes(),
        ))
        .to_uppercase();
        assert!(ok.body_md5_matches());
    }

    #[test]
    fn bad_inputs_are_errors_never_panics() {
        let cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"   ".to_vec(),
            b"<html><body>502</body></html".to_vec(),
            b"<Message><MessageId>a</MessageId>".to_vec(),
            b"<Message></Error>".to_vec(),
            b"</Message>".to_vec(),
            b"<Message/><Message/>".to_vec(),
            b"text<Message/>".to_vec(),
            b"<!DOCTYPE x [<!ENTITY e \"boom\">]><Message>&e;</Message>".to_vec(),
            b"<Message>&e;</Message>".to_vec(),
            b"<Message>&#xD800;</Message>".to_vec(),
            b"<Message>&#99999999;</Message>".to_vec(),
            vec![0xff, 0xfe, b'<'],
            b"<Message><EnqueueTime>x</EnqueueTime></Message>".to_vec(),
            "<a>".repeat(20).into_bytes(),
            "<Messages>"
                .bytes()
                .chain("<M/>".repeat(5000).bytes())
                .chain("</Messages>".bytes())
                .collect(),
            vec![b' '; MAX_MNS_RESPONSE_BYTES + 1],
            b"{\"Code\":\"OK\"}".to_vec(),
        ];
        for body in &cases {
            for status in [200u16, 404, 500] {
                let r = parse_receive_message(status, body);
                assert!(
                    r.is_err(),
                    "{:?} {status}",
                    String::from_utf8_lossy(&body[..body.len().min(40)])
                );
                let r = parse_batch_receive_message(status, body);
                assert!(r.is_err());
                let _ = parse_change_message_visibility(status, body).unwrap_err();
                if status != 200 {
                    let _ = parse_batch_delete_message(status, body).unwrap_err();
                    let e = parse_mns_error(status, body);
                    assert!(matches!(e, Error::Parse(_)), "{e}");
                    assert!(e.to_string().len() < 400);
                }
            }
        }
        // An XML error answer that is not MNS's.
        let e = parse_mns_error(403, b"<Error><Message>no code</Message></Error>");
        assert!(e.to_string().contains("without <Code>"), "{e}");
    }

    #[test]
    fn kinds_and_advice() {
        let err = |code: &str, status: u16| {
            parse_mns_error(status, ERROR.replace("InvalidArgument", code).as_bytes())
        };
        assert!(is_stale_receipt_handle(&err("ReceiptHandleError", 400)));
        assert!(!is_stale_receipt_handle(&err("MessageNotExist", 404)));
        assert!(needs_new_token(&err("InvalidAccessKeyId", 403)));
        assert!(needs_new_token(&err("SecurityTokenExpired", 400)));
        assert!(needs_new_token(&err("AccessDenied", 403)));
        assert!(!needs_new_token(&err("QueueNotExist", 404)));
        assert_eq!(mns_error_kind(404, "QueueNotExist"), ErrorKind::NotFound);
        assert_eq!(
            mns_error_kind(403, "QpsLimitExceeded"),
            ErrorKind::Throttling
        );
        assert_eq!(mns_error_kind(408, "TimeExpired"), ErrorKind::ClockSkew);
        assert_eq!(mns_error_kind(503, "Whatever"), ErrorKind::Server);
        assert!(mns_error_kind(500, "InternalServerError").retryable());
    }
}

#[cfg(test)]
mod status_checks {
    use super::*;

    const NOT_EXIST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>MessageNotExist</Code><Message>Message not exist.</Message><RequestId>r</RequestId><HostId>h</HostId></Error>"#;

    #[test]
    fn an_empty_poll_needs_a_client_error_status() {
        assert_eq!(parse_receive_message(404, NOT_EXIST).unwrap(), None);
        // Found by the mns_xml fuzz target: a status that is no HTTP status is a parse error,
        // and a 5xx with that code is an error, not an empty poll.
        let e = parse_receive_message(16788, NOT_EXIST).unwrap_err();
        assert!(e.to_string().contains("not an HTTP status"), "{e}");
        assert!(parse_batch_receive_message(503, NOT_EXIST).is_err());
    }
}

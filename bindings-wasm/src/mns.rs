//! MNS and Dybaseapi signing, thinly: core's [`MnsQueue`] requests (`ReceiveMessage`,
//! `BatchReceiveMessage`, `DeleteMessage`, `BatchDeleteMessage`, `ChangeMessageVisibility`)
//! signed by [`MnsQueue::sign`] (`Authorization: MNS id:signature`), and
//! [`sign_query_token_for_mns_queue`], with the client's credentials; and their XML answers
//! read by core ([`parse_receive_message`] and its siblings: `parseMnsAnswer`). `client.receipts`
//! runs them through core's Consumer; these are for a host's own queue loop and for the vectors
//! of the official SDKs (`tests/vectors/mns.json`).

use camskit::mns::{
    DeleteFailure, MnsMessage, MnsQueue, MnsRequest, http_date, parse_batch_delete_message,
    parse_batch_receive_message, parse_change_message_visibility, parse_delete_message,
    parse_receive_message, sign_query_token_for_mns_queue,
};
use js_sys::{Array, Object};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

use crate::answers::status_from_js;
use crate::client::{WasmSigner, signed_to_js};
use crate::convert::{
    bytes_from_js, get, js_text, opt_str, opt_string, opt_u64, options_object, set,
    timestamp_from_js, type_name,
};
use crate::errors::{bad_arg, core};
use crate::tojs::value_to_js;

const MNS_OPTIONS: [&str; 9] = [
    "endpoint",
    "queue",
    "operation",
    "waitSeconds",
    "numOfMessages",
    "receiptHandle",
    "receiptHandles",
    "visibilityTimeout",
    "date",
];

const TOKEN_OPTIONS: [&str; 4] = ["messageType", "queueName", "timestamp", "nonce"];

const OPERATIONS: &str = "ReceiveMessage, BatchReceiveMessage, DeleteMessage, BatchDeleteMessage, ChangeMessageVisibility";

fn unknown_operation(other: &str) -> JsValue {
    bad_arg(
        "operation",
        format!(
            "unknown MNS operation {:?} ({OPERATIONS})",
            camskit::truncate(other)
        ),
    )
}

fn required_text(options: &JsValue, key: &str) -> Result<String, JsValue> {
    opt_string(&get(options, key), key)?.ok_or_else(|| bad_arg(key, "missing (expected a string)"))
}

fn opt_u32(options: &JsValue, key: &str) -> Result<Option<u32>, JsValue> {
    match opt_u64(&get(options, key), key)? {
        None => Ok(None),
        Some(v) => u32::try_from(v)
            .map(Some)
            .map_err(|_| bad_arg(key, format!("{v} is too large"))),
    }
}

/// The request `options.operation` names, built by core's [`MnsQueue`].
fn mns_request(queue: &MnsQueue, options: &JsValue) -> Result<MnsRequest, JsValue> {
    let operation = required_text(options, "operation")?;
    let wait = opt_u32(options, "waitSeconds")?;
    let handle = || required_text(options, "receiptHandle");
    core(match operation.as_str() {
        "ReceiveMessage" => queue.receive_message(wait),
        "BatchReceiveMessage" => {
            let n = opt_u64(&get(options, "numOfMessages"), "numOfMessages")?
                .ok_or_else(|| bad_arg("numOfMessages", "missing (expected 1 to 16)"))?;
            queue.batch_receive_message(usize::try_from(n).unwrap_or(usize::MAX), wait)
        }
        "DeleteMessage" => queue.delete_message(&handle()?),
        "BatchDeleteMessage" => {
            let v = get(options, "receiptHandles");
            if !Array::is_array(&v) {
                return Err(bad_arg(
                    "receiptHandles",
                    format!("expected an array of strings, got {}", type_name(&v)),
                ));
            }
            let mut handles = Vec::new();
            for (i, h) in Array::from(&v).iter().enumerate() {
                match js_text(&h) {
                    Ok(Some(s)) => handles.push(s),
                    _ => {
                        return Err(bad_arg(
                            "receiptHandles",
                            format!("item {i} is {}, not a string", type_name(&h)),
                        ));
                    }
                }
            }
            queue.batch_delete_message(&handles)
        }
        "ChangeMessageVisibility" => {
            let t = opt_u32(options, "visibilityTimeout")?
                .ok_or_else(|| bad_arg("visibilityTimeout", "missing (expected seconds)"))?;
            queue.change_message_visibility(&handle()?, t)
        }
        other => return Err(unknown_operation(other)),
    })
}

/// Core's [`MnsMessage`], its fields in camelCase (integers exact: `BigInt` beyond 2^53 − 1).
fn message_value(m: &MnsMessage) -> Value {
    let mut o = Map::new();
    o.insert("messageId".into(), Value::from(m.message_id.as_str()));
    o.insert(
        "receiptHandle".into(),
        Value::from(m.receipt_handle.as_str()),
    );
    o.insert("messageBody".into(), Value::from(m.message_body.as_str()));
    o.insert(
        "messageBodyMd5".into(),
        Value::from(m.message_body_md5.as_str()),
    );
    o.insert("enqueueTime".into(), Value::from(m.enqueue_time));
    o.insert("firstDequeueTime".into(), Value::from(m.first_dequeue_time));
    o.insert("nextVisibleTime".into(), Value::from(m.next_visible_time));
    o.insert("dequeueCount".into(), Value::from(m.dequeue_count));
    o.insert("priority".into(), Value::from(m.priority));
    Value::Object(o)
}

fn failure_value(f: &DeleteFailure) -> Value {
    let mut o = Map::new();
    o.insert(
        "receiptHandle".into(),
        Value::from(f.receipt_handle.as_str()),
    );
    o.insert("errorCode".into(), Value::from(f.error_code.as_str()));
    o.insert("errorMessage".into(), Value::from(f.error_message.as_str()));
    Value::Object(o)
}

/// Core's reading of the XML answer (HTTP `status`, `body` a string, `Uint8Array` or
/// `ArrayBuffer`) of the MNS `operation` (as `signMns` names it):
///
/// | operation | core | value |
/// |---|---|---|
/// | `ReceiveMessage` | [`parse_receive_message`] | the message, or `null` for an empty poll |
/// | `BatchReceiveMessage` | [`parse_batch_receive_message`] | the messages (`[]`: an empty poll) |
/// | `DeleteMessage` | [`parse_delete_message`] | `null` |
/// | `BatchDeleteMessage` | [`parse_batch_delete_message`] | the handles not deleted (`[]`: all were) |
/// | `ChangeMessageVisibility` | [`parse_change_message_visibility`] | `{ receiptHandle, nextVisibleTime }` |
///
/// A message is `{ messageId, receiptHandle, messageBody, messageBodyMd5, enqueueTime,
/// firstDequeueTime, nextVisibleTime, dequeueCount, priority }`; a failure `{ receiptHandle,
/// errorCode, errorMessage }`. An MNS error throws core's `ApiError` (`code`, `apiMessage`,
/// `requestId`, `hostId`, `kind`); a body that is not the answer, core's `ParseError`.
#[wasm_bindgen(js_name = parseMnsAnswer)]
pub fn parse_mns_answer(
    operation: JsValue,
    status: JsValue,
    body: JsValue,
) -> Result<JsValue, JsValue> {
    let operation = match js_text(&operation) {
        Ok(Some(op)) => op,
        _ => {
            return Err(bad_arg(
                "operation",
                format!(
                    "expected a string ({OPERATIONS}), got {}",
                    type_name(&operation)
                ),
            ));
        }
    };
    let status = status_from_js(&status)?;
    let body = bytes_from_js(&body, "body")?;
    let value = match operation.as_str() {
        "ReceiveMessage" => core(parse_receive_message(status, &body))?
            .as_ref()
            .map_or(Value::Null, message_value),
        "BatchReceiveMessage" => Value::Array(
            core(parse_batch_receive_message(status, &body))?
                .iter()
                .map(message_value)
                .collect(),
        ),
        "DeleteMessage" => {
            core(parse_delete_message(status, &body))?;
            Value::Null
        }
        "BatchDeleteMessage" => Value::Array(
            core(parse_batch_delete_message(status, &body))?
                .iter()
                .map(failure_value)
                .collect(),
        ),
        "ChangeMessageVisibility" => {
            let v = core(parse_change_message_visibility(status, &body))?;
            let mut o = Map::new();
            o.insert("receiptHandle".into(), Value::from(v.receipt_handle));
            o.insert("nextVisibleTime".into(), Value::from(v.next_visible_time));
            Value::Object(o)
        }
        other => return Err(unknown_operation(other)),
    };
    Ok(value_to_js(&value))
}

#[wasm_bindgen]
impl WasmSigner {
    /// One MNS queue request signed with this signer's credentials: `{ method, url, headers,
    /// body, purpose, timeoutMs, resource, stringToSign }`. `options`: `{ endpoint, queue,
    /// operation, waitSeconds?, numOfMessages?, receiptHandle?, receiptHandles?,
    /// visibilityTimeout?, date? }` (`date`: the HTTP date text to sign, or a Date / Unix
    /// seconds; default now).
    #[wasm_bindgen(js_name = signMns)]
    pub fn sign_mns(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let options = options_object(&options, "MNS request", &MNS_OPTIONS)?;
        let queue = core(MnsQueue::new(
            &required_text(&options, "endpoint")?,
            &required_text(&options, "queue")?,
        ))?;
        let req = mns_request(&queue, &options)?;
        let date = get(&options, "date");
        let date = match js_text(&date) {
            Ok(Some(text)) => text,
            _ => core(http_date(timestamp_from_js(&date)?.unix()))?,
        };
        let signed = core(queue.sign(self.signer.credentials(), &req, &date))?;
        let r = &signed.request;
        let o = Object::new();
        set(&o, "method", r.method.as_str());
        set(&o, "url", r.url.as_str());
        let headers = Object::new();
        for (n, v) in &r.headers {
            set(&headers, n, v.as_str());
        }
        set(&o, "headers", headers);
        set(&o, "body", opt_str(r.body.as_deref()));
        set(&o, "purpose", r.purpose.as_str());
        set(&o, "timeoutMs", r.timeout_ms as f64);
        set(&o, "resource", req.resource.as_str());
        set(&o, "stringToSign", signed.string_to_sign.as_str());
        Ok(o.into())
    }

    /// Dybaseapi `QueryTokenForMnsQueue` (RPC 1.0) signed with this signer's credentials, as
    /// `sign` returns it. `options`: `{ messageType, queueName?, timestamp?, nonce }`.
    #[wasm_bindgen(js_name = signQueryTokenForMnsQueue)]
    pub fn sign_query_token(
        &self,
        options: JsValue,
        nonce: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let options = options_object(&options, "QueryTokenForMnsQueue options", &TOKEN_OPTIONS)?;
        let message_type = required_text(&options, "messageType")?;
        let queue = opt_string(&get(&options, "queueName"), "queueName")?;
        let now = timestamp_from_js(&get(&options, "timestamp"))?;
        let nonce = match opt_string(&get(&options, "nonce"), "nonce")? {
            Some(n) => n,
            None => nonce.ok_or_else(|| bad_arg("nonce", "missing"))?,
        };
        let signed = core(sign_query_token_for_mns_queue(
            self.signer.credentials(),
            &message_type,
            queue.as_deref(),
            now,
            &nonce,
        ))?;
        Ok(signed_to_js(&signed))
    }
}

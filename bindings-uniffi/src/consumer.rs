//! The MNS receipts consumer: core's sans-I/O [`camskit::mns::Consumer`] driven over the app's
//! [`HttpTransport`], blocking ([`ReceiptsConsumer::next`]).
//!
//! Every decision is core's: which request comes next (token, long poll, delete, visibility
//! change), what an answer means, when to back off and how long, what is a duplicate or
//! poison, when the consumer is over. This file gives core the clock, a fresh nonce and the
//! client's credentials, sends what core asks through the transport, sleeps when core says
//! wait, and hands the deliveries to the app.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use camskit::TransportFailure;
use camskit::mns::{self, ConsumerStep};

use crate::receipts::{ReceiptEvent, events};
use crate::transport::{HttpTransport, now_ms};
use crate::{CamsClient, CamsError, guard};

/// How a [`ReceiptsConsumer`] works (core's `mns::ConsumerOptions`). Absent values are core's
/// defaults (batches of 16, 30 s long polls, poison after 10 receipts, a window of 100,000
/// events, backoff from 500 ms up to 30 s).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReceiptsConsumerOptions {
    /// The receipts' type: `ChatAppStatus`, `ChatAppInbound`, `ChatAppAudit`.
    pub message_type: String,
    /// The queue's name (`Alicom-Queue-<account>-ChatAppStatus`).
    pub queue_name: String,
    /// The queue's MNS endpoint (a URL or host).
    pub mns_endpoint: String,
    /// Where `QueryTokenForMnsQueue` goes; absent: `dybaseapi.aliyuncs.com`.
    #[uniffi(default = None)]
    pub token_endpoint: Option<String>,
    /// Messages per poll, 1 to 16.
    #[uniffi(default = None)]
    pub batch_size: Option<u32>,
    /// The long poll's wait, 0 to 30 s.
    #[uniffi(default = None)]
    pub wait_seconds: Option<u32>,
    /// Delete handled messages (`false`: leave everything in the queue, to look without
    /// consuming).
    #[uniffi(default = true)]
    pub delete: bool,
    /// A message received more often than this is delivered with `poison` set.
    #[uniffi(default = None)]
    pub max_dequeue_count: Option<i64>,
    /// How many handled events the in-process dedup window remembers.
    #[uniffi(default = None)]
    pub dedup_capacity: Option<u32>,
    /// The first backoff's ceiling after an error, in milliseconds.
    #[uniffi(default = None)]
    pub backoff_base_ms: Option<u64>,
    /// The largest backoff ceiling, in milliseconds.
    #[uniffi(default = None)]
    pub backoff_max_ms: Option<u64>,
    /// Send credentials over plain `http://` to a token or queue endpoint that is not loopback
    /// (refused otherwise, before anything is sent).
    #[uniffi(default = false)]
    pub allow_insecure_http: bool,
}

impl ReceiptsConsumerOptions {
    fn core(&self) -> mns::ConsumerOptions {
        let mut o =
            mns::ConsumerOptions::new(&self.message_type, &self.queue_name, &self.mns_endpoint);
        o.token_endpoint.clone_from(&self.token_endpoint);
        if let Some(n) = self.batch_size {
            o.batch_size = n as usize;
        }
        if let Some(n) = self.wait_seconds {
            o.wait_seconds = n;
        }
        o.delete = self.delete;
        o.allow_insecure_http = self.allow_insecure_http;
        // Core's refusal of plain HTTP names the option as Kotlin and Swift spell it.
        o.insecure_http_option = "allowInsecureHttp";
        if let Some(n) = self.max_dequeue_count {
            o.max_dequeue_count = n;
        }
        if let Some(n) = self.dedup_capacity {
            o.dedup_capacity = n as usize;
        }
        if let Some(n) = self.backoff_base_ms {
            o.backoff_base_ms = n;
        }
        if let Some(n) = self.backoff_max_ms {
            o.backoff_max_ms = n;
        }
        o
    }
}

/// One queue message for the app's handler: report it with `handled(messageId)` or
/// `failed(messageId)` before the next `next()`.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Delivery {
    /// The MNS `MessageId`: what `handled`, `failed` and `extend` take.
    pub message_id: String,
    /// Its events (empty when the body could not be read: see `parseError`).
    pub events: Vec<ReceiptEvent>,
    /// Why the body could not be read (core's sentence), else `null`. Report it `failed`
    /// to see it again, or `handled` to drop it.
    pub parse_error: Option<String>,
    /// Every event of it was handled already in this process (a redelivery after a lost
    /// delete, or a repeated push): usually reported handled without acting again.
    pub duplicate: bool,
    /// Received more often than `maxDequeueCount` (the app decides: usually park it
    /// elsewhere and report it handled).
    pub poison: bool,
    /// The body as MNS sent it.
    pub message_body: String,
    /// Whether `MessageBodyMD5` is the MD5 of the body.
    pub body_md5_matches: bool,
    /// `DequeueCount`: how many times it was received (more than 1: a redelivery).
    pub dequeue_count: i64,
    /// `EnqueueTime`, unix milliseconds.
    pub enqueue_time: i64,
    /// `FirstDequeueTime`, unix milliseconds.
    pub first_dequeue_time: i64,
    /// `NextVisibleTime`, unix milliseconds.
    pub next_visible_time: i64,
    /// `Priority`.
    pub priority: i64,
}

impl From<mns::Delivery> for Delivery {
    fn from(d: mns::Delivery) -> Self {
        let (events, parse_error) = match d.events {
            Ok(e) => (events(e), None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        Delivery {
            body_md5_matches: d.message.body_md5_matches(),
            message_id: d.message.message_id,
            events,
            parse_error,
            duplicate: d.duplicate,
            poison: d.poison,
            message_body: d.message.message_body,
            dequeue_count: d.message.dequeue_count,
            enqueue_time: d.message.enqueue_time,
            first_dequeue_time: d.message.first_dequeue_time,
            next_visible_time: d.message.next_visible_time,
            priority: d.message.priority,
        }
    }
}

struct State {
    machine: mns::Consumer,
    /// A batch core handed over while `extend` drove it (not expected: kept for `next`).
    stash: Option<Vec<Delivery>>,
}

/// A blocking consumer of one receipts queue (core's `mns::Consumer`): `next()` returns the
/// next batch, `null` once stopped; report each delivery with `handled` or `failed`.
/// At-least-once: a message is deleted only after `handled`. Thread-safe: `handled`,
/// `failed`, `extend` and `stop` may come from other threads than `next()`'s.
#[derive(uniffi::Object)]
pub struct ReceiptsConsumer {
    client: Arc<CamsClient>,
    transport: Arc<dyn HttpTransport>,
    state: Mutex<State>,
    /// One driver at a time (`next` or `extend`).
    driving: Mutex<()>,
}

enum Mode {
    Next,
    Extend,
}

#[uniffi::export]
impl ReceiptsConsumer {
    /// A consumer of `options.queueName`. `client` gives the account's credentials (they sign
    /// `QueryTokenForMnsQueue` only; the queue's requests are signed with its token);
    /// `transport` sends every request, each with its `timeoutMs`. Nothing is sent here.
    /// Bad options throw `CamsException.Validation`.
    #[uniffi::constructor]
    pub fn new(
        client: Arc<CamsClient>,
        transport: Arc<dyn HttpTransport>,
        options: ReceiptsConsumerOptions,
    ) -> Result<Arc<Self>, CamsError> {
        guard(|| {
            let machine = mns::Consumer::new(options.core())?;
            Ok(Arc::new(ReceiptsConsumer {
                client,
                transport,
                state: Mutex::new(State {
                    machine,
                    stash: None,
                }),
                driving: Mutex::new(()),
            }))
        })
    }

    /// Blocks until the next batch (fetching the token, long-polling, deleting what was
    /// handled, backing off after errors, all as core decides), and returns it; `null` once
    /// the consumer is over after `stop()`. Throws when core ends it with an error (a refused
    /// account key, a queue that does not exist), or when the last batch is not reported.
    pub fn next(&self) -> Result<Option<Vec<Delivery>>, CamsError> {
        guard(|| self.drive(Mode::Next))
    }

    /// The handler succeeded on `messageId`: it is deleted (unless `delete` is off) by the
    /// next `next()`. Throws `CamsException.Validation` for an id not in the last batch.
    pub fn handled(&self, message_id: String) -> Result<(), CamsError> {
        guard(|| Ok(self.lock().machine.handled(&message_id)?))
    }

    /// The handler failed on `messageId`: it stays in the queue and comes back after its
    /// visibility timeout.
    pub fn failed(&self, message_id: String) -> Result<(), CamsError> {
        guard(|| Ok(self.lock().machine.failed(&message_id)?))
    }

    /// Keeps `messageId` hidden `seconds` longer (a slow handler): sends core's
    /// `ChangeMessageVisibility` now, blocking. Throws for an id not awaiting its handler.
    pub fn extend(&self, message_id: String, seconds: u32) -> Result<(), CamsError> {
        guard(|| {
            self.lock().machine.extend(&message_id, seconds)?;
            self.drive(Mode::Extend).map(|_| ())
        })
    }

    /// Ends the consumer once the last batch is reported and its deletes are done: `next()`
    /// then returns `null` (core decides when: a backoff in progress runs out first).
    pub fn stop(&self) {
        self.lock().machine.stop();
    }

    /// `messageId` was never handed to a handler: visible again at once (core's
    /// `Consumer::release`), not deleted. Throws for an id not awaiting its handler.
    pub fn release(&self, message_id: String) -> Result<(), CamsError> {
        guard(|| Ok(self.lock().machine.release(&message_id)?))
    }

    /// Leaves early (a `break` out of `deliveries()`): core releases every delivery not yet
    /// reported, and stops once what was handled is deleted (the next `next()` sends that and
    /// returns `null`). Returns how many were released.
    pub fn stop_early(&self) -> u32 {
        u32::try_from(self.lock().machine.stop_early()).unwrap_or(u32::MAX)
    }

    /// Messages handed to the handler so far.
    pub fn delivered(&self) -> u64 {
        self.lock().machine.delivered()
    }

    /// Messages deleted so far (handled, and MNS confirmed).
    pub fn deleted(&self) -> u64 {
        self.lock().machine.deleted()
    }
}

impl ReceiptsConsumer {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn drive(&self, mode: Mode) -> Result<Option<Vec<Delivery>>, CamsError> {
        let _driver = self.driving.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            let account = self.client.current_credentials()?;
            let nonce = crate::nonce::fresh_nonce();
            let mut state = self.lock();
            if matches!(mode, Mode::Next)
                && let Some(batch) = state.stash.take()
            {
                return Ok(Some(batch));
            }
            match state.machine.poll(now_ms(), &nonce, &account) {
                ConsumerStep::Send(request) => {
                    drop(state);
                    let answer = self.transport.send(request.into());
                    let mut state = self.lock();
                    match answer {
                        Ok(answer) => match u16::try_from(answer.status) {
                            Ok(status) => state.machine.on_response(now_ms(), status, &answer.body),
                            Err(_) => state.machine.on_transport_error(
                                now_ms(),
                                TransportFailure::ResetAfterSend,
                                &format!(
                                    "the transport returned {}, not an HTTP status",
                                    answer.status
                                ),
                            ),
                        },
                        Err(e) => {
                            let (failure, reason) = e.core();
                            state.machine.on_transport_error(now_ms(), failure, reason);
                        }
                    }
                }
                ConsumerStep::Deliver(batch) => {
                    let batch: Vec<Delivery> = batch.into_iter().map(Into::into).collect();
                    match mode {
                        Mode::Next => return Ok(Some(batch)),
                        Mode::Extend => {
                            state.stash = Some(batch);
                            return Ok(None);
                        }
                    }
                }
                ConsumerStep::Idle => {
                    return match mode {
                        Mode::Extend => Ok(None),
                        Mode::Next => Err(camskit::Error::InvalidInput {
                            what: "ReceiptsConsumer.next".into(),
                            problem: "the last batch is not reported yet: call handled or failed for each delivery first".into(),
                        }
                        .into()),
                    };
                }
                ConsumerStep::Wait { millis, .. } => {
                    if matches!(mode, Mode::Extend) {
                        // The backoff is for the next `next()`; a handler does not sleep here.
                        return Ok(None);
                    }
                    drop(state);
                    std::thread::sleep(Duration::from_millis(millis));
                }
                ConsumerStep::Done(result) => {
                    result?;
                    return Ok(None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Credentials;
    use crate::transport::{HttpRequest, HttpResponse, TransportError};

    /// A tiny MNS stand-in: a token, one batch of two messages, then empty polls; records
    /// what was sent.
    struct Fake {
        sent: Mutex<Vec<HttpRequest>>,
        received: Mutex<bool>,
    }

    fn xml(status: i32, body: &str) -> Result<HttpResponse, TransportError> {
        Ok(HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        })
    }

    impl HttpTransport for Fake {
        fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
            self.sent.lock().unwrap().push(request.clone());
            match request.purpose.as_str() {
                "dybaseapi:QueryTokenForMnsQueue" => xml(
                    200,
                    r#"{"Code":"OK","Message":"OK","RequestId":"t","MessageTokenDTO":{"AccessKeyId":"STS.k","AccessKeySecret":"s","SecurityToken":"tok","CreateTime":"2020-01-01 00:00:00","ExpireTime":"2099-01-01 00:00:00"}}"#,
                ),
                "mns:BatchReceiveMessage" => {
                    let mut received = self.received.lock().unwrap();
                    if *received {
                        return xml(
                            404,
                            r#"<Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>MessageNotExist</Code><Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>"#,
                        );
                    }
                    *received = true;
                    let one = |id: &str, body: &str| {
                        format!(
                            "<Message><MessageId>{id}</MessageId><ReceiptHandle>h-{id}</ReceiptHandle><MessageBody>{body}</MessageBody><MessageBodyMD5>0</MessageBodyMD5><EnqueueTime>1</EnqueueTime><NextVisibleTime>2</NextVisibleTime><FirstDequeueTime>1</FirstDequeueTime><DequeueCount>1</DequeueCount><Priority>8</Priority></Message>"
                        )
                    };
                    xml(
                        200,
                        &format!(
                            r#"<Messages xmlns="http://mns.aliyuncs.com/doc/v1/">{}{}</Messages>"#,
                            one(
                                "A",
                                r#"{"MessageId":"9223372036854775807","Status":"Read","Timestamp":1}"#
                            ),
                            one("B", "not base64!")
                        ),
                    )
                }
                "mns:BatchDeleteMessage" => xml(204, ""),
                other => panic!("unexpected {other}"),
            }
        }
    }

    #[test]
    fn a_batch_is_delivered_and_only_the_handled_message_deleted() {
        let fake = Arc::new(Fake {
            sent: Mutex::new(Vec::new()),
            received: Mutex::new(false),
        });
        let client = CamsClient::new(
            Credentials::new("LTAI5tAccount".into(), "secret".into(), None).unwrap(),
            None,
            None,
        )
        .unwrap();
        let consumer = ReceiptsConsumer::new(
            client,
            fake.clone(),
            ReceiptsConsumerOptions {
                message_type: "ChatAppStatus".into(),
                queue_name: "Alicom-Queue-1-ChatAppStatus".into(),
                mns_endpoint: "http://127.0.0.1:9".into(),
                token_endpoint: Some("http://127.0.0.1:9".into()),
                batch_size: Some(2),
                wait_seconds: Some(1),
                delete: true,
                max_dequeue_count: None,
                dedup_capacity: None,
                backoff_base_ms: Some(1),
                backoff_max_ms: Some(2),
                allow_insecure_http: false,
            },
        )
        .unwrap();
        let batch = consumer.next().unwrap().unwrap();
        assert_eq!(batch.len(), 2);
        let ReceiptEvent::Status { event } = &batch[0].events[0] else {
            panic!("{batch:?}")
        };
        assert_eq!(event.message_id, "9223372036854775807");
        assert!(!batch[0].duplicate && batch[0].parse_error.is_none());
        assert!(batch[1].events.is_empty());
        assert!(batch[1].parse_error.as_deref().unwrap().contains("base64"));
        // Not reported yet: next() refuses rather than blocking for ever.
        assert!(matches!(consumer.next(), Err(CamsError::Validation { .. })));
        assert!(consumer.handled("nope".into()).is_err());
        consumer.handled("A".into()).unwrap();
        consumer.failed("B".into()).unwrap();
        consumer.stop();
        assert_eq!(consumer.next().unwrap(), None);
        assert_eq!((consumer.delivered(), consumer.deleted()), (2, 1));
        let sent = fake.sent.lock().unwrap();
        let purposes: Vec<&str> = sent.iter().map(|r| r.purpose.as_str()).collect();
        assert_eq!(
            purposes,
            [
                "dybaseapi:QueryTokenForMnsQueue",
                "mns:BatchReceiveMessage",
                "mns:BatchDeleteMessage"
            ]
        );
        let delete = sent[2].body.as_deref().unwrap();
        assert!(
            delete.contains("h-A") && !delete.contains("h-B"),
            "{delete}"
        );
        assert_eq!(
            sent[1].timeout_ms,
            1_000 + camskit::mns::LONG_POLL_MARGIN_MS
        );
    }

    #[test]
    fn bad_options_and_refused_keys_are_errors() {
        let client = CamsClient::new(
            Credentials::new("LTAI5tAccount".into(), "secret".into(), None).unwrap(),
            None,
            None,
        )
        .unwrap();
        struct Refuse;
        impl HttpTransport for Refuse {
            fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
                xml(
                    400,
                    r#"{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}"#,
                )
            }
        }
        let options = |batch| ReceiptsConsumerOptions {
            message_type: "ChatAppStatus".into(),
            queue_name: "Alicom-Queue-1-ChatAppStatus".into(),
            mns_endpoint: "http://127.0.0.1:9".into(),
            token_endpoint: None,
            batch_size: Some(batch),
            wait_seconds: None,
            delete: true,
            max_dequeue_count: None,
            dedup_capacity: None,
            backoff_base_ms: None,
            backoff_max_ms: None,
            allow_insecure_http: false,
        };
        let err = ReceiptsConsumer::new(client.clone(), Arc::new(Refuse), options(17))
            .err()
            .unwrap();
        assert!(err.to_string().contains("batch size"), "{err}");
        // Plain HTTP to a remote host: core's refusal, naming Kotlin's and Swift's option.
        let mut remote = options(16);
        remote.mns_endpoint = "http://mns.example.com".into();
        let err = ReceiptsConsumer::new(client.clone(), Arc::new(Refuse), remote.clone())
            .err()
            .unwrap();
        let text = err.to_string();
        assert!(matches!(err, CamsError::Validation { .. }), "{err:?}");
        assert!(
            text.contains("clear text") && text.contains("allowInsecureHttp"),
            "{text}"
        );
        assert!(!text.contains("allow_insecure_http"), "{text}");
        remote.allow_insecure_http = true;
        assert!(ReceiptsConsumer::new(client.clone(), Arc::new(Refuse), remote).is_ok());
        let c = ReceiptsConsumer::new(client, Arc::new(Refuse), options(16)).unwrap();
        let err = c.next().unwrap_err();
        assert!(matches!(err, CamsError::Api { .. }), "{err:?}");
        assert!(
            err.to_string().contains("InvalidAccessKeyId.NotFound"),
            "{err}"
        );
    }
}

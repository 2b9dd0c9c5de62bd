//! A receipts queue consumer as a sans-I/O state machine, driven like [`Call`](crate::Call):
//! the host asks what to do ([`Consumer::poll`]), performs it, and reports what happened.
//!
//! The loop: fetch the queue's token (Dybaseapi `QueryTokenForMnsQueue`) → long-poll a batch
//! (`BatchReceiveMessage`) → hand the batch to the host's handler ([`ConsumerStep::Deliver`])
//! → delete only what the host reports handled ([`Consumer::handled`]) → poll again. The
//! rules, at-least-once:
//! - a message is deleted only after its handler succeeded, never before; a handler failure
//!   ([`Consumer::failed`]) or a crash leaves it in the queue, to be delivered again when its
//!   visibility timeout ends;
//! - a slow handler keeps its messages hidden with [`Consumer::extend`]
//!   (`ChangeMessageVisibility`, which gives a new receipt handle; the machine keeps it);
//! - each delivery says whether all its events were already handled in this process (a
//!   bounded [`DedupWindow`]: a delete that was lost brings the message back) and whether it was
//!   received more often than [`ConsumerOptions::max_dequeue_count`] (poison: the host decides,
//!   usually handled = parked elsewhere);
//! - errors back off (full jitter, capped); an expired or refused token is fetched again; a
//!   queue that does not exist or a permission refused on the token ends the consumer.

use std::collections::HashMap;

use super::sign::{MAX_BATCH, MAX_WAIT_SECONDS, MnsQueue};
use super::token::{MnsToken, parse_query_token_answer, query_token_for_mns_queue_at};
use super::xml::{
    MnsMessage, needs_new_token, parse_batch_delete_message, parse_batch_receive_message,
    parse_change_message_visibility,
};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind};
use crate::http::{HttpRequest, TransportFailure};
use crate::receipts::{DedupWindow, Event, parse_mns_body};
use crate::timestamp::Timestamp;

/// How a [`Consumer`] works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerOptions {
    /// The receipts' type: `ChatAppStatus`, `ChatAppInbound`, ... (`MessageType` of
    /// `QueryTokenForMnsQueue`, and how each body is read).
    pub message_type: String,
    /// The queue's name (`Alicom-Queue-<account>-ChatAppStatus`).
    pub queue_name: String,
    /// The MNS endpoint of the queue (a URL or host).
    pub mns_endpoint: String,
    /// Where `QueryTokenForMnsQueue` goes; `None`: `dybaseapi.aliyuncs.com`.
    pub token_endpoint: Option<String>,
    /// Messages asked for per poll, 1 to 16.
    pub batch_size: usize,
    /// The long poll's `waitseconds`, 0 to 30.
    pub wait_seconds: u32,
    /// A message received more often than this is delivered with `poison` set.
    pub max_dequeue_count: i64,
    /// How many handled events the dedup window remembers.
    pub dedup_capacity: usize,
    /// Delete handled messages (`false`: leave everything in the queue, to look without
    /// consuming).
    pub delete: bool,
    /// The first backoff's ceiling after an error, in milliseconds (doubling, full jitter).
    pub backoff_base_ms: u64,
    /// The largest backoff ceiling, in milliseconds.
    pub backoff_max_ms: u64,
    /// Send the account's signature and the queue's token over plain `http://` to a host that
    /// is not loopback (refused otherwise, before anything is sent).
    pub allow_insecure_http: bool,
    /// How the host spells the opt-in [`allow_insecure_http`](Self::allow_insecure_http), for
    /// the error that refuses plain HTTP (`allowInsecureHttp` in JavaScript and Kotlin,
    /// `--allow-insecure-http` on the command line; default `allow_insecure_http`, as Rust and
    /// Python spell it). See [`check_credentials_transport`](Self::check_credentials_transport).
    pub insecure_http_option: &'static str,
}

impl ConsumerOptions {
    /// The defaults for a queue: batches of 16, 30 s long polls, poison after 10 receipts,
    /// a window of 100,000 events, delete on, backoff from 500 ms up to 30 s.
    pub fn new(message_type: &str, queue_name: &str, mns_endpoint: &str) -> Self {
        Self {
            message_type: message_type.to_owned(),
            queue_name: queue_name.to_owned(),
            mns_endpoint: mns_endpoint.to_owned(),
            token_endpoint: None,
            batch_size: MAX_BATCH,
            wait_seconds: MAX_WAIT_SECONDS,
            max_dequeue_count: 10,
            dedup_capacity: 100_000,
            delete: true,
            backoff_base_ms: 500,
            backoff_max_ms: 30_000,
            allow_insecure_http: false,
            insecure_http_option: "allow_insecure_http",
        }
    }

    /// May this consumer send credentials where the options say? Both hosts receive them —
    /// the token endpoint (`QueryTokenForMnsQueue`'s signature; default
    /// [`DYBASEAPI_HOST`](super::DYBASEAPI_HOST)) and the MNS endpoint (the queue's STS token) —
    /// so each must be HTTPS or loopback unless [`allow_insecure_http`](Self::allow_insecure_http)
    /// ([`Endpoint::check_credentials_transport_as`]); the error names the opt-in as
    /// [`insecure_http_option`](Self::insecure_http_option) spells it. [`Consumer::new`] checks
    /// this before anything is sent: a host sets the two fields and needs no check of its own.
    ///
    /// # Errors
    /// [`Error::InvalidInput`]: an endpoint that is not a valid URL or host, or plain HTTP to a
    /// host that is not loopback without the opt-in.
    pub fn check_credentials_transport(&self) -> Result<(), Error> {
        let token = Endpoint::parse(
            self.token_endpoint
                .as_deref()
                .unwrap_or(super::DYBASEAPI_HOST),
        )?;
        let mns = Endpoint::parse(&self.mns_endpoint)?;
        for endpoint in [&token, &mns] {
            endpoint.check_credentials_transport_as(
                self.allow_insecure_http,
                self.insecure_http_option,
            )?;
        }
        Ok(())
    }
}

/// One message for the host's handler.
#[derive(Clone, Debug)]
pub struct Delivery {
    /// The MNS message (id, receipt handle, body, dequeue count, times).
    pub message: MnsMessage,
    /// Its events, or why its body could not be read (report it [`Consumer::failed`] to see
    /// it again, or [`Consumer::handled`] to drop it).
    pub events: Result<Vec<Event>, Error>,
    /// Every event of it was handled already in this process (a redelivery after a lost
    /// delete, or a repeated push): usually reported handled without acting again.
    pub duplicate: bool,
    /// Received more often than [`ConsumerOptions::max_dequeue_count`].
    pub poison: bool,
}

/// What the host does next.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // a binding translates it at once
pub enum ConsumerStep {
    /// Send this request and report its answer ([`Consumer::on_response`]) or that none came
    /// ([`Consumer::on_transport_error`]).
    Send(HttpRequest),
    /// Hand these to the handler, then report each message ([`Consumer::handled`] or
    /// [`Consumer::failed`]) before polling again.
    Deliver(Vec<Delivery>),
    /// Nothing to do until the deliveries are reported (or an extension is asked for).
    Idle,
    /// Sleep this long, then poll again.
    Wait {
        /// Milliseconds.
        millis: u64,
        /// Why, for a log line.
        reason: String,
    },
    /// The consumer is over: stopped ([`Consumer::stop`]), or an error that does not heal.
    Done(Result<(), Error>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Out {
    Token,
    Receive,
    Delete,
    Extend,
}

#[derive(Debug)]
struct InHand {
    handle: String,
    keys: Vec<String>,
    state: Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Report {
    Pending,
    Handled,
    Failed,
}

/// A queue consumer: see the [module](self) docs.
#[derive(Debug)]
pub struct Consumer {
    options: ConsumerOptions,
    queue: MnsQueue,
    token_endpoint: Endpoint,
    token: Option<MnsToken>,
    out: Option<Out>,
    /// The messages of the last batch, by message id.
    in_hand: HashMap<String, InHand>,
    /// Handles to delete (handled messages), sent as one batch.
    to_delete: Vec<String>,
    /// Extensions asked for: (message id, seconds).
    to_extend: Vec<(String, u32)>,
    extending: Option<String>,
    dedup: DedupWindow,
    /// A batch received, not yet handed over.
    pending_delivery: Option<Vec<Delivery>>,
    failures: u32,
    wait_until: Option<(u64, String)>,
    stopping: bool,
    done: Option<Result<(), Error>>,
    delivered: u64,
    deleted: u64,
}

impl Consumer {
    /// A consumer of one queue.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a bad endpoint or queue name, a batch size outside 1..=16,
    /// a wait outside 0..=30 s, or an empty message type.
    pub fn new(options: ConsumerOptions) -> Result<Self, Error> {
        if options.message_type.is_empty() {
            return Err(Error::invalid("message type", "empty"));
        }
        if !(1..=MAX_BATCH).contains(&options.batch_size) {
            return Err(Error::invalid(
                "batch size",
                format!("{} is not within 1..={MAX_BATCH}", options.batch_size),
            ));
        }
        if options.wait_seconds > MAX_WAIT_SECONDS {
            return Err(Error::invalid(
                "wait",
                format!(
                    "{} s is longer than MNS's {MAX_WAIT_SECONDS} s",
                    options.wait_seconds
                ),
            ));
        }
        let queue = MnsQueue::new(&options.mns_endpoint, &options.queue_name)?;
        let token_endpoint = Endpoint::parse(
            options
                .token_endpoint
                .as_deref()
                .unwrap_or(super::DYBASEAPI_HOST),
        )?;
        // Credentials go to both: never in clear text to a host that is not loopback.
        options.check_credentials_transport()?;
        Ok(Self {
            dedup: DedupWindow::new(options.dedup_capacity),
            pending_delivery: None,
            options,
            queue,
            token_endpoint,
            token: None,
            out: None,
            in_hand: HashMap::new(),
            to_delete: Vec::new(),
            to_extend: Vec::new(),
            extending: None,
            failures: 0,
            wait_until: None,
            stopping: false,
            done: None,
            delivered: 0,
            deleted: 0,
        })
    }

    /// Messages delivered to the handler so far.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Messages deleted so far (their handler succeeded and MNS confirmed).
    pub fn deleted(&self) -> u64 {
        self.deleted
    }

    /// What to do next. `now_ms` is the host's clock (unix milliseconds), `nonce` a fresh
    /// unique value (a UUID; the token request's `SignatureNonce`), `account` the user's own
    /// credentials (they sign `QueryTokenForMnsQueue` only; the queue's requests are signed
    /// with the token).
    pub fn poll(&mut self, now_ms: u64, nonce: &str, account: &Credentials) -> ConsumerStep {
        if let Some(done) = &self.done {
            return ConsumerStep::Done(done.clone());
        }
        if self.out.is_some() {
            return self.finish(Err(Error::invalid(
                "consumer",
                "poll was called while an answer is awaited: report on_response or on_transport_error first",
            )));
        }
        if let Some(batch) = self.pending_delivery.take() {
            return ConsumerStep::Deliver(batch);
        }
        // Stopped with nothing in hand and nothing to delete: over now, not after a backoff or
        // a token fetch.
        if self.stopping && self.in_hand.is_empty() && self.to_delete.is_empty() {
            return self.finish(Ok(()));
        }
        if let Some((until, reason)) = &self.wait_until {
            if now_ms < *until {
                return ConsumerStep::Wait {
                    millis: until - now_ms,
                    reason: reason.clone(),
                };
            }
            self.wait_until = None;
        }
        let now_s = i64::try_from(now_ms / 1000).unwrap_or(i64::MAX);
        // A token first, and again from 2 minutes before it expires.
        if self.token.as_ref().is_none_or(|t| t.needs_refresh(now_s)) {
            let ts = match Timestamp::from_unix(now_s) {
                Ok(t) => t,
                Err(e) => return self.finish(Err(e)),
            };
            return match query_token_for_mns_queue_at(
                &self.token_endpoint,
                account,
                &self.options.message_type,
                Some(&self.options.queue_name),
                ts,
                nonce,
            ) {
                Ok(req) => self.send(Out::Token, req),
                Err(e) => self.finish(Err(e)),
            };
        }
        let date = match super::sign::http_date(now_s) {
            Ok(d) => d,
            Err(e) => return self.finish(Err(e)),
        };
        // Extensions asked for while a handler runs go first.
        while let Some((id, secs)) = self.to_extend.pop() {
            let Some(m) = self.in_hand.get(&id) else {
                continue;
            };
            let req = self.queue.change_message_visibility(&m.handle, secs);
            self.extending = Some(id);
            return self.sign_and_send(Out::Extend, req, &date);
        }
        if self.in_hand.values().any(|m| m.state == Report::Pending) {
            return ConsumerStep::Idle;
        }
        // Every delivery is reported: what was handled goes.
        self.collect_handled();
        if !self.to_delete.is_empty() {
            let req = self.queue.batch_delete_message(&self.to_delete);
            return self.sign_and_send(Out::Delete, req, &date);
        }
        if self.stopping {
            return self.finish(Ok(()));
        }
        let req = self
            .queue
            .batch_receive_message(self.options.batch_size, Some(self.options.wait_seconds));
        self.sign_and_send(Out::Receive, req, &date)
    }

    /// The message `message_id` of the last delivery was handled: it is deleted (unless
    /// [`ConsumerOptions::delete`] is off) and its events are remembered as handled.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a message id not in hand.
    pub fn handled(&mut self, message_id: &str) -> Result<(), Error> {
        self.report(message_id, Report::Handled)
    }

    /// The handler failed on `message_id`: it stays in the queue and comes back when its
    /// visibility timeout ends.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a message id not in hand.
    pub fn failed(&mut self, message_id: &str) -> Result<(), Error> {
        self.report(message_id, Report::Failed)
    }

    /// Keeps `message_id` hidden for `seconds` more (a slow handler): the next
    /// [`poll`](Self::poll) sends `ChangeMessageVisibility`.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a message id not in hand, or one already reported, or
    /// `seconds` outside MNS's 1..=43200.
    pub fn extend(&mut self, message_id: &str, seconds: u32) -> Result<(), Error> {
        if !(super::MIN_VISIBILITY_TIMEOUT..=super::MAX_VISIBILITY_TIMEOUT).contains(&seconds) {
            return Err(Error::invalid(
                "VisibilityTimeout",
                format!(
                    "{seconds} s is not within MNS's {}..={} seconds",
                    super::MIN_VISIBILITY_TIMEOUT,
                    super::MAX_VISIBILITY_TIMEOUT
                ),
            ));
        }
        match self.in_hand.get(message_id) {
            Some(m) if m.state == Report::Pending => {
                self.to_extend.push((message_id.to_owned(), seconds));
                Ok(())
            }
            _ => Err(Error::invalid(
                "message id",
                format!("{message_id:?} is not a delivery awaiting its handler"),
            )),
        }
    }

    /// Ends the consumer once the deliveries in hand are reported and their deletes done.
    pub fn stop(&mut self) {
        self.stopping = true;
    }

    /// The message `message_id` was not handed to the handler (the host stopped before it):
    /// it is made visible again at once (`ChangeMessageVisibility` to
    /// [`MIN_VISIBILITY_TIMEOUT`](super::MIN_VISIBILITY_TIMEOUT), 1 s, the shortest MNS takes;
    /// sent by the next [`poll`](Self::poll)) for this or another consumer, and not deleted.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a message id not in hand, or one already reported.
    pub fn release(&mut self, message_id: &str) -> Result<(), Error> {
        match self.in_hand.get_mut(message_id) {
            Some(m) if m.state == Report::Pending => {
                m.state = Report::Failed;
                self.to_extend
                    .push((message_id.to_owned(), super::MIN_VISIBILITY_TIMEOUT));
                Ok(())
            }
            _ => Err(Error::invalid(
                "message id",
                format!("{message_id:?} is not a delivery awaiting its handler"),
            )),
        }
    }

    /// The host leaves early (a `break`, an abort, an exception in its loop): every delivery
    /// of the last batch not yet reported is released at once ([`release`](Self::release)),
    /// what was reported handled is still deleted, and the consumer stops once that is sent.
    /// Report the delivery whose handler was running (usually [`failed`](Self::failed)) before
    /// calling this. Returns how many deliveries were released.
    pub fn stop_early(&mut self) -> usize {
        let mut pending: Vec<String> = self
            .in_hand
            .iter()
            .filter(|(_, m)| m.state == Report::Pending)
            .map(|(id, _)| id.clone())
            .collect();
        pending.sort();
        for id in &pending {
            // In hand and pending: cannot fail.
            let _ = self.release(id);
        }
        // A batch received but not yet handed over (its messages are in hand, released
        // above) is not handed over any more.
        self.pending_delivery = None;
        self.stopping = true;
        pending.len()
    }

    /// The answer to the request last sent: its HTTP status and body.
    pub fn on_response(&mut self, now_ms: u64, status: u16, body: &[u8]) {
        let Some(out) = self.out.take() else {
            return;
        };
        match out {
            Out::Token => match parse_query_token_answer(status, body) {
                Ok(token) => {
                    self.token = Some(token);
                    self.failures = 0;
                }
                Err(e) => self.token_failed(now_ms, e),
            },
            Out::Receive => match parse_batch_receive_message(status, body) {
                Ok(messages) => {
                    self.failures = 0;
                    self.take_batch(messages);
                }
                Err(e) => self.queue_failed(now_ms, "receive", e),
            },
            Out::Delete => match parse_batch_delete_message(status, body) {
                Ok(failures) => {
                    // A handle MNS refused is stale: the message comes back, and the dedup
                    // window flags it then.
                    self.deleted +=
                        (self.to_delete.len() - failures.len().min(self.to_delete.len())) as u64;
                    self.to_delete.clear();
                    self.failures = 0;
                }
                Err(e)
                    if e.as_api()
                        .is_some_and(|a| a.kind == ErrorKind::InvalidParameter) =>
                {
                    // Every handle stale: nothing more to delete.
                    self.to_delete.clear();
                }
                Err(e) => self.queue_failed(now_ms, "delete", e),
            },
            Out::Extend => {
                let id = self.extending.take();
                match parse_change_message_visibility(status, body) {
                    Ok(changed) => {
                        if let Some(m) = id.and_then(|id| self.in_hand.get_mut(&id)) {
                            m.handle = changed.receipt_handle;
                        }
                    }
                    Err(e) => self.queue_failed(now_ms, "visibility change", e),
                }
            }
        }
    }

    /// The request last sent got no answer. Nothing is lost: a receive that timed out is
    /// asked again, an unanswered delete is sent again (a stale handle only means the message
    /// comes back, flagged as a duplicate).
    pub fn on_transport_error(&mut self, now_ms: u64, failure: TransportFailure, message: &str) {
        let Some(out) = self.out.take() else {
            return;
        };
        if out == Out::Extend {
            self.extending = None;
        }
        let what = match out {
            Out::Token => "token",
            Out::Receive => "receive",
            Out::Delete => "delete",
            Out::Extend => "visibility change",
        };
        let reason = format!(
            "{what}: {} ({})",
            failure.as_str().replace('_', " "),
            crate::error::truncate(message)
        );
        self.back_off(now_ms, reason);
    }

    fn report(&mut self, message_id: &str, report: Report) -> Result<(), Error> {
        match self.in_hand.get_mut(message_id) {
            Some(m) => {
                m.state = report;
                Ok(())
            }
            None => Err(Error::invalid(
                "message id",
                format!("{message_id:?} is not in the last delivery"),
            )),
        }
    }

    fn collect_handled(&mut self) {
        for (_, m) in self.in_hand.drain() {
            if m.state == Report::Handled {
                for k in &m.keys {
                    self.dedup.seen(k);
                }
                if self.options.delete {
                    self.to_delete.push(m.handle);
                }
            }
        }
    }

    fn take_batch(&mut self, messages: Vec<MnsMessage>) {
        if messages.is_empty() {
            return;
        }
        let mut deliveries = Vec::with_capacity(messages.len());
        for message in messages {
            let events = parse_mns_body(
                message.message_body.as_bytes(),
                Some(&self.options.message_type),
            );
            let keys: Vec<String> = match &events {
                Ok(evs) => evs.iter().map(Event::dedup_key).collect(),
                Err(_) => Vec::new(),
            };
            let duplicate = !keys.is_empty() && keys.iter().all(|k| self.dedup.contains(k));
            let poison = message.dequeue_count > self.options.max_dequeue_count;
            self.in_hand.insert(
                message.message_id.clone(),
                InHand {
                    handle: message.receipt_handle.clone(),
                    keys,
                    state: Report::Pending,
                },
            );
            deliveries.push(Delivery {
                message,
                events,
                duplicate,
                poison,
            });
        }
        self.delivered += deliveries.len() as u64;
        self.pending_delivery = Some(deliveries);
    }

    fn token_failed(&mut self, now_ms: u64, e: Error) {
        match e.as_api().map(|a| a.kind) {
            // The user's own key is refused: no retry heals that.
            Some(
                ErrorKind::Authentication
                | ErrorKind::Permission
                | ErrorKind::SignatureMismatch
                | ErrorKind::InvalidParameter
                | ErrorKind::NotSubscribed,
            ) => self.done = Some(Err(e)),
            _ => self.back_off(now_ms, format!("token: {e}")),
        }
    }

    fn queue_failed(&mut self, now_ms: u64, what: &str, e: Error) {
        if needs_new_token(&e) {
            self.token = None;
            self.back_off(now_ms, format!("{what}: {e} (a new token is fetched)"));
            return;
        }
        match e.as_api().map(|a| a.kind) {
            Some(ErrorKind::NotFound) if what == "receive" => self.done = Some(Err(e)),
            _ => self.back_off(now_ms, format!("{what}: {e}")),
        }
    }

    fn back_off(&mut self, now_ms: u64, reason: String) {
        self.failures = self.failures.saturating_add(1);
        let ceiling = self
            .options
            .backoff_base_ms
            .saturating_mul(1u64 << self.failures.min(20).saturating_sub(1))
            .min(self.options.backoff_max_ms);
        // Full jitter from the clock's low bits (no randomness in core; spread enough to
        // keep consumers apart).
        let millis = if ceiling == 0 {
            0
        } else {
            (now_ms.wrapping_mul(6_364_136_223_846_793_005) >> 33) % (ceiling + 1)
        };
        self.wait_until = Some((now_ms.saturating_add(millis), reason));
    }

    fn send(&mut self, out: Out, req: HttpRequest) -> ConsumerStep {
        self.out = Some(out);
        ConsumerStep::Send(req)
    }

    fn sign_and_send(
        &mut self,
        out: Out,
        req: Result<super::sign::MnsRequest, Error>,
        date: &str,
    ) -> ConsumerStep {
        let Some(token) = &self.token else {
            return self.finish(Err(Error::invalid("consumer", "no token")));
        };
        match req.and_then(|r| self.queue.sign(&token.credentials, &r, date)) {
            Ok(signed) => self.send(out, signed.request),
            Err(e) => self.finish(Err(e)),
        }
    }

    fn finish(&mut self, result: Result<(), Error>) -> ConsumerStep {
        self.done = Some(result.clone());
        ConsumerStep::Done(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUEUE: &str = "Alicom-Queue-1873897471328909-ChatAppStatus";

    fn options(mns: &str, token: Option<&str>) -> ConsumerOptions {
        let mut o = ConsumerOptions::new("ChatAppStatus", QUEUE, mns);
        o.token_endpoint = token.map(str::to_owned);
        o
    }

    #[test]
    fn plain_http_to_a_remote_host_is_refused_naming_the_host_s_opt_in() {
        let https = "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com";
        for (mns, token, remote) in [
            ("http://mns.example.com", None, "http://mns.example.com"),
            (
                https,
                Some("http://dybaseapi.example.com"),
                "http://dybaseapi.example.com",
            ),
            (
                "http://mns.example.com",
                Some("http://127.0.0.1:9"),
                "http://mns.example.com",
            ),
        ] {
            let mut o = options(mns, token);
            // Core's own spelling by default (Rust, Python).
            let e = o.check_credentials_transport().unwrap_err();
            assert_eq!(e.code(), "invalid_input", "{e}");
            let text = e.to_string();
            assert!(
                text.contains(remote) && text.contains("clear text"),
                "{text}"
            );
            assert!(text.contains("allow_insecure_http"), "{text}");
            // Each host's own spelling, and no other.
            for option in ["allowInsecureHttp", "--allow-insecure-http"] {
                o.insecure_http_option = option;
                let text = o.check_credentials_transport().unwrap_err().to_string();
                assert!(text.contains(option), "{text}");
                assert!(!text.contains("allow_insecure_http"), "{text}");
                // Consumer::new refuses with the same words, before anything is sent.
                let new = Consumer::new(o.clone()).err().map(|e| e.to_string());
                assert_eq!(new.as_deref(), Some(text.as_str()));
            }
            o.allow_insecure_http = true;
            assert_eq!(o.check_credentials_transport(), Ok(()));
            assert!(Consumer::new(o).is_ok());
        }
    }

    #[test]
    fn https_and_loopback_need_no_opt_in_and_the_token_endpoint_defaults_to_dybaseapi() {
        for (mns, token) in [
            (
                "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com",
                None,
            ),
            ("http://127.0.0.1:9", Some("http://[::1]:9")),
            (
                "1943695596114318.mns.cn-hangzhou.aliyuncs.com",
                Some("https://dybaseapi.aliyuncs.com"),
            ),
        ] {
            assert_eq!(
                options(mns, token).check_credentials_transport(),
                Ok(()),
                "{mns} {token:?}"
            );
        }
        // A bad URL is a clear error, not a panic.
        let e = options("http://[::1", None)
            .check_credentials_transport()
            .unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{e}");
    }
}

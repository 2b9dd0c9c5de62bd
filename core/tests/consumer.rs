//! The receipts queue consumer (`camskit::mns::Consumer`) driven against an in-memory MNS
//! queue that keeps MNS's rules (visibility timeout, redelivery, receipt handles that go stale,
//! `MessageNotExist` on an empty long poll, expiring tokens), with random faults: answers lost
//! after the queue acted, 5xx errors, tokens refused as expired, handlers that fail or are slow.
//!
//! What must hold: every message reaches the handler and is handled; no message is deleted
//! before its handler succeeded; a message handled before and delivered again is flagged
//! `duplicate`, and nothing else is.

use std::collections::{HashMap, HashSet};

use camskit::mns::{Consumer, ConsumerOptions, ConsumerStep};
use camskit::receipts::Event;
use camskit::{Credentials, HttpRequest, Timestamp, TransportFailure};

const VISIBILITY_MS: u64 = 30_000;
const TOKEN_LIFE_S: i64 = 600;
const QUEUE: &str = "Alicom-Queue-1873897471328909-ChatAppStatus";
const MNS: &str = "http://127.0.0.1:9";

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

struct Msg {
    body: String,
    visible_at: u64,
    dequeue: i64,
    generation: u64,
}

struct Queue {
    msgs: HashMap<String, Msg>,
    order: Vec<String>,
    token_serial: u32,
    valid_tokens: HashSet<String>,
}

fn shanghai(unix: i64) -> String {
    let t = Timestamp::from_unix(unix + 8 * 3600).unwrap();
    t.as_str()
        .replace('T', " ")
        .trim_end_matches('Z')
        .to_owned()
}

fn error_xml(code: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Error xmlns="http://mns.aliyuncs.com/doc/v1/"><Code>{code}</Code><Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>"#
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

fn md5_hex_upper(_s: &str) -> String {
    // The consumer does not require the MD5 to match (it reports it); a fixed value is fine.
    "00000000000000000000000000000000".into()
}

fn handle_of(id: &str, generation: u64) -> String {
    format!("1-{id}-{generation}")
}

impl Queue {
    fn new(n: usize) -> Self {
        let mut msgs = HashMap::new();
        let mut order = Vec::new();
        for i in 0..n {
            let id = format!("M{i:05}");
            let body = format!(
                r#"{{"MessageId":"wamid.{i}","Status":"DELIVERED","Timestamp":{},"From":"1","To":"2"}}"#,
                1_700_000_000_000u64 + i as u64
            );
            msgs.insert(
                id.clone(),
                Msg {
                    body,
                    visible_at: 0,
                    dequeue: 0,
                    generation: 0,
                },
            );
            order.push(id);
        }
        Queue {
            msgs,
            order,
            token_serial: 0,
            valid_tokens: HashSet::new(),
        }
    }

    /// What the queue answers (status, body), acting on it.
    fn serve(&mut self, req: &HttpRequest, now: u64) -> (u16, String) {
        if req.purpose == "dybaseapi:QueryTokenForMnsQueue" {
            self.token_serial += 1;
            let id = format!("STS.key{}", self.token_serial);
            self.valid_tokens.insert(id.clone());
            let now_s = (now / 1000) as i64;
            return (
                200,
                format!(
                    r#"{{"Code":"OK","Message":"OK","RequestId":"t","MessageTokenDTO":{{"AccessKeyId":"{id}","AccessKeySecret":"s","SecurityToken":"tok{}","CreateTime":"{}","ExpireTime":"{}"}}}}"#,
                    self.token_serial,
                    shanghai(now_s),
                    shanghai(now_s + TOKEN_LIFE_S)
                ),
            );
        }
        let auth = req
            .header("Authorization")
            .expect("MNS requests are signed");
        let key = auth
            .strip_prefix("MNS ")
            .and_then(|a| a.split(':').next())
            .unwrap();
        if !self.valid_tokens.contains(key) {
            return (403, error_xml("SecurityTokenExpired"));
        }
        let path = req.url.split_once("/queues/").unwrap().1;
        assert!(path.starts_with(QUEUE), "{path}");
        match req.purpose.as_str() {
            "mns:BatchReceiveMessage" => {
                let n: usize = query(&req.url, "numOfMessages").parse().unwrap();
                let mut out = String::new();
                let mut count = 0;
                for id in &self.order {
                    if count == n {
                        break;
                    }
                    let Some(m) = self.msgs.get_mut(id) else {
                        continue;
                    };
                    if m.visible_at > now {
                        continue;
                    }
                    m.visible_at = now + VISIBILITY_MS;
                    m.dequeue += 1;
                    m.generation += 1;
                    count += 1;
                    out.push_str(&format!(
                        "<Message><MessageId>{id}</MessageId><ReceiptHandle>{}</ReceiptHandle><MessageBody>{}</MessageBody><MessageBodyMD5>{}</MessageBodyMD5><EnqueueTime>1</EnqueueTime><NextVisibleTime>{}</NextVisibleTime><FirstDequeueTime>1</FirstDequeueTime><DequeueCount>{}</DequeueCount><Priority>8</Priority></Message>",
                        handle_of(id, m.generation),
                        xml_escape(&m.body),
                        md5_hex_upper(&m.body),
                        m.visible_at,
                        m.dequeue
                    ));
                }
                if count == 0 {
                    return (404, error_xml("MessageNotExist"));
                }
                (
                    200,
                    format!(
                        r#"<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="http://mns.aliyuncs.com/doc/v1/">{out}</Messages>"#
                    ),
                )
            }
            "mns:BatchDeleteMessage" => {
                let body = req.body.as_deref().unwrap();
                let mut errors = String::new();
                for part in body.split("<ReceiptHandle>").skip(1) {
                    let handle = part.split("</ReceiptHandle>").next().unwrap();
                    let (id, generation) = parse_handle(handle);
                    match self.msgs.get(&id) {
                        Some(m) if m.generation == generation => {
                            self.msgs.remove(&id);
                        }
                        _ => errors.push_str(&format!(
                            "<Error><ErrorCode>ReceiptHandleError</ErrorCode><ErrorMessage>stale</ErrorMessage><ReceiptHandle>{handle}</ReceiptHandle></Error>"
                        )),
                    }
                }
                if errors.is_empty() {
                    (204, String::new())
                } else {
                    (
                        404,
                        format!(
                            r#"<?xml version="1.0" encoding="UTF-8"?><Errors xmlns="http://mns.aliyuncs.com/doc/v1/">{errors}</Errors>"#
                        ),
                    )
                }
            }
            "mns:ChangeMessageVisibility" => {
                let handle = query(&req.url, "ReceiptHandle");
                let secs: u64 = query(&req.url, "VisibilityTimeout").parse().unwrap();
                let (id, generation) = parse_handle(&handle);
                match self.msgs.get_mut(&id) {
                    Some(m) if m.generation == generation => {
                        m.generation += 1;
                        m.visible_at = now + secs * 1000;
                        (
                            200,
                            format!(
                                r#"<?xml version="1.0" encoding="UTF-8"?><ChangeVisibility xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>{}</ReceiptHandle><NextVisibleTime>{}</NextVisibleTime></ChangeVisibility>"#,
                                handle_of(&id, m.generation),
                                m.visible_at
                            ),
                        )
                    }
                    _ => (404, error_xml("ReceiptHandleError")),
                }
            }
            other => panic!("unexpected request {other}"),
        }
    }
}

fn query(url: &str, name: &str) -> String {
    let q = url.split_once('?').unwrap().1;
    q.split('&')
        .find_map(|p| p.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in {url}"))
        .to_owned()
}

fn parse_handle(handle: &str) -> (String, u64) {
    let rest = handle.strip_prefix("1-").unwrap();
    let (id, generation) = rest.rsplit_once('-').unwrap();
    (id.to_owned(), generation.parse().unwrap())
}

#[test]
fn ten_thousand_messages_with_faults_none_lost_none_deleted_early_duplicates_flagged() {
    let n = 10_000;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut queue = Queue::new(n);
    let mut options = ConsumerOptions::new("ChatAppStatus", QUEUE, MNS);
    options.token_endpoint = Some("http://127.0.0.1:9".into());
    options.backoff_base_ms = 100;
    options.backoff_max_ms = 2_000;
    let mut consumer = Consumer::new(options).unwrap();
    let account = Credentials::new("LTAI5tAccount", "account-secret").unwrap();
    let mut now: u64 = 1_765_000_000_000;
    let mut handled: HashSet<String> = HashSet::new();
    let mut deliveries = 0u64;
    let mut duplicates_flagged = 0u64;
    let mut slow: Option<String> = None;
    let mut stopped = false;
    for step in 0..2_000_000u64 {
        if !stopped && queue.msgs.is_empty() {
            consumer.stop();
            stopped = true;
        }
        match consumer.poll(now, &format!("nonce-{step}"), &account) {
            ConsumerStep::Send(req) => {
                let lose = rng.chance(4);
                let fail = !lose && rng.chance(4);
                let expire = !lose && !fail && rng.chance(1);
                if expire {
                    queue.valid_tokens.clear();
                }
                if fail {
                    consumer.on_response(now, 500, error_xml("InternalError").as_bytes());
                    continue;
                }
                // Handles the queue deletes must belong to handled messages.
                if req.purpose == "mns:BatchDeleteMessage" {
                    for part in req
                        .body
                        .as_deref()
                        .unwrap()
                        .split("<ReceiptHandle>")
                        .skip(1)
                    {
                        let (id, _) = parse_handle(part.split("</ReceiptHandle>").next().unwrap());
                        assert!(
                            handled.contains(&id),
                            "{id} deleted before its handler succeeded"
                        );
                    }
                }
                let (status, body) = queue.serve(&req, now);
                if status == 404 && req.purpose == "mns:BatchReceiveMessage" {
                    // An empty long poll takes its wait.
                    now += 30_000;
                }
                if lose {
                    consumer.on_transport_error(now, TransportFailure::TimedOut, "lost");
                } else {
                    consumer.on_response(now, status, body.as_bytes());
                }
            }
            ConsumerStep::Deliver(batch) => {
                for d in batch {
                    deliveries += 1;
                    let id = d.message.message_id.clone();
                    let events = d.events.expect("every body is a ChatAppStatus receipt");
                    assert!(matches!(events[0], Event::Status(_)));
                    assert_eq!(
                        d.duplicate,
                        handled.contains(&id),
                        "{id}: duplicate flag vs handled before"
                    );
                    if d.duplicate {
                        duplicates_flagged += 1;
                        consumer.handled(&id).unwrap();
                        continue;
                    }
                    if rng.chance(10) {
                        consumer.failed(&id).unwrap();
                    } else if slow.is_none() && rng.chance(2) {
                        consumer.extend(&id, 60).unwrap();
                        slow = Some(id);
                    } else {
                        handled.insert(id.clone());
                        consumer.handled(&id).unwrap();
                    }
                }
            }
            ConsumerStep::Idle => {
                // The slow handler finishes after its extension went out.
                let id = slow.take().expect("idle only while a handler runs");
                now += 40_000;
                handled.insert(id.clone());
                consumer.handled(&id).unwrap();
            }
            ConsumerStep::Wait { millis, .. } => now += millis.max(1),
            ConsumerStep::Done(result) => {
                result.unwrap();
                assert!(queue.msgs.is_empty(), "{} left", queue.msgs.len());
                assert_eq!(handled.len(), n, "every message handled");
                assert!(
                    duplicates_flagged > 0,
                    "lost delete answers bring messages back"
                );
                assert!(deliveries > n as u64);
                return;
            }
        }
    }
    panic!(
        "the consumer did not finish: {} left, {} handled",
        queue.msgs.len(),
        handled.len()
    );
}

#[test]
fn a_refused_account_key_ends_the_consumer_and_a_missing_queue_too() {
    let account = Credentials::new("LTAI5tAccount", "account-secret").unwrap();
    let mut c = Consumer::new(ConsumerOptions::new("ChatAppStatus", QUEUE, MNS)).unwrap();
    let ConsumerStep::Send(req) = c.poll(1_765_000_000_000, "n", &account) else {
        panic!("a token first")
    };
    assert_eq!(req.purpose, "dybaseapi:QueryTokenForMnsQueue");
    assert!(req.url.starts_with("https://dybaseapi.aliyuncs.com/"));
    c.on_response(
        1_765_000_000_000,
        400,
        br#"{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}"#,
    );
    let ConsumerStep::Done(Err(e)) = c.poll(1_765_000_000_001, "n", &account) else {
        panic!("over")
    };
    assert!(e.to_string().contains("InvalidAccessKeyId.NotFound"), "{e}");
}

#[test]
fn bad_options_are_refused() {
    let mut o = ConsumerOptions::new("ChatAppStatus", QUEUE, MNS);
    o.batch_size = 17;
    assert!(
        Consumer::new(o)
            .unwrap_err()
            .to_string()
            .contains("batch size")
    );
    let mut o = ConsumerOptions::new("ChatAppStatus", QUEUE, MNS);
    o.wait_seconds = 31;
    assert!(Consumer::new(o).unwrap_err().to_string().contains("wait"));
    let o = ConsumerOptions::new("ChatAppStatus", "9bad", MNS);
    assert!(Consumer::new(o).is_err());
}

#[test]
fn stop_is_honoured_at_once_when_nothing_is_in_hand_and_plain_http_is_refused() {
    let account = Credentials::new("LTAI5tAccount", "account-secret").unwrap();
    let mut c = Consumer::new(ConsumerOptions::new("ChatAppStatus", QUEUE, MNS)).unwrap();
    let ConsumerStep::Send(_) = c.poll(1_765_000_000_000, "n", &account) else {
        panic!("a token first")
    };
    // The token service cannot be reached: a backoff is scheduled...
    c.on_transport_error(
        1_765_000_000_000,
        TransportFailure::RefusedBeforeSend,
        "refused",
    );
    // ...but a stop ends the consumer at once, not after it.
    c.stop();
    assert!(matches!(
        c.poll(1_765_000_000_001, "n", &account),
        ConsumerStep::Done(Ok(()))
    ));
    let mut o = ConsumerOptions::new("ChatAppStatus", QUEUE, "http://mns.example.com");
    let e = Consumer::new(o.clone()).unwrap_err().to_string();
    assert!(e.contains("clear text"), "{e}");
    o.allow_insecure_http = true;
    assert!(Consumer::new(o).is_ok());
}

#[test]
fn stop_early_releases_what_was_not_handed_over_and_deletes_what_was_handled() {
    let account = Credentials::new("LTAI5tAccount", "account-secret").unwrap();
    let mut queue = Queue::new(40);
    let mut options = ConsumerOptions::new("ChatAppStatus", QUEUE, MNS);
    options.token_endpoint = Some("http://127.0.0.1:9".into());
    let mut consumer = Consumer::new(options).unwrap();
    let mut now: u64 = 1_765_000_000_000;
    let mut handled = Vec::new();
    let mut released = 0;
    let mut visibility_changes = Vec::new();
    for step in 0..1_000u64 {
        match consumer.poll(now, &format!("n{step}"), &account) {
            ConsumerStep::Send(req) => {
                if req.purpose == "mns:ChangeMessageVisibility" {
                    visibility_changes.push(query(&req.url, "VisibilityTimeout"));
                }
                let (status, body) = queue.serve(&req, now);
                consumer.on_response(now, status, body.as_bytes());
            }
            ConsumerStep::Deliver(batch) => {
                assert_eq!(batch.len(), 16);
                // The host handles 3, its handler throws on the 4th, and it leaves.
                for d in &batch[..3] {
                    consumer.handled(&d.message.message_id).unwrap();
                    handled.push(d.message.message_id.clone());
                }
                consumer.failed(&batch[3].message.message_id).unwrap();
                released = consumer.stop_early();
                // Released: no longer awaiting a handler.
                let last = &batch[15].message.message_id;
                assert!(consumer.release(last).is_err());
                assert!(consumer.extend(last, 5).is_err());
            }
            ConsumerStep::Wait { millis, .. } => now += millis,
            ConsumerStep::Idle => panic!("idle with nothing pending"),
            ConsumerStep::Done(result) => {
                result.unwrap();
                break;
            }
        }
        now += 1;
    }
    assert_eq!(released, 12);
    assert_eq!(visibility_changes, vec!["1"; 12]);
    assert_eq!(consumer.deleted(), 3);
    for id in &handled {
        assert!(!queue.msgs.contains_key(id), "{id} handled but not deleted");
    }
    // 40 - 3 left; the 12 released ones are visible again within a second, the failed one
    // only after its visibility timeout.
    assert_eq!(queue.msgs.len(), 37);
    let soon = queue
        .msgs
        .values()
        .filter(|m| m.dequeue == 1 && m.visible_at <= now + 1_000)
        .count();
    assert_eq!(soon, 12);
    // Nothing is sent once it is over.
    assert!(matches!(
        consumer.poll(now, "after", &account),
        ConsumerStep::Done(Ok(()))
    ));
}

#[test]
fn a_visibility_outside_what_mns_takes_is_refused_at_once_and_the_consumer_goes_on() {
    let account = Credentials::new("LTAI5tAccount", "account-secret").unwrap();
    let mut queue = Queue::new(1);
    let mut options = ConsumerOptions::new("ChatAppStatus", QUEUE, MNS);
    options.token_endpoint = Some("http://127.0.0.1:9".into());
    let mut consumer = Consumer::new(options).unwrap();
    let now: u64 = 1_765_000_000_000;
    for step in 0..20u64 {
        match consumer.poll(now, &format!("n{step}"), &account) {
            ConsumerStep::Send(req) => {
                let (status, body) = queue.serve(&req, now);
                consumer.on_response(now, status, body.as_bytes());
            }
            ConsumerStep::Deliver(batch) => {
                let id = &batch[0].message.message_id;
                for bad in [0, 43_201] {
                    let err = consumer.extend(id, bad).unwrap_err().to_string();
                    assert!(
                        err.contains("VisibilityTimeout") && err.contains("1..=43200"),
                        "{err}"
                    );
                }
                consumer.handled(id).unwrap();
                consumer.stop();
            }
            ConsumerStep::Done(result) => {
                result.unwrap();
                assert!(queue.msgs.is_empty(), "the handled message was deleted");
                return;
            }
            other => panic!("{other:?}"),
        }
    }
    panic!("not over after 20 steps");
}

//! The receipts queue consumer: core's sans-I/O [`Consumer`] (token, long poll, deliver,
//! delete what was handled, extend, back off) handed to JavaScript as an object. The glue
//! (`js/receipts.js`) only loops: it sends what the consumer asks with `fetch`, sleeps when
//! it says wait, hands each delivery to the `for await` body and reports how that went.

use camskit::mns::{Consumer, ConsumerOptions, ConsumerStep, Delivery, MAX_MNS_RESPONSE_BYTES};
use camskit::receipts::message_type_of_queue;
use js_sys::{Object, Reflect};
use serde::ser::{Serialize, SerializeMap, Serializer};
use wasm_bindgen::prelude::*;

use crate::client::WasmSigner;
use crate::convert::{get, millis, opt_bool, opt_string, opt_u64, options_object, set};
use crate::errors::{bad_arg, core, error_to_js};
use crate::http::{failure_from_js, request_to_js};
use crate::receipts::{EventJs, serializable_to_js};

/// The options of `client.receipts` core reads (the glue takes `fetch` and `signal` out).
const CONSUMER_OPTIONS: [&str; 12] = [
    "messageType",
    "queue",
    "endpoint",
    "tokenEndpoint",
    "batchSize",
    "waitSeconds",
    "delete",
    "maxDequeueCount",
    "dedupCapacity",
    "backoffBaseMs",
    "backoffMaxMs",
    "allowInsecureHttp",
];

fn required(options: &JsValue, key: &str) -> Result<String, JsValue> {
    opt_string(&get(options, key), key)?
        .ok_or_else(|| bad_arg(key, "missing (client.receipts needs { queue, endpoint })"))
}

/// Core's [`ConsumerOptions`] from `{ messageType?, queue, endpoint, tokenEndpoint?,
/// batchSize?, waitSeconds?, delete?, maxDequeueCount?, dedupCapacity?, backoffBaseMs?,
/// backoffMaxMs?, allowInsecureHttp? }`. `messageType` defaults to the one the queue's name
/// says ([`message_type_of_queue`]).
fn options_from_js(options: &JsValue) -> Result<ConsumerOptions, JsValue> {
    let options = options_object(options, "receipts options", &CONSUMER_OPTIONS)?;
    let queue = required(&options, "queue")?;
    let endpoint = required(&options, "endpoint")?;
    let message_type = match opt_string(&get(&options, "messageType"), "messageType")? {
        Some(t) => t,
        None => message_type_of_queue(&queue)
            .ok_or_else(|| {
                bad_arg(
                    "messageType",
                    format!(
                        "missing, and the queue name {:?} does not end in -ChatAppStatus, -ChatAppInbound or -ChatAppAudit",
                        camskit::truncate(&queue)
                    ),
                )
            })?
            .to_owned(),
    };
    let mut o = ConsumerOptions::new(&message_type, &queue, &endpoint);
    o.token_endpoint = opt_string(&get(&options, "tokenEndpoint"), "tokenEndpoint")?;
    // Core's Consumer refuses plain HTTP to either host (ConsumerOptions::
    // check_credentials_transport), its error naming the JS option.
    o.allow_insecure_http = opt_bool(&get(&options, "allowInsecureHttp"), "allowInsecureHttp")?;
    o.insecure_http_option = "allowInsecureHttp";
    if let Some(n) = opt_u64(&get(&options, "batchSize"), "batchSize")? {
        o.batch_size = usize::try_from(n).unwrap_or(usize::MAX);
    }
    if let Some(n) = opt_u64(&get(&options, "waitSeconds"), "waitSeconds")? {
        o.wait_seconds = u32::try_from(n).unwrap_or(u32::MAX);
    }
    let delete = get(&options, "delete");
    if !delete.is_undefined() {
        o.delete = opt_bool(&delete, "delete")?;
    }
    if let Some(n) = opt_u64(&get(&options, "maxDequeueCount"), "maxDequeueCount")? {
        o.max_dequeue_count = i64::try_from(n).unwrap_or(i64::MAX);
    }
    if let Some(n) = opt_u64(&get(&options, "dedupCapacity"), "dedupCapacity")? {
        o.dedup_capacity = usize::try_from(n).unwrap_or(usize::MAX);
    }
    if let Some(n) = opt_u64(&get(&options, "backoffBaseMs"), "backoffBaseMs")? {
        o.backoff_base_ms = n;
    }
    if let Some(n) = opt_u64(&get(&options, "backoffMaxMs"), "backoffMaxMs")? {
        o.backoff_max_ms = n;
    }
    Ok(o)
}

/// One delivery as the object JavaScript sees: the MNS message's facts, the flags, and its
/// events ([`EventJs`]; `null` when its body could not be read: the error is set beside it,
/// after the crossing).
struct DeliveryJs<'a>(&'a Delivery);

impl Serialize for DeliveryJs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (d, m) = (self.0, &self.0.message);
        let mut o = serializer.serialize_map(Some(11))?;
        o.serialize_entry("messageId", &m.message_id)?;
        o.serialize_entry("dequeueCount", &m.dequeue_count)?;
        o.serialize_entry("enqueueTime", &m.enqueue_time)?;
        o.serialize_entry("firstDequeueTime", &m.first_dequeue_time)?;
        o.serialize_entry("nextVisibleTime", &m.next_visible_time)?;
        o.serialize_entry("priority", &m.priority)?;
        o.serialize_entry("body", &m.message_body)?;
        o.serialize_entry("duplicate", &d.duplicate)?;
        o.serialize_entry("poison", &d.poison)?;
        match &d.events {
            Ok(events) => {
                let events: Vec<EventJs<'_>> = events.iter().map(EventJs).collect();
                o.serialize_entry("events", &events)?;
            }
            Err(_) => o.serialize_entry("events", &())?,
        }
        o.serialize_entry("error", &())?;
        o.end()
    }
}

/// Core's receipts queue [`Consumer`], driven by the glue.
#[wasm_bindgen]
pub struct WasmConsumer {
    consumer: Consumer,
}

#[wasm_bindgen]
impl WasmConsumer {
    /// A consumer of one queue; `options` as [`options_from_js`]. Throws a `ValidationError`
    /// for bad options (core's: batch size, wait, endpoint, queue name).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WasmConsumer, JsValue> {
        let options = options_from_js(&options)?;
        Ok(WasmConsumer {
            consumer: core(Consumer::new(options))?,
        })
    }

    /// What to do next at `now_ms` (`Date.now()`), with a fresh `nonce` (a UUID) and the
    /// client's credentials (`signer`: they sign `QueryTokenForMnsQueue`): `{ type: "send",
    /// method, url, headers, body, purpose, timeoutMs }`, `{ type: "deliver", deliveries }`,
    /// `{ type: "idle" }`, `{ type: "wait", millis, reason }` or `{ type: "done" }`; a consumer
    /// that ended in an error throws its error object.
    pub fn poll(
        &mut self,
        now_ms: f64,
        nonce: &str,
        signer: &WasmSigner,
    ) -> Result<JsValue, JsValue> {
        let step = self
            .consumer
            .poll(millis(now_ms), nonce, signer.signer.credentials());
        let o = Object::new();
        match step {
            ConsumerStep::Send(req) => return Ok(request_to_js("send", &req)),
            ConsumerStep::Deliver(batch) => {
                let deliveries: Vec<DeliveryJs<'_>> = batch.iter().map(DeliveryJs).collect();
                let deliveries = serializable_to_js(&deliveries)?;
                for (i, d) in batch.iter().enumerate() {
                    if let Err(e) = &d.events {
                        let item = Reflect::get(&deliveries, &JsValue::from_f64(i as f64))
                            .unwrap_or(JsValue::UNDEFINED);
                        if item.is_object() {
                            let _ =
                                Reflect::set(&item, &JsValue::from_str("error"), &error_to_js(e));
                        }
                    }
                }
                set(&o, "type", "deliver");
                set(&o, "deliveries", deliveries);
            }
            ConsumerStep::Idle => set(&o, "type", "idle"),
            ConsumerStep::Wait { millis, reason } => {
                set(&o, "type", "wait");
                set(&o, "millis", millis as f64);
                set(&o, "reason", reason);
            }
            ConsumerStep::Done(Ok(())) => set(&o, "type", "done"),
            ConsumerStep::Done(Err(e)) => return Err(error_to_js(&e)),
        }
        Ok(o.into())
    }

    /// The answer to the request last sent: its status and body bytes.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(&mut self, now_ms: f64, status: u16, body: &[u8]) {
        self.consumer.on_response(millis(now_ms), status, body);
    }

    /// The request last sent got no answer: `kind` one of core's transport failures
    /// (`"timed_out"`, ...), `message` the host's words.
    #[wasm_bindgen(js_name = onTransportError)]
    pub fn on_transport_error(
        &mut self,
        now_ms: f64,
        kind: &str,
        message: &str,
    ) -> Result<(), JsValue> {
        let failure = failure_from_js(kind)?;
        self.consumer
            .on_transport_error(millis(now_ms), failure, message);
        Ok(())
    }

    /// The handler of `message_id` succeeded: it is deleted with the batch.
    pub fn handled(&mut self, message_id: &str) -> Result<(), JsValue> {
        core(self.consumer.handled(message_id))
    }

    /// The handler of `message_id` failed: it stays, to be delivered again.
    pub fn failed(&mut self, message_id: &str) -> Result<(), JsValue> {
        core(self.consumer.failed(message_id))
    }

    /// Keeps `message_id` hidden `seconds` more (sent on the next poll).
    pub fn extend(&mut self, message_id: &str, seconds: f64) -> Result<(), JsValue> {
        if !(seconds.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&seconds)) {
            return Err(bad_arg("seconds", "expected a whole number of seconds"));
        }
        core(self.consumer.extend(message_id, seconds as u32))
    }

    /// Ends the consumer once the deliveries in hand are reported and their deletes done.
    pub fn stop(&mut self) {
        self.consumer.stop();
    }

    /// `message_id` was not handed to the handler: visible again at once, not deleted (core's
    /// `Consumer::release`).
    pub fn release(&mut self, message_id: &str) -> Result<(), JsValue> {
        core(self.consumer.release(message_id))
    }

    /// The host leaves early: every delivery not yet reported is released, what was handled
    /// is still deleted, then the consumer stops (core's `Consumer::stop_early`). Returns how
    /// many were released.
    #[wasm_bindgen(js_name = stopEarly)]
    pub fn stop_early(&mut self) -> f64 {
        self.consumer.stop_early() as f64
    }

    /// Messages delivered so far.
    #[wasm_bindgen(getter)]
    pub fn delivered(&self) -> f64 {
        self.consumer.delivered() as f64
    }

    /// Messages deleted so far.
    #[wasm_bindgen(getter)]
    pub fn deleted(&self) -> f64 {
        self.consumer.deleted() as f64
    }

    /// The most bytes of an answer core reads (a token's JSON or an MNS XML answer): read at
    /// most this plus one.
    #[wasm_bindgen(js_name = maxResponseBytes)]
    pub fn max_response_bytes() -> f64 {
        camskit::MAX_RESPONSE_BYTES.max(MAX_MNS_RESPONSE_BYTES) as f64
    }
}

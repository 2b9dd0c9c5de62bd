// Receipts and inbound messages: core's typed events (parsePush, parseMnsBody, DedupWindow,
// advances), a fetch `Request` of an HTTP batch push turned into events and the answer to give
// CAMS, and the MNS queue consumer (core's Consumer) driven over fetch as an async iterator.
// Everything that computes (parsing, dedup keys, status order, token, long poll, which message
// is deleted when, backoff) is core's; this file holds only the host's I/O and idioms.
// Kept apart from camskit.js: nothing here runs on the sign-and-parse path.

import { ValidationError, call, classed, invalid } from "./errors.js";
import { readCapped, sendOnce, sleep } from "./http.js";

/**
 * The receipts API over one wasm-bindgen module.
 * @param {() => any} getWasm returns the initialised module
 * @param {() => string} newNonce a fresh UUID
 */
export function makeReceipts(getWasm, newNonce) {
  const RELEASE = Symbol("camskit.release");

  /** A fetch Response from core's PushAnswer ({ status, contentType, body }). */
  const answer = (a) => new Response(a.body, { status: a.status, headers: { "content-type": a.contentType } });

  /** Parses an HTTP batch push body: a JSON array of events, or one event. */
  function parsePush(body, messageType) {
    return call(() => getWasm().parsePush(body, messageType));
  }

  /** Parses an MNS message's `MessageBody` (JSON, or base64 of it). */
  function parseMnsBody(body, messageType) {
    return call(() => getWasm().parseMnsBody(body, messageType));
  }

  /** Whether a receipt with status `incoming` moves a message on from `current` (core's order). */
  function advances(current, incoming) {
    return call(() => getWasm().advances(current, incoming));
  }

  /** The message type a queue's name says (`Alicom-Queue-…-ChatAppStatus`), else null. */
  function messageTypeOfQueue(queueName) {
    if (typeof queueName !== "string") throw invalid("queue name", "expected a string");
    return getWasm().messageTypeOfQueue(queueName) ?? null;
  }

  /** The last `capacity` dedup keys seen (core's DedupWindow), in this process. */
  class DedupWindow {
    #w;
    constructor(capacity) {
      const wasm = getWasm();
      this.#w = call(() => new wasm.WasmDedupWindow(capacity));
    }
    /** Whether the key (or the event's dedupKey) was seen; remembers it when not. */
    seen(keyOrEvent) {
      return call(() => this.#w.seen(keyOrEvent));
    }
    /** Whether the key (or the event's dedupKey) is in the window, without remembering it. */
    contains(keyOrEvent) {
      return call(() => this.#w.contains(keyOrEvent));
    }
    get size() {
      return this.#w.size;
    }
    get capacity() {
      return this.#w.capacity;
    }
  }

  const RFR_OPTIONS = new Set(["messageType"]);

  /**
   * An HTTP batch push as a fetch `Request` (Node 20's, a Worker's, a framework's): its body
   * read (at most core's maxReceiptBytes + 1) and parsed. Returns `{ events, response }`:
   * `response` is what to answer CAMS, at once (200), before handling the events (CAMS waits
   * 3 s, then pushes again); a body core cannot read gives no events, a 400 `response` with a
   * short text, and `error` (core's ValidationError).
   */
  async function receiptsFromRequest(request, options) {
    if (request === null || typeof request !== "object" || typeof request.arrayBuffer !== "function") {
      throw invalid("request", "expected a fetch Request");
    }
    if (options != null) {
      if (typeof options !== "object" || Array.isArray(options)) throw invalid("receiptsFromRequest options", "expected an object");
      for (const k of Object.keys(options)) {
        if (!RFR_OPTIONS.has(k)) throw invalid("receiptsFromRequest options", `unknown option ${JSON.stringify(k)} (the options are messageType)`);
      }
    }
    const refuse = (detail) => {
      const a = getWasm().pushRefused("receipt push body", detail);
      return { events: [], error: classed(a.error), response: answer(a) };
    };
    let body;
    try {
      body = request.bodyUsed ? null : await readCapped(request, getWasm().maxReceiptBytes() + 1);
    } catch (e) {
      return refuse(`it could not be read (${e instanceof Error ? e.message : String(e)})`);
    }
    if (body === null) return refuse("it was already read");
    // Core reads the body and says what to answer (200 {"code":0,...}, or 400 with what is
    // wrong: receipts::PushAnswer); answer at once, before handling the events.
    const got = call(() => getWasm().receivePush(body, options?.messageType));
    if (got.error !== undefined) return { events: [], error: classed(got.error), response: answer(got) };
    return { events: got.events, response: answer(got) };
  }

  /**
   * The answer to give CAMS when the application could not take a push's events (its store
   * is down): core's 5xx, so CAMS pushes them again.
   */
  function pushHandlerFailedResponse() {
    const a = getWasm().pushHandlerFailed();
    return answer(a);
  }

  /** The options of client.receipts the glue keeps (the rest are core's ConsumerOptions). */
  const OWN = new Set(["fetch", "signal"]);

  /**
   * The consumer of one MNS queue as an async iterator of deliveries (client.receipts).
   * @param {{ refreshCredentials(): Promise<void> }} client
   * @param {() => any} signerOf the client's current WasmSigner (its credentials sign the token request)
   */
  function consume(client, signerOf, options) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw invalid("receipts options", "expected an object { queue, endpoint, messageType?, ... }");
    }
    const own = {};
    const spec = {};
    for (const [k, v] of Object.entries(options)) (OWN.has(k) ? own : spec)[k] = v;
    const fetchFn = own.fetch ?? globalThis.fetch;
    if (typeof fetchFn !== "function") throw invalid("fetch", "there is no global fetch here: pass { fetch }");
    if (own.signal !== undefined && (own.signal === null || typeof own.signal.aborted !== "boolean")) {
      throw invalid("signal", "expected an AbortSignal");
    }
    const wasm = getWasm();
    const consumer = call(() => new wasm.WasmConsumer(spec));
    return run({
      consumer, fetchFn, signal: own.signal, client, signerOf, limit: wasm.WasmConsumer.maxResponseBytes() + 1, chain: Promise.resolve(), stopping: false, over: false,
    });
  }

  /** Sends one request the consumer asked for and reports what happened. */
  async function sendStep(ctx, step) {
    // Once stopping, the caller's signal no longer cuts requests short: the deletes go out.
    const out = await sendOnce(ctx.fetchFn, step, ctx.stopping ? undefined : ctx.signal, ctx.limit);
    if (out.kind !== undefined) call(() => ctx.consumer.onTransportError(Date.now(), out.kind, out.message));
    else call(() => ctx.consumer.onResponse(Date.now(), out.status, out.body));
  }

  /** Runs fn when nothing else drives the consumer (an answer awaited belongs to one driver). */
  function exclusive(ctx, fn) {
    const run = ctx.chain.then(fn);
    ctx.chain = run.catch(() => {});
    return run;
  }

  async function poll(ctx) {
    await ctx.client.refreshCredentials();
    return call(() => ctx.consumer.poll(Date.now(), newNonce(), ctx.signerOf()));
  }

  /** Sends what the consumer asks until it has nothing to send (a Delivery's extend). */
  async function flush(ctx) {
    for (;;) {
      const step = await poll(ctx);
      if (step.type !== "send") return;
      await sendStep(ctx, step);
    }
  }

  /**
   * Leaves early: core releases every delivery not reported (visible again at once, not
   * deleted; its Consumer.stop_early) and stops once what was handled is deleted; the JS
   * objects of `rest` say "released".
   */
  function stopEarly(ctx, rest) {
    ctx.consumer.stopEarly();
    ctx.stopping = true;
    for (const d of rest) d[RELEASE]();
  }

  async function* run(ctx) {
    const { consumer, signal } = ctx;
    let current = null;
    let rest = [];
    try {
      for (;;) {
        if (signal?.aborted && !ctx.stopping) {
          consumer.stop();
          ctx.stopping = true;
        }
        const step = await exclusive(ctx, async () => {
          const s = await poll(ctx);
          if (s.type === "send") await sendStep(ctx, s);
          return s;
        });
        if (step.type === "done") return;
        if (step.type === "send") continue;
        if (step.type === "wait") {
          if (ctx.stopping) return; // stopped: what is not deleted comes back, flagged when it does
          try {
            await sleep(step.millis, signal);
          } catch {
            // aborted: the next turn stops the consumer
          }
          continue;
        }
        if (step.type === "deliver") {
          rest = step.deliveries.map((d) => new Delivery(d, ctx));
          while (rest.length > 0) {
            if (signal?.aborted) {
              // Stopped: the rest of the batch is released at once, not handed over.
              stopEarly(ctx, rest);
              rest = [];
              break;
            }
            current = rest.shift();
            yield current;
            // The loop body went on to the next item: this one is handled.
            if (!current.reported) current.ack();
            current = null;
          }
          continue;
        }
        // "idle": every delivery is reported before the next poll, so nothing awaits a handler.
        throw new Error(`camskit: the receipts consumer is idle with no delivery in hand (${step.type})`);
      }
    } finally {
      // Left early (break, return, a throw in the loop body, the signal): the delivery in
      // hand is not handled (it comes back after its visibility timeout; ack() it before
      // leaving to have it deleted), the rest of the batch is released at once, and what was
      // handled is deleted.
      try {
        if (current !== null && !current.reported) current.nack();
        stopEarly(ctx, rest);
        for (;;) {
          const step = await exclusive(ctx, async () => {
            const s = await poll(ctx);
            if (s.type === "send") await sendStep(ctx, s);
            return s;
          });
          if (step.type !== "send") break;
        }
      } catch {
        // Nothing is lost: a message not deleted is delivered again.
      } finally {
        ctx.over = true;
        consumer.free();
      }
    }
  }

  /** One MNS message for the loop body: its events and how to report it. */
  class Delivery {
    #ctx;
    #state = "pending";
    #events;
    #error;
    constructor(d, ctx) {
      this.#ctx = ctx;
      this.#events = d.events;
      this.#error = d.error === null ? null : classed(d.error);
      /** The MNS message id. */
      this.messageId = d.messageId;
      /** How many times MNS handed it out (more than 1: a redelivery). */
      this.dequeueCount = d.dequeueCount;
      this.enqueueTime = d.enqueueTime;
      this.firstDequeueTime = d.firstDequeueTime;
      this.nextVisibleTime = d.nextVisibleTime;
      this.priority = d.priority;
      /** The MessageBody as MNS sent it. */
      this.body = d.body;
      /** Every event of it was handled already in this consumer (a redelivery after a lost delete, a repeated push). */
      this.duplicate = d.duplicate;
      /** Received more often than maxDequeueCount. */
      this.poison = d.poison;
    }
    /** The events; throws the ValidationError core gave a body it could not read (see `error`). */
    get events() {
      if (this.#error !== null) throw this.#error;
      return this.#events;
    }
    /** Why the body could not be read (a ValidationError), else null. */
    get error() {
      return this.#error;
    }
    /** Whether it was reported (handled, failed or released). */
    get reported() {
      return this.#state !== "pending";
    }
    /** "pending", "handled", "failed" or "released". */
    get state() {
      return this.#state;
    }
    #live() {
      if (this.#ctx.over) throw invalid("delivery", `${this.messageId}: its consumer is over (report a delivery inside the loop)`);
    }
    #report(state, fn) {
      if (this.#state === state) return;
      this.#live();
      if (this.#state !== "pending") throw invalid("delivery", `${this.messageId} was already reported ${this.#state}`);
      call(fn);
      this.#state = state;
    }
    /** Handled: deleted with its batch (the default when the loop body goes on to the next item). */
    ack() {
      this.#report("handled", () => this.#ctx.consumer.handled(this.messageId));
    }
    /**
     * Not handled: it stays in the queue and comes back when its visibility timeout ends, or
     * after `retryAfterSeconds` (the default when the loop body throws).
     */
    nack(retryAfterSeconds) {
      this.#report("failed", () => {
        if (retryAfterSeconds !== undefined) this.#ctx.consumer.extend(this.messageId, retryAfterSeconds);
        this.#ctx.consumer.failed(this.messageId);
      });
    }
    /** Keeps it hidden `seconds` more while a slow handler runs (ChangeMessageVisibility, sent now). */
    async extend(seconds) {
      this.#live();
      if (this.#state !== "pending") throw invalid("delivery", `${this.messageId} was already reported ${this.#state}`);
      call(() => this.#ctx.consumer.extend(this.messageId, seconds));
      await exclusive(this.#ctx, () => flush(this.#ctx));
    }
    [RELEASE]() {
      this.#state = "released";
    }
  }

  return { parsePush, parseMnsBody, advances, messageTypeOfQueue, DedupWindow, receiptsFromRequest, pushHandlerFailedResponse, consume };
}

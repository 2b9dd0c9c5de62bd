// Type-checked by types.test.mjs: receipts and inbound messages (parsePush, parseMnsBody, the
// event union, DedupWindow, advances, receiptsFromRequest, client.receipts, parseMnsAnswer).
import {
  Client, DedupWindow, ValidationError, advances, parseMnsAnswer, parseMnsBody, parsePush, receiptsFromRequest,
  type ChatAppStatusEvent, type MnsMessage, type InboundContent, type ReceiptDelivery, type ReceiptEvent, type ReceiptStatus,
} from "camskit";

const window = new DedupWindow(10_000);
const stored = new Map<string, ReceiptStatus>();

function describe(content: InboundContent): string {
  switch (content.kind) {
    case "text": return content.text;
    case "image": case "video": case "audio": case "document": case "sticker":
      return `${content.kind} ${content.url ?? ""} ${content.mimeType ?? ""} ${content.filename ?? content.caption ?? ""}`;
    case "location": return `${content.latitude},${content.longitude} ${content.name ?? ""}`;
    case "reply": return `${content.text ?? ""} ${content.payload ?? ""}`;
    case "contacts": case "system": return JSON.stringify(content.value);
    case "other": return `${content.messageType}`;
    case "unparsed": return `${content.messageType}: ${content.reason}`;
  }
}

export function handle(events: ReceiptEvent[]): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (window.seen(e)) continue;
    switch (e.messageType) {
      case "ChatAppStatus": {
        const s: ChatAppStatusEvent = e;
        const ts: number | bigint | null = s.Timestamp;
        if (advances(stored.get(s.MessageId) ?? null, s.status)) stored.set(s.MessageId, s.status);
        out.push(`${s.MessageId} ${s.Status} ${s.ErrorCode ?? ""} ${String(ts)}`);
        break;
      }
      case "ChatAppInbound":
        out.push(`${e.From ?? "?"}: ${describe(e.content)} (${e.Type})`);
        break;
      case "ChatAppAudit":
        out.push(`${e.WabaId} ${e.TemplateCode ?? ""} ${e.AuditStatus ?? e.Status ?? ""}`);
        break;
      case "Other":
        out.push(`${e.givenMessageType ?? "?"} ${JSON.stringify(e.raw)}`);
        // @ts-expect-error an unknown type has no MessageId
        out.push(e.MessageId);
        break;
    }
  }
  return out;
}

export async function worker(request: Request): Promise<Response> {
  const { events, response, error } = await receiptsFromRequest(request, { messageType: "ChatAppStatus" });
  if (error instanceof ValidationError) console.warn(error.what, error.problem);
  queueMicrotask(() => handle(events));
  return response;
}

export async function consume(client: Client, signal: AbortSignal): Promise<number> {
  let n = 0;
  for await (const d of client.receipts({
    queue: "Alicom-Queue-1-ChatAppInbound", endpoint: "https://1.mns.ap-southeast-1.aliyuncs.com",
    batchSize: 16, waitSeconds: 30, signal,
  })) {
    const delivery: ReceiptDelivery = d;
    if (delivery.duplicate) continue;
    if (delivery.error !== null) {
      delivery.ack();
      continue;
    }
    await delivery.extend(60);
    handle(delivery.events);
    if (delivery.poison) delivery.nack(600);
    n += 1;
  }
  // @ts-expect-error queue and endpoint are required
  client.receipts({ messageType: "ChatAppStatus" });
  // @ts-expect-error not an option
  client.receipts({ queue: "q", endpoint: "e", timeoutMs: 5 });
  return n;
}

export const fromMns: ReceiptEvent[] = parseMnsBody(new Uint8Array(0), null);
export const fromPush: ReceiptEvent[] = parsePush("[]");
// @ts-expect-error a body is text or bytes
parsePush(42);

// MNS and Dybaseapi signing with a client's credentials (client.signMns, signQueryTokenForMnsQueue).
export function mnsSigning(client: import("camskit").Client): string {
  const r = client.signMns({ endpoint: "https://1.mns.ap-southeast-1.aliyuncs.com", queue: "Alicom-Queue-1-ChatAppStatus", operation: "ReceiveMessage", waitSeconds: 30 });
  const t = client.signQueryTokenForMnsQueue({ messageType: "ChatAppStatus", queueName: "Alicom-Queue-1-ChatAppStatus" });
  // @ts-expect-error not an MNS operation
  client.signMns({ endpoint: "e", queue: "q", operation: "PeekMessage" });
  return `${r.method} ${r.headers.Authorization} ${r.timeoutMs} ${t.url}`;
}

// A host's own queue loop: the answers of what signMns signed, typed by operation (parseMnsAnswer).
export function mnsAnswers(status: number, body: Uint8Array): string {
  const one: MnsMessage | null = parseMnsAnswer("ReceiveMessage", status, body);
  const many: MnsMessage[] = parseMnsAnswer("BatchReceiveMessage", status, body);
  const failed = parseMnsAnswer("BatchDeleteMessage", status, body).map((f) => `${f.receiptHandle}: ${f.errorCode}`);
  const moved = parseMnsAnswer("ChangeMessageVisibility", status, "<ChangeVisibility/>");
  const gone: null = parseMnsAnswer("DeleteMessage", 204, "");
  // @ts-expect-error a ReceiveMessage answer may be an empty poll (null)
  const sure: MnsMessage = parseMnsAnswer("ReceiveMessage", status, body);
  // @ts-expect-error not an MNS operation
  parseMnsAnswer("PeekMessage", status, body);
  return `${one?.messageBody} ${many.length} ${failed.join()} ${moved.receiptHandle} ${moved.nextVisibleTime} ${gone} ${sure.messageId}`;
}

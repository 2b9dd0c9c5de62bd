// Type-checked by ../answers.test.mjs (tsc --strict) against the package's index.d.ts and
// answers.d.ts: three answers read through parseAnswer, keyed by action.
import { parseAnswer, parseResponse, int64Paths, type Answer, type CallResult, type AnswerOf, type Action, type ListChatappTemplateResponseBody } from "camskit";

// A list: ListChatappTemplate.ListTemplate[].
export function templates(body: string): string[] {
  const r = parseAnswer("ListChatappTemplate", 200, body);
  const total: number | undefined = r.body.Total;
  const same: ListChatappTemplateResponseBody = r.body;
  return (r.body.ListTemplate ?? []).map((t) => `${t.TemplateCode ?? ""}:${t.TemplateName ?? ""}:${total}:${same.Code}`);
}

// A nested object: GetChatappTemplateDetail.Data.Components[].Buttons[].Url; `data` is typed too.
export function firstButtonUrl(body: string): string | undefined {
  const r: Answer<AnswerOf<"GetChatappTemplateDetail">> = parseAnswer("GetChatappTemplateDetail", 200, body);
  const viaData: string | undefined = r.data?.Components?.[0]?.Buttons?.[0]?.Url;
  return r.body.Data?.Components?.[0]?.Buttons?.[0]?.Url ?? viaData;
}

// A 64-bit id: ListMarketingFlow.Data[].Id is a bigint (always, at runtime too).
export function flowIds(body: string): bigint[] {
  const r = parseAnswer("ListMarketingFlow", 200, body);
  const ids: bigint[] = [];
  for (const flow of r.data ?? []) if (flow.Id !== undefined) ids.push(flow.Id + 1n - 1n);
  return ids;
}

// The hook for client.call: what a call of an action resolves to.
export async function viaCall(call: <A extends Action>(action: A) => Promise<CallResult<A>>): Promise<bigint | undefined> {
  const r = await call("ListMarketingFlow");
  return r.body.Data?.[0]?.Id;
}

// The envelope is parseResponse's; parseResponse itself is unchanged.
export function envelope(body: string): string {
  const r = parseAnswer("SendChatappMessage", 200, body);
  const plain = parseResponse(200, body);
  return `${r.requestId}${r.code}${r.status}${r.body.MessageId}${plain.code}`;
}

// core's table of the 64-bit fields, by action.
export const flowIdPaths: string[] = int64Paths("ListMarketingFlow");

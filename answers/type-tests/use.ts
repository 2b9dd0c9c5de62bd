// Type-checked by answers/check-types.sh (tsc --strict): three answers read as CAMS sends them.
import type { AnswerOf, ListChatappTemplateResponseBody, ListMarketingFlowResponseBody } from "../generated/answers";

// A list: ListChatappTemplate.
const list: AnswerOf<"ListChatappTemplate"> = {
  RequestId: "r1",
  Code: "OK",
  Total: 2,
  ListTemplate: [{ TemplateCode: "744c****", TemplateName: "hello", LastUpdateTime: 1693810000000n }],
};
const codes: string[] = (list.ListTemplate ?? []).map((t) => t.TemplateCode ?? "");
const same: ListChatappTemplateResponseBody = list;

// A nested object: GetChatappTemplateDetail.Data.Components[].Buttons[].
const detail: AnswerOf<"GetChatappTemplateDetail"> = {
  Data: { Name: "hello", Language: "en", Components: [{ Type: "BUTTONS", Buttons: [{ Type: "URL", Url: "https://example.com" }] }] },
};
const firstButton: string | undefined = detail.Data?.Components?.[0]?.Buttons?.[0]?.Url;

// A 64-bit id: ListMarketingFlow.Data[].Id is a bigint (beyond 2^53, exact).
const flows: ListMarketingFlowResponseBody = { TotalCount: 1, Data: [{ Id: 9007199254740993n, ActivityName: "f" }] };
const id: bigint | undefined = flows.Data?.[0]?.Id;

// An action camskit does not know reads as an untyped record.
const other: AnswerOf<"NoSuchAction"> = { Anything: 1 };

export { codes, same, firstButton, id, other };

// Five real CAMS operations through client.call, each answer read through its typed body
// (tsc --strict, no cast, no `any`); readme.test.mjs compiles it and runs it against mock-cams.
import { Client, type CallResult } from "camskit";

export async function fiveCalls(client: Client): Promise<string[]> {
  const out: string[] = [];
  // 1. A paged list: ListTemplate[] with a 64-bit time (bigint) and a 32-bit total (number).
  const list: CallResult<"ListChatappTemplate"> = await client.call("ListChatappTemplate", { CustSpaceId: "cs-five", Page: { Index: 1, Size: 5 } });
  const total: number | undefined = list.body.Total;
  const newest: bigint = (list.body.ListTemplate ?? []).reduce((m, t) => (t.LastUpdateTime !== undefined && t.LastUpdateTime > m ? t.LastUpdateTime : m), 0n);
  const codes: string[] = (list.body.ListTemplate ?? []).map((t) => t.TemplateCode ?? "?");
  out.push(`ListChatappTemplate total=${total} codes=${codes.length} newest=${newest + 0n}`);
  // 2. A write with a typed Data object.
  const init = await client.call("CreateChatappMigrationInitiate", { CustSpaceId: "cs-five", CountryCode: "86", MobileNumber: "13800001234" });
  const migrationId: string = init.data?.Id ?? "";
  const status: string | undefined = init.body.Data?.Status;
  out.push(`CreateChatappMigrationInitiate id=${migrationId} status=${status}`);
  // 3. Its verification code request.
  const code = await client.call("GetMigrationVerifyCode", { CustSpaceId: "cs-five", PhoneNumber: "8613800001234", Locale: "en_US", Method: "SMS" });
  const phone: string | undefined = code.body.Data?.PhoneNumber;
  out.push(`GetMigrationVerifyCode phone=${phone}`);
  // 4. The code checked.
  const verified = await client.call("ChatappMigrationVerified", { CustSpaceId: "cs-five", PhoneNumber: "8613800001234", VerifyCode: "123456" });
  out.push(`ChatappMigrationVerified phone=${verified.data?.PhoneNumber} code=${verified.code}`);
  // 5. The number registered: an answer with no Data (its body has RequestId, Code, Message).
  const registered = await client.call("ChatappMigrationRegister", { CustSpaceId: "cs-five", PhoneNumber: "8613800001234" });
  const requestId: string | undefined = registered.body.RequestId;
  out.push(`ChatappMigrationRegister requestId=${requestId !== undefined} status=${registered.status}`);
  return out;
}

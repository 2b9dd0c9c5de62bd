// Type-checked by types.test.mjs: client.call / pages / items, the default chain, the errors.
import { Client, TransportError, ApiError, isOutcomeUnknown, type CallResult, type CamsResponse, type JsonValue, type PageItemOf } from "camskit";

export async function calls(): Promise<string> {
  const client = await Client.fromDefaultChain({ profile: "default", stsEndpoint: "http://127.0.0.1:1", endpoint: "http://127.0.0.1:2" });
  const src: string = client.credentialsSource;
  const ac = new AbortController();
  try {
    const r: CallResult<"ListChatappTemplate"> = await client.call("ListChatappTemplate", { CustSpaceId: "cs" }, {
      signal: ac.signal, timeoutMs: 5000, maxAttempts: 2, signature: "v3",
      onRetry: ({ attempt, reason, delayMs }) => console.log(attempt, reason, delayMs),
    });
    for await (const page of client.pages("ListChatappTemplate", { CustSpaceId: "cs" }, { retry: false })) {
      const code: string = page.code;
      void code;
    }
    const all: PageItemOf<"ListChatappTemplate">[] = [];
    for await (const item of client.items("ListChatappTemplate", { CustSpaceId: "cs" })) all.push(item);
    const times: bigint[] = all.map((t) => t.LastUpdateTime ?? 0n);
    // The untyped entry: any action, parameters as given, an untyped answer.
    const raw: CamsResponse = await client.call("DescribeRegions", { AcceptLanguage: "en" }, { raw: true, apiVersion: "2014-05-26" });
    const rawItems: JsonValue[] = [];
    for await (const item of client.items("ListChatappTemplate", [["CustSpaceId", "cs"]], { raw: true })) rawItems.push(item);
    // All-optional parameters may be left out.
    await client.call("ListMarketingFlow");
    // @ts-expect-error apiVersion needs raw
    await client.call("ListChatappTemplate", { CustSpaceId: "cs" }, { apiVersion: "2014-05-26" });
    // @ts-expect-error a misspelt action
    client.items("ListChatappTemplates", { CustSpaceId: "cs" });
    // @ts-expect-error items walks only paged operations with typed items
    client.items("SendChatappMessage", { ChannelType: "whatsapp", From: "1", To: "2", Type: "text" });
    // @ts-expect-error an unknown parameter
    client.pages("ListChatappTemplate", { CustSpaceID: "cs" });
    // @ts-expect-error a misspelt action
    client.sign("ChatappMigrationRegistr", { CustSpaceId: "cs", PhoneNumber: "1" });
    // @ts-expect-error PhoneNumber is required
    client.sign("ChatappMigrationRegister", { CustSpaceId: "cs" });
    // @ts-expect-error params are required when the operation has required parameters
    await client.call("ChatappMigrationRegister");
    // @ts-expect-error a wrong type
    await client.call("ListChatappTemplate", { Page: { Index: 1, Size: 10 }, CustSpaceId: 5 });
    void times; void raw;
    // @ts-expect-error not an option
    await client.call("ListChatappTemplate", { CustSpaceId: "cs" }, { timestamp: 1 });
    return `${src}${r.code}${all.length}`;
  } catch (e) {
    if (isOutcomeUnknown(e)) return "check before sending again";
    if (e instanceof TransportError) return `${e.reason} ${e.outcomeUnknown}`;
    if (e instanceof ApiError) return e.kind;
    throw e;
  }
}

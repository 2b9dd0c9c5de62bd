// Type-checked by types.test.mjs against the package's generated index.d.ts.
import init, { Client, parseResponse, ApiError, ValidationError, credentialsFromEnv, maxResponseBytes, parseCreateChatappMigrationInitiateResponse, type ErrorKind, type SignedRequest, type ChatappMigrationRegisterParams } from "camskit";

export async function main(): Promise<string> {
  await init();
  const client = new Client({ accessKeyId: "id", accessKeySecret: "secret", regionId: "cn-hangzhou" });
  const params: ChatappMigrationRegisterParams = { CustSpaceId: "cs", PhoneNumber: "1", OwnerId: 12n };
  const a: SignedRequest = client.chatappMigrationRegister(params, { signature: "v3", timestamp: new Date() });
  const b: SignedRequest = client.sign("ChatappMigrationRegister", { CustSpaceId: "cs", PhoneNumber: "1" });
  const c: SignedRequest = client.sign("AnyOtherAction", [["A", "1"]], { raw: true, apiVersion: "2014-05-26" });
  // @ts-expect-error PhoneNumber is required
  client.chatappMigrationRegister({ CustSpaceId: "cs" });
  // @ts-expect-error CustSpaceId is a string
  client.chatappMigrationRegister({ CustSpaceId: 5, PhoneNumber: "1" });
  // @ts-expect-error no such option value
  client.sign("ChatappMigrationRegister", { CustSpaceId: "cs", PhoneNumber: "1" }, { signature: "v4" });
  try {
    const r = parseResponse(200, "{}");
    return `${r.requestId}${a.url}${b.url}${c.url}`;
  } catch (e) {
    if (e instanceof ApiError) return `${e.kind} ${e.retryable} ${e.requestId}`;
    if (e instanceof ValidationError) return e.code;
    throw e;
  }
}

export function more(): string {
  const c = Client.fromEnv({ ALIBABA_CLOUD_ACCESS_KEY_ID: "id", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s" }, { regionId: "ap-southeast-1" });
  const w: string | null = c.warning;
  const r: string | null = c.regionId;
  const s = c.sign("AnyOtherAction", { A: { B: [1, true, null] }, C: 10n }, { raw: true, timestamp: 1752480000.5 });
  const m = parseCreateChatappMigrationInitiateResponse(200, "{}", new Headers());
  const id: string | null | undefined = m.data?.id;
  const info = credentialsFromEnv({});
  const kind: ErrorKind = "throttling";
  return `${w}${r}${s.url}${id}${info?.accessKeyId}${kind}${maxResponseBytes()}`;
}

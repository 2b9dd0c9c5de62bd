const dir = process.argv[2];
const t0 = performance.now();
const { Client } = await import(dir + "/index.node.js");
const c = new Client({ accessKeyId: "LTAI5tCamsKitVector01", accessKeySecret: "VectorSecret0123456789abcdefABC" });
const s = c.sign("ChatappMigrationRegister", { CustSpaceId: "29348393884", PhoneNumber: "8613800001234" });
const t3 = performance.now();
if (!s.url.includes("Signature=")) throw new Error("no");
console.log((t3-t0).toFixed(2));

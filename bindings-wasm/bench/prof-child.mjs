const t0 = performance.now();
const { Client } = await import("camskit");
const t1 = performance.now();
const client = new Client({ accessKeyId: "LTAI5tCamsKitVector01", accessKeySecret: "VectorSecret0123456789abcdefABC" });
const t2 = performance.now();
const signed = client.sign("ChatappMigrationRegister", { CustSpaceId: "29348393884", PhoneNumber: "8613800001234" });
const t3 = performance.now();
console.log(`import ${(t1-t0).toFixed(2)} client ${(t2-t1).toFixed(2)} sign ${(t3-t2).toFixed(2)}`);

// Times Alibaba's official Node signer on the request of core/examples/sign_loop.rs.
'use strict';
const util = require('@alicloud/openapi-util').default;
const N = Number(process.argv[2] || 20000);
const secret = 'BenchSecret0123456789abcdefABC';
const params = {
  AccessKeyId: 'LTAI5tCamsKitBench01', Action: 'ChatappMigrationRegister', CustSpaceId: '29348393884',
  Format: 'JSON', PhoneNumber: '8613800001234', SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21', SignatureVersion: '1.0',
  Timestamp: '2025-07-14T08:00:00Z', Version: '2020-06-06',
};
function sign() {
  const q = Object.assign({}, params);
  q.Signature = util.getRPCSignature(q, 'POST', secret);
  return 'https://cams.ap-southeast-1.aliyuncs.com/?' + new URLSearchParams(q).toString();
}
for (let i = 0; i < 2000; i++) sign();
const t = process.hrtime.bigint();
for (let i = 0; i < N; i++) sign();
const ns = Number(process.hrtime.bigint() - t) / N;
console.log(`${ns.toFixed(0)}\t@alicloud/openapi-util ${require('@alicloud/openapi-util/package.json').version} (getRPCSignature + URL)`);

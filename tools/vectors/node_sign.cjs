// Cross-checks recorded vectors with Alibaba's npm signer (@alicloud/openapi-util).
// Reads a JSON list of requests on stdin, prints what the official code computes.
'use strict';
const util = require('@alicloud/openapi-util').default;

let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((item) => {
    if (item.kind === 'rpc') {
      return { signature: util.getRPCSignature(item.params, item.method, item.secret) };
    }
    const request = { method: item.method, pathname: '/', query: item.query, headers: item.headers };
    return {
      authorization: util.getAuthorization(request, 'ACS3-HMAC-SHA256', item.payload, item.ak, item.secret),
    };
  });
  process.stdout.write(JSON.stringify(out));
});

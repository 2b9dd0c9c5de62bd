"""Times Alibaba's official Python signers on the ChatappMigrationRegister request of
core/examples/sign_loop.rs (same parameters, key, time and nonce). Prints ns per request."""
import sys
import time
from urllib.parse import urlencode

from alibabacloud_tea_openapi.utils import Utils
from aliyunsdkcore.auth.composer import rpc_signature_composer

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
SECRET = "BenchSecret0123456789abcdefABC"
PARAMS = {
    "AccessKeyId": "LTAI5tCamsKitBench01", "Action": "ChatappMigrationRegister", "CustSpaceId": "29348393884",
    "Format": "JSON", "PhoneNumber": "8613800001234", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21", "SignatureVersion": "1.0",
    "Timestamp": "2025-07-14T08:00:00Z", "Version": "2020-06-06",
}


def tea():
    q = dict(PARAMS)
    q["Signature"] = Utils.get_rpcsignature(q, "POST", SECRET)
    return "https://cams.ap-southeast-1.aliyuncs.com/?" + urlencode(q)


def legacy():
    p = {k: v for k, v in PARAMS.items() if k not in ("Timestamp", "SignatureNonce", "AccessKeyId", "Format",
                                                     "SignatureMethod", "SignatureVersion")}
    return rpc_signature_composer.get_signed_url(p, "LTAI5tCamsKitBench01", SECRET, "JSON", "POST", {})


for name, fn in [("alibabacloud-tea-openapi (get_rpcsignature + URL)", tea), ("aliyun-python-sdk-core (get_signed_url)", legacy)]:
    for _ in range(2000):
        fn()
    t = time.perf_counter()
    for _ in range(N):
        fn()
    print(f"{(time.perf_counter() - t) / N * 1e9:.0f}\t{name}")

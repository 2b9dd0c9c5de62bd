"""camskit vs Alibaba's official Python signers, in one run (run by hand: bench/run.sh).

Times one signed ChatappMigrationRegister request (fresh time and nonce each, as a program
sends it):

* camskit     ``client.sign("ChatappMigrationRegister", {...})`` -> SignedRequest (URL ready)
* tea-openapi ``alibabacloud_tea_openapi.utils.Utils``: get_nonce, get_timestamp, the common
              parameters, get_rpcsignature, then the URL (the official CAMS client's signer)
* sdkcore     ``aliyunsdkcore.auth.composer.rpc_signature_composer.get_signed_url`` (the older
              ``aliyun-python-sdk-core`` signer: nonce, timestamp, signature and URL)
* and, as bench/official_py.py does, camskit and tea-openapi with the time and nonce pinned

then ``import camskit`` (and, for scale, the official CAMS client) in a fresh process: import
time and RSS; and the wheel's size. Prints a table and the ratios; no assertion.
"""

from __future__ import annotations

import argparse
import functools
import glob
import os
import statistics
import subprocess
import sys
import timeit
from urllib.parse import quote, urlencode

import camskit

KEY_ID = "LTAI5tCamsKitBench01"
SECRET = "BenchSecret0123456789abcdefABCD"
HOST = "cams.ap-southeast-1.aliyuncs.com"
PARAMS = {"CustSpaceId": "29348393884", "PhoneNumber": "8613800001234"}


def camskit_signer():
    # Exactly `client.sign("ChatappMigrationRegister", {...})`: the returned SignedRequest holds
    # the finished URL (and headers, body).
    client = camskit.Client(KEY_ID, SECRET)
    return functools.partial(client.sign, "ChatappMigrationRegister", PARAMS)


def camskit_v3_signer():
    client = camskit.Client(KEY_ID, SECRET)
    return functools.partial(client.sign, "ChatappMigrationRegister", PARAMS, signature="v3")


def camskit_helper_signer():
    client = camskit.Client(KEY_ID, SECRET)

    def run():
        return client.chatapp_migration_register(cust_space_id="29348393884", phone_number="8613800001234")

    return run


def tea_openapi_signer():
    from alibabacloud_tea_openapi.utils import Utils

    def run():
        query = {
            "Action": "ChatappMigrationRegister",
            "Format": "JSON",
            "Version": "2020-06-06",
            "Timestamp": Utils.get_timestamp(),
            "SignatureNonce": Utils.get_nonce(),
            "AccessKeyId": KEY_ID,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureVersion": "1.0",
        }
        query.update(Utils.query(PARAMS))
        query["Signature"] = Utils.get_rpcsignature(query, "POST", SECRET)
        return "https://" + HOST + "/?" + urlencode(query, quote_via=quote, safe="~")

    return run


TS, NONCE = "2025-07-14T08:00:00Z", "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21"


def camskit_pinned_signer():
    client = camskit.Client(KEY_ID, SECRET)
    return functools.partial(client.sign, "ChatappMigrationRegister", PARAMS, timestamp=TS, nonce=NONCE)


def tea_openapi_pinned_signer():
    # What bench/official_py.py times: time and nonce given, signature + URL only.
    from alibabacloud_tea_openapi.utils import Utils

    def run():
        query = {
            "Action": "ChatappMigrationRegister", "Format": "JSON", "Version": "2020-06-06",
            "Timestamp": TS, "SignatureNonce": NONCE, "AccessKeyId": KEY_ID,
            "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
        }
        query.update(PARAMS)
        query["Signature"] = Utils.get_rpcsignature(query, "POST", SECRET)
        return "https://" + HOST + "/?" + urlencode(query, quote_via=quote, safe="~")

    return run


def sdkcore_signer():
    from aliyunsdkcore.auth.composer import rpc_signature_composer

    def run():
        params = {"Action": "ChatappMigrationRegister", "Version": "2020-06-06"}
        params.update(PARAMS)
        url, _ = rpc_signature_composer.get_signed_url(params, KEY_ID, SECRET, "JSON", "POST", {})
        return "https://" + HOST + url

    return run


def measure(signers: list, seconds: float, rounds: int) -> dict:
    """Per-call times of each signer in microseconds, one per round. Rounds interleave the
    signers, so load from other processes on the machine hits all of them alike."""
    batches = {}
    for name, fn in signers:
        n, t = timeit.Timer(fn).autorange()
        batches[name] = max(1, int(n * (seconds / rounds) / max(t, 1e-9)))
    times: dict = {name: [] for name, _ in signers}
    for _ in range(rounds):
        for name, fn in signers:
            times[name].append(timeit.Timer(fn).timeit(batches[name]) / batches[name] * 1e6)
    return times


IMPORT_PROBE = r"""
import resource, sys, time
def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
before = rss_kib()
t = time.perf_counter()
import {module}
dt = time.perf_counter() - t
print(dt * 1000, before / 1024, rss_kib() / 1024, len(sys.modules))
"""


def import_cost(module: str, runs: int) -> tuple[float, float, float, int]:
    """Median import time (ms), RSS before and after (MiB), modules loaded, fresh processes."""
    rows = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE.replace("{module}", module)],
            check=True, capture_output=True, text=True,
        ).stdout.split()
        rows.append((float(out[0]), float(out[1]), float(out[2]), int(out[3])))
    return (
        statistics.median(r[0] for r in rows),
        statistics.median(r[1] for r in rows),
        statistics.median(r[2] for r in rows),
        rows[0][3],
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=2.0, help="time budget per signer (default 2 s)")
    ap.add_argument("--wheel-dir", default=None, help="folder holding the camskit wheel (its size)")
    ap.add_argument("--import-runs", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    args = ap.parse_args()

    print(f"Python {sys.version.split()[0]} on {sys.platform}; camskit {camskit.__version__}")
    signers = [
        ("camskit sign (1.0)", camskit_signer()),
        ("camskit sign (v3)", camskit_v3_signer()),
        ("camskit typed helper (1.0)", camskit_helper_signer()),
        ("tea-openapi Utils (1.0)", tea_openapi_signer()),
        ("aliyunsdkcore (1.0)", sdkcore_signer()),
        ("camskit sign, pinned t+nonce", camskit_pinned_signer()),
        ("tea-openapi, pinned t+nonce", tea_openapi_pinned_signer()),
    ]
    for _, fn in signers:
        fn()
    times = measure(signers, args.seconds, args.rounds)
    best = {name: min(ts) for name, ts in times.items()}
    median = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"\nper signed ChatappMigrationRegister request (fresh time + nonce), {args.rounds} interleaved rounds:")
    print(f"  {'':30s} {'best':>9s} {'median':>9s}   ratio to camskit 1.0 (best / median)")
    for name in times:
        print(f"  {name:30s} {best[name]:7.2f}µs {median[name]:7.2f}µs   "
              f"{best[name] / best['camskit sign (1.0)']:6.1f}x / {median[name] / median['camskit sign (1.0)']:5.1f}x")
    official = ("tea-openapi Utils (1.0)", "aliyunsdkcore (1.0)")
    for label, table in (("best", best), ("median", median)):
        fastest = min(official, key=lambda n: table[n])
        print(f"  speed-up vs the fastest official signer ({fastest}), {label}: "
              f"{table[fastest] / table['camskit sign (1.0)']:.1f}x (goal >= 25x)")
    print(f"  with time and nonce pinned on both sides (tea-openapi / camskit): "
          f"best {best['tea-openapi, pinned t+nonce'] / best['camskit sign, pinned t+nonce']:.1f}x, "
          f"median {median['tea-openapi, pinned t+nonce'] / median['camskit sign, pinned t+nonce']:.1f}x")

    print(f"\nimport in a fresh process (median of {args.import_runs}):")
    for module in ("camskit", "alibabacloud_cams20200606.client"):
        try:
            ms, before, after, mods = import_cost(module, args.import_runs)
        except subprocess.CalledProcessError:
            print(f"  {module}: not installed")
            continue
        print(f"  import {module:34s} {ms:7.1f} ms   RSS {after:6.1f} MiB "
              f"(interpreter alone {before:.1f} MiB, +{after - before:.1f})   {mods} modules")

    wheel_dir = args.wheel_dir or os.path.join(os.path.dirname(__file__), "..", "..", "target", "wheels-py")
    wheels = sorted(glob.glob(os.path.join(wheel_dir, "camskit-*.whl")))
    if wheels:
        for w in wheels:
            print(f"\nwheel {os.path.basename(w)}: {os.path.getsize(w) / 1024:.0f} KiB "
                  f"({os.path.getsize(w) / 1048576:.2f} MB, goal <= 2 MB)")


if __name__ == "__main__":
    main()

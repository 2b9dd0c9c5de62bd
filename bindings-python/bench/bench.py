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
from typing import Optional
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



# ------------------------------------------------------------------------------ the table row
# bench/README.md: with BENCH_JSON set, the figures of the one table (bench/all.sh) are
# appended to that file as JSON lines, host "Python".

SEED_ANSWER = (b'{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS",'
               b'"AccessDeniedDetail":"None"}')


class _Cut(Exception):
    """Raised instead of sending: the official client's network is cut."""


def official_v3_call():
    """Alibaba's own CAMS client (alibabacloud-cams20200606, ACS3-HMAC-SHA256), network cut
    where it would send: builds, signs and gives up. Returns the callable and checks it signed."""
    import alibabacloud_tea_openapi.client as tea_client
    from alibabacloud_cams20200606 import models as cams_models
    from alibabacloud_cams20200606.client import Client as CamsClient
    from alibabacloud_tea_openapi import utils_models

    sent = []

    def cut(request, runtime):  # type: ignore[no-untyped-def]
        sent.append(request)
        raise _Cut()

    tea_client.DaraCore.do_action = staticmethod(cut)
    client = CamsClient(utils_models.Config(access_key_id=KEY_ID, access_key_secret=SECRET, endpoint=HOST))
    request = cams_models.ChatappMigrationRegisterRequest(cust_space_id="29348393884", phone_number="8613800001234")

    from darabonba.exceptions import UnretryableException

    def run():  # type: ignore[no-untyped-def]
        # The client catches what the transport raises and, with no retry configured (the
        # default), gives up with UnretryableException around it.
        try:
            client.chatapp_migration_register(request)
        except (_Cut, UnretryableException):
            return None
        raise AssertionError("the official client did not reach the network")

    run()
    auth = sent[-1].headers.get("Authorization", "")
    assert auth.startswith("ACS3-HMAC-SHA256 "), auth
    assert len(sent) == 1, f"the official client tried {len(sent)} times"
    return run


def official_parse():
    """What the official client does with the seed's answer: JSON, then its response model."""
    import json

    from alibabacloud_cams20200606 import models as cams_models

    def run():  # type: ignore[no-untyped-def]
        body = json.loads(SEED_ANSWER)
        return cams_models.ChatappMigrationRegisterResponse().from_map(
            {"headers": {}, "statusCode": 200, "body": body})

    assert run().body.code == "OK"
    return run


COLD_CAMSKIT = r"""
import time
t = time.perf_counter()
import camskit
c = camskit.Client("LTAI5tCamsKitBench01", "BenchSecret0123456789abcdefABCD")
c.sign("ChatappMigrationRegister", {"CustSpaceId": "29348393884", "PhoneNumber": "8613800001234"})
print((time.perf_counter() - t) * 1000)
"""

COLD_OFFICIAL = r"""
import time
t = time.perf_counter()
import alibabacloud_tea_openapi.client as tea_client
from alibabacloud_cams20200606 import models
from alibabacloud_cams20200606.client import Client
from alibabacloud_tea_openapi import utils_models
class Cut(Exception):
    pass
def cut(request, runtime):
    raise Cut()
tea_client.DaraCore.do_action = staticmethod(cut)
c = Client(utils_models.Config(access_key_id="LTAI5tCamsKitBench01",
           access_key_secret="BenchSecret0123456789abcdefABCD", endpoint="cams.ap-southeast-1.aliyuncs.com"))
from darabonba.exceptions import UnretryableException
try:
    c.chatapp_migration_register(models.ChatappMigrationRegisterRequest(cust_space_id="29348393884",
                                                                      phone_number="8613800001234"))
except (Cut, UnretryableException):
    pass
print((time.perf_counter() - t) * 1000)
"""


def cold_start(probe: str, runs: int) -> float:
    """Median ms, fresh interpreters, import + client + first signed request (timed inside the
    process from before the first import)."""
    # Interleaved: one camskit run, one official run, ... is done by the caller.
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[-1])


def throughput(large: str, rounds: int) -> tuple:  # type: ignore[type-arg]
    """MB/s of camskit.parse_response(...).body (every value a Python object) and of json.loads,
    on the same bytes, interleaved rounds, medians."""
    import json

    with open(large, "rb") as f:
        data = f.read()
    mb = len(data) / 1e6

    def ours():  # type: ignore[no-untyped-def]
        return camskit.parse_response(200, data).body

    def theirs():  # type: ignore[no-untyped-def]
        return json.loads(data)

    assert ours() == theirs()
    t_ours, t_theirs = [], []
    for _ in range(rounds):
        t_ours.append(min(timeit.repeat(ours, number=1, repeat=3)))
        t_theirs.append(min(timeit.repeat(theirs, number=1, repeat=3)))
    return mb / statistics.median(t_ours), mb / statistics.median(t_theirs), len(data)


def receipts_contenders(push_file: str, mns_file: str) -> list:  # type: ignore[type-arg]
    """The receipts columns: camskit on the 16-event push body and the 16-message MNS batch
    (bench/receipts_bodies.py) next to the interpreter's own JSON and XML parsers on the same
    bytes. (metric, what, callable)."""
    import json
    import xml.etree.ElementTree as ET

    from camskit import mns, receipts

    with open(push_file, "rb") as f:
        push = f.read()
    with open(mns_file, "rb") as f:
        batch = f.read()

    def mns16():  # type: ignore[no-untyped-def]
        return [receipts.parse_mns_body(m.message_body, "ChatAppStatus")
                for m in mns.parse_batch_receive_message(200, batch)]

    assert len(receipts.parse_push(push)) == 16 and len(json.loads(push)) == 16
    assert [len(e) for e in mns16()] == [1] * 16 and len(ET.fromstring(batch)) == 16
    return [
        ("receipts16", f"camskit.receipts.parse_push(body) into typed events (16 events, {len(push)} bytes)",
         functools.partial(receipts.parse_push, push)),
        ("json_receipts16", "json.loads on the same bytes", functools.partial(json.loads, push)),
        ("mns16", "camskit.mns.parse_batch_receive_message(200, xml) + camskit.receipts.parse_mns_body("
         f"message_body, \"ChatAppStatus\") of each of its 16 messages ({len(batch)} bytes)", mns16),
        ("xml_mns16", "xml.etree.ElementTree.fromstring on the same bytes (XML only: no base64 or JSON of "
         "the bodies)", functools.partial(ET.fromstring, batch)),
    ]


def table_row(out_path: str, seconds: float, rounds: int, cold_runs: int, large: str,
              receipts_files: Optional[list] = None) -> None:  # type: ignore[type-arg]
    import importlib.metadata as md
    import json

    v = {name: md.version(name) for name in ("alibabacloud-tea-openapi", "alibabacloud-cams20200606")}
    client = camskit.Client(KEY_ID, SECRET)
    contenders = [
        ("sign_v1", "camskit Client.sign, RPC 1.0, time+nonce given",
         functools.partial(client.sign, "ChatappMigrationRegister", PARAMS, timestamp=TS, nonce=NONCE)),
        ("sign_v3", "camskit Client.sign, ACS3, time+nonce given",
         functools.partial(client.sign, "ChatappMigrationRegister", PARAMS, timestamp=TS, nonce=NONCE,
                           signature="v3")),
        ("parse", "camskit.parse_response(200, seed answer)",
         functools.partial(camskit.parse_response, 200, SEED_ANSWER)),
        ("official_sign_v1", f"alibabacloud-tea-openapi {v['alibabacloud-tea-openapi']} Utils.get_rpcsignature + URL, "
         "time+nonce given", tea_openapi_pinned_signer()),
        ("official_sign_v3", f"alibabacloud-cams20200606 {v['alibabacloud-cams20200606']} "
         "Client.chatapp_migration_register (ACS3), network cut", official_v3_call()),
        ("official_parse", f"json.loads + alibabacloud-cams20200606 {v['alibabacloud-cams20200606']} "
         "ChatappMigrationRegisterResponse().from_map", official_parse()),
    ]
    if receipts_files:
        contenders += receipts_contenders(*receipts_files)
    times = measure([(m, fn) for m, _, fn in contenders], seconds, rounds)
    lines = [{"host": "Python", "metric": m, "value": statistics.median(times[m]), "unit": "us", "what": what}
             for m, what, _ in contenders]
    ours_cold, theirs_cold = [], []
    for _ in range(cold_runs):
        ours_cold.append(cold_start(COLD_CAMSKIT, 1))
        theirs_cold.append(cold_start(COLD_OFFICIAL, 1))
    lines.append({"host": "Python", "metric": "cold_start", "value": statistics.median(ours_cold), "unit": "ms",
                  "what": f"import camskit + Client + first sign, fresh interpreter, median of {cold_runs}"})
    lines.append({"host": "Python", "metric": "official_cold_start", "value": statistics.median(theirs_cold),
                  "unit": "ms", "what": f"import alibabacloud_cams20200606 + Client + first call (network cut), "
                  f"median of {cold_runs}"})
    ours_mbps, json_mbps, size = throughput(large, max(3, rounds // 2))
    lines.append({"host": "Python", "metric": "parse_mbps", "value": ours_mbps, "unit": "MB/s",
                  "what": f"camskit.parse_response(200, body).body on a {size}-byte ListChatappTemplate answer"})
    lines.append({"host": "Python", "metric": "json_mbps", "value": json_mbps, "unit": "MB/s",
                  "what": "json.loads on the same bytes"})
    with open(out_path, "a") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")
    for line in lines:
        print(f"  {line['metric']:22s} {line['value']:10.2f} {line['unit']:5s} {line['what']}")

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=2.0, help="time budget per signer (default 2 s)")
    ap.add_argument("--wheel-dir", default=None, help="folder holding the camskit wheel (its size)")
    ap.add_argument("--import-runs", type=int, default=15)
    ap.add_argument("--rounds", type=int, default=15, help="interleaved rounds (default 15)")
    ap.add_argument("--large", default=None, help="the 1 MB answer (bench/large_body.py) for parse MB/s")
    ap.add_argument("--receipts", nargs=2, metavar=("PUSH_JSON", "MNS_XML"), default=None,
                    help="the 16-event push body and 16-message MNS batch (bench/receipts_bodies.py)")
    args = ap.parse_args()

    if os.environ.get("BENCH_JSON"):
        if not args.large:
            ap.error("BENCH_JSON needs --large FILE (python3 bench/large_body.py FILE)")
        print(f"Python {sys.version.split()[0]}; camskit {camskit.__version__}; the table's row:")
        table_row(os.environ["BENCH_JSON"], args.seconds, args.rounds, args.import_runs, args.large,
                  args.receipts)
        return

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

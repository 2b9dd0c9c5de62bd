"""The CLI row of the one table (bench/all.sh): whole processes, fresh each time, interleaved
(camskit sign 1.0, camskit sign v3, camskit parse, the Go SDK signer; with --push, camskit
receipts parse on the 16-event push body next to jq reading it, when jq is installed), medians.
Prints JSON lines (bench/README.md), host "CLI", unit ms.

  python3 bench/processes.py --camskit target/release/camskit [--go GO_SIGNER] [--runs N] [--push FILE]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

SEED_ANSWER = (b'{"RequestId":"90E63D28-E31D-1EB2-8939-A9486641****","Code":"OK","Message":"SUCCESS",'
               b'"AccessDeniedDetail":"None"}')


def wall_ms(argv, env):
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return (time.perf_counter() - t) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--camskit", required=True)
    ap.add_argument("--go", default=None)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--push", default=None, help="the 16-event push body (bench/receipts_bodies.py)")
    args = ap.parse_args()
    env = dict(os.environ, ALIBABA_CLOUD_ACCESS_KEY_ID="LTAI5tCamsKitBench01",
               ALIBABA_CLOUD_ACCESS_KEY_SECRET="BenchSecret0123456789abcdefABC")
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        f.write(SEED_ANSWER)
        seed = f.name
    params = ["CustSpaceId=29348393884", "PhoneNumber=8613800001234"]
    pinned = ["--timestamp", "2025-07-14T08:00:00Z", "--nonce", "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21"]
    contenders = [
        ("sign_v1", "camskit sign ChatappMigrationRegister (process, RPC 1.0)",
         [args.camskit, "sign", "ChatappMigrationRegister", *params, *pinned]),
        ("sign_v3", "camskit sign --signature v3 (process)",
         [args.camskit, "sign", "--signature", "v3", "ChatappMigrationRegister", *params, *pinned]),
        ("parse", "camskit parse --status 200 FILE (process, seed answer)",
         [args.camskit, "parse", "--status", "200", seed]),
    ]
    if args.push:
        contenders.append(("receipts16", "camskit receipts parse FILE (process, the 16-event push body, "
                           "one NDJSON line per typed event)", [args.camskit, "receipts", "parse", args.push]))
        jq = shutil.which("jq")
        if jq:
            version = subprocess.run([jq, "--version"], capture_output=True, text=True).stdout.strip()
            contenders.append(("json_receipts16", f"{version} -c . FILE (process, the same bytes: the shell's "
                               "own JSON tool)", [jq, "-c", ".", args.push]))
    if args.go:
        contenders.append(("official_sign_v1", "a Go program signing once with alibaba-cloud-sdk-go "
                           "(the aliyun CLI's SDK; bench/go), whole process", [args.go, "once"]))
    times = {m: [] for m, _, _ in contenders}
    try:
        for argv in (c[2] for c in contenders):  # warm the page cache
            wall_ms(argv, env)
        for _ in range(args.runs):
            for metric, _, argv in contenders:
                times[metric].append(wall_ms(argv, env))
    finally:
        os.unlink(seed)
    for metric, what, _ in contenders:
        print(json.dumps({"host": "CLI", "metric": metric, "value": statistics.median(times[metric]),
                          "unit": "ms", "what": f"{what}, median of {args.runs}"}))


if __name__ == "__main__":
    main()

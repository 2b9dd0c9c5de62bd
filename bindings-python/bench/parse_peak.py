"""Peak memory of parsing one large answer with camskit (issue 24), beside json.loads: each
case runs in a fresh interpreter that reads the answer's bytes from a file, then parses them
once and keeps the result; its peak RSS (``resource.getrusage(...).ru_maxrss``) is compared with the answer's
size. A benchmark, run by hand (never part of test.sh):

    python bench/parse_peak.py             # every case, camskit and json.loads
    /usr/bin/time -v python bench/parse_peak.py --one dense_objects camskit FILE   # one case

Cases (each ~8 MiB, core's MAX_RESPONSE_BYTES):

* ``tiny_objects``: ``{"Data":[{"a":1},...]}``, ~1 M objects of 8 bytes, as
  core/examples/parse_peak.rs (core refuses it before parsing: fewer than MIN_BYTES_PER_VALUE
  bytes per JSON value);
* ``dense_objects``: the densest list of objects core parses (~13 bytes a value):
  ``{"Data":[{"k":"0123456789abcdefg"},...]}``;
* ``templates``: a ListChatappTemplate answer (bench/large_body.py's entries) of 8 MiB.

The goal: peak RSS at most 16 times the answer's size."""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys

SIZE = 8 << 20


def build(case: str) -> bytes:
    if case == "tiny_objects":
        n = (SIZE - 12) // 8
        return b'{"Data":[' + b'{"a":1},' * (n - 1) + b'{"a":1}]}'
    if case == "dense_objects":
        item = b'{"k":"0123456789abcdefg"}'
        n = (SIZE - 12) // (len(item) + 1)
        return b'{"Data":[' + (item + b",") * (n - 1) + item + b"]}"
    if case == "templates":
        entries = []
        size, i = 0, 0
        while size < SIZE - 300:
            e = {"TemplateCode": f"744c4b5c79c9432497a075bdfca3{i:04x}", "TemplateName": f"order_update_{i}",
                 "Language": ["en", "zh_CN", "id", "pt_BR"][i % 4], "Category": ["UTILITY", "MARKETING"][i % 2],
                 "AuditStatus": "pass", "TemplateType": "WHATSAPP", "Reason": "", "LastUpdateTime": 1693810000000 + i,
                 "TemplateId": str(9_007_199_254_740_993 + i), "QualityScore": "GREEN"}
            size += len(json.dumps(e, separators=(",", ":"))) + 1
            entries.append(e)
            i += 1
        return json.dumps({"RequestId": "r", "Code": "OK", "Total": len(entries), "ListTemplate": entries},
                          separators=(",", ":")).encode()
    raise SystemExit(f"unknown case {case}")


CASES = ("tiny_objects", "dense_objects", "templates")


def one(case: str, parser: str, path: str) -> None:
    """In this (fresh) process: read the answer, measure the RSS before, parse, report the peak."""
    with open(path, "rb") as f:
        data = f.read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcome = "ok"
    if parser == "camskit":
        import camskit

        try:
            kept = camskit.parse_response(200, data).body
        except camskit.ParseError as e:
            kept = None
            outcome = "refused: " + str(e)[:90]
    else:
        kept = json.loads(data)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"case": case, "parser": parser, "bytes": len(data), "rss_before_kib": before,
                      "peak_kib": peak, "outcome": outcome, "kept": kept is not None}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--one", nargs=3, metavar=("CASE", "PARSER", "FILE"), help="run one case in this process")
    args = ap.parse_args()
    if args.one:
        one(*args.one)
        return
    import os
    import tempfile

    tmp = tempfile.mkdtemp()
    print(f"{'case':15s} {'parser':10s} {'answer':>9s} {'RSS before':>10s} {'peak RSS':>10s} {'peak/size':>9s}  outcome")
    for case in CASES:
        path = os.path.join(tmp, case + ".json")
        with open(path, "wb") as f:
            f.write(build(case))
        for parser in ("camskit", "json"):
            out = subprocess.run([sys.executable, __file__, "--one", case, parser, path], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out)
            mib = r["bytes"] / 1048576
            peak = r["peak_kib"] / 1024
            before = r["rss_before_kib"] / 1024
            print(f"{case:15s} {parser:10s} {mib:7.2f}Mi {before:8.1f}Mi {peak:8.1f}Mi {peak / mib:8.1f}x  {r['outcome']}")
        os.remove(path)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()

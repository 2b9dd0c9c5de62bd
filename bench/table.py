"""Prints the one performance table (Markdown) from the JSON lines of bench/all.sh
(contract: bench/README.md). Where a host wrote the same metric more than once (interleaved
passes), the median of its values is kept."""

import argparse
import datetime
import json
import os
import platform
import statistics
from collections import defaultdict

HOSTS = ["Rust", "CLI", "Python", "Node", "Browser (Chromium)", "Kotlin (JVM)"]
PAIRS = [  # (camskit metric, official metric, column title)
    ("sign_v1", "official_sign_v1", "sign 1.0"),
    ("sign_v3", "official_sign_v3", "sign v3"),
    ("parse", "official_parse", "parse seed answer"),
    ("cold_start", "official_cold_start", "cold start"),
    ("parse_mbps", "json_mbps", "parse 1 MB list"),
    ("parse_mbps", "official_parse_mbps", "parse 1 MB list, official client"),
    ("receipts16", "json_receipts16", "parse 16-event push"),
    ("mns16", "xml_mns16", "parse 16-message MNS batch"),
]


def fmt(v, unit):
    if v is None:
        return "—"
    if unit == "MB/s":
        return f"{v:.0f} MB/s"
    if unit == "ms":
        return f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"
    return f"{v:.2f} µs" if v < 10 else f"{v:.1f} µs"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows")
    ap.add_argument("--load-before", default="?")
    ap.add_argument("--load-after", default="?")
    ap.add_argument("--seconds", default="?")
    args = ap.parse_args()
    values = defaultdict(list)
    units, whats = {}, {}
    with open(args.rows) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            key = (r["host"], r["metric"])
            values[key].append(float(r["value"]))
            units[key] = r["unit"]
            whats[key] = r.get("what", "")
    val = {k: statistics.median(v) for k, v in values.items()}
    hosts = [h for h in HOSTS if any(k[0] == h for k in val)] + sorted(
        {k[0] for k in val} - set(HOSTS))

    today = datetime.date.today().isoformat()
    print(f"Measured {today} on {os.cpu_count()} × {cpu_model()} ({platform.system()} {platform.release()}); "
          f"load average (1, 5, 15 min) {args.load_before} before, {args.load_after} after; "
          f"{args.seconds} s in all. Each cell: camskit / the official SDK → how many times faster "
          f"camskit is (for MB/s: camskit's parse_response / the host's own JSON parser, or the official "
          f"client's parse into its response model; for the 16-event "
          f"push and the 16-message MNS batch: camskit's typed parse against the host's own JSON or XML "
          f"parser on the same bytes, µs per body, below 1× when camskit takes longer).")
    print()
    print("| host | " + " | ".join(title for _, _, title in PAIRS) + " |")
    print("|---|" + "---|" * len(PAIRS))
    for h in hosts:
        cells = []
        for ours, theirs, _ in PAIRS:
            a, b = val.get((h, ours)), val.get((h, theirs))
            ua, ub = units.get((h, ours), ""), units.get((h, theirs), "")
            if a is None and b is None:
                cells.append("—")
                continue
            cell = f"{fmt(a, ua)} / {fmt(b, ub)}"
            if a and b and ua == ub:
                ratio = a / b if ua == "MB/s" else b / a
                cell += f" → {ratio:.1f}×" if ratio >= 1 else f" → {ratio:.2f}×"
            lean = val.get((h, ours + "_lean"))
            if lean is not None:
                cell += f" (`camskit/lean` {fmt(lean, units[(h, ours + '_lean')])})"
            cells.append(cell)
        print(f"| {h} | " + " | ".join(cells) + " |")
    def native_ratio(sign, bare, text):
        if ("Rust", bare) in val and ("Rust", sign) in val:
            print(f"- {text}: {val[('Rust', sign)] / val[('Rust', bare)]:.2f}× "
                  f"({fmt(val[('Rust', sign)], 'us')} / {fmt(val[('Rust', bare)], 'us')})")
    if ("Rust", "sign_v1") in val:
        print()
        print("Native signing against its bare hashing (same run, interleaved):")
        print()
        native_ratio("sign_v1", "bare_hmac",
                     "1.0 sign / bare HMAC-SHA1 + base64 of the same string to sign, keyed per call")
        native_ratio("sign_v1", "bare_hmac_keyed",
                     "1.0 sign / the same from a keyed HMAC state (the signer keeps one per credentials)")
        native_ratio("sign_v3", "bare_v3",
                     "v3 sign / bare SHA-256 + HMAC-SHA256 of the same strings")
    print()
    print("What each figure times:")
    print()
    for h in hosts:
        for k in sorted(k for k in whats if k[0] == h):
            print(f"- {h} `{k[1]}`: {whats[k]}" + (f" (median of {len(values[k])} passes)" if len(values[k]) > 1 else ""))


if __name__ == "__main__":
    main()

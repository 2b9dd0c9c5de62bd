#!/usr/bin/env bash
# Peak memory of parsing one large answer on the JVM (issue 24: at most 16 times the answer's
# size in every host), camskit's Kotlin API beside Gson (the official Java SDK's JSON library).
# The same three ~8 MiB cases as bindings-python/bench/parse_peak.py (their bytes come from its
# build()): tiny_objects (refused by core before parsing), dense_objects (the densest list core
# parses), templates (a ListChatappTemplate answer). Each case and parser runs in a fresh JVM
# (-XX:+UseSerialGC -Xmx1g, the same for both) that reads the file, then parses once and keeps
# the result (ParsePeak.java); the peak is VmHWM (heap, JNA buffers and native allocations).
# A benchmark run by hand, never part of the test command:
#
#   bench/jvm/parse-peak.sh            # ≈ 1 min once the camskit jar is built
#
# Measured 2026-12-06 (main after "parseResponse hands the body on as text"; 2 cores, Java 17):
#   case           parser   growth  growth/size
#   tiny_objects   camskit  25.3Mi   3.2x  (refused by core's density check)
#   tiny_objects   gson    401.7Mi  50.2x
#   dense_objects  camskit  73.5Mi   9.2x  (44.4x before: the body's tree, copied, written out twice)
#   dense_objects  gson    191.1Mi  23.9x
#   templates      camskit  34.0Mi   4.3x  (20.9x before)
#   templates      gson     61.8Mi   7.7x
# "growth" is the peak minus the resident memory just before parsing (the JVM itself, ~40 MB,
# and the answer's bytes are not the parse's cost).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# The jar bindings-uniffi/maven/build.sh made last (built here when there is none), installed
# into the local Maven repository, and this project packaged against it (a few seconds).
version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml")"
JAR="$ROOT/bindings-uniffi/maven/target/camskit-kotlin-$version.jar"
[ -f "$JAR" ] || "$ROOT/bindings-uniffi/maven/build.sh" >&2
mvn -q -B install:install-file -Dfile="$JAR" -DpomFile="$ROOT/bindings-uniffi/maven/pom.xml" >&2
mvn -q -B -f "$HERE/pom.xml" -Dcamskit.version="$version" package >&2
CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf '%-15s %-8s %9s %11s %10s %8s %9s  %s\n' case parser answer "RSS before" "peak RSS" growth growth/size outcome
for case in tiny_objects dense_objects templates; do
  python3 -c "import sys; sys.path.insert(0, '$ROOT/bindings-python/bench'); import parse_peak; open(sys.argv[1], 'wb').write(parse_peak.build('$case'))" "$tmp/$case.json"
  for parser in camskit gson; do
    java -XX:+UseSerialGC -Xmx1g -cp "$CP" io.camskit.bench.ParsePeak "$case" "$parser" "$tmp/$case.json" \
      | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
case, parser, outcome = r["case"], r["parser"], r["outcome"]
mib = r["bytes"] / 1048576
before, peak = r["rss_before_kib"] / 1024, r["peak_kib"] / 1024
print(f"{case:15s} {parser:8s} {mib:7.2f}Mi {before:9.1f}Mi {peak:8.1f}Mi {peak - before:6.1f}Mi {(peak - before) / mib:8.1f}x  {outcome}")'
  done
done

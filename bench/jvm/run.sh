#!/usr/bin/env bash
# The Kotlin (JVM) row of bench/README.md's table: camskit's Kotlin API (the Maven jar
# io.camskit:camskit-kotlin; the table's camskit cells time its JNI fast path camskit.fast.FastSigner,
# the uniffi-over-JNA calls are printed beside them) against Alibaba's official Java SDK
# (com.aliyun:tea-openapi 0.3.8 and what it brings), timed with JMH in one JVM, plus cold starts
# in fresh JVMs and parse throughput on the 1 MB ListChatappTemplate answer.
#
#   bench/jvm/run.sh [--quick|--smoke] [--no-build]
#
# From a clean clone it builds what it needs: bindings-uniffi/maven/build.sh (release cdylib,
# uniffi-bindgen, the generated Kotlin, `mvn verify` with its tests, the jar), installs that jar
# into the local Maven repository, then `mvn package` here. --no-build reuses all of it.
# With BENCH_JSON=FILE it appends one JSON line per metric (bench/README.md's contract).
# Knobs: JMH_ARGS (default "-f 1 -wi 3 -i 5 -w 1s -r 1s"; --quick "-f 1 -wi 2 -i 3 -w 500ms -r 500ms"),
# COLD_RUNS (default 9, --quick 7), JAVA_OPTS (given to every JVM: JMH's forks and the cold starts).
# No figure is asserted: it measures and prints.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
quick=0
smoke=0
build=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --smoke) smoke=1 ;;
    --no-build) build=0 ;;
    *) echo "usage: bench/jvm/run.sh [--quick|--smoke] [--no-build]" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then
  # One tiny round of everything: proves the benchmark runs (bench/all.sh --smoke, the test
  # command); its figures mean nothing.
  JMH_ARGS="${JMH_ARGS:--f 1 -wi 1 -i 1 -w 200ms -r 200ms}"
  COLD_RUNS="${COLD_RUNS:-1}"
elif [ "$quick" = 1 ]; then
  JMH_ARGS="${JMH_ARGS:--f 1 -wi 2 -i 3 -w 500ms -r 500ms}"
  COLD_RUNS="${COLD_RUNS:-7}"
else
  JMH_ARGS="${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1s -r 1s}"
  COLD_RUNS="${COLD_RUNS:-9}"
fi
[ "$smoke" = 1 ] || [ "$COLD_RUNS" -ge 7 ] || { echo "COLD_RUNS must be at least 7" >&2; exit 2; }

step() { printf '\n== %s\n' "$*" >&2; }
for tool in cargo java mvn python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$ROOT/Cargo.toml")"
JAR="$ROOT/bindings-uniffi/maven/target/camskit-kotlin-$version.jar"
WORK="$HERE/target/run"
mkdir -p "$WORK"

if [ "$build" = 1 ]; then
  step "the camskit jar (bindings-uniffi/maven/build.sh: release library, Kotlin bindings, tests)"
  "$ROOT/bindings-uniffi/maven/build.sh" >&2
  step "install it into the local Maven repository"
  mvn -q -B install:install-file -Dfile="$JAR" -DpomFile="$ROOT/bindings-uniffi/maven/pom.xml" >&2
  step "the JMH project (mvn package)"
  mvn -q -B -f "$HERE/pom.xml" -Dcamskit.version="$version" package >&2
fi
[ -f "$HERE/target/classpath.txt" ] || { echo "no $HERE/target/classpath.txt: run without --no-build" >&2; exit 1; }
CP="$HERE/target/classes:$(cat "$HERE/target/classpath.txt")"
LARGE="$WORK/list-1mb.json"
python3 "$ROOT/bench/large_body.py" "$LARGE" >&2
# The 16-event push body and the 16-message MNS batch (bench/receipts_bodies.py): bench/all.sh
# hands every host the same files (RECEIPTS_PUSH, RECEIPTS_MNS); alone, run.sh writes its own.
if [ -z "${RECEIPTS_PUSH:-}" ] || [ -z "${RECEIPTS_MNS:-}" ]; then
  RECEIPTS_PUSH="$WORK/receipts-push-16.json" RECEIPTS_MNS="$WORK/mns-batch-16.xml"
  python3 "$ROOT/bench/receipts_bodies.py" "$RECEIPTS_PUSH" "$RECEIPTS_MNS" >&2
fi
# shellcheck disable=SC2206
JOPTS=(${JAVA_OPTS:-})

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
step "same signatures and answer before timing (camskit vs official)"
java "${JOPTS[@]}" -cp "$CP" io.camskit.bench.Check >&2

step "JMH: $JMH_ARGS"
# shellcheck disable=SC2086
java "${JOPTS[@]}" -cp "$CP" org.openjdk.jmh.Main $JMH_ARGS \
  -jvmArgsAppend "-Dcamskit.largeBody=$LARGE -Dcamskit.receiptsPush=$RECEIPTS_PUSH -Dcamskit.mnsBatch=$RECEIPTS_MNS ${JAVA_OPTS:-}" \
  -rf json -rff "$WORK/jmh.json" 'io\.camskit\.bench\..*' >&2

step "cold starts: $COLD_RUNS fresh JVMs each, camskit and official interleaved"
: > "$WORK/cold.txt"
for _ in $(seq "$COLD_RUNS"); do
  for which in camskit official; do
    java "${JOPTS[@]}" -cp "$CP" io.camskit.bench.ColdStart "$which" | tee -a "$WORK/cold.txt" >&2
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$WORK/jmh.json" "$WORK/cold.txt" "$LARGE" "$version" "$load_before" "$load_after" "${BENCH_JSON:-}" \
  "$RECEIPTS_PUSH" "$RECEIPTS_MNS" <<'PY'
import json, re, statistics, sys
jmh_file, cold_file, large, version, load_before, load_after, out, push_file, mns_file = sys.argv[1:]
size = len(open(large, "rb").read())
push_size = len(open(push_file, "rb").read())
mns_size = len(open(mns_file, "rb").read())

runs = {}
for r in json.load(open(jmh_file)):
    name = r["benchmark"].rsplit(".", 1)[1]
    raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
    runs[name] = (statistics.median(raw), r["primaryMetric"]["scoreUnit"], raw)

cold = {"camskit": [], "official": []}
cold_jvm = {"camskit": [], "official": []}
for line in open(cold_file):
    m = re.match(r"cold (\w+) main_ms=([\d.]+) jvm_ms=(\d+)", line)
    if m:
        cold[m[1]].append(float(m[2]))
        cold_jvm[m[1]].append(float(m[3]))

def us(name):
    return runs[name][0] if name in runs else None

def mbps(name):
    return size / 1e6 / (runs[name][0] / 1e3) if name in runs else None

jar = f"io.camskit:camskit-kotlin:{version}"
tea = "com.aliyun:tea-openapi:0.3.8 (openapiutil 0.2.2, tea 1.1.14, tea-util 0.2.23)"
rows = [
    ("sign_v1", us("camskitSignV1Jni"), "us", f"camskit.fast.FastSigner.signRequest(SignRequest(key, \"ChatappMigrationRegister\", params, SignOptions(V1, fixed time+nonce))) .url: one JNI call (src/jni.rs), the same result as uniffi's signRequest, {jar}, JMH"),
    ("sign_v3", us("camskitSignV3Jni"), "us", f"camskit.fast.FastSigner.signRequest(SignRequest(..., SignOptions(V3, ...))) .headers: one JNI call, {jar}, JMH"),
    ("parse", us("camskitParseJni"), "us", f"camskit.fast.FastSigner.parseResponse(200, seed answer bytes): one JNI call, the same result as uniffi's parseResponse, {jar}, JMH"),
    ("official_sign_v1", us("officialSignV1"), "us", f"com.aliyun.openapiutil.Client.getRPCSignature + query + URL as doRPCRequest/Tea.composeUrl, {tea}, JMH"),
    ("official_sign_v3", us("officialSignV3"), "us", f"com.aliyun.openapiutil.Client.getAuthorization(TeaRequest, ACS3-HMAC-SHA256) + headers as doRequest, {tea}, JMH"),
    ("official_parse", us("officialParse"), "us", f"com.aliyun.teautil.Common.readAsJSON (Gson) + assertAsMap + TeaModel.toModel(ChatappMigrationRegisterResponse, shape of cams20200606 5.3.1), {tea}, JMH"),
    ("cold_start", statistics.median(cold["camskit"]) if cold["camskit"] else None, "ms", f"fresh JVM, from main() entry: JNA loads the library from the jar + Credentials + CamsClient + first chatappMigrationRegister, {jar}, median of {len(cold['camskit'])}"),
    ("official_cold_start", statistics.median(cold["official"]) if cold["official"] else None, "ms", f"fresh JVM, from main() entry: tea-openapi Client(Config) + first RPC 1.0 signature and URL, {tea}, median of {len(cold['official'])}"),
    ("parse_mbps", mbps("camskitParseLargeJni"), "MB/s", f"camskit.fast.FastSigner.parseResponse(200, 1 MB ListChatappTemplate answer): one JNI call, {jar}, JMH"),
    ("json_mbps", mbps("gsonParseLarge"), "MB/s", "com.google.gson.JsonParser.parseReader (Gson 2.11.0, the official SDK's JSON library) on the same bytes, JMH"),
    ("receipts16", us("camskitPush16Jni"), "us", f"camskit.fast.FastReceipts.parsePush(body text, null) into typed events (bench/receipts_bodies.py's 16-event push, {push_size} bytes): one JNI call, the same events as uniffi's parsePush, {jar}, JMH"),
    ("json_receipts16", us("gsonPush16"), "us", "com.google.gson.JsonParser.parseString (Gson 2.11.0) on the same text, JMH"),
    ("mns16", us("camskitMns16Jni"), "us", f"ReceiptsConsumer(client, in-memory HttpTransport, options(delete = false)) through camskit.fast.FastReceipts: next() + 16 handled(), each one JNI call, as forEach does (a signed poll, core's XML parse, base64 + JSON of each body into typed events; the transport is still called through uniffi) on the 16-message BatchReceiveMessage answer ({mns_size} bytes), {jar}, JMH"),
    ("xml_mns16", us("domMns16"), "us", "javax.xml.parsers.DocumentBuilder.parse (the JDK's DOM parser, builder reused) on the same bytes (XML only: no base64 or JSON of the bodies), JMH"),
]

print(f"\nKotlin (JVM): {version}; JMH median of iterations; load average before {load_before}, after {load_after}")
print(f"{'metric':<22}{'value':>12}  unit  what")
for metric, value, unit, what in rows:
    v = "n/a" if value is None else f"{value:.2f}"
    print(f"{metric:<22}{v:>12}  {unit:<5} {what}")
def ratio(a, b):
    return f"{runs[a][0] / runs[b][0]:.2f}x" if a in runs and b in runs else "n/a"
print("\nratios official / camskit (above 1: camskit is faster):")
print(f"  sign 1.0 {ratio('officialSignV1', 'camskitSignV1Jni')}   sign v3 {ratio('officialSignV3', 'camskitSignV3Jni')}   parse {ratio('officialParse', 'camskitParseJni')}")
print(f"  16-event push: Gson / camskit {ratio('gsonPush16', 'camskitPush16Jni')} (uniffi's parsePush over JNA: {ratio('gsonPush16', 'camskitPush16')})   16-message MNS batch: DOM / camskit {ratio('domMns16', 'camskitMns16Jni')} (uniffi's calls over JNA: {ratio('domMns16', 'camskitMns16')})")
if cold["camskit"] and cold["official"]:
    print(f"  cold start {statistics.median(cold['official']) / statistics.median(cold['camskit']):.2f}x")
print("\nalso measured (not in the table):")
for name, label in [("camskitSignV1", "client.chatappMigrationRegister(..., V1): 6 FFI crossings"),
                    ("camskitSignV3", "client.chatappMigrationRegister(..., V3): 6 FFI crossings"),
                    ("camskitSignV1Fast", "signRequest(SignRequest(..., V1)): 3 FFI crossings"),
                    ("camskitSignV3Fast", "signRequest(SignRequest(..., V3)): 3 FFI crossings"),
                    ("camskitParse", "parseResponse(200, seed answer) through JNA"),
                    ("camskitPush16", "parsePush(16-event push body) through JNA"),
                    ("camskitMns16", "consumer.next() + 16 handled() through JNA")]:
    if name in runs:
        print(f"  {label:<62} {runs[name][0]:8.2f} us")
if "camskitParseLarge" in runs:
    print(f"  {'parseResponse(200, 1 MB answer) through JNA':<62} {mbps('camskitParseLarge'):8.1f} MB/s")
if "officialReadAsJsonLarge" in runs:
    print(f"  {'tea-util Common.readAsJSON on the 1 MB answer (bytes to text, then Gson to Map)':<62} {mbps('officialReadAsJsonLarge'):8.1f} MB/s")
for which in ("camskit", "official"):
    if cold_jvm[which]:
        print(f"  cold start {which}, from the JVM's start (RuntimeMXBean, ms resolution): median {statistics.median(cold_jvm[which]):.0f} ms")

if out:
    with open(out, "a") as f:
        for metric, value, unit, what in rows:
            if value is not None:
                f.write(json.dumps({"host": "Kotlin (JVM)", "metric": metric, "value": round(value, 3), "unit": unit, "what": what}, ensure_ascii=False) + "\n")
    print(f"\nappended {sum(1 for r in rows if r[1] is not None)} lines to {out}")
PY

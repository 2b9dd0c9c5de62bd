#!/usr/bin/env bash
# One command, one table: every host's camskit against the official SDK its users would
# otherwise pick, measured in the same run (contract and columns: bench/README.md).
#   bench/all.sh            # ≈ 10–15 min on the 2-core build machine (builds included)
#   bench/all.sh --quick    # fewer, shorter rounds: rougher figures
#   bench/all.sh --smoke    # one tiny round of everything (the test command's check that it runs)
# Installs what it needs (throwaway venv/npm folder/Go modules under .tools and target/) and
# skips what is there. Prints the table (Markdown) and writes it to target/bench/table.md.
# Environment: SKIP="node jvm" leaves hosts out (their cells print as "—").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
quick=0
smoke=0
[ "${1:-}" = "--quick" ] && quick=1
# --smoke: one short round of everything, to prove the benchmarks still run (the test
# command does this; its figures mean nothing).
[ "${1:-}" = "--smoke" ] && quick=1 && smoke=1
out="$root/target/bench"
# cargo writes its binaries under CARGO_TARGET_DIR when it is set (a shared target/).
bin="${CARGO_TARGET_DIR:-$root/target}/release"
mkdir -p "$out"
json="$out/rows.jsonl"
: > "$json"
export BENCH_JSON="$json"
skip=" ${SKIP:-} "
if [ "$smoke" = 1 ]; then rounds=1; slice=20; secs=0.05; cold=1
elif [ "$quick" = 1 ]; then rounds=5; slice=100; secs=0.5; cold=5
else rounds=9; slice=250; secs=2; cold=11; fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date +%s)

python3 bench/large_body.py "$out/list-template-1mb.json" >/dev/null
# The receipt inputs every host parses: a 16-event push body and a 16-message MNS batch.
push16="$out/receipts-push-16.json"
mns16="$out/mns-batch-16.xml"
python3 bench/receipts_bodies.py "$push16" "$mns16" >/dev/null
export RECEIPTS_PUSH="$push16" RECEIPTS_MNS="$mns16"

# --- Rust (native) and the CLI process, next to the Go SDK's signer (the aliyun CLI's)
echo "== Rust, CLI, Go" >&2
cargo build --quiet --release -p camskit --example bench_row
cargo build --quiet --release -p camskit-cli --bin camskit
go_ok=1
(cd bench/go && go build -o "$out/go-signer" .) || { go_ok=0; echo "the Go SDK signer did not build: its cells stay empty" >&2; }
# Two interleaved passes each (Rust, Go, Rust, Go): the table keeps the median of the passes.
for _ in 1 2; do
  "$bin/examples/bench_row" "$out/list-template-1mb.json" "$rounds" "$slice" "$push16" "$mns16" >> "$json"
  [ "$go_ok" = 1 ] && "$out/go-signer" sign "$rounds" "$slice" >> "$json"
done
go_arg=()
[ "$go_ok" = 1 ] && go_arg=(--go "$out/go-signer")
python3 bench/processes.py --runs "$cold" --camskit "$bin/camskit" "${go_arg[@]}" --push "$push16" >> "$json"

# --- Python (wheel built by its bench script, official SDKs in a throwaway venv)
if [[ "$skip" != *" python "* ]]; then
  echo "== Python" >&2
  bindings-python/bench/run.sh --seconds "$secs" --rounds "$rounds" --import-runs "$cold" \
    --large "$out/list-template-1mb.json" --receipts "$push16" "$mns16" >&2
fi

# --- Node (the npm package built from bindings-wasm, official SDKs from npm)
if [[ "$skip" != *" node "* ]]; then
  echo "== Node" >&2
  ROUNDS=$rounds SLICE_MS=$slice COLD_RUNS=$cold LARGE="$out/list-template-1mb.json" \
    bindings-wasm/bench/run.sh >&2
fi

# --- Kotlin on the JVM (JMH; official Java SDK from Maven Central)
if [[ "$skip" != *" jvm "* ]]; then
  echo "== Kotlin (JVM)" >&2
  args=()
  if [ "$smoke" = 1 ]; then args+=(--smoke); elif [ "$quick" = 1 ]; then args+=(--quick); fi
  # The JVM's cold starts take ~1 s each: at least 7 outside a smoke run.
  jvm_cold=$cold
  [ "$smoke" = 1 ] || [ "$jvm_cold" -ge 7 ] || jvm_cold=7
  LARGE="$out/list-template-1mb.json" COLD_RUNS=$jvm_cold bench/jvm/run.sh "${args[@]}" >&2
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 bench/table.py "$json" --load-before "$load_before" --load-after "$load_after" \
  --seconds $(( $(date +%s) - start )) | tee "$out/table.md"

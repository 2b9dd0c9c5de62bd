#!/usr/bin/env bash
# Fuzzes every camskit target for a fixed number of executions each, or longer.
#
#   fuzz/run.sh [RUNS] [LIBFUZZER_ARGS...]
#     RUNS            executions per target (default 20000; -1: no limit, with -max_total_time)
#     LIBFUZZER_ARGS  passed on, such as -max_total_time=300 or -max_len=8192
#   FUZZ_TARGETS="sign strings" fuzz/run.sh ...   runs only those targets
#
# Installs cargo-fuzz when it is missing, writes the seed corpora from tests/vectors (seeds.py)
# into fuzz/corpus/ (ignored; libFuzzer adds what it finds there), builds all targets in one
# cargo call on the stable toolchain (RUSTC_BOOTSTRAP=1, no sanitizer, debug assertions and
# overflow checks on), then runs each and prints its executions, exec/s and result. Fails if
# any target crashes or breaks a property; the input is then in fuzz/artifacts/TARGET/ and
# the log in fuzz/logs/TARGET.log.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
runs=${1:-20000}
shift $(( $# > 0 ? 1 : 0 ))
targets=${FUZZ_TARGETS:-parse_response scan_paths sign sign_action strings call_machine credentials_files receipts mns_xml}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  # The registry mirror can lack a crate version that cargo-fuzz's lock file names.
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz || cargo install cargo-fuzz --version =0.13.2
fi

# The stable toolchain with RUSTC_BOOTSTRAP (no nightly needed, see TOOLCHAIN.md "Fuzzing").
toolchain=()
if command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^stable'; then
  toolchain=(+stable)
fi
export RUSTC_BOOTSTRAP=1
triple=$(rustc "${toolchain[@]}" -vV | sed -n 's/^host: //p')
target_dir=$here/target

python3 "$here/seeds.py" "$here/corpus"

build_start=$(date +%s)
mkdir -p "$here/logs"
if ! cargo "${toolchain[@]}" fuzz build -s none -a --target-dir "$target_dir" >"$here/logs/build.log" 2>&1; then
  cat "$here/logs/build.log"
  echo "fuzz build failed"
  exit 1
fi
grep -vE '^\s+(Compiling|Downloaded|Downloading) ' "$here/logs/build.log" || true
echo "built the fuzz targets in $(( $(date +%s) - build_start )) s"

failed=()
printf '%-16s %12s %10s  %s\n' target executions exec/s result
for t in $targets; do
  mkdir -p "$here/artifacts/$t" "$here/corpus/$t"
  log=$here/logs/$t.log
  t0=$(date +%s.%N)
  # The saved reproducers (artifacts-found/TARGET) are replayed too, as extra corpus.
  found=()
  [ -d "$here/artifacts-found/$t" ] && found=("$here/artifacts-found/$t")
  rc=0
  "$target_dir/$triple/release/$t" -artifact_prefix="$here/artifacts/$t/" -runs="$runs" \
    -print_final_stats=1 "$@" "$here/corpus/$t" "${found[@]}" >"$log" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  rate=$(awk -v n="${execs:-0}" -v a="$t0" -v b="$t1" 'BEGIN { d = b - a; r = (d > 0) ? n / d : 0; printf "%d", r }')
  if [ "$rc" -eq 0 ]; then
    result="ok (${secs} s)"
  else
    result="FAILED (exit $rc; log $log)"
    failed+=("$t")
  fi
  printf '%-16s %12s %10s  %s\n' "$t" "${execs:-?}" "$rate" "$result"
  if [ "$rc" -ne 0 ]; then
    { grep -A3 "panicked at" "$log" | head -8; grep -E "Test unit written|ERROR: libFuzzer" "$log"; } |
      sed 's/^/    /'
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found a failure in: ${failed[*]} (reproduce: fuzz/target/$triple/release/TARGET fuzz/artifacts/TARGET/crash-...)"
  exit 1
fi

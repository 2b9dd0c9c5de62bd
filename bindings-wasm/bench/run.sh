#!/usr/bin/env bash
# The Node row of the benchmark table (bench/README.md), from a clean clone and from any cwd:
#   1. builds the npm package (bindings-wasm/build.sh) when pkg/ is missing or older than its
#      sources (CAMSKIT_REBUILD=1 forces it);
#   2. installs the bench's npm dependencies (the pinned official SDKs) when they are missing,
#      and camskit from its packed tarball each run (a registry install's layout);
#   3. writes the 1 MB ListChatappTemplate answer (bench/large_body.py) and the receipt inputs
#      (bench/receipts_bodies.py: RECEIPTS_PUSH, RECEIPTS_MNS) into target/ when missing;
#   4. runs bench.mjs: interleaved rounds against the official SDKs, medians, the human table,
#      and the cold start in fresh processes (cold-start.mjs). With BENCH_JSON=FILE it appends
#      one JSON line per metric (host "Node") to FILE;
#   5. with BENCH_JSON, when Chromium is installed (/usr/bin/chromium or CHROMIUM_PATH): the
#      browser row (host "Browser (Chromium)": sign_v1, sign_v3, parse), timed inside the page
#      of tests/browser.test.mjs (CAMSKIT_BROWSER_BENCH=1). No official SDK runs in a browser.
#      CAMSKIT_BROWSER_BENCH=0 skips it.
#
#   bindings-wasm/bench/run.sh             # ROUNDS=9 SLICE_MS=250 COLD_RUNS=21
#   bindings-wasm/bench/run.sh --quick     # ROUNDS=3 SLICE_MS=100 COLD_RUNS=9 (rougher)
#   BENCH_JSON=target/bench.jsonl bindings-wasm/bench/run.sh
# ROUNDS, SLICE_MS and COLD_RUNS set in the environment win over both.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WASM_DIR="$(cd "$HERE/.." && pwd)"
REPO="$(cd "$WASM_DIR/.." && pwd)"
log() { printf 'bench/run.sh: %s\n' "$*" >&2; }

if [ "${1:-}" = "--quick" ]; then
  : "${ROUNDS:=3}" "${SLICE_MS:=100}" "${COLD_RUNS:=9}"
elif [ -n "${1:-}" ]; then
  log "unknown argument $1 (only --quick)"; exit 2
fi
export ROUNDS="${ROUNDS:-9}" SLICE_MS="${SLICE_MS:-250}" COLD_RUNS="${COLD_RUNS:-21}"
# A relative BENCH_JSON is relative to where run.sh was started (the steps below cd elsewhere).
if [ -n "${BENCH_JSON:-}" ]; then
  case "$BENCH_JSON" in /*) ;; *) BENCH_JSON="$PWD/$BENCH_JSON" ;; esac
  export BENCH_JSON
fi

# 1. The package.
PKG="$WASM_DIR/pkg"
stale=""
if [ ! -f "$PKG/package.json" ] || [ ! -f "$PKG/web/camskit_wasm_bg.wasm" ] || [ ! -f "$PKG/index.node.js" ]; then
  stale="missing"
elif [ -n "$(find "$WASM_DIR/src" "$WASM_DIR/js" "$WASM_DIR/scripts" "$WASM_DIR/Cargo.toml" "$WASM_DIR/package.json" \
    "$REPO/core/src" "$REPO/core/Cargo.toml" "$REPO/Cargo.lock" -newer "$PKG/package.json" -print -quit 2>/dev/null)" ]; then
  stale="older than its sources"
fi
if [ -n "$stale" ] || [ "${CAMSKIT_REBUILD:-0}" = 1 ]; then
  log "building the package (${stale:-CAMSKIT_REBUILD=1})"
  "$WASM_DIR/build.sh"
fi

# 2. The bench's dependencies. The official packages come from the registry, each a directory
# in node_modules. camskit is installed the same way, as its users get it: the files of the
# packed tarball (`npm pack`), copied in fresh each run. npm's `file:../pkg` would be a symlink,
# and Node's loader resolves a symlinked package through its real path: ~0.8 ms more on the
# cold start (median of 15 processes each, 11.4 vs 12.3 ms for the import, 2026-12-07), a
# cost no registry install has.
cd "$HERE"
if [ ! -d node_modules/@alicloud/cams20200606 ] || [ ! -d node_modules/@alicloud/openapi-util ] \
  || [ ! -d node_modules/@alicloud/pop-core ] || [ ! -d node_modules/@alicloud/mns ] \
  || [ ! -e node_modules/camskit/package.json ]; then
  log "npm install (bindings-wasm/bench)"
  npm install --no-audit --no-fund --loglevel=error
fi
packed=$(mktemp -d)
tarball=$(cd "$PKG" && npm pack --silent --pack-destination "$packed")
rm -rf node_modules/camskit
mkdir node_modules/camskit
tar -xzf "$packed/$tarball" -C node_modules/camskit --strip-components=1
rm -rf "$packed"
log "camskit installed from its packed tarball ($tarball) into bindings-wasm/bench/node_modules/camskit"

# 3. The 1 MB answer.
LARGE_BODY="${LARGE_BODY:-$REPO/target/bench-large-body.json}"
if [ ! -s "$LARGE_BODY" ]; then
  mkdir -p "$(dirname "$LARGE_BODY")"
  python3 "$REPO/bench/large_body.py" "$LARGE_BODY"
fi
export LARGE_BODY
# The 16-event push body and the 16-message MNS batch (bench/receipts_bodies.py).
RECEIPTS_PUSH="${RECEIPTS_PUSH:-$REPO/target/bench/receipts-push-16.json}"
RECEIPTS_MNS="${RECEIPTS_MNS:-$REPO/target/bench/mns-batch-16.xml}"
if [ ! -s "$RECEIPTS_PUSH" ] || [ ! -s "$RECEIPTS_MNS" ]; then
  mkdir -p "$(dirname "$RECEIPTS_PUSH")" "$(dirname "$RECEIPTS_MNS")"
  python3 "$REPO/bench/receipts_bodies.py" "$RECEIPTS_PUSH" "$RECEIPTS_MNS"
fi
export RECEIPTS_PUSH RECEIPTS_MNS

# 4. The run.
log "node $(node --version), ROUNDS=$ROUNDS SLICE_MS=$SLICE_MS COLD_RUNS=$COLD_RUNS, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
node "$HERE/bench.mjs"

# 5. The browser row.
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -n "${BENCH_JSON:-}" ] && [ "${CAMSKIT_BROWSER_BENCH:-1}" != 0 ]; then
  if [ -x "$CHROMIUM" ]; then
    cd "$WASM_DIR/tests"
    if [ ! -d node_modules/playwright-core ] || [ ! -e node_modules/camskit/package.json ]; then
      log "npm install (bindings-wasm/tests)"
      npm install --no-audit --no-fund --loglevel=error
    fi
    log "browser row (headless Chromium)"
    CAMSKIT_BROWSER_BENCH=1 BENCH_JSON="$BENCH_JSON" node --test --test-reporter=dot browser.test.mjs
  else
    log "no Chromium at $CHROMIUM: no browser row (apt-get install chromium, as bindings-wasm/test.sh does)"
  fi
fi
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

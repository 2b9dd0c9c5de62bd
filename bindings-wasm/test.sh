#!/usr/bin/env bash
# Everything the JavaScript binding promises, from any cwd, on a fresh Debian machine (rustup
# stable, Node 20, Python 3): installs what is missing (apt: rustc-web cargo-web rust-web-src
# lld-19 chromium chromium-driver, when no rustup wasm32 target; wasm-bindgen-cli pinned to
# Cargo.lock under .tools/; npm deps), builds the npm package, then runs
#   1. wasm-bindgen-test unit tests of the Rust layer, under Node (wasm-bindgen-test-runner)
#   2. node --test against the BUILT package (installed as a file: dependency): every vector,
#      every error kind, bad inputs, the migration workflow over HTTP against tests/mock-cams,
#      and a real headless Chromium page (playwright-core + Debian's chromium).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
cd "$REPO"

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
need_apt=()
for p in chromium chromium-driver; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need_apt+=("$p")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "test.sh: apt-get install ${need_apt[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# Build (picks the route, installs rustc-web & co or uses the rustup target, and wasm-bindgen-cli).
"$HERE/build.sh"
# The same route build.sh took.
ROUTE="${CAMSKIT_WASM_ROUTE:-}"
if [ -z "$ROUTE" ]; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then ROUTE=rustup; else ROUTE=debian-web; fi
fi
# shellcheck source=/dev/null
source "$HERE/scripts/wasm-bindgen-env.sh"

# 1. Rust unit tests, compiled to wasm32 and run under Node.
echo "test.sh: wasm-bindgen-test unit tests (route $ROUTE)" >&2
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$WASM_BINDGEN_TEST_RUNNER"
if [ "$ROUTE" = rustup ]; then
  cargo test --target wasm32-unknown-unknown -p camskit-wasm --test unit
else
  RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19 \
    cargo +debian-web test --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort -p camskit-wasm --test unit
fi

# 2. node --test against the built package.
cd "$HERE/tests"
if [ ! -d node_modules/playwright-core ] || [ ! -e node_modules/camskit ]; then
  npm install --no-audit --no-fund --loglevel=error
else
  # The file: dependency is a link to ../pkg; make sure it is there after a clean build.
  npm install --no-audit --no-fund --loglevel=error --offline >/dev/null 2>&1 || npm install --no-audit --no-fund --loglevel=error
fi
set +e
mkdir -p "$REPO/target"
node --test --test-reporter=spec ./*.test.mjs 2>&1 | tee "$REPO/target/camskit-wasm-node-test.log"
status=${PIPESTATUS[0]}
set -e
echo "test.sh: node --test summary:"
grep -E '^ℹ (tests|pass|fail|cancelled|skipped|todo) ' "$REPO/target/camskit-wasm-node-test.log" | tr '\n' ' '
echo
exit "$status"

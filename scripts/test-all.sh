#!/usr/bin/env bash
# The one command that builds and tests everything (README "Run every test"; .ci/run calls it).
# It installs what it needs on a fresh machine (apt packages, cargo tools, pip/npm packages)
# and skips what is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CARGO_TERM_COLOR=never
step() { printf '\n==== %s ====\n' "$*"; }
start=$(date +%s)

step "Rust: format and lint"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "Rust: core and CLI tests (vectors, properties, mock-cams end to end)"
cargo test

step "Vectors: regenerate from Alibaba's official SDKs and compare"
if tmp=$(mktemp -d) && tools/gen-vectors.sh "$tmp" 2>"$tmp/log"; then
  for f in rpc-v1.json v3.json catalog.json; do
    diff -u "tests/vectors/$f" "$tmp/$f" >/dev/null || { echo "tests/vectors/$f differs from a fresh recording"; diff -u "tests/vectors/$f" "$tmp/$f" | head -40; exit 1; }
  done
  python3 tools/vectors/responses.py --out "$tmp" >/dev/null
  diff -u tests/vectors/responses.json "$tmp/responses.json" || { echo "tests/vectors/responses.json is stale"; exit 1; }
  echo "vectors: the committed files match a fresh recording"
else
  if grep -qiE "could not find a version|connection|network|resolve|ENOTFOUND|EAI_AGAIN|timed out" "$tmp/log"; then
    echo "SKIPPED: the package registries are unreachable, vectors not regenerated:"; tail -3 "$tmp/log"
  else
    cat "$tmp/log"; exit 1
  fi
fi
rm -rf "$tmp"

step "Catalog: regenerate from alibabacloud-cams20200606 and compare"
if tmp=$(mktemp -d) && tools/gen-catalog.sh "$tmp" 2>"$tmp/log"; then
  cat "$tmp/log"
  diff -u core/src/catalog/data.rs "$tmp/core/src/catalog/data.rs" >/dev/null || { echo "core/src/catalog/data.rs differs from a fresh run of tools/gen-catalog.sh"; exit 1; }
  diff -u tests/mock-cams/catalog.json "$tmp/tests/mock-cams/catalog.json" >/dev/null || { echo "tests/mock-cams/catalog.json differs from a fresh run"; exit 1; }
  echo "catalog: the committed catalog matches a fresh run (173 operations of the pinned package)"
else
  if grep -qiE "could not find a version|connection|network|resolve|timed out" "$tmp/log"; then
    echo "SKIPPED: PyPI is unreachable, the catalog was not regenerated:"; tail -3 "$tmp/log"
  else
    cat "$tmp/log"; exit 1
  fi
fi
rm -rf "$tmp"

# Each binding brings its own test script: it installs what it needs, builds, and runs every
# vector and its own tests.
for t in bindings-python/test.sh bindings-wasm/test.sh bindings-uniffi/test.sh; do
  if [ -x "$t" ]; then
    step "$t"
    "$t"
  fi
done

echo
echo "all tests passed in $(( $(date +%s) - start )) s"

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

# Runs a generator into a scratch folder and compares each committed file with its fresh copy
# (COMMITTED:PATH_IN_SCRATCH pairs). A generator that fails because a package registry is
# unreachable is reported as skipped; any other failure, or any difference, fails the run.
regenerate_and_compare() {
  local what=$1 generator=$2 tmp pair committed fresh
  shift 2
  tmp=$(mktemp -d)
  if "$generator" "$tmp" 2>"$tmp/log"; then
    cat "$tmp/log"
    for pair in "$@"; do
      committed=${pair%%:*}
      fresh=$tmp/${pair#*:}
      if ! diff -u "$committed" "$fresh" >/dev/null; then
        echo "$committed differs from a fresh run of $generator"
        diff -u "$committed" "$fresh" | head -40
        rm -rf "$tmp"
        exit 1
      fi
    done
    echo "$what: the committed files match a fresh run of $generator"
  elif grep -qiE "could not find a version|connection|network|resolve|ENOTFOUND|EAI_AGAIN|timed out" "$tmp/log"; then
    echo "SKIPPED: the package registries are unreachable, $what not regenerated:"
    tail -3 "$tmp/log"
  else
    cat "$tmp/log"
    rm -rf "$tmp"
    exit 1
  fi
  rm -rf "$tmp"
}
gen_responses() { python3 tools/vectors/responses.py --out "$1" >/dev/null; }

step "Vectors: regenerate from Alibaba's official SDKs and compare"
regenerate_and_compare "signature vectors" tools/gen-vectors.sh \
  tests/vectors/rpc-v1.json:rpc-v1.json tests/vectors/v3.json:v3.json tests/vectors/catalog.json:catalog.json
regenerate_and_compare "response vectors" gen_responses tests/vectors/responses.json:responses.json

step "Catalog: regenerate from alibabacloud-cams20200606 and compare"
regenerate_and_compare "catalog" tools/gen-catalog.sh \
  core/src/catalog/data.rs:core/src/catalog/data.rs tests/mock-cams/catalog.json:tests/mock-cams/catalog.json

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

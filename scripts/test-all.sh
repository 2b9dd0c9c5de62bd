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

# Tests never leave the machine: where this runs as root with unshare and ip (CI, these machines),
# the Rust tests run in a network namespace of their own that has only loopback, so a chain that
# would reach for the ECS metadata address or a public STS host fails at once instead. Every
# crate they need was fetched by the clippy step above (--offline).
offline() {
  if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 &&
    unshare --net true 2>/dev/null; then
    echo "(in a network namespace with loopback only)"
    unshare --net sh -c 'ip link set lo up && exec "$@"' sh "$@"
  else
    echo "(no network namespace here: unshare/ip or root missing)"
    "$@"
  fi
}

step "Rust: format and lint"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "mock-cams: its own tests (strict checks, scripted faults, effect counts, paging)"
python3 -m pip install -q --disable-pip-version-check pytest >/dev/null 2>&1 || true
offline python3 -m pytest -q tests/mock-cams

step "Rust: core and CLI tests (vectors, host behaviours, bad inputs, properties, security, mock-cams end to end)"
offline cargo test --offline

# Its own crate (not a workspace member): ~2.5 min of CPU to build cold, seconds to run.
step "Fuzz: each target for a fixed number of executions"
fuzz/run.sh 20000

# Is the package registry the generators install from reachable? A separate probe (one small
# package from PyPI and one from npm): a generator failure is excused only when this fails,
# never because of words in the generator's own log.
registries_reachable() {
  local d
  d=$(mktemp -d)
  timeout 120 python3 -m pip download -q --no-deps --no-cache-dir -d "$d" six==1.16.0 >/dev/null 2>&1 &&
    timeout 120 npm view is-number@7.0.0 version >/dev/null 2>&1
  local rc=$?
  rm -rf "$d"
  return $rc
}

# Runs a generator into a scratch folder and compares each committed file with its fresh copy
# (COMMITTED:PATH_IN_SCRATCH pairs). A generator that fails while the registries are proven
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
  elif ! registries_reachable; then
    echo "SKIPPED: the package registries are unreachable (probe failed), $what not regenerated:"
    tail -3 "$tmp/log"
  else
    cat "$tmp/log"
    echo "$generator failed while the registries are reachable"
    rm -rf "$tmp"
    exit 1
  fi
  rm -rf "$tmp"
}
gen_responses() { python3 tools/vectors/responses.py --out "$1" >/dev/null; }
gen_host_cases() { python3 tools/vectors/host_cases.py --out "$1" >/dev/null; }
gen_receipts() { python3 tools/vectors/receipts.py --out "$1" >/dev/null; }

step "Vectors: regenerate from Alibaba's official SDKs and compare"
regenerate_and_compare "signature vectors" tools/gen-vectors.sh \
  tests/vectors/rpc-v1.json:rpc-v1.json tests/vectors/v3.json:v3.json tests/vectors/catalog.json:catalog.json
regenerate_and_compare "response vectors" gen_responses tests/vectors/responses.json:responses.json
regenerate_and_compare "host behaviours and bad inputs" gen_host_cases \
  tests/vectors/host-behaviours.json:host-behaviours.json tests/vectors/bad-inputs.json:bad-inputs.json \
  tests/vectors/call-scenarios.json:call-scenarios.json
regenerate_and_compare "receipt vectors (the docs' examples)" gen_receipts tests/vectors/receipts.json:receipts.json
gen_mns() { python3 tools/vectors/mns.py --out "$1" >/dev/null; }
regenerate_and_compare "MNS and Dybaseapi vectors (aliyun-mns-sdk, dybaseapi SDKs)" gen_mns tests/vectors/mns.json:mns.json

step "Typed answers: regenerate from the official response models and compare, then type-check"
regenerate_and_compare "typed answers" tools/gen-answers.sh \
  tests/vectors/answers.json:tests/vectors/answers.json answers/src/generated/answers.rs:answers/src/generated/answers.rs \
  answers/generated/answers.d.ts:answers/generated/answers.d.ts answers/generated/answers.pyi:answers/generated/answers.pyi \
  bindings-uniffi/src/generated/answers.rs:bindings-uniffi/src/generated/answers.rs \
  bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift:bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift \
  bindings-uniffi/kotlin/generated/CamsAnswers.kt:bindings-uniffi/kotlin/generated/CamsAnswers.kt
answers/check-types.sh

step "Credentials: regenerate the vectors from alibabacloud-credentials and compare"
gen_credentials() { tools/gen-credentials-vectors.sh "$1/credentials.json"; }
regenerate_and_compare "credentials vectors" gen_credentials tests/vectors/credentials.json:credentials.json

step "Catalog: regenerate from alibabacloud-cams20200606 and compare"
regenerate_and_compare "catalog" tools/gen-catalog.sh \
  core/src/catalog/generated/data.rs:core/src/catalog/generated/data.rs tests/mock-cams/catalog.json:tests/mock-cams/catalog.json

# Each binding brings its own test script: it installs what it needs, builds, and runs every
# vector and its own tests.
# (bindings-uniffi/test.sh runs bindings-uniffi/maven/build.sh: every Kotlin test is under Maven.)
for t in bindings-python/test.sh bindings-wasm/test.sh bindings-uniffi/test.sh; do
  if [ -x "$t" ]; then
    step "$t"
    "$t"
  fi
done

step "Swift package: the committed generated sources match a fresh generation, answer types checked"
bindings-uniffi/swift/check-generated.sh

# The packages users install (packaging/README.md, packaging/npm/README.md).
step "npm: the camskit tarball in fresh projects (ESM, CommonJS, TypeScript, a bundled page)"
packaging/npm/test-tarball.sh

# An x86_64 manylinux2014 wheel (zig) and an sdist, tested from outside the repo on the oldest
# and newest CPython. ~6 min cold on 2 loaded cores, ~1-2 min warm. CAMSKIT_CROSS_WHEELS=1 adds
# the musllinux_1_2 and aarch64 wheels (built with Debian's rust-web-src; ~20 min more cold).
step "Python: portable wheels and sdist"
packaging/python/build-wheels.sh
packaging/python/test-wheels.sh

# The one performance table's command, in one tiny round per host (no figure is asserted: this
# only proves that every host's benchmark still runs and writes its row). The real run is
# `bench/all.sh` (≈ 15 min; README "Performance").
step "Benchmarks: bench/all.sh --smoke"
bench/all.sh --smoke

echo
echo "all tests passed in $(( $(date +%s) - start )) s"

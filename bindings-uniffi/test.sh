#!/usr/bin/env bash
# camskit-uniffi: build the library, run its Rust tests, generate the Kotlin and Swift bindings,
# check the Swift output, then run every Kotlin test under Maven (maven/build.sh: `mvn verify`,
# JUnit 5 against the packed library: the shared vectors, host-behaviours, bad-inputs,
# call-scenarios, page walks, typed answers, the negative compile check, mock-cams over
# java.net.http and OkHttp).
#
# Installs what is missing (apt: binutils, maven), skipping what is there.
# Needs: rustup stable, Java 17, Python 3 (tests/mock-cams); Maven downloads from Maven Central.
# Honours CARGO_TARGET_DIR. Exits non-zero on any failure. Run from any folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Cargo's output: CARGO_TARGET_DIR when set (a private build dir), else <repo>/target. What this
# script writes itself (generated bindings, logs) goes to <repo>/target.
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
OUT="$ROOT/target/uniffi-out"
LIB="$TARGET/debug/libcamskit_uniffi.so"

step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "prerequisites"
for tool in cargo java python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
apt_missing=()
command -v nm >/dev/null || apt_missing+=(binutils)   # nm: the Swift check reads the library's symbols
command -v mvn >/dev/null || apt_missing+=(maven)     # the Kotlin tests run under Maven
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "installing ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi
echo "mvn: $(mvn -v 2>/dev/null | head -1); java: $(java -version 2>&1 | head -1)"

step "build (debug: uniffi-bindgen reads the metadata that a full strip would remove)"
cargo build -p camskit-uniffi -p uniffi-bindgen

step "Rust unit tests"
cargo test -p camskit-uniffi --quiet

step "generate Kotlin and Swift (library mode)"
rm -rf "$OUT"
for lang in kotlin swift; do
  "$TARGET/debug/uniffi-bindgen" generate --library "$LIB" --language "$lang" \
    --no-format --out-dir "$OUT/$lang"
done
find "$OUT" -type f | sort

step "check the Swift output (no Swift toolchain here: generated, not compiled)"
python3 "$ROOT/bindings-uniffi/tests/check_swift.py" "$OUT/swift" "$LIB"

step "the Kotlin tests under Maven (maven/build.sh: mvn verify, JUnit 5; it checks the counts lines)"
"$ROOT/bindings-uniffi/maven/build.sh"

step "the mobile library's size (what an Android ABI carries; the jar above ships the jvm build)"
"$ROOT/bindings-uniffi/mobile-size.sh"

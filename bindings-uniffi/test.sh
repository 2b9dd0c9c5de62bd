#!/usr/bin/env bash
# camskit-uniffi: build the library, generate the Kotlin and Swift bindings, compile the Kotlin
# tests with kotlinc and run them on the JVM against the built cdylib, check the Swift output.
#
# Installs what is missing (apt: libjna-java; npm: kotlin-compiler into <repo>/.tools/), skipping
# what is there. Needs: rustup stable, Java 17, Node (npm), Python 3 (tests/mock-cams).
# Honours CARGO_TARGET_DIR. Exits non-zero on any failure. Run from any folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

KOTLIN_VERSION=2.4.20
TOOLS="$ROOT/.tools"
KOTLINC_HOME="$TOOLS/kotlin-compiler-$KOTLIN_VERSION"
JNA_JAR=/usr/share/java/jna.jar
# Cargo's output: CARGO_TARGET_DIR when set (a private build dir), else <repo>/target. What this
# script writes itself (generated bindings, the test jar, logs) goes to <repo>/target.
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
[ -f "$JNA_JAR" ] || apt_missing+=(libjna-java)        # JNA, needed by uniffi's Kotlin bindings
command -v nm >/dev/null || apt_missing+=(binutils)   # nm: the Swift check reads the library's symbols
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "installing ${apt_missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi
if [ ! -x "$KOTLINC_HOME/bin/kotlinc" ]; then
  command -v npm >/dev/null || { echo "missing: npm (to fetch kotlin-compiler)" >&2; exit 1; }
  echo "fetching kotlin-compiler@$KOTLIN_VERSION from npm into $KOTLINC_HOME"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf "kotlin-compiler-$KOTLIN_VERSION.tgz")
  mkdir -p "$TOOLS"
  rm -rf "$KOTLINC_HOME"
  mv "$tmp/package" "$KOTLINC_HOME"
  rm -rf "$tmp"
fi
KOTLIN_STDLIB="$KOTLINC_HOME/lib/kotlin-stdlib.jar"
echo "kotlinc: $KOTLINC_HOME; JNA: $JNA_JAR; java: $(java -version 2>&1 | head -1)"

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

step "compile the Kotlin tests"
JAR="$ROOT/target/kotlin/camskit-tests.jar"
mkdir -p "$(dirname "$JAR")"
# The generated bindings, the companion files shipped with them (kotlin/: JavaNetTransport,
# the extensions), and the tests.
KT_SOURCES=("$OUT/kotlin/camskit/camskit_uniffi.kt" "$ROOT"/bindings-uniffi/kotlin/*.kt "$ROOT"/bindings-uniffi/tests/kotlin/*.kt)
"$KOTLINC_HOME/bin/kotlinc" -nowarn "${KT_SOURCES[@]}" -cp "$JNA_JAR" -d "$JAR"

step "negative: a misspelt or mistyped answer field does not compile (tests/kotlin-negative)"
NEG_LOG="$ROOT/target/kotlin/negative.log"
NEG_OUT="$(mktemp -d)"
if "$KOTLINC_HOME/bin/kotlinc" -nowarn "$ROOT/bindings-uniffi/tests/kotlin-negative/WrongField.kt" \
    -cp "$JAR:$JNA_JAR" -d "$NEG_OUT" >"$NEG_LOG" 2>&1; then
  echo "WrongField.kt compiled: the typed answers are not checked" >&2; exit 1
fi
rm -rf "$NEG_OUT"
errors=$(grep -c 'error:' "$NEG_LOG" || true)
if [ "$errors" != 2 ] || ! grep -q "WrongField.kt:12:.*templateNmae" "$NEG_LOG" \
    || ! grep -q "WrongField.kt:13:.*mismatch" "$NEG_LOG"; then
  cat "$NEG_LOG" >&2; echo "expected exactly the two marked errors (lines 12 and 13)" >&2; exit 1
fi
echo "negative compile: 2 expected errors, none other"
sed 's/^/  /' "$NEG_LOG"

step "run the Kotlin tests on the JVM (all of host-behaviours.json, bad-inputs.json and call-scenarios.json)"
LOG="$ROOT/target/kotlin/tests.log"
java -Djna.library.path="$TARGET/debug" \
  -cp "$JAR:$KOTLIN_STDLIB:$JNA_JAR" camskit.tests.TestsKt "$ROOT" | tee "$LOG"
# The shared contract's counts must be there, with nothing failed.
grep -Eq "^typed answers: [1-9][0-9]* operations, [1-9][0-9]* values compared, [1-9][0-9]* integers beyond 2\^53 exact$" "$LOG" \
  || { echo "no 'typed answers: ...' line" >&2; exit 1; }
for group in host-behaviours bad-inputs call-scenarios page-walks; do
  grep -Eq "^$group: [1-9][0-9]* passed, 0 failed$" "$LOG" || { echo "no clean '$group: N passed, 0 failed' line" >&2; exit 1; }
done

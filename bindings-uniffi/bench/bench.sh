#!/usr/bin/env bash
# By hand: release build, stripped size of the cdylib, and the JVM benchmark (bench/Bench.kt)
# against the release library. Run bindings-uniffi/test.sh once first (kotlinc, JNA, bindgen).
# JAVA_OPTS is passed to the JVM (e.g. JAVA_OPTS=-Xmn8m, see README.md: JNA's memory bookkeeping).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
KOTLINC_HOME="$ROOT/.tools/kotlin-compiler-2.4.20"
JNA_JAR=/usr/share/java/jna.jar

cargo build --release -p camskit-uniffi
cargo build -p uniffi-bindgen   # debug is enough: it only reads the metadata
REL="$ROOT/target/release/libcamskit_uniffi.so"
mkdir -p "$ROOT/target/size"
strip --strip-all -o "$ROOT/target/size/libcamskit_uniffi.so" "$REL"
echo "release cdylib (profile: strip=debuginfo): $(stat -c %s "$REL") bytes"
echo "release cdylib, fully stripped (strip --strip-all): $(stat -c %s "$ROOT/target/size/libcamskit_uniffi.so") bytes"

OUT="$ROOT/target/uniffi-out-release"
rm -rf "$OUT"
"$ROOT/target/debug/uniffi-bindgen" generate --library "$REL" --language kotlin --no-format --out-dir "$OUT/kotlin"
JAR="$ROOT/target/kotlin/camskit-bench.jar"
"$KOTLINC_HOME/bin/kotlinc" -nowarn "$OUT/kotlin/camskit/camskit_uniffi.kt" "$ROOT/bindings-uniffi/bench/Bench.kt" -cp "$JNA_JAR" -d "$JAR"
# The fully stripped library is what ships; the bindings were generated from the same build.
java ${JAVA_OPTS:-} -Djna.library.path="$ROOT/target/size" -cp "$JAR:$KOTLINC_HOME/lib/kotlin-stdlib.jar:$JNA_JAR" camskit.bench.BenchKt

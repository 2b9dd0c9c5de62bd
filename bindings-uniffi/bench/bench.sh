#!/usr/bin/env bash
# By hand: release build, stripped size of the cdylib, and the JVM benchmark (bench/Bench.kt)
# against the release library. Fetches kotlinc (npm kotlin-compiler) into .tools/ and JNA (apt
# libjna-java) when missing.
# JAVA_OPTS is passed to the JVM (e.g. JAVA_OPTS=-Xmn8m, see README.md: JNA's memory bookkeeping).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
KOTLINC_HOME="$ROOT/.tools/kotlin-compiler-2.4.20"
JNA_JAR=/usr/share/java/jna.jar
if [ ! -f "$JNA_JAR" ]; then
  if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjna-java
fi
if [ ! -x "$KOTLINC_HOME/bin/kotlinc" ]; then
  echo "fetching kotlin-compiler@2.4.20 from npm into $KOTLINC_HOME"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "kotlin-compiler@2.4.20" >/dev/null && tar xzf "kotlin-compiler-2.4.20.tgz")
  mkdir -p "$(dirname "$KOTLINC_HOME")" && rm -rf "$KOTLINC_HOME" && mv "$tmp/package" "$KOTLINC_HOME" && rm -rf "$tmp"
fi

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

#!/usr/bin/env bash
# camskit for Android: builds bindings-uniffi/android/build/camskit-android-<version>.aar (+ .pom)
#
#   AndroidManifest.xml                    <manifest package="io.camskit"> with minSdkVersion
#   classes.jar                            the Kotlin API: uniffi's generated camskit_uniffi.kt and
#                                          bindings-uniffi/kotlin/*.kt (not JavaNetTransport.kt:
#                                          java.net.http is not on Android)
#   jni/arm64-v8a/libcamskit_uniffi.so     the Rust library per ABI (an AAR's jni/ is what a
#   jni/armeabi-v7a/libcamskit_uniffi.so   module's src/main/jniLibs/ becomes), stripped
#   jni/x86_64/libcamskit_uniffi.so
#   proguard.txt                           consumer R8 rules (JNA and the generated classes)
#   R.txt                                  empty (no resources)
# The .pom declares the run-time dependencies: JNA's Android AAR and kotlin-stdlib.
#
#   bindings-uniffi/android/build-aar.sh                  # builds the libraries with the NDK
#   bindings-uniffi/android/build-aar.sh --jnilibs DIR    # packages DIR/<abi>/libcamskit_uniffi.so
#                                                         # built elsewhere (no NDK needed)
#
# The libraries: with the Android NDK (ANDROID_NDK_HOME, ANDROID_NDK_ROOT, or the newest
# $ANDROID_HOME/ndk/<version>) and rustup, each ABI is built by cargo-ndk (installed if missing)
# as `cargo rustc --profile mobile --crate-type cdylib`: the crate also declares `lib` and
# `staticlib`, and building the cdylib on its own is what lets LTO drop the dead code (1.60 MB
# instead of 2.0 MB stripped for x86_64; see ANDROID.md, "Size"), linked through
# bindings-uniffi/link-nometa.py (`-C linker=`, over the NDK's clang): it links the library a
# second time without uniffi's UNIFFI_META_* statics (~88 KB that only uniffi-bindgen reads), and
# that one is stripped and packed, after checking that it exports the same symbols but those
# (llvm-nm). The bindings come from a host build, which keeps the metadata. Page size 16 KB
# (-z max-page-size=16384, as Google Play requires for Android 15+), API level ANDROID_API
# (default 21). The build machines of this project have no NDK: ANDROID.md records what was
# tried there and where it stops.
#
# Needs: cargo, java + jar, python3, kotlinc (fetched from npm into <repo>/.tools like
# bindings-uniffi/test.sh), JNA's jar to compile against (apt libjna-java), llvm-strip (the NDK's,
# else the host's). Honours CARGO_TARGET_DIR. Exits non-zero on any failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

JNILIBS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jnilibs) JNILIBS="$(cd "$2" && pwd)"; shift 2 ;;
    *) echo "usage: $0 [--jnilibs DIR]" >&2; exit 2 ;;
  esac
done

API="${ANDROID_API:-21}"
PROFILE=mobile
ABIS=(arm64-v8a armeabi-v7a x86_64)
# the NDK's clang wrappers: <triple><api>-clang, armv7a for armv7
clang_of() {
  case "$1" in
    armeabi-v7a) echo "armv7a-linux-androideabi$API-clang" ;;
    *) echo "$(triple_of "$1")$API-clang" ;;
  esac
}
triple_of() {
  case "$1" in
    arm64-v8a) echo aarch64-linux-android ;;
    armeabi-v7a) echo armv7-linux-androideabi ;;
    x86_64) echo x86_64-linux-android ;;
    x86) echo i686-linux-android ;;
  esac
}
KOTLIN_VERSION=2.4.20
JNA_VERSION=5.19.1          # the version the Maven module builds and tests with
KOTLIN_STDLIB_VERSION=2.4.21
KOTLINC_HOME="$ROOT/.tools/kotlin-compiler-$KOTLIN_VERSION"
JNA_JAR=/usr/share/java/jna.jar
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
OUT="$HERE/build"
WORK="$OUT/aar"
AAR="$OUT/camskit-android-$VERSION.aar"

step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

step "prerequisites"
for tool in cargo java jar python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
if [ ! -f "$JNA_JAR" ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjna-java
fi
if [ ! -x "$KOTLINC_HOME/bin/kotlinc" ]; then
  command -v npm >/dev/null || { echo "missing: npm (to fetch kotlin-compiler)" >&2; exit 1; }
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "kotlin-compiler@$KOTLIN_VERSION" >/dev/null && tar xzf "kotlin-compiler-$KOTLIN_VERSION.tgz")
  mkdir -p "$(dirname "$KOTLINC_HOME")"
  rm -rf "$KOTLINC_HOME"
  mv "$tmp/package" "$KOTLINC_HOME"
  rm -rf "$tmp"
fi

rm -rf "$WORK"
mkdir -p "$WORK"

if [ -z "$JNILIBS" ]; then
  NDK="${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}"
  if [ -z "$NDK" ] && [ -d "${ANDROID_HOME:-/nonexistent}/ndk" ]; then
    NDK="$(ls -d "$ANDROID_HOME"/ndk/*/ | sort -V | tail -1)"
  fi
  if [ -z "$NDK" ] || [ ! -d "$NDK/toolchains/llvm/prebuilt" ]; then
    echo "no Android NDK (set ANDROID_NDK_HOME), and no --jnilibs DIR: see bindings-uniffi/maven/ANDROID.md" >&2
    exit 1
  fi
  export ANDROID_NDK_HOME="${NDK%/}"
  NDK_BIN="$(ls -d "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin | head -1)"
  STRIP="$NDK_BIN/llvm-strip"
  step "Rust libraries with the NDK at $ANDROID_NDK_HOME (API $API, profile $PROFILE)"
  command -v cargo-ndk >/dev/null || cargo install cargo-ndk
  installed="$(rustup target list --installed)"
  for abi in "${ABIS[@]}"; do
    t="$(triple_of "$abi")"
    grep -qx "$t" <<<"$installed" || rustup target add "$t"
  done
  JNILIBS="$OUT/jniLibs"
  for abi in "${ABIS[@]}"; do
    t="$(triple_of "$abi")"
    # cargo-ndk sets the NDK's clang (API level in its name) as linker, CC and AR for the target;
    # `-C linker=` after it (cargo passes the configured linker first, rustc takes the last one)
    # puts link-nometa.py in between, which calls that same clang (CAMSKIT_REAL_LINKER) twice:
    # deps/libcamskit_uniffi.so as rustc asks, deps/libcamskit_uniffi.nometa.so without
    # UNIFFI_META_* (maven/build.sh does the same on the host).
    CAMSKIT_REAL_LINKER="$NDK_BIN/$(clang_of "$abi")" \
      cargo ndk --platform "$API" -t "$abi" rustc --profile "$PROFILE" -p camskit-uniffi --lib --crate-type cdylib \
      -- -C link-arg=-Wl,-z,max-page-size=16384 -C linker="$ROOT/bindings-uniffi/link-nometa.py"
    full="$TARGET/$t/$PROFILE/libcamskit_uniffi.so"
    nometa="$TARGET/$t/$PROFILE/deps/libcamskit_uniffi.nometa.so"
    python3 "$ROOT/bindings-uniffi/link-nometa.py" --check "$full" "$nometa" "$NDK_BIN/llvm-nm"
    mkdir -p "$JNILIBS/$abi"
    "$STRIP" --strip-all -o "$JNILIBS/$abi/libcamskit_uniffi.so" "$nometa"
  done
else
  STRIP="$(command -v llvm-strip || true)"
  step "Rust libraries from $JNILIBS (not built here)"
fi
for abi in "${ABIS[@]}"; do
  lib="$JNILIBS/$abi/libcamskit_uniffi.so"
  [ -f "$lib" ] || { echo "missing $lib" >&2; exit 1; }
  mkdir -p "$WORK/jni/$abi"
  cp "$lib" "$WORK/jni/$abi/"
  echo "$abi: $(wc -c <"$lib" | tr -d ' ') bytes"
done

step "Kotlin bindings (uniffi-bindgen, library mode, from a host build) and classes.jar"
cargo build --quiet -p camskit-uniffi -p uniffi-bindgen
case "$(uname -s)" in Darwin) host_lib="$TARGET/debug/libcamskit_uniffi.dylib" ;; *) host_lib="$TARGET/debug/libcamskit_uniffi.so" ;; esac
gen="$OUT/kotlin"
rm -rf "$gen"
"$TARGET/debug/uniffi-bindgen" generate --library "$host_lib" --language kotlin --no-format --out-dir "$gen"
sources=("$gen/camskit/camskit_uniffi.kt")
for f in "$ROOT"/bindings-uniffi/kotlin/*.kt; do
  case "$(basename "$f")" in JavaNetTransport.kt) ;; *) sources+=("$f") ;; esac
done
classes="$OUT/classes"
rm -rf "$classes"
# -jvm-target 1.8: the bytecode level every Android Gradle plugin desugars.
"$KOTLINC_HOME/bin/kotlinc" -nowarn -jvm-target 1.8 "${sources[@]}" -cp "$JNA_JAR" -d "$classes"
(cd "$classes" && jar --create --file "$WORK/classes.jar" --no-manifest .)

step "AndroidManifest.xml, proguard.txt, R.txt, the .pom"
cat >"$WORK/AndroidManifest.xml" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="io.camskit"
    android:versionName="$VERSION">

    <uses-sdk android:minSdkVersion="$API" />

</manifest>
EOF
cat >"$WORK/proguard.txt" <<'EOF'
# camskit (uniffi over JNA): JNA finds classes, fields and callbacks by reflection and by name.
-keep class com.sun.jna.** { *; }
-keepclassmembers class * extends com.sun.jna.** { public *; }
-keep class camskit.** { *; }
-dontwarn java.awt.**
EOF
: >"$WORK/R.txt"
cat >"$OUT/camskit-android-$VERSION.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.camskit</groupId>
  <artifactId>camskit-android</artifactId>
  <version>$VERSION</version>
  <packaging>aar</packaging>
  <dependencies>
    <!-- JNA's Android build: libjnidispatch.so for every ABI -->
    <dependency>
      <groupId>net.java.dev.jna</groupId>
      <artifactId>jna</artifactId>
      <version>$JNA_VERSION</version>
      <type>aar</type>
    </dependency>
    <dependency>
      <groupId>org.jetbrains.kotlin</groupId>
      <artifactId>kotlin-stdlib</artifactId>
      <version>$KOTLIN_STDLIB_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF

step "zip $AAR"
rm -f "$AAR"
python3 - "$WORK" "$AAR" <<'EOF'
import os, sys, zipfile
work, aar = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(aar, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, _, files in sorted(os.walk(work)):
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            arc = os.path.relpath(path, work)
            # native libraries stored uncompressed (as AGP packs them), the rest deflated
            z.write(path, arc, zipfile.ZIP_STORED if arc.endswith(".so") else zipfile.ZIP_DEFLATED)
EOF
python3 "$HERE/check_aar.py" "$AAR" "$ROOT/bindings-uniffi/swift/ffi/CamsKitFFI.h"

#!/usr/bin/env bash
# camskit-kotlin as a Maven jar: build libcamskit_uniffi.so (profile jvm: the desktop JVM's
# speed-built library; CAMSKIT_JVM_PROFILE=mobile packs the size-built one), generate uniffi's
# Kotlin from it (library mode), put the Kotlin source and the library to ship (linked without
# uniffi's metadata, stripped; as the JNA resource linux-x86-64/libcamskit_uniffi.so) where
# pom.xml picks them up, then `mvn -B verify`:
# compile, JUnit 5 tests (every Kotlin check: the shared vectors, host-behaviours, bad-inputs,
# call-scenarios, page walks, typed answers, the negative compile check, OkHttp against
# tests/mock-cams), the jar, and a
# fresh JVM running the jar's example with only JNA and kotlin-stdlib on the class path.
#
# Result: bindings-uniffi/maven/target/camskit-kotlin-<version>.jar.
# Needs: cargo, Java 17, Maven (the first run downloads from Maven Central), Python 3 (mock-cams),
# binutils' nm (the exported-symbols check) and strip (optional: without it the library ships
# with its symbol table).
# Honours CARGO_TARGET_DIR. Exits non-zero on any failure. Run from any folder.
set -euo pipefail

MODULE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$MODULE/../.." && pwd)"
cd "$ROOT"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
GEN="$MODULE/generated"
PROFILE="${CAMSKIT_JVM_PROFILE:-jvm}"
LIB="$TARGET/$PROFILE/libcamskit_uniffi.so"                # with uniffi's metadata: for uniffi-bindgen
BINDGEN="$TARGET/debug/uniffi-bindgen"

step() { printf '\n== %s\n' "$*"; }

step "prerequisites"
for tool in cargo java mvn python3 nm; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) JNA_PREFIX=linux-x86-64 ;;
  Linux-aarch64) JNA_PREFIX=linux-aarch64 ;;
  *) echo "build.sh packs a Linux library; on $(uname -s)-$(uname -m) see ANDROID.md / the README" >&2; exit 1 ;;
esac
# The pom's version is the workspace's.
crate_version="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
pom_version="$(sed -n '0,/<artifactId>camskit-kotlin<\/artifactId>/d; s:.*<version>\(.*\)</version>.*:\1:p' "$MODULE/pom.xml" | head -1)"
[ "$crate_version" = "$pom_version" ] || { echo "pom.xml version $pom_version != workspace version $crate_version" >&2; exit 1; }
echo "camskit-kotlin $pom_version; $(mvn -v 2>/dev/null | head -1); java: $(java -version 2>&1 | head -1)"

step "build the library (profile $PROFILE) and uniffi-bindgen"
# Profile jvm (Cargo.toml): opt-level 3, for the desktop JVM, where no APK carries the library
# and the JNI fast path is the hot path (issue 27). Android and iOS ship the size-built `mobile`
# library (android/build-aar.sh, swift/build-xcframework.sh; ../mobile-size.sh checks its size).
# ../build-lib.sh: the cdylib alone, linked twice by link-nometa.py — as rustc asks ($LIB, with
# uniffi's metadata, for uniffi-bindgen) and without the UNIFFI_META_* statics (88 KB of the
# API's description that only uniffi-bindgen reads; issue 27: 1,509,376 -> 1,402,560 bytes
# stripped at mobile) — exports checked, stripped (what ships: the bindings are generated from
# $LIB), and a panic inside it still comes back as an error.
rm -rf "$GEN"
"$ROOT/bindings-uniffi/build-lib.sh" "$PROFILE" "$GEN/resources/$JNA_PREFIX/libcamskit_uniffi.so"
cargo build -p uniffi-bindgen   # debug: the same build bindings-uniffi/test.sh makes

step "generate the Kotlin bindings (library mode) into $GEN"
"$BINDGEN" generate --library "$LIB" --language kotlin --no-format --out-dir "$GEN/kotlin"
find "$GEN" -type f -printf '%p %s bytes\n'

step "mvn verify (compile, JUnit tests, jar, the jar with only JNA + kotlin-stdlib)"
cd "$MODULE"
rm -f "$MODULE/target/camskit-tests.log"   # the tests append their counts lines to it
mvn -q -B verify "$@"

JAR="$MODULE/target/camskit-kotlin-$pom_version.jar"
[ -f "$JAR" ] || { echo "no $JAR" >&2; exit 1; }
# The shared contract's counts (KotlinSuiteTest writes them): each there, with nothing failed.
LOG="$MODULE/target/camskit-tests.log"
[ -f "$LOG" ] || { echo "no $LOG: KotlinSuiteTest did not run" >&2; exit 1; }
cat "$LOG"
grep -Eq "^typed answers: [1-9][0-9]* operations, [1-9][0-9]* values compared, [1-9][0-9]* integers beyond 2\^53 exact$" "$LOG" \
  || { echo "no 'typed answers: ...' line" >&2; exit 1; }
grep -Eq "^kotlin answers: [1-9][0-9]* operations, [1-9][0-9]* values compared, [1-9][0-9]* integers beyond 2\^53 exact$" "$LOG" \
  || { echo "no 'kotlin answers: ...' line" >&2; exit 1; }
for group in host-behaviours bad-inputs call-scenarios page-walks; do
  grep -Eq "^$group: [1-9][0-9]* passed, 0 failed$" "$LOG" || { echo "no clean '$group: N passed, 0 failed' line" >&2; exit 1; }
done
grep -Eq "^[1-9][0-9]* passed, 0 failed$" "$LOG" || { echo "no clean 'N passed, 0 failed' line" >&2; exit 1; }
# surefire and failsafe write one report per test class; count them for the closing line
python3 - "$MODULE/target" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
t = f = e = s = 0
for path in glob.glob(sys.argv[1] + "/surefire-reports/TEST-*.xml") + glob.glob(sys.argv[1] + "/failsafe-reports/TEST-*.xml"):
    r = ET.parse(path).getroot()
    t += int(r.get("tests")); f += int(r.get("failures")); e += int(r.get("errors")); s += int(r.get("skipped"))
print(f"maven: {t - f - e - s} passed, {f + e} failed, {s} skipped")
sys.exit(1 if f + e or not t else 0)
PY
echo "jar: $JAR ($(stat -c %s "$JAR") bytes)"

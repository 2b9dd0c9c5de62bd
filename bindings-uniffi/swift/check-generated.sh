#!/usr/bin/env bash
# The Swift package's generated sources ship in the repository (an app adds the package without
# running Rust or uniffi-bindgen). This script regenerates them from a host build and fails if
# anything differs from what ships:
#   Sources/CamsKit/CamsKit.swift          uniffi-bindgen --language swift (library mode)
#   ffi/CamsKitFFI.h, ffi/CamsKitFFI.modulemap   the C module, same run
#   Sources/CamsKit/CamsKitAnswers.swift   tools/answers/gen_swift.py from tests/vectors/answers.json
# then checks the answer types (check_answers.py) and the uniffi output against the library
# (bindings-uniffi/tests/check_swift.py). No Swift toolchain runs here: generated and checked,
# not compiled (build-xcframework.sh and `swift build` do that on a Mac).
#
#   bindings-uniffi/swift/check-generated.sh           # check (exit 1 on any difference)
#   bindings-uniffi/swift/check-generated.sh --write   # regenerate in place after an API change
#
# Needs cargo, python3, nm (binutils). Honours CARGO_TARGET_DIR. Run from any folder.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
write=0
[ "${1:-}" = "--write" ] && write=1

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
case "$(uname -s)" in Darwin) ext=dylib ;; *) ext=so ;; esac
# The debug build: the same uniffi metadata and checksums as the mobile and release builds (the
# test in bindings-uniffi/test.sh builds it too, so this costs nothing more there).
LIB="$TARGET/debug/libcamskit_uniffi.$ext"

echo "== build camskit-uniffi and uniffi-bindgen (debug, host)"
cargo build --quiet -p camskit-uniffi -p uniffi-bindgen

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$TARGET/debug/uniffi-bindgen" generate --library "$LIB" --language swift --no-format --out-dir "$tmp/uniffi"
python3 "$ROOT/tools/answers/gen_swift.py" --answers "$ROOT/tests/vectors/answers.json" \
  --out "$tmp/CamsKitAnswers.swift"

got="$(cd "$tmp/uniffi" && find . -type f | sort | tr '\n' ' ')"
if [ "$got" != "./CamsKit.swift ./CamsKitFFI.h ./CamsKitFFI.modulemap " ]; then
  echo "uniffi-bindgen wrote $got; expected CamsKit.swift, CamsKitFFI.h, CamsKitFFI.modulemap" >&2
  exit 1
fi

# fresh : shipped
pairs=(
  "$tmp/uniffi/CamsKit.swift:$HERE/Sources/CamsKit/CamsKit.swift"
  "$tmp/uniffi/CamsKitFFI.h:$HERE/ffi/CamsKitFFI.h"
  "$tmp/uniffi/CamsKitFFI.modulemap:$HERE/ffi/CamsKitFFI.modulemap"
  "$tmp/CamsKitAnswers.swift:$HERE/Sources/CamsKit/CamsKitAnswers.swift"
)
differ=0
for pair in "${pairs[@]}"; do
  fresh="${pair%%:*}"
  shipped="${pair#*:}"
  if [ $write = 1 ]; then
    mkdir -p "$(dirname "$shipped")"
    cp "$fresh" "$shipped"
    echo "wrote ${shipped#"$ROOT"/}"
  elif ! cmp -s "$fresh" "$shipped"; then
    echo "${shipped#"$ROOT"/} differs from a fresh generation:" >&2
    diff -u "$shipped" "$fresh" | head -30 >&2 || true
    differ=1
  fi
done
if [ $differ = 1 ]; then
  echo "the shipped Swift sources are stale: run bindings-uniffi/swift/check-generated.sh --write and commit" >&2
  exit 1
fi

echo "== check the uniffi output against the library, and the answer types against answers.json"
if [ "$ext" = so ]; then
  python3 "$ROOT/bindings-uniffi/tests/check_swift.py" "$tmp/uniffi" "$LIB"
else  # it reads the library with GNU `nm -D` (ELF names; Mach-O's carry a leading underscore)
  echo "(check_swift.py skipped: it reads ELF libraries, this is $(uname -s))"
fi
python3 "$HERE/check_answers.py" "$ROOT" "$HERE/Sources/CamsKit/CamsKit.swift"
[ $write = 1 ] || echo "swift package sources: the 4 shipped generated files match a fresh generation"

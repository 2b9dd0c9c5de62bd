#!/usr/bin/env bash
# Builds the uniffi library to ship, for this machine, with one cargo profile, and checks it:
# the cdylib alone (`cargo rustc --crate-type cdylib`: with the rlib beside it, LTO keeps dead
# code), linked twice by link-nometa.py (as rustc asks, TARGET/PROFILE/libcamskit_uniffi.so,
# which uniffi-bindgen reads; and without uniffi's UNIFFI_META_* statics, what ships), the
# second's exports checked against the first's, stripped into OUT (copied when there is no
# strip), and a panic inside it must still come back as an error (tests/panic_caught.py).
#
#   bindings-uniffi/build-lib.sh PROFILE OUT     # maven/build.sh (jvm), mobile-size.sh (mobile)
# Honours CARGO_TARGET_DIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROFILE="$1"
OUT="$2"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
LIB="$TARGET/$PROFILE/libcamskit_uniffi.so"
NOMETA="$TARGET/$PROFILE/deps/libcamskit_uniffi.nometa.so"

cargo rustc --profile "$PROFILE" -p camskit-uniffi --lib --crate-type cdylib \
  -- -C linker="$ROOT/bindings-uniffi/link-nometa.py"
# The shipped library exports every symbol the full one does (uniffi_*, including the checksum
# functions the bindings call at load time, ffi_*, Java_camskit_fast_*) but UNIFFI_META_*.
python3 "$ROOT/bindings-uniffi/link-nometa.py" --check "$LIB" "$NOMETA"
mkdir -p "$(dirname "$OUT")"
if command -v strip >/dev/null; then
  strip --strip-all -o "$OUT" "$NOMETA"
else
  cp "$NOMETA" "$OUT"
fi
out="$(python3 "$ROOT/bindings-uniffi/tests/panic_caught.py" "$OUT" 2>&1)" || { echo "$out" >&2; exit 1; }
echo "$out" | tail -1

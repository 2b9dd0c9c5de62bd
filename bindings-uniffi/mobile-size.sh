#!/usr/bin/env bash
# The size an Android ABI or an iOS slice carries (issue 27's budget: at most 1.5 MB stripped per
# ABI): builds the library as android/build-aar.sh does, here for the host (x86_64 Linux: the
# nearest ABI this machine links without an NDK; android/nondk-jnilibs.sh builds the real ABIs
# with Debian's cross toolchain, several minutes each) — profile `mobile` (opt-level "z", fat
# LTO), the cdylib alone, linked without uniffi's metadata (link-nometa.py, its export check),
# stripped — and fails when it is larger than the budget or when a panic inside it no longer
# comes back as an error. The desktop jar ships the speed-built `jvm` library instead
# (maven/build.sh).
#
#   bindings-uniffi/mobile-size.sh            # prints "mobile library: N bytes stripped (budget 1500000)"
# Honours CARGO_TARGET_DIR. Run from any folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
BUDGET=1500000
OUT="$TARGET/mobile/libcamskit_uniffi.stripped.so"

"$ROOT/bindings-uniffi/build-lib.sh" mobile "$OUT"
size=$(stat -c %s "$OUT")
echo "mobile library: $size bytes stripped (budget $BUDGET; x86_64, profile mobile, without uniffi's metadata)"
if [ "$size" -gt "$BUDGET" ]; then
  echo "the mobile library is over its budget" >&2
  exit 1
fi

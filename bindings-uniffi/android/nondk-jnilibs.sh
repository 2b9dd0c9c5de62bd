#!/usr/bin/env bash
# EXPERIMENTAL, NOT FOR SHIPPING: Android libraries built WITHOUT the Android NDK, to exercise
# the AAR packaging and its checks (build-aar.sh --jnilibs, check_aar.py) on real Android ELF
# files on machines that have no NDK (these build machines: rustup cannot download targets).
#
#   bindings-uniffi/android/nondk-jnilibs.sh [OUT]      # default OUT: target/android-nondk/jniLibs
#   bindings-uniffi/android/build-aar.sh --jnilibs target/android-nondk/jniLibs
#
# How (bindings-uniffi/maven/ANDROID.md, "Without the NDK", says what was tried and why this is
# not shippable):
#   - std for aarch64-linux-android, armv7-linux-androideabi and x86_64-linux-android is built
#     from Debian's rust-web-src with -Zbuild-std (RUSTC_BOOTSTRAP=1 on Debian's rustc-web 1.96);
#   - the linker is ld.lld-19 behind a small cc-style front, android-cc.py (a name without "ld": rustc
#     infers the linker flavour from it, and an ld flavour makes rustc 1.96 panic, "assertion
#     failed: l.is_cc()");
#   - bionic is not there (zig: "unable to provide libc for target aarch64-linux-android"), so
#     libc.so / libdl.so / libm.so / liblog.so are STUBS with the right sonames that define the
#     symbols the library uses (the link records DT_NEEDED; the device's bionic resolves them);
#   - libunwind.a (the NDK's, which Rust's Android std links statically) is zig's LLVM libunwind
#     compiled for the matching musl target: same code, but built against musl's headers, not
#     bionic's. Its `stderr` reference exists in bionic only from API 23.
# Nothing built this way has run on a device or an emulator.
#
# Installs (skipping what is there): apt rustc-web cargo-web rust-web-src lld-19; the rustup
# toolchain link `debian-web`; pip ziglang into <repo>/.tools/py-wheels (the venv
# packaging/python/build-wheels.sh uses). Honours CARGO_TARGET_DIR. ~4 min per ABI cold.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
OUT="${1:-$ROOT/target/android-nondk/jniLibs}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
WORK="$ROOT/target/android-nondk/sysroot"
VENV="$ROOT/.tools/py-wheels"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# abi:rust triple:zig musl target
ABIS=(arm64-v8a:aarch64-linux-android:aarch64-linux-musl
      armeabi-v7a:armv7-linux-androideabi:arm-linux-musleabi
      x86_64:x86_64-linux-android:x86_64-linux-musl)

echo "== tools"
if [ ! -d /usr/lib/rustlib/src/rust/library ] || ! command -v ld.lld-19 >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    rustc-web cargo-web rust-web-src lld-19
fi
rustup toolchain list | grep -q '^debian-web' || rustup toolchain link debian-web /usr
if ! "$VENV/bin/python" -c "import ziglang" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check ziglang
fi
ZIG=("$VENV/bin/python" -m ziglang)
export ZIG_GLOBAL_CACHE_DIR="$WORK/zig-cache"
echo "rustc $(rustc +debian-web --version | cut -d' ' -f2), zig $("${ZIG[@]}" version), $(ld.lld-19 --version | head -1)"

# The symbols each stub library defines (the ones bionic has and this library may use).
LIBDL="dladdr dlclose dlerror dlopen dlsym"
LIBLOG="__android_log_write __android_log_print __android_log_assert"
LIBM="ceil floor fmod pow exp log sqrt"
stub() {  # stub ZIGTARGET DIR NAME "FUNCS" "DATA"
  local f src="$2/lib$3.c"
  : >"$src"
  for f in $4; do echo "void $f(void) {}" >>"$src"; done
  for f in $5; do echo "void *$f;" >>"$src"; done
  "${ZIG[@]}" cc -target "$1" -w -fPIC -nostdlib -shared -Wl,-soname,lib$3.so -o "$2/lib$3.so" "$src"
}

for entry in "${ABIS[@]}"; do
  IFS=: read -r abi triple zt <<<"$entry"
  dir="$WORK/$abi"
  mkdir -p "$dir"
  echo "== $abi ($triple)"
  # libunwind.a: zig builds LLVM's libunwind for the musl target when a link asks for it.
  if [ ! -f "$dir/libunwind.a" ]; then
    echo 'int camskit_probe(void) { return 0; }' >"$dir/probe.c"
    "${ZIG[@]}" cc -target "$zt" -shared -o "$dir/probe.so" "$dir/probe.c" -lunwind
    lib="$(find "$ZIG_GLOBAL_CACHE_DIR" -name libunwind.a -newer "$dir/probe.c" | head -1)"
    [ -n "$lib" ] || { echo "zig built no libunwind.a for $zt" >&2; exit 1; }
    cp "$lib" "$dir/libunwind.a"
  fi
  # __dso_handle (crtbegin_so.o's, referenced by __cxa_thread_atexit_impl), and musl's
  # __errno_location (libunwind's, built against musl) on bionic's __errno.
  cat >"$dir/dso.c" <<'EOF'
__attribute__((visibility("hidden"))) void *__dso_handle = &__dso_handle;
extern int *__errno(void);
__attribute__((visibility("hidden"))) int *__errno_location(void) { return __errno(); }
EOF
  "${ZIG[@]}" cc -target "$zt" -fPIC -c -o "$dir/dso.o" "$dir/dso.c"
  # libc: first an empty stub, link, then a stub defining every symbol left undefined (but the
  # ones of the other stubs), and link again: the second link records DT_NEEDED libc.so.
  stub "$zt" "$dir" dl "$LIBDL" ""
  stub "$zt" "$dir" log "$LIBLOG" ""
  stub "$zt" "$dir" m "$LIBM" ""
  stub "$zt" "$dir" c "" ""
  triple_env="$(echo "$triple" | tr 'a-z-' 'A-Z_')"
  build() {
    env RUSTC_BOOTSTRAP=1 "CARGO_TARGET_${triple_env}_LINKER=$HERE/android-cc.py" ANDROID_LD_SYSROOT="$dir" \
      cargo +debian-web rustc --profile mobile -p camskit-uniffi --lib --crate-type cdylib --target "$triple" \
      -Zbuild-std=std,panic_unwind -- -C link-arg=-Wl,-z,max-page-size=16384
  }
  build
  so="$TARGET/$triple/mobile/libcamskit_uniffi.so"
  funcs="" data=""
  while read -r type name; do
    name="${name%%@*}"
    case " $LIBDL $LIBLOG $LIBM __dso_handle " in *" $name "*) continue ;; esac
    if [ "$type" = OBJECT ]; then data="$data $name"; else funcs="$funcs $name"; fi
  done < <(readelf -W --dyn-syms "$so" | awk '$7 == "UND" && $8 != "" {print ($4 == "NOTYPE" ? "FUNC" : $4), $8}')
  stub "$zt" "$dir" c "$funcs" "$data"
  rm -f "$so" "$TARGET/$triple/mobile/deps/libcamskit_uniffi.so"   # cargo relinks a missing output
  build
  mkdir -p "$OUT/$abi"
  llvm-strip-19 --strip-all -o "$OUT/$abi/libcamskit_uniffi.so" "$so" 2>/dev/null ||
    "$(ls /usr/bin/llvm-strip* | head -1)" --strip-all -o "$OUT/$abi/libcamskit_uniffi.so" "$so"
  echo "$abi: $(wc -c <"$OUT/$abi/libcamskit_uniffi.so") bytes stripped; needs: $(readelf -d "$OUT/$abi/libcamskit_uniffi.so" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
done
echo "EXPERIMENTAL libraries (stub bionic, never run on Android) in $OUT"

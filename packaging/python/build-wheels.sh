#!/usr/bin/env bash
# Builds the portable Python packages of camskit (packaging/README.md):
#   - an x86_64 wheel tagged manylinux2014 (glibc >= 2.17), linked with zig;
#   - an sdist (core crate included) that builds from source with `pip install`;
#   - with --all (or CAMSKIT_CROSS_WHEELS=1): a musllinux_1_2 x86_64 wheel and a manylinux2014
#     aarch64 wheel. These need the Rust standard library for their target: a rustup target where
#     one is installed, otherwise std is built from Debian's rust-web-src (-Zbuild-std with
#     Debian's rustc-web, `cargo +debian-web`), since rustup cannot download targets here.
# Installs what it needs (maturin, ziglang, auditwheel into <repo>/.tools/py-wheels; Debian's
# rustc-web for the cross wheels) and skips what is already there. Runs from any cwd.
# Output: $CAMSKIT_WHEELS_OUT (default <repo>/target/wheels-portable), emptied first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools="$root/.tools"
venv="$tools/py-wheels"
out=${CAMSKIT_WHEELS_OUT:-$root/target/wheels-portable}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
manifest="$root/bindings-python/Cargo.toml"

cross=${CAMSKIT_CROSS_WHEELS:-0}
for a in "$@"; do
  case $a in
    --all) cross=1 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian's python3 needs python3-venv for `python3 -m venv`.
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv >/dev/null
fi
mkdir -p "$tools"
if [ ! -x "$venv/bin/maturin" ] || ! "$venv/bin/python" -c "import ziglang" 2>/dev/null ||
   [ ! -x "$venv/bin/auditwheel" ]; then
  echo "== installing maturin, ziglang, auditwheel into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "maturin>=1.9,<2" ziglang auditwheel
fi
# maturin finds zig as `python -m ziglang` of the python first on PATH: the tools venv's.
export PATH="$venv/bin:$PATH"
echo "maturin $(maturin --version | cut -d' ' -f2), zig $(python -m ziglang version)"

rm -rf "$out"
mkdir -p "$out"
status=0
results=()

build() {  # build LABEL ARGS...: one maturin build into $out, timed; a failure is recorded.
  local label=$1 t0 rc
  shift
  echo "== $label"
  t0=$(date +%s)
  set +e
  "$@" 2>&1 | grep -vE '^\s+(Compiling|Downloaded|Downloading) ' | tail -n 15
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -eq 0 ]; then
    results+=("ok      $label ($(( $(date +%s) - t0 )) s)")
  else
    results+=("FAILED  $label (exit $rc after $(( $(date +%s) - t0 )) s)")
    status=1
  fi
}

# (a) x86_64, glibc 2.17: the host's target with zig as the linker, pinned to glibc 2.17.
build "wheel x86_64 manylinux2014" \
  maturin build --release --zig --compatibility manylinux2014 -m "$manifest" -o "$out"

# (c) sdist: maturin rewrites the workspace so the core crate (a path dependency) is included.
build "sdist" maturin sdist -m "$manifest" -o "$out"

# (b) other targets.
if [ "$cross" = 1 ]; then
  have_target() { rustup target list --installed 2>/dev/null | grep -qx "$1"; }
  debian_web_ready() {
    [ -d /usr/lib/rustlib/src/rust/library/std ] && command -v rustc >/dev/null &&
      rustup toolchain list 2>/dev/null | grep -q '^debian-web'
  }
  ensure_debian_web() {
    debian_web_ready && return 0
    echo "== installing Debian's rustc-web + rust-web-src (std for -Zbuild-std)"
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends rustc-web cargo-web rust-web-src >/dev/null
    rustup toolchain list | grep -q '^debian-web' || rustup toolchain link debian-web /usr
    debian_web_ready
  }
  cross_build() {  # cross_build RUST_TARGET COMPATIBILITY
    local target=$1 compat=$2
    if have_target "$target"; then
      build "wheel $target $compat (rustup target)" \
        maturin build --release --zig --target "$target" --compatibility "$compat" -m "$manifest" -o "$out"
    elif ensure_debian_web; then
      # Debian's rustc 1.96 builds std from source for the target; zig links against its own
      # musl / glibc 2.17 stubs. RUSTC_BOOTSTRAP lets a stable rustc take -Z flags.
      build "wheel $target $compat (build-std, Debian rustc-web)" \
        env RUSTUP_TOOLCHAIN=debian-web RUSTC_BOOTSTRAP=1 \
        maturin build --release --zig --target "$target" --compatibility "$compat" -m "$manifest" -o "$out" \
        -Zbuild-std=std,panic_abort
    else
      results+=("FAILED  wheel $target: no rustup target and no Debian rust-web-src")
      status=1
    fi
  }
  cross_build x86_64-unknown-linux-musl musllinux_1_2
  cross_build aarch64-unknown-linux-gnu manylinux2014
else
  results+=("skipped musllinux_1_2 x86_64 and manylinux2014 aarch64 (pass --all)")
fi

echo "== built into $out"
for f in "$out"/*; do
  [ -e "$f" ] && printf '%8s KiB  %s\n' "$(( $(stat -c %s "$f") / 1024 ))" "$(basename "$f")"
done
printf '%s\n' "${results[@]}"
exit $status

#!/usr/bin/env bash
# Tests what build-wheels.sh produced (packaging/README.md):
#   1. `auditwheel show` on every wheel (printed), with the tag each one must be consistent with;
#   2. each x86_64 glibc wheel installed (--no-index) into fresh venvs of the oldest and the
#      newest CPython >= 3.10 on the machine (pyenv), then the shared vectors (rpc-v1, v3,
#      catalog, responses) run through the installed package from a folder outside the repo;
#   3. the sdist installed with plain `pip install camskit-*.tar.gz` (a Rust build from source,
#      maturin fetched by pip's build isolation) into a fresh venv, and the same check.
#   4. an aarch64 wheel, when built: the same check on Debian's arm64 CPython under qemu-user.
# A musllinux wheel is only audited: no musl CPython can be had here (packaging/README.md).
# Runs from any cwd; needs build-wheels.sh to have run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools="$root/.tools"
out=${CAMSKIT_WHEELS_OUT:-$root/target/wheels-portable}
vectors="$root/tests/vectors"
aw="$tools/py-wheels/bin/auditwheel"
[ -x "$aw" ] || "$tools/py-wheels/bin/pip" install -q --disable-pip-version-check auditwheel
status=0
fail() { echo "FAIL: $*"; status=1; }

shopt -s nullglob
wheels=("$out"/camskit-*.whl)
sdists=("$out"/camskit-*.tar.gz)
[ ${#wheels[@]} -gt 0 ] || { echo "no wheels in $out: run build-wheels.sh first" >&2; exit 1; }

# A folder outside the repository: `import camskit` there can only find the installed package.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/check_installed.py" "$work/"

echo "== auditwheel $("$aw" --version | awk '{print $2; exit}') show"
for w in "${wheels[@]}"; do
  name=$(basename "$w")
  case $name in
    *musllinux*)
      # On this glibc host auditwheel would resolve the NEEDED `libc.so` to glibc's linker
      # script and crash; point it at Debian's musl (package musl) or at nothing.
      ld=/usr/lib/x86_64-linux-musl; [ -d "$ld" ] || ld="$work"
      report=$("$aw" show --ldpaths "$ld" "$w" 2>&1) || true
      echo "$report"
      # zig's musl has no SONAME, so the extension needs `libc.so` (not Alpine's
      # libc.musl-x86_64.so.1): auditwheel counts it as external and says linux_x86_64. musl's
      # loader maps every libc.* name to itself, so it loads; anything else external is a failure.
      ext=$(printf '%s\n' "$report" | grep -oE '"[^"]+\.so[^"]*": ' | tr -d '": ' | sort -u | tr '\n' ' ')
      [ "$ext" = "libc.so " ] || fail "$name: external libraries besides libc.so: $ext"
      ;;
    *)
      arch=$(printf '%s' "$name" | sed -E 's/.*manylinux_2_17_([a-z0-9_]+)\.whl$/\1/')
      report=$("$aw" show "$w" 2>&1) || true
      echo "$report"
      printf '%s' "$report" | tr '\n' ' ' | grep -q "consistent with the following platform tag: \"manylinux_2_17_$arch\"" ||
        fail "$name: auditwheel does not find it consistent with manylinux_2_17_$arch"
      ;;
  esac
  echo
done

# The oldest and the newest CPython >= 3.10 on the machine.
pythons=()
mapfile -t found < <(ls -d /root/.pyenv/versions/3.*/bin/python 2>/dev/null |
  while read -r p; do v=$(basename "$(dirname "$(dirname "$p")")"); echo "$v $p"; done |
  awk '{split($1,a,"."); if (a[1]==3 && a[2]>=10) print}' | sort -V | awk '{print $2}')
if [ ${#found[@]} -gt 0 ]; then
  pythons=("${found[0]}")
  [ ${#found[@]} -gt 1 ] && pythons+=("${found[-1]}")
else
  pythons=("$(command -v python3)")
fi

check_in_venv() {  # check_in_venv PYTHON VENV WHAT PIP_ARGS...
  local py=$1 venv=$2 what=$3
  shift 3
  rm -rf "$venv"
  "$py" -m venv "$venv"
  if ! "$venv/bin/pip" install -q --disable-pip-version-check "$@" >"$venv.log" 2>&1; then
    tail -n 20 "$venv.log"; fail "$what: pip install failed"; return
  fi
  (cd "$work" && "$venv/bin/python" check_installed.py "$vectors") || fail "$what: vectors"
}

for w in "${wheels[@]}"; do
  case $(basename "$w") in *manylinux*_x86_64.whl) ;; *) continue ;; esac
  for py in "${pythons[@]}"; do
    ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    echo "== $(basename "$w") on Python $ver ($py)"
    check_in_venv "$py" "$tools/wheel-test-$ver" "wheel on $ver" --no-index "$w"
  done
done

# aarch64: Debian's arm64 CPython 3.11 under qemu-user (no binfmt, no chroot needed): the arm64
# packages are unpacked by `debootstrap --foreign` into <repo>/.tools/arm64-root (~230 MB, ~1 min
# once), the wheel is unzipped into a venv of that Python.
for w in "${wheels[@]}"; do
  case $(basename "$w") in *_aarch64.whl) ;; *) continue ;; esac
  r="$tools/arm64-root"
  if ! command -v qemu-aarch64-static >/dev/null || ! command -v debootstrap >/dev/null; then
    { [ "$(id -u)" -eq 0 ] && apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        qemu-user-static debootstrap >/dev/null; } || { fail "aarch64: cannot install qemu-user-static"; continue; }
  fi
  if [ ! -x "$r/usr/bin/python3.11" ]; then
    rm -rf "$r"
    debootstrap --foreign --arch=arm64 --variant=minbase \
      --include=python3.11-minimal,libpython3.11-stdlib bookworm "$r" http://deb.debian.org/debian >"$r.log" 2>&1 ||
      { tail -n 5 "$r.log"; fail "aarch64: debootstrap"; continue; }
    for d in "$r"/var/cache/apt/archives/{python3.11-minimal,libpython3.11-minimal,libpython3.11-stdlib,libexpat1,libffi8}_*.deb; do
      dpkg -x "$d" "$r"
    done
    ln -sf ../usr/lib/ld-linux-aarch64.so.1 "$r/lib/ld-linux-aarch64.so.1"
  fi
  q=(qemu-aarch64-static -L "$r" -E "LD_LIBRARY_PATH=$r/usr/lib/aarch64-linux-gnu")
  venv="$tools/wheel-test-arm64"
  rm -rf "$venv"
  "${q[@]}" "$r/usr/bin/python3.11" -m venv --without-pip "$venv"
  python3 -m zipfile -e "$w" "$venv/lib/python3.11/site-packages"
  echo "== $(basename "$w") on Debian arm64 Python 3.11 under qemu-aarch64-static"
  (cd "$work" && "${q[@]}" "$venv/bin/python" check_installed.py "$vectors") || fail "aarch64 wheel: vectors"
done

if [ ${#sdists[@]} -gt 0 ]; then
  py=${pythons[-1]}
  ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  sdist=${sdists[0]}
  echo "== $(basename "$sdist"): contents, then pip install (build from source) on Python $ver"
  listing=$(tar tzf "$sdist")
  # The path crates the binding builds from: core, answers, nonce-pool (maturin copies the
  # path dependencies it reaches from bindings-python/Cargo.toml).
  for f in Cargo.toml Cargo.lock pyproject.toml core/Cargo.toml core/src/lib.rs \
           answers/Cargo.toml answers/src/lib.rs nonce-pool/Cargo.toml nonce-pool/src/lib.rs \
           bindings-python/Cargo.toml bindings-python/src/lib.rs python/camskit/__init__.py; do
    # A here-string, not a pipe: grep -q stops at the first match, and under pipefail the
    # writer's SIGPIPE (a listing longer than the pipe's buffer) would read as "missing".
    grep -qx "camskit-[^/]*/$f" <<<"$listing" || fail "sdist lacks $f"
  done
  echo "sdist: $(printf '%s\n' "$listing" | wc -l) files, core, answers and nonce-pool crates included"
  t0=$(date +%s)
  # Its own target folder: the build runs in pip's temporary copy, so only the registry crates
  # are reused between runs; the core and binding crates are compiled from the sdist each time.
  sdist_target="${CARGO_TARGET_DIR:-$root/target}/sdist-build"
  # camskit's own crates are rebuilt every time, and pip's wheel cache is not used: an sdist's
  # files carry fixed times, so neither cargo's fingerprints nor pip's cache key told a new
  # sdist from the last one (a stale native module was installed once).
  find "$sdist_target" -path '*/.fingerprint/camskit*' -prune -exec rm -rf {} + 2>/dev/null || true
  CARGO_TARGET_DIR="$sdist_target" \
    check_in_venv "$py" "$tools/sdist-test-$ver" "sdist on $ver" --no-cache-dir "$sdist"
  echo "sdist build + install + check: $(( $(date +%s) - t0 )) s"
else
  fail "no sdist in $out"
fi

[ $status -eq 0 ] && echo "portable wheels and sdist: all checks passed"
exit $status

#!/usr/bin/env bash
# Builds the camskit wheel (maturin, abi3) and runs every Python test against it, installed into
# a fresh venv for the oldest and the newest Python available (pyenv 3.10 and 3.13; python3 when
# pyenv is absent). Installs what it needs into <repo>/.tools (gitignored); runs from any cwd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tools="$root/.tools"
wheels="${CARGO_TARGET_DIR:-$root/target}/wheels-py"
mkdir -p "$tools"

# Debian's python3 needs python3-venv for `python3 -m venv` (ensurepip).
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq python3-venv >/dev/null
  else
    echo "python3 cannot create venvs (install python3-venv)" >&2; exit 1
  fi
fi

# Build tools: maturin in its own venv (skipped when already there).
if [ ! -x "$tools/py-build/bin/maturin" ]; then
  python3 -m venv "$tools/py-build"
  "$tools/py-build/bin/pip" install -q --disable-pip-version-check "maturin>=1.9,<2"
fi

echo "== building the wheel"
rm -rf "$wheels"
"$tools/py-build/bin/maturin" build --release -m "$here/Cargo.toml" -o "$wheels" 2>&1 | tail -n 3
wheel=$(ls "$wheels"/camskit-*.whl)
echo "wheel: $(basename "$wheel") ($(( $(stat -c %s "$wheel") / 1024 )) KiB)"

# The oldest and the newest supported Python on this machine.
pythons=()
for v in 3.10 3.13; do
  found=$(ls -d /root/.pyenv/versions/"$v".*/bin/python 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && pythons+=("$found")
done
[ ${#pythons[@]} -eq 0 ] && pythons=("$(command -v python3)")

status=0
for py in "${pythons[@]}"; do
  ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  venv="$tools/py-test-$ver"
  echo "== Python $ver ($py): fresh venv, wheel installed, pytest"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  # requests and httpx: client.call over each (tests/test_calls.py), from PyPI.
  "$venv/bin/pip" install -q --disable-pip-version-check pytest mypy requests httpx
  # pyright (tests/test_answers.py): the PyPI wrapper runs the npm package with the machine's
  # node. Optional: without it those tests are skipped, and this says so.
  if "$venv/bin/pip" install -q --disable-pip-version-check pyright >/dev/null 2>&1 \
      && "$venv/bin/python" -m pyright --version >/dev/null 2>&1; then
    echo "pyright: $("$venv/bin/python" -m pyright --version 2>/dev/null | tail -n 1)"
  else
    echo "pyright: not available here (node or the package missing): its tests are skipped"
    "$venv/bin/pip" uninstall -q -y pyright >/dev/null 2>&1 || true
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check --no-index "$wheel"
  # Run from a neutral folder so the source tree's python/camskit cannot shadow the wheel.
  if ! (cd "$tools" && "$venv/bin/python" -m pytest -q -p no:cacheprovider "$here/tests" 2>&1 | tee "$venv/pytest.log" | tail -n 15); then
    status=1
  fi
  summary=$(grep -E "^(=+ )?[0-9]+ (passed|failed)|(passed|failed|error).* in [0-9.]+s" "$venv/pytest.log" | tail -n 1 || true)
  echo "Python $ver: ${summary:-no pytest summary}"
  # Any non-zero count of failures or errors (the shared cases print "N passed, 0 failed").
  grep -qE "(^|[^0-9])[1-9][0-9]* (failed|error)" "$venv/pytest.log" && status=1
  grep -qE "[0-9]+ passed" "$venv/pytest.log" || status=1
done
exit $status

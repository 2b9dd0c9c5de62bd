#!/usr/bin/env bash
# camskit vs Alibaba's official Python signers (run by hand; never part of test.sh).
# Builds the wheel, installs it with alibabacloud_tea_openapi, aliyun-python-sdk-core and
# alibabacloud_cams20200606 into a throwaway venv under <repo>/.tools, and runs bench.py.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/.." && pwd)
venv="$root/.tools/bench-venv"
wheels="$root/target/wheels-py"
if [ ! -x "$root/.tools/py-build/bin/maturin" ]; then
  python3 -m venv "$root/.tools/py-build"
  "$root/.tools/py-build/bin/pip" install -q "maturin>=1.9,<2"
fi
rm -f "$wheels"/camskit-*.whl
"$root/.tools/py-build/bin/maturin" build --release -m "$here/Cargo.toml" -o "$wheels" >/dev/null 2>&1
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check alibabacloud_tea_openapi aliyun-python-sdk-core alibabacloud_cams20200606
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheels"/camskit-*.whl
cd "$root/.tools" && "$venv/bin/python" "$here/bench/bench.py" --wheel-dir "$wheels" "$@"

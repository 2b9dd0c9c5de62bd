#!/usr/bin/env bash
# Regenerates core/src/catalog/generated/data.rs and tests/mock-cams/catalog.json from the official
# CAMS SDK description (PyPI alibabacloud-cams20200606, pinned), installed into a throwaway venv.
#   tools/gen-catalog.sh            # writes into the repository
#   tools/gen-catalog.sh OUT_ROOT   # writes OUT_ROOT/core/src/catalog/generated/data.rs etc. (to compare)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check alibabacloud-cams20200606==5.3.1
args=(--root "$root")
[ $# -ge 1 ] && args+=(--out-root "$1")
"$work/venv/bin/python" "$root/tools/catalog/gen_catalog.py" "${args[@]}"

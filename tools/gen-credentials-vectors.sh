#!/usr/bin/env bash
# Regenerates tests/vectors/credentials.json from Alibaba's official alibabacloud-credentials,
# installed (pinned) into a throwaway venv. Needs PyPI; the recording itself runs offline.
#   tools/gen-credentials-vectors.sh            # writes tests/vectors/credentials.json
#   tools/gen-credentials-vectors.sh OUT_FILE   # writes elsewhere (CI diffs it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/tests/vectors/credentials.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
  alibabacloud-credentials==1.0.12 alibabacloud-tea==0.4.3
env -i PATH="$PATH" HOME="$work" "$work/venv/bin/python" "$root/tools/credentials/record.py" --out "$out"

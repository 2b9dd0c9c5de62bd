#!/usr/bin/env bash
# Regenerates tests/vectors/rpc-v1.json and tests/vectors/v3.json from Alibaba's official
# signers, installed (pinned) into a throwaway venv and npm folder. Needs PyPI and npm.
#   tools/gen-vectors.sh            # writes tests/vectors/
#   tools/gen-vectors.sh OUT_DIR    # writes elsewhere (CI diffs it with the committed files)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/tests/vectors}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
  alibabacloud-tea-openapi==0.4.6 alibabacloud-cams20200606==5.3.1 \
  aliyun-python-sdk-core==2.16.1 darabonba-core==1.0.9 alibabacloud-credentials==1.0.12
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @alicloud/openapi-util@0.3.3 >/dev/null)
node_versions=$(cd "$work" && node -e 'console.log(JSON.stringify({"@alicloud/openapi-util": require("@alicloud/openapi-util/package.json").version}))')
"$work/venv/bin/python" "$root/tools/vectors/record.py" --out "$out" --node-dir "$work" --node-versions "$node_versions"

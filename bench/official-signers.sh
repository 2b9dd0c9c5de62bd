#!/usr/bin/env bash
# Times the same signed ChatappMigrationRegister request in one run: camskit's Rust core
# (core/examples/sign_loop.rs, release) and Alibaba's official Python and Node signers
# (installed, pinned, into a throwaway venv and npm folder). Prints ns per request and ratios.
#   bench/official-signers.sh [N]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check alibabacloud-tea-openapi==0.4.6 aliyun-python-sdk-core==2.16.1
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @alicloud/openapi-util@0.3.3 >/dev/null)
cargo build --quiet --release -p camskit --example sign_loop
rust_start=$(date +%s%N)
"$root/target/release/examples/sign_loop" "$n" >/dev/null
rust_ns=$(( ($(date +%s%N) - rust_start) / n ))
{
  printf '%s\tcamskit core (Rust, release)\n' "$rust_ns"
  "$work/venv/bin/python" "$root/bench/official_py.py" 20000
  NODE_PATH="$work/node_modules" node "$root/bench/official_node.cjs" 20000
} | awk -F'\t' -v base="$rust_ns" '{ printf "%8d ns  %6.1fx  %s\n", $1, $1 / base, $2 }'

#!/usr/bin/env bash
# Regenerates the typed CAMS answers from the official SDK's response models (PyPI
# alibabacloud-cams20200606, pinned), installed into a throwaway venv:
#   tests/vectors/answers.json  answers/src/generated/answers.rs  answers/generated/answers.{d.ts,pyi}
#   bindings-uniffi/src/answers.rs (the Kotlin/Swift records of the operations in UNIFFI_OPS)
#   bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift (Swift Codable structs, every
#     operation; tools/answers/gen_swift.py, from the answers.json written just before)
#   bindings-uniffi/kotlin/generated/CamsAnswers.kt (Kotlin data classes of every answer)
#   tools/gen-answers.sh            # writes into the repository
#   tools/gen-answers.sh OUT_ROOT   # writes OUT_ROOT/tests/vectors/answers.json etc. (to compare)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check alibabacloud-cams20200606==5.3.1
args=(--root "$root")
[ $# -ge 1 ] && args+=(--out-root "$1")
"$work/venv/bin/python" "$root/tools/answers/gen_answers.py" "${args[@]}"
out=${1:-$root}
"$work/venv/bin/python" "$root/tools/answers/gen_swift.py" --answers "$out/tests/vectors/answers.json" \
  --out "$out/bindings-uniffi/swift/Sources/CamsKit/CamsKitAnswers.swift"

#!/usr/bin/env bash
# Checks that answers/generated/answers.d.ts and answers.pyi are valid and useful:
#   TypeScript: tsc --strict --noEmit on type-tests/use.ts (must pass) and on each negative file
#               type-tests/wrong-*.ts (must fail);
#   Python:     mypy --strict on type-tests/use_answers.py (must pass) and type-tests/wrong_*.py (must fail).
# typescript and mypy are installed into answers/.tools (ignored by git), once.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/.tools"
mkdir -p "$tools"
passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

if [ ! -x "$tools/node_modules/.bin/tsc" ]; then
  npm install --silent --no-audit --no-fund --prefix "$tools" typescript@5 >/dev/null
fi
tsc() { "$tools/node_modules/.bin/tsc" --strict --noEmit --target es2020 --module commonjs --skipLibCheck false "$@"; }
if out=$(tsc "$here/generated/answers.d.ts" "$here/type-tests/use.ts" 2>&1); then ok "tsc: answers.d.ts + use.ts"; else echo "$out"; bad "tsc: use.ts"; fi
for f in "$here"/type-tests/wrong-*.ts; do
  want=$(sed -n 's/.*(must name: \(.*\)).*/\1/p' "$f" | head -1)
  if out=$(tsc "$f" 2>&1); then bad "tsc accepted $(basename "$f")"
  elif ! grep -q -- "$want" <<<"$out"; then echo "$out"; bad "tsc refused $(basename "$f") but not for $want"
  else ok "tsc refuses $(basename "$f"): $(grep -m1 -o 'error TS[0-9]*: .*' <<<"$out" | cut -c1-110)"; fi
done

if [ ! -x "$tools/venv/bin/mypy" ]; then
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check mypy
fi
mypy() { (cd "$here/type-tests" && MYPYPATH="$here/generated" "$tools/venv/bin/mypy" --strict --no-incremental --cache-dir=/dev/null "$@"); }
if out=$(mypy "$here/generated/answers.pyi" 2>&1); then ok "mypy: answers.pyi"; else echo "$out" | tail -5; bad "mypy: answers.pyi"; fi
if out=$(mypy use_answers.py 2>&1); then ok "mypy: use_answers.py"; else echo "$out" | tail -5; bad "mypy: use_answers.py"; fi
for f in "$here"/type-tests/wrong_*.py; do
  want=$(sed -n 's/.*(must name: \(.*\)).*/\1/p' "$f" | head -1)
  if out=$(mypy "$(basename "$f")" 2>&1); then bad "mypy accepted $(basename "$f")"
  elif ! grep -q -- "$want" <<<"$out"; then echo "$out"; bad "mypy refused $(basename "$f") but not for $want"
  else ok "mypy refuses $(basename "$f"): $(grep -m1 'error:' <<<"$out" | cut -c1-110)"; fi
done
echo "types: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

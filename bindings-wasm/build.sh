#!/usr/bin/env bash
# Builds the npm package `camskit` into bindings-wasm/pkg/ (Node + browser), from any cwd.
#
#   bindings-wasm/build.sh            # build (installs what is missing, see below)
#   CAMSKIT_WASM_ROUTE=debian-web|rustup bindings-wasm/build.sh   # force a route
#
# Route: the plain rustup target when `rustup target list --installed` has
# wasm32-unknown-unknown; otherwise Debian's rustc-web 1.96 with -Zbuild-std (see
# ../shared/TOOLCHAIN.md, "wasm32-unknown-unknown without a rustup target"). The size
# profile `wasm-release` is defined here with --config (the root Cargo.toml holds the
# workspace's profiles; this one only concerns the .wasm).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PKG="$HERE/pkg"
cd "$REPO"

log() { printf 'build.sh: %s\n' "$*" >&2; }

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
apt_install() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# --- the route -------------------------------------------------------------------------------
ROUTE="${CAMSKIT_WASM_ROUTE:-}"
if [ -z "$ROUTE" ]; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    ROUTE=rustup
  else
    ROUTE=debian-web
  fi
fi

PROFILE=wasm-release
PROFILE_FLAGS=(
  --config "profile.$PROFILE.inherits=\"release\""
  --config "profile.$PROFILE.opt-level=$(l="${CAMSKIT_WASM_OPT_LEVEL:-z}"; case "$l" in [0-3]) echo "$l" ;; *) echo "\"$l\"" ;; esac)"
  --config "profile.$PROFILE.lto=true"
  --config "profile.$PROFILE.codegen-units=1"
  --config "profile.$PROFILE.panic=\"abort\""
  --config "profile.$PROFILE.strip=\"debuginfo\""
)
# Size first, except where the time goes: the hashes (SHA-1 at opt-level "z" is ~5x slower: its
# rounds are not inlined) and alloc (+0.3 KB gzipped, ~4% faster signing: String appends).
# CAMSKIT_WASM_HOT_CRATES="camskit sha1 ..." to change the set. Measured 2026-11-26 (node
# bench/bench.mjs): adding "camskit camskit-wasm" signs ~2x faster (3.4 vs 6.4 us per raw
# signPacked call) but the .wasm grows to ~113 KB gzipped, over the 100 KB budget.
HOT_LEVEL="${CAMSKIT_WASM_HOT_OPT_LEVEL:-3}"
case "$HOT_LEVEL" in [0-3]) ;; *) HOT_LEVEL="\"$HOT_LEVEL\"" ;; esac   # "s" and "z" are TOML strings
for crate in ${CAMSKIT_WASM_HOT_CRATES:-sha1 sha2 hmac digest block-buffer alloc}; do
  PROFILE_FLAGS+=(--config "profile.$PROFILE.package.$crate.opt-level=$HOT_LEVEL")
done

case "$ROUTE" in
  rustup)
    log "route: rustup target wasm32-unknown-unknown (stable toolchain)"
    CARGO=(cargo)
    BUILD_STD=()
    ;;
  debian-web)
    log "route: Debian rustc-web + -Zbuild-std (no rustup wasm32 target installed)"
    apt_install rustc-web cargo-web rust-web-src lld-19
    if ! rustup toolchain list | grep -q '^debian-web'; then
      rustup toolchain link debian-web /usr
    fi
    export RUSTC_BOOTSTRAP=1
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-19
    CARGO=(cargo +debian-web)
    # std is rebuilt anyway: with its `optimize_for_size` feature (smaller sorts and string
    # searches: lean .wasm 99.9 -> 94.5 KB gzipped, 2026-12-06), and panics that abort without
    # their formatting machinery or their source locations (smaller .wasm; camskit never panics
    # on input, bad input is an error value). CAMSKIT_WASM_STD_FEATURES= (empty) turns the
    # feature off.
    BUILD_STD=(-Zbuild-std=std,panic_abort)
    STD_FEATURES="${CAMSKIT_WASM_STD_FEATURES-optimize_for_size}"
    if [ -n "$STD_FEATURES" ]; then BUILD_STD+=("-Zbuild-std-features=$STD_FEATURES"); fi
    # --cfg camskit_speed: core's answer scan (its byte scanner, the envelope reader) is
    # optimized for speed inside this size-first build (`#[optimize(speed)]`, a nightly
    # attribute this route may use): Node's seed-answer parse ~1.11 -> ~1.03 us, the lean .wasm
    # +89 B gzipped (2026-12-07, bench/parse-compare.mjs against the build without it).
    # -Ctarget-feature=-multivalue: exports return one value, and results come back through
    # memory (wasm-bindgen's return pointer). With multivalue on (rustc's default since 1.82),
    # wasm-bindgen turns every export that returns a string, a Result or a pair into a function
    # with several results, and Node 20's V8 compiles a JS-to-wasm wrapper with TurboFan for
    # each such signature (25 in the full .wasm; `perf`: JSToWasmWrapperCompilationUnit) while
    # it compiles the module, on the import's path. Without them (2026-12-07, median of 10
    # processes): `new WebAssembly.Module` of the full .wasm 7.1 -> 3.7 ms, the cold start
    # (import + client + first sign) ~3.4 ms shorter; signing, the seed-answer parse and
    # parsePush measured the same (bench/parse-compare.mjs, both orders); the glue grows
    # (index.node.js 63.5 -> 74.2 KB: the return-pointer reads), the .wasm files by < 1 KB gzipped.
    # (The rustup route, not runnable here, links a prebuilt std compiled with multivalue: that
    # build likely keeps it.)
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:--Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none --cfg camskit_speed -Ctarget-feature=-multivalue}"
    ;;
  *) log "unknown route $ROUTE"; exit 2 ;;
esac
export CAMSKIT_WASM_ROUTE="$ROUTE"

# --- wasm-bindgen-cli, the exact version of Cargo.lock -----------------------------------------
# shellcheck source=/dev/null
source "$HERE/scripts/wasm-bindgen-env.sh"

# wasm-opt (binaryen from npm: Debian's binaryen 108 is too old for wasm-bindgen's output).
# CAMSKIT_WASM_OPT=0 skips it.
BINARYEN="$REPO/.tools/npm/node_modules/binaryen/bin/wasm-opt"
if [ "${CAMSKIT_WASM_OPT:-1}" != 0 ] && [ ! -x "$BINARYEN" ]; then
  log "npm install binaryen@132.0.0 into .tools/npm (wasm-opt)"
  mkdir -p "$REPO/.tools/npm"
  [ -f "$REPO/.tools/npm/package.json" ] || echo '{ "private": true }' > "$REPO/.tools/npm/package.json"
  (cd "$REPO/.tools/npm" && npm install --no-audit --no-fund --loglevel=error binaryen@132.0.0)
fi

WASM="${CARGO_TARGET_DIR:-$REPO/target}/wasm32-unknown-unknown/$PROFILE/camskit_wasm.wasm"
# One .wasm of this crate with the cargo feature arguments given, as `OUT/camskit_wasm.js` (the
# wasm-bindgen glue, ES module: `--target web`) and `OUT/camskit_wasm_bg.wasm` (after wasm-opt).
# The builds share one profile and target: only camskit-wasm and the final link are redone when
# the features change (core and std are compiled once).
wasm_variant() {
  local out="$1"; shift
  "${CARGO[@]}" build --target wasm32-unknown-unknown "${BUILD_STD[@]}" \
    "${PROFILE_FLAGS[@]}" --profile "$PROFILE" -p camskit-wasm "$@"
  rm -rf "$out"
  mkdir -p "$out"
  "$WASM_BINDGEN" --remove-name-section --remove-producers-section --target web --out-dir "$out" "$WASM"
  if [ "${CAMSKIT_WASM_OPT:-1}" != 0 ]; then
    local f="$out/camskit_wasm_bg.wasm"
    # --converge: -Oz again until the output stops shrinking (2026-12-07: lean 99,156 -> 98,896 B
    # gzipped, full 204,325 -> 203,768; ~8 s more for the full build).
    node "$BINARYEN" -Oz --converge --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
      --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue "$f" -o "$f.opt"
    mv "$f.opt" "$f"
  fi
}
# "raw bytes, gzipped (gzip -9) bytes" of a .wasm.
wasm_size() {
  printf '%s bytes, %s gzipped' "$(stat -c %s "$1")" "$(gzip -9 -c "$1" | wc -c)"
}

rm -rf "$PKG"
# One glue for Node and browsers (ES module, `--target web`): Node's entry compiles the .wasm with
# `initSync` at import, so the package carries one copy of each .wasm and no CommonJS loader.
# The lean build first (`camskit/lean`: sign + parse, no default features), then the full one
# (`camskit`, every feature), so the crate's artifact left in the target dir is the full one.
wasm_variant "$PKG/lean" --no-default-features
wasm_variant "$PKG/web"

# CAMSKIT_WASM_SIZES=1: also build the steps between lean and full, one feature set more at a
# time (README.md, "Sizes per feature"), and print the table. ~1 min per step on 2 cores.
if [ "${CAMSKIT_WASM_SIZES:-0}" = 1 ]; then
  SIZES_DIR="${CARGO_TARGET_DIR:-$REPO/target}/camskit-wasm-sizes"
  steps=("typed" "typed,call" "typed,call,chain" "typed,call,chain,receipts")
  for f in "${steps[@]}"; do wasm_variant "$SIZES_DIR/$f" --no-default-features --features "$f"; done
  {
    echo "| build (cargo features) | .wasm bytes | gzip -9 bytes |"
    echo "|---|---:|---:|"
    row() { printf '| %s | %s | %s |\n' "$1" "$(stat -c %s "$2")" "$(gzip -9 -c "$2" | wc -c)"; }
    row "lean: sign + parse (--no-default-features)" "$PKG/lean/camskit_wasm_bg.wasm"
    for f in "${steps[@]}"; do row "+ $f" "$SIZES_DIR/$f/camskit_wasm_bg.wasm"; done
    row "full: + mns (default)" "$PKG/web/camskit_wasm_bg.wasm"
  } | tee "$SIZES_DIR/table.md" >&2
fi

cp "$HERE"/js/*.js "$HERE"/js/*.d.ts "$PKG/"
cp "$HERE/README.md" "$PKG/README.md"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' "$REPO/Cargo.toml" | head -1)"
# The manifest: bindings-wasm/package.json with the workspace's version.
node -e 'const fs = require("fs"); const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  m.version = process.argv[3]; fs.writeFileSync(process.argv[2], JSON.stringify(m, null, 2) + "\n");' \
  "$HERE/package.json" "$PKG/package.json" "$VERSION"

# The types: generated from the catalog the .wasm was built with.
node "$HERE/scripts/gen-dts.mjs" "$PKG"

# Node's entry as ONE module: each extra ES module file costs Node's loader a resolve, an async
# read and a compile (bundled, `import + client + first sign` measured 39 -> 32 ms on this
# machine; 28 ms with the whitespace out, below). esbuild (npm, pinned) inlines camskit.js (and its errors.js, http.js, packed.js) and the glue; browsers
# and bundlers keep the separate files of index.web.js.
ESBUILD="$REPO/.tools/npm/node_modules/.bin/esbuild"
ESBUILD_VERSION=0.28.2  # the one packaging/npm/test-tarball.sh bundles its browser page with
if [ ! -x "$ESBUILD" ] || ! grep -q "\"version\": \"$ESBUILD_VERSION\"" "$REPO/.tools/npm/node_modules/esbuild/package.json"; then
  log "npm install esbuild@$ESBUILD_VERSION into .tools/npm (Node entry bundle)"
  mkdir -p "$REPO/.tools/npm"
  [ -f "$REPO/.tools/npm/package.json" ] || echo '{ "private": true }' > "$REPO/.tools/npm/package.json"
  (cd "$REPO/.tools/npm" && npm install --no-audit --no-fund --loglevel=error "esbuild@$ESBUILD_VERSION")
fi
# Whitespace and comments out too (names kept, so stack traces and error class names read as in
# the sources): Node parses 43 KB instead of 69 KB (JS phase ~12 -> ~8 ms). The readable
# sources ship beside it (camskit.js, the browsers' entry).
# errors.js is inlined too (one module less: ~1 ms of cold start, measured 2026-12-07): each
# entry evaluates its copy, and the copies share one set of classes through errors.js's
# registry, so `camskit` and `camskit/lean` still throw the same error classes (an error from
# either is `instanceof` the classes both export; tests/lean.test.mjs).
for entry in index.node lean.node; do
  "$ESBUILD" "$PKG/$entry.js" --bundle --format=esm --platform=node --target=node20 \
    --minify-whitespace --minify-syntax \
    --legal-comments=none --log-level=warning --outfile="$PKG/$entry.bundle.js" \
    --banner:js="// camskit for Node: js/$entry.js with camskit.js, errors.js, node.js, http.js, packed.js, receipts.js and the wasm glue inlined (build.sh); errors.js's classes are shared with the other entry through its registry."
  mv "$PKG/$entry.bundle.js" "$PKG/$entry.js"
done

log "built $PKG (route $ROUTE)"
log "  camskit      web/camskit_wasm_bg.wasm  $(wasm_size "$PKG/web/camskit_wasm_bg.wasm")"
log "  camskit/lean lean/camskit_wasm_bg.wasm $(wasm_size "$PKG/lean/camskit_wasm_bg.wasm") (goal: at most 100 KB gzipped, issue 27)"

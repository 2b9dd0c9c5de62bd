# Sourced by build.sh and test.sh: sets WASM_BINDGEN and WASM_BINDGEN_TEST_RUNNER to
# wasm-bindgen-cli of exactly the wasm-bindgen version in Cargo.lock, installing it under
# <repo>/.tools/ when missing (`cargo install` without --locked: see ../shared/TOOLCHAIN.md).
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO/Cargo.lock")"
if [ -z "$WBG_VERSION" ]; then echo "wasm-bindgen not found in Cargo.lock" >&2; exit 1; fi
WBG_ROOT="$REPO/.tools/wasm-bindgen-$WBG_VERSION"
if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WBG_VERSION" ] \
   && command -v wasm-bindgen-test-runner >/dev/null; then
  WASM_BINDGEN="$(command -v wasm-bindgen)"
  WASM_BINDGEN_TEST_RUNNER="$(command -v wasm-bindgen-test-runner)"
else
  if [ ! -x "$WBG_ROOT/bin/wasm-bindgen" ] || [ ! -x "$WBG_ROOT/bin/wasm-bindgen-test-runner" ]; then
    echo "installing wasm-bindgen-cli $WBG_VERSION into $WBG_ROOT (a few minutes, once)" >&2
    cargo install wasm-bindgen-cli --version "=$WBG_VERSION" --root "$WBG_ROOT"
  fi
  WASM_BINDGEN="$WBG_ROOT/bin/wasm-bindgen"
  WASM_BINDGEN_TEST_RUNNER="$WBG_ROOT/bin/wasm-bindgen-test-runner"
fi
export WASM_BINDGEN WASM_BINDGEN_TEST_RUNNER

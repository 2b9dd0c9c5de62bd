// What camskit's browser entries (index.web.js: `camskit`, lean.web.js: `camskit/lean`) share:
// the API over one wasm-bindgen glue (ES module), usable once `await init()` has loaded the
// .wasm, with Web Crypto's randomness for nonces. Each entry only names its glue and its exports.
import { makeApi } from "./camskit.js";

/**
 * One browser entry: `glue` is the entry's wasm-bindgen module namespace (its default export
 * loads the .wasm), `entry` the name the entry is imported by (in the error a use before
 * `await init()` throws). Returns the API and the entry's `init`.
 */
export function webEntry(glue, entry) {
  let ready = false;
  const api = makeApi(() => {
    if (!ready) throw new Error(`camskit: call \`await init()\` once before using ${entry}`);
    return glue;
  }, globalThis.crypto);

  /**
   * Loads the WebAssembly module. `input` (optional): a URL, Response, BufferSource or
   * WebAssembly.Module of the entry's `camskit_wasm_bg.wasm`; by default it is fetched next to
   * the glue.
   */
  async function init(input) {
    if (ready) return;
    await glue.default(input === undefined ? undefined : { module_or_path: input });
    ready = true;
    api.installTyped(glue);
  }
  return { api, init };
}

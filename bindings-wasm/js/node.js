// What camskit's Node entries (index.node.js: `camskit`, lean.node.js: `camskit/lean`) share
// (nodeEntry: the .wasm compiled at import, the API over it) and need of Node: the built-ins (from `process.getBuiltinModule`: an ES `import` of `node:fs` builds a
// facade that loads fs streams, ~4 ms), file reads for the credentials chain, and nonces from
// the OS's random device read in blocks (Web Crypto's first use loads Node's whole webcrypto
// layer, ~4-6 ms). Inlined into each entry's bundle by build.sh (esbuild).
import { makeApi } from "./camskit.js";
import { CredentialsError } from "./errors.js";

export const builtin = (name) => process.getBuiltinModule(name);
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What the default credentials chain needs of Node: file reads and the home directory. */
export const host = {
  /**
   * A file's UTF-8 text, or null when it is missing or unreadable. A file longer than `limit`
   * bytes (core's MAX_FILE_BYTES) or that is not a regular file (a FIFO, a device, a
   * directory) is refused with a CredentialsError naming it, never read without end.
   */
  async readFile(path, limit) {
    const fsp = builtin("node:fs/promises");
    const refuse = (why) => {
      const problem = `${path} ${why}`;
      return new CredentialsError({ message: `credentials: ${problem}`, errorCode: "credentials", category: "credentials", problem });
    };
    let st;
    try {
      st = await fsp.stat(path);
    } catch {
      return null;
    }
    if (!st.isFile()) throw refuse("is not a regular file");
    if (st.size > limit) throw refuse(`is larger than ${limit} bytes`);
    let bytes;
    try {
      bytes = await fsp.readFile(path);
    } catch {
      return null;
    }
    if (bytes.length > limit) throw refuse(`is larger than ${limit} bytes`);
    try {
      return utf8.decode(bytes);
    } catch {
      return null;
    }
  },
  home: (env) => (typeof env.HOME === "string" && env.HOME !== "" ? env.HOME : builtin("node:os").homedir()),
};

/**
 * `getRandomValues` from `/dev/urandom` (the kernel's CSPRNG, which Node's own crypto draws
 * from too), read 4 KiB at a time; each byte is handed out once and then zeroed. Where the
 * device cannot be read (Windows, a sandbox), Web Crypto.
 */
export function osRandom() {
  const fs = builtin("node:fs");
  const pool = new Uint8Array(4096);
  let used = pool.length;
  let device = true;
  const refill = () => {
    const fd = fs.openSync("/dev/urandom", "r");
    try {
      for (let off = 0; off < pool.length; ) {
        const n = fs.readSync(fd, pool, off, pool.length - off, null);
        if (n <= 0) throw new Error("camskit: /dev/urandom gave no bytes");
        off += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    used = 0;
  };
  return {
    getRandomValues(view) {
      if (device) {
        try {
          const out = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
          for (let i = 0; i < out.length; ) {
            if (used === pool.length) refill();
            const n = Math.min(out.length - i, pool.length - used);
            out.set(pool.subarray(used, used + n), i);
            pool.fill(0, used, used + n);
            used += n;
            i += n;
          }
          return view;
        } catch {
          device = false;
        }
      }
      return globalThis.crypto.getRandomValues(view);
    },
  };
}

/**
 * One Node entry: `glue` is the entry's wasm-bindgen module namespace, compiled now
 * (synchronously) from the .wasm file at `wasmUrl`; nonces from `osRandom()`, the default
 * environment `process.env`, and `chainHost` (`host` above: file reads, the home folder) for an
 * entry with the credentials chain. Returns the API and the entry's `init`, which has nothing
 * to do in Node (the module is ready at import) and is kept so code can run anywhere.
 */
export function nodeEntry(glue, wasmUrl, chainHost) {
  glue.initSync({ module: builtin("node:fs").readFileSync(wasmUrl) });
  const api = makeApi(() => glue, osRandom(), () => process.env, chainHost);
  api.installTyped(glue);
  return { api, init: async function init() {} };
}

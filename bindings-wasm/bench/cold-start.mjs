// Cold start in fresh Node processes: camskit against Alibaba's own CAMS client.
//
//   node cold-start.mjs                 # RUNS=21 fresh processes per contender, interleaved
//   RUNS=15 node cold-start.mjs --json  # one JSON object on stdout (run.sh / bench.mjs use it)
//   CAMSKIT_BASELINE=/tmp/old-pkg[:/tmp/other-pkg] node cold-start.mjs   # also older builds
//
// Three contenders always run, interleaved: `camskit` (the default entry, the full .wasm),
// `official`, and `lean` (`await import("camskit/lean")`: the sign-and-parse entry, the lean
// .wasm; the same phases as camskit's).
//
// A fourth, `floor`, is Node's own share, what no package can avoid: the same steps on a package
// with nothing in it (`camskit-floor`, written into node_modules by this script: the same
// package.json shape as camskit's, conditional exports and "type": "module", and a Client
// whose sign returns a constant). camskit's total minus the floor's is what camskit itself
// costs.
//
// `camskit` is imported by name, as an app does: from this folder's node_modules, where run.sh
// installs the packed tarball's files (a registry install's layout). After a plain `npm
// install` here it is npm's symlink to ../pkg, which Node's loader resolves through its real
// path: ~0.8 ms more.
//
// Each child times itself with performance.now() (milliseconds since the process's time
// origin, i.e. since Node started) and reports its phases; the parent also measures the whole
// process (spawn to exit). Every figure is the median over the runs; the contenders alternate
// (camskit, official, camskit, ...) so a load change hits both alike.
//
// camskit phases (inside `await import("camskit")`, split by wrapping WebAssembly.Module and
// WebAssembly.Instance and fs.readFileSync before the import):
//   import          the whole `await import("camskit")`
//     read          reading the .wasm (fs)
//     compile       new WebAssembly.Module(bytes)          (or WebAssembly.compile)
//     instantiate   new WebAssembly.Instance(...)          (the glue's imports, start)
//     js            the rest: module resolution, parsing and running the JS glue
//   client          new Client({ accessKeyId, accessKeySecret })
//   sign            the first client.sign("ChatappMigrationRegister", params) (now + random nonce)
//   total           import + client + sign
//   cpu             the process's CPU time (user + system, all threads) during `total`: less
//                   sensitive than wall time to other load on a shared machine
// official phases: `require("@alicloud/cams20200606")` and `@alicloud/openapi-client` (load),
// `new Client(new Config(...))` (client), the first `chatappMigrationRegister(...)` up to the
// signed request, with the network cut as bench.mjs does (sign).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const ID = "LTAI5tCamsKitVector01";
const SECRET = "VectorSecret0123456789abcdefABC";
const P = { CustSpaceId: "29348393884", PhoneNumber: "8613800001234" };

async function childCamskit(dir, entry = "camskit") {
  const t0 = performance.now();
  let read = 0;
  let compile = 0;
  let instantiate = 0;
  const fs = (await import("node:fs")).default;
  const readFileSync = fs.readFileSync;
  fs.readFileSync = function (p, ...rest) {
    const s = performance.now();
    try {
      return readFileSync.call(this, p, ...rest);
    } finally {
      if (String(p).endsWith(".wasm")) read += performance.now() - s;
    }
  };
  const timed = (C, add) => new Proxy(C, {
    construct(target, args) {
      const s = performance.now();
      try {
        return Reflect.construct(target, args);
      } finally {
        add(performance.now() - s);
      }
    },
  });
  const W = globalThis.WebAssembly;
  W.Module = timed(W.Module, (d) => { compile += d; });
  W.Instance = timed(W.Instance, (d) => { instantiate += d; });
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const { Client } = await import(dir === undefined ? entry : pathToFileURL(`${dir}/index.node.js`).href);
  const imported = performance.now();
  const client = new Client({ accessKeyId: ID, accessKeySecret: SECRET });
  const made = performance.now();
  const signed = client.sign("ChatappMigrationRegister", P);
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (!signed.url.includes("Signature=")) throw new Error("camskit did not sign");
  return {
    before: start,
    instrument: start - t0,
    import: imported - start,
    read,
    compile,
    instantiate,
    js: imported - start - read - compile - instantiate,
    client: made - imported,
    sign: end - made,
    total: end - start,
    cpu: (cpu.user + cpu.system) / 1000,
  };
}

async function childOfficial() {
  const { createRequire } = await import("node:module");
  const require = createRequire(import.meta.url);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const Cams = require("@alicloud/cams20200606");
  const OpenApi = require("@alicloud/openapi-client");
  // The network cut: the tea runtime's httpx (already loaded by the client) throws.
  const teaHttpx = createRequire(require.resolve("@alicloud/tea-typescript"))("httpx");
  const CUT = new Error("network cut");
  let sent;
  teaHttpx.request = async (url, options) => { sent = options; throw CUT; };
  const loaded = performance.now();
  const cams = new Cams.default(new OpenApi.Config({ accessKeyId: ID, accessKeySecret: SECRET, endpoint: "cams.ap-southeast-1.aliyuncs.com" }));
  const made = performance.now();
  try {
    await cams.chatappMigrationRegister(new Cams.ChatappMigrationRegisterRequest({ custSpaceId: P.CustSpaceId, phoneNumber: P.PhoneNumber }));
  } catch (e) {
    if (e !== CUT) throw e;
  }
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  if (!String(sent?.headers?.Authorization).startsWith("ACS3-HMAC-SHA256 ")) throw new Error("the official CAMS client did not sign");
  return {
    before: start, import: loaded - start, client: made - loaded, sign: end - made, total: end - start,
    cpu: (cpu.user + cpu.system) / 1000,
  };
}

const which = process.argv[2];
if (which?.startsWith("--child-")) {
  const r = which === "--child-official" ? await childOfficial()
    : which === "--child-lean" ? await childCamskit(undefined, "camskit/lean")
    : which === "--child-floor" ? await childCamskit(undefined, "camskit-floor")
    : await childCamskit(which === "--child-baseline" ? process.argv[3] : undefined);
  const nt = performance.nodeTiming;
  r.bootstrap = nt.bootstrapComplete;
  r.inProcess = performance.now();
  process.stdout.write(JSON.stringify(r) + "\n");
} else {
  const RUNS = Number(process.env.RUNS ?? 21);
  // NODE_EXTRA_CA_CERTS (set on some build machines) makes every Node process read a CA bundle
  // while it boots (~150 ms here), before either contender runs: left out of the children, so
  // that the whole-process figure says what a plain machine would (no child uses TLS).
  const CHILD_ENV = { ...process.env };
  delete CHILD_ENV.NODE_EXTRA_CA_CERTS;
  const json = process.argv.includes("--json");
  // The floor's package, written fresh (an `npm install` here may prune it as extraneous).
  const floorDir = join(dirname(SELF), "node_modules", "camskit-floor");
  mkdirSync(floorDir, { recursive: true });
  writeFileSync(join(floorDir, "package.json"), JSON.stringify({
    name: "camskit-floor", version: "0.0.0", private: true, type: "module", main: "./index.node.js",
    exports: { ".": { types: "./index.d.ts", node: "./index.node.js", default: "./index.web.js" } },
  }));
  writeFileSync(join(floorDir, "index.node.js"),
    "export class Client { constructor(o) { this.o = o; } sign(action, params) { return { url: `?Action=${action}&Signature=` }; } }\n");
  const names = ["camskit", "official", "lean", "floor"];
  const baselines = {};
  for (const [i, dir] of (process.env.CAMSKIT_BASELINE ?? "").split(":").filter(Boolean).entries()) {
    names.push(`baseline${i + 1}`);
    baselines[`baseline${i + 1}`] = dir;
  }
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  const walls = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = -1; i < RUNS; i++) {
    for (const name of names) {
      const s = process.hrtime.bigint();
      const args = name.startsWith("baseline") ? [SELF, "--child-baseline", baselines[name]] : [SELF, `--child-${name}`];
      const out = spawnSync(process.execPath, args, { encoding: "utf8", env: CHILD_ENV });
      const wall = Number(process.hrtime.bigint() - s) / 1e6;
      if (out.status !== 0) throw new Error(`${name} child failed: ${out.stderr}`);
      if (i < 0) continue; // one warm-up of the file cache
      runs[name].push(JSON.parse(out.stdout));
      walls[name].push(wall);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const summary = {};
  for (const name of Object.keys(runs)) {
    const s = { runs: runs[name].length, wall: median(walls[name]) };
    for (const k of Object.keys(runs[name][0])) s[k] = median(runs[name].map((r) => r[k]));
    summary[name] = s;
  }
  if (json) {
    process.stdout.write(JSON.stringify({ node: process.version, ...summary }) + "\n");
  } else {
    const f = (x) => (x === undefined ? "" : x.toFixed(2)).padStart(9);
    console.log(`cold start, node ${process.version}: medians of ${RUNS} fresh processes each (ms)`);
    const keys = ["bootstrap", "before", "import", "read", "compile", "instantiate", "js", "client", "sign", "total", "cpu", "inProcess", "wall"];
    console.log(`${"".padEnd(10)}${keys.map((k) => k.padStart(9)).join("")}`);
    for (const name of Object.keys(summary)) console.log(`${name.padEnd(10)}${keys.map((k) => f(summary[name][k])).join("")}`);
    const c = summary.camskit.total;
    const o = summary.official.total;
    const fl = summary.floor.total;
    console.log(`\nimport + client + first sign: camskit ${c.toFixed(1)} ms, official ${o.toFixed(1)} ms (${(o / c).toFixed(1)}x); camskit/lean ${summary.lean.total.toFixed(1)} ms`);
    console.log(`Node's floor (an empty package, the same steps) ${fl.toFixed(1)} ms: camskit's own share ${(c - fl).toFixed(1)} ms, camskit/lean's ${(summary.lean.total - fl).toFixed(1)} ms`);
  }
}

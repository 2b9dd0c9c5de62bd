#!/usr/bin/env python3
"""Linker wrapper: link the uniffi cdylib twice, the second time without uniffi's metadata.

Used as `cargo rustc ... --crate-type cdylib -- -C linker=bindings-uniffi/link-nometa.py` by
maven/build.sh and android/build-aar.sh (issue 27: at most 1.5 MB stripped per ABI).

uniffi puts its interface description in ~200 exported `#[no_mangle]` statics named
`UNIFFI_META_*` (88 KB here: the API with its doc comments). Only uniffi-bindgen reads them, from
the library file, to generate the bindings; nothing reads them at run time, and uniffi has no
option to leave them out (mozilla/uniffi-rs#2259). rustc exports them through the version script
it writes for the linker (`-Wl,--version-script=<tmp>/list`: `global: <every exported symbol>;
local: *;`), by exact name, so no extra linker argument can hide them.

This wrapper gets rustc's linker command line (the same objects, after fat LTO), and:
  1. runs the real linker with it unchanged: the library rustc asked for (the `-o` file), with
     the metadata, for uniffi-bindgen;
  2. runs it again with a copy of the version script without the `UNIFFI_META_*` lines and
     `-o <output>` replaced by CAMSKIT_NOMETA_OUT (default: the output with `.so` replaced by
     `.nometa.so`). The statics are then local and unreferenced, and `--gc-sections` (rustc
     passes it for optimised builds) drops them with their names.
Everything else (code, unwind tables, the other exported symbols: `uniffi_*` including the
checksum functions, `ffi_*`, `Java_*`) comes from the same objects and the same flags; the build
scripts compare the two libraries' exported symbols and fail if anything but UNIFFI_META_*
differs.

The real linker: CAMSKIT_REAL_LINKER (e.g. the NDK's `aarch64-linux-android21-clang`), else
`cc` (rustc's default on Linux: it passes `-fuse-ld=lld` and its own rust-lld itself on
x86_64-unknown-linux-gnu, which this wrapper keeps). Keep this file's name free of `gcc`,
`clang`, `ld` and `link` as a whole word or suffix: rustc infers the linker's flavour from it.
"""
import os
import re
import subprocess
import sys
import tempfile


def exported(lib, nm):
    out = subprocess.run([nm, "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


if len(sys.argv) >= 4 and sys.argv[1] == "--check":
    # link-nometa.py --check FULL NOMETA [NM]: the two libraries export the same symbols but
    # for UNIFFI_META_* (all gone from NOMETA, and there were some in FULL). NM: `nm` (binutils)
    # or `llvm-nm` (the NDK's), which both read any ELF.
    full, nometa = sys.argv[2], sys.argv[3]
    nm = sys.argv[4] if len(sys.argv) > 4 else "nm"
    if os.path.getmtime(full) > os.path.getmtime(nometa):
        sys.exit(f"{nometa} is older than {full}: not from the same link (run the cargo command again)")
    a, b = exported(full, nm), exported(nometa, nm)
    meta = {s for s in a if s.startswith("UNIFFI_META_")}
    if not meta:
        sys.exit(f"no UNIFFI_META_* exported by {full}")
    if a - meta != b:
        sys.exit(f"exported symbols differ beyond UNIFFI_META_*: only in {full}: "
                 f"{sorted(a - meta - b)[:20]}; only in {nometa}: {sorted(b - (a - meta))[:20]}")
    print(f"exports: {len(a)} in the full library, {len(b)} shipped: the same but the {len(meta)} UNIFFI_META_*")
    sys.exit(0)

real = os.environ.get("CAMSKIT_REAL_LINKER", "cc")
args = sys.argv[1:]

# rustc passes `@file` when the command line is too long for the OS: one argument per line,
# `\\` and spaces escaped with a backslash (GNU style).
expanded = []
response_file = False
for a in args:
    if a.startswith("@") and os.path.isfile(a[1:]):
        response_file = True
        with open(a[1:], encoding="utf-8") as f:
            expanded += [re.sub(r"\\(.)", r"\1", line) for line in f.read().splitlines()]
    else:
        expanded.append(a)

rc = subprocess.call([real] + args)
if rc:
    sys.exit(rc)

try:
    out_at = expanded.index("-o") + 1
except ValueError:
    sys.exit("link-nometa.py: no -o in the linker's arguments")
out = expanded[out_at]
if not out.endswith(".so"):
    # not the cdylib (rustc only uses -C linker for the final crate, but be explicit)
    sys.exit(0)
nometa_out = os.environ.get("CAMSKIT_NOMETA_OUT") or out[: -len(".so")] + ".nometa.so"

vs = [i for i, a in enumerate(expanded) if a.startswith("-Wl,--version-script=")]
if len(vs) != 1:
    sys.exit(f"link-nometa.py: expected one -Wl,--version-script=, found {len(vs)}")
script_path = expanded[vs[0]].split("=", 1)[1]
with open(script_path, encoding="utf-8") as f:
    lines = f.read().splitlines(keepends=True)
meta = re.compile(r"^\s*UNIFFI_META_\w+;\s*$")
kept = [line for line in lines if not meta.match(line)]
if len(kept) == len(lines):
    sys.exit("link-nometa.py: no UNIFFI_META_* in rustc's version script")

with tempfile.TemporaryDirectory() as tmp:
    filtered = os.path.join(tmp, "exports-without-uniffi-meta")
    with open(filtered, "w", encoding="utf-8") as f:
        f.writelines(kept)
    second = list(expanded)
    second[vs[0]] = "-Wl,--version-script=" + filtered
    second[out_at] = nometa_out
    if response_file:
        rsp = os.path.join(tmp, "linker-arguments")
        with open(rsp, "w", encoding="utf-8") as f:
            f.writelines(re.sub(r"([\\ ])", r"\\\1", a) + "\n" for a in second)
        second = ["@" + rsp]
    sys.exit(subprocess.call([real] + second))

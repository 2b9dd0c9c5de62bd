#!/usr/bin/env python3
"""Checks the generated Swift bindings (no Swift toolchain runs here: they are generated, not compiled).

usage: check_swift.py OUT_DIR/swift path/to/libcamskit_uniffi.so

* CamsKit.swift, CamsKitFFI.h and CamsKitFFI.modulemap exist; the module map names the header.
* Every FFI function in the header is exported by the library, and every uniffi function the
  library exports is declared in the header (they come from the same build).
* Every exported function, constructor and method in the header has its Swift declaration.
* Every uniffi type in src/lib.rs (Object, Record, Enum, Error) is declared in Swift, with every
  record field and enum/error variant.
Prints "swift: N checks passed" or the failures, and exits 1 on any failure.
"""

import re
import subprocess
import sys
from pathlib import Path

out, lib = Path(sys.argv[1]), Path(sys.argv[2])
src_dir = Path(__file__).resolve().parent.parent / "src"
failures: list[str] = []
checks = 0


def check(cond: bool, what: str) -> None:
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


swift_path, header_path, modulemap_path = out / "CamsKit.swift", out / "CamsKitFFI.h", out / "CamsKitFFI.modulemap"
for p in (swift_path, header_path, modulemap_path):
    check(p.is_file() and p.stat().st_size > 0, f"{p.name} is generated")
if failures:
    print("\n".join("FAIL " + f for f in failures))
    sys.exit(1)

swift, header, modulemap = swift_path.read_text(), header_path.read_text(), modulemap_path.read_text()
check("module CamsKitFFI" in modulemap and 'header "CamsKitFFI.h"' in modulemap, "module map declares CamsKitFFI with its header")
check("import CamsKitFFI" in swift, "CamsKit.swift imports CamsKitFFI")

# Header <-> library.
prefix = "uniffi_camskit_uniffi_"
in_header = set(re.findall(r"\b(" + prefix + r"\w+|ffi_camskit_uniffi_\w+)\s*\(", header))
nm = subprocess.run(["nm", "-D", "--defined-only", str(lib)], check=True, capture_output=True, text=True).stdout
in_lib = {line.split()[-1] for line in nm.splitlines() if re.search(r"\b(uniffi|ffi)_camskit_uniffi_", line)}
check(len(in_header) > 20, f"the header declares the FFI ({len(in_header)} functions)")
for sym in sorted(in_header - in_lib):
    check(False, f"{sym} is declared in the header but not exported by {lib.name}")
for sym in sorted(in_lib - in_header):
    check(False, f"{sym} is exported by {lib.name} but missing from the header")
check(in_header <= in_lib, "every header function is in the library")

# Every exported callable has its Swift declaration.
for sym in sorted(in_header):
    if m := re.fullmatch(prefix + r"fn_func_(\w+)", sym):
        name = camel(m[1])
        check(re.search(r"public func " + name + r"\(", swift) is not None, f"Swift has func {name}(")
    elif m := re.fullmatch(prefix + r"fn_method_([a-z0-9]+)_(\w+)", sym):
        if m[2].startswith("uniffi_trait_"):
            check("public var description: String" in swift, f"Swift has description for {m[1]}")
            continue
        name = camel(m[2])
        check(re.search(r"open func " + name + r"\(", swift) is not None, f"Swift has method {m[1]}.{name}(")
    elif m := re.fullmatch(prefix + r"fn_constructor_([a-z0-9]+)_new", sym):
        # The class's own section (up to the next class) has the designated convenience init.
        sections = {sec.split(":", 1)[0].strip().lower(): sec for sec in swift.split("open class ")[1:]}
        sec = sections.get(m[1], "")
        check("public convenience init(" in sec, f"Swift class for {m[1]} has its init")

# Every uniffi type of src/*.rs, its fields and variants.
src = "\n".join(p.read_text() for p in sorted(src_dir.glob("*.rs")))
types = re.findall(
    r"#\[derive\([^)]*uniffi::(Object|Record|Enum|Error)[^)]*\)\]\s*(?:#\[[^\]]*\]\s*)*pub (struct|enum) (\w+)\s*\{(.*?)\n\}",
    src, re.S)
check(len(types) >= 14, f"found the uniffi types in lib.rs ({len(types)})")
for kind, _, name, body in types:
    if kind == "Object":
        check(re.search(r"open class " + name + r"\b", swift) is not None, f"Swift has class {name}")
    elif kind == "Record":
        check(re.search(r"public struct " + name + r"\b", swift) is not None, f"Swift has struct {name}")
        for field in re.findall(r"pub (?:r#)?(\w+):", body):
            check(re.search(r"public var " + camel(field) + r": ", swift) is not None, f"Swift has {name}.{camel(field)}")
    else:
        check(re.search(r"public enum " + name + r"\b|\benum " + name + r": Swift\.Error", swift) is not None, f"Swift has enum {name}")
        for variant in re.findall(r"^    ([A-Z]\w*)\b", body, re.M):
            swift_case = variant if kind == "Error" else variant[:1].lower() + variant[1:]
            check(re.search(r"\bcase " + swift_case + r"\b", swift) is not None, f"Swift has case {name}.{swift_case}")

# Every foreign trait (implemented by the app: HttpTransport, ...) is a Swift protocol with
# each of its methods.
traits = re.findall(r"#\[uniffi::export\(with_foreign\)\]\s*pub trait (\w+)[^{]*\{(.*?)\n\}", src, re.S)
check(len(traits) >= 3, f"found the foreign traits in src/ ({len(traits)})")
for name, body in traits:
    proto = re.search(r"public protocol " + name + r"\b[^{]*\{(.*?)\n\}", swift, re.S)
    check(proto is not None, f"Swift has protocol {name}")
    for method in re.findall(r"fn (\w+)\(", body):
        check(proto is not None and re.search(r"func " + camel(method) + r"\(", proto[1]) is not None, f"Swift protocol {name} has {camel(method)}(")

if failures:
    print("\n".join("FAIL " + f for f in failures))
    print(f"swift: {checks - len(failures)} checks passed, {len(failures)} failed")
    sys.exit(1)
print(f"swift: {checks} checks passed (CamsKit.swift {len(swift)} bytes, {len(in_header)} FFI functions)")

"""Checks an AAR built by build-aar.sh.

  python3 bindings-uniffi/android/check_aar.py camskit-android-<v>.aar path/to/CamsKitFFI.h

- the entries: AndroidManifest.xml, classes.jar, proguard.txt, R.txt and
  jni/{arm64-v8a,armeabi-v7a,x86_64}/libcamskit_uniffi.so, nothing else;
- the manifest: package io.camskit, a minSdkVersion;
- classes.jar: the generated API (camskit/CamsClient.class, ...), no class referring to
  java.net.http (not on Android) or carrying a desktop native library;
- each library (readelf, works for every architecture): an ELF shared object of its ABI's
  machine and class, LOAD segments aligned to 16 KB or more on 64-bit ABIs, only Android system
  libraries needed, and exactly the uniffi functions the C header declares exported;
prints each library's size. Exits 1 with the problems listed.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ABIS = {  # abi: (ELF class, readelf's Machine)
    "arm64-v8a": ("ELF64", "AArch64"),
    "armeabi-v7a": ("ELF32", "ARM"),
    "x86_64": ("ELF64", "Advanced Micro Devices X86-64"),
}
SYSTEM_LIBS = {"libc.so", "libm.so", "libdl.so", "liblog.so"}
ANDROID = "{http://schemas.android.com/apk/res/android}"


def readelf(flags: list[str], path: str) -> str:
    return subprocess.run(["readelf", "-W", *flags, path], check=True, capture_output=True, text=True).stdout


def main() -> None:
    aar, header = Path(sys.argv[1]), Path(sys.argv[2])
    problems: list[str] = []
    declared = set(re.findall(r"^\w[\w\s\*]*?\b((?:uniffi|ffi)_camskit_uniffi_\w+)\(", header.read_text(), re.M))
    if not declared:
        raise SystemExit(f"no uniffi functions declared in {header}")

    with zipfile.ZipFile(aar) as z:
        names = set(z.namelist())
        want = {"AndroidManifest.xml", "classes.jar", "proguard.txt", "R.txt"} | {
            f"jni/{abi}/libcamskit_uniffi.so" for abi in ABIS}
        if names != want:
            problems.append(f"entries: missing {sorted(want - names)}, unexpected {sorted(names - want)}")

        manifest = ET.fromstring(z.read("AndroidManifest.xml"))
        if manifest.get("package") != "io.camskit":
            problems.append(f"manifest package {manifest.get('package')!r}")
        sdk = manifest.find("uses-sdk")
        if sdk is None or not (sdk.get(f"{ANDROID}minSdkVersion") or "").isdigit():
            problems.append("manifest: no <uses-sdk android:minSdkVersion>")

        with zipfile.ZipFile(io.BytesIO(z.read("classes.jar"))) as jar:
            classes = [n for n in jar.namelist() if n.endswith(".class")]
            for need in ("camskit/CamsClient.class", "camskit/CamsResponse.class", "camskit/CamsException.class"):
                if need not in classes:
                    problems.append(f"classes.jar: no {need}")
            for n in classes:
                if b"java/net/http/" in jar.read(n):
                    problems.append(f"classes.jar: {n} refers to java.net.http (not on Android)")
            natives = [n for n in jar.namelist() if n.endswith((".so", ".dylib", ".dll"))]
            if natives:
                problems.append(f"classes.jar carries native libraries: {natives}")
            n_classes = len(classes)

        with tempfile.TemporaryDirectory() as tmp:
            for abi, (cls, machine) in ABIS.items():
                entry = f"jni/{abi}/libcamskit_uniffi.so"
                if entry not in names:
                    continue
                info = z.getinfo(entry)
                if info.compress_type != zipfile.ZIP_STORED:
                    problems.append(f"{entry}: compressed (store native libraries)")
                path = z.extract(entry, tmp)
                h = readelf(["-h"], path)
                if f"Class:                             {cls}" not in h or not re.search(rf"Machine:\s+{re.escape(machine)}$", h, re.M) \
                        or "DYN (Shared object file)" not in h:
                    problems.append(f"{entry}: not a {cls} {machine} shared object")
                if cls == "ELF64":
                    aligns = [int(a, 16) for a in re.findall(r"^\s+LOAD\s.*\s(0x[0-9a-f]+)$", readelf(["-l"], path), re.M)]
                    if not aligns or min(aligns) < 0x4000:
                        problems.append(f"{entry}: LOAD alignment {[hex(a) for a in aligns]}, Android 15+ needs 16 KB (0x4000)")
                needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf(["-d"], path)))
                if not needed <= SYSTEM_LIBS:
                    problems.append(f"{entry}: needs {sorted(needed - SYSTEM_LIBS)} (not Android system libraries)")
                exported = set()
                for line in readelf(["--dyn-syms"], path).splitlines():
                    f = line.split()
                    if len(f) >= 8 and f[3] == "FUNC" and f[4] == "GLOBAL" and f[6] != "UND" \
                            and re.match(r"(uniffi|ffi)_camskit_uniffi_", f[7]):
                        exported.add(f[7].split("@")[0])
                if exported != declared:
                    problems.append(f"{entry}: exports {len(exported)} uniffi functions, the header declares "
                                    f"{len(declared)}; missing {sorted(declared - exported)[:3]}, "
                                    f"extra {sorted(exported - declared)[:3]}")
                print(f"{abi}: {info.file_size} bytes, {len(exported)} uniffi functions, needs {sorted(needed)}")

    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(f"{aar.name}: {len(problems)} problems")
    print(f"{aar.name}: {len(names)} entries, {n_classes} classes, {len(ABIS)} ABIs, {len(declared)} uniffi functions each: ok")


if __name__ == "__main__":
    main()

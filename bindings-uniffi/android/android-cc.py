#!/usr/bin/env python3
"""EXPERIMENTAL (nondk-jnilibs.sh): the cc-style linker rustc calls for an Android target, in
front of ld.lld-19, for machines without the NDK's clang. Keeps the linker's own arguments
(-Wl,..., -l, -L, -o, -shared, inputs), drops the driver's (-m64, -nodefaultlibs, -fuse-ld=...),
and adds the stub sysroot of ANDROID_LD_SYSROOT (stub bionic libraries, libunwind.a, dso.o)."""
import os
import sys

sysroot = os.environ["ANDROID_LD_SYSROOT"]
out = ["ld.lld-19"]
args = sys.argv[1:]
i = 0
while i < len(args):
    a = args[i]
    if a.startswith("@"):  # a response file: its lines are arguments
        with open(a[1:]) as f:
            args[i + 1:i + 1] = [x for x in f.read().split("\n") if x]
    elif a.startswith("-Wl,"):
        out += [x for x in a[4:].split(",") if x]
    elif a == "-o":
        out += [a, args[i + 1]]
        i += 1
    elif a == "-shared" or a.startswith(("-l", "-L")) or not a.startswith("-"):
        out.append(a)
    i += 1
out += [f"-L{sysroot}", os.path.join(sysroot, "dso.o")]
os.execvp(out[0], out)

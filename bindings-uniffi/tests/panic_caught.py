#!/usr/bin/env python3
"""A panic inside the library is caught and comes back as an error (unwinding works).

    python3 bindings-uniffi/tests/panic_caught.py path/to/libcamskit_uniffi.so

uniffi catches panics at the FFI boundary (catch_unwind) and camskit's `guard` turns them into
CamsError::Internal; both need the unwind tables and the personality routine of the shipped
library. `ffi_camskit_uniffi_rustbuffer_free` of a RustBuffer with null data and a non-zero
capacity panics ("null RustBuffer had non-zero capacity") before touching any memory; the call
status must come back with code 2 (CALL_UNEXPECTED_ERROR) and that message. maven/build.sh runs
this on the library it ships (linked by link-nometa.py, stripped). Expect the panic's message on
stderr.
"""
import ctypes
import sys


class RustBuffer(ctypes.Structure):
    _fields_ = [("capacity", ctypes.c_uint64), ("len", ctypes.c_uint64), ("data", ctypes.c_void_p)]


class RustCallStatus(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int8), ("error_buf", RustBuffer)]


lib = ctypes.CDLL(sys.argv[1])
free = lib.ffi_camskit_uniffi_rustbuffer_free
free.argtypes = [RustBuffer, ctypes.POINTER(RustCallStatus)]
free.restype = None
status = RustCallStatus()
free(RustBuffer(5, 0, None), ctypes.byref(status))
message = ctypes.string_at(status.error_buf.data, status.error_buf.len).decode() if status.error_buf.data else ""
if status.code != 2 or "non-zero capacity" not in message:
    sys.exit(f"panic not caught as expected: call status {status.code}, {message!r}")
print(f"a panic in the library is caught: call status {status.code}, {message!r}")

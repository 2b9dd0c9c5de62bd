"""Every file the credentials chain reads (issue #24): a regular file of at most core's
MAX_FILE_BYTES, else refused at once with a CredentialsError naming it — a FIFO, /dev/zero, a
directory, an oversized file — never a read that hangs, grows without end or is silently cut.
Each walk runs in a child process with a deadline, so a regression fails instead of hanging."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import camskit
from camskit import camskit_native

# Walks the default chain with only the given variables and prints the outcome as JSON.
CHILD = r"""
import json, sys
import camskit
env = json.loads(sys.argv[1])
try:
    r = camskit.DefaultCredentialsProvider(environ=env, home=sys.argv[2]).resolve()
    print(json.dumps({"ok": r.source}))
except camskit.CamsError as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
"""


def walk(env: dict[str, str], home: Path) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(env), str(home)], capture_output=True,
                         text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_the_bound_is_cores():
    assert camskit_native.MAX_FILE_BYTES == 4 << 20
    from camskit import _credentials

    assert _credentials.MAX_FILE_BYTES == camskit_native.MAX_FILE_BYTES


@pytest.mark.parametrize("variable", ["ALIBABA_CLOUD_CONFIG_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, variable: str) -> None:
    fifo = tmp_path / "creds.fifo"
    os.mkfifo(fifo)
    got = walk({variable: str(fifo)}, tmp_path)
    assert got.get("error") == "CredentialsError", got
    assert str(fifo) in got["message"] and "FIFO" in got["message"], got


def test_dev_zero_is_refused_at_once(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    got = walk({"ALIBABA_CLOUD_CONFIG_FILE": "/dev/zero"}, tmp_path)
    assert got.get("error") == "CredentialsError", got
    assert "/dev/zero" in got["message"] and "not a regular file" in got["message"], got


def test_a_directory_is_refused(tmp_path: Path) -> None:
    d = tmp_path / "a-dir"
    d.mkdir()
    got = walk({"ALIBABA_CLOUD_CREDENTIALS_FILE": str(d)}, tmp_path)
    assert got.get("error") == "CredentialsError", got
    assert str(d) in got["message"] and "directory" in got["message"], got


def test_an_oversized_file_is_refused_not_cut(tmp_path: Path) -> None:
    big = tmp_path / "config.json"
    profile = {"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAI5tBig",
                                                   "access_key_secret": "s"}]}
    text = json.dumps(profile)
    # Valid JSON that is one byte over the bound: a silent cut would make it invalid, a read
    # without bound would take it.
    big.write_text(text + " " * (camskit_native.MAX_FILE_BYTES + 1 - len(text)), encoding="utf-8")
    got = walk({"ALIBABA_CLOUD_CONFIG_FILE": str(big)}, tmp_path)
    assert got.get("error") == "CredentialsError", got
    assert str(big) in got["message"] and str(camskit_native.MAX_FILE_BYTES) in got["message"], got


def test_a_file_of_exactly_the_bound_is_read(tmp_path: Path) -> None:
    f = tmp_path / "config.json"
    profile = {"current": "default", "profiles": [{"name": "default", "mode": "AK", "access_key_id": "LTAI5tFits",
                                                   "access_key_secret": "s"}]}
    text = json.dumps(profile)
    f.write_text(text + " " * (camskit_native.MAX_FILE_BYTES - len(text)), encoding="utf-8")
    assert f.stat().st_size == camskit_native.MAX_FILE_BYTES
    got = walk({"ALIBABA_CLOUD_CONFIG_FILE": str(f)}, tmp_path)
    assert got == {"ok": "cli_profile:default/static"}, got


def test_a_missing_file_is_still_just_absent(tmp_path: Path) -> None:
    got = walk({"ALIBABA_CLOUD_CONFIG_FILE": str(tmp_path / "nope.json")}, tmp_path)
    assert got.get("error") == "CredentialsError", got
    assert "refused" not in got["message"], got


def test_read_text_raises_camskits_error_class(tmp_path: Path) -> None:
    fifo = tmp_path / "oidc.fifo"
    os.mkfifo(fifo)
    from camskit import _credentials

    with pytest.raises(camskit.CredentialsError, match="oidc.fifo"):
        _credentials._read_text(str(fifo))

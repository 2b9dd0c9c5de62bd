"""Shared fixtures: the repository's vectors and a mock-cams server per test session."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
MOCK = REPO / "tests" / "mock-cams" / "server.py"

# mock-cams accepts this key (and its STS variant); tests sign with it.
MOCK_KEY_ID = "LTAI5tCamsKitPyTest01"
MOCK_SECRET = "PyTestSecret0123456789abcdefAB"
MOCK_STS_ID = "STS.PyTestKey01"
MOCK_STS_SECRET = "PyTestStsSecret0123456789abcdef"
MOCK_STS_TOKEN = "CAISpytesttoken+/=0123456789"


def load(name: str) -> list[dict]:
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)["cases"]


class Mock:
    def __init__(self, url: str) -> None:
        self.url = url

    def reset(self) -> None:
        req = urllib.request.Request(self.url + "/__mock/reset", data=b"", method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    def requests(self) -> list[dict]:
        with urllib.request.urlopen(self.url + "/__mock/requests", timeout=10) as r:
            return json.loads(r.read())


@contextlib.contextmanager
def start_mock(*keys: str):
    """Runs tests/mock-cams/server.py on 127.0.0.1 (a free port) with these ``ID:SECRET[:TOKEN]``
    keys, stops it afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        args = [sys.executable, str(MOCK), "--port", "0", "--port-file", str(port_file)]
        for k in keys:
            args += ["--key", k]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 20
            while not (port_file.exists() and port_file.read_text().strip()):
                if proc.poll() is not None:
                    raise RuntimeError("mock-cams exited early")
                if time.monotonic() > deadline:
                    raise RuntimeError("mock-cams did not start")
                time.sleep(0.05)
            yield Mock(f"http://127.0.0.1:{int(port_file.read_text().strip())}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def mock_cams():
    """mock-cams with the tests' key and its STS variant, for the whole session."""
    with start_mock(f"{MOCK_KEY_ID}:{MOCK_SECRET}", f"{MOCK_STS_ID}:{MOCK_STS_SECRET}:{MOCK_STS_TOKEN}") as mock:
        yield mock


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    # Core reads these names (Alibaba's, then the aliases of the aliyun command line).
    for prefix in ("ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_"):
        for name in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SECURITY_TOKEN"):
            monkeypatch.delenv(prefix + name, raising=False)
    # Client() walks the default chain after the environment: an empty home (no profile
    # files), and no ECS metadata service or credentials URI (nothing to reach from a test).
    for name in list(os.environ):
        if name.startswith("ALIBABA_CLOUD_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
    return monkeypatch

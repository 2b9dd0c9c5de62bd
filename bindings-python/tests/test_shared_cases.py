"""Every case of tests/vectors/host-behaviours.json and tests/vectors/bad-inputs.json, run
through the public Python API the way a user calls it (the same cases every host runs)."""

from __future__ import annotations

import json
import re
import urllib.parse
import warnings

import pytest

import camskit
from conftest import VECTORS

# The signer's own query parameters: what a raw_values case leaves out of its comparison.
COMMON = {"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce",
          "SignatureVersion", "Timestamp", "Version", "Signature"}

# bad-inputs' error classes -> the Python exception classes.
CLASSES = {
    "validation": camskit.ValidationError,
    "credentials": camskit.CredentialsError,
    "api": camskit.ApiError,
    "parse": camskit.ParseError,
}


def doc(name: str) -> dict:
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)


def expand(v):  # type: ignore[no-untyped-def]
    """Expands "@repeat(N,TEXT)" strings anywhere in a value."""
    if isinstance(v, str):
        m = re.fullmatch(r"@repeat\((\d+),(.*)\)", v, re.S)
        return m.group(2) * int(m.group(1)) if m else v
    if isinstance(v, list):
        return [expand(x) for x in v]
    if isinstance(v, dict):
        return {expand(k): expand(x) for k, x in v.items()}
    return v


def client(**kwargs):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c = camskit.Client("LTAI5tShared", "shared-secret", **kwargs)
    return c, [w for w in caught if issubclass(w.category, camskit.CamsWarning)]


def run_endpoint(c: dict) -> None:
    kwargs = {"region_id": c["region"], "endpoint": c["endpoint"], "allow_insecure_http": True}
    if "error" in c:
        with pytest.raises(camskit.ValidationError) as info:
            client(**kwargs)
        assert c["error"] in str(info.value)
        return
    got, warned = client(**kwargs)
    assert got.endpoint == c["base_url"]
    assert got.region_id == c.get("region_id")
    assert bool(warned) == c["warning"]
    if "loopback" in c:
        # Plain HTTP with credentials is allowed to a loopback host only.
        if got.endpoint.startswith("http://"):
            if c["loopback"]:
                client(region_id=c["region"], endpoint=c["endpoint"])
            else:
                with pytest.raises(camskit.ValidationError, match="allow_insecure_http"):
                    client(region_id=c["region"], endpoint=c["endpoint"])


def run_raw_value(c: dict) -> None:
    got, _ = client()
    s = got.sign("DescribeRegions", c.get("params"), raw=True, form=c.get("form"),
                 timestamp="2025-07-14T08:00:00Z", nonce="n")
    query = [(n, v) for n, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(s.url).query,
                                                        keep_blank_values=True)
             if n not in COMMON]
    assert sorted(query) == sorted(tuple(p) for p in c["query"])
    assert s.body == c.get("body")


def run_timestamp(c: dict) -> None:
    got, _ = client()
    sign = lambda: got.sign("DescribeRegions", {}, raw=True, timestamp=c["input"], nonce="n")  # noqa: E731
    if "error" in c:
        with pytest.raises(camskit.ValidationError) as info:
            sign()
        assert c["error"] in str(info.value)
        return
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(sign().url).query))
    assert params["Timestamp"] == c["ok"]


def run_environment(c: dict) -> None:
    env = dict(c["env"])
    if "error" in c:
        with pytest.raises(camskit.CredentialsError) as info:
            camskit.Client(environ=env)
        message = str(info.value)
        assert c["error"] in message and "Canary" not in message
        return
    if c.get("none"):
        with pytest.raises(camskit.CredentialsError, match="no credentials"):
            camskit.Client(environ=env)
        return
    got = camskit.Client(environ=env)
    assert got.access_key_id == c["access_key_id"]
    signed = got.sign("DescribeRegions", {}, raw=True, nonce="n")
    assert ("SecurityToken=" in signed.url) == bool(c.get("security_token"))
    assert "Canary" not in repr(got)


def test_host_behaviours(capsys):  # type: ignore[no-untyped-def]
    d = doc("host-behaviours.json")
    runners = {"endpoints": run_endpoint, "raw_values": run_raw_value,
               "timestamps": run_timestamp, "environment": run_environment}
    assert set(runners) == {k for k in d if k != "_"}
    passed = failed = 0
    failures = []
    for section, run in runners.items():
        for c in d[section]:
            try:
                run(c)
                passed += 1
            except BaseException as e:  # noqa: BLE001 - counted and reported below
                failed += 1
                failures.append(f"{section} {c}: {type(e).__name__}: {e}")
    with capsys.disabled():
        print(f"\nhost-behaviours: {passed} passed, {failed} failed")
    assert not failures, "\n".join(failures)
    assert passed == sum(len(d[s]) for s in runners)


def run_bad(d: dict, c: dict) -> None:
    """One bad-input case through the public API; raises what a user would see."""
    if c["kind"] == "parse":
        camskit.parse_response(c["status"], c["body"])
        return
    o = c["options"]
    creds = c.get("credentials", d["credentials"])
    got = camskit.Client(creds["access_key_id"], creds["access_key_secret"],
                         security_token=creds.get("security_token"),
                         region_id=o.get("region"), endpoint=o.get("endpoint"))
    got.sign(c["action"], c.get("params"), raw=o.get("raw", False), form=o.get("form"),
             api_version=o.get("api_version"), method=o.get("method"),
             signature=o.get("signature"), headers=o.get("headers"),
             timestamp=o.get("timestamp", d["timestamp"]), nonce=o.get("nonce", d["nonce"]))


def test_bad_inputs(capsys):  # type: ignore[no-untyped-def]
    d = expand(doc("bad-inputs.json"))
    passed = 0
    failures = []
    for c in d["cases"]:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", camskit.CamsWarning)
                run_bad(d, c)
        except camskit.CamsError as e:
            message = str(e)
            problems = []
            if not isinstance(e, CLASSES[c["error"]]):
                problems.append(f"{type(e).__name__}, not {c['error']}")
            if e.category != c["error"]:
                problems.append(f"category {e.category}")
            if c["names"] not in message:
                problems.append(f"does not name {c['names']!r}")
            if "Canary" in message:
                problems.append("a secret in the message")
            if len(message.encode()) >= 1024:
                problems.append(f"a {len(message)}-character message")
            if problems:
                failures.append(f"{c['name']}: {'; '.join(problems)}: {message[:300]}")
            else:
                passed += 1
        except BaseException as e:  # noqa: BLE001 - counted and reported below
            failures.append(f"{c['name']}: {type(e).__name__}: {str(e)[:300]}")
        else:
            failures.append(f"{c['name']}: accepted")
    with capsys.disabled():
        print(f"\nbad-inputs: {passed} passed, {len(failures)} failed")
    assert not failures, "\n".join(failures)
    assert passed == len(d["cases"])

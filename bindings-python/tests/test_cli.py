"""python -m camskit sign|call|parse|ops, as the camskit command behaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import MOCK_KEY_ID, MOCK_SECRET, load

ENV_KEYS = ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN")


def cli(*args: str, creds: tuple[str, str] | None = None, stdin: bytes | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ENV_KEYS}
    if creds:
        env["ALIBABA_CLOUD_ACCESS_KEY_ID"], env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = creds
    return subprocess.run([sys.executable, "-m", "camskit", *args], capture_output=True, env=env,
                          input=stdin, timeout=60)


def test_sign_json_matches_the_vector():
    case = next(c for c in load("rpc-v1.json") if c["name"] == "register: plain")
    inp, exp = case["input"], case["expected"]
    out = cli("sign", "--output", "json", "--timestamp", inp["timestamp"], "--nonce", inp["nonce"],
              "ChatappMigrationRegister", *[f"{k}={v}" for k, v in inp["query"]],
              creds=(inp["access_key_id"], inp["access_key_secret"]))
    assert out.returncode == 0, out.stderr
    v = json.loads(out.stdout)
    assert v["signature"] == exp["signature"] and v["string_to_sign"] == exp["string_to_sign"]
    assert v["signature_version"] == "1.0"


def test_sign_without_credentials_uses_the_demo_key():
    out = cli("sign", "ChatappMigrationRegister", "CustSpaceId=29348393884", "PhoneNumber=8613800001234")
    assert out.returncode == 0
    assert out.stdout.decode().startswith(
        "https://cams.ap-southeast-1.aliyuncs.com/?AccessKeyId=LTAI5tCamsKitDemoKey01&Action=ChatappMigrationRegister&")
    assert b"demo key" in out.stderr


def test_sign_v3_prints_headers():
    out = cli("sign", "--signature", "v3", "ChatappMigrationRegister", "CustSpaceId=1", "PhoneNumber=2")
    assert out.returncode == 0
    assert b"\nauthorization: ACS3-HMAC-SHA256 Credential=" in out.stdout


def test_sign_raw_documented_example():
    out = cli("sign", "--raw", "--method", "GET", "--endpoint", "ecs.aliyuncs.com", "--api-version", "2014-05-26",
              "--timestamp", "2016-02-23T12:46:24Z", "--nonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
              "--output", "json", "DescribeRegions", "Format=XML", creds=("testid", "testsecret"))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["signature"] == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_sign_reads_values_as_catalog_types():
    ok = cli("sign", "--output=json", "ChatappMigrationRegister", "CustSpaceId=1", "PhoneNumber=2", "OwnerId=7")
    assert ok.returncode == 0 and "OwnerId=7" in json.loads(ok.stdout)["url"]
    bad = cli("sign", "ChatappMigrationRegister", "CustSpaceId=1", "PhoneNumber=2", "OwnerId=seven")
    assert bad.returncode == 2 and b"OwnerId" in bad.stderr
    missing = cli("sign", "ChatappMigrationRegister", "PhoneNumber=2")
    assert missing.returncode == 2 and b"missing required parameter CustSpaceId" in missing.stderr
    pj = cli("sign", "--output=json", "--params-json", "-", "ChatappMigrationRegister",
             stdin=b'{"CustSpaceId": "1", "PhoneNumber": "2"}')
    assert pj.returncode == 0, pj.stderr


def test_usage_errors_exit_2():
    assert cli("sign", "ChatappMigrationRegister", "NoEquals").returncode == 2
    assert cli("sign", "--form", "A=b", "ChatappMigrationRegister", "CustSpaceId=1", "PhoneNumber=2").returncode == 2
    assert cli("sign", "--signature", "v9", "ChatappMigrationRegister", "CustSpaceId=1", "PhoneNumber=2").returncode == 2
    assert cli("bogus").returncode == 2
    assert cli("call", "ChatappMigrationRegister", "CustSpaceId=1", "PhoneNumber=2").returncode == 2  # demo key, remote


def test_parse(tmp_path):
    f = tmp_path / "answer.json"
    f.write_bytes(b'{"RequestId":"r","Code":"System.LimitControl","Message":"flow control"}')
    out = cli("parse", "--status", "400", str(f))
    assert out.returncode == 1
    err = json.loads(out.stderr)
    assert err["kind"] == "throttling" and err["retryable"] is True
    out = cli("parse", "--status", "200", stdin=b'{"Code":"OK","Data":{"Id":9007199254740993}}')
    assert out.returncode == 0 and json.loads(out.stdout)["Data"]["Id"] == 9007199254740993
    out = cli("parse", "--status", "502", stdin=b"<html>bad gateway</html>")
    assert out.returncode == 2 and b"HTML" in out.stderr


def test_ops():
    out = cli("ops")
    lines = out.stdout.decode().splitlines()
    assert out.returncode == 0 and len(lines) == 173 and "ChatappMigrationRegister\tPOST" in lines
    out = cli("ops", "ChatappMigrationRegister")
    assert out.returncode == 0 and b"CustSpaceId" in out.stdout and b"yes" in out.stdout
    out = cli("ops", "ChatappMigrationRegistr")
    assert out.returncode == 2 and b"did you mean ChatappMigrationRegister" in out.stderr


def test_call_against_mock(mock_cams):
    for sig in ("1.0", "v3"):
        out = cli("call", "--endpoint", mock_cams.url, "--signature", sig, "ChatappMigrationRegister",
                  "CustSpaceId=cs-cli", "PhoneNumber=86138", creds=(MOCK_KEY_ID, MOCK_SECRET))
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["Code"] == "OK"
    out = cli("call", "--endpoint", mock_cams.url, "ChatappMigrationRegister", "CustSpaceId=cs-cli",
              "PhoneNumber=86138", creds=(MOCK_KEY_ID, MOCK_SECRET + "x"))
    assert out.returncode == 1
    err = json.loads(out.stderr)
    assert err["kind"] == "signature_mismatch"
    assert "secret is wrong" in err["hint"]
    assert MOCK_SECRET.encode() not in out.stderr
    out = cli("call", "--endpoint", mock_cams.url, "ChatappMigrationRegister", "CustSpaceId=cs-throttled",
              "PhoneNumber=86138", creds=(MOCK_KEY_ID, MOCK_SECRET))
    assert out.returncode == 1 and json.loads(out.stderr)["kind"] == "throttling"
    out = cli("call", "--endpoint", "http://127.0.0.1:9", "--timeout", "5", "ChatappMigrationRegister",
              "CustSpaceId=cs", "PhoneNumber=86138", creds=(MOCK_KEY_ID, MOCK_SECRET))
    assert out.returncode == 2 and b"cannot reach" in out.stderr

"""Record credentials vectors from Alibaba's official `alibabacloud-credentials`.

Run by tools/gen-credentials-vectors.sh inside a throwaway venv holding the pinned package.
Nothing here imports camskit. The network is cut (socket connect raises); the official
providers' HTTP layer (`TeaCore.do_action`) is replaced by a recorder that keeps the
request it was given and answers with a canned STS body; the time
(`parameter_helper.get_iso_8061_date`) and the nonce (`parameter_helper.get_uuid`) are pinned.

Writes tests/vectors/credentials.json:
* assume_role: the AssumeRole requests the official RamRoleArnCredentialsProvider sends
  (query, string to sign, signature, host);
* assume_role_with_oidc: the AssumeRoleWithOIDC requests of OIDCRoleArnCredentialsProvider;
* files: config.json profiles and credentials.ini sections the official providers accept
  (with the key id they end with) or reject.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
from importlib.metadata import version as pkg_version
from pathlib import Path
from urllib.parse import quote_plus, unquote


def _no_network(*_a, **_k):
    raise OSError("network cut by the camskit credentials recorder")


socket.socket.connect = _no_network
socket.create_connection = _no_network

# The official module reads the environment at import: start from a clean one.
for name in list(os.environ):
    if name.startswith(("ALIBABA_CLOUD_", "ALIBABACLOUD_", "ALICLOUD_")):
        del os.environ[name]

from Tea.core import TeaCore  # noqa: E402
from Tea.response import TeaResponse  # noqa: E402
from alibabacloud_credentials.utils import parameter_helper as ph  # noqa: E402
from alibabacloud_credentials.provider.ram_role_arn import RamRoleArnCredentialsProvider  # noqa: E402
from alibabacloud_credentials.provider.oidc import OIDCRoleArnCredentialsProvider  # noqa: E402
from alibabacloud_credentials.provider.static_ak import StaticAKCredentialsProvider  # noqa: E402
from alibabacloud_credentials.provider.static_sts import StaticSTSCredentialsProvider  # noqa: E402
from alibabacloud_credentials.provider.cli_profile import CLIProfileCredentialsProvider  # noqa: E402
from alibabacloud_credentials.provider.profile import ProfileCredentialsProvider  # noqa: E402

PIN = {"time": "2025-07-14T08:00:00Z", "nonce": "9f2c5a4e-1b7d-4c3e-8a6f-2d0e9b1c7a55"}
ph.get_iso_8061_date = lambda: PIN["time"]
ph.get_uuid = lambda: PIN["nonce"]

STS_ANSWER = {"RequestId": "R1", "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "3:s"},
              "Credentials": {"AccessKeyId": "STS.NUexample", "AccessKeySecret": "tmpSecret",
                              "SecurityToken": "tmpToken", "Expiration": "2099-01-01T00:00:00Z"}}
_captured: list = []
_string_to_sign: list = []
_orig_compose = ph.compose_string_to_sign


def _recording_compose(method, queries):
    s = _orig_compose(method, queries)
    _string_to_sign.append(s)
    return s


ph.compose_string_to_sign = _recording_compose


def _record(request, runtime=None):
    _captured.append({"method": request.method, "host": request.headers.get("host"),
                      "protocol": request.protocol, "pathname": request.pathname,
                      "query": dict(request.query), "headers": dict(request.headers)})
    r = TeaResponse()
    r.status_code = 200
    r.body = json.dumps(STS_ANSWER).encode()
    return r


TeaCore.do_action = staticmethod(_record)


def assume_role_cases():
    base = {"access_key_id": "LTAI5tSourceKey", "access_key_secret": "SourceSecret123",
            "role_arn": "acs:ram::1234567890123456:role/cams-sender", "role_session_name": "camskit-test",
            "duration_seconds": 3600}
    return [
        ("plain", base),
        ("duration and region", {**base, "duration_seconds": 900, "sts_region_id": "ap-southeast-1"}),
        ("vpc endpoint", {**base, "sts_region_id": "cn-hangzhou", "enable_vpc": True}),
        ("policy and external id", {**base, "policy": '{"Statement":[{"Action":["cams:*"],"Effect":"Allow","Resource":"*"}],"Version":"1"}',
                                    "external_id": "ext-42"}),
        ("source with sts token", {**base, "access_key_id": "STS.SourceKey", "security_token": "SourceToken/+=="}),
        ("unicode session name", {**base, "role_session_name": "sess_ü-1.2@x"}),
    ]


def official_assume_role(inp: dict) -> dict:
    if inp.get("security_token"):
        src = StaticSTSCredentialsProvider(access_key_id=inp["access_key_id"], access_key_secret=inp["access_key_secret"],
                                           security_token=inp["security_token"])
    else:
        src = StaticAKCredentialsProvider(access_key_id=inp["access_key_id"], access_key_secret=inp["access_key_secret"])
    p = RamRoleArnCredentialsProvider(credentials_provider=src, role_arn=inp["role_arn"],
                                      role_session_name=inp["role_session_name"], duration_seconds=inp["duration_seconds"],
                                      policy=inp.get("policy"), external_id=inp.get("external_id"),
                                      sts_region_id=inp.get("sts_region_id"), enable_vpc=inp.get("enable_vpc"))
    _captured.clear()
    _string_to_sign.clear()
    creds = p.get_credentials()
    req = _captured[-1]
    sts = _string_to_sign[-1]
    return {"method": req["method"], "host": req["host"], "protocol": req["protocol"],
            "query": sorted([k, v] for k, v in req["query"].items()),
            "canonical_query": unquote(sts.split("&", 2)[2]),
            "string_to_sign": sts, "signature": req["query"]["Signature"],
            "answer_key_id": creds.get_access_key_id()}


def oidc_cases():
    base = {"role_arn": "acs:ram::1234567890123456:role/rrsa-app",
            "oidc_provider_arn": "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1",
            "oidc_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW0ifQ.c2ln",
            "role_session_name": "camskit-oidc", "duration_seconds": 3600}
    return [
        ("plain", base),
        ("policy and region", {**base, "policy": '{"Statement":[{"Action":["cams:*"],"Effect":"Allow","Resource":"*"}],"Version":"1"}',
                               "sts_region_id": "ap-southeast-1", "duration_seconds": 7200}),
    ]


def official_oidc(inp: dict, tmp: Path) -> dict:
    token_file = tmp / "token"
    token_file.write_text(inp["oidc_token"])
    p = OIDCRoleArnCredentialsProvider(role_arn=inp["role_arn"], oidc_provider_arn=inp["oidc_provider_arn"],
                                       oidc_token_file_path=str(token_file), role_session_name=inp["role_session_name"],
                                       duration_seconds=inp["duration_seconds"], policy=inp.get("policy"),
                                       sts_region_id=inp.get("sts_region_id"))
    _captured.clear()
    p.get_credentials()
    req = _captured[-1]
    return {"method": req["method"], "host": req["host"], "protocol": req["protocol"],
            "query": sorted([k, v] for k, v in req["query"].items()), "signed": False}


AK = {"access_key_id": "LTAI5tFileKey", "access_key_secret": "FileSecret123"}


def cli_cases():
    def cfg(profiles, current="default"):
        return json.dumps({"current": current, "profiles": profiles})
    p = lambda **kw: {"name": "default", **kw}  # noqa: E731
    return [
        ("AK", cfg([p(mode="AK", **AK)])),
        ("StsToken", cfg([p(mode="StsToken", sts_token="FileToken", **AK)])),
        ("RamRoleArn", cfg([p(mode="RamRoleArn", ram_role_arn="acs:ram::1:role/r", ram_session_name="s", **AK)])),
        ("ChainableRamRoleArn", cfg([p(mode="ChainableRamRoleArn", source_profile="base", ram_role_arn="acs:ram::1:role/r"),
                                     {"name": "base", "mode": "AK", **AK}])),
        ("current picks the profile", cfg([{"name": "other", "mode": "AK", **AK}], current="other")),
        ("unknown mode", cfg([p(mode="Magic", **AK)])),
        ("AK without secret", cfg([p(mode="AK", access_key_id="LTAI5tFileKey")])),
        ("StsToken without token", cfg([p(mode="StsToken", **AK)])),
        ("RamRoleArn without role", cfg([p(mode="RamRoleArn", **AK)])),
        ("RamRoleArn duration below 900", cfg([p(mode="RamRoleArn", ram_role_arn="acs:ram::1:role/r", expired_seconds=600, **AK)])),
        ("missing profile", cfg([{"name": "x", "mode": "AK", **AK}])),
        ("no profiles", json.dumps({"current": "default"})),
        ("not JSON", "{not json"),
        ("ChainableRamRoleArn with a missing source", cfg([p(mode="ChainableRamRoleArn", source_profile="nope", ram_role_arn="acs:ram::1:role/r")])),
        ("OIDC without provider", cfg([p(mode="OIDC", ram_role_arn="acs:ram::1:role/r", oidc_token_file="/t")])),
    ]


def ini_cases():
    return [
        ("access_key", "[default]\ntype = access_key\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\n"),
        ("access_key with comments", "# mine\n[default]\ntype = access_key # the type\naccess_key_id = LTAI5tFileKey\n; note\naccess_key_secret = FileSecret123\n"),
        ("ram_role_arn", "[default]\ntype = ram_role_arn\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\nrole_arn = acs:ram::1:role/r\nrole_session_name = s\n"),
        ("other sections ignored", "[prod]\ntype = nonsense\n[default]\ntype = access_key\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\n"),
        ("unknown type", "[default]\ntype = magic\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\n"),
        ("no type", "[default]\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\n"),
        ("access_key without secret", "[default]\ntype = access_key\naccess_key_id = LTAI5tFileKey\n"),
        ("ram_role_arn without role", "[default]\ntype = ram_role_arn\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\n"),
        ("no default section", "[prod]\ntype = access_key\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\n"),
        ("no section at all", "type = access_key\naccess_key_id = LTAI5tFileKey\n"),
        ("sts (a camskit extension)", "[default]\ntype = sts\naccess_key_id = LTAI5tFileKey\naccess_key_secret = FileSecret123\nsecurity_token = FileToken\n"),
        ("credentials_uri (a camskit extension)", "[default]\ntype = credentials_uri\ncredentials_uri = http://127.0.0.1:1/creds\n"),
    ]


TMP = Path(tempfile.mkdtemp())

# camskit accepts these where the official Python client refuses them (other official SDKs
# read them); the vector says so, and the core test checks camskit accepts them.
EXTENSIONS = {"sts (a camskit extension)", "credentials_uri (a camskit extension)"}


def outcome(make) -> dict:
    _captured.clear()
    try:
        c = make().get_credentials()
        return {"accepted": True, "access_key_id": c.get_access_key_id()}
    except RecursionError:
        return {"accepted": False, "error": "RecursionError"}
    except Exception as e:  # the official messages, for reference
        return {"accepted": False, "error": f"{type(e).__name__}: {e}"[:200].replace(str(TMP), "<dir>")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args()
    tmp = TMP
    doc = {"generated_by": "tools/gen-credentials-vectors.sh (do not edit by hand)",
           "official": {"alibabacloud-credentials": pkg_version("alibabacloud-credentials"),
                        "alibabacloud-tea": pkg_version("alibabacloud-tea")},
           "about": "AssumeRole / AssumeRoleWithOIDC requests the official providers sent (network cut, time and nonce "
                    "pinned: input.timestamp, input.nonce), and the config.json / credentials.ini files they accept or "
                    "reject (profile 'default'). The official string to sign encodes with quote_plus (a space would be "
                    "'+'); no case here holds a space, so it equals the gateway's %20 form.",
           "assume_role": [], "assume_role_with_oidc": [], "cli_config": [], "credentials_ini": []}
    for name, inp in assume_role_cases():
        doc["assume_role"].append({"name": name, "input": {**inp, "timestamp": PIN["time"], "nonce": PIN["nonce"]},
                                   "expected": official_assume_role(inp)})
    for name, inp in oidc_cases():
        doc["assume_role_with_oidc"].append({"name": name, "input": {**inp, "timestamp": PIN["time"]},
                                             "expected": official_oidc(inp, tmp)})
    for name, text in cli_cases():
        f = tmp / "config.json"
        f.write_text(text)
        exp = outcome(lambda: CLIProfileCredentialsProvider(profile_file=str(f)))
        doc["cli_config"].append({"name": name, "file": text, "expected": exp})
    for name, text in ini_cases():
        f = tmp / "credentials.ini"
        f.write_text(text)
        def make():
            return ProfileCredentialsProvider(profile_file=str(f), profile_name="default")
        try:
            exp = outcome(make)
        except Exception as e:
            exp = {"accepted": False, "error": f"{type(e).__name__}: {e}"[:200].replace(str(TMP), "<dir>")}
        case = {"name": name, "file": text, "expected": exp}
        if name in EXTENSIONS:
            case["camskit_extension"] = True
        doc["credentials_ini"].append(case)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(doc['assume_role'])} AssumeRole, {len(doc['assume_role_with_oidc'])} OIDC, "
          f"{len(doc['cli_config'])} config.json, {len(doc['credentials_ini'])} ini", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Runs the shared vectors through an *installed* camskit (a wheel or an sdist build).

Usage: python check_installed.py /abs/path/to/tests/vectors

No pytest and nothing from the source tree: run it from a folder outside the repository so that
`import camskit` can only find the installed package. It checks the RPC 1.0, v3 and catalog
signing vectors (signature, string to sign, canonical request or query, URL parameters, body)
and the response vectors (outcome, error class and fields), and prints one summary line.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import sysconfig
from urllib.parse import parse_qsl, urlsplit

import camskit

VECTORS = sys.argv[1]
failures: list[str] = []
counts: dict[str, int] = {}


def load(name: str) -> list[dict]:
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    assert cases, name
    return cases


def check(label: str, got, want) -> None:
    if got != want:
        failures.append(f"{label}: got {got!r}, want {want!r}")


def url_params(url: str) -> list[list[str]]:
    return sorted([k, v] for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True))


def client_for(inp: dict) -> camskit.Client:
    return camskit.Client(inp["access_key_id"], inp["access_key_secret"],
                          security_token=inp.get("security_token"), endpoint=inp.get("endpoint"))


def sign_raw(inp: dict, signature: str) -> camskit.SignedRequest:
    return client_for(inp).sign(
        inp["action"], dict(inp.get("query", [])), form=dict(inp.get("form", [])),
        headers=dict(inp.get("headers", [])), method=inp["method"], timestamp=inp["timestamp"],
        nonce=inp["nonce"], signature=signature, api_version=inp["version"], raw=True)


def run(name: str, cases: list[dict], fn) -> None:
    for case in cases:
        before = len(failures)
        try:
            fn(case)
        except Exception as e:  # noqa: BLE001 - any exception is a failed vector
            failures.append(f"{name} {case['name']!r}: {type(e).__name__}: {e}")
        for i in range(before, len(failures)):
            if not failures[i].startswith(name + " "):
                failures[i] = f"{name} {case['name']!r}: {failures[i]}"
    counts[name] = len(cases)


def rpc(case: dict) -> None:
    inp, exp = case["input"], case["expected"]
    s = sign_raw(inp, "1.0")
    check("canonical_query", s.canonical_query, exp["canonical_query"])
    check("string_to_sign", s.string_to_sign, exp["string_to_sign"])
    check("signature", s.signature, exp["signature"])
    check("url_params", url_params(s.url), sorted(exp["url_params"]))
    check("body", s.body, exp.get("body"))


def v3(case: dict) -> None:
    inp, exp = case["input"], case["expected"]
    s = sign_raw(inp, "v3")
    check("canonical_request", s.canonical_request, exp["canonical_request"])
    check("string_to_sign", s.string_to_sign, exp["string_to_sign"])
    check("signature", s.signature, exp["signature"])
    check("authorization", s.header("Authorization"), exp["authorization"])
    check("url_params", url_params(s.url), sorted(exp["url_params"]))
    check("body", s.body, exp.get("body"))


COMMON_V1 = {"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
             "Timestamp", "Version", "Signature"}


def catalog(case: dict) -> None:
    inp, exp = case["input"], case["expected"]
    if "prefix" in inp:
        s = camskit.Client("id", "secret").sign("AnyAction", {inp["prefix"]: inp["value"]}, raw=True)
        sent = [[k, v] for k, v in parse_qsl(urlsplit(s.url).query, keep_blank_values=True) if k not in COMMON_V1]
        check("pairs", sorted(sent), sorted(exp["pairs"]))
        return
    s = client_for(inp).sign(inp["action"], inp["params"], signature=inp["signature"],
                             headers=dict(inp.get("headers", [])), timestamp=inp["timestamp"], nonce=inp["nonce"])
    check("string_to_sign", s.string_to_sign, exp["string_to_sign"])
    check("signature", s.signature, exp["signature"])
    check("url_params", url_params(s.url), sorted(exp["url_params"]))
    check("body", s.body, exp.get("body"))


def responses(case: dict) -> None:
    exp = case["expected"]
    body = base64.b64decode(case["body_base64"]) if "body_base64" in case else case["body"].encode("utf-8")
    outcome = exp["outcome"]
    try:
        r = camskit.parse_response(case["status"], body)
    except camskit.ApiError as e:
        check("outcome", "api_error", outcome)
        if outcome == "api_error":
            check("kind", e.kind, exp["kind"])
            check("retryable", e.retryable, exp["retryable"])
            for field in ("code", "request_id", "message"):
                if field in exp:
                    check(field, getattr(e, field), exp[field])
        return
    except camskit.ParseError as e:
        check("outcome", "parse_error", outcome)
        if outcome == "parse_error" and exp["reason_contains"] not in e.reason:
            failures.append(f"reason {e.reason!r} lacks {exp['reason_contains']!r}")
        return
    check("outcome", "ok", outcome)
    if outcome == "ok":
        for field in ("request_id", "code", "message"):
            if field in exp:
                check(field, getattr(r, field), exp[field])
        if "data" in exp:
            check("data", json.dumps(r.data, separators=(",", ":")), exp["data"])


# The package must come from the environment's site-packages, not from a source tree.
site = os.path.realpath(sysconfig.get_paths()["purelib"])
where = os.path.realpath(camskit.__file__)
if not where.startswith(site + os.sep):
    failures.append(f"camskit imported from {where}, not from {site}")
native = os.path.realpath(camskit._native.__file__)

run("rpc-v1", load("rpc-v1.json"), rpc)
run("v3", load("v3.json"), v3)
run("catalog", load("catalog.json"), catalog)
run("responses", load("responses.json"), responses)

print(f"Python {sys.version.split()[0]}: camskit {camskit.__version__} from {os.path.basename(native)}")
total = sum(counts.values())
summary = ", ".join(f"{k} {v}" for k, v in counts.items())
if failures:
    for f in failures[:20]:
        print("FAIL", f)
    print(f"{len(failures)} failed check(s) over {total} vectors ({summary})")
    sys.exit(1)
print(f"all {total} vectors passed ({summary})")

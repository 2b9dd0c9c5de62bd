"""Every conformance vector (tests/vectors/*.json), byte for byte through the Python API."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl, urlsplit

import pytest

import camskit
from conftest import load

RPC = load("rpc-v1.json")
V3 = load("v3.json")
RESPONSES = load("responses.json")


def client_for(inp: dict) -> camskit.Client:
    return camskit.Client(
        inp["access_key_id"],
        inp["access_key_secret"],
        security_token=inp.get("security_token"),
        endpoint=inp.get("endpoint"),
    )


def sign_vector(inp: dict, signature: str) -> camskit.SignedRequest:
    # raw=True: the vector's parameters exactly as given (the catalog path is tested below).
    return client_for(inp).sign(
        inp["action"],
        dict(inp.get("query", [])),
        form=dict(inp.get("form", [])),
        headers=dict(inp.get("headers", [])),
        method=inp["method"],
        timestamp=inp["timestamp"],
        nonce=inp["nonce"],
        signature=signature,
        api_version=inp["version"],
        raw=True,
    )


def url_params(url: str) -> list[list[str]]:
    return sorted([k, v] for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_vector_files_are_loaded():
    # Every case is a parametrized test below; names must be unique to be told apart.
    for cases in (RPC, V3, RESPONSES):
        assert cases
        assert len({c["name"] for c in cases}) == len(cases)


@pytest.mark.parametrize("case", RPC, ids=[c["name"] for c in RPC])
def test_rpc_v1(case):
    inp, exp = case["input"], case["expected"]
    s = sign_vector(inp, "1.0")
    assert s.signature_version == "1.0"
    assert s.method == inp["method"]
    assert s.canonical_query == exp["canonical_query"]
    assert s.string_to_sign == exp["string_to_sign"]
    assert s.signature == exp["signature"]
    assert url_params(s.url) == sorted(exp["url_params"])
    assert s.body == exp.get("body")
    assert s.canonical_request is None


@pytest.mark.parametrize("case", V3, ids=[c["name"] for c in V3])
def test_v3(case):
    inp, exp = case["input"], case["expected"]
    s = sign_vector(inp, "v3")
    assert s.signature_version == "v3"
    assert s.canonical_request == exp["canonical_request"]
    assert s.string_to_sign == exp["string_to_sign"]
    assert s.signature == exp["signature"]
    assert s.header("Authorization") == exp["authorization"]
    headers = s.headers
    assert headers.pop("authorization") == exp["authorization"]
    assert sorted(headers.items()) == sorted(tuple(h) for h in exp["headers"])
    assert headers["x-acs-content-sha256"] == exp["content_sha256"]
    assert url_params(s.url) == sorted(exp["url_params"])
    assert s.body == exp.get("body")
    assert exp["signed_headers"] in exp["authorization"]


def test_typed_helper_matches_the_register_vector():
    case = next(c for c in RPC if c["name"] == "register: plain")
    inp, exp = case["input"], case["expected"]
    q = dict(inp["query"])
    s = client_for(inp).chatapp_migration_register(
        cust_space_id=q["CustSpaceId"], phone_number=q["PhoneNumber"],
        timestamp=inp["timestamp"], nonce=inp["nonce"])
    assert s.signature == exp["signature"]
    assert s.string_to_sign == exp["string_to_sign"]
    # The catalog path through sign() with API names gives the same request.
    s2 = client_for(inp).sign("ChatappMigrationRegister", q, timestamp=inp["timestamp"], nonce=inp["nonce"])
    assert s2.url == s.url


def test_typed_helper_matches_the_v3_register_vector():
    case = V3[0]
    inp, exp = case["input"], case["expected"]
    q = dict(inp["query"])
    s = client_for(inp).chatapp_migration_register(
        cust_space_id=q["CustSpaceId"], phone_number=q["PhoneNumber"],
        timestamp=inp["timestamp"], nonce=inp["nonce"], signature="v3", headers=dict(inp["headers"]))
    assert s.canonical_request == exp["canonical_request"]
    assert s.header("authorization") == exp["authorization"]


def body_of(case: dict) -> bytes:
    if "body_base64" in case:
        return base64.b64decode(case["body_base64"])
    return case["body"].encode("utf-8")


@pytest.mark.parametrize("case", RESPONSES, ids=[c["name"] for c in RESPONSES])
def test_responses(case):
    exp = case["expected"]
    body = body_of(case)
    if exp["outcome"] == "ok":
        r = camskit.parse_response(case["status"], body)
        assert type(r) is camskit.Response
        assert r.status == case["status"]
        for field in ("request_id", "code", "message", "access_denied_detail"):
            if field in exp:
                assert getattr(r, field) == exp[field], field
        if "data" in exp:
            want = json.loads(exp["data"])  # Python's json keeps big integers exact too
            assert r.data == want
            assert json.dumps(r.data, separators=(",", ":")) == exp["data"]
        for field in exp.get("extra_fields", []):
            assert field in r.raw
            assert r[field] == r.raw[field]
    elif exp["outcome"] == "api_error":
        with pytest.raises(camskit.ApiError) as info:
            camskit.parse_response(case["status"], body)
        e = info.value
        assert e.kind == exp["kind"]
        assert type(e) is camskit._errors.ERROR_CLASSES[exp["kind"]]
        assert e.retryable is exp["retryable"]
        assert e.status == case["status"]
        for field in ("code", "request_id", "message", "access_denied_detail", "host_id",
                      "recommend", "server_string_to_sign"):
            if field in exp:
                assert getattr(e, field) == exp[field], field
    else:
        assert exp["outcome"] == "parse_error"
        with pytest.raises(camskit.ParseError) as info:
            camskit.parse_response(case["status"], body)
        assert exp["reason_contains"] in info.value.reason
        assert info.value.status == case["status"]
        assert exp["reason_contains"] in str(info.value)


@pytest.mark.parametrize("case", RESPONSES, ids=[c["name"] for c in RESPONSES])
def test_responses_as_str_bodies(case):
    """A str body parses as its UTF-8 bytes (when it is text at all)."""
    body = body_of(case)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        with pytest.raises(camskit.ParseError):
            camskit.parse_response(case["status"], body)
        return
    outcome = case["expected"]["outcome"]
    expected_class = {"ok": None, "api_error": camskit.ApiError, "parse_error": camskit.ParseError}[outcome]
    if expected_class is None:
        assert camskit.parse_response(case["status"], text).raw == camskit.parse_response(case["status"], body).raw
    else:
        with pytest.raises(expected_class):
            camskit.parse_response(case["status"], text)


CATALOG = load("catalog.json")
COMMON_V1 = {"AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
             "Timestamp", "Version", "Signature"}


@pytest.mark.parametrize("case", CATALOG, ids=[c["name"] for c in CATALOG])
def test_catalog_vectors(case):
    """Structured values (dicts, lists, ints, bools) through the catalog, against what the
    official CAMS client serialized and signed from the same data."""
    inp, exp = case["input"], case["expected"]
    if "prefix" in inp:
        # The official flattener's pairs: what raw=True sends for a structured value.
        s = camskit.Client("id", "secret").sign("AnyAction", {inp["prefix"]: inp["value"]}, raw=True)
        sent = [[k, v] for k, v in parse_qsl(urlsplit(s.url).query, keep_blank_values=True) if k not in COMMON_V1]
        assert sorted(sent) == sorted(exp["pairs"])
        return
    s = client_for(inp).sign(inp["action"], inp["params"], signature=inp["signature"],
                             headers=dict(inp.get("headers", [])), timestamp=inp["timestamp"], nonce=inp["nonce"])
    assert s.method == inp["method"]
    assert s.string_to_sign == exp["string_to_sign"]
    assert s.signature == exp["signature"]
    assert url_params(s.url) == sorted(exp["url_params"])
    assert s.body == exp.get("body")
    if inp["signature"] == "1.0":
        assert s.canonical_query == exp["canonical_query"]
    else:
        assert s.canonical_request == exp["canonical_request"]
        headers = s.headers
        assert headers.pop("authorization") == exp["authorization"]
        assert sorted(headers.items()) == sorted(tuple(h) for h in exp["headers"])
        assert headers["x-acs-content-sha256"] == exp["content_sha256"]


def test_catalog_vectors_by_snake_name():
    """The same requests with every key given as its snake name (the typed helpers' way)."""
    done = 0
    for case in CATALOG:
        inp, exp = case["input"], case["expected"]
        if "prefix" in inp:
            continue
        op = camskit.operation(inp["action"])
        snake = {p.name: p.snake_name for p in op.params}
        params = {snake.get(k, k): v for k, v in inp["params"].items()}
        helper = getattr(client_for(inp), op.snake_name)
        s = helper(**params, signature=inp["signature"], headers=dict(inp.get("headers", [])),
                   timestamp=inp["timestamp"], nonce=inp["nonce"])
        assert s.signature == exp["signature"], case["name"]
        done += 1
    assert done == sum(1 for c in CATALOG if "prefix" not in c["input"])

"""Every error kind raises its class; every bad input raises a camskit error, never crashes."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

import pytest

import camskit
from camskit import camskit_native
from camskit._errors import ERROR_CLASSES

ID, SECRET = "LTAI5tPyErrors01", "PyErrorsSecret0123456789abcdefXY"
REGISTER = {"CustSpaceId": "29348393884", "PhoneNumber": "8613800001234"}

# One answer per kind, with the class it must raise.
KINDS = [
    ("throttling", 400, "System.LimitControl", camskit.ThrottlingError, True),
    ("throttling", 429, "Whatever", camskit.ThrottlingError, True),
    ("authentication", 404, "InvalidAccessKeyId.NotFound", camskit.AuthenticationError, False),
    ("signature_mismatch", 400, "SignatureDoesNotMatch", camskit.SignatureMismatchError, False),
    ("clock_skew", 400, "InvalidTimeStamp.Expired", camskit.ClockSkewError, False),
    ("nonce_reused", 400, "SignatureNonceUsed", camskit.NonceReusedError, True),
    ("permission", 400, "Ram.PermissionDeny", camskit.PermissionDeniedError, False),
    ("not_subscribed", 400, "Product.Unsubscript", camskit.NotSubscribedError, False),
    ("invalid_parameter", 400, "MissingParameter.PhoneNumber", camskit.InvalidParameterError, False),
    ("not_found", 400, "Unknown.ResourceOwnerId", camskit.NotFoundError, False),
    ("server", 500, "InternalError", camskit.ServerError, True),
    ("other", 200, "Biz.Whatever", camskit.ApiError, False),
    # Only with the action (core's parse_response_for): a 5xx to a write may have taken effect.
    ("outcome_unknown", 500, "InternalError", camskit.OutcomeUnknownApiError, False),
]


def test_every_core_kind_has_a_class():
    core = [k for k, _retryable in camskit_native.error_kinds()]
    assert core == list(ERROR_CLASSES)  # core's kinds, in core's order
    assert {k for k, *_ in KINDS} == set(ERROR_CLASSES)
    # Every ApiError subclass is raised for one of core's kinds, and no two share one.
    subclasses = [c for c in vars(camskit._errors).values()
                  if isinstance(c, type) and issubclass(c, camskit.ApiError) and c is not camskit.ApiError]
    assert sorted(c.error_kind for c in subclasses) == sorted(k for k in core if k != "other")
    assert all(ERROR_CLASSES[c.error_kind] is c for c in subclasses)
    assert dict(camskit_native.error_kinds()) == {k: r for k, _, _, _, r in KINDS}
    # One except clause for both shapes of "outcome unknown".
    assert issubclass(camskit.OutcomeUnknownApiError, camskit.OutcomeUnknownError)
    assert issubclass(camskit.TransportOutcomeUnknownError, camskit.OutcomeUnknownError)
    assert issubclass(camskit.TransportOutcomeUnknownError, camskit.TransportError)


def test_a_5xx_keeps_its_meaning_per_operation():
    body = b'{"Code":"InternalError","Message":"boom","RequestId":"r"}'
    with pytest.raises(camskit.ServerError) as info:
        camskit.parse_response(500, body, "ListChatappTemplate")
    assert info.value.retryable
    with pytest.raises(camskit.ServerError):
        camskit.parse_response(500, body)  # no action: the plain kind
    for write in ("SendChatappMessage", "ChatappMigrationRegister"):
        with pytest.raises(camskit.OutcomeUnknownError) as info:
            camskit.parse_response(500, body, write)
        assert info.value.kind == "outcome_unknown" and not info.value.retryable
    names = {c.__name__ for c in ERROR_CLASSES.values()} | {
        c.__name__ for c in (camskit.CamsError, camskit.ValidationError, camskit.ParameterTypeError,
                             camskit.ParseError, camskit.CredentialsError)}
    import builtins
    assert not names & set(dir(builtins)), "an exception class shadows a builtin"


@pytest.mark.parametrize("kind,status,code,cls,retryable", KINDS, ids=[f"{k}-{c}" for k, _, c, *_ in KINDS])
def test_kind_raises_its_class(kind, status, code, cls, retryable):
    body = json.dumps({"RequestId": "rid-1", "HostId": "cams.aliyuncs.com", "Code": code,
                       "Message": f"msg for {code}", "Recommend": "https://next.api.aliyun.com/x",
                       "AccessDeniedDetail": {"PolicyType": "Account"}})
    action = "SendChatappMessage" if kind == "outcome_unknown" else None
    with pytest.raises(cls) as info:
        camskit.parse_response(status, body.encode(), action)
    e = info.value
    assert type(e) is cls
    assert isinstance(e, camskit.ApiError) and isinstance(e, camskit.CamsError)
    assert (e.kind, e.status, e.code, e.retryable) == (kind, status, code, retryable)
    assert e.message == f"msg for {code}"
    assert e.request_id == "rid-1" and e.host_id == "cams.aliyuncs.com"
    assert e.recommend == "https://next.api.aliyun.com/x"
    assert json.loads(e.access_denied_detail) == {"PolicyType": "Account"}
    assert e.body["Code"] == code
    assert code in str(e) and "rid-1" in str(e) and code in repr(e)


def test_signature_mismatch_carries_the_server_string_to_sign():
    body = b'{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:POST&%2F&A%3Db","RequestId":"r"}'
    with pytest.raises(camskit.SignatureMismatchError) as info:
        camskit.parse_response(400, body)
    assert info.value.server_string_to_sign == "POST&%2F&A%3Db"


def test_typed_response_shape_errors_are_parse_errors():
    with pytest.raises(camskit.ParseError):
        camskit.parse_response(200, b'{"Code":"OK","Data":[1]}', action="CreateChatappMigrationInitiate")
    with pytest.raises(camskit.ValidationError):
        camskit.parse_response(200, b'{"Code":"OK"}', action="NoSuchAction")
    r = camskit.parse_response(200, b'{"Code":"OK","Data":{"X":1}}', action="ListChatappTemplate")
    assert type(r) is camskit.Response and r.data == {"X": 1}


def test_big_numbers_exact():
    # Core: 64-bit integers (i64 and u64) exact; bigger ones in an answer become floats; a
    # number beyond f64 is not JSON core parses.
    r = camskit.parse_response(200, b'{"Code":"OK","Data":{"Id":9007199254740993,"U":18446744073709551615,"Big":123456789012345678901234567890,"Neg":-9223372036854775809,"F":0.1}}')
    assert r.data["Id"] == 9007199254740993 and type(r.data["Id"]) is int
    assert r.data["U"] == 18446744073709551615 and type(r.data["U"]) is int
    assert r.data["Big"] == float(123456789012345678901234567890) and type(r.data["Big"]) is float
    assert r.data["Neg"] == float(-9223372036854775809)
    assert r.data["F"] == 0.1
    with pytest.raises(camskit.ParseError, match="not valid JSON"):
        camskit.parse_response(200, b'{"Code":"OK","Data":{"E":1e400}}')


c = camskit.Client(ID, SECRET)


class Weird:
    def __str__(self):  # noqa: D105
        raise RuntimeError("boom")


def nested(depth):
    v: object = "x"
    for _ in range(depth):
        v = [v]
    return v


BAD_SIGN_CALLS = [
    ("action None", lambda: c.sign(None, REGISTER), camskit.ParameterTypeError),
    ("action int", lambda: c.sign(42, REGISTER), camskit.ParameterTypeError),
    ("action bytes", lambda: c.sign(b"ChatappMigrationRegister", REGISTER), camskit.ParameterTypeError),
    ("action empty", lambda: c.sign("", REGISTER), camskit.ValidationError),
    ("action unknown", lambda: c.sign("NoSuchThing", REGISTER), camskit.ValidationError),
    ("action lone surrogate", lambda: c.sign("Chat\udcffapp", REGISTER), camskit.ValidationError),
    ("action huge", lambda: c.sign("A" * 10_000_000, {}, raw=True), camskit.ValidationError),
    ("params list", lambda: c.sign("ChatappMigrationRegister", [("CustSpaceId", "1")]), camskit.ParameterTypeError),
    ("params str", lambda: c.sign("ChatappMigrationRegister", "CustSpaceId=1"), camskit.ParameterTypeError),
    ("param name int", lambda: c.sign("ChatappMigrationRegister", {1: "x"}), camskit.ParameterTypeError),
    ("param value bytes", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": b"\xff\xfe"}), camskit.ParameterTypeError),
    ("param value bytearray", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": bytearray(b"1")}), camskit.ParameterTypeError),
    ("param value object", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": object()}), camskit.ParameterTypeError),
    ("param value weird", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": Weird()}), camskit.ParameterTypeError),
    ("param value set", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": {1, 2}}), camskit.ParameterTypeError),
    ("param value surrogate", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": "86\ud800"}), camskit.ValidationError),
    ("param name surrogate", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "X\udc00": "1"}), camskit.ValidationError),
    ("param wrong type", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": 8613800001234}), camskit.ParameterTypeError),
    ("param value None (required)", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": None}), camskit.ValidationError),
    ("param value huge", lambda: c.sign("ChatappMigrationRegister", {**REGISTER, "PhoneNumber": "9" * (1 << 20)}), camskit.ValidationError),
    ("param value nan", lambda: c.sign("X", {"A": float("nan")}, raw=True), camskit.ValidationError),
    ("param value inf", lambda: c.sign("X", {"A": float("inf")}, raw=True), camskit.ValidationError),
    ("param int beyond 4300 digits", lambda: c.sign("X", {"A": 10 ** 5000}, raw=True), camskit.ValidationError),
    ("param deep nesting", lambda: c.sign("X", {"A": nested(100_000)}, raw=True), camskit.ValidationError),
    ("raw param name with =", lambda: c.sign("X", {"A=B": "1"}, raw=True), camskit.ValidationError),
    ("raw reserved name", lambda: c.sign("X", {"Signature": "1"}, raw=True), camskit.ValidationError),
    ("raw form on GET", lambda: c.sign("X", {}, form={"A": "1"}, method="GET", raw=True), camskit.ValidationError),
    ("method bad", lambda: c.sign("ChatappMigrationRegister", REGISTER, method="PUT"), camskit.ValidationError),
    ("method int", lambda: c.sign("ChatappMigrationRegister", REGISTER, method=1), camskit.ParameterTypeError),
    ("timestamp bad text", lambda: c.sign("ChatappMigrationRegister", REGISTER, timestamp="yesterday"), camskit.ValidationError),
    ("timestamp huge int", lambda: c.sign("ChatappMigrationRegister", REGISTER, timestamp=10 ** 30), camskit.ValidationError),
    ("timestamp negative", lambda: c.sign("ChatappMigrationRegister", REGISTER, timestamp=-10 ** 15), camskit.ValidationError),
    ("timestamp nan", lambda: c.sign("ChatappMigrationRegister", REGISTER, timestamp=float("nan")), camskit.ValidationError),
    ("timestamp bool", lambda: c.sign("ChatappMigrationRegister", REGISTER, timestamp=True), camskit.ParameterTypeError),
    ("timestamp list", lambda: c.sign("ChatappMigrationRegister", REGISTER, timestamp=[2025]), camskit.ParameterTypeError),
    ("nonce empty", lambda: c.sign("ChatappMigrationRegister", REGISTER, nonce=""), camskit.ValidationError),
    ("nonce whitespace", lambda: c.sign("ChatappMigrationRegister", REGISTER, nonce="a b"), camskit.ValidationError),
    ("nonce huge", lambda: c.sign("ChatappMigrationRegister", REGISTER, nonce="n" * 100_000), camskit.ValidationError),
    ("nonce int", lambda: c.sign("ChatappMigrationRegister", REGISTER, nonce=5), camskit.ParameterTypeError),
    ("signature None-ish", lambda: c.sign("ChatappMigrationRegister", REGISTER, signature=3), camskit.ParameterTypeError),
    ("headers list", lambda: c.sign("ChatappMigrationRegister", REGISTER, headers=[("a", "b")]), camskit.ParameterTypeError),
    ("header reserved", lambda: c.sign("ChatappMigrationRegister", REGISTER, headers={"Authorization": "x"}), camskit.ValidationError),
    ("header bad name", lambda: c.sign("ChatappMigrationRegister", REGISTER, headers={"a b": "x"}), camskit.ValidationError),
    ("header value newline", lambda: c.sign("ChatappMigrationRegister", REGISTER, headers={"x-a": "1\r\nx: y"}), camskit.ValidationError),
    ("header value int", lambda: c.sign("ChatappMigrationRegister", REGISTER, headers={"x-a": 1}), camskit.ParameterTypeError),
    ("helper positional", lambda: c.chatapp_migration_register("1", "2"), TypeError),
    ("client id int", lambda: camskit.Client(1, SECRET), camskit.ParameterTypeError),
    ("client secret bytes", lambda: camskit.Client(ID, b"secret"), camskit.ParameterTypeError),
    ("client secret surrogate", lambda: camskit.Client(ID, "s\udc80"), camskit.ValidationError),
    ("client id control char", lambda: camskit.Client("LTAI\n", SECRET), camskit.CredentialsError),
    ("client endpoint int", lambda: camskit.Client(ID, SECRET, endpoint=8080), camskit.ParameterTypeError),
]


@pytest.mark.parametrize("name,call,cls", BAD_SIGN_CALLS, ids=[b[0] for b in BAD_SIGN_CALLS])
def test_bad_inputs_raise(name, call, cls):
    with pytest.raises(cls) as info:
        call()
    assert str(info.value)
    assert SECRET not in str(info.value)


BAD_PARSE_CALLS = [
    ("status str", lambda: camskit.parse_response("200", b"{}"), camskit.ParameterTypeError),
    ("status None", lambda: camskit.parse_response(None, b"{}"), camskit.ParameterTypeError),
    ("status bool", lambda: camskit.parse_response(True, b"{}"), camskit.ParameterTypeError),
    ("status huge", lambda: camskit.parse_response(10 ** 40, b"{}"), camskit.ValidationError),
    ("status negative", lambda: camskit.parse_response(-1, b"{}"), camskit.ValidationError),
    ("status 700", lambda: camskit.parse_response(700, b'{"Code":"OK"}'), camskit.ParseError),
    ("body None", lambda: camskit.parse_response(200, None), camskit.ParameterTypeError),
    ("body int", lambda: camskit.parse_response(200, 5), camskit.ParameterTypeError),
    ("body dict", lambda: camskit.parse_response(200, {"Code": "OK"}), camskit.ParameterTypeError),
    ("body non-UTF-8", lambda: camskit.parse_response(200, b"\xff\xfe\x00{"), camskit.ParseError),
    ("body surrogate str", lambda: camskit.parse_response(200, '{"Code":"\udc80"}'), camskit.ValidationError),
    ("body deep JSON", lambda: camskit.parse_response(200, b"[" * 100_000 + b"]" * 100_000), camskit.ParseError),
    ("body huge garbage", lambda: camskit.parse_response(502, b"\x00" * (8 << 20)), camskit.ParseError),
    ("action int", lambda: camskit.parse_response(200, b'{"Code":"OK"}', action=5), camskit.ParameterTypeError),
    ("operation None", lambda: camskit.operation(None), camskit.ParameterTypeError),
]


@pytest.mark.parametrize("name,call,cls", BAD_PARSE_CALLS, ids=[b[0] for b in BAD_PARSE_CALLS])
def test_bad_parse_inputs_raise(name, call, cls):
    with pytest.raises(cls):
        call()


def test_parse_accepts_bytes_like():
    body = b'{"Code":"OK","RequestId":"r"}'
    for b in (body, bytearray(body), memoryview(body), body.decode()):
        assert camskit.parse_response(200, b).request_id == "r"


def test_parse_error_snippet_is_bounded():
    with pytest.raises(camskit.ParseError) as info:
        camskit.parse_response(502, b"<html>" + b"x" * 100_000)
    assert len(info.value.snippet) < 200 and "HTML" in info.value.reason


def test_no_crash_in_a_subprocess():
    """The nastiest inputs, in a child interpreter: it must exit normally (no abort/segfault)."""
    code = r"""
import camskit
c = camskit.Client("LTAI5tPyErrors01", "PyErrorsSecret0123456789abcdefXY")
v = "x"
for _ in range(200000): v = [v]
d = {}
cur = d
for _ in range(200000):
    cur["a"] = {}; cur = cur["a"]
bad = [
    lambda: c.sign("X", {"A": v}, raw=True),
    lambda: c.sign("ChatappMigrationRegister", {"CustSpaceId": v, "PhoneNumber": "1"}),
    lambda: c.sign("X", {"A": d}, raw=True),
    lambda: camskit.parse_response(200, b"[" * 1000000),
    lambda: camskit.parse_response(200, b'{"a":' * 500000),
    lambda: c.sign("\udcff" * 1000, {}),
    lambda: camskit.parse_response(200, "\ud800" * 1000),
]
for f in bad:
    try:
        f()
    except camskit.CamsError:
        pass
    else:
        raise SystemExit("no error")
print("survived")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "survived"


def test_many_errors_do_not_leak_or_break_state():
    for _ in range(2000):
        with pytest.raises(camskit.ValidationError):
            c.sign("ChatappMigrationRegister", {"PhoneNumber": "1"})
    gc.collect()
    assert c.sign("ChatappMigrationRegister", REGISTER).signature

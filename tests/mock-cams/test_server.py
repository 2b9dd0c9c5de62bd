"""Tests of mock-cams itself: its strict checks, its scripted faults, effect counting, paging.

Standard library and pytest only; requests are signed by the small signers below (1.0 and
ACS3-HMAC-SHA256), written from the published algorithms, not taken from camskit.
Run: python3 -m pytest tests/mock-cams -q
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import subprocess
import sys
import time
import uuid
from base64 import b64encode
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote

import pytest

SERVER = Path(__file__).with_name("server.py")
KEY, SECRET = "LTAI5tMockTestKey01", "MockTestSecret0123456789"
STS_KEY, STS_SECRET, STS_TOKEN = "STS.MockTestKey02", "StsMockSecret", "CAIS+sts/token=value"
VERSION = "2020-06-06"
SEND = {"ChannelType": "whatsapp", "From": "8613800001234", "To": "8613900001234", "Type": "message",
        "CustSpaceId": "cs-1"}
REGISTER = {"CustSpaceId": "cs-real", "PhoneNumber": "+86 138 0000 1234"}


def enc(s: str) -> str:
    return quote(s, safe="~", encoding="utf-8")


def stamp(t: float | None = None) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if t is None else t))


# ---------------------------------------------------------------- the mock process

class Mock:
    def __init__(self, tmp: Path):
        port_file = tmp / "port"
        self.proc = subprocess.Popen(
            [sys.executable, str(SERVER), "--port", "0", "--port-file", str(port_file),
             "--key", f"{KEY}:{SECRET}", "--key", f"{STS_KEY}:{STS_SECRET}:{STS_TOKEN}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 15
        while not port_file.exists():
            assert self.proc.poll() is None, "mock-cams exited"
            assert time.time() < deadline, "mock-cams did not start"
            time.sleep(0.02)
        self.port = int(port_file.read_text())

    def http(self, method: str, target: str, headers: dict | None = None, body: bytes = b"",
             raw_headers: list | None = None):
        """Sends one request on a fresh connection; returns (status, headers, parsed body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            for k, v in raw_headers or []:
                conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            try:
                parsed = json.loads(data) if data else None
            except ValueError:
                parsed = data
            return resp.status, resp.headers, parsed
        finally:
            conn.close()

    def control(self, method: str, path: str, data=None):
        body = json.dumps(data).encode() if data is not None else b""
        return self.http(method, "/__mock/" + path, {"Content-Type": "application/json"}, body)

    def script(self, **script):
        status, _, body = self.control("POST", "script", script)
        assert status == 200, body
        return body

    def effects(self):
        return self.control("GET", "effects")[2]

    def stop(self):
        self.proc.kill()
        self.proc.wait()


@pytest.fixture(scope="module")
def mock(tmp_path_factory):
    m = Mock(tmp_path_factory.mktemp("mock"))
    yield m
    m.stop()


@pytest.fixture(autouse=True)
def fresh(mock):
    assert mock.control("POST", "reset")[0] == 200


# ---------------------------------------------------------------- signers

def sign_v1(action: str, params: dict, form: dict | None = None, key=KEY, secret=SECRET, token=None,
            method="POST", timestamp=None, nonce=None):
    """RPC 1.0: returns (query string, form body) with every parameter signed."""
    query = {"Action": action, "Version": VERSION, "Format": "JSON", "AccessKeyId": key,
             "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
             "SignatureNonce": nonce or uuid.uuid4().hex, "Timestamp": timestamp or stamp(), **params}
    if token:
        query["SecurityToken"] = token
    form = form or {}
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted({**query, **form}.items()))
    to_sign = f"{method}&%2F&{enc(canonical)}"
    sig = b64encode(hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    qs = "&".join(f"{enc(k)}={enc(v)}" for k, v in query.items()) + "&Signature=" + enc(sig)
    body = "&".join(f"{enc(k)}={enc(v)}" for k, v in form.items())
    return qs, body


def send_v1(mock: Mock, action: str, params: dict, form: dict | None = None, method="POST",
            prefix="", suffix="", **kw):
    qs, body = sign_v1(action, params, form, method=method, **kw)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    return mock.http(method, f"/?{prefix}{qs}{suffix}", headers, body.encode())


def sign_v3(mock: Mock, action: str, query: dict, form: dict | None = None, key=KEY, secret=SECRET,
            token=None, method="POST", timestamp=None, nonce=None, extra_headers: dict | None = None,
            sign_names=None, drop=()):
    """ACS3-HMAC-SHA256: returns (target, headers, body). `sign_names` replaces the list of
    signed headers (in the order given), `drop` leaves names out of the default list."""
    body = "&".join(f"{enc(k)}={enc(v)}" for k, v in (form or {}).items()).encode()
    headers = {"host": f"127.0.0.1:{mock.port}", "x-acs-action": action, "x-acs-version": VERSION,
               "x-acs-date": timestamp or stamp(), "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
               "x-acs-content-sha256": hashlib.sha256(body).hexdigest()}
    if body:
        headers["content-type"] = "application/x-www-form-urlencoded"
    if token:
        headers["x-acs-security-token"] = token
        headers["x-acs-accesskey-id"] = key
    headers.update(extra_headers or {})
    names = sign_names if sign_names is not None else [n for n in sorted(headers) if n not in drop]
    cq = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(query.items()))
    canonical = "\n".join([method, "/", cq, "".join(f"{n}:{headers.get(n, '').strip()}\n" for n in names),
                           ";".join(names), headers["x-acs-content-sha256"]])
    to_sign = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canonical.encode()).hexdigest()
    sig = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = f"ACS3-HMAC-SHA256 Credential={key},SignedHeaders={';'.join(names)},Signature={sig}"
    headers.pop("host")  # http.client sends the same Host itself
    return ("/?" + cq if cq else "/"), headers, body


def send_v3(mock: Mock, action: str, query: dict, form: dict | None = None, method="POST", prefix="",
            raw_headers=None, **kw):
    target, headers, body = sign_v3(mock, action, query, form, method=method, **kw)
    if prefix:
        target = "/?" + prefix + target[2:]
    return mock.http(method, target, headers, body, raw_headers)


SENDERS = {"1.0": send_v1, "v3": send_v3}


# ---------------------------------------------------------------- what works keeps working

@pytest.mark.parametrize("sig", ["1.0", "v3"])
def test_signed_request_succeeds(mock, sig):
    status, headers, body = SENDERS[sig](mock, "ChatappMigrationRegister", REGISTER)
    assert (status, body["Code"]) == (200, "OK"), body
    seen = mock.control("GET", "requests")[2]
    assert seen[-1]["params"] == REGISTER and seen[-1]["signature"] == sig


@pytest.mark.parametrize("sig", ["1.0", "v3"])
def test_sts_token_and_form_body(mock, sig):
    status, _, body = SENDERS[sig](mock, "ChatappMigrationRegister", {"CustSpaceId": "cs-1"},
                                   {"PhoneNumber": "+86 138"}, key=STS_KEY, secret=STS_SECRET, token=STS_TOKEN)
    assert (status, body["Code"]) == (200, "OK"), body


def test_demo_key_and_get(mock):
    status, _, body = send_v1(mock, "ListChatappTemplate", {}, method="GET", key="LTAI5tCamsKitDemoKey01",
                              secret="CamsKitDemoSecret0123456789abcd")
    assert status == 200, body


@pytest.mark.parametrize("sig", ["1.0", "v3"])
def test_wrong_secret_and_catalog_and_scenarios(mock, sig):
    send = SENDERS[sig]
    assert send(mock, "ChatappMigrationRegister", REGISTER, secret="bad")[2]["Code"] == "SignatureDoesNotMatch"
    assert send(mock, "NoSuchAction", {})[2]["Code"] == "InvalidAction.NotFound"
    assert send(mock, "ChatappMigrationRegister", {"CustSpaceId": "x"})[2]["Code"] == "MissingParameter"
    assert send(mock, "ChatappMigrationRegister", {**REGISTER, "Bogus": "1"})[2]["Code"] == "InvalidParameter"
    status, _, body = send(mock, "ChatappMigrationRegister", {**REGISTER, "CustSpaceId": "cs-throttled"})
    assert (status, body["Code"]) == (400, "System.LimitControl")


def test_nonce_reuse_and_expired_time(mock):
    send_v1(mock, "ChatappMigrationRegister", REGISTER, nonce="n-1")
    assert send_v1(mock, "ChatappMigrationRegister", REGISTER, nonce="n-1")[2]["Code"] == "SignatureNonceUsed"
    old = stamp(time.time() - 3600)
    assert send_v3(mock, "ChatappMigrationRegister", REGISTER, timestamp=old)[2]["Code"] == "InvalidTimeStamp.Expired"


def test_cors_preflight(mock):
    status, headers, _ = mock.http("OPTIONS", "/", {"Origin": "http://localhost:5173"})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert "x-acs-security-token" in headers["Access-Control-Allow-Headers"]
    assert "x-acs-retry-after" in headers["Access-Control-Expose-Headers"]


# ---------------------------------------------------------------- strict: each parameter once

def gateway_error(resp, status, code):
    got_status, _, body = resp
    assert (got_status, body.get("Code")) == (status, code), body
    assert set(body) == {"RequestId", "HostId", "Code", "Message", "Recommend"}


def test_v1_unsigned_copy_before_the_query_is_refused(mock):
    resp = send_v1(mock, "ChatappMigrationRegister", REGISTER, prefix="CustSpaceId=cs-EVIL&")
    gateway_error(resp, 400, "InvalidParameter")
    assert mock.control("GET", "requests")[2] == []


def test_v1_copy_after_the_signature_is_refused(mock):
    # PhoneNumber is signed in the form; a second PhoneNumber rides in the query after Signature.
    resp = send_v1(mock, "ChatappMigrationRegister", {"CustSpaceId": "cs-1"}, {"PhoneNumber": "+86 138"},
                   suffix="&PhoneNumber=1")
    gateway_error(resp, 400, "InvalidParameter")


def test_v1_signature_twice_is_refused(mock):
    qs, _ = sign_v1("ChatappMigrationRegister", REGISTER)
    sig = qs.rsplit("&Signature=", 1)[1]
    gateway_error(send_v1(mock, "ChatappMigrationRegister", REGISTER, suffix="&Signature=" + sig),
                  400, "InvalidParameter")


def test_v3_query_twice_is_refused(mock):
    gateway_error(send_v3(mock, "ChatappMigrationRegister", REGISTER, prefix="CustSpaceId=cs-EVIL&"),
                  400, "InvalidParameter")


def test_v3_query_and_form_with_one_name_is_refused(mock):
    resp = send_v3(mock, "ChatappMigrationRegister", REGISTER, {"CustSpaceId": "cs-EVIL"})
    gateway_error(resp, 400, "InvalidParameter")


def test_v3_form_twice_is_refused(mock):
    target, headers, _ = sign_v3(mock, "ChatappMigrationRegister", {"CustSpaceId": "cs-1"},
                                 {"PhoneNumber": "1"})
    body = b"PhoneNumber=1&PhoneNumber=2"
    headers["x-acs-content-sha256"] = hashlib.sha256(body).hexdigest()
    # The signature no longer matches either; the duplicate is what is reported first.
    gateway_error(mock.http("POST", target, headers, body), 400, "InvalidParameter")


# ---------------------------------------------------------------- strict: v3 signed headers

def test_v3_body_without_signed_content_type_is_refused(mock):
    resp = send_v3(mock, "ChatappMigrationRegister", {"CustSpaceId": "cs-1"}, {"PhoneNumber": "1"},
                   drop=("content-type",))
    gateway_error(resp, 400, "IncompleteSignature")


def test_v3_unsigned_security_token_is_refused(mock):
    resp = send_v3(mock, "ChatappMigrationRegister", REGISTER, key=STS_KEY, secret=STS_SECRET, token=STS_TOKEN,
                   drop=("x-acs-security-token",))
    gateway_error(resp, 400, "IncompleteSignature")


def test_v3_unsigned_accesskey_id_is_refused(mock):
    resp = send_v3(mock, "ChatappMigrationRegister", REGISTER, key=STS_KEY, secret=STS_SECRET, token=STS_TOKEN,
                   drop=("x-acs-accesskey-id",))
    gateway_error(resp, 400, "IncompleteSignature")


def test_v3_accesskey_id_must_match_the_credential(mock):
    resp = send_v3(mock, "ChatappMigrationRegister", REGISTER, key=STS_KEY, secret=STS_SECRET, token=STS_TOKEN,
                   extra_headers={"x-acs-accesskey-id": KEY})
    gateway_error(resp, 400, "IncompleteSignature")


def test_v3_any_unsigned_x_acs_header_is_refused(mock):
    resp = send_v3(mock, "ChatappMigrationRegister", REGISTER, raw_headers=[("x-acs-extra", "1")])
    gateway_error(resp, 400, "IncompleteSignature")


@pytest.mark.parametrize("name", ["host", "x-acs-action", "x-acs-version", "x-acs-date",
                                  "x-acs-signature-nonce", "x-acs-content-sha256"])
def test_v3_required_header_unsigned_is_refused(mock, name):
    gateway_error(send_v3(mock, "ChatappMigrationRegister", REGISTER, drop=(name,)), 400, "IncompleteSignature")


def v3_names():
    names = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"]
    return names


def test_v3_signed_headers_out_of_order_are_refused(mock):
    names = v3_names()
    names[1], names[2] = names[2], names[1]
    gateway_error(send_v3(mock, "ChatappMigrationRegister", REGISTER, sign_names=names), 400, "IncompleteSignature")


def test_v3_signed_header_named_twice_is_refused(mock):
    names = v3_names()
    names.insert(1, "host")
    gateway_error(send_v3(mock, "ChatappMigrationRegister", REGISTER, sign_names=names), 400, "IncompleteSignature")


def test_v3_signed_header_in_upper_case_is_refused(mock):
    # Every required name is there; one more is in upper case (and sorted as such).
    names = ["User-Agent", *v3_names()]
    resp = send_v3(mock, "ChatappMigrationRegister", REGISTER, extra_headers={"user-agent": "t/1"}, sign_names=names)
    gateway_error(resp, 400, "IncompleteSignature")


def test_v3_signed_header_sent_twice_is_refused(mock):
    target, headers, body = sign_v3(mock, "ChatappMigrationRegister", REGISTER)
    resp = mock.http("POST", target, headers, body, [("x-acs-date", headers["x-acs-date"])])
    gateway_error(resp, 400, "IncompleteSignature")


def test_v3_extra_signed_headers_are_fine(mock):
    status, _, body = send_v3(mock, "ChatappMigrationRegister", REGISTER,
                              extra_headers={"user-agent": "t/1", "accept": "application/json"})
    assert status == 200, body


# ---------------------------------------------------------------- strict: time format

def now_parts():
    return time.strftime("%Y-%m-%dT%H:%M", time.gmtime())


@pytest.mark.parametrize("sig", ["1.0", "v3"])
@pytest.mark.parametrize("bad", ["second60", "second61", "minute60", "hour24", "month13", "feb30",
                                 "one_digit", "fraction", "offset", "space"])
def test_malformed_timestamp_is_refused(mock, sig, bad):
    t = time.gmtime()
    y, mo, d, h, mi = t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min
    value = {
        "second60": f"{now_parts()}:60Z",  # strptime reads this as the next minute: close to now
        "second61": f"{now_parts()}:61Z",
        "minute60": f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:60:00Z",
        "hour24": f"{y:04d}-{mo:02d}-{d:02d}T24:00:00Z",
        "month13": f"{y:04d}-13-01T00:00:00Z",
        "feb30": f"{y:04d}-02-30T00:00:00Z",
        "one_digit": f"{y:04d}-{mo}-{d}T{h}:{mi}:0Z",
        "fraction": f"{now_parts()}:00.000Z",
        "offset": f"{now_parts()}:00+00:00",
        "space": f"{now_parts()}:00Z ",
    }[bad]
    gateway_error(SENDERS[sig](mock, "ChatappMigrationRegister", REGISTER, timestamp=value),
                  400, "InvalidTimeStamp.Format")


def test_leap_day_is_a_real_date(mock):
    # The parser alone: a leap day is far outside the window.
    import importlib.util
    spec = importlib.util.spec_from_file_location("mock_cams_server", SERVER)
    server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server)
    parse_time = server.parse_time
    assert parse_time("2024-02-29T23:59:59Z") == 1709251199
    with pytest.raises(server.GatewayError):
        parse_time("2023-02-29T00:00:00Z")


# ---------------------------------------------------------------- Date header

def date_of(headers) -> float:
    return parsedate_to_datetime(headers["Date"]).timestamp()


def test_every_answer_has_a_date(mock):
    answers = [send_v1(mock, "ChatappMigrationRegister", REGISTER),
               send_v1(mock, "ChatappMigrationRegister", REGISTER, secret="bad"),
               mock.control("GET", "effects"), mock.http("OPTIONS", "/")]
    for _, headers, _ in answers:
        assert abs(date_of(headers) - time.time()) < 5
        assert headers["Date"].endswith(" GMT")


# ---------------------------------------------------------------- faults and effects

def test_throttle_with_retry_hints_then_success(mock):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "throttle", "times": 2,
                         "retry_after_ms": 250, "retry_after_s": 1}])
    for _ in range(2):
        status, headers, body = send_v1(mock, "SendChatappMessage", SEND)
        assert (status, body["Code"]) == (400, "System.LimitControl")
        assert headers["x-acs-retry-after"] == "250" and headers["Retry-After"] == "1"
    status, headers, body = send_v3(mock, "SendChatappMessage", SEND)
    assert (status, body["Code"]) == (200, "OK") and "x-acs-retry-after" not in headers
    assert mock.effects() == {"effects": {"SendChatappMessage": 1}, "attempts": {"SendChatappMessage": 3}}


def test_throttle_without_hints_has_no_retry_headers(mock):
    mock.script(faults=[{"action": "*", "mode": "throttle"}])
    _, headers, body = send_v1(mock, "SendChatappMessage", SEND)
    assert body["Code"] == "System.LimitControl"
    assert "x-acs-retry-after" not in headers and "Retry-After" not in headers


@pytest.mark.parametrize("mode,status,code,effect", [
    ("http429", 429, "Throttling", 0),
    ("error500_after_effect", 500, "InternalError", 1),
    ("error500_before_effect", 500, "ServiceUnavailable", 0),
    ("nonce_used", 400, "SignatureNonceUsed", 0),
])
def test_error_modes(mock, mode, status, code, effect):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": mode}])
    gateway_error(send_v3(mock, "SendChatappMessage", SEND), status, code)
    assert mock.effects()["effects"].get("SendChatappMessage", 0) == effect
    assert send_v3(mock, "SendChatappMessage", SEND)[0] == 200
    assert mock.effects() == {"effects": {"SendChatappMessage": effect + 1}, "attempts": {"SendChatappMessage": 2}}


def test_drop_after_effect_closes_without_an_answer(mock):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "drop_after_effect"}])
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        send_v1(mock, "SendChatappMessage", SEND)
    assert mock.effects() == {"effects": {"SendChatappMessage": 1}, "attempts": {"SendChatappMessage": 1}}


def test_redirect_to_another_host(mock):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "redirect"}])
    status, headers, _ = send_v1(mock, "SendChatappMessage", SEND)
    assert status == 302
    assert headers["Location"].startswith(f"http://127.0.0.2:{mock.port}/?")
    assert mock.effects() == {"effects": {}, "attempts": {"SendChatappMessage": 1}}


def test_stale_clock_fault_then_corrected_retry(mock):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "stale_clock", "offset_s": 7200}],
                clock_offset_s=7200)
    status, headers, body = send_v1(mock, "SendChatappMessage", SEND)
    gateway_error((status, headers, body), 400, "InvalidTimeStamp.Expired")
    server_now = date_of(headers)
    assert abs(server_now - (time.time() + 7200)) < 5
    # The retry, stamped with the time from Date, passes (the offset persists).
    status, headers, body = send_v1(mock, "SendChatappMessage", SEND, timestamp=stamp(server_now))
    assert (status, body["Code"]) == (200, "OK"), body
    assert abs(date_of(headers) - (time.time() + 7200)) < 5
    assert mock.effects() == {"effects": {"SendChatappMessage": 1}, "attempts": {"SendChatappMessage": 2}}


def test_stale_clock_fault_lasts_its_times_only(mock):
    mock.script(faults=[{"action": "*", "mode": "stale_clock", "offset_s": -7200, "times": 1}])
    status, headers, body = send_v3(mock, "SendChatappMessage", SEND)
    assert body["Code"] == "InvalidTimeStamp.Expired"
    assert abs(date_of(headers) - (time.time() - 7200)) < 5
    assert send_v3(mock, "SendChatappMessage", SEND)[0] == 200


def test_stale_clock_fault_passes_a_request_on_its_clock(mock):
    mock.script(faults=[{"mode": "stale_clock", "offset_s": 7200}])
    assert send_v3(mock, "SendChatappMessage", SEND, timestamp=stamp(time.time() + 7200))[0] == 200
    assert mock.control("GET", "script")[2]["faults"] == []


def test_clock_offset_persists_until_reset(mock):
    mock.script(clock_offset_s=3600)
    assert send_v1(mock, "SendChatappMessage", SEND)[2]["Code"] == "InvalidTimeStamp.Expired"
    for _ in range(2):
        assert send_v1(mock, "SendChatappMessage", SEND, timestamp=stamp(time.time() + 3600))[0] == 200
    mock.control("POST", "reset")
    assert send_v1(mock, "SendChatappMessage", SEND)[0] == 200
    _, headers, _ = mock.control("GET", "effects")
    assert abs(date_of(headers) - time.time()) < 5


def test_faults_are_consumed_in_order_per_action(mock):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "throttle"},
                        {"action": "ChatappMigrationRegister", "mode": "http429"},
                        {"action": "*", "mode": "error500_before_effect", "times": 2}])
    seq = [send_v1(mock, "ChatappMigrationRegister", REGISTER)[0],  # its own http429
           send_v1(mock, "SendChatappMessage", SEND)[0],  # throttle
           send_v1(mock, "SendChatappMessage", SEND)[0],  # "*" 1 of 2
           send_v1(mock, "ChatappMigrationRegister", REGISTER)[0],  # "*" 2 of 2
           send_v1(mock, "ChatappMigrationRegister", REGISTER)[0]]
    assert seq == [429, 400, 500, 500, 200]
    assert mock.effects() == {"effects": {"ChatappMigrationRegister": 1},
                              "attempts": {"ChatappMigrationRegister": 3, "SendChatappMessage": 2}}


def test_rejected_requests_count_as_attempts_but_consume_no_fault(mock):
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "throttle"}])
    assert send_v1(mock, "SendChatappMessage", SEND, secret="bad")[2]["Code"] == "SignatureDoesNotMatch"
    assert send_v1(mock, "SendChatappMessage", {**SEND, "To": ""} | {"Bogus": "1"})[2]["Code"] == "InvalidParameter"
    assert send_v1(mock, "SendChatappMessage", SEND)[2]["Code"] == "System.LimitControl"
    assert mock.effects() == {"effects": {}, "attempts": {"SendChatappMessage": 3}}


def test_scenario_errors_take_no_effect(mock):
    send_v1(mock, "ChatappMigrationRegister", {**REGISTER, "CustSpaceId": "cs-http200-denied"})
    send_v1(mock, "ChatappMigrationRegister", {**REGISTER, "CustSpaceId": "cs-server-error"})
    assert mock.effects() == {"effects": {}, "attempts": {"ChatappMigrationRegister": 2}}


def test_reset_clears_faults_effects_attempts_and_offset(mock):
    send_v1(mock, "SendChatappMessage", SEND)
    mock.script(faults=[{"mode": "http429", "times": 5}], clock_offset_s=600)
    mock.control("POST", "reset")
    assert mock.effects() == {"effects": {}, "attempts": {}}
    assert mock.control("GET", "script")[2] == {"faults": [], "clock_offset_s": 0}
    assert send_v1(mock, "SendChatappMessage", SEND)[0] == 200


def test_script_replaces_pending_faults_and_reports_them(mock):
    mock.script(faults=[{"mode": "http429", "times": 3}])
    assert send_v1(mock, "SendChatappMessage", SEND)[0] == 429
    assert mock.control("GET", "script")[2]["faults"] == [{"action": "*", "mode": "http429", "times": 2}]
    mock.script(faults=[{"action": "SendChatappMessage", "mode": "throttle"}])
    assert send_v1(mock, "ChatappMigrationRegister", REGISTER)[0] == 200


@pytest.mark.parametrize("script", [
    {"faults": [{"mode": "explode"}]},
    {"faults": [{"mode": "throttle", "times": 0}]},
    {"faults": [{"mode": "stale_clock"}]},
    {"faults": [{"mode": "throttle", "offset_s": 5}]},
    {"faults": "throttle"},
    {"clock_offset_s": "soon"},
    {"fault": []},
])
def test_bad_script_is_refused_and_changes_nothing(mock, script):
    mock.script(faults=[{"mode": "http429"}])
    status, _, body = mock.control("POST", "script", script)
    assert status == 400 and body["error"]
    assert mock.control("GET", "script")[2]["faults"] == [{"action": "*", "mode": "http429", "times": 1}]


# ---------------------------------------------------------------- paging

@pytest.mark.parametrize("sig", ["1.0", "v3"])
def test_list_templates_pages(mock, sig):
    codes = []
    index = 1
    while True:
        status, _, body = SENDERS[sig](mock, "ListChatappTemplate", {"Page": json.dumps({"Index": index, "Size": 10})})
        assert (status, body["Code"], body["Total"]) == (200, "OK", 25), body
        if not body["ListTemplate"]:
            break
        codes += [t["TemplateCode"] for t in body["ListTemplate"]]
        index += 1
    assert index == 4 and len(codes) == 25 == len(set(codes))
    item = body and SENDERS[sig](mock, "ListChatappTemplate", {})[2]["ListTemplate"][0]
    assert set(item) == {"AuditStatus", "Category", "Language", "LastUpdateTime", "Reason", "TemplateCode",
                         "TemplateName", "TemplateType"}


def test_list_templates_defaults_and_sizes(mock):
    assert len(send_v1(mock, "ListChatappTemplate", {})[2]["ListTemplate"]) == 10
    body = send_v1(mock, "ListChatappTemplate", {"Page": '{"Index":3,"Size":10}'})[2]
    assert [t["TemplateCode"] for t in body["ListTemplate"]] == [f"tpl_{i:03d}" for i in range(21, 26)]
    assert len(send_v1(mock, "ListChatappTemplate", {"Page": '{"Index":1,"Size":30}'})[2]["ListTemplate"]) == 25
    assert len(send_v1(mock, "ListChatappTemplate", {"Page": '{"Size":7}'})[2]["ListTemplate"]) == 7


@pytest.mark.parametrize("page", ['{"Index":0,"Size":10}', '{"Index":1,"Size":0}', "not json", "[1,10]",
                                  '{"Index":"1"}'])
def test_list_templates_bad_page(mock, page):
    gateway_error(send_v1(mock, "ListChatappTemplate", {"Page": page}), 400, "InvalidParameter")


# ---------------------------------------------------------------- receipts: Dybaseapi and MNS

DYBASE = "2017-05-25"
QUEUE = "Alicom-Queue-1234-ChatAppStatus"


def mns_control(mock: Mock, path: str, data=None):
    status, _, body = mock.control("POST" if data is not None else "GET", "mns" + path, data)
    assert status == 200, body
    return body


def query_token(mock: Mock, queue=QUEUE, **kw):
    params = {"Version": DYBASE, "MessageType": "ChatAppStatus"}
    if queue:
        params["QueueName"] = queue
    return send_v1(mock, "QueryTokenForMnsQueue", params, **kw)


def token(mock: Mock, queue=QUEUE) -> dict:
    status, _, body = query_token(mock, queue)
    assert status == 200, body
    return body["MessageTokenDTO"]


def mns_request(mock: Mock, method: str, resource: str, tok: dict | None, body: bytes = b"",
                date: str | None = None, extra: dict | None = None, sign_extra: bool = True,
                secret: str | None = None, send_token: bool = True, md5: str | None = None):
    """One MNS request, signed as the MNS reference says (written here, not taken from camskit).
    Returns (status, headers, body bytes)."""
    date = date or time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())
    headers = {"x-mns-version": "2015-06-06", "Date": date}
    ctype = ""
    if body:
        md5 = md5 or b64encode(hashlib.md5(body).hexdigest().encode()).decode()
        ctype = "text/xml;charset=UTF-8"
        headers.update({"Content-MD5": md5, "Content-Type": ctype})
    signed = {"x-mns-version": "2015-06-06", **((extra or {}) if sign_extra else {})}
    to_sign = (f"{method}\n{md5 or ''}\n{ctype}\n{date}\n"
               + "".join(f"{k}:{v}\n" for k, v in sorted(signed.items())) + resource)
    key_id = tok["AccessKeyId"] if tok else KEY
    sig = b64encode(hmac.new((secret or (tok["AccessKeySecret"] if tok else SECRET)).encode(),
                             to_sign.encode(), hashlib.sha1).digest()).decode()
    headers["Authorization"] = f"MNS {key_id}:{sig}"
    if tok and send_token:
        headers["security-token"] = tok["SecurityToken"]
    headers.update(extra or {})
    conn = http.client.HTTPConnection("127.0.0.1", mock.port, timeout=40)
    try:
        conn.putrequest(method, resource, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def xml_code(data: bytes) -> str:
    import re
    m = re.search(rb"<Code>([^<]*)</Code>", data)
    return m.group(1).decode() if m else ""


def messages(data: bytes) -> list[dict]:
    from xml.etree import ElementTree as ET
    root = ET.fromstring(data)
    items = [root] if root.tag.endswith("}Message") else list(root)
    return [{c.tag.split("}")[1]: c.text for c in m} for m in items]


def receive(mock, tok, n=16, wait=0, queue=QUEUE):
    return mns_request(mock, "GET", f"/queues/{queue}/messages?numOfMessages={n}&waitseconds={wait}", tok)


def test_query_token_answers_a_cst_expiry_and_checks_the_signature(mock):
    mns_control(mock, "/config", {"token_lifetime_s": 300})
    before = time.time()
    dto = token(mock)
    assert dto["AccessKeyId"].startswith("STS.") and dto["AccessKeySecret"] and dto["SecurityToken"]
    # yyyy-MM-dd HH:mm:ss in UTC+8.
    expire = time.mktime(time.strptime(dto["ExpireTime"], "%Y-%m-%d %H:%M:%S")) - time.mktime(time.gmtime(0)) - 8 * 3600
    assert before + 300 - 2 <= expire <= time.time() + 300 + 1
    status, _, body = query_token(mock, secret="wrong")
    assert (status, body["Code"]) == (400, "SignatureDoesNotMatch")
    status, _, body = send_v1(mock, "QueryTokenForMnsQueue", {"Version": DYBASE})
    assert (status, body["Code"]) == (400, "MissingMessageType")
    assert mns_control(mock, "")["token_calls"] == 1


def test_receive_long_poll_empty_and_messages(mock):
    mns_control(mock, "/config", {"max_wait_s": 1})
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["a & <b>", "two", "three"]})
    tok = token(mock)
    status, _, data = receive(mock, tok, wait=1)
    assert status == 200, data
    got = messages(data)
    assert [m["MessageBody"] for m in got] == ["a & <b>", "two", "three"]
    assert all(m["DequeueCount"] == "1" for m in got)
    assert got[0]["MessageBodyMD5"] == hashlib.md5(b"a & <b>").hexdigest().upper()
    status, _, data = receive(mock, tok, wait=1)
    assert (status, xml_code(data)) == (404, "MessageNotExist")
    status, _, data = mns_request(mock, "GET", f"/queues/{QUEUE}/messages?waitseconds=0", tok)
    assert (status, xml_code(data)) == (404, "MessageNotExist")
    status, _, data = receive(mock, tok, queue="Alicom-Queue-1234-Other")
    assert (status, xml_code(data)) == (403, "AccessDenied")
    status, _, data = mns_request(mock, "GET", "/queues/NoSuchQueue/messages?waitseconds=0", None)
    assert (status, xml_code(data)) == (404, "QueueNotExist")


def test_long_poll_wakes_up_on_enqueue(mock):
    import threading
    mns_control(mock, "/config", {"max_wait_s": 10})
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": []})
    tok = token(mock)
    out = {}
    t = threading.Thread(target=lambda: out.update(r=receive(mock, tok, wait=10)))
    t.start()
    time.sleep(0.3)
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["late"]})
    t.join(15)
    status, _, data = out["r"]
    assert status == 200 and messages(data)[0]["MessageBody"] == "late"


def test_strict_mns_signature(mock):
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["x"]})
    tok = token(mock)
    res = f"/queues/{QUEUE}/messages?numOfMessages=1&waitseconds=0"
    cases = [
        (dict(secret="wrong"), 403, "SignatureDoesNotMatch"),
        (dict(extra={"x-mns-extra": "1"}, sign_extra=False), 403, "SignatureDoesNotMatch"),
        (dict(send_token=False), 403, "InvalidSecurityToken"),
        (dict(date="Sun, 06 Dec 2020 02:40:35 GMT"), 403, "TimeExpired"),
        (dict(date="2026-12-06T02:40:35Z"), 400, "InvalidDateHeader"),
    ]
    for kw, status, code in cases:
        got, _, data = mns_request(mock, "GET", res, tok, **kw)
        assert (got, xml_code(data)) == (status, code), kw
    assert mns_control(mock, "")["signature_failures"] == 2
    # A signed x-mns-* header is fine; a body's content-md5 must be the SDK's.
    got, _, data = mns_request(mock, "GET", res, tok, extra={"x-mns-extra": "1"})
    assert got == 200, data
    body = b'<?xml version="1.0" encoding="utf-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/"><ReceiptHandle>1-x</ReceiptHandle></ReceiptHandles>'
    got, _, data = mns_request(mock, "DELETE", f"/queues/{QUEUE}/messages", tok, body=body,
                               md5=b64encode(hashlib.md5(body).digest()).decode())
    assert (got, xml_code(data)) == (400, "InvalidDegist")
    # The mock's own --key signs too (no token).
    got, _, data = mns_request(mock, "GET", res, None)
    assert (got, xml_code(data)) == (404, "MessageNotExist")


def test_expired_token_is_refused(mock):
    mns_control(mock, "/config", {"token_lifetime_s": 1})
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["x"]})
    tok = token(mock)
    time.sleep(1.1)
    status, _, data = receive(mock, tok)
    assert (status, xml_code(data)) == (401, "SecurityTokenExpired")


def test_visibility_redelivery_and_stale_handles(mock):
    mns_control(mock, "/config", {"visibility_timeout_s": 1, "max_wait_s": 3})
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["one"]})
    tok = token(mock)
    first = messages(receive(mock, tok)[2])[0]
    assert receive(mock, tok)[0] == 404  # hidden
    second = messages(receive(mock, tok, wait=3)[2])[0]  # visible again after 1 s
    assert second["MessageId"] == first["MessageId"] and second["DequeueCount"] == "2"
    assert second["ReceiptHandle"] != first["ReceiptHandle"]
    res = f"/queues/{QUEUE}/messages?ReceiptHandle="
    status, _, data = mns_request(mock, "DELETE", res + first["ReceiptHandle"], tok)
    assert (status, xml_code(data)) == (400, "ReceiptHandleError")
    status, _, data = mns_request(mock, "DELETE", res + second["ReceiptHandle"], tok)
    assert status == 204, data
    view = mns_control(mock, "")
    assert (view["delivered"], view["deleted"]) == (2, 1)
    assert view["queues"][QUEUE]["messages"][0]["deleted"] is True


def test_batch_delete_and_change_visibility(mock):
    mns_control(mock, "/config", {"visibility_timeout_s": 30})
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["a", "b", "c"]})
    tok = token(mock)
    got = messages(receive(mock, tok)[2])
    handles = [m["ReceiptHandle"] for m in got]
    # ChangeMessageVisibility: 0 s is refused (the docs: "1 to 43200"); 1 s gives a new
    # handle (the old one is stale) and the message is visible again a second later.
    status, _, data = mns_request(
        mock, "PUT", f"/queues/{QUEUE}/messages?ReceiptHandle={handles[2]}&VisibilityTimeout=0", tok)
    assert status == 400 and b"InvalidArgument" in data, data
    status, _, data = mns_request(
        mock, "PUT", f"/queues/{QUEUE}/messages?ReceiptHandle={handles[2]}&VisibilityTimeout=1", tok)
    assert status == 200, data
    new_handle = messages(data.replace(b"ChangeVisibility", b"Message"))[0]["ReceiptHandle"]
    assert new_handle != handles[2]
    time.sleep(1.2)
    again = messages(receive(mock, tok)[2])
    assert [m["MessageBody"] for m in again] == ["c"] and again[0]["DequeueCount"] == "2"
    body = ('<?xml version="1.0" encoding="utf-8"?><ReceiptHandles xmlns="http://mns.aliyuncs.com/doc/v1/">'
            + "".join(f"<ReceiptHandle>{h}</ReceiptHandle>" for h in handles) + "</ReceiptHandles>").encode()
    status, _, data = mns_request(mock, "DELETE", f"/queues/{QUEUE}/messages", tok, body=body)
    assert status == 404, data
    assert data.count(b"<ErrorCode>ReceiptHandleError</ErrorCode>") == 1 and handles[2].encode() in data
    assert mns_control(mock, "")["deleted"] == 2


def test_held_delete_of_a_client_that_hung_up_is_not_applied(mock):
    import socket
    mns_control(mock, "/config", {"delete_hold_s": 5})
    mns_control(mock, "/enqueue", {"queue": QUEUE, "bodies": ["a"]})
    tok = token(mock)
    handle = messages(receive(mock, tok)[2])[0]["ReceiptHandle"]
    # Send the delete by hand and hang up before the answer.
    resource = f"/queues/{QUEUE}/messages?ReceiptHandle={handle}"
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime())
    to_sign = f"DELETE\n\n\n{date}\nx-mns-version:2015-06-06\n{resource}"
    sig = b64encode(hmac.new(tok["AccessKeySecret"].encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    s = socket.create_connection(("127.0.0.1", mock.port))
    s.sendall((f"DELETE {resource} HTTP/1.1\r\nHost: x\r\nDate: {date}\r\nx-mns-version: 2015-06-06\r\n"
               f"Authorization: MNS {tok['AccessKeyId']}:{sig}\r\nsecurity-token: {tok['SecurityToken']}\r\n"
               "Content-Length: 0\r\n\r\n").encode())
    time.sleep(0.3)
    s.close()
    deadline = time.time() + 10
    while mns_control(mock, "")["deletes_abandoned"] == 0:
        assert time.time() < deadline
        time.sleep(0.05)
    assert mns_control(mock, "")["deleted"] == 0


def test_mns_controls(mock):
    ids = mns_control(mock, "/enqueue", {"queue": QUEUE, "from_vectors": 5, "message_type": "ChatAppStatus"})["message_ids"]
    assert len(set(ids)) == 5
    view = mns_control(mock, "")
    assert view["queues"][QUEUE]["enqueued"] == 5 and view["queues"][QUEUE]["visible"] == 5
    for bad in ({"nope": 1}, {"max_wait_s": -1}, {"visibility_timeout_s": "x"}):
        assert mock.control("POST", "mns/config", bad)[0] == 400
    for bad in ({"queue": QUEUE, "bodies": [1]}, {"bodies": []}, {"queue": QUEUE, "from_vectors": 0}):
        assert mock.control("POST", "mns/enqueue", bad)[0] == 400
    assert mock.control("POST", "reset")[0] == 200
    assert mns_control(mock, "")["queues"] == {}

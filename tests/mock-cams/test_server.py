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

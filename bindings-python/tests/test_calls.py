"""client.call / acall / paginate / iter_items against tests/mock-cams over real loopback HTTP:
every case of tests/vectors/call-scenarios.json with the standard library, a subset with
requests and httpx (sync and async), redirects never followed, retries logged without
secrets, the clock offset kept."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import urllib.request

import httpx
import pytest
import requests

import camskit
from conftest import MOCK_KEY_ID, MOCK_SECRET, MOCK_STS_ID, MOCK_STS_SECRET, MOCK_STS_TOKEN, VECTORS

DOC = json.loads((VECTORS / "call-scenarios.json").read_text(encoding="utf-8"))
SCENARIOS = DOC["scenarios"]
PAGES = DOC["pages"]
SEND = {"CustSpaceId": "cs", "ChannelType": "whatsapp", "Type": "message", "From": "8613800001234",
        "To": "447700900123", "Content": '{"text":"hello"}'}


def post(url: str, body: object) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def effects(mock, action: str) -> tuple[int, int]:
    with urllib.request.urlopen(mock.url + "/__mock/effects", timeout=10) as r:
        e = json.loads(r.read())
    return e["attempts"].get(action, 0), e["effects"].get(action, 0)


def scripted(mock, script: dict) -> None:
    mock.reset()
    post(mock.url + "/__mock/script", script)


def check_outcome(s: dict, run) -> None:  # type: ignore[no-untyped-def]
    outcome = s["outcome"]
    if outcome == "ok":
        assert isinstance(run(), camskit.Response), s["name"]
        return
    with pytest.raises(camskit.CamsError) as info:
        run()
    e = info.value
    if outcome == "outcome_unknown":
        assert isinstance(e, camskit.OutcomeUnknownError), (s["name"], e)
        assert "outcome unknown" in str(e) or e.kind == "outcome_unknown", s["name"]
    elif outcome == "parse":
        assert isinstance(e, camskit.ParseError), (s["name"], e)
    elif outcome == "transport":
        assert isinstance(e, camskit.TransportError), (s["name"], e)
    else:
        kind = outcome.removeprefix("api:") if hasattr(outcome, "removeprefix") else outcome[4:]
        assert isinstance(e, camskit.ApiError) and e.kind == kind, (s["name"], e)
        assert isinstance(e, camskit._errors.ERROR_CLASSES[kind])


def run_scenarios(mock, make_run, subset=None) -> int:  # type: ignore[no-untyped-def]
    n = 0
    for s in SCENARIOS:
        if subset is not None and s["name"] not in subset:
            continue
        # A fresh client per scenario (as the CLI runs a fresh process): a client keeps the
        # clock offset it learnt, which would change the next scenario.
        client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock.url)
        scripted(mock, s["script"])
        kwargs = {}
        if "policy" in s and "max_attempts" in s["policy"]:
            kwargs["max_attempts"] = s["policy"]["max_attempts"]
        check_outcome(s, lambda: make_run(client, s["action"], dict(s["params"]), kwargs))
        assert effects(mock, s["action"]) == (s["attempts"], s["effects"]), s["name"]
        n += 1
    return n


def test_call_scenarios_stdlib(mock_cams, capsys):
    n = run_scenarios(mock_cams, lambda c, a, p, k: c.call(a, p, timeout=10, **k))
    assert n == len(SCENARIOS) > 0
    with capsys.disabled():
        print(f"\ncall-scenarios: {n} passed, 0 failed")


SUBSET = {
    "a message throttled twice is sent once",
    "a message answered 500 after processing is not sent again",
    "a message whose connection dropped after processing is not sent again",
    "a redirect is an error and not followed",
    "a read is retried after a dropped connection",
    "a stale gateway clock is recovered once",
}


def test_call_scenarios_requests(mock_cams):
    with requests.Session() as session:
        n = run_scenarios(mock_cams, lambda c, a, p, k: c.call(a, p, session=session, timeout=10, **k), SUBSET)
    assert n == len(SUBSET)


def test_call_scenarios_httpx(mock_cams):
    with httpx.Client() as session:
        n = run_scenarios(mock_cams, lambda c, a, p, k: c.call(a, p, session=session, timeout=10, **k), SUBSET)
    assert n == len(SUBSET)


def test_call_scenarios_httpx_async(mock_cams):
    async def main() -> int:
        async with httpx.AsyncClient() as session:
            n = 0
            for s in SCENARIOS:
                if s["name"] not in SUBSET:
                    continue
                client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
                scripted(mock_cams, s["script"])
                kwargs = {}
                if "policy" in s:
                    kwargs["max_attempts"] = s["policy"]["max_attempts"]
                try:
                    got: object = await client.acall(s["action"], dict(s["params"]), session=session, **kwargs)
                except camskit.CamsError as e:
                    got = e
                check_outcome(s, lambda: _raise_or_return(got))
                assert effects(mock_cams, s["action"]) == (s["attempts"], s["effects"]), s["name"]
                n += 1
            return n

    assert asyncio.run(main()) == len(SUBSET)


def _raise_or_return(v):  # type: ignore[no-untyped-def]
    if isinstance(v, BaseException):
        raise v
    return v


@pytest.mark.parametrize("walk", PAGES, ids=lambda w: json.dumps(w["params"]["Page"]))
def test_page_walks(mock_cams, walk):
    mock_cams.reset()
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    pages = list(client.paginate(walk["action"], walk["params"]))
    assert len(pages) == walk["pages"]
    items = list(client.iter_items(walk["action"], walk["params"]))
    assert len(items) == walk["items"]
    assert all("TemplateCode" in i for i in items)
    with requests.Session() as s:
        assert len(list(client.iter_items(walk["action"], walk["params"], session=s))) == walk["items"]


def test_iter_items_refuses_an_unpaged_operation_before_sending(mock_cams):
    mock_cams.reset()
    client = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    with pytest.raises(camskit.ValidationError, match="paginate"):
        next(client.iter_items("ChatappMigrationRegister", {"CustSpaceId": "cs"}))
    assert mock_cams.requests() == []
    # paginate gives one page for it.
    pages = list(client.paginate("GetChatappTemplateDetail",
                                 {"CustSpaceId": "cs", "TemplateCode": "t", "Language": "en"}))
    assert len(pages) == 1


def test_typed_calls_return_core_typed_answers(mock_cams):
    mock_cams.reset()
    c = camskit.Client(MOCK_STS_ID, MOCK_STS_SECRET, MOCK_STS_TOKEN, endpoint=mock_cams.url, signature="v3")
    cs, phone = "cs-calls-1", "8613800001234"
    init = c.calls.create_chatapp_migration_initiate(cust_space_id=cs, country_code="86", mobile_number="13800001234")
    assert isinstance(init, camskit.CreateChatappMigrationInitiateResponse)
    assert init.data is not None and init.data.id
    reg = c.calls.chatapp_migration_register(cust_space_id=cs, phone_number=phone, timeout=5, max_attempts=1)
    assert isinstance(reg, camskit.ChatappMigrationRegisterResponse) and reg.code == "OK"
    same = c.call("ChatappMigrationRegister", {"cust_space_id": cs, "phone_number": phone})
    assert isinstance(same, camskit.ChatappMigrationRegisterResponse)
    generic = c.calls.list_chatapp_template(cust_space_id="cs")
    assert type(generic) is camskit.Response and "ListTemplate" in generic.raw
    with pytest.raises(AttributeError):
        c.calls.no_such_operation  # noqa: B018
    # An API error is raised with its class.
    with pytest.raises(camskit.NotSubscribedError):
        c.calls.chatapp_migration_register(cust_space_id="cs-unsubscribed", phone_number=phone)
    # Bad input: refused before anything is sent.
    mock_cams.reset()
    with pytest.raises(camskit.ValidationError):
        c.calls.chatapp_migration_register(cust_space_id=cs)  # type: ignore[call-arg]
    assert mock_cams.requests() == []


def test_retries_are_logged_without_secrets(mock_cams, caplog):
    scripted(mock_cams, {"faults": [{"action": "SendChatappMessage", "mode": "throttle", "times": 1},
                                    {"action": "SendChatappMessage", "mode": "nonce_used", "times": 1}]})
    c = camskit.Client(MOCK_STS_ID, MOCK_STS_SECRET, MOCK_STS_TOKEN, endpoint=mock_cams.url)
    with caplog.at_level(logging.DEBUG, logger="camskit"):
        assert c.call("SendChatappMessage", dict(SEND)).code == "OK"
    lines = [r.getMessage() for r in caplog.records if r.name == "camskit"]
    assert len(lines) == 2, lines
    assert "attempt 1" in lines[0] and "throttling" in lines[0] and "retrying in" in lines[0]
    assert "attempt 2" in lines[1] and "nonce_reused" in lines[1]
    for line in lines:
        for secret in (MOCK_STS_SECRET, MOCK_STS_TOKEN, "Signature="):
            assert secret not in line


def test_a_transport_failure_never_shows_the_query(caplog):
    # Nothing listens on port 9: refused before sending (retried: nothing was sent), and
    # neither the message nor the log shows the signature or the token.
    c = camskit.Client(MOCK_STS_ID, MOCK_STS_SECRET, MOCK_STS_TOKEN, endpoint="http://127.0.0.1:9")
    fast = camskit.RetryPolicy(max_attempts=2, base_delay_ms=1)
    for session in (None, requests.Session(), httpx.Client()):
        with caplog.at_level(logging.DEBUG, logger="camskit"), pytest.raises(camskit.TransportError) as info:
            c.call("SendChatappMessage", dict(SEND), session=session, retry=fast, timeout=5)
        e = info.value
        assert not isinstance(e, camskit.OutcomeUnknownError) and e.outcome_unknown is False
        assert e.category == "transport" and e.code == "transport" and "refused before send" in str(e)
        text = str(e) + repr(e) + " ".join(r.getMessage() for r in caplog.records)
        for secret in (MOCK_STS_SECRET, MOCK_STS_TOKEN, "Signature=", "SecurityToken="):
            assert secret not in text, (session, text)
        caplog.clear()


def test_outcome_unknown_is_one_except(mock_cams):
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    caught = []
    for mode in ("error500_after_effect", "drop_after_effect"):
        scripted(mock_cams, {"faults": [{"action": "SendChatappMessage", "mode": mode}]})
        try:
            c.call("SendChatappMessage", dict(SEND))
        except camskit.OutcomeUnknownError as e:
            caught.append(e)
    api, transport = caught
    assert isinstance(api, camskit.ApiError) and api.kind == "outcome_unknown" and not api.retryable
    assert isinstance(api, camskit.OutcomeUnknownApiError) and api.outcome_unknown
    assert isinstance(transport, camskit.TransportError) and transport.outcome_unknown
    assert isinstance(transport, camskit.TransportOutcomeUnknownError)


def test_the_clock_offset_is_kept_for_later_calls(mock_cams):
    scripted(mock_cams, {"clock_offset_s": 3600})
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    c.call("SendChatappMessage", dict(SEND))
    assert effects(mock_cams, "SendChatappMessage") == (2, 1)
    assert 3590 <= c._clock_offset <= 3610
    # The next call starts with the corrected time: one attempt.
    c.call("SendChatappMessage", dict(SEND))
    assert effects(mock_cams, "SendChatappMessage") == (3, 2)


def test_plain_http_elsewhere_needs_the_opt_in():
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint="http://cams.invalid", allow_insecure_http=True)
    # The client's opt-in carries over to its calls (nothing listens: refused before sending).
    with pytest.raises(camskit.TransportError):
        c.call("ListChatappTemplate", {"CustSpaceId": "cs"}, retry=False, timeout=2)
    with pytest.raises(camskit.ValidationError, match="allow_insecure_http"):
        camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint="http://cams.invalid")


def test_call_argument_errors(mock_cams):
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)
    with pytest.raises(TypeError, match="session"):
        c.call("ListChatappTemplate", {"CustSpaceId": "cs"}, session=object())
    with pytest.raises(TypeError, match="retry"):
        c.call("ListChatappTemplate", {"CustSpaceId": "cs"}, retry=3)
    with pytest.raises(ValueError, match="max_attempts"):
        c.call("ListChatappTemplate", {"CustSpaceId": "cs"}, max_attempts=0)
    with pytest.raises(TypeError, match="AsyncClient"):
        c.call("ListChatappTemplate", {"CustSpaceId": "cs"}, session=httpx.AsyncClient())
    with pytest.raises(camskit.ValidationError):
        c.call("NoSuchAction", {})


@pytest.fixture
def tls_server(tmp_path):
    """tests/mock-cams/tls_server.py: a self-signed certificate on 127.0.0.1; its log says
    whether a request was ever read."""
    import pathlib
    import shutil
    import subprocess
    import time

    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed to make the test certificate")
    script = pathlib.Path(__file__).resolve().parents[2] / "tests" / "mock-cams" / "tls_server.py"
    port_file, log = tmp_path / "port", tmp_path / "log"
    proc = subprocess.Popen([sys.executable, str(script), "--port-file", str(port_file), "--log", str(log)])
    try:
        for _ in range(200):
            if port_file.exists():
                break
            time.sleep(0.05)
        yield f"https://127.0.0.1:{port_file.read_text()}", log
    finally:
        proc.kill()
        proc.wait()


def test_a_certificate_that_does_not_verify_is_not_sent_and_not_retried(tls_server):
    # A write to a server whose certificate does not verify: nothing was sent (no request read),
    # the outcome is known, and the same certificate is not tried again.
    url, log = tls_server
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=url)
    for session in (None, requests.Session(), httpx.Client()):
        before = log.read_text().count("connection") if log.exists() else 0
        with pytest.raises(camskit.TransportError) as info:
            c.call("SendChatappMessage", dict(SEND), session=session, timeout=5)
        e = info.value
        assert not isinstance(e, camskit.OutcomeUnknownError) and e.outcome_unknown is False, (session, e)
        assert "handshake failed" in str(e) and "nothing was sent" in str(e), (session, str(e))
        text = log.read_text()
        assert text.count("connection") - before == 1, (session, text)
        assert "request" not in text.splitlines(), text

"""End to end against tests/mock-cams with urllib.request: the migration workflow (1.0 and v3),
and CAMS's errors as exceptions."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

import camskit
from conftest import MOCK_KEY_ID, MOCK_SECRET, MOCK_STS_ID, MOCK_STS_SECRET, MOCK_STS_TOKEN


def send(signed: camskit.SignedRequest, action: str | None = None):
    """What a program does: urlopen the signed request, parse the answer (or its error)."""
    try:
        with urllib.request.urlopen(signed.as_urllib_request(), timeout=10) as r:
            return camskit.parse_response(r.status, r.read(), action)
    except urllib.error.HTTPError as e:
        return camskit.parse_response(e.code, e.read(), action)


@pytest.fixture
def client(mock_cams):
    return camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url)


@pytest.mark.parametrize("signature", ["1.0", "v3"])
def test_migration_workflow(mock_cams, signature):
    mock_cams.reset()
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET, endpoint=mock_cams.url, signature=signature)
    cs, phone = "cs-workflow-1", "8613800001234"

    init = send(c.create_chatapp_migration_initiate(cust_space_id=cs, country_code="86", mobile_number="13800001234"),
                "CreateChatappMigrationInitiate")
    assert isinstance(init, camskit.CreateChatappMigrationInitiateResponse)
    assert init.code == "OK" and init.request_id
    assert init.data is not None and init.data.id and init.data.id.startswith("mig-")

    code = send(c.get_migration_verify_code(cust_space_id=cs, phone_number=phone, locale="en_US", method="sms"),
                "GetMigrationVerifyCode")
    assert isinstance(code, camskit.GetMigrationVerifyCodeResponse)
    assert code.data is not None and code.data.phone_number == phone

    verified = send(c.chatapp_migration_verified(cust_space_id=cs, phone_number=phone, verify_code="123456"),
                    "ChatappMigrationVerified")
    assert isinstance(verified, camskit.ChatappMigrationVerifiedResponse)
    assert verified.code == "OK"

    reg = send(c.chatapp_migration_register(cust_space_id=cs, phone_number=phone), "ChatappMigrationRegister")
    assert isinstance(reg, camskit.ChatappMigrationRegisterResponse)
    assert reg.code == "OK" and reg.message == "SUCCESS" and reg.data is None

    seen = [r["action"] for r in mock_cams.requests()]
    assert seen == ["CreateChatappMigrationInitiate", "GetMigrationVerifyCode", "ChatappMigrationVerified",
                    "ChatappMigrationRegister"]


@pytest.mark.parametrize("signature", ["1.0", "v3"])
def test_sts_credentials(mock_cams, signature):
    c = camskit.Client(MOCK_STS_ID, MOCK_STS_SECRET, MOCK_STS_TOKEN, endpoint=mock_cams.url, signature=signature)
    assert send(c.chatapp_migration_register(cust_space_id="cs-sts", phone_number="86138")).code == "OK"


@pytest.mark.parametrize("signature", ["1.0", "v3"])
def test_wrong_secret_is_a_signature_mismatch(mock_cams, signature):
    c = camskit.Client(MOCK_KEY_ID, MOCK_SECRET + "x", endpoint=mock_cams.url, signature=signature)
    signed = c.chatapp_migration_register(cust_space_id="cs-1", phone_number="86138")
    with pytest.raises(camskit.SignatureMismatchError) as info:
        send(signed)
    e = info.value
    assert e.kind == "signature_mismatch" and not e.retryable
    if signature == "1.0":
        # Same string, different secret: CAMS signed what camskit signed.
        assert e.server_string_to_sign == signed.string_to_sign
    assert MOCK_SECRET not in str(e)


@pytest.mark.parametrize("signature", ["1.0", "v3"])
def test_stale_time_is_clock_skew(client, signature):
    with pytest.raises(camskit.ClockSkewError):
        send(client.chatapp_migration_register(cust_space_id="cs-1", phone_number="86138",
                                               timestamp=int(time.time()) - 3600, signature=signature))


def test_reused_nonce(client):
    nonce = f"fixed-nonce-{time.time_ns()}"
    assert send(client.chatapp_migration_register(cust_space_id="cs-1", phone_number="86138", nonce=nonce)).code == "OK"
    with pytest.raises(camskit.NonceReusedError) as info:
        send(client.chatapp_migration_register(cust_space_id="cs-1", phone_number="86138", nonce=nonce))
    assert info.value.retryable


def test_unknown_key(mock_cams):
    c = camskit.Client("LTAI5tNotAKnownKey", "whatever", endpoint=mock_cams.url)
    with pytest.raises(camskit.AuthenticationError):
        send(c.chatapp_migration_register(cust_space_id="cs-1", phone_number="86138"))


@pytest.mark.parametrize("cust_space_id,cls", [
    ("cs-unsubscribed", camskit.NotSubscribedError),
    ("cs-denied", camskit.PermissionDeniedError),
    ("cs-throttled", camskit.ThrottlingError),
    ("cs-not-mine", camskit.NotFoundError),
    ("cs-http200-denied", camskit.PermissionDeniedError),
    # A 5xx to a write parsed with its action: it may have taken effect (core's
    # parse_response_for), no longer a retryable ServerError.
    ("cs-server-error", camskit.OutcomeUnknownApiError),
])
def test_documented_errors(client, cust_space_id, cls):
    with pytest.raises(cls) as info:
        send(client.chatapp_migration_register(cust_space_id=cust_space_id, phone_number="86138"),
             "ChatappMigrationRegister")
    assert info.value.request_id


def test_requests_style_kwargs_over_urllib(client):
    """as_requests_kwargs() carries everything needed (replayed here with urllib)."""
    kw = client.sign("GetPreValidatePhoneId", {"PhoneNumber": "+86 138", "VerifyCode": "1 2"}, signature="v3") \
        .as_requests_kwargs()
    req = urllib.request.Request(kw["url"], data=kw["data"], headers=kw["headers"], method=kw["method"])
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            assert camskit.parse_response(r.status, r.read()).code == "OK"
    except urllib.error.HTTPError as e:
        camskit.parse_response(e.code, e.read())
        raise

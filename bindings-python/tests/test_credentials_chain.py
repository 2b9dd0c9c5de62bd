"""The default credentials chain (core's provider Plan walked with Python's file reads and
http.client) against its own mock-cams over loopback: config.json profiles AK / StsToken /
RamRoleArn (a temporary key from mock STS, then CAMS with it), refresh near expiry, a refresh
failure that keeps a still-valid key (reported once), profile=, one example per other source,
and a canary secret never shown."""

from __future__ import annotations

import json
import logging
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

import camskit
from conftest import start_mock

CANARY_ID = "LTAI5tPyChainKey01"
CANARY_SECRET = "CanarySecretNeverShown0123456789"
STS_ID = "STS.PyChainStsKey01"
STS_SECRET = "CanaryStsSecretNeverShown012345"
STS_TOKEN = "CanaryStsTokenNeverShown+/="
ROLE = "acs:ram::1234567890123456:role/camskit-test"
SECRETS = (CANARY_SECRET, STS_SECRET, STS_TOKEN, "Canary")


@pytest.fixture(scope="module")
def mock():
    with start_mock(f"{CANARY_ID}:{CANARY_SECRET}", f"{STS_ID}:{STS_SECRET}:{STS_TOKEN}") as m:
        yield m


def control(mock, path: str, body: object = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(mock.url + path, data=data, method="GET" if body is None else "POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


@pytest.fixture
def home(no_env, tmp_path, mock):
    """An empty home (HOME points at it) and a fresh mock."""
    mock.reset()
    control(mock, "/__mock/credentials", {"lifetime_s": 3600})
    control(mock, "/__mock/script", {"clock_offset_s": 0})
    return tmp_path


def write_config(home: Path, *profiles: dict, current: str | None = None) -> None:
    d = home / ".aliyun"
    d.mkdir(exist_ok=True)
    doc = {"current": current or profiles[0]["name"], "profiles": list(profiles)}
    (d / "config.json").write_text(json.dumps(doc), encoding="utf-8")


def signed_key(c: camskit.Client) -> tuple[str | None, str | None]:
    """The key and token a request of this client carries (mock-cams accepting the call proves
    the pair is one it knows)."""
    q = dict(parse_qsl(urlsplit(c.sign("ListChatappTemplate", {"CustSpaceId": "cs"}).url).query))
    return q.get("AccessKeyId"), q.get("SecurityToken")


def no_secret(*texts: object) -> None:
    joined = " ".join(str(t) for t in texts)
    for s in SECRETS:
        assert s not in joined, joined


def provider(mock, **kw) -> camskit.DefaultCredentialsProvider:
    return camskit.DefaultCredentialsProvider(sts_endpoint=mock.url, ecs_metadata_endpoint=mock.url, **kw)


def test_ak_profile_from_the_home_config(home, mock, caplog):
    write_config(home, {"name": "default", "mode": "AK", "access_key_id": CANARY_ID,
                        "access_key_secret": CANARY_SECRET})
    with caplog.at_level(logging.DEBUG, logger="camskit"):
        c = camskit.Client(endpoint=mock.url)  # HOME is the temporary home
        assert c.access_key_id == CANARY_ID and c.credentials_source == "cli_profile:default/static"
        assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
    assert signed_key(c) == (CANARY_ID, None)
    no_secret(repr(c), c.__dict__ if hasattr(c, "__dict__") else "", caplog.text)


def test_sts_token_profile(home, mock):
    write_config(home, {"name": "default", "mode": "StsToken", "access_key_id": STS_ID,
                        "access_key_secret": STS_SECRET, "sts_token": STS_TOKEN})
    c = camskit.Client(endpoint=mock.url)
    assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
    assert signed_key(c) == (STS_ID, STS_TOKEN)
    no_secret(repr(c))


def ram_role_profile(home: Path) -> None:
    write_config(home, {"name": "default", "mode": "RamRoleArn", "access_key_id": CANARY_ID,
                        "access_key_secret": CANARY_SECRET, "ram_role_arn": ROLE,
                        "ram_session_name": "camskit-py"})


def test_ram_role_arn_profile_fetches_a_temporary_key_from_sts(home, mock, caplog):
    ram_role_profile(home)
    before = control(mock, "/__mock/credentials")["sts_calls"]["AssumeRole"]
    with caplog.at_level(logging.DEBUG, logger="camskit"):
        c = camskit.Client(endpoint=mock.url, credentials=provider(mock))
        assert c.credentials_source == "cli_profile:default/ram_role_arn"
        view = control(mock, "/__mock/credentials")
        assert view["sts_calls"]["AssumeRole"] == before + 1 and view["issued"][-1] == c.access_key_id
        assert c.access_key_id.startswith("STS.")
        assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
        # Cached: a second call asks STS nothing.
        c.call("ListChatappTemplate", {"CustSpaceId": "cs"})
    assert control(mock, "/__mock/credentials")["sts_calls"]["AssumeRole"] == before + 1
    key, token = signed_key(c)
    assert key == c.access_key_id and token
    no_secret(repr(c), caplog.text)


def test_a_key_near_expiry_is_refreshed(home, mock):
    ram_role_profile(home)
    # Issued keys live 60 s: within core's 15 minutes, so each use needs a fresh one.
    control(mock, "/__mock/credentials", {"lifetime_s": 60})
    before = control(mock, "/__mock/credentials")["sts_calls"]["AssumeRole"]
    c = camskit.Client(endpoint=mock.url, credentials=provider(mock))
    first = c.access_key_id
    control(mock, "/__mock/credentials", {"lifetime_s": 3600})
    c.call("ListChatappTemplate", {"CustSpaceId": "cs"})
    second = c.access_key_id
    assert second != first and second.startswith("STS.")
    c.call("ListChatappTemplate", {"CustSpaceId": "cs"})
    c.sign("ListChatappTemplate", {"CustSpaceId": "cs"})
    view = control(mock, "/__mock/credentials")
    assert view["sts_calls"]["AssumeRole"] == before + 2, view
    assert view["issued"][-2:] == [first, second] and signed_key(c)[0] == second


def test_a_failed_refresh_keeps_a_valid_key_and_says_so_once(home, mock, caplog):
    ram_role_profile(home)
    control(mock, "/__mock/credentials", {"lifetime_s": 60})
    c = camskit.Client(endpoint=mock.url, credentials=provider(mock))
    key = c.access_key_id
    # STS's clock two hours off: AssumeRole is refused (InvalidTimeStamp), the key (valid for
    # another minute) stays; CAMS with the same clock is recovered by the call machine.
    control(mock, "/__mock/script", {"clock_offset_s": 7200})
    with caplog.at_level(logging.DEBUG, logger="camskit"):
        assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
        c.sign("ListChatappTemplate", {"CustSpaceId": "cs"})
    assert c.access_key_id == key
    failures = [r.getMessage() for r in caplog.records if "refreshing the credentials" in r.getMessage()]
    assert len(failures) == 1, failures
    assert "cli_profile:default/ram_role_arn" in failures[0]
    no_secret(caplog.text)
    # STS back: the next use refreshes.
    control(mock, "/__mock/script", {"clock_offset_s": 0})
    c.sign("ListChatappTemplate", {"CustSpaceId": "cs"})
    assert c.access_key_id != key


def test_profile_picks_a_config_profile(home, mock):
    write_config(home,
                 {"name": "a", "mode": "AK", "access_key_id": "LTAI5tOtherKey01", "access_key_secret": "other"},
                 {"name": "b", "mode": "AK", "access_key_id": CANARY_ID, "access_key_secret": CANARY_SECRET},
                 current="a")
    assert camskit.Client(endpoint=mock.url).access_key_id == "LTAI5tOtherKey01"
    c = camskit.Client(endpoint=mock.url, profile="b")
    assert c.access_key_id == CANARY_ID and c.credentials_source == "cli_profile:b/static"
    with pytest.raises(camskit.CredentialsError, match='profile "nope"') as info:
        camskit.Client(endpoint=mock.url, profile="nope")
    no_secret(info.value, repr(info.value))
    with pytest.raises(camskit.ValidationError, match="profile="):
        camskit.Client(CANARY_ID, CANARY_SECRET, profile="b")


def test_environment_comes_first_and_explicit_keys_still_win(home, mock):
    write_config(home, {"name": "default", "mode": "AK", "access_key_id": "LTAI5tFileKey01",
                        "access_key_secret": "filesecret"})
    home_env = home  # noqa: F841
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", CANARY_ID)
        mp.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", CANARY_SECRET)
        c = camskit.Client(endpoint=mock.url)
        assert c.access_key_id == CANARY_ID and c.credentials_source == "env"
    finally:
        mp.undo()
    c = camskit.Client(CANARY_ID, CANARY_SECRET, endpoint=mock.url)
    assert c.credentials_source == "given"
    assert camskit.Client(endpoint=mock.url).access_key_id == "LTAI5tFileKey01"


def test_no_source_lists_every_reason_without_secrets(home, mock):
    # A profile whose key is unusable (a control character): the error names the file and
    # field, never the secret.
    write_config(home, {"name": "default", "mode": "AK", "access_key_id": "LTAI5t\u0001bad",
                        "access_key_secret": CANARY_SECRET})
    with pytest.raises(camskit.CredentialsError) as info:
        camskit.Client(endpoint=mock.url)
    msg = str(info.value)
    assert "env:" in msg and "config.json" in msg
    no_secret(msg, repr(info.value))


def test_credentials_ini(home, mock):
    d = home / ".alibabacloud"
    d.mkdir()
    (d / "credentials.ini").write_text(
        f"[default]\ntype = access_key\naccess_key_id = {CANARY_ID}\naccess_key_secret = {CANARY_SECRET}\n",
        encoding="utf-8")
    c = camskit.Client(endpoint=mock.url)
    assert c.credentials_source == "profile:default/static"
    assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"


def test_ecs_ram_role(home, mock, no_env):
    no_env.delenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED")
    c = camskit.Client(endpoint=mock.url, credentials=provider(mock))
    assert c.credentials_source == "ecs_ram_role" and c.access_key_id.startswith("STS.")
    assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
    calls = control(mock, "/__mock/credentials")["metadata_calls"]
    assert calls[0][:2] == ["PUT", "/latest/api/token"]


def test_credentials_uri(home, mock, no_env):
    no_env.setenv("ALIBABA_CLOUD_CREDENTIALS_URI", mock.url + "/credentials-uri")
    c = camskit.Client(endpoint=mock.url)
    assert c.credentials_source == "credentials_uri"
    assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
    assert control(mock, "/__mock/credentials")["uri_calls"] >= 1


def test_oidc_role(home, mock, no_env):
    token = home / "oidc-token"
    token.write_text("eyJh.eyJz.c2ln", encoding="utf-8")
    no_env.setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", str(token))
    no_env.setenv("ALIBABA_CLOUD_ROLE_ARN", ROLE)
    no_env.setenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1234567890123456:oidc-provider/ack")
    c = camskit.Client(endpoint=mock.url, credentials=provider(mock))
    assert c.credentials_source == "oidc_role_arn"
    assert c.call("ListChatappTemplate", {"CustSpaceId": "cs"}).code == "OK"
    assert control(mock, "/__mock/credentials")["sts_calls"]["AssumeRoleWithOIDC"] >= 1


def test_resolved_credentials_never_show_the_secret(home, mock):
    ram_role_profile(home)
    p = provider(mock)
    resolved = p.resolve()
    assert resolved.expiration is not None and not resolved.needs_refresh(resolved.expiration - 3000)
    assert resolved.needs_refresh(resolved.expiration - 10)
    no_secret(repr(resolved), repr(p), dir(resolved))


def test_request_timeouts_are_cores_and_metadata_timeout_is_deprecated():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        camskit.DefaultCredentialsProvider(timeout=5.0)  # no warning
    with pytest.warns(DeprecationWarning, match="metadata_timeout"):
        camskit.DefaultCredentialsProvider(metadata_timeout=2.0)
    # Each fetch the plan asks for carries core's timeout: 1 s for the metadata service.
    from camskit import camskit_native
    plan = camskit_native._NativePlan({"ALIBABA_CLOUD_ECS_METADATA": "role"}, "/nonexistent-home", 1_700_000_000,
                                      "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21")
    step = plan.next()
    while step[0] == "read_file":
        plan.feed_file(None)
        step = plan.next()
    assert step[0] == "fetch" and step[5].startswith("ecs:") and step[6] == 1000

"""The Python API: credentials, defaults, typed helpers, request shapes, secrets."""

from __future__ import annotations

import datetime as dt
import re
import sys
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

import camskit

ID, SECRET, TOKEN = "LTAI5tPyClient01", "PyClientSecret0123456789abcdefXY", "CAISstsTokenValue+/=PyClient"
REGISTER = {"CustSpaceId": "29348393884", "PhoneNumber": "8613800001234"}


def query(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def test_installed_from_the_wheel_not_the_source_tree():
    here = Path(__file__).resolve().parents[1]
    assert here not in Path(camskit.__file__).resolve().parents
    assert "site-packages" in camskit.__file__
    assert (Path(camskit.__file__).parent / "py.typed").exists()
    assert (Path(camskit.__file__).parent / "__init__.pyi").exists()


def test_credentials_from_environment(no_env):
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", ID)
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    no_env.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", TOKEN)
    c = camskit.Client()
    assert c.access_key_id == ID
    q = query(c.sign("ChatappMigrationRegister", REGISTER).url)
    assert q["AccessKeyId"] == ID and q["SecurityToken"] == TOKEN


def test_empty_token_means_none(no_env):
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", ID)
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    no_env.setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "")
    assert "SecurityToken" not in query(camskit.Client().sign("ChatappMigrationRegister", REGISTER).url)


def test_no_credentials_is_a_credentials_error(no_env):
    with pytest.raises(camskit.CredentialsError, match="ALIBABA_CLOUD_ACCESS_KEY_ID"):
        camskit.Client()
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET)
    with pytest.raises(camskit.CredentialsError) as info:
        camskit.Client()
    assert SECRET not in str(info.value)
    with pytest.raises(camskit.CredentialsError):
        camskit.Client(access_key_id=ID)
    with pytest.raises(camskit.CredentialsError):
        camskit.Client(access_key_secret=SECRET)
    with pytest.raises(camskit.CredentialsError):
        camskit.Client("", SECRET)
    with pytest.raises(camskit.CredentialsError) as info:
        camskit.Client(ID, "")
    assert isinstance(info.value, camskit.CamsError)


def test_explicit_keys_win_over_environment(no_env):
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfromenv")
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret")
    assert camskit.Client(ID, SECRET).access_key_id == ID


def test_region_and_endpoint():
    assert camskit.Client(ID, SECRET).endpoint == "https://cams.ap-southeast-1.aliyuncs.com"
    assert camskit.Client(ID, SECRET, region_id="cn-hangzhou").endpoint == "https://cams.cn-hangzhou.aliyuncs.com"
    c = camskit.Client(ID, SECRET, endpoint="http://127.0.0.1:8080")
    assert c.sign("ChatappMigrationRegister", REGISTER).url.startswith("http://127.0.0.1:8080/?")
    with pytest.raises(camskit.ValidationError):
        camskit.Client(ID, SECRET, region_id="bad region/..")
    with pytest.raises(camskit.ValidationError):
        camskit.Client(ID, SECRET, endpoint="ftp://x")


def test_secrets_never_in_repr_or_str():
    c = camskit.Client(ID, SECRET, security_token=TOKEN)
    s = c.sign("ChatappMigrationRegister", REGISTER)
    v3 = c.sign("ChatappMigrationRegister", REGISTER, signature="v3")
    for text in (repr(c), str(c), repr(s), str(s), repr(v3), str(v3)):
        assert SECRET not in text
        assert TOKEN not in text
    assert ID in repr(c) and "security_token=<set>" in repr(c)
    assert "ChatappMigrationRegister" in repr(s)
    # Errors raised while the secret is in play do not carry it either.
    for bad in ({"PhoneNumber": "1"}, {"CustSpaceId": "x" * 40000, "PhoneNumber": "1"}):
        with pytest.raises(camskit.ValidationError) as info:
            c.sign("ChatappMigrationRegister", bad)
        assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    with pytest.raises(camskit.CredentialsError) as info:
        camskit.Client(ID, SECRET + "\n")
    assert SECRET not in str(info.value)


def test_fresh_nonce_and_now_by_default():
    c = camskit.Client(ID, SECRET)
    nonces = {query(c.sign("ChatappMigrationRegister", REGISTER).url)["SignatureNonce"] for _ in range(200)}
    assert len(nonces) == 200
    for n in nonces:
        assert uuid.UUID(n).version == 4
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    ts = query(c.sign("ChatappMigrationRegister", REGISTER).url)["Timestamp"]
    after = dt.datetime.now(dt.timezone.utc)
    got = dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    assert before <= got <= after
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ts)


def test_timestamp_forms_agree():
    c = camskit.Client(ID, SECRET)
    aware = dt.datetime(2025, 7, 14, 8, 0, 0, tzinfo=dt.timezone.utc)
    plus8 = dt.datetime(2025, 7, 14, 16, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    urls = {
        c.sign("ChatappMigrationRegister", REGISTER, timestamp=t, nonce="n-1").url
        for t in ("2025-07-14T08:00:00Z", 1752480000, 1752480000.9, aware, plus8)
    }
    assert len(urls) == 1
    assert query(urls.pop())["Timestamp"] == "2025-07-14T08:00:00Z"
    with pytest.raises(camskit.ValidationError, match="naive"):
        c.sign("ChatappMigrationRegister", REGISTER, timestamp=dt.datetime(2025, 7, 14))


def test_signature_version_per_call_and_per_client():
    c = camskit.Client(ID, SECRET)
    assert c.sign("ChatappMigrationRegister", REGISTER).signature_version == "1.0"
    v3 = c.sign("ChatappMigrationRegister", REGISTER, signature="v3")
    assert v3.signature_version == "v3"
    assert v3.header("authorization").startswith("ACS3-HMAC-SHA256 Credential=" + ID + ",")
    assert "Signature" not in query(v3.url)
    c3 = camskit.Client(ID, SECRET, signature="v3")
    assert c3.signature_version == "v3"
    assert c3.sign("ChatappMigrationRegister", REGISTER).signature_version == "v3"
    assert c3.chatapp_migration_register(cust_space_id="1", phone_number="2").signature_version == "v3"
    assert c3.sign("ChatappMigrationRegister", REGISTER, signature="1.0").signature_version == "1.0"
    with pytest.raises(camskit.ValidationError, match="signature"):
        c.sign("ChatappMigrationRegister", REGISTER, signature="v4")
    with pytest.raises(camskit.ValidationError):
        camskit.Client(ID, SECRET, signature="sha1")


def test_typed_helpers_cover_the_catalog():
    c = camskit.Client(ID, SECRET)
    ops = camskit.operations()
    assert len(ops) == 173
    assert [o.name for o in ops] == sorted(o.name for o in ops)
    for op in ops:
        helper = getattr(c, op.snake_name)
        assert callable(helper)
        assert op.snake_name in dir(c)
    op = camskit.operation("chatapp_migration_register")
    assert op.name == "ChatappMigrationRegister" and op.camel_name == "chatappMigrationRegister"
    assert {p.snake_name for p in op.params if p.required} == {"cust_space_id", "phone_number"}
    with pytest.raises(AttributeError):
        c.chatapp_migration_registr  # noqa: B018
    with pytest.raises(AttributeError):
        c._private  # noqa: B018
    with pytest.raises(camskit.ValidationError) as info:
        camskit.operation("ChatappMigrationRegistr")
    assert "ChatappMigrationRegister" in info.value.suggestions


def test_helper_parameters_go_where_the_catalog_says():
    c = camskit.Client(ID, SECRET)
    # GetMigrationVerifyCode has a parameter named Method: it is a parameter, not the HTTP method.
    s = c.get_migration_verify_code(cust_space_id="cs", phone_number="86138", locale="en_US", method="sms")
    assert s.method == "POST"
    assert query(s.url)["Method"] == "sms" or "Method=sms" in (s.body or "")
    # Object parameters are serialized by core (compact JSON for json style).
    op = next(o for o in camskit.operations() if any(p.type == "object" and p.style == "json" for p in o.params))
    p = next(p for p in op.params if p.type == "object" and p.style == "json")
    required = {q.snake_name: ("1" if q.type == "string" else 1) for q in op.params if q.required and q is not p}
    required[p.snake_name] = {"b": [1, True, None], "a": "x y"}
    s = getattr(c, op.snake_name)(**required)
    sent = query(s.url)
    sent.update(dict(parse_qsl(s.body or "")))
    assert sent[p.name] == '{"b":[1,true,null],"a":"x y"}'


def test_catalog_validation_errors():
    c = camskit.Client(ID, SECRET)
    with pytest.raises(camskit.ValidationError) as info:
        c.chatapp_migration_register(phone_number="1")
    assert info.value.parameter == "CustSpaceId" and info.value.action == "ChatappMigrationRegister"
    with pytest.raises(camskit.ValidationError) as info:
        c.chatapp_migration_register(cust_space_id="1", phone_number="2", phone_numbr="3")
    assert "phone_number" in str(info.value) or "PhoneNumber" in str(info.value)
    with pytest.raises(camskit.ParameterTypeError) as info:
        c.chatapp_migration_register(cust_space_id="1", phone_number="2", owner_id="seven")
    assert isinstance(info.value, TypeError) and isinstance(info.value, ValueError)
    with pytest.raises(camskit.ValidationError, match="raw=True"):
        c.sign("ChatappMigrationRegister", REGISTER, form={"A": "b"})
    with pytest.raises(camskit.ValidationError, match="raw=True"):
        c.sign("ChatappMigrationRegister", REGISTER, api_version="2014-05-26")
    # None means "not given".
    s = c.chatapp_migration_register(cust_space_id="1", phone_number="2", owner_id=None)
    assert "OwnerId" not in query(s.url)


def test_raw_signs_any_rpc_api():
    c = camskit.Client("testid", "testsecret", endpoint="ecs.aliyuncs.com")
    s = c.sign("DescribeRegions", {"Format": "XML"}, raw=True, method="GET", api_version="2014-05-26",
               timestamp="2016-02-23T12:46:24Z", nonce="3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf")
    assert s.signature == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="  # Alibaba's documented example
    assert s.url.startswith("https://ecs.aliyuncs.com/?AccessKeyId=testid&")


def test_http_client_kwargs():
    c = camskit.Client(ID, SECRET)
    v1 = c.sign("ChatappMigrationRegister", REGISTER)
    kw = v1.as_requests_kwargs()
    assert kw == {"method": "POST", "url": v1.url, "headers": {}, "data": None}
    v3 = c.sign("GetPreValidatePhoneId", {"PhoneNumber": "+86 138", "VerifyCode": "123"}, signature="v3") \
        if camskit.operation("GetPreValidatePhoneId") else None
    assert v3 is not None and v3.body is not None
    kw = v3.as_httpx_kwargs()
    assert kw["content"] == v3.body.encode() and "host" not in kw["headers"]
    assert kw["headers"]["authorization"] == v3.header("Authorization")
    assert kw["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert v3.as_requests_kwargs()["data"] == v3.body.encode()
    req = v3.as_urllib_request()
    assert req.get_method() == "POST" and req.full_url == v3.url and req.data == v3.body.encode()
    d = v3.to_dict()
    assert d["signature_version"] == "v3" and d["canonical_request"] == v3.canonical_request


def test_signed_request_is_immutable():
    s = camskit.Client(ID, SECRET).sign("ChatappMigrationRegister", REGISTER)
    with pytest.raises(AttributeError):
        s.url = "https://evil.example/"  # type: ignore[misc]


def test_module_surface():
    assert camskit.DEFAULT_REGION == "ap-southeast-1"
    assert camskit.CAMS_API_VERSION == "2020-06-06"
    assert re.fullmatch(r"\d+\.\d+\.\d+", camskit.__version__)
    for name in camskit.__all__:
        assert hasattr(camskit, name), name
    assert sys.modules["camskit.camskit_native"].__name__ == "camskit.camskit_native"


def test_forked_children_never_reuse_the_parents_nonces():
    import os
    c = camskit.Client(ID, SECRET)
    c.sign("ChatappMigrationRegister", REGISTER)  # the parent has buffered random bytes now
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        try:
            n = query(c.sign("ChatappMigrationRegister", REGISTER).url)["SignatureNonce"]
            os.write(w, n.encode())
        finally:
            os._exit(0)
    os.close(w)
    child = os.read(r, 100).decode()
    os.waitpid(pid, 0)
    parent = query(c.sign("ChatappMigrationRegister", REGISTER).url)["SignatureNonce"]
    assert uuid.UUID(child).version == 4
    assert child != parent


def test_threads_share_a_client_and_never_share_a_nonce():
    import threading
    c = camskit.Client(ID, SECRET)
    seen: list[str] = []
    lock = threading.Lock()

    def work():
        mine = [query(c.sign("ChatappMigrationRegister", REGISTER).url)["SignatureNonce"] for _ in range(300)]
        with lock:
            seen.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 2400 and len(set(seen)) == 2400


def test_undecodable_environment_is_a_credentials_error(no_env):
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", ID)
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret\udcff")  # as os.environ holds bad bytes
    with pytest.raises(camskit.CredentialsError, match="ALIBABA_CLOUD_ACCESS_KEY_SECRET"):
        camskit.Client()

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
    with pytest.warns(camskit.CamsWarning, match="cn-hangzhou"):
        hz = camskit.Client(ID, SECRET, region_id="cn-hangzhou")
    assert hz.endpoint == "https://cams.cn-hangzhou.aliyuncs.com" and hz.region_id == "cn-hangzhou"
    assert issubclass(camskit.CamsWarning, UserWarning)
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
    # Core's one message for raw-only options (was "needs raw=True", the binding's own).
    with pytest.raises(camskit.ValidationError, match="need raw") as info:
        c.sign("ChatappMigrationRegister", REGISTER, form={"A": "b"})
    assert info.value.code == "invalid_input" and info.value.category == "validation"
    with pytest.raises(camskit.ValidationError, match="needs raw"):
        c.sign("ChatappMigrationRegister", REGISTER, api_version="2014-05-26")
    # The CAMS version itself is what the catalog describes.
    c.sign("ChatappMigrationRegister", REGISTER, api_version=camskit.CAMS_API_VERSION)
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


def test_region_and_endpoint_must_agree():
    # Core's Endpoint::resolve: both given must name the same endpoint (the endpoint used to win).
    c = camskit.Client(ID, SECRET, region_id="ap-southeast-1", endpoint="cams.ap-southeast-1.aliyuncs.com")
    assert c.endpoint == "https://cams.ap-southeast-1.aliyuncs.com" and c.region_id == "ap-southeast-1"
    with pytest.raises(camskit.ValidationError, match="give one of them") as info:
        camskit.Client(ID, SECRET, region_id="ap-southeast-1", endpoint="http://127.0.0.1:9")
    assert info.value.code == "invalid_input" and info.value.what == "endpoint"
    # region_id is the endpoint's: None for a host that is not cams.<region>.aliyuncs.com.
    assert camskit.Client(ID, SECRET, endpoint="http://127.0.0.1:9").region_id is None
    assert camskit.Client(ID, SECRET, endpoint="cams.ap-southeast-1.aliyuncs.com").region_id == "ap-southeast-1"


def test_plain_http_needs_loopback_or_opt_in():
    for ok in ("http://127.0.0.1:9", "http://localhost:9", "http://[::1]:9", "https://example.com"):
        camskit.Client(ID, SECRET, endpoint=ok)
    for bad in ("http://example.com", "http://127.evil.example"):
        with pytest.raises(camskit.ValidationError, match="allow_insecure_http"):
            camskit.Client(ID, SECRET, endpoint=bad)
        assert camskit.Client(ID, SECRET, endpoint=bad, allow_insecure_http=True).endpoint == bad


def test_credentials_from_an_explicit_environ(no_env):
    env = {"ALICLOUD_ACCESS_KEY_ID": ID, "ALIBABACLOUD_ACCESS_KEY_SECRET": SECRET,
           "ALIBABA_CLOUD_SECURITY_TOKEN": TOKEN}
    c = camskit.Client(environ=env)
    assert c.access_key_id == ID and query(c.sign("ChatappMigrationRegister", REGISTER).url)["SecurityToken"] == TOKEN
    # os.environ is not read when environ is given; an explicit token replaces the environment's.
    no_env.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfromenv")
    assert camskit.Client(environ=env, security_token="other").access_key_id == ID
    assert query(camskit.Client(environ=env, security_token="other").sign(
        "ChatappMigrationRegister", REGISTER).url)["SecurityToken"] == "other"
    with pytest.raises(camskit.CredentialsError, match="ALICLOUD_ACCESS_KEY_ID is set") as info:
        camskit.Client(environ={"ALICLOUD_ACCESS_KEY_ID": ID})
    assert info.value.code == "credentials" and info.value.category == "credentials"
    # Not text (a bytes value, a lone surrogate): core's "not valid Unicode", naming the variable.
    for bad in (b"secret", "secret\udcff"):
        with pytest.raises(camskit.CredentialsError, match="ALIBABA_CLOUD_ACCESS_KEY_SECRET.*Unicode"):
            camskit.Client(environ={"ALIBABA_CLOUD_ACCESS_KEY_ID": ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": bad})


def test_raw_values_mean_what_core_says():
    c = camskit.Client(ID, SECRET)
    s = c.sign("DescribeRegions", {"T": True, "F": False, "N": None, "L": [1, "a", {"K": True}],
                                   "O": {"A": 1.5}, "I": 2 ** 64 - 1, "M": -(2 ** 63)},
               raw=True, form={"B": [True]}, timestamp=0, nonce="n")
    q = query(s.url)
    assert (q["T"], q["F"], q["L.1"], q["L.2"], q["L.3.K"], q["O.A"]) == ("True", "False", "1", "a", "True", "1.5")
    assert q["I"] == str(2 ** 64 - 1) and q["M"] == str(-(2 ** 63)) and "N" not in q
    assert s.body == "B.1=True"


def test_integers_beyond_64_bits_are_refused_by_name():
    c = camskit.Client(ID, SECRET)
    for big in (2 ** 64, -(2 ** 63) - 1, 10 ** 30):
        with pytest.raises(camskit.ValidationError, match='parameter "Big".*64 bits'):
            c.sign("DescribeRegions", {"Big": big}, raw=True)
        with pytest.raises(camskit.ValidationError, match=r'parameter "L"\[0\].*64 bits'):
            c.sign("DescribeRegions", {"L": [big]}, raw=True)
        with pytest.raises(camskit.ValidationError, match='"owner_id".*64 bits'):  # as given
            c.chatapp_migration_register(cust_space_id="c", phone_number="p", owner_id=big)


def test_timestamps_follow_core():
    c = camskit.Client(ID, SECRET)

    def ts(t):  # type: ignore[no-untyped-def]
        return query(c.sign("ChatappMigrationRegister", REGISTER, timestamp=t, nonce="n").url)["Timestamp"]

    # Fractions are floored (core's one rule), for numbers, numeric text and datetimes alike.
    assert ts(1752480000.999) == ts("1752480000.999") == ts(1752480000) == "2025-07-14T08:00:00Z"
    assert ts(dt.datetime(2025, 7, 14, 8, 0, 0, 999999, tzinfo=dt.timezone.utc)) == "2025-07-14T08:00:00Z"
    assert ts(0) == ts(0.5) == "1970-01-01T00:00:00Z"
    with pytest.raises(camskit.ValidationError, match="outside"):
        ts(-0.5)
    with pytest.raises(camskit.ValidationError, match="timestamp"):
        ts(float("inf"))
    with pytest.raises(camskit.ValidationError, match="naive"):
        ts(dt.datetime(2025, 7, 14))
    with pytest.raises(camskit.ParameterTypeError):
        ts(False)


def test_a_mutating_int_subclass_cannot_make_pyo3_panic():
    params: dict = {}

    class Evil(int):
        def __str__(self):  # type: ignore[no-untyped-def]
            params.clear()
            params.update({f"K{i}": i for i in range(50)})
            return "1"

        __repr__ = __index__ = __int__ = __float__ = __str__  # type: ignore[assignment]

    c = camskit.Client(ID, SECRET)
    for value in (Evil(7), Evil(2 ** 70)):
        params.clear()
        params.update({"A": value, "B": [value, {"C": value}], "D": "d"})
        try:
            s = c.sign("DescribeRegions", params, raw=True, nonce="n", timestamp=0)
        except camskit.CamsError as e:  # a clean error is fine: never a PanicException
            assert "64 bits" in str(e)
        else:
            assert query(s.url)["A"] == "7" and query(s.url)["D"] == "d"


def test_a_rust_panic_becomes_cams_error():
    from camskit import camskit_native
    with pytest.raises(camskit.CamsError, match="internal error") as info:
        camskit_native._panic_for_tests()
    assert type(info.value) is camskit.CamsError and info.value.code == "internal"
    # The module still works afterwards.
    camskit.Client(ID, SECRET).sign("ChatappMigrationRegister", REGISTER)


def test_a_fork_that_bypasses_os_fork_never_repeats_nonces():
    import ctypes
    import os
    libc = ctypes.CDLL(None)
    c = camskit.Client(ID, SECRET)
    c.sign("ChatappMigrationRegister", REGISTER)  # the parent has buffered random bytes now
    r, w = os.pipe()
    pid = libc.fork()  # no os.register_at_fork hook runs
    assert pid >= 0
    if pid == 0:  # child
        try:
            nonces = [query(c.sign("ChatappMigrationRegister", REGISTER).url)["SignatureNonce"] for _ in range(20)]
            os.write(w, ",".join(nonces).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    child = data.decode().split(",")
    parent = [query(c.sign("ChatappMigrationRegister", REGISTER).url)["SignatureNonce"] for _ in range(20)]
    assert len(child) == 20 and all(uuid.UUID(n).version == 4 for n in child)
    assert not set(child) & set(parent)


def test_migration_answers_are_the_generated_models():
    # One answer system: the four migration steps' classes are Responses over the same dict as
    # any other answer (one conversion), typed by camskit.answers; `data` reads that dict
    # through the fields the generated model declares.
    from camskit import camskit_native
    import camskit.answers as answers

    table = dict(camskit_native.typed_answers())
    assert table == {"CreateChatappMigrationInitiate": "CreateChatappMigrationInitiateResponseBody",
                     "GetMigrationVerifyCode": "GetMigrationVerifyCodeResponseBody",
                     "ChatappMigrationVerified": "ChatappMigrationVerifiedResponseBody",
                     "ChatappMigrationRegister": "ChatappMigrationRegisterResponseBody"}
    body = b'{"RequestId":"r","Code":"OK","Message":"SUCCESS","Data":{"Id":"m-1","PhoneNumber":"86","Status":"S","X":1}}'
    data_classes = {"CreateChatappMigrationInitiate": camskit.MigrationInitiateData,
                    "GetMigrationVerifyCode": camskit.MigrationData,
                    "ChatappMigrationVerified": camskit.MigrationData,
                    "ChatappMigrationRegister": None}
    for action, model in table.items():
        r = camskit.parse_response(200, body, action=action)
        assert type(r).__name__ == action + "Response" and type(r) is getattr(camskit, action + "Response")
        assert isinstance(r, camskit.Response) and r.request_id == "r" and r.raw["Data"]["X"] == 1
        assert r.body is r.raw and answers.answer_type(action).__name__ == model
        if data_classes[action] is None:
            assert r.data == r.raw["Data"]  # the envelope only
            continue
        assert type(r.data) is data_classes[action]
        assert r.data.id == "m-1" and r.data.phone_number == "86" and r.data["X"] == 1
        assert r.data == data_classes[action](r.raw["Data"])
    init = camskit.parse_response(200, body, action="CreateChatappMigrationInitiate")
    assert init.data.status == "S"
    assert repr(init.data) == "MigrationInitiateData(id='m-1', phone_number='86', status='S')"
    code = camskit.parse_response(200, body, action="GetMigrationVerifyCode")
    assert not hasattr(code.data, "status")  # GetMigrationVerifyCodeResponseBodyData has no Status
    assert repr(code.data) == "MigrationData(id='m-1', phone_number='86')"
    # A field of another JSON type than the generated model declares: ParseError naming it.
    with pytest.raises(camskit.ParseError, match="GetMigrationVerifyCodeResponseBodyData|PhoneNumber|string"):
        camskit.parse_response(200, b'{"Code":"OK","Data":{"PhoneNumber":86}}', action="GetMigrationVerifyCode")


def test_redirects_are_parse_errors_naming_the_target():
    with pytest.raises(camskit.ParseError, match="redirect to http://elsewhere.example/") as info:
        camskit.parse_response(302, b"", headers={"Location": "http://elsewhere.example/"})
    assert info.value.code == "parse" and info.value.category == "parse"
    with pytest.raises(camskit.ParseError, match="redirect"):
        camskit.parse_response(301, b"", headers=[("location", "x")], action="ChatappMigrationRegister")
    assert camskit.MAX_RESPONSE_BYTES == 8 << 20


def test_plain_str_parameters_sign_as_the_general_path_does(no_env):
    # An exact dict of exact str takes the short path (borrowed strings, core's
    # sign_action_strs); a dict subclass takes the general one (RequestSpec). Same request,
    # same errors.
    class Params(dict):
        pass

    client = camskit.Client(access_key_id="LTAI5tExample", access_key_secret="secret")
    pinned = dict(timestamp="2025-07-14T08:00:00Z", nonce="6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21")
    params = {"cust_space_id": "29348393884", "PhoneNumber": "86 138/0000*1234é"}
    for signature in (None, "1.0", "v3"):
        fast = client.sign("ChatappMigrationRegister", params, signature=signature, **pinned)
        general = client.sign("ChatappMigrationRegister", Params(params), signature=signature, **pinned)
        assert fast.url == general.url
        assert fast.headers == general.headers
        assert fast.string_to_sign == general.string_to_sign
        assert fast.signature == general.signature
    for bad in ({"CustSpaceId": "1"}, {"CustSpaceId": "1", "PhoneNumbr": "2"}, {"Action": "x"}):
        with pytest.raises(camskit.CamsError) as fast_error:
            client.sign("ChatappMigrationRegister", bad, **pinned)
        with pytest.raises(camskit.CamsError) as general_error:
            client.sign("ChatappMigrationRegister", Params(bad), **pinned)
        assert type(fast_error.value) is type(general_error.value)
        assert str(fast_error.value) == str(general_error.value)

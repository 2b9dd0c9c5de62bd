"""Record conformance vectors from Alibaba's official signers.

Run by tools/gen-vectors.sh inside a throwaway venv that holds the pinned official packages.
Every expected value written here is produced by Alibaba's own code:

* RPC signature 1.0: `alibabacloud_tea_openapi.utils.Utils.get_rpcsignature` (the string to
  sign is captured from the `hmac.new` call the SDK makes), confirmed by
  `aliyunsdkcore`'s composer and by the npm `@alicloud/openapi-util` `getRPCSignature`.
* Full requests: the `alibabacloud_cams20200606` client itself, with the network cut, the
  nonce and time pinned, and its HTTP layer replaced by a recorder.
* Signature v3: the same client in its default (ACS3-HMAC-SHA256) mode, and
  `Utils.get_authorization` for hand-built requests, confirmed by the npm
  `getAuthorization` where Node signs the same headers.

Nothing here imports camskit.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac as _hmac
import json
import os
import socket
import subprocess
import sys
from importlib.metadata import version as pkg_version
from pathlib import Path
from urllib.parse import parse_qsl, unquote


def _no_network(*_a, **_k):
    raise OSError("network cut by the camskit vector recorder")


socket.socket.connect = _no_network  # the official clients must not reach anything
socket.create_connection = _no_network

import alibabacloud_tea_openapi.client as openapi_client  # noqa: E402
import alibabacloud_tea_openapi.utils as openapi_utils  # noqa: E402
from alibabacloud_cams20200606 import models as cams_models  # noqa: E402
from alibabacloud_cams20200606.client import Client as CamsClient  # noqa: E402
from alibabacloud_tea_openapi import utils_models as openapi_models  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils  # noqa: E402
from aliyunsdkcore.auth.composer import rpc_signature_composer  # noqa: E402
from darabonba.request import DaraRequest  # noqa: E402
from darabonba.runtime import ExtendsParameters, RuntimeOptions  # noqa: E402

CAMS_HOST = "cams.ap-southeast-1.aliyuncs.com"
PINNED_USER_AGENT = "AlibabaCloud (Linux; x86_64) Python/3 Core/0.4.3 TeaDSL/2 camskit-vectors"


# ---------------------------------------------------------------- capture helpers
class _HmacRecorder:
    """Stands in for the `hmac` module inside tea-openapi's utils: records what is signed."""

    messages: list[bytes] = []

    @staticmethod
    def new(key, msg=None, digestmod=None):
        _HmacRecorder.messages.append(msg if isinstance(msg, bytes) else str(msg).encode())
        return _hmac.new(key, msg, digestmod)


openapi_utils.hmac = _HmacRecorder

_hash_inputs: list[bytes] = []
_original_hash = Utils.hash


def _recording_hash(raw, sign_type):
    _hash_inputs.append(bytes(raw))
    return _original_hash(raw, sign_type)


Utils.hash = staticmethod(_recording_hash)


class _Stop(Exception):
    pass


_captured: dict = {}


def _record_do_action(request, runtime=None):
    _captured["request"] = request
    raise _Stop()


openapi_client.DaraCore.do_action = staticmethod(_record_do_action)


# ---------------------------------------------------------------- RPC 1.0
def common_params(inp: dict) -> dict:
    """The parameters an RPC 1.0 request carries (the protocol's list, not camskit's code)."""
    p = {
        "AccessKeyId": inp["access_key_id"],
        "Action": inp["action"],
        "Format": "JSON",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": inp["nonce"],
        "SignatureVersion": "1.0",
        "Timestamp": inp["timestamp"],
        "Version": inp["version"],
    }
    if inp.get("security_token"):
        p["SecurityToken"] = inp["security_token"]
    return p


def official_rpc(inp: dict) -> dict:
    query = common_params(inp)
    query.update(dict(inp.get("query", [])))
    signed = dict(query)
    signed.update(dict(inp.get("form", [])))
    _HmacRecorder.messages.clear()
    signature = Utils.get_rpcsignature(signed, inp["method"], inp["access_key_secret"])
    string_to_sign = _HmacRecorder.messages[-1].decode("utf-8")
    # aliyunsdkcore's composer: a second official implementation of the same rule.
    compose = getattr(rpc_signature_composer, "__compose_string_to_sign")
    legacy = compose(inp["method"], signed)
    if legacy != string_to_sign:
        raise SystemExit(f"aliyunsdkcore disagrees on {inp}: {legacy!r} != {string_to_sign!r}")
    canonical_query = unquote(string_to_sign.split("&", 2)[2])
    url_params = sorted(list(query.items()) + [("Signature", signature)])
    out = {
        "canonical_query": canonical_query,
        "string_to_sign": string_to_sign,
        "signature": signature,
        "url_params": [list(p) for p in url_params],
    }
    if inp.get("form"):
        out["body"] = openapi_utils.Form.to_form_string(dict(inp["form"]))
    return out


# ---------------------------------------------------------------- full official client
def cams_client(signature_algorithm, inp: dict) -> CamsClient:
    cfg = openapi_models.Config(
        region_id="ap-southeast-1",
        access_key_id=inp["access_key_id"],
        access_key_secret=inp["access_key_secret"],
        security_token=inp.get("security_token"),
        signature_algorithm=signature_algorithm,
    )
    return CamsClient(cfg)


def runtime_options(format_json: bool) -> RuntimeOptions:
    rt = RuntimeOptions(autoretry=False, max_attempts=1)
    if format_json:
        # The client's own override hook: its default is Format=json; camskit's is JSON.
        rt.extends_parameters = ExtendsParameters(queries={"Format": "JSON"})
    return rt


def run_official_client(signature_algorithm, inp: dict, call, format_json: bool = False) -> DaraRequest:
    Utils.get_nonce = staticmethod(lambda: inp["nonce"])
    Utils.get_timestamp = staticmethod(lambda: inp["timestamp"])
    Utils.get_user_agent = staticmethod(lambda _ua=None: PINNED_USER_AGENT)
    client = cams_client(signature_algorithm, inp)
    _captured.clear()
    _HmacRecorder.messages.clear()
    _hash_inputs.clear()
    try:
        call(client, runtime_options(format_json))
    except Exception:  # the recorder stops the client before it sends anything
        pass
    if "request" not in _captured:
        raise SystemExit(f"the official client built no request for {inp}")
    return _captured["request"]


def full_client_rpc(inp: dict, call) -> dict:
    req, out = official_client_rpc(inp, call)
    query = dict(req.query)
    # What a camskit caller gives to reproduce it: the client's own query minus the
    # parameters any signer adds, and its body parameters.
    added = set(common_params({**inp, "security_token": inp.get("security_token")})) | {"Signature", "SecurityToken"}
    inp["query"] = [[k, v] for k, v in query.items() if k not in added or k == "Format"]
    inp["form"] = [list(p) for p in parse_qsl(req.body, keep_blank_values=True)] if req.body else []
    return out


def full_client_v3(inp: dict, call) -> dict:
    req = run_official_client(None, inp, call)
    headers = {k.lower(): v for k, v in req.headers.items()}
    auth = headers.pop("authorization")
    canonical_request = _hash_inputs[-1].decode("utf-8")
    string_to_sign = _HmacRecorder.messages[-1].decode("utf-8")
    signed = auth.split("SignedHeaders=")[1].split(",")[0]
    out = {
        "canonical_request": canonical_request,
        "string_to_sign": string_to_sign,
        "signature": auth.rsplit("Signature=", 1)[1],
        "authorization": auth,
        "signed_headers": signed,
        "headers": sorted([k, v] for k, v in headers.items()),
        "url_params": sorted([list(p) for p in req.query.items()]),
        "content_sha256": headers["x-acs-content-sha256"],
    }
    if req.body:
        out["body"] = req.body
    # Headers a camskit caller adds to sign exactly what the Python client signs.
    own = {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
           "x-acs-content-sha256", "content-type", "x-acs-accesskey-id", "x-acs-security-token"}
    inp["headers"] = sorted([k, v] for k, v in headers.items() if k not in own)
    inp["query"] = [list(p) for p in req.query.items()]
    inp["form"] = [list(p) for p in parse_qsl(req.body, keep_blank_values=True)] if req.body else []
    return out


def official_v3(inp: dict) -> dict:
    """A hand-built request through tea-openapi's own `get_authorization`."""
    req = DaraRequest()
    req.method = inp["method"]
    req.pathname = "/"
    req.query = dict(inp.get("query", []))
    body = openapi_utils.Form.to_form_string(dict(inp["form"])) if inp.get("form") else ""
    payload = hashlib.sha256(body.encode("utf-8")).hexdigest()
    headers = {
        "host": inp.get("host", CAMS_HOST),
        "x-acs-action": inp["action"],
        "x-acs-version": inp["version"],
        "x-acs-date": inp["timestamp"],
        "x-acs-signature-nonce": inp["nonce"],
        "x-acs-content-sha256": payload,
    }
    if body:
        headers["content-type"] = "application/x-www-form-urlencoded"
    if inp.get("security_token"):
        headers["x-acs-accesskey-id"] = inp["access_key_id"]
        headers["x-acs-security-token"] = inp["security_token"]
    headers.update(dict(inp.get("headers", [])))
    req.headers = headers
    _hash_inputs.clear()
    _HmacRecorder.messages.clear()
    auth = Utils.get_authorization(req, "ACS3-HMAC-SHA256", payload, inp["access_key_id"], inp["access_key_secret"])
    out = {
        "canonical_request": _hash_inputs[-1].decode("utf-8"),
        "string_to_sign": _HmacRecorder.messages[-1].decode("utf-8"),
        "signature": auth.rsplit("Signature=", 1)[1],
        "authorization": auth,
        "signed_headers": auth.split("SignedHeaders=")[1].split(",")[0],
        "headers": sorted([k, v] for k, v in headers.items()),
        "url_params": sorted([list(p) for p in req.query.items()]),
        "content_sha256": payload,
    }
    if body:
        out["body"] = body
    return out


# ---------------------------------------------------------------- the cases
KEY = {"access_key_id": "LTAI5tCamsKitVector01", "access_key_secret": "VectorSecret0123456789abcdefABC"}
T0 = "2025-07-14T08:00:00Z"
N0 = "6f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21"


def base(**kw) -> dict:
    d = {**KEY, "method": "POST", "action": "ChatappMigrationRegister", "version": "2020-06-06",
         "timestamp": T0, "nonce": N0, "query": [], "form": []}
    d.update(kw)
    return d


def register(cust_space_id: str, phone: str, **kw) -> dict:
    return base(query=[["CustSpaceId", cust_space_id], ["PhoneNumber", phone]], **kw)


FOUR_KB = "".join(chr(0x41 + (i % 26)) if i % 7 else "é" for i in range(2900))[:4096]
STS = "CAIS8gF1q6Ft5B2yfSjIr5bgBdXNl+1s1YSJY0fWpkQ9Tvlhg7TBjDz2IHFPeHJrBeAdv/0+mWlU6/cdlrVvE8ZDVhIRWCKJ7/T3fMeidx6JGhXiQ8ZeNb9rcpdI"


def rpc_cases() -> list[tuple[str, dict]]:
    cases: list[tuple[str, dict]] = []
    add = lambda name, inp: cases.append((name, inp))  # noqa: E731
    # ChatappMigrationRegister, many values
    add("register: plain", register("29348393884", "8613800001234"))
    add("register: masked sample of the API page", register("29348393884****", "8613800****"))
    add("register: GET", register("29348393884", "8613800001234", method="GET"))
    add("register: another time and nonce", register("cs-1", "447700900123", timestamp="2026-11-26T05:35:02Z", nonce="0b6a2b7c-1d3e-4f50-8a9b-c0d1e2f3a4b5"))
    add("register: leap day", register("cs-2", "12025550123", timestamp="2024-02-29T23:59:59Z"))
    add("register: epoch", register("cs-3", "5511912345678", timestamp="1970-01-01T00:00:00Z"))
    add("register: year 9999", register("cs-4", "61412345678", timestamp="9999-12-31T23:59:59Z"))
    add("register: hex nonce", register("cs-5", "819012345678", nonce="3f2b8c1d9e0a4b5c6d7e8f9012345678"))
    add("register: plus sign in phone", register("cs-6", "+86 138 0000 1234"))
    add("register: leading zero phone", register("0000", "00861380000"))
    add("register: long space id", register("9" * 64, "1" * 20))
    add("register: STS token", register("cs-7", "8613800001234", security_token=STS))
    add("register: short STS token", register("cs-8", "8613800001234", security_token="sts.token.1"))
    add("register: secret with & and =", register("cs-9", "8613800001234", access_key_secret="a&b=c&"))
    add("register: secret with spaces and unicode", register("cs-10", "8613800001234", access_key_secret="sécret with spaces 密钥"))
    add("register: 100-char secret", register("cs-11", "8613800001234", access_key_secret="S" * 100))
    add("register: 1-char secret", register("cs-12", "8613800001234", access_key_secret="x"))
    add("register: key id with dots", register("cs-13", "8613800001234", access_key_id="STS.NUgYrLnoC37mZZCNnAbez2Aq7"))
    add("register: Format XML", base(query=[["CustSpaceId", "cs"], ["PhoneNumber", "1"], ["Format", "XML"]]))
    add("register: RegionId given", base(query=[["CustSpaceId", "cs"], ["PhoneNumber", "1"], ["RegionId", "ap-southeast-1"]]))
    # characters
    for label, value in [
        ("space", "a b"), ("star", "a*b"), ("tilde", "a~b"), ("plus", "a+b"), ("slash", "a/b"),
        ("equals", "a=b"), ("ampersand", "a&b"), ("percent", "100%"), ("percent-encoded text", "%20%2A"),
        ("Chinese", "中文测试"), ("emoji", "📱👍🏽"), ("empty", ""), ("4 KB value", FOUR_KB),
        ("newline and tab", "line1\nline2\tend"), ("control characters", "\x01\x1f\x7f"),
        ("quotes and brackets", "\"'<>[]{}"), ("sub-delims", "!$'()*,;:@?#"),
        ("unreserved only", "AZaz09-_.~"), ("backslash and pipe", "\\|^`"),
        ("Latin-1 and combining", "café naïve e\u0301"), ("Arabic and Cyrillic", "مرحبا привет"),
        ("supplementary plane", "𝄞𠀀"), ("only spaces", "   "), ("plus and space", "+ +"),
    ]:
        add(f"value: {label}", register("cs-chars", value))
    # sorting and names
    add("names: byte-order sort", base(action="DescribeThings", version="2020-01-01",
        query=[["b", "1"], ["B", "2"], ["a_c", "3"], ["a.c", "4"], ["A", "5"], ["_z", "6"], ["Z9", "7"], ["a-c", "8"]]))
    add("names: flattened lists sort as text", base(action="DescribeThings", version="2020-01-01",
        query=[["Tag.1.Key", "k1"], ["Tag.10.Key", "k10"], ["Tag.2.Key", "k2"], ["Tag.1.Value", "v1"]]))
    # form bodies
    add("form: one body parameter", base(action="GetPreValidatePhoneId", query=[], form=[["PhoneNumber", "8613800001234"], ["VerifyCode", "123456"]]))
    add("form: query and body", base(query=[["CustSpaceId", "cs"]], form=[["PhoneNumber", "+86 138"]]))
    add("form: tricky body values", base(action="SendChatappMessage", query=[["CustSpaceId", "cs"]],
        form=[["Content", "{\"text\":\"hi there & more=yes\"}"], ["To", "+8613800001234"], ["Type", "message"]]))
    add("form: Chinese body", base(action="SendChatappMessage", form=[["Content", "你好，世界 🌏"]]))
    add("form: STS and body", base(security_token=STS, form=[["X", "1 2"]], query=[["Y", "3"]]))
    # other products, generic path
    add("ECS DescribeRegions documented example", {"access_key_id": "testid", "access_key_secret": "testsecret",
        "method": "GET", "action": "DescribeRegions", "version": "2014-05-26", "timestamp": "2016-02-23T12:46:24Z",
        "nonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "query": [["Format", "XML"]], "form": [],
        "endpoint": "ecs.aliyuncs.com"})
    add("Dysmsapi SendSms GET", base(method="GET", action="SendSms", version="2017-05-25", endpoint="dysmsapi.aliyuncs.com",
        query=[["PhoneNumbers", "13800001234"], ["SignName", "阿里云"], ["TemplateCode", "SMS_1"], ["TemplateParam", "{\"code\":\"1234\"}"], ["RegionId", "cn-hangzhou"]]))
    add("ECS DescribeInstances with STS", base(method="GET", action="DescribeInstances", version="2014-05-26",
        endpoint="ecs.cn-hangzhou.aliyuncs.com", security_token="sts/with+odd=chars",
        query=[["RegionId", "cn-hangzhou"], ["PageSize", "50"], ["InstanceIds", "[\"i-1\",\"i-2\"]"]]))
    add("no parameters", base(action="ListChatappTemplate"))
    add("GET no parameters", base(action="ListChatappTemplate", method="GET"))
    add("local endpoint", register("cs", "1", endpoint="http://127.0.0.1:8080"))
    return cases


REGISTER = lambda inp: (lambda c, rt: c.chatapp_migration_register_with_options(  # noqa: E731
    cams_models.ChatappMigrationRegisterRequest(cust_space_id=inp["_cust"], phone_number=inp["_phone"]), rt))


def full_client_cases() -> list[tuple[str, dict, object]]:
    out = []
    for name, cust, phone, extra in [
        ("official client: register", "29348393884", "8613800001234", {}),
        ("official client: register, tricky values", "cs 1/2", "+86 (138) * ~ 中 😀", {}),
        ("official client: register, STS", "cs-sts", "8613800001234", {"security_token": STS}),
        ("official client: register, odd secret", "cs", "1", {"access_key_secret": "p&s=s wörd"}),
        ("official client: register, empty phone", "cs", "", {}),
    ]:
        inp = base(**extra)
        inp["_cust"], inp["_phone"] = cust, phone
        out.append((name, inp, REGISTER(inp)))
    inp = base(action="GetPreValidatePhoneId")
    out.append(("official client: GetPreValidatePhoneId (form body)", inp,
                lambda c, rt: c.get_pre_validate_phone_id_with_options(
                    cams_models.GetPreValidatePhoneIdRequest(phone_number="+86 13800001234", verify_code="123 456"), rt)))
    return out


def v3_full_cases() -> list[tuple[str, dict, object]]:
    out = []
    for name, cust, phone, extra in [
        ("v3 official client: register", "29348393884", "8613800001234", {}),
        ("v3 official client: register, another time", "cs-2", "447700900123", {"timestamp": "2026-11-26T05:35:02Z", "nonce": "a1b2c3d4e5f60718293a4b5c6d7e8f90"}),
        ("v3 official client: register, STS", "cs-sts", "8613800001234", {"security_token": STS}),
        ("v3 official client: register, tricky characters", "cs 1/2", "+86 (138) * ~ 中 😀 a=b&c", {}),
        ("v3 official client: register, odd secret", "cs", "1", {"access_key_secret": "p&s=s wörd"}),
    ]:
        inp = base(**extra)
        inp["_cust"], inp["_phone"] = cust, phone
        out.append((name, inp, REGISTER(inp)))
    inp = base(action="GetPreValidatePhoneId")
    out.append(("v3 official client: GetPreValidatePhoneId (form body)", inp,
                lambda c, rt: c.get_pre_validate_phone_id_with_options(
                    cams_models.GetPreValidatePhoneIdRequest(phone_number="+86 13800001234", verify_code="123 456"), rt)))
    inp = base(action="SendChatappMessage")
    out.append(("v3 official client: SendChatappMessage (JSON-style parameter)", inp,
                lambda c, rt: c.send_chatapp_message_with_options(
                    cams_models.SendChatappMessageRequest(
                        cust_space_id="cs", channel_type="whatsapp", type="template", message_type="text",
                        from_="8613800001234", to="447700900123", template_code="tpl_1", language="en",
                        template_params={"name": "Zoë", "code": "12 34"}), rt)))
    return out


def v3_direct_cases() -> list[tuple[str, dict]]:
    cases = []
    add = lambda name, inp: cases.append((name, inp))  # noqa: E731
    add("v3: register, no extra headers", register("29348393884", "8613800001234"))
    add("v3: GET", register("cs", "1", method="GET"))
    add("v3: empty query", base(action="ListChatappTemplate"))
    add("v3: STS", register("cs", "1", security_token=STS))
    for label, value in [("space", "a b"), ("star and tilde", "*~"), ("reserved", "+/=&%"),
                         ("Chinese and emoji", "中文😀"), ("empty", ""), ("4 KB value", FOUR_KB)]:
        add(f"v3: value {label}", register("cs", value))
    add("v3: form body", base(action="GetPreValidatePhoneId", form=[["PhoneNumber", "+86 138"], ["VerifyCode", "1*2~3"]]))
    add("v3: header values are trimmed", base(query=[["CustSpaceId", "cs"]], headers=[["x-acs-extra", "  padded value  "]]))
    add("v3: local endpoint with port", register("cs", "1", host="127.0.0.1:8080", endpoint="http://127.0.0.1:8080"))
    return cases


# ---------------------------------------------------------------- catalog cases
M = cams_models
MASS = M.SendChatappMassMessageRequestSenderList


def catalog_cases():
    """(name, signature, action, python method, model, kwargs, camskit params or None)."""
    send = dict(cust_space_id="cs-1", channel_type="whatsapp", type="template", from_="8613800001234",
                to="447700900123", template_code="tpl_1", language="en")
    send_api = {"CustSpaceId": "cs-1", "ChannelType": "whatsapp", "Type": "template", "From": "8613800001234",
                "To": "447700900123", "TemplateCode": "tpl_1", "Language": "en"}
    return [
        ("catalog: JSON object (TemplateParams)", "1.0", "SendChatappMessage", "send_chatapp_message_with_options",
         M.SendChatappMessageRequest, {**send, "template_params": {"name": "Zoë", "code": "12 34"}},
         {**send_api, "TemplateParams": {"name": "Zoë", "code": "12 34"}}),
        ("catalog: JSON object with escapes", "1.0", "SendChatappMessage", "send_chatapp_message_with_options",
         M.SendChatappMessageRequest, {**send, "template_params": {"q": "\"quoted\" \\ /slash\n\t\u0001", "emoji": "😀", "zh": "中文"}},
         {**send_api, "TemplateParams": {"q": "\"quoted\" \\ /slash\n\t\u0001", "emoji": "😀", "zh": "中文"}}),
        ("catalog: JSON array of strings (Payload)", "1.0", "SendChatappMessage", "send_chatapp_message_with_options",
         M.SendChatappMessageRequest, {**send, "payload": ["a b", "中文", "x&y=z"]},
         {**send_api, "Payload": ["a b", "中文", "x&y=z"]}),
        ("catalog: JSON array of objects (SenderList)", "1.0", "SendChatappMassMessage", "send_chatapp_mass_message_with_options",
         M.SendChatappMassMessageRequest,
         {"cust_space_id": "cs-1", "channel_type": "whatsapp", "from_": "861380000", "language": "en", "template_code": "t",
          "sender_list": [MASS(to="447700900123", template_params={"name": "Ann"}), MASS(to="447700900124", payload=["p"])]},
         None),
        ("catalog: integers (OwnerId, ResourceOwnerId)", "1.0", "ChatappMigrationRegister", "chatapp_migration_register_with_options",
         M.ChatappMigrationRegisterRequest, {"cust_space_id": "cs-1", "phone_number": "8613800001234", "owner_id": 1234567890123456789, "resource_owner_id": 5},
         {"CustSpaceId": "cs-1", "PhoneNumber": "8613800001234", "OwnerId": 1234567890123456789, "ResourceOwnerId": 5}),
        ("catalog: booleans (CartEnable, CatalogVisible)", "1.0", "UpdateCommerceSetting", "update_commerce_setting_with_options",
         M.UpdateCommerceSettingRequest, {"cust_space_id": "cs-1", "phone_number": "8613800001234", "cart_enable": True, "catalog_visible": False},
         {"CustSpaceId": "cs-1", "PhoneNumber": "8613800001234", "CartEnable": True, "CatalogVisible": False}),
        ("catalog: body parameters (GetPreValidatePhoneId)", "1.0", "GetPreValidatePhoneId", "get_pre_validate_phone_id_with_options",
         M.GetPreValidatePhoneIdRequest, {"phone_number": "+86 13800001234", "verify_code": "123 456"},
         {"PhoneNumber": "+86 13800001234", "VerifyCode": "123 456"}),
        ("catalog: snake-case names", "1.0", "ChatappMigrationRegister", "chatapp_migration_register_with_options",
         M.ChatappMigrationRegisterRequest, {"cust_space_id": "cs-2", "phone_number": "1"},
         {"cust_space_id": "cs-2", "phone_number": "1"}),
        ("catalog v3: JSON object and booleans", "v3", "UpdateCommerceSetting", "update_commerce_setting_with_options",
         M.UpdateCommerceSettingRequest, {"cust_space_id": "cs-1", "phone_number": "8613800001234", "cart_enable": False, "catalog_visible": True},
         {"CustSpaceId": "cs-1", "PhoneNumber": "8613800001234", "CartEnable": False, "CatalogVisible": True}),
        ("catalog v3: JSON object (TemplateParams)", "v3", "SendChatappMessage", "send_chatapp_message_with_options",
         M.SendChatappMessageRequest, {**send, "template_params": {"name": "Zoë", "code": "12 34"}},
         {**send_api, "TemplateParams": {"name": "Zoë", "code": "12 34"}}),
        ("catalog v3: body parameters", "v3", "GetPreValidatePhoneId", "get_pre_validate_phone_id_with_options",
         M.GetPreValidatePhoneIdRequest, {"phone_number": "+86 13800001234", "verify_code": "1*2~3"},
         {"PhoneNumber": "+86 13800001234", "VerifyCode": "1*2~3"}),
    ]


def record_catalog() -> list[dict]:
    out = []
    for name, sig, action, method, model, kwargs, params in catalog_cases():
        inp = base(action=action)
        call = lambda c, rt, m=method, model=model, kw=kwargs: getattr(c, m)(model(**kw), rt)  # noqa: E731
        if sig == "1.0":
            expected = official_client_rpc(inp, call, format_json=True)[1]
        else:
            expected = full_client_v3(inp, call)
        if params is None:
            # Objects inside arrays: the camskit caller gives the same data; the key order is
            # the one the official models write (their to_map order).
            sent = dict(expected["url_params"])
            params = {"CustSpaceId": "cs-1", "ChannelType": "whatsapp", "From": "861380000", "Language": "en",
                      "TemplateCode": "t", "SenderList": json.loads(sent["SenderList"])}
        case_input = {k: v for k, v in clean(inp).items() if k not in ("query", "form")}
        case_input["signature"] = sig
        case_input["params"] = params
        out.append({"name": name, "source": f"alibabacloud_cams20200606 Client.{method} ({'v2' if sig == '1.0' else 'default v3'}, network cut)",
                    "input": case_input, "expected": expected})
    # Flattened style: no CAMS 5.3.1 operation uses it, so the official flattener itself
    # (tea-openapi Utils.query) is recorded on values a caller could give.
    for name, prefix, value in [
        ("flat: list of strings", "InstanceIds", ["i-1", "i 2", "中"]),
        ("flat: list of objects", "Tag", [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "a&b"}]),
        ("flat: object with nested list and scalars", "Filter", {"Name": "x", "Values": ["1", "2"], "On": True, "N": 7}),
    ]:
        flat = Utils.query({prefix: value})
        out.append({"name": name, "source": "tea-openapi Utils.query", "input": {"prefix": prefix, "value": value},
                    "expected": {"pairs": [[k, v] for k, v in flat.items()]}})
    return out


def official_client_rpc(inp: dict, call, format_json: bool = False):
    """The official client's 1.0 request: (the request, the expected values)."""
    req = run_official_client("v2", inp, call, format_json=format_json)
    string_to_sign = _HmacRecorder.messages[-1].decode("utf-8")
    query = dict(req.query)
    out = {
        "canonical_query": unquote(string_to_sign.split("&", 2)[2]),
        "string_to_sign": string_to_sign,
        "signature": query["Signature"],
        "url_params": sorted([list(p) for p in query.items()]),
    }
    if req.body:
        out["body"] = req.body
    return req, out


# ---------------------------------------------------------------- Node cross-check
def node_check(node_dir: Path, items: list[dict]) -> list[dict]:
    script = Path(__file__).with_name("node_sign.cjs")
    env = {**os.environ, "NODE_PATH": str(node_dir / "node_modules")}
    res = subprocess.run(["node", str(script)], input=json.dumps(items), capture_output=True,
                         text=True, cwd=node_dir, env=env)
    if res.returncode != 0:
        raise SystemExit(f"the npm signer failed:\n{res.stderr}")
    return json.loads(res.stdout)


def clean(inp: dict) -> dict:
    return {k: v for k, v in inp.items() if not k.startswith("_") and v not in (None, [])}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--node-dir", required=True, type=Path)
    ap.add_argument("--node-versions", required=True)
    args = ap.parse_args()

    signers = {
        "alibabacloud-tea-openapi": pkg_version("alibabacloud-tea-openapi"),
        "alibabacloud-cams20200606": pkg_version("alibabacloud-cams20200606"),
        "aliyun-python-sdk-core": pkg_version("aliyun-python-sdk-core"),
        "npm": json.loads(args.node_versions),
    }

    rpc = []
    for name, inp in rpc_cases():
        rpc.append({"name": name, "source": "tea-openapi Utils.get_rpcsignature; aliyunsdkcore composer",
                    "input": clean(inp), "expected": official_rpc(inp)})
    for name, inp, call in full_client_cases():
        expected = full_client_rpc(inp, call)
        rpc.append({"name": name, "source": "alibabacloud_cams20200606 Client (signature_algorithm='v2', network cut)",
                    "input": clean(inp), "expected": expected})
    checks = node_check(args.node_dir, [{"kind": "rpc", "method": c["input"]["method"],
                                         "secret": c["input"]["access_key_secret"],
                                         "params": {k: v for k, v in c["expected"]["url_params"] if k != "Signature"}
                                         | dict(c["input"].get("form", []))}
                                        for c in rpc])
    for case, chk in zip(rpc, checks):
        if chk["signature"] != case["expected"]["signature"]:
            raise SystemExit(f"@alicloud/openapi-util disagrees on {case['name']}: {chk} vs {case['expected']['signature']}")
        case["source"] += "; @alicloud/openapi-util getRPCSignature"

    v3 = []
    for name, inp, call in v3_full_cases():
        expected = full_client_v3(inp, call)
        v3.append({"name": name, "source": "alibabacloud_cams20200606 Client (default ACS3-HMAC-SHA256, network cut)",
                   "input": clean(inp), "expected": expected})
    for name, inp in v3_direct_cases():
        v3.append({"name": name, "source": "tea-openapi Utils.get_authorization",
                   "input": clean({k: v for k, v in inp.items() if k != "host"}), "expected": official_v3(inp)})
    node_items = []
    for c in v3:
        e = c["expected"]
        node_items.append({"kind": "v3", "method": c["input"]["method"], "query": dict(e["url_params"]),
                           "headers": dict(e["headers"]), "payload": e["content_sha256"],
                           "ak": c["input"]["access_key_id"], "secret": c["input"]["access_key_secret"]})
    for case, chk in zip(v3, node_check(args.node_dir, node_items)):
        names = set(dict(case["expected"]["headers"]))
        node_signs_same = all(n.startswith("x-acs-") or n in ("host", "content-type") for n in names)
        if node_signs_same:
            if chk["authorization"] != case["expected"]["authorization"]:
                raise SystemExit(f"@alicloud/openapi-util disagrees on {case['name']}: {chk}")
            case["source"] += "; @alicloud/openapi-util getAuthorization"

    catalog = record_catalog()

    header = {
        "generated_by": "tools/gen-vectors.sh (do not edit by hand)",
        "official_signers": signers,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    for fname, cases, about in [
        ("rpc-v1.json", rpc, "RPC signature 1.0 (HMAC-SHA1). input: what a camskit caller gives (query and form "
         "parameters exclude the ones the signer adds); expected: what Alibaba's signers produced."),
        ("v3.json", v3, "ACS3-HMAC-SHA256. input.headers: extra headers the caller adds and signs "
         "(the Python SDK also signs user-agent, accept and x-acs-credentials-provider)."),
        ("catalog.json", catalog, "Catalog-driven requests: input.params are structured values (objects, arrays, "
         "integers, booleans) given by API or snake name; the official CAMS client serialized and signed the same data "
         "(1.0 with its Format override set to JSON; v3 with its own headers, given in input.headers). flat cases: "
         "the official flattener's output for input.value under input.prefix."),
    ]:
        doc = {**header, "about": about, "cases": cases}
        (args.out / fname).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{fname}: {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Writes tests/vectors/mns.json: MNS (receipts in consumer mode) requests and answers as
Alibaba's official SDKs make and read them. Nothing here imports camskit.

* MNS requests: the official `aliyun-mns-sdk` (PyPI; `mns.mns_client.MNSClient`) builds
  ReceiveMessage, BatchReceiveMessage, DeleteMessage, BatchDeleteMessage and
  ChangeMessageVisibility for fixed inputs. Its clock is pinned (the `time` the client
  module reads), its HMAC is recorded (the string to sign), and its HTTP layer is replaced by a
  recorder that sends nothing: what is written is exactly what the SDK would have sent.
* MNS answers: the same SDK's decoders (`mns.mns_xml_handler`) read XML answers shaped like
  the examples of the MNS API reference; what they extract is the expected value.
* Dybaseapi `QueryTokenForMnsQueue` (RPC 1.0, 2017-05-25): the official
  `alibabacloud-dybaseapi20170525` client with its nonce and time pinned and its transport
  replaced by a recorder, cross-checked with `aliyunsdkcore`'s composer (the signer of the
  `aliyun-python-sdk-dybaseapi` request class).

Run: python3 tools/vectors/mns.py   (installs the pinned packages into .tools/mns-vectors
once, then re-runs itself there; no network is used by the recording itself).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".tools" / "mns-vectors"
PINS = [
    "aliyun-mns-sdk==1.3.0",
    "aliyun-python-sdk-dybaseapi==1.0.8",
    "aliyun-python-sdk-core==2.16.1",
    "alibabacloud-dybaseapi20170525==1.0.1",
    "alibabacloud-tea-openapi==0.4.6",
    "darabonba-core==1.0.9",
]


def ensure_venv() -> None:
    py = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    marker = VENV / ".pins"
    if not py.exists() or not marker.exists() or marker.read_text() != "\n".join(PINS):
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", *PINS],
                       check=True)
        marker.write_text("\n".join(PINS))
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])


ensure_venv()
# This file is named like the SDK's package: import the SDK, not this script.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

# ---------------------------------------------------------------- from here on, in the venv
import base64  # noqa: E402
import hashlib  # noqa: E402
import hmac as _hmac  # noqa: E402
import socket  # noqa: E402
import time as _time  # noqa: E402
from importlib.metadata import version as pkg_version  # noqa: E402
from urllib.parse import unquote  # noqa: E402


def _no_network(*_a, **_k):
    raise OSError("network cut by the camskit vector recorder")


socket.socket.connect = _no_network
socket.create_connection = _no_network

import mns.mns_client as mns_client  # noqa: E402
from mns import mns_request as R  # noqa: E402
from mns import mns_xml_handler as X  # noqa: E402
from mns.mns_exception import MNSServerException  # noqa: E402
from mns.mns_http import ResponseInternal  # noqa: E402

DATE = "Sun, 06 Dec 2026 02:40:35 GMT"
ENDPOINT = "https://1943695596114318.mns.cn-hangzhou.aliyuncs.com"
HOST = "1943695596114318.mns.cn-hangzhou.aliyuncs.com"
KEY_ID = "STS.NUgYrLnoC37mZZCNnAbez2bqQ"
SECRET = "3hcd7D8Ex2DYFRLvEpFbFvoYD1MR4sqQvPR6pQxxJ8zL"
TOKEN = "CAES+wMIARKAAZhjH0EUOIhJMQBMjRywXq7MQ/cjLYg80Aho1ek0Jm63XMhr9Oc5s/tMbdf3aKW+Lfyy6ZyUwFVbr1AltCpXbTi/BN8UNHVhrwx2BvXvlL3M5yZgW1TjNhPmFOCQ9bP6H/cmUJeCWM9Y6bHTZdVQfXuZrT/XNrK8xwvFtdcwnJv3GhhTVFMuTlVnWXJMbm9DMzdtWlpDTm5BYmV6MmJxUSITMTg0OTM2NjM2NDY4MjI3NjYxNCoLY2xpZC1yYW0tMTU="
QUEUE = "Alicom-Queue-1873897471328909-ChatAppStatus"
HANDLE = "1-ODU4OTkzNDU5My0xNDMyNzI3ODI3LTItOA=="
HANDLE2 = "1-ODU4OTkzNDU5My0xNDMyNzI3ODI3LTItOQ=="
HANDLE3 = "8-2zpsfi7yIJx-3Q+az/AB=="


class _FixedTime:
    """Stands in for the `time` module inside mns_client: the Date header is pinned."""

    @staticmethod
    def gmtime(*_a):
        return _time.strptime(DATE, "%a, %d %b %Y %H:%M:%S GMT")

    strftime = staticmethod(_time.strftime)
    time = staticmethod(_time.time)
    sleep = staticmethod(_time.sleep)


mns_client.time = _FixedTime


class _HmacRecorder:
    messages: list[bytes] = []

    @staticmethod
    def new(key, msg=None, digestmod=None):
        _HmacRecorder.messages.append(msg)
        return _hmac.new(key, msg, digestmod)


mns_client.hmac = _HmacRecorder


class _Stop(Exception):
    pass


_captured: dict = {}


def _record_send(req_inter):
    _captured["req"] = req_inter
    raise _Stop()


def client(token: str) -> mns_client.MNSClient:
    c = mns_client.MNSClient(ENDPOINT, KEY_ID, SECRET, security_token=token)
    c.http.send_request = _record_send
    return c


def record(name: str, token: str, call, op: dict) -> dict:
    _captured.clear()
    _HmacRecorder.messages.clear()
    try:
        call(client(token))
    except _Stop:
        pass
    req = _captured["req"]
    headers = {k: v for k, v in req.header.items() if k not in ("user-agent", "host", "Connection")}
    data = req.data
    body = data.decode("utf-8") if isinstance(data, bytes) else (data or None)
    return {
        "name": name,
        "source": f"aliyun-mns-sdk {pkg_version('aliyun-mns-sdk')} MNSClient (clock pinned, HTTP recorded, nothing sent)",
        "input": {"endpoint": ENDPOINT, "access_key_id": KEY_ID, "access_key_secret": SECRET,
                  "security_token": token or None, "queue": QUEUE, "date": DATE, **op},
        "expected": {
            "method": req.method,
            "url": ENDPOINT + req.uri,
            "resource": req.uri,
            "string_to_sign": _HmacRecorder.messages[-1].decode("utf-8"),
            "authorization": req.header["Authorization"],
            "headers": sorted([k, v] for k, v in headers.items()),
            "body": body or None,
        },
    }


def request_cases() -> list[dict]:
    cases = []
    for token in (TOKEN, ""):
        tag = "STS token" if token else "no token"
        cases += [
            record(f"ReceiveMessage waitseconds=30 ({tag})", token,
                   lambda c: c.receive_message(R.ReceiveMessageRequest(QUEUE, False, 30), R.ReceiveMessageResponse()),
                   {"op": "receive", "wait_seconds": 30}),
            record(f"BatchReceiveMessage 16, waitseconds=10 ({tag})", token,
                   lambda c: c.batch_receive_message(R.BatchReceiveMessageRequest(QUEUE, 16, False, 10),
                                                     R.BatchReceiveMessageResponse()),
                   {"op": "batch_receive", "num_of_messages": 16, "wait_seconds": 10}),
            record(f"DeleteMessage ({tag})", token,
                   lambda c: c.delete_message(R.DeleteMessageRequest(QUEUE, HANDLE), R.DeleteMessageResponse()),
                   {"op": "delete", "receipt_handle": HANDLE}),
            record(f"BatchDeleteMessage of 3 ({tag})", token,
                   lambda c: c.batch_delete_message(R.BatchDeleteMessageRequest(QUEUE, [HANDLE, HANDLE2, HANDLE3]),
                                                    R.BatchDeleteMessageResponse()),
                   {"op": "batch_delete", "receipt_handles": [HANDLE, HANDLE2, HANDLE3]}),
            record(f"ChangeMessageVisibility 60 s ({tag})", token,
                   lambda c: c.change_message_visibility(R.ChangeMessageVisibilityRequest(QUEUE, HANDLE, 60),
                                                         R.ChangeMessageVisibilityResponse()),
                   {"op": "change_visibility", "receipt_handle": HANDLE, "visibility_timeout": 60}),
        ]
    cases += [
        record("ReceiveMessage without waitseconds (the queue's PollingWaitSeconds)", TOKEN,
               lambda c: c.receive_message(R.ReceiveMessageRequest(QUEUE, False), R.ReceiveMessageResponse()),
               {"op": "receive"}),
        record("ReceiveMessage waitseconds=0 (short poll)", TOKEN,
               lambda c: c.receive_message(R.ReceiveMessageRequest(QUEUE, False, 0), R.ReceiveMessageResponse()),
               {"op": "receive", "wait_seconds": 0}),
        record("BatchDeleteMessage of 1, handle with + and /", TOKEN,
               lambda c: c.batch_delete_message(R.BatchDeleteMessageRequest(QUEUE, [HANDLE3]),
                                                R.BatchDeleteMessageResponse()),
               {"op": "batch_delete", "receipt_handles": [HANDLE3]}),
        record("ChangeMessageVisibility 43200 s (the maximum)", TOKEN,
               lambda c: c.change_message_visibility(R.ChangeMessageVisibilityRequest(QUEUE, HANDLE2, 43200),
                                                     R.ChangeMessageVisibilityResponse()),
               {"op": "change_visibility", "receipt_handle": HANDLE2, "visibility_timeout": 43200}),
    ]
    return cases


# ---------------------------------------------------------------- answers
NS = 'xmlns="http://mns.aliyuncs.com/doc/v1/"'
STATUS_BODY = json.dumps({"Status": "DELIVERED", "MessageId": "wamid.HBgLODYxMzgwMDAwMTIzFQIAERgSQjQ=",
                          "To": "8613800001234", "From": "8613900001234", "Timestamp": 1720944000000},
                         separators=(",", ":"))
ESCAPED = STATUS_BODY.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def message_xml(mid: str, handle: str, body: str, md5: str, dequeue: int) -> str:
    return (f"<Message><MessageId>{mid}</MessageId><ReceiptHandle>{handle}</ReceiptHandle>"
            f"<MessageBody>{body}</MessageBody><MessageBodyMD5>{md5}</MessageBodyMD5>"
            f"<EnqueueTime>1250700979248</EnqueueTime><NextVisibleTime>1250700799348</NextVisibleTime>"
            f"<FirstDequeueTime>1250700779318</FirstDequeueTime><DequeueCount>{dequeue}</DequeueCount>"
            f"<Priority>8</Priority></Message>")


RECEIVE_DOC = ('<?xml version="1.0" encoding="UTF-8" ?>\n<Message ' + NS + '>\n'
               "  <MessageId>5F290C926D472878-2-14D9529A8FA-200000001</MessageId>\n"
               "  <ReceiptHandle>1-ODU4OTkzNDU5My0xNDMyNzI3ODI3LTItOA==</ReceiptHandle>\n"
               "  <MessageBodyMD5>C5DD56A39F5F7BB8B3337C6D11B6D8C7</MessageBodyMD5>\n"
               "  <MessageBody>This is a test message</MessageBody>\n"
               "  <EnqueueTime>1250700979248</EnqueueTime>\n"
               "  <NextVisibleTime>1250700799348</NextVisibleTime>\n"
               "  <FirstDequeueTime>1250700779318</FirstDequeueTime>\n"
               "  <DequeueCount>1</DequeueCount>\n"
               "  <Priority>8</Priority>\n</Message>")

ERROR_DOC = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error ' + NS + '>\n'
             "<Code>{code}</Code>\n<Message>{message}</Message>\n"
             "<RequestId>04bb60e3-28aa-4706-99b0-9345d834****</RequestId>\n"
             "<HostId>http://1943695596114318.mns.cn-hangzhou.aliyuncs.com</HostId>\n</Error>")


def sdk_message(d: dict) -> dict:
    return {"message_id": d["MessageId"], "receipt_handle": d["ReceiptHandle"], "message_body": d["MessageBody"],
            "message_body_md5": d["MessageBodyMD5"], "enqueue_time": int(d["EnqueueTime"]),
            "first_dequeue_time": int(d["FirstDequeueTime"]), "next_visible_time": int(d["NextVisibleTime"]),
            "dequeue_count": int(d["DequeueCount"]), "priority": int(d["Priority"])}


def sdk_entry(m) -> dict:
    return {"message_id": m.message_id, "receipt_handle": m.receipt_handle, "message_body": m.message_body,
            "message_body_md5": m.message_body_md5, "enqueue_time": m.enqueue_time,
            "first_dequeue_time": m.first_dequeue_time, "next_visible_time": m.next_visible_time,
            "dequeue_count": m.dequeue_count, "priority": m.priority}


def sdk_error(xml_text: str, decoder=X.ErrorDecoder) -> dict:
    code, message, rid, host, sub = decoder.decodeError(xml_text)
    out = {"code": code, "message": message, "request_id": rid, "host_id": host}
    if sub:
        out["errors"] = [{"error_code": e["ErrorCode"], "error_message": e["ErrorMessage"],
                          "receipt_handle": e["ReceiptHandle"]} for e in sub]
    return out


def answer_cases() -> list[dict]:
    src = f"aliyun-mns-sdk {pkg_version('aliyun-mns-sdk')} mns_xml_handler decoders"
    out = []
    md5 = hashlib.md5(STATUS_BODY.encode()).hexdigest().upper()
    one = '<?xml version="1.0" encoding="UTF-8"?><Message ' + NS + ">" + message_xml(
        "5F290C926D472878-2-14D9529A8FA-200000001", HANDLE, ESCAPED, md5, 1)[len("<Message>"):]
    for name, xml_text in [("ReceiveMessage: the API reference example", RECEIVE_DOC),
                           ("ReceiveMessage: a ChatAppStatus receipt, escaped JSON", one)]:
        d = X.RecvMessageDecoder.decode(xml_text, False)
        out.append({"name": name, "source": src + " (RecvMessageDecoder)", "op": "receive", "status": 200,
                    "body": xml_text, "expected": {"outcome": "messages", "messages": [sdk_message(d)]}})
    batch = ('<?xml version="1.0" encoding="UTF-8"?>\n<Messages ' + NS + ">\n"
             + message_xml("5F290C926D472878-2-14D9529A8FA-200000001", HANDLE, "This is a test message",
                           "C5DD56A39F5F7BB8B3337C6D11B6D8C7", 1) + "\n"
             + message_xml("5F290C926D472878-2-14D9529A8FA-200000002", HANDLE2, ESCAPED, md5, 3)
             + "\n</Messages>")
    msgs = X.BatchRecvMessageDecoder.decode(batch, False)
    out.append({"name": "BatchReceiveMessage: two messages", "source": src + " (BatchRecvMessageDecoder)",
                "op": "batch_receive", "status": 200, "body": batch,
                "expected": {"outcome": "messages", "messages": [sdk_entry(m) for m in msgs]}})
    cv = ('<?xml version="1.0" encoding="UTF-8"?>\n<ChangeVisibility ' + NS + ">\n"
          "<ReceiptHandle>1-ODU4OTkzNDU5My0xNDMyNzI3ODI3LTItOA==</ReceiptHandle>\n"
          "<NextVisibleTime>1250700979298</NextVisibleTime>\n</ChangeVisibility>")
    handle, nvt = X.ChangeMsgVisDecoder.decode(cv)
    out.append({"name": "ChangeMessageVisibility: the API reference example", "source": src + " (ChangeMsgVisDecoder)",
                "op": "change_visibility", "status": 200, "body": cv,
                "expected": {"outcome": "visibility", "receipt_handle": handle, "next_visible_time": int(nvt)}})
    for status, code, message, op, outcome, kind in [
        (404, "MessageNotExist", "Message not exist.", "receive", "empty", None),
        (404, "MessageNotExist", "Message not exist.", "batch_receive", "empty", None),
        (404, "QueueNotExist", "The queue name you provided is not exist.", "receive", "error", "not_found"),
        (403, "AccessDenied", "The OwnerId that your Access Key Id associated to is forbidden for this operation.",
         "receive", "error", "permission"),
        (403, "InvalidAccessKeyId", "The AccessKey Id you provided is not exist.", "batch_receive", "error",
         "authentication"),
        (403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.",
         "delete", "error", "signature_mismatch"),
        (400, "ReceiptHandleError", "The receipt handle you provided is not valid.", "delete", "error",
         "invalid_parameter"),
        (404, "MessageNotExist", "Message not exist.", "delete", "error", "not_found"),
        (408, "TimeExpired", "The http request you sent is expired.", "receive", "error", "clock_skew"),
        (403, "QpsLimitExceeded", "Queue Qps limit exceeded.", "receive", "error", "throttling"),
        (500, "InternalError", "Interal error.", "receive", "error", "server"),
    ]:
        body = ERROR_DOC.format(code=code, message=message)
        exp = {"outcome": outcome, **({"kind": kind} if kind else {})}
        exp["error"] = sdk_error(body)
        out.append({"name": f"{op}: {code} (HTTP {status})", "source": src + " (ErrorDecoder)", "op": op,
                    "status": status, "body": body, "expected": exp})
    errors = ('<?xml version="1.0" encoding="UTF-8"?>\n<Errors ' + NS + ">\n"
              "<Error><ErrorCode>ReceiptHandleError</ErrorCode><ErrorMessage>The receipt handle you provided is not valid."
              "</ErrorMessage><ReceiptHandle>" + HANDLE + "</ReceiptHandle></Error>\n"
              "<Error><ErrorCode>MessageNotExist</ErrorCode><ErrorMessage>Message not exist.</ErrorMessage>"
              "<ReceiptHandle>" + HANDLE2 + "</ReceiptHandle></Error>\n</Errors>")
    out.append({"name": "BatchDeleteMessage: per-handle errors", "source": src + " (BatchDeleteMessageDecoder)",
                "op": "batch_delete", "status": 404, "body": errors,
                "expected": {"outcome": "batch_delete_errors",
                             "error": sdk_error(errors, X.BatchDeleteMessageDecoder)}})
    # What the SDK refuses as RespDataDamaged: camskit refuses the same as a parse error.
    for name, op, body in [
        ("a Message without ReceiptHandle", "receive",
         '<Message ' + NS + '><MessageId>1</MessageId><MessageBody>x</MessageBody></Message>'),
        ("not XML", "receive", "<html><body>502 Bad Gateway</body></html"),
        ("empty body", "receive", ""),
    ]:
        try:
            X.RecvMessageDecoder.decode(body, False)
            raise SystemExit(f"the SDK accepted {name}")
        except Exception as e:  # MNSClientNetworkException("RespDataDamaged")
            if getattr(e, "type", "") != "RespDataDamaged":
                raise
        out.append({"name": f"ReceiveMessage: {name} (SDK: RespDataDamaged)", "source": src, "op": op,
                    "status": 200, "body": body, "expected": {"outcome": "parse_error"}})
    return out


# ---------------------------------------------------------------- Dybaseapi QueryTokenForMnsQueue
import alibabacloud_tea_openapi.client as openapi_client  # noqa: E402
import alibabacloud_tea_openapi.utils as openapi_utils  # noqa: E402
from alibabacloud_dybaseapi20170525 import models as dy_models  # noqa: E402
from alibabacloud_dybaseapi20170525.client import Client as DyClient  # noqa: E402
from alibabacloud_tea_openapi import utils_models as openapi_models  # noqa: E402
from alibabacloud_tea_openapi.utils import Utils  # noqa: E402
from aliyunsdkcore.auth.composer import rpc_signature_composer  # noqa: E402
from aliyunsdkdybaseapi.request.v20170525.QueryTokenForMnsQueueRequest import QueryTokenForMnsQueueRequest  # noqa: E402
from darabonba.runtime import ExtendsParameters, RuntimeOptions  # noqa: E402


class _RpcHmac:
    messages: list[bytes] = []

    @staticmethod
    def new(key, msg=None, digestmod=None):
        _RpcHmac.messages.append(msg if isinstance(msg, bytes) else str(msg).encode())
        return _hmac.new(key, msg, digestmod)


openapi_utils.hmac = _RpcHmac


def _record_do_action(request, runtime=None):
    _captured["dara"] = request
    raise _Stop()


openapi_client.DaraCore.do_action = staticmethod(_record_do_action)


def token_case(name: str, inp: dict) -> dict:
    Utils.get_nonce = staticmethod(lambda: inp["nonce"])
    Utils.get_timestamp = staticmethod(lambda: inp["timestamp"])
    cfg = openapi_models.Config(access_key_id=inp["access_key_id"], access_key_secret=inp["access_key_secret"],
                                security_token=inp.get("security_token"), endpoint="dybaseapi.aliyuncs.com",
                                signature_algorithm="v2")
    rt = RuntimeOptions(autoretry=False, max_attempts=1)
    # The client's own override hook: its default is Format=json; camskit's (every RPC call's) is JSON.
    rt.extends_parameters = ExtendsParameters(queries={"Format": "JSON"})
    req = dy_models.QueryTokenForMnsQueueRequest(message_type=inp["message_type"], queue_name=inp.get("queue_name"))
    _captured.clear()
    _RpcHmac.messages.clear()
    try:
        DyClient(cfg).query_token_for_mns_queue_with_options(req, rt)
    except Exception:  # the recorder stops the client before it sends anything
        pass
    if "dara" not in _captured:
        raise SystemExit(f"the official client built no request for {name}")
    dara = _captured["dara"]
    query = dict(dara.query)
    string_to_sign = _RpcHmac.messages[-1].decode("utf-8")
    # A second official signer of the same request: aliyunsdkcore's composer, with the
    # parameters of the aliyun-python-sdk-dybaseapi request class.
    legacy_req = QueryTokenForMnsQueueRequest()
    legacy_req.set_MessageType(inp["message_type"])
    if inp.get("queue_name"):
        legacy_req.set_QueueName(inp["queue_name"])
    params = {k: v for k, v in query.items() if k != "Signature"}
    for k, v in legacy_req.get_query_params().items():
        if params.get(k) != v:
            raise SystemExit(f"aliyun-python-sdk-dybaseapi disagrees on {k}: {v!r} vs {params.get(k)!r}")
    legacy = getattr(rpc_signature_composer, "__compose_string_to_sign")(legacy_req.get_method(), params)
    if legacy != string_to_sign:
        raise SystemExit(f"aliyunsdkcore disagrees: {legacy!r} != {string_to_sign!r}")
    return {"name": name,
            "source": (f"alibabacloud-dybaseapi20170525 {pkg_version('alibabacloud-dybaseapi20170525')} Client "
                       f"(signature v2, network cut); aliyunsdkcore {pkg_version('aliyun-python-sdk-core')} composer "
                       f"with aliyun-python-sdk-dybaseapi {pkg_version('aliyun-python-sdk-dybaseapi')}"),
            "input": {k: v for k, v in inp.items() if v is not None},
            "expected": {"method": dara.method, "host": dara.headers.get("host"),
                         "canonical_query": unquote(string_to_sign.split("&", 2)[2]),
                         "string_to_sign": string_to_sign, "signature": query["Signature"],
                         "url_params": sorted([list(p) for p in query.items()]), "body": dara.body or None}}


def token_cases() -> list[dict]:
    base = {"access_key_id": "LTAI5tCamsKitVector01", "access_key_secret": "CamsKitVectorSecret0123456789",
            "timestamp": "2026-12-06T02:40:35Z", "nonce": "7d0f6a2e-3b1c-4f5e-9a8d-2c4b6e8f0a1b"}
    return [
        token_case("ChatAppStatus with its queue", {**base, "message_type": "ChatAppStatus",
                                                    "queue_name": "Alicom-Queue-1873897471328909-ChatAppStatus"}),
        token_case("ChatAppInbound without a queue name", {**base, "message_type": "ChatAppInbound"}),
        token_case("with an STS token", {**base, "message_type": "ChatAppStatus",
                                         "queue_name": "Alicom-Queue-1873897471328909-ChatAppStatus",
                                         "security_token": "CAIS8QF1q6Ft5B2yfSjIr5bHKd/Tg+Z0xa2jb0Tlg2k="}),
    ]


def main() -> None:
    # `--out DIR` writes DIR/mns.json instead (the test command compares a fresh run).
    args = sys.argv[1:]
    out_dir = Path(args[args.index("--out") + 1]) if "--out" in args else ROOT / "tests" / "vectors"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "mns.json"
    doc = {
        "comment": "Written by tools/vectors/mns.py from Alibaba's official SDKs; never edit by hand.",
        "packages": {p: pkg_version(p) for p in ["aliyun-mns-sdk", "alibabacloud-dybaseapi20170525",
                                                 "aliyun-python-sdk-dybaseapi", "aliyun-python-sdk-core",
                                                 "alibabacloud-tea-openapi"]},
        "requests": request_cases(),
        "answers": answer_cases(),
        "query_token": token_cases(),
    }
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}: {len(doc['requests'])} requests, {len(doc['answers'])} answers, "
          f"{len(doc['query_token'])} token requests")


if __name__ == "__main__":
    main()

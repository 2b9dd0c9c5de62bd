"""tests/vectors/mns.json, recorded from Alibaba's official SDKs (aliyun-mns-sdk,
alibabacloud-dybaseapi20170525, aliyun-python-sdk-core) by tools/vectors/mns.py: camskit.mns
(core's MNS signer and readers) reproduces every MNS request byte for byte, reads every answer
as the SDK's decoders do, and signs QueryTokenForMnsQueue as the official clients do."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

import camskit
from camskit import mns
from conftest import VECTORS

DOC = json.loads((VECTORS / "mns.json").read_text(encoding="utf-8"))


def build(queue: mns.MnsQueue, i: dict) -> mns.MnsRequest:
    op = i["op"]
    if op == "receive":
        return queue.receive_message(i.get("wait_seconds"))
    if op == "batch_receive":
        return queue.batch_receive_message(i["num_of_messages"], i.get("wait_seconds"))
    if op == "delete":
        return queue.delete_message(i["receipt_handle"])
    if op == "batch_delete":
        return queue.batch_delete_message(i["receipt_handles"])
    if op == "change_visibility":
        return queue.change_message_visibility(i["receipt_handle"], i["visibility_timeout"])
    raise AssertionError(op)


def test_the_file_has_every_case_and_names_its_sources() -> None:
    assert len(DOC["requests"]) >= 14 and len(DOC["answers"]) >= 19 and len(DOC["query_token"]) >= 3
    for p in ("aliyun-mns-sdk", "alibabacloud-dybaseapi20170525", "aliyun-python-sdk-core"):
        assert isinstance(DOC["packages"][p], str)


@pytest.mark.parametrize("case", DOC["requests"], ids=lambda c: c["name"])
def test_request_vectors(case: dict) -> None:
    i, e = case["input"], case["expected"]
    queue = mns.MnsQueue(i["endpoint"], i["queue"])
    req = build(queue, i)
    assert req.resource == e["resource"] and req.method == e["method"] and req.body == e["body"]
    assert req.purpose.startswith("mns:")
    signed = queue.sign(req, access_key_id=i["access_key_id"], access_key_secret=i["access_key_secret"],
                        security_token=i.get("security_token"), date=i["date"])
    assert signed.string_to_sign == e["string_to_sign"]
    assert signed.method == e["method"]
    assert signed.url == e["url"]
    assert signed.header("authorization") == e["authorization"]
    assert signed.body == e["body"]
    # Every header the SDK sends (but the client's own Host, User-Agent, Connection), names as
    # it writes them, and no other.
    assert sorted(signed.headers) == sorted(tuple(h) for h in e["headers"])
    # No secret in its repr.
    assert i["access_key_secret"] not in repr(signed) and e["authorization"] not in repr(signed)


def test_a_date_from_this_machine_s_clock_when_none_is_given() -> None:
    case = DOC["requests"][0]
    i = case["input"]
    queue = mns.MnsQueue(i["endpoint"], i["queue"])
    signed = queue.sign(build(queue, i), access_key_id=i["access_key_id"], access_key_secret=i["access_key_secret"])
    assert signed.header("date", ) is not None and signed.header("date").endswith(" GMT")
    assert mns.http_date(1796524835) == "Sun, 06 Dec 2026 02:40:35 GMT"


@pytest.mark.parametrize("case", DOC["answers"], ids=lambda c: c["name"])
def test_answer_vectors(case: dict) -> None:
    op, status, body, e = case["op"], case["status"], case["body"].encode(), case["expected"]
    parse = {
        "receive": lambda: [m for m in [mns.parse_receive_message(status, body)] if m is not None],
        "batch_receive": lambda: mns.parse_batch_receive_message(status, body),
        "delete": lambda: mns.parse_delete_message(status, body),
        "batch_delete": lambda: mns.parse_batch_delete_message(status, body),
        "change_visibility": lambda: mns.parse_change_message_visibility(status, body),
    }[op]
    outcome = e["outcome"]
    if outcome == "messages":
        assert [m._asdict() for m in parse()] == e["messages"]
    elif outcome == "empty":
        assert parse() == []
    elif outcome == "visibility":
        v = parse()
        assert (v.receipt_handle, v.next_visible_time) == (e["receipt_handle"], e["next_visible_time"])
    elif outcome == "batch_delete_errors":
        assert [f._asdict() for f in parse()] == e["error"]["errors"]
    elif outcome == "error":
        with pytest.raises(camskit.ApiError) as info:
            parse()
        err, sdk = info.value, e["error"]
        assert err.kind == e["kind"] and err.status == status
        assert (err.code, err.message, err.request_id, err.host_id) == (
            sdk["code"], sdk["message"], sdk["request_id"], sdk["host_id"])
    elif outcome == "parse_error":
        with pytest.raises(camskit.ParseError):
            parse()
    else:
        raise AssertionError(outcome)


@pytest.mark.parametrize("case", DOC["query_token"], ids=lambda c: c["name"])
def test_query_token_vectors(case: dict) -> None:
    i, e = case["input"], case["expected"]
    signed = mns.sign_query_token_for_mns_queue(
        i["access_key_id"], i["access_key_secret"], i["message_type"], i.get("queue_name"),
        security_token=i.get("security_token"), timestamp=i["timestamp"], nonce=i["nonce"])
    assert signed.method == e["method"]
    assert signed.canonical_query == e["canonical_query"]
    assert signed.string_to_sign == e["string_to_sign"]
    assert signed.signature == e["signature"]
    assert signed.body == e["body"]
    url = urlsplit(signed.url)
    assert url.scheme == "https" and url.hostname == e["host"] and url.path == "/"
    assert sorted(parse_qsl(url.query, keep_blank_values=True)) == sorted(tuple(p) for p in e["url_params"])


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(camskit.ValidationError, match="queue name"):
        mns.MnsQueue("https://1.mns.cn-hangzhou.aliyuncs.com", "1-starts-with-a-digit")
    q = mns.MnsQueue("https://1.mns.cn-hangzhou.aliyuncs.com", "Alicom-Queue-1-ChatAppStatus")
    with pytest.raises(camskit.ValidationError, match="waitseconds"):
        q.receive_message(31)
    with pytest.raises(camskit.ValidationError):
        q.delete_message("bad handle with spaces")
    with pytest.raises(camskit.ValidationError):
        q.sign(q.receive_message(), access_key_id="id", access_key_secret="s", date="yesterday")

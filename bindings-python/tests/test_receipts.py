"""camskit.receipts: every case of tests/vectors/receipts.json through parse_push /
parse_mns_body, checked on the typed Python objects (snake_case attributes, exact ints,
``extra``, ``content`` per Type, ``dedup_key``, ``message_type``); DedupWindow; Status and
advances; bad inputs as the existing exception classes."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from typing import Any

import pytest

import camskit
from camskit import receipts
from conftest import load

CASES = load("receipts.json")

CLASSES = {
    "ChatAppStatus": receipts.ChatAppStatus,
    "ChatAppInbound": receipts.ChatAppInbound,
    "ChatAppAudit": receipts.ChatAppAudit,
    "Other": receipts.Other,
}
CONTENT_CLASSES = {
    "text": receipts.Text,
    "image": receipts.Image,
    "video": receipts.Video,
    "audio": receipts.Audio,
    "document": receipts.Document,
    "sticker": receipts.Sticker,
    "location": receipts.Location,
    "reply": receipts.Reply,
    "contacts": receipts.Contacts,
    "system": receipts.System,
    "other": receipts.OtherContent,
    "unparsed": receipts.Unparsed,
}


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def attribute(event: Any, key: str) -> str:
    """The Python attribute of a field the vectors name by the docs' key (PascalCase)."""
    special = {
        "From": "from_",
        "Message": "message",
        "Type": {
            receipts.ChatAppStatus: "content_type",
            receipts.ChatAppInbound: "content_type",
            receipts.ChatAppAudit: "notice_type",
        }.get(type(event), "type"),
        "Status": "status_text" if isinstance(event, receipts.ChatAppStatus) else "status",
    }
    return special.get(key) or snake(key)


def parse(case: dict) -> list[receipts.Event]:
    fn = receipts.parse_push if case["transport"] == "push" else receipts.parse_mns_body
    return fn(case["body"], case["message_type"])


def test_there_are_vectors():
    assert len(CASES) >= 30


def assert_whole(obj: Any) -> None:
    """``obj`` (an event or its content, built by the extension without running ``__init__``)
    has every field set and equals what the dataclass's ``__init__`` makes of those fields."""
    if not dataclasses.is_dataclass(obj):
        return
    values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    again = type(obj)(**values)
    assert again == obj and repr(again) == repr(obj)
    for value in values.values():
        assert_whole(value)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case: dict) -> None:
    if "error" in case:
        with pytest.raises(camskit.ValidationError) as info:
            parse(case)
        err = info.value
        assert err.category == "validation" and err.code == "invalid_input"
        for word in case["error"]:
            assert word in str(err), (str(err), word)
        return
    events = parse(case)
    assert isinstance(events, list)
    assert len(events) == len(case["expect"])
    for event, want in zip(events, case["expect"]):
        assert_whole(event)
        cls = CLASSES[want["type"]]
        assert type(event) is cls, (event, want["type"])
        if want["type"] == "Other":
            assert event.message_type == want["fields"]["message_type"]
            assert event.raw == want["fields"]["raw"]
        else:
            assert event.message_type == want["type"]
            for key, value in want["fields"].items():
                got = getattr(event, attribute(event, key))
                assert got == value, (key, got, value)
                if isinstance(value, int):
                    assert type(got) is int, key  # exact ints, never floats
        if "status" in want:
            assert isinstance(event, receipts.ChatAppStatus)
            assert event.status is receipts.Status(want["status"])
            assert event.status.value == want["status"]
        if "content" in want:
            assert isinstance(event, receipts.ChatAppInbound)
            content = event.content
            kind = want["content"]["kind"]
            assert type(content) is CONTENT_CLASSES[kind], content
            assert content.kind == kind
            for key, value in want["content"].items():
                if key == "kind":
                    continue
                name = "content_type" if key == "message_type" else snake(key)
                assert getattr(content, name) == value, (key, content)
        if "extra" in want:
            assert isinstance(event.extra, dict)  # type: ignore[union-attr]
            assert sorted(event.extra) == sorted(want["extra"])  # type: ignore[union-attr]
        if "dedup_key" in want:
            assert event.dedup_key == want["dedup_key"]


def test_every_inbound_kind_of_the_docs_is_checked():
    text = json.dumps(CASES)
    for kind in ("text", "image", "video", "audio", "document", "location", "reply", "contacts", "system"):
        assert f'"kind": "{kind}"' in text, kind


def test_bodies_as_bytes_bytearray_memoryview_and_str_agree():
    case = next(c for c in CASES if c["transport"] == "push" and "expect" in c)
    body = case["body"]
    want = receipts.parse_push(body, case["message_type"])
    for b in (body.encode(), bytearray(body.encode()), memoryview(body.encode())):
        assert receipts.parse_push(b, case["message_type"]) == want


def test_extra_keeps_unknown_fields_with_exact_big_ints():
    big = 2**63 + 5
    body = '[{"MessageId": 123456789012345678, "Status": "read", "Timestamp": "1691043638000", ' \
           f'"NewField": {{"n": {big}, "list": [1, 2.5, null, true]}}}}]'
    (event,) = receipts.parse_push(body)
    assert isinstance(event, receipts.ChatAppStatus)
    assert event.message_id == "123456789012345678"
    assert event.status is receipts.Status.READ and event.status_text == "read"
    assert event.timestamp == 1691043638000 and type(event.timestamp) is int
    assert event.extra == {"NewField": {"n": big, "list": [1, 2.5, None, True]}}
    assert type(event.extra["NewField"]["n"]) is int


def test_mns_body_in_base64_and_as_json_agree():
    doc = {"MessageId": "m1", "Type": "TEXT", "Message": "hi", "DisplayName": "d", "Timestamp": 1}
    text = json.dumps(doc)
    plain = receipts.parse_mns_body(text, "ChatAppInbound")
    encoded = receipts.parse_mns_body(base64.b64encode(text.encode()), "ChatAppInbound")
    assert plain == encoded
    (event,) = plain
    assert isinstance(event, receipts.ChatAppInbound)
    assert event.content == receipts.Text(text="hi")
    assert event.content_type == "TEXT" and event.message_type == "ChatAppInbound"


def test_events_are_frozen_and_hashable_free_of_surprises():
    (event,) = receipts.parse_push('[{"MessageId": "m", "Status": "Sent"}]')
    with pytest.raises(AttributeError):
        event.message_id = "x"  # type: ignore[misc]
    assert repr(event).startswith("ChatAppStatus(")
    assert type(event).__module__ == "camskit.receipts"


def test_wrong_types_are_parameter_type_errors():
    with pytest.raises(camskit.ParameterTypeError):
        receipts.parse_push(123)  # type: ignore[arg-type]
    with pytest.raises(camskit.ParameterTypeError):
        receipts.parse_push("[]", 5)  # type: ignore[arg-type]


def test_a_body_over_the_limit_is_refused_naming_it():
    body = b"[" + b" " * receipts.MAX_RECEIPT_BYTES + b"]"
    with pytest.raises(camskit.ValidationError, match="bytes"):
        receipts.parse_push(body)


def test_dedup_window():
    w = receipts.DedupWindow(2)
    assert w.capacity == 2 and len(w) == 0
    assert not w.seen("a")
    assert w.seen("a")
    assert not w.seen("b")
    assert not w.seen("c")  # "a" is forgotten now
    assert "a" not in w and "c" in w
    assert not w.seen("a")
    assert len(w) == 2
    (event,) = receipts.parse_push('[{"MessageId": "m1", "Status": "Delivered"}]')
    (again,) = receipts.parse_push('[{"MessageId": "m1", "Status": "Delivered"}]')
    (read,) = receipts.parse_push('[{"MessageId": "m1", "Status": "Read"}]')
    w = receipts.DedupWindow(100)
    assert not w.seen(event)
    assert w.seen(again)
    assert again in w
    assert not w.seen(read)
    assert receipts.DedupWindow(0).capacity == 1  # core: at least 1
    with pytest.raises(camskit.ParameterTypeError):
        receipts.DedupWindow(True)
    with pytest.raises(camskit.ParameterTypeError):
        receipts.DedupWindow(-1)


def test_status_names_are_cores():
    assert [s.value for s in receipts.Status] == list(camskit.camskit_native.statuses())
    assert receipts.Status.from_text("read") is receipts.Status.READ
    assert receipts.Status.from_text("unsubscribe") is receipts.Status.OTHER
    assert receipts.Status.FAILED.is_terminal and receipts.Status.DELETED.is_terminal
    assert not receipts.Status.READ.is_terminal
    assert str(receipts.Status.SENT) == "Sent"


def test_advances_keeps_the_order():
    S = receipts.Status
    advances = receipts.advances
    for s in S:
        assert advances(None, s)
    assert advances(S.SENT, S.DELIVERED)
    assert advances(S.SENT, S.READ)
    assert advances(S.DELIVERED, S.READ)
    assert not advances(S.READ, S.DELIVERED)  # a late Delivered never undoes a Read
    assert not advances(S.READ, S.READ)
    assert not advances(S.FAILED, S.DELIVERED)
    assert not advances(S.DELETED, S.READ)
    assert advances(S.DELIVERED, S.FAILED)
    assert not advances(S.READ, S.FAILED)
    assert not advances(S.READ, S.OTHER)
    assert advances(S.OTHER, S.SENT)
    assert advances("sent", "Read") and not advances("Read", "delivered")


def test_queue_names_and_constants():
    assert receipts.message_type_of_queue("Alicom-Queue-1234-ChatAppInbound") == "ChatAppInbound"
    assert receipts.message_type_of_queue("my-queue") is None
    assert receipts.MESSAGE_TYPES == ("ChatAppStatus", "ChatAppInbound", "ChatAppAudit")
    assert receipts.MAX_RECEIPT_BYTES == camskit.MAX_RESPONSE_BYTES


# ------------------------------------------------------------------------------ typing

TYPING = __import__("pathlib").Path(__file__).resolve().parent / "typing"


def _check(*args: str) -> Any:
    import subprocess
    import sys

    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=600, cwd=TYPING)


def test_the_typing_example_runs():
    out = _check("receipts_use.py")
    assert out.returncode == 0, out.stdout + out.stderr


def test_mypy_strict_accepts_the_receipts_example():
    out = _check("-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", "receipts_use.py")
    assert out.returncode == 0, out.stdout + out.stderr


def _have_pyright() -> bool:
    try:
        import pyright  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _have_pyright(), reason="pyright is not installed (test.sh installs it from PyPI)")
def test_pyright_strict_accepts_the_receipts_example():
    import sys

    out = _check("-m", "pyright", "--pythonpath", sys.executable, "receipts_use.py")  # `# pyright: strict`
    assert out.returncode == 0 and "0 errors" in out.stdout, out.stdout + out.stderr

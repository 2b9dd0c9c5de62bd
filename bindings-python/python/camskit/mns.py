"""MNS, the queue CAMS delivers receipts through: core's signer and answer readers for a
program that sends its own MNS requests (``camskit.ReceiptsConsumer`` drives the same code).

```python
from camskit import mns

queue = mns.MnsQueue("https://1943695596114318.mns.cn-hangzhou.aliyuncs.com",
                     "Alicom-Queue-1873897471328909-ChatAppStatus")
signed = queue.sign(queue.receive_message(wait_seconds=30), access_key_id=token_id,
                    access_key_secret=token_secret, security_token=token)   # date: now
# send signed.method to signed.url with signed.headers (and signed.body), then:
message = mns.parse_receive_message(status, body)   # None for an empty poll
```

The signature (``Authorization: MNS id:signature``), the resources, bodies and dates are
core's (``camskit::mns``), checked against Alibaba's official MNS SDK's requests
(tests/vectors/mns.json); so are the answers' readings and errors (``ApiError`` subclasses),
and ``sign_query_token_for_mns_queue`` (Dybaseapi's ``QueryTokenForMnsQueue``, which gives a
queue's temporary keys)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, NamedTuple, Optional, Sequence, Tuple, Union

from . import camskit_native as _native

if TYPE_CHECKING:
    from datetime import datetime

    from . import SignedRequest

__all__ = [
    "DeleteFailure",
    "MnsMessage",
    "MnsQueue",
    "MnsRequest",
    "SignedMnsRequest",
    "VisibilityChanged",
    "http_date",
    "parse_batch_delete_message",
    "parse_batch_receive_message",
    "parse_change_message_visibility",
    "parse_delete_message",
    "parse_receive_message",
    "sign_query_token_for_mns_queue",
]

Body = Union[bytes, bytearray, memoryview, str]


class _Op(NamedTuple):
    op: str
    wait_seconds: Optional[int] = None
    num_of_messages: Optional[int] = None
    receipt_handle: Optional[str] = None
    receipt_handles: Optional[Tuple[str, ...]] = None
    visibility_timeout: Optional[int] = None


class MnsRequest(NamedTuple):
    """One MNS operation on a queue, not signed yet (``MnsQueue.sign`` signs it)."""

    method: str
    """``GET``, ``DELETE`` or ``PUT``."""
    resource: str
    """The path with its query (``/queues/<name>/messages?waitseconds=30``)."""
    body: Optional[str]
    """The XML body, if any."""
    purpose: str
    """``mns:ReceiveMessage``, ``mns:BatchReceiveMessage``, ``mns:DeleteMessage``, ..."""
    timeout_ms: int
    """How long to wait for the whole answer (a long poll's wait plus a margin)."""
    op: _Op


class SignedMnsRequest(NamedTuple):
    """A signed MNS request: send ``method`` to ``url`` with ``headers`` and ``body``."""

    method: str
    url: str
    headers: Tuple[Tuple[str, str], ...]
    body: Optional[str]
    string_to_sign: str
    purpose: str
    timeout_ms: int

    def header(self, name: str) -> Optional[str]:
        """A header's value (any case of the name), or None."""
        lower = name.lower()
        return next((v for n, v in self.headers if n.lower() == lower), None)

    def __repr__(self) -> str:  # no signature, no token
        return f"SignedMnsRequest(method={self.method!r}, url={self.url!r}, purpose={self.purpose!r})"


class MnsMessage(NamedTuple):
    """A received message (``MessageBody`` as MNS sent it)."""

    message_id: str
    receipt_handle: str
    message_body: str
    message_body_md5: str
    enqueue_time: int
    first_dequeue_time: int
    next_visible_time: int
    dequeue_count: int
    priority: int


class DeleteFailure(NamedTuple):
    """A receipt handle BatchDeleteMessage could not delete."""

    receipt_handle: str
    error_code: str
    error_message: str


class VisibilityChanged(NamedTuple):
    """ChangeMessageVisibility's answer: the new receipt handle (the old one is stale)."""

    receipt_handle: str
    next_visible_time: int


class MnsQueue:
    """A queue at an MNS account endpoint (a URL or a host). A bad endpoint or queue name is a
    ``ValidationError`` at once."""

    __slots__ = ("endpoint", "name")

    def __init__(self, endpoint: str, name: str) -> None:
        _native.mns_request(endpoint, name, _Op("receive"))  # core checks both
        self.endpoint = endpoint
        self.name = name

    def __repr__(self) -> str:
        return f"MnsQueue({self.endpoint!r}, {self.name!r})"

    def _request(self, op: _Op) -> MnsRequest:
        method, resource, body, purpose, timeout_ms = _native.mns_request(self.endpoint, self.name, op)
        return MnsRequest(method, resource, body, purpose, timeout_ms, op)

    def receive_message(self, wait_seconds: Optional[int] = None) -> MnsRequest:
        """ReceiveMessage (a long poll of ``wait_seconds``, at most 30; None: the queue's own)."""
        return self._request(_Op("receive", wait_seconds=wait_seconds))

    def batch_receive_message(self, num_of_messages: int, wait_seconds: Optional[int] = None) -> MnsRequest:
        """BatchReceiveMessage of at most ``num_of_messages`` (1 to 16)."""
        return self._request(_Op("batch_receive", wait_seconds=wait_seconds, num_of_messages=num_of_messages))

    def delete_message(self, receipt_handle: str) -> MnsRequest:
        """DeleteMessage."""
        return self._request(_Op("delete", receipt_handle=receipt_handle))

    def batch_delete_message(self, receipt_handles: Sequence[str]) -> MnsRequest:
        """BatchDeleteMessage (1 to 16 handles)."""
        return self._request(_Op("batch_delete", receipt_handles=tuple(receipt_handles)))

    def change_message_visibility(self, receipt_handle: str, visibility_timeout: int) -> MnsRequest:
        """ChangeMessageVisibility: hidden ``visibility_timeout`` seconds more."""
        return self._request(_Op("change_visibility", receipt_handle=receipt_handle,
                                 visibility_timeout=visibility_timeout))

    def sign(self, request: MnsRequest, *, access_key_id: str, access_key_secret: str,
             security_token: Optional[str] = None, date: Optional[str] = None) -> SignedMnsRequest:
        """Signs ``request`` with these keys (a queue's temporary keys, or any MNS key) at
        ``date`` (RFC 1123 in GMT; None: now, from this machine's clock)."""
        if date is None:
            date = http_date(int(time.time()))
        method, url, headers, body, string_to_sign, purpose, timeout_ms = _native.mns_sign(
            self.endpoint, self.name, request.op, access_key_id, access_key_secret, security_token, date)
        return SignedMnsRequest(method, url, tuple(headers), body, string_to_sign, purpose, timeout_ms)


def http_date(unix: int) -> str:
    """The RFC 1123 date MNS signs: ``http_date(1796524835) == "Sun, 06 Dec 2026 02:40:35 GMT"``."""
    return _native.mns_http_date(unix)  # type: ignore[no-any-return]


def parse_receive_message(status: int, body: Body) -> Optional[MnsMessage]:
    """ReceiveMessage's answer: the message, or None for an empty poll (404 MessageNotExist).
    An MNS error raises its ``ApiError``; a body that is no ``Message`` a ``ParseError``."""
    found = _native.mns_parse("receive", status, body)
    return MnsMessage(**found[0]) if found else None


def parse_batch_receive_message(status: int, body: Body) -> list[MnsMessage]:
    """BatchReceiveMessage's answer: the messages (none for an empty poll)."""
    return [MnsMessage(**m) for m in _native.mns_parse("batch_receive", status, body)]


def parse_delete_message(status: int, body: Body) -> None:
    """DeleteMessage's answer: None, or its ``ApiError`` raised."""
    _native.mns_parse("delete", status, body)


def parse_batch_delete_message(status: int, body: Body) -> list[DeleteFailure]:
    """BatchDeleteMessage's answer: the handles it could not delete (none: all deleted)."""
    return [DeleteFailure(**f) for f in _native.mns_parse("batch_delete", status, body)]


def parse_change_message_visibility(status: int, body: Body) -> VisibilityChanged:
    """ChangeMessageVisibility's answer: the new receipt handle."""
    return VisibilityChanged(**_native.mns_parse("change_visibility", status, body))


def sign_query_token_for_mns_queue(access_key_id: str, access_key_secret: str, message_type: str,
                                   queue_name: Optional[str] = None, *, security_token: Optional[str] = None,
                                   timestamp: Union[datetime, str, int, float, None] = None,
                                   nonce: Optional[str] = None) -> SignedRequest:
    """Dybaseapi's ``QueryTokenForMnsQueue`` (RPC 1.0, POST), signed: the temporary keys of the
    receipts queue of ``message_type`` (``ChatAppStatus``, ``ChatAppInbound``, ...)."""
    return _native.sign_query_token_for_mns_queue(  # type: ignore[no-any-return]
        access_key_id, access_key_secret, message_type, queue_name, security_token=security_token,
        timestamp=timestamp, nonce=nonce)

"""Receipts and inbound messages: core's typed events (``camskit::receipts``) as Python classes.

Core parses (``parse_push``, ``parse_mns_body``), recognises each event's type, decodes an
inbound ``Message`` per its ``Type``, computes each event's ``dedup_key``, keeps the status
order (``advances``) and the dedup window; this file only declares the classes the events
arrive in (built by ``camskit_native`` in one pass) and forwards the calls.

Field names are core's in snake case, with two exceptions: ``from_`` (``from`` is a Python
keyword) and ``ChatAppInbound.content_type`` for the ``Type`` field (core's
``ChatAppInbound::message_type``; ``message_type`` is, on every event, the receipt type:
``ChatAppStatus``, ``ChatAppInbound``, ``ChatAppAudit``, or the name given for ``Other``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, List, Literal, Optional, Union

from . import camskit_native as _native

__all__ = [
    "Audio",
    "ChatAppAudit",
    "ChatAppInbound",
    "ChatAppStatus",
    "Contacts",
    "DedupWindow",
    "Document",
    "Event",
    "Image",
    "InboundContent",
    "Location",
    "MAX_RECEIPT_BYTES",
    "MESSAGE_TYPES",
    "Media",
    "Other",
    "OtherContent",
    "Reply",
    "Status",
    "Sticker",
    "System",
    "Text",
    "Unparsed",
    "Video",
    "advances",
    "message_type_of_queue",
    "parse_mns_body",
    "parse_push",
]

#: The largest receipt body parsed, in bytes (core's ``MAX_RECEIPT_BYTES``).
MAX_RECEIPT_BYTES: int = _native.MAX_RECEIPT_BYTES
#: The receipt message types the docs list (core's ``MESSAGE_TYPES``).
MESSAGE_TYPES: tuple[str, ...] = tuple(_native.RECEIPT_MESSAGE_TYPES)


class Status(str, enum.Enum):
    """The delivery status of a sent message (core's ``receipts::Status``): ``SENT`` <
    ``DELIVERED`` < ``READ``; ``FAILED`` and ``DELETED`` end a message's life; ``OTHER`` is any
    other text (``unsubscribe``, ``subscribe`` on Viber, values added later). The value is the
    docs' name."""

    SENT = "Sent"
    DELIVERED = "Delivered"
    READ = "Read"
    FAILED = "Failed"
    DELETED = "Deleted"
    OTHER = "Other"

    @classmethod
    def from_text(cls, text: str) -> Status:
        """The status a ``Status`` text means (core's rule: ASCII case ignored, anything
        unknown is ``OTHER``)."""
        return cls(_native.status_of(text))

    @property
    def is_terminal(self) -> bool:
        """``FAILED`` and ``DELETED``: nothing comes after them."""
        return bool(_native.status_is_terminal(self.value))

    def __str__(self) -> str:
        return self.value


def advances(current: Union[Status, str, None], incoming: Union[Status, str]) -> bool:
    """Whether a receipt with status ``incoming`` moves a message on from ``current`` (the
    status you stored, None when none yet): store it when True, ignore it otherwise. Core's
    rule: a late ``Delivered`` never undoes a ``Read``; nothing advances after ``Failed`` or
    ``Deleted``. A ``str`` is read as ``Status.from_text`` reads it."""
    return bool(_native.advances(_status_text(current) if current is not None else None, _status_text(incoming)))


def _status_text(s: Union[Status, str]) -> str:
    return s.value if isinstance(s, Status) else s


# ------------------------------------------------------------------------------ contents


@dataclass(frozen=True, slots=True)
class Text:
    """``TEXT``: the message's text."""

    kind: ClassVar[Literal["text"]] = "text"
    text: str


@dataclass(frozen=True, slots=True)
class Media:
    """A media object (``IMAGE``, ``VIDEO``, ``AUDIO``, ``DOCUMENT``, ``STICKER``); the URL is
    valid for 7 days."""

    kind: ClassVar[str] = "media"
    id: Optional[str]
    url: Optional[str]
    mime_type: Optional[str]
    caption: Optional[str]
    name: Optional[str]
    filename: Optional[str]
    animated: Optional[bool]
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Image(Media):
    """``IMAGE``."""

    kind: ClassVar[Literal["image"]] = "image"  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Video(Media):
    """``VIDEO``."""

    kind: ClassVar[Literal["video"]] = "video"  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Audio(Media):
    """``AUDIO``: an audio file or voice note."""

    kind: ClassVar[Literal["audio"]] = "audio"  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Document(Media):
    """``DOCUMENT``."""

    kind: ClassVar[Literal["document"]] = "document"  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Sticker(Media):
    """``STICKER`` (read as a media object)."""

    kind: ClassVar[Literal["sticker"]] = "sticker"  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Location:
    """``LOCATION``: coordinates as the docs' text."""

    kind: ClassVar[Literal["location"]] = "location"
    address: Optional[str]
    latitude: Optional[str]
    longitude: Optional[str]
    name: Optional[str]
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reply:
    """``REPLY``: the customer tapped a button (its name and payload)."""

    kind: ClassVar[Literal["reply"]] = "reply"
    text: Optional[str]
    payload: Optional[str]
    extra: Dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Contacts:
    """``CONTACTS``: the decoded JSON (the docs list no fields)."""

    kind: ClassVar[Literal["contacts"]] = "contacts"
    value: Any


@dataclass(frozen=True, slots=True)
class System:
    """``SYSTEM``: the decoded JSON (the docs list no fields)."""

    kind: ClassVar[Literal["system"]] = "system"
    value: Any


@dataclass(frozen=True, slots=True)
class OtherContent:
    """A ``Type`` camskit does not know: the ``Message`` decoded as JSON when it is JSON, else
    as it came."""

    kind: ClassVar[Literal["other"]] = "other"
    content_type: str
    value: Any


@dataclass(frozen=True, slots=True)
class Unparsed:
    """The ``Message`` of a known ``Type`` is not what the type needs: kept as it came, with
    the reason."""

    kind: ClassVar[Literal["unparsed"]] = "unparsed"
    content_type: str
    reason: str
    raw: Any


#: A ``ChatAppInbound`` message's ``Message``, decoded per its ``Type``.
InboundContent = Union[Text, Image, Video, Audio, Document, Sticker, Location, Reply, Contacts, System,
                       OtherContent, Unparsed]


# ------------------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class ChatAppStatus:
    """A delivery receipt: what happened to a message you sent (``ChatAppStatus``).
    ``status`` is core's reading of ``status_text`` (the text as received)."""

    message_type: Literal["ChatAppStatus"]
    message_id: str
    status: Status
    status_text: str
    from_: Optional[str]
    to: Optional[str]
    timestamp: Optional[int]
    status_description: Optional[str]
    error_code: Optional[str]
    error_description: Optional[str]
    conversation_type: Optional[str]
    conversation_id: Optional[str]
    conversation_expiration_time: Optional[int]
    msg_frame_type: Optional[str]
    content_type: Optional[str]
    task_id: Optional[str]
    origin_phone_number: Optional[str]
    template_code: Optional[str]
    template_name: Optional[str]
    language: Optional[str]
    from_user_id: Optional[str]
    from_parent_user_id: Optional[str]
    from_user_name: Optional[str]
    user_id: Optional[str]
    parent_user_id: Optional[str]
    user_name: Optional[str]
    extra: Dict[str, Any]
    dedup_key: str


@dataclass(frozen=True, slots=True)
class ChatAppInbound:
    """A customer's message (``ChatAppInbound``). ``content_type`` is its ``Type`` (``TEXT``,
    ``IMAGE``, ...), ``content`` the ``Message`` decoded per type, ``message`` the ``Message``
    as received."""

    message_type: Literal["ChatAppInbound"]
    message_id: str
    content_type: str
    content: InboundContent
    message: Any
    cust_space_id: Optional[str]
    waba_id: Optional[str]
    from_: Optional[str]
    to: Optional[str]
    from_user_id: Optional[str]
    from_parent_user_id: Optional[str]
    from_user_name: Optional[str]
    timestamp: Optional[int]
    display_name: Optional[str]
    name: Optional[str]
    extra: Dict[str, Any]
    dedup_key: str


@dataclass(frozen=True, slots=True)
class ChatAppAudit:
    """A template review result or (V2) a phone number / WABA notice (``ChatAppAudit``).
    ``notice_type`` is its ``Type`` (V2)."""

    message_type: Literal["ChatAppAudit"]
    waba_id: str
    template_code: Optional[str]
    language: Optional[str]
    audit_status: Optional[str]
    reason: Optional[str]
    notice_type: Optional[str]
    phone_number: Optional[str]
    status: Optional[str]
    current_limit: Optional[str]
    extra: Dict[str, Any]
    dedup_key: str


@dataclass(frozen=True, slots=True)
class Other:
    """An event of a type camskit does not know (given by name, or not recognised from its
    fields): the event as it came."""

    message_type: Optional[str]
    raw: Any
    dedup_key: str


#: One receipt or inbound message.
Event = Union[ChatAppStatus, ChatAppInbound, ChatAppAudit, Other]


def parse_push(body: Union[bytes, bytearray, memoryview, str], message_type: Optional[str] = None) -> List[Event]:
    """The events of an HTTP batch push body (a JSON array of events, or one event object).

    ``message_type`` is the type your endpoint receives (``ChatAppStatus``, ``ChatAppInbound``,
    ``ChatAppAudit``), when you configured one URL per type; None recognises each event from
    its fields. A bad body raises ``camskit.ValidationError`` naming what is wrong; an unknown
    field or type is never an error (``extra``, ``Other``)."""
    return _native.parse_push(body, message_type)  # type: ignore[no-any-return]


def parse_mns_body(body: Union[bytes, bytearray, memoryview, str], message_type: Optional[str] = None) -> List[Event]:
    """The events of one MNS message's ``MessageBody``: base64 of the JSON text (the MNS SDKs'
    encoding) or the JSON itself. Errors as ``parse_push``."""
    return _native.parse_mns_body(body, message_type)  # type: ignore[no-any-return]


def message_type_of_queue(queue_name: str) -> Optional[str]:
    """The receipt type a CAMS queue name carries (``Alicom-Queue-<id>-ChatAppStatus``), or
    None."""
    return _native.message_type_of_queue(queue_name)  # type: ignore[no-any-return]


class DedupWindow:
    """The last ``capacity`` dedup keys seen, to drop repeated pushes close together (core's
    ``DedupWindow``; persistent dedup is your store's job: a unique index on ``dedup_key``).

    ``window.seen(event_or_key)`` is True when the key is in the window; a key not seen yet is
    remembered (the oldest forgotten once full)."""

    __slots__ = ("_native",)

    def __init__(self, capacity: int) -> None:
        self._native = _native._NativeDedupWindow(capacity)

    def seen(self, key: Union[Event, str]) -> bool:
        return bool(self._native.seen(key if isinstance(key, str) else key.dedup_key))

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            key = getattr(key, "dedup_key", None)
            if not isinstance(key, str):
                return False
        return bool(self._native.contains(key))

    def __len__(self) -> int:
        return int(len(self._native))

    @property
    def capacity(self) -> int:
        return int(self._native.capacity)

    def __repr__(self) -> str:
        return f"DedupWindow(capacity={self.capacity}, len={len(self)})"


for _cls in (Text, Media, Image, Video, Audio, Document, Sticker, Location, Reply, Contacts, System, OtherContent,
             Unparsed, ChatAppStatus, ChatAppInbound, ChatAppAudit, Other, Status, DedupWindow):
    _cls.__module__ = "camskit.receipts"

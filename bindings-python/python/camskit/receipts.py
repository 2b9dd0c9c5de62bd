"""Receipts and inbound messages from CAMS, typed: delivery receipts (``ChatAppStatus``),
customers' messages (``ChatAppInbound``, ``content`` decoded per ``Type``), template reviews
and account notices (``ChatAppAudit``), and ``Other`` for a type camskit does not know.

HTTP batch push (answer within 3 s, handle after)::

    from camskit import receipts

    events = receipts.parse_push(request_body, "ChatAppStatus")
    for event in events:
        if isinstance(event, receipts.ChatAppStatus) and receipts.advances(stored, event.status):
            ...

MNS consumer mode: ``camskit.ReceiptsConsumer`` (each delivery's ``events`` are these).
Parsing, type recognition, ``dedup_key``, the dedup window and the status order are core's.
"""

from __future__ import annotations

from ._receipts import (
    MAX_RECEIPT_BYTES,
    MESSAGE_TYPES,
    Audio,
    ChatAppAudit,
    ChatAppInbound,
    ChatAppStatus,
    Contacts,
    DedupWindow,
    Document,
    Event,
    Image,
    InboundContent,
    Location,
    Media,
    Other,
    OtherContent,
    Reply,
    Status,
    Sticker,
    System,
    Text,
    Unparsed,
    Video,
    advances,
    message_type_of_queue,
    parse_mns_body,
    parse_push,
)

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

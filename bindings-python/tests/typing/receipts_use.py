# pyright: strict
"""Receipts, checked with `mypy --strict` and `pyright` (strict) against the installed package, and
run (tests/test_receipts.py): a push parsed and narrowed per event type and content type, the
status order, the dedup window; the consumer's loops are only type-checked (nothing is sent)."""

from __future__ import annotations

from typing import List, Optional

import camskit
from camskit import receipts

body = (b'[{"MessageId": "m1", "Status": "Read", "Timestamp": 1691043638000},'
        b' {"MessageId": "m2", "Type": "IMAGE", "DisplayName": "Mr Liu",'
        b' "Message": "{\\"id\\": \\"i1\\", \\"url\\": \\"https://x/1.jpg\\", \\"mimeType\\": \\"image/jpeg\\"}"}]')
events: List[receipts.Event] = receipts.parse_push(body)
window = receipts.DedupWindow(1000)
stored: Optional[receipts.Status] = receipts.Status.DELIVERED
urls: List[str] = []
for event in events:
    if window.seen(event):
        continue
    key: str = event.dedup_key
    kind: Optional[str] = event.message_type
    if isinstance(event, receipts.ChatAppStatus):
        millis: Optional[int] = event.timestamp
        if receipts.advances(stored, event.status):
            stored = event.status
        extra_keys: List[str] = sorted(event.extra)
    elif isinstance(event, receipts.ChatAppInbound):
        content = event.content
        if isinstance(content, receipts.Image):
            urls.append(content.url or "")
        elif isinstance(content, receipts.Text):
            text: str = content.text
        sender: Optional[str] = event.from_
    elif isinstance(event, receipts.ChatAppAudit):
        waba: str = event.waba_id
    else:
        raw: object = event.raw

assert stored is receipts.Status.READ and urls == ["https://x/1.jpg"]
assert receipts.parse_mns_body('{"MessageId": "m3", "Status": "Sent"}', "ChatAppStatus")[0].dedup_key == \
    "ChatAppStatus/m3/Sent"


def consume(consumer: camskit.ReceiptsConsumer) -> int:
    count = 0
    for delivery in consumer:
        if delivery.duplicate or delivery.poison:
            delivery.ack()
            continue
        if delivery.dequeue_count > 1:
            delivery.extend(60)
        for e in delivery.events:
            count += 1 if isinstance(e, receipts.ChatAppStatus) else 0
        dequeued: List[int] = [delivery.dequeue_count]
        count += len(dequeued) * 0 + len(delivery.message_id) * 0
    return count


async def aconsume(consumer: camskit.ReceiptsConsumer) -> List[str]:
    ids: List[str] = []
    async with consumer:
        async for delivery in consumer:
            ids.append(delivery.message_id)
            await delivery.aextend(60)
            if delivery.error is not None:
                delivery.nack()
    return ids


def make() -> camskit.ReceiptsConsumer:
    return camskit.ReceiptsConsumer("ChatAppStatus", "Alicom-Queue-1-ChatAppStatus",
                                    "https://1.mns.cn-hangzhou.aliyuncs.com", access_key_id="a",
                                    access_key_secret="b", batch_size=16, wait_seconds=30)

"""Writes the two receipt inputs every host's receipts row reads (bench/README.md), so that all
hosts parse the same bytes:

* PUSH: a 16-event HTTP batch push body, a JSON array of 8 `ChatAppStatus` receipts and 8
  `ChatAppInbound` messages, alternating, taken from the doc examples and field-table cases of
  tests/vectors/receipts.json (one object per event, as the pages show them; no type given, so
  camskit recognises each event from its fields);
* MNS: a 16-message `BatchReceiveMessage` answer (XML) of a `ChatAppStatus` queue (a queue
  carries one type), each `MessageBody` base64 of the event's JSON text as Alibaba's MNS SDKs
  and pullers write it, with its `MessageBodyMD5`, in the element order of the MNS API
  reference (tests/vectors/mns.json).

Deterministic. Usage: python3 bench/receipts_bodies.py PUSH_OUT MNS_OUT"""

import base64
import copy
import hashlib
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
N = 16


def vector_events():
    """Every event of the vectors that parse (doc examples first), decoded, without repeats:
    (status events, inbound events)."""
    with open(os.path.join(ROOT, "tests", "vectors", "receipts.json")) as f:
        cases = json.load(f)["cases"]
    seen, status, inbound = set(), [], []
    for case in cases:
        if "error" in case:
            continue
        text = case["body"].strip()
        if not text.startswith(("{", "[")):
            text = base64.b64decode(text).decode()
        events = json.loads(text)
        events = events if isinstance(events, list) else [events]
        for event, expect in zip(events, case["expect"]):
            key = json.dumps(event, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            if expect["type"] == "ChatAppStatus":
                status.append(event)
            elif expect["type"] == "ChatAppInbound" and expect.get("content", {}).get("kind") != "unparsed":
                inbound.append(event)
    return status, inbound


def numbered(events, n):
    """n events cycled from `events`, each repeat with its own MessageId."""
    out = []
    for i in range(n):
        e = copy.deepcopy(events[i % len(events)])
        if i >= len(events):
            mid = e["MessageId"]
            e["MessageId"] = mid + i if isinstance(mid, int) else f"{mid}-{i}"
        out.append(e)
    return out


def push_body():
    status, inbound = vector_events()
    s, m = numbered(status, N // 2), numbered(inbound, N // 2)
    events = [e for pair in zip(s, m) for e in pair]
    return json.dumps(events, ensure_ascii=False, indent=1).encode()


def mns_body():
    status, _ = vector_events()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Messages xmlns="http://mns.aliyuncs.com/doc/v1/">\n']
    for i, event in enumerate(numbered(status, N)):
        body = base64.b64encode(json.dumps(event, ensure_ascii=False).encode()).decode()
        md5 = hashlib.md5(body.encode()).hexdigest().upper()
        handle = base64.b64encode(f"8589934593-{1700000000 + i}-2-{i + 8}".encode()).decode()
        t = 1752480000000 + i * 137
        parts.append(
            f"<Message><MessageId>5F290C926D472878-2-14D9529A8FA-2000{i:05d}</MessageId>"
            f"<ReceiptHandle>1-{handle}</ReceiptHandle><MessageBody>{body}</MessageBody>"
            f"<MessageBodyMD5>{md5}</MessageBodyMD5><EnqueueTime>{t}</EnqueueTime>"
            f"<NextVisibleTime>{t + 60000}</NextVisibleTime><FirstDequeueTime>{t + 20}</FirstDequeueTime>"
            f"<DequeueCount>1</DequeueCount><Priority>8</Priority></Message>\n")
    parts.append("</Messages>")
    return "".join(parts).encode()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 bench/receipts_bodies.py PUSH_OUT MNS_OUT")
    for path, data in ((sys.argv[1], push_body()), (sys.argv[2], mns_body())):
        with open(path, "wb") as f:
            f.write(data)
        print(f"{path}: {len(data)} bytes")

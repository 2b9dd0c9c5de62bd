"""camskit.ReceiptsConsumer (core's mns::Consumer driven by _consumer.py) against a small MNS
queue and Dybaseapi token stand-in written here: a threading http.server on 127.0.0.1 that keeps
MNS's rules (visibility timeout, redelivery, receipt handles that go stale, MessageNotExist on an
empty long poll, batch delete with per-handle errors) and injects faults (500s on receive, a delete
whose answer never comes while its handles go stale). Signatures are not verified here: the Rust
core's tests check them against the official SDK's vectors.

What must hold, for the sync form (http.client, requests, httpx.Client) and the async form
(httpx.AsyncClient): every message reaches a loop body that finishes for it; no message is deleted
before its loop body finished; a handler exception leaves its message for redelivery and
propagates after the deletes of what was handled are sent; a message handled before and delivered
again to the same consumer is flagged duplicate, and nothing else is."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

import pytest

import camskit
from camskit import receipts

ACCOUNT_ID = "LTAI5tConsumerTest01"
ACCOUNT_SECRET = "ConsumerTestSecret0123456789"
QUEUE = "Alicom-Queue-1234567890-ChatAppStatus"
XMLNS = "http://mns.aliyuncs.com/doc/v1/"


def error_xml(code: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Error xmlns="{XMLNS}"><Code>{code}</Code>'
            f"<Message>m</Message><RequestId>r</RequestId><HostId>h</HostId></Error>").encode()


class Msg:
    def __init__(self, body: str) -> None:
        self.body = body
        self.visible_at = 0.0
        self.dequeue = 0
        self.generation = 0


class Queue:
    """The queue's state and rules, shared by the server's threads (one lock)."""

    def __init__(self, n: int, visibility_s: float = 0.6, base64_bodies: bool = True) -> None:
        self.lock = threading.Lock()
        self.visibility_s = visibility_s
        self.msgs: dict[str, Msg] = {}
        self.order: list[str] = []
        for i in range(n):
            doc = {"MessageId": f"wamid.{i}", "Status": "Delivered", "Timestamp": 1_700_000_000_000 + i,
                   "From": "8613800000000", "To": "8613900000000"}
            text = json.dumps(doc)
            body = base64.b64encode(text.encode()).decode() if base64_bodies else text
            mid = f"M{i:05d}"
            self.msgs[mid] = Msg(body)
            self.order.append(mid)
        self.tokens: dict[str, str] = {}  # access key id -> security token
        self.token_requests: list[dict[str, str]] = []
        self.finished: set[str] = set()  # message ids whose loop body finished (the test says)
        self.violations: list[str] = []
        self.deleted: list[str] = []
        self.receives = 0
        self.deletes = 0
        self.fail_receive_every = 7
        self.lose_delete_every = 3
        self.timeouts: list[float] = []
        self.when_empty: Optional[Callable[[], None]] = None

    def remaining(self) -> int:
        with self.lock:
            return len(self.msgs)

    # ---------------------------------------------------------------- answers

    def token(self, query: dict[str, str]) -> tuple[int, bytes]:
        self.token_requests.append(query)
        if query.get("AccessKeyId") != ACCOUNT_ID:
            return 400, json.dumps({"Code": "InvalidAccessKeyId.NotFound", "Message": "not found",
                                    "RequestId": "t"}).encode()
        with self.lock:
            n = len(self.tokens) + 1
            key, token = f"STS.QueueKey{n}", f"queue-token-{n}"
            self.tokens[key] = token
        now = int(time.time())
        body = {"Code": "OK", "Message": "OK", "RequestId": f"t{n}", "MessageTokenDTO": {
            "AccessKeyId": key, "AccessKeySecret": f"queue-secret-{n}", "SecurityToken": token,
            "CreateTime": now * 1000, "ExpireTime": (now + 600) * 1000}}
        return 200, json.dumps(body).encode()

    def authorized(self, headers: Any) -> bool:
        m = re.fullmatch(r"MNS ([^:]+):.+", headers.get("Authorization", ""))
        with self.lock:
            return bool(m) and self.tokens.get(m.group(1)) == headers.get("security-token")

    def receive(self, n: int, wait: int) -> tuple[int, bytes]:
        with self.lock:
            self.receives += 1
            if self.fail_receive_every and self.receives % self.fail_receive_every == 0:
                return 500, error_xml("InternalError")
        deadline = time.monotonic() + wait
        while True:
            out = []
            with self.lock:
                now = time.time()
                for mid in self.order:
                    m = self.msgs.get(mid)
                    if m is None or m.visible_at > now:
                        continue
                    m.visible_at = now + self.visibility_s
                    m.dequeue += 1
                    m.generation += 1
                    out.append(
                        f"<Message><MessageId>{mid}</MessageId><ReceiptHandle>1-{mid}-{m.generation}</ReceiptHandle>"
                        f"<MessageBody>{m.body}</MessageBody><MessageBodyMD5>0</MessageBodyMD5>"
                        f"<EnqueueTime>1</EnqueueTime><NextVisibleTime>{int(m.visible_at * 1000)}</NextVisibleTime>"
                        f"<FirstDequeueTime>1</FirstDequeueTime><DequeueCount>{m.dequeue}</DequeueCount>"
                        f"<Priority>8</Priority></Message>")
                    if len(out) == n:
                        break
                empty = not self.msgs
            if out:
                return 200, (f'<?xml version="1.0" encoding="UTF-8"?><Messages xmlns="{XMLNS}">'
                             + "".join(out) + "</Messages>").encode()
            if empty and self.when_empty is not None:
                self.when_empty()
            if time.monotonic() >= deadline:
                return 404, error_xml("MessageNotExist")
            time.sleep(0.02)

    def change_visibility(self, handle: str, seconds: int) -> tuple[int, bytes]:
        _, mid, gen = handle.split("-")
        with self.lock:
            m = self.msgs.get(mid)
            if m is None or m.generation != int(gen) or m.visible_at <= time.time():
                return 404, error_xml("MessageNotExist")
            m.generation += 1
            m.visible_at = time.time() + seconds
            return 200, (f'<?xml version="1.0" encoding="UTF-8"?><ChangeVisibility xmlns="{XMLNS}">'
                         f"<ReceiptHandle>1-{mid}-{m.generation}</ReceiptHandle>"
                         f"<NextVisibleTime>{int(m.visible_at * 1000)}</NextVisibleTime></ChangeVisibility>").encode()

    def delete(self, body: str) -> Optional[tuple[int, bytes]]:
        """None: the answer is lost (after the handles went stale, nothing deleted)."""
        handles = re.findall(r"<ReceiptHandle>([^<]*)</ReceiptHandle>", body)
        with self.lock:
            self.deletes += 1
            lose = self.lose_delete_every and self.deletes % self.lose_delete_every == 0
        if lose:
            time.sleep(self.visibility_s + 0.3)  # the handles go stale meanwhile
            return None
        errors = []
        with self.lock:
            for h in handles:
                _, mid, gen = h.split("-")
                if mid not in self.finished:
                    self.violations.append(f"{mid} deleted before its loop body finished")
                m = self.msgs.get(mid)
                if m is not None and m.generation == int(gen) and m.visible_at > time.time():
                    del self.msgs[mid]
                    self.deleted.append(mid)
                else:
                    errors.append(f"<Error><ErrorCode>ReceiptHandleError</ErrorCode>"
                                  f"<ErrorMessage>stale</ErrorMessage><ReceiptHandle>{h}</ReceiptHandle></Error>")
        if not errors:
            return 204, b""
        return 404, (f'<?xml version="1.0" encoding="UTF-8"?><Errors xmlns="{XMLNS}">' + "".join(errors)
                     + "</Errors>").encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    queue: Queue

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes, content_type: str = "text/xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        q = self.queue
        if query.get("Action") == "QueryTokenForMnsQueue":
            status, data = q.token(query)
            self._answer(status, data, "application/json")
            return
        if not url.path.startswith(f"/queues/{QUEUE}/messages"):
            self._answer(404, error_xml("QueueNotExist"))
            return
        if not q.authorized(self.headers):
            self._answer(403, error_xml("SecurityTokenExpired"))
            return
        if self.command == "GET":
            status, data = q.receive(int(query.get("numOfMessages", "1")), int(query.get("waitseconds", "0")))
        elif self.command == "DELETE":
            answer = q.delete(body)
            if answer is None:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            status, data = answer
        elif self.command == "PUT":
            status, data = q.change_visibility(query["ReceiptHandle"], int(query["VisibilityTimeout"]))
        else:
            status, data = 400, error_xml("InvalidArgument")
        self._answer(status, data)

    do_GET = do_DELETE = do_PUT = do_POST = _handle


class StandIn:
    def __init__(self, queue: Queue) -> None:
        handler = type("BoundHandler", (Handler,), {"queue": queue})
        self.queue = queue
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stand_in():
    servers: list[StandIn] = []

    def make(n: int, **options: Any) -> StandIn:
        s = StandIn(Queue(n, **options))
        servers.append(s)
        return s

    yield make
    for s in servers:
        s.close()


class HandlerFailed(Exception):
    pass


FAIL_ON_FIRST_DELIVERY = {"M00005", "M00050", "M00100", "M00150", "M00190"}


def consumer_for(s: StandIn, session: Any = None, **options: Any) -> camskit.ReceiptsConsumer:
    return camskit.ReceiptsConsumer(
        "ChatAppStatus", QUEUE, s.url, token_endpoint=s.url, access_key_id=ACCOUNT_ID,
        access_key_secret=ACCOUNT_SECRET, session=session, wait_seconds=1, **options)


class Run:
    """What the loop bodies saw, across the consumers one run needed."""

    def __init__(self, s: StandIn) -> None:
        self.s = s
        self.handled: set[str] = set()
        self.failed_once: set[str] = set()
        self.exceptions = 0
        self.duplicates = 0
        self.deliveries = 0
        self.consumers = 0

    def body(self, d: camskit.Delivery, handled_here: set[str]) -> None:
        """One loop body: checks the delivery, raises for the chosen messages (first time)."""
        self.deliveries += 1
        (event,) = d.events
        assert isinstance(event, receipts.ChatAppStatus)
        assert event.status is receipts.Status.DELIVERED
        assert event.message_id == f"wamid.{int(d.message_id[1:])}"
        assert d.duplicate == (d.message_id in handled_here), d
        assert d.dequeue_count >= 1 and not d.poison
        if d.duplicate:
            self.duplicates += 1
        elif d.message_id in FAIL_ON_FIRST_DELIVERY and d.message_id not in self.failed_once:
            self.failed_once.add(d.message_id)
            self.exceptions += 1
            raise HandlerFailed(d.message_id)
        handled_here.add(d.message_id)
        self.handled.add(d.message_id)
        with self.s.queue.lock:
            # The body is about to finish: from here its message may be deleted.
            self.s.queue.finished.add(d.message_id)

    def check(self, n: int) -> None:
        q = self.s.queue
        assert q.violations == []
        assert q.remaining() == 0
        assert self.handled == set(q.order) and len(self.handled) == n
        assert self.failed_once == FAIL_ON_FIRST_DELIVERY & set(q.order)
        assert self.exceptions == len(self.failed_once)
        assert self.duplicates > 0, "lost delete answers bring handled messages back"
        assert self.deliveries > n
        assert all(t["MessageType"] == "ChatAppStatus" and t["QueueName"] == QUEUE for t in q.token_requests)


def run_sync(s: StandIn, session: Any, n: int) -> Run:
    run = Run(s)
    while s.queue.remaining() and run.consumers < 40:
        consumer = consumer_for(s, session)
        run.consumers += 1
        s.queue.when_empty = consumer.stop
        handled_here: set[str] = set()
        try:
            for d in consumer:
                run.body(d, handled_here)
        except HandlerFailed as e:
            # Reported before it propagated: its message is in the queue, not deleted, and the
            # deletes of what this consumer handled were sent.
            with s.queue.lock:
                assert str(e) in s.queue.msgs
            assert consumer.closed
            continue
        assert consumer.closed
    run.check(n)
    return run


@pytest.mark.parametrize("client", ["urllib", "requests", "httpx"])
def test_200_messages_with_handler_exceptions_and_faults(stand_in: Any, client: str) -> None:
    n = 200
    s = stand_in(n)
    if client == "urllib":
        run_sync(s, None, n)
    elif client == "requests":
        requests = pytest.importorskip("requests")
        with requests.Session() as session:
            run_sync(s, session, n)
    else:
        httpx = pytest.importorskip("httpx")
        with httpx.Client() as session:
            run_sync(s, session, n)


def test_async_for_with_httpx(stand_in: Any) -> None:
    httpx = pytest.importorskip("httpx")
    n = 200
    s = stand_in(n)

    async def main() -> Run:
        run = Run(s)
        async with httpx.AsyncClient() as session:
            while s.queue.remaining() and run.consumers < 40:
                consumer = consumer_for(s, session)
                run.consumers += 1
                s.queue.when_empty = consumer.stop
                handled_here: set[str] = set()
                try:
                    async with consumer:
                        async for d in consumer:
                            run.body(d, handled_here)
                except HandlerFailed as e:
                    with s.queue.lock:
                        assert str(e) in s.queue.msgs
                    assert consumer.closed
                    continue
                assert consumer.closed
        return run

    asyncio.run(main()).check(n)


def test_ack_nack_and_an_unreadable_body(stand_in: Any) -> None:
    s = stand_in(3, base64_bodies=False)
    q = s.queue
    q.fail_receive_every = 0
    q.lose_delete_every = 0
    q.msgs["M00001"].body = "%%% not base64 %%%"
    consumer = consumer_for(s, max_dequeue_count=1)
    q.when_empty = consumer.stop
    seen: dict[str, int] = {}
    for d in consumer:
        seen[d.message_id] = seen.get(d.message_id, 0) + 1
        if d.message_id == "M00001":
            assert isinstance(d.error, camskit.ValidationError)
            with pytest.raises(camskit.ValidationError, match="neither JSON nor base64"):
                d.events
            if d.poison:  # received more often than max_dequeue_count: drop it
                with q.lock:
                    q.finished.add(d.message_id)
                d.ack()
            else:
                d.nack()
                assert d.reported == "failed"
            continue
        assert d.error is None and len(d.events) == 1
        with q.lock:
            q.finished.add(d.message_id)
        d.ack()
        d.ack()  # the same report again is no error
        with pytest.raises(camskit.ValidationError, match="already reported handled"):
            d.nack()
    assert seen == {"M00000": 1, "M00001": 2, "M00002": 1}
    assert q.remaining() == 0 and q.violations == []
    assert consumer.deleted == 3 and consumer.delivered == 4
    with pytest.raises(camskit.ValidationError, match="over"):
        iter(consumer).__next__()


def test_a_slow_body_extends_its_message(stand_in: Any) -> None:
    s = stand_in(3)
    q = s.queue
    q.fail_receive_every = 0
    q.lose_delete_every = 0
    consumer = consumer_for(s, batch_size=1)  # one message in hand: only it is extended
    q.when_empty = consumer.stop
    seen: list[tuple[str, int]] = []
    for d in consumer:
        seen.append((d.message_id, d.dequeue_count))
        if d.message_id == "M00001":
            d.extend(5)
            time.sleep(q.visibility_s * 2)  # longer than the visibility it had: still hidden
        with q.lock:
            q.finished.add(d.message_id)
    # Received once each: the extension kept M00001 hidden, and its delete used the new handle.
    assert seen == [("M00000", 1), ("M00001", 1), ("M00002", 1)]
    assert q.remaining() == 0 and consumer.deleted == 3 and q.violations == []


def test_a_slow_async_body_extends_its_message(stand_in: Any) -> None:
    httpx = pytest.importorskip("httpx")
    s = stand_in(2)
    q = s.queue
    q.fail_receive_every = 0
    q.lose_delete_every = 0

    async def main() -> list[tuple[str, int]]:
        seen: list[tuple[str, int]] = []
        async with httpx.AsyncClient() as session:
            consumer = consumer_for(s, session, batch_size=1)
            q.when_empty = consumer.stop
            async with consumer:
                async for d in consumer:
                    seen.append((d.message_id, d.dequeue_count))
                    if d.message_id == "M00000":
                        await d.aextend(5)
                        await asyncio.sleep(q.visibility_s * 2)
                    with q.lock:
                        q.finished.add(d.message_id)
        return seen

    assert asyncio.run(main()) == [("M00000", 1), ("M00001", 1)]
    assert q.remaining() == 0 and q.violations == []


def test_break_leaves_the_message_in_hand(stand_in: Any) -> None:
    s = stand_in(5)
    s.queue.fail_receive_every = 0
    s.queue.lose_delete_every = 0
    consumer = consumer_for(s)
    for d in consumer:
        if d.message_id == "M00002":
            break
        with s.queue.lock:
            s.queue.finished.add(d.message_id)
    # M00000 and M00001 finished and were deleted at the break; M00002 (in hand) and the rest
    # of the batch stay for redelivery.
    assert sorted(s.queue.msgs) == ["M00002", "M00003", "M00004"]
    assert sorted(s.queue.deleted) == ["M00000", "M00001"] and s.queue.violations == []
    assert consumer.closed


def test_each_request_waits_as_long_as_core_says(stand_in: Any, monkeypatch: Any) -> None:
    from camskit import _http

    s = stand_in(1)
    s.queue.fail_receive_every = 0
    s.queue.lose_delete_every = 0
    timeouts: list[tuple[str, float]] = []
    real = _http.send_stdlib

    def spy(method: str, url: str, headers: Any, body: Any, timeout: float) -> Any:
        timeouts.append((method, timeout))
        return real(method, url, headers, body, timeout)

    monkeypatch.setattr(_http, "send_stdlib", spy)
    consumer = consumer_for(s)
    s.queue.when_empty = consumer.stop
    for d in consumer:
        with s.queue.lock:
            s.queue.finished.add(d.message_id)
    # The token and the delete: core's 10 s; a long poll: its 1 s wait plus core's 10 s margin.
    assert ("GET", 11.0) in timeouts and ("DELETE", 10.0) in timeouts
    assert timeouts[0][1] == 10.0  # the token


def test_a_refused_account_key_ends_the_consumer_with_its_error(stand_in: Any) -> None:
    s = stand_in(1)
    consumer = camskit.ReceiptsConsumer("ChatAppStatus", QUEUE, s.url, token_endpoint=s.url,
                                        access_key_id="LTAI5tUnknown", access_key_secret="x")
    with pytest.raises(camskit.ApiError) as info:
        for _ in consumer:
            pass
    assert info.value.code == "InvalidAccessKeyId.NotFound"
    assert consumer.closed


def test_a_transport_failure_is_backed_off_not_raised(stand_in: Any) -> None:
    s = stand_in(2)
    s.queue.fail_receive_every = 0
    s.queue.lose_delete_every = 0
    # Nothing listens on the MNS endpoint at first: refused before send, backed off by core.
    dead = "http://127.0.0.1:9"
    consumer = camskit.ReceiptsConsumer("ChatAppStatus", QUEUE, dead, token_endpoint=s.url,
                                        access_key_id=ACCOUNT_ID, access_key_secret=ACCOUNT_SECRET, wait_seconds=0)
    waits: list[str] = []
    native = consumer._native
    real_poll = native.poll

    class Spy:
        def __getattr__(self, name: str) -> Any:
            return getattr(native, name)

        def poll(self, *a: Any) -> Any:
            step = real_poll(*a)
            if step[0] == "wait":
                waits.append(step[2])
                if len(waits) == 2:
                    native.stop()
            return step

    consumer._native = Spy()  # type: ignore[assignment]
    for _ in consumer:
        pass
    assert waits and "refused before send" in waits[0]


def test_bad_options_are_validation_errors() -> None:
    with pytest.raises(camskit.ValidationError, match="batch size"):
        camskit.ReceiptsConsumer("ChatAppStatus", QUEUE, "http://127.0.0.1:9", access_key_id="a",
                                 access_key_secret="b", batch_size=17)
    with pytest.raises(camskit.ValidationError, match="wait"):
        camskit.ReceiptsConsumer("ChatAppStatus", QUEUE, "http://127.0.0.1:9", access_key_id="a",
                                 access_key_secret="b", wait_seconds=31)
    with pytest.raises(camskit.CredentialsError):
        camskit.ReceiptsConsumer("ChatAppStatus", QUEUE, "http://127.0.0.1:9", access_key_id="a")


def test_async_needs_an_async_client() -> None:
    consumer = camskit.ReceiptsConsumer("ChatAppStatus", QUEUE, "http://127.0.0.1:9", access_key_id="a",
                                        access_key_secret="b")

    async def main() -> None:
        async for _ in consumer:
            pass

    with pytest.raises(TypeError):
        asyncio.run(main())

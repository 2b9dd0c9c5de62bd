"""``ReceiptsConsumer``: core's receipts queue consumer (``camskit::mns::Consumer``) driven with
the host's HTTP (``_http.py``: the standard library, ``requests``, ``httpx``), clock,
randomness and sleep.

Every decision is the machine's: when to fetch the queue's token (Dybaseapi
``QueryTokenForMnsQueue``), what to receive, what to delete (only messages reported handled),
how long to back off after an error, which delivery is a duplicate or poison, when it is over.
This file sends what it is told, with the timeout the request carries (``timeout_ms``), and
reports what happened: each answer, each transport failure (``TransportFailure``, as for a
call), and whether the loop body finished for each delivery.
"""

from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING, Any, AsyncGenerator, AsyncIterator, Callable, Generator, Iterator, List, Mapping, Optional

from . import _http
from . import camskit_native as _native
from ._errors import CamsError, ValidationError

if TYPE_CHECKING:
    from ._receipts import Event

__all__ = ["Delivery", "ReceiptsConsumer"]


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _nonce() -> str:
    import uuid

    return str(uuid.uuid4())


class Delivery:
    """One queue message for the loop body: its ``events`` (core's typed events), the MNS
    ``message_id``, ``dequeue_count``, and core's flags: ``duplicate`` (every event of it was
    handled already in this process: a redelivery after a lost delete, or a repeated push) and
    ``poison`` (received more often than ``max_dequeue_count``).

    The message is reported handled (and deleted) when the loop body finishes without an
    exception; ``ack()`` reports it handled at once, ``nack()`` failed (it stays in the queue
    and comes back after its visibility timeout). A body that could not be read has
    ``error`` set, and ``events`` raises it: ``ack()`` such a message to drop it."""

    __slots__ = ("_consumer", "message_id", "body", "dequeue_count", "enqueue_time", "first_dequeue_time",
                 "duplicate", "poison", "_events", "error", "_reported")

    def __init__(self, consumer: ReceiptsConsumer, row: Any) -> None:
        (self.message_id, self.body, self.dequeue_count, self.enqueue_time, self.first_dequeue_time,
         self.duplicate, self.poison, events, error) = row
        self._consumer = consumer
        self._events: Optional[List[Event]] = events
        #: Why the body could not be read (a ``ValidationError``), or None.
        self.error: Optional[CamsError] = error
        self._reported: Optional[str] = None

    message_id: str
    body: str
    dequeue_count: int
    enqueue_time: int
    first_dequeue_time: int
    duplicate: bool
    poison: bool

    @property
    def events(self) -> List[Event]:
        """The message's events; raises ``error`` when its body could not be read."""
        if self._events is None:
            assert self.error is not None
            raise self.error
        return self._events

    @property
    def reported(self) -> Optional[str]:
        """``"handled"``, ``"failed"``, ``"released"`` (the loop ended before it was handed
        over: visible again at once) or None (not yet)."""
        return self._reported

    def ack(self) -> None:
        """Reports the message handled: it is deleted (unless ``delete=False``) and its events
        are remembered as handled."""
        self._report("handled")

    def nack(self) -> None:
        """Reports the handler failed: the message stays in the queue, to be delivered again."""
        self._report("failed")

    def extend(self, seconds: int) -> None:
        """Keeps the message hidden ``seconds`` more while a slow loop body runs (MNS
        ``ChangeMessageVisibility``, sent now; core keeps the new receipt handle). Not in an
        ``async for``: use ``await delivery.aextend(seconds)`` there."""
        self._consumer._native.extend(self.message_id, seconds)
        self._consumer._drive_extension()

    async def aextend(self, seconds: int) -> None:
        """``extend`` for ``async for``."""
        self._consumer._native.extend(self.message_id, seconds)
        await self._consumer._adrive_extension()

    def _report(self, how: str) -> None:
        if self._reported is not None:
            if self._reported == how:
                return
            raise ValidationError(f"message {self.message_id} was already reported {self._reported}",
                                  code="invalid_input", category="validation")
        native = self._consumer._native
        (native.handled if how == "handled" else native.failed)(self.message_id)
        self._reported = how

    def __repr__(self) -> str:
        flags = "".join(f", {f}" for f in ("duplicate", "poison") if getattr(self, f))
        return f"<Delivery {self.message_id} dequeue_count={self.dequeue_count}{flags}>"


class ReceiptsConsumer:
    """Consumes a CAMS receipts queue (MNS consumer mode), at least once::

        consumer = camskit.ReceiptsConsumer(
            message_type="ChatAppStatus",
            queue="Alicom-Queue-1234567890-ChatAppStatus",
            endpoint="https://1234567890.mns.cn-hangzhou.aliyuncs.com")
        for delivery in consumer:          # or: async for, with session=httpx.AsyncClient()
            if delivery.duplicate:
                continue                   # handled before: reported handled again
            for event in delivery.events:
                store(event)               # an exception here: the message stays, and it propagates

    ``message_type``: ``ChatAppStatus``, ``ChatAppInbound``, ``ChatAppAudit``; ``queue``: the
    queue's name; ``endpoint``: its MNS endpoint; ``token_endpoint``: where
    ``QueryTokenForMnsQueue`` goes (None: Dybaseapi's). Credentials as ``Client`` takes them
    (keys, ``environ=``, ``profile=``, ``credentials=`` a provider; none: the default chain):
    they sign the token requests only. ``session``: None (``http.client``), a
    ``requests.Session`` or an ``httpx.Client`` for ``for``, an ``httpx.AsyncClient`` for
    ``async for``. ``batch_size`` (1-16), ``wait_seconds`` (0-30), ``max_dequeue_count``,
    ``dedup_capacity``: None takes core's defaults (16, 30 s, 10, 100,000). ``delete=False``
    leaves every message in the queue (look without consuming). ``allow_insecure_http=True``
    lets credentials go over plain ``http://`` to a token or queue endpoint that is not
    loopback (core refuses it otherwise, before anything is sent).

    A delivery is reported handled when the loop body finishes without an exception for it.
    When the loop ends early — an exception in the body, ``break``, ``return`` — the delivery
    in hand is reported failed unless it was ``ack()``-ed (it comes back after its visibility
    timeout), the rest of its batch is released (visible again at once, for this or another
    consumer), the deletes of what was handled are sent,
    and the consumer is over (``closed``); the exception then propagates. ``stop()`` ends it
    after the current batch.
    """

    def __init__(
        self,
        message_type: str,
        queue: str,
        endpoint: str,
        *,
        token_endpoint: Optional[str] = None,
        access_key_id: Optional[str] = None,
        access_key_secret: Optional[str] = None,
        security_token: Optional[str] = None,
        environ: Optional[Mapping[str, str]] = None,
        profile: Optional[str] = None,
        credentials: Any = None,
        session: Any = None,
        batch_size: Optional[int] = None,
        wait_seconds: Optional[int] = None,
        max_dequeue_count: Optional[int] = None,
        dedup_capacity: Optional[int] = None,
        delete: bool = True,
        allow_insecure_http: bool = False,
    ) -> None:
        from ._client import _choose_provider
        from ._credentials import CredentialsCache

        provider = _choose_provider(access_key_id, access_key_secret, security_token, environ, profile, credentials)
        resolved = provider.resolve() if provider is not None else None
        self._native = _native._NativeConsumer(
            message_type, queue, endpoint, token_endpoint=token_endpoint, batch_size=batch_size,
            wait_seconds=wait_seconds, delete=delete, max_dequeue_count=max_dequeue_count,
            dedup_capacity=dedup_capacity, access_key_id=access_key_id, access_key_secret=access_key_secret,
            security_token=security_token, environ=environ, resolved=resolved,
            allow_insecure_http=allow_insecure_http)
        self._creds = None if resolved is None or resolved.expiration is None else CredentialsCache(provider, resolved)
        self._session = session
        self._closed = False
        self._running = False
        self._gen: Optional[weakref.ref[Generator[Delivery, None, None]]] = None
        self._agen: Optional[AsyncGenerator[Delivery, None]] = None

    # -------------------------------------------------------------------- state

    @property
    def delivered(self) -> int:
        """Messages delivered to the loop body so far (core's count)."""
        return int(self._native.delivered)

    @property
    def deleted(self) -> int:
        """Messages deleted so far (their handler succeeded and MNS confirmed)."""
        return int(self._native.deleted)

    @property
    def closed(self) -> bool:
        """Whether the consumer is over (stopped, ended early, or an error that does not heal)."""
        return self._closed

    def stop(self) -> None:
        """Ends the consumer once the deliveries in hand are reported and their deletes done:
        the loop then ends."""
        self._native.stop()

    def __repr__(self) -> str:
        return f"<ReceiptsConsumer delivered={self.delivered} deleted={self.deleted}{' closed' if self._closed else ''}>"

    # -------------------------------------------------------------------- driving

    def _step(self) -> Any:
        creds = self._creds
        if creds is not None:
            new = creds.fresh()
            if new is not None:
                self._native._set_credentials(new)
        return self._native.poll(_now_ms(), _nonce())

    def _begin(self) -> None:
        if self._closed:
            raise ValidationError("this ReceiptsConsumer is over: create a new one", code="invalid_input",
                                  category="validation")
        if self._running:
            raise ValidationError("this ReceiptsConsumer is already being iterated", code="invalid_input",
                                  category="validation")
        self._running = True

    def _drive_extension(self) -> None:
        """Runs the machine while a loop body holds a delivery: it sends the extension asked for
        (a token first if due, its waits after an error) until it is idle again."""
        send = _http.sender(self._session)
        while True:
            step = self._step()
            if step[0] == "send":
                self._send(send, step)
            elif step[0] == "wait":
                time.sleep(step[1] / 1000)
            else:
                return

    async def _adrive_extension(self) -> None:
        import asyncio

        send = _http.async_sender(self._session)
        while True:
            step = await self._astep()
            if step[0] == "send":
                await self._asend(send, step)
            elif step[0] == "wait":
                await asyncio.sleep(step[1] / 1000)
            else:
                return

    def _abandon(self, batch: List[Delivery], index: int) -> None:
        """The loop ended inside a batch: the delivery in hand (``batch[index]``) is failed
        unless reported; core releases the rest (visible again at once, not deleted: its
        ``Consumer::stop_early``) and stops (the deletes of what was handled are sent by
        ``_flush``)."""
        if index < len(batch) and batch[index]._reported is None:
            batch[index].nack()
        self._native.stop_early()
        for d in batch[index:]:
            if d._reported is None:
                d._reported = "released"

    def _report_done(self, d: Delivery) -> None:
        if d._reported is None:
            d.ack()

    def __iter__(self) -> Iterator[Delivery]:
        gen = self._iter()
        # A weak reference: the loop's own reference is the only strong one, so the generator
        # closes (and reports) while an exception unwinds the loop, before it propagates.
        self._gen = weakref.ref(gen)
        return gen

    def _iter(self) -> Generator[Delivery, None, None]:
        send = _http.sender(self._session)
        self._begin()
        batch: List[Delivery] = []
        index = 0
        finished = False
        try:
            while True:
                step = self._step()
                kind = step[0]
                if kind == "send":
                    self._send(send, step)
                elif kind == "deliver":
                    batch = [Delivery(self, row) for row in step[1]]
                    for index, d in enumerate(batch):
                        yield d
                        self._report_done(d)
                    index = len(batch)
                elif kind == "wait":
                    time.sleep(step[1] / 1000)
                elif kind == "idle":
                    # Every delivery is reported once its body finished; idle means one was not.
                    raise CamsError("a delivery was neither handled nor failed", code="internal",
                                    category="internal")
                else:
                    finished = True
                    return
        finally:
            self._running = False
            if not finished:
                self._abandon(batch, index)
                self._flush(send)
            self._closed = True

    def _send(self, send: Callable[..., Any], step: Any) -> None:
        _, method, url, headers, body, _purpose, timeout_ms = step
        try:
            status, _headers, data = send(method, url, headers, None if body is None else body.encode("utf-8"),
                                          timeout_ms / 1000)
        except _http.Failure as f:
            self._native.on_transport_error(_now_ms(), f.kind, f.message)
            return
        self._native.on_response(_now_ms(), status, data)

    def _flush(self, send: Callable[..., Any]) -> None:
        """After an early end: drives the stopped machine until it is done, sending the deletes
        of what was handled. A failure there is not waited out (the machine would back off):
        those messages come back, and core flags them duplicate only in a process that saw
        them, so the loop's exception is never hidden by this one."""
        try:
            while True:
                step = self._step()
                if step[0] != "send":
                    return
                self._send(send, step)
        except Exception:  # the loop's own exception, if any, is the one that propagates
            return

    def __aiter__(self) -> AsyncIterator[Delivery]:
        # A strong reference: ``async with consumer:`` closes it when the block ends (an async
        # generator dropped by an exception is otherwise closed later, by the event loop).
        self._agen = agen = self._aiter()
        return agen

    async def _aiter(self) -> AsyncGenerator[Delivery, None]:
        import asyncio

        send = _http.async_sender(self._session)
        self._begin()
        batch: List[Delivery] = []
        index = 0
        finished = False
        try:
            while True:
                step = await self._astep()
                kind = step[0]
                if kind == "send":
                    await self._asend(send, step)
                elif kind == "deliver":
                    batch = [Delivery(self, row) for row in step[1]]
                    for index, d in enumerate(batch):
                        yield d
                        self._report_done(d)
                    index = len(batch)
                elif kind == "wait":
                    await asyncio.sleep(step[1] / 1000)
                elif kind == "idle":
                    raise CamsError("a delivery was neither handled nor failed", code="internal",
                                    category="internal")
                else:
                    finished = True
                    return
        finally:
            self._running = False
            if not finished:
                self._abandon(batch, index)
                try:
                    while True:
                        step = await self._astep()
                        if step[0] != "send":
                            break
                        await self._asend(send, step)
                except Exception:
                    pass
            self._closed = True

    async def _astep(self) -> Any:
        creds = self._creds
        if creds is not None and creds.resolved.needs_refresh(int(time.time())):
            # A refresh is a few blocking requests: off the event loop.
            import asyncio

            new = await asyncio.get_running_loop().run_in_executor(None, creds.fresh)
            if new is not None:
                self._native._set_credentials(new)
        return self._native.poll(_now_ms(), _nonce())

    async def _asend(self, send: Callable[..., Any], step: Any) -> None:
        _, method, url, headers, body, _purpose, timeout_ms = step
        try:
            status, _headers, data = await send(method, url, headers,
                                                None if body is None else body.encode("utf-8"), timeout_ms / 1000)
        except _http.Failure as f:
            self._native.on_transport_error(_now_ms(), f.kind, f.message)
            return
        self._native.on_response(_now_ms(), status, data)

    # ``with consumer:`` / ``async with consumer:`` close the loop when the block ends, so an
    # exception in an ``async for`` body is reported before it propagates (an async generator
    # left by an exception is otherwise closed later, by the event loop).

    def __enter__(self) -> ReceiptsConsumer:
        return self

    def __exit__(self, *exc: object) -> None:
        gen = self._gen() if self._gen is not None else None
        if gen is not None:
            gen.close()

    async def __aenter__(self) -> ReceiptsConsumer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        agen = self._agen
        if agen is not None:
            await agen.aclose()


ReceiptsConsumer.__module__ = "camskit"
Delivery.__module__ = "camskit"

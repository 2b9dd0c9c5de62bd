"""Driving core's call machine (``camskit::Call``) with the host's HTTP, clock, randomness,
sleep and logging. Every decision — whether to retry, how long to wait, the clock offset,
"outcome unknown" — is the machine's; this file only does what it is told."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, NamedTuple, Optional

from . import _http
from ._response import _TYPED, Response

log = logging.getLogger("camskit")


class RetryPolicy(NamedTuple):
    """How many times and how long a call tries (core's ``RetryPolicy``; the defaults are
    core's). ``RetryPolicy.no_retry()``: one attempt."""

    max_attempts: int = 4
    base_delay_ms: int = 200
    max_delay_ms: int = 10_000
    deadline_ms: Optional[int] = 60_000
    recover_clock_skew: bool = True

    @classmethod
    def no_retry(cls) -> "RetryPolicy":
        return cls(max_attempts=1)


def policy_tuple(retry: Any, max_attempts: Optional[int]):  # type: ignore[no-untyped-def]
    if retry is None:
        retry = RetryPolicy()
    elif retry is False:
        retry = RetryPolicy.no_retry()
    elif not isinstance(retry, RetryPolicy):
        raise TypeError(f"retry must be a camskit.RetryPolicy, False or None, not {type(retry).__name__}")
    if max_attempts is not None:
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise ValueError("max_attempts must be an int >= 1")
        retry = retry._replace(max_attempts=max_attempts)
    return tuple(retry)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _log_wait(action: str, millis: int, attempt: int, reason: str) -> None:
    # The reason is core's words (error kind, code, HTTP status) or the transport's cleaned
    # message: never a secret, a signature or a query string.
    log.warning("%s: attempt %d failed: %s; retrying in %d ms", action, attempt, reason, millis)


def answer(action: str, done: tuple) -> Response:  # type: ignore[type-arg]
    _, status, typed, row = done
    if typed is not None:
        return _TYPED[action](status, typed)  # type: ignore[no-any-return]
    return Response(*row)


def run(native_call: Any, action: str, send: Any, timeout: float) -> Response:
    """Runs one call to the end with a synchronous ``send``."""
    while True:
        step = native_call.poll(now_ms(), os.urandom(16))
        kind = step[0]
        if kind == "send":
            _, method, url, headers, body = step
            try:
                status, resp_headers, data = send(method, url, headers, body, timeout)
            except _http.Failure as f:
                native_call.on_transport_error(now_ms(), f.kind, f.message)
                continue
            native_call.on_response(now_ms(), status, resp_headers, data)
        elif kind == "wait":
            _, millis, attempt, reason = step
            _log_wait(action, millis, attempt, reason)
            time.sleep(millis / 1000)
        else:
            return answer(action, step)


async def run_async(native_call: Any, action: str, send: Any, timeout: float) -> Response:
    """Runs one call to the end with an ``async`` send (``asyncio.sleep`` for the waits)."""
    while True:
        step = native_call.poll(now_ms(), os.urandom(16))
        kind = step[0]
        if kind == "send":
            _, method, url, headers, body = step
            try:
                status, resp_headers, data = await send(method, url, headers, body, timeout)
            except _http.Failure as f:
                native_call.on_transport_error(now_ms(), f.kind, f.message)
                continue
            native_call.on_response(now_ms(), status, resp_headers, data)
        elif kind == "wait":
            _, millis, attempt, reason = step
            _log_wait(action, millis, attempt, reason)
            await asyncio.sleep(millis / 1000)
        else:
            return answer(action, step)

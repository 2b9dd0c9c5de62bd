"""Driving core's call machine (``camskit::Call``) with the host's HTTP, clock, randomness,
sleep and logging. Every decision — whether to retry, how long to wait, the clock offset,
"outcome unknown" — is the machine's; this file only does what it is told."""

from __future__ import annotations

import os
import time
TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from typing import Any, Optional

from . import _http
from ._response import Response, answer

# ``asyncio`` and ``logging`` are imported where they are used (an async call, a retry to
# log): ``import camskit`` stays a few milliseconds, which is most of a short script's start.


def policy_tuple(retry: Any, max_attempts: Optional[int]):  # type: ignore[no-untyped-def]
    from ._retry import RetryPolicy

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
    import logging

    logging.getLogger("camskit").warning(
        "%s: attempt %d failed: %s; retrying in %d ms", action, attempt, reason, millis)


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
            return answer(action, step[1])


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
            import asyncio

            await asyncio.sleep(millis / 1000)
        else:
            return answer(action, step[1])

"""``RetryPolicy``: a module of its own, imported on first use (it needs ``typing``, which
``import camskit`` does not load)."""

from __future__ import annotations

from typing import NamedTuple, Optional

from . import camskit_native as _native

# Core's RetryPolicy::default(), read once: the defaults are written in core only.
_ATTEMPTS, _BASE_MS, _MAX_MS, _DEADLINE_MS, _RECOVER = _native.DEFAULT_RETRY_POLICY


class RetryPolicy(NamedTuple):
    """How many times and how long a call tries (core's ``RetryPolicy``; the defaults are
    core's). ``RetryPolicy.no_retry()``: one attempt."""

    max_attempts: int = _ATTEMPTS
    base_delay_ms: int = _BASE_MS
    max_delay_ms: int = _MAX_MS
    deadline_ms: Optional[int] = _DEADLINE_MS
    recover_clock_skew: bool = _RECOVER

    @classmethod
    def no_retry(cls) -> "RetryPolicy":
        return cls(max_attempts=1)

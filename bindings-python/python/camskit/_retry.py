"""``RetryPolicy``: a module of its own, imported on first use (it needs ``typing``, which
``import camskit`` does not load)."""

from __future__ import annotations

from typing import NamedTuple, Optional


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

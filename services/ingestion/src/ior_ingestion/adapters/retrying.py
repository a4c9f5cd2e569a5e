"""The retry policy the source adapters share: exponential backoff with jitter through stamina.

An adapter raises its own typed errors; each says whether a retry may cure it and, for a rate
limit, the server's `Retry-After`. That wait is honoured as a minimum; a server asking for more
than the policy allows is not waited for: the error surfaces at once."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import stamina

from ior_ingestion.ports import SourceError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """stamina's knobs: attempts, total budget (s) and the exponential backoff with jitter (s)."""

    attempts: int = 5
    timeout: float = 120.0
    wait_initial: float = 0.5
    wait_max: float = 15.0
    wait_jitter: float = 0.5
    wait_exp_base: float = 2.0
    # Longest `Retry-After` the policy will wait; a longer one gives up at once.
    max_retry_after: float = 60.0

    def backoff(self, exc: Exception) -> bool | float:
        """stamina's backoff hook: False = give up, True = exponential backoff, float = wait so long."""
        if not isinstance(exc, SourceError) or not exc.retryable:
            return False
        if exc.retry_after is None:
            return True
        if exc.retry_after > self.max_retry_after:
            return False
        # Jitter on top, never below: clients told to come back together should not all return at once.
        return exc.retry_after + random.uniform(0, self.wait_jitter)


def call_with_retries(policy: RetryPolicy, attempt: Callable[[], T]) -> T:
    """Run `attempt` until it succeeds, a non-retryable error occurs, or the policy is spent."""
    tries = 0
    try:
        for retry in stamina.retry_context(
            on=policy.backoff,
            attempts=policy.attempts,
            timeout=policy.timeout,
            wait_initial=policy.wait_initial,
            wait_max=policy.wait_max,
            wait_jitter=policy.wait_jitter,
            wait_exp_base=policy.wait_exp_base,
        ):
            with retry:
                tries = retry.num
                return attempt()
    except SourceError as exc:
        exc.attempts = tries
        raise
    raise AssertionError("stamina ended without a result or an error")  # pragma: no cover


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())

"""The shared retry policy: which errors are retried, and how long a server may ask us to wait."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ior_ingestion.adapters.retrying import RetryPolicy, call_with_retries, parse_retry_after
from ior_ingestion.ports import SourceError

FAST = RetryPolicy(attempts=4, timeout=10, wait_initial=0, wait_max=0, wait_jitter=0)


class Flaky(SourceError):
    reason = "server_error"
    retryable = True


class Fatal(SourceError):
    reason = "auth"


def test_parses_retry_after_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 9, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("Mon, 09 Mar 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Mon, 09 Mar 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None
    assert parse_retry_after(None) is None


def test_the_backoff_hook_follows_what_each_error_says() -> None:
    policy = RetryPolicy(wait_jitter=0, max_retry_after=30)
    assert policy.backoff(Flaky()) is True
    assert policy.backoff(Fatal()) is False
    assert policy.backoff(ValueError("not ours")) is False
    limited = Flaky()
    limited.retry_after = 12.0
    assert policy.backoff(limited) == 12.0
    limited.retry_after = 31.0
    assert policy.backoff(limited) is False


def test_retries_until_success_and_counts_nothing_extra() -> None:
    calls = []

    def attempt() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise Flaky("try again")
        return "done"

    assert call_with_retries(FAST, attempt) == "done"
    assert len(calls) == 3


@pytest.mark.parametrize(("error", "attempts"), [(Flaky, 4), (Fatal, 1)])
def test_the_last_error_says_how_many_attempts_were_made(error: type[SourceError], attempts: int) -> None:
    def attempt() -> None:
        raise error("no")

    with pytest.raises(error) as failure:
        call_with_retries(FAST, attempt)
    assert failure.value.attempts == attempts

"""How long a function waits on AWS: the wall time during which at least one of its requests is in
flight, from the request's sending to its response (requests side by side counted once), and how
many it sent. On the local stack that wait is the emulator's answer on the same cores as every
other function, not AWS's; measured apart, an invocation's own time is its wall time less it.

Counted with botocore's `before-send` and `response-received` events on the default session, which
every client of the process is made from, as `object_lock` checks writes. A streamed body (an S3
object's) is read after its response arrives: reading it is the function's own time."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import boto3


@dataclass(frozen=True)
class AwsWait:
    calls: int
    wait_s: float


class AwsCallClock:
    """Counts every request the default session's clients send, and the wall time any is in flight."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._since = 0.0
        self._wait_s = 0.0
        self._calls = 0

    def install(self) -> None:
        events = boto3._get_default_session().events
        events.register("before-send", self._sent)
        events.register("response-received", self._answered)

    def uninstall(self) -> None:
        events = boto3._get_default_session().events
        events.unregister("before-send", self._sent)
        events.unregister("response-received", self._answered)

    def read(self) -> AwsWait:
        """The requests and the wait so far (a request in flight counts up to now)."""
        with self._lock:
            running = time.perf_counter() - self._since if self._in_flight else 0.0
            return AwsWait(self._calls, self._wait_s + running)

    def _sent(self, **_: Any) -> None:
        with self._lock:
            self._calls += 1
            if self._in_flight == 0:
                self._since = time.perf_counter()
            self._in_flight += 1

    def _answered(self, **_: Any) -> None:
        with self._lock:
            if self._in_flight == 0:
                return  # sent before the clock was installed
            self._in_flight -= 1
            if self._in_flight == 0:
                self._wait_s += time.perf_counter() - self._since

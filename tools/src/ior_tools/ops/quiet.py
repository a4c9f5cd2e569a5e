"""Waiting for a running stack to finish what it was given: every subscription queue empty, nothing
in flight and no new event on the bus for a moment."""

from __future__ import annotations

import time

from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.stack import queue_depth
from ior_tools.runtime.state import StackState


def busy(state: StackState) -> bool:
    sqs = state.aws.client("sqs")
    urls = [q.queue_url for q in state.queues.values()]
    if state.event_log_queue_url:
        urls.append(state.event_log_queue_url)
    return any(queue_depth(sqs, url) != (0, 0) for url in urls)


def wait_quiet(state: StackState, log: EventLog, timeout: float, settle_s: float = 1.5) -> bool:
    """Whether the stack went quiet for `settle_s` seconds in a row within `timeout`."""
    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        last = log.last(1)
        recent = bool(last) and time.time() - last[0].occurred_at.timestamp() < settle_s
        now = time.monotonic()
        if busy(state) or recent:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= settle_s:
            return True
        time.sleep(0.2)
    return False

"""Waiting for a stack to finish what it was given: every subscription queue empty, nothing in
flight and nothing new on the bus (seen through a tap) for a moment."""

from __future__ import annotations

import time

from ior_tools.ops.tap import Tap
from ior_tools.ops.target import Target


def busy(stack: Target) -> bool:
    sqs = stack.client("sqs")
    for url in stack.outputs["queues"].values():
        attrs = sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        if int(attrs["ApproximateNumberOfMessages"]) or int(attrs["ApproximateNumberOfMessagesNotVisible"]):
            return True
    return False


def wait_quiet(stack: Target, tap: Tap, timeout: float, settle_s: float = 1.5) -> bool:
    """Whether the stack went quiet for `settle_s` seconds in a row within `timeout`."""
    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        tap.drain()
        now = time.monotonic()
        if busy(stack) or not tap.quiet_for(settle_s):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= settle_s:
            return True
        time.sleep(0.2)
    return False

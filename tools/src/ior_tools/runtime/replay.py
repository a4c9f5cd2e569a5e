"""Windowed replay of one stage (a service's rules) from the event log: each event of the window is
sent to exactly the queues of that service whose patterns match it, marked with a replay name as
EventBridge marks replayed events. The envelope keeps its event id, so a replay without a code or
configuration change has no effect; after one, the handlers run again."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.patterns import matches
from ior_tools.runtime.provision import QueuePair


@dataclass
class ReplayResult:
    name: str
    considered: int = 0
    deliveries: Counter[str] = field(default_factory=Counter)

    @property
    def delivered(self) -> int:
        return sum(self.deliveries.values())


class UnknownStageError(ValueError):
    """No subscription of the running stack belongs to that service."""


def replay(
    log: EventLog,
    queues: dict[str, QueuePair],
    sqs: Any,
    *,
    stage: str,
    since: datetime | None,
    until: datetime | None,
    name: str,
) -> ReplayResult:
    # The stage's rules as provisioned: what the bus would route, not what the code says today.
    rules = [q for q in queues.values() if q.service == stage]
    if not rules:
        services = sorted({q.service for q in queues.values()})
        raise UnknownStageError(
            f"no subscription of service {stage!r} is running; services: {', '.join(services)}"
        )
    result = ReplayResult(name=name)
    for logged in log.window(since, until):
        result.considered += 1
        for queue in rules:
            if matches(queue.pattern, logged.event):
                body = json.dumps({**logged.event, "replay-name": name})
                sqs.send_message(QueueUrl=queue.queue_url, MessageBody=body)
                result.deliveries[queue.subscription] += 1
    return result

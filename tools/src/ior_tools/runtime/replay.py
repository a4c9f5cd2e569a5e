"""Windowed replay of one stage (a service's rules) from the local event log: what `ior replay` does
on the local stack, where moto's StartReplay replays the whole archive whatever the window. Each
event of the window is sent to exactly the stage's queues whose deployed patterns match it, marked
with a replay name as EventBridge marks replayed events. The envelope keeps its event id, so a replay
without a code or configuration change has no effect; after one, the handlers run again."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.patterns import matches


@dataclass(frozen=True)
class StageRule:
    """One subscription of the stage replayed to: its rule's pattern and its queue."""

    subscription: str
    pattern: dict[str, Any]
    queue_url: str


@dataclass
class ReplayResult:
    name: str
    considered: int = 0
    deliveries: Counter[str] = field(default_factory=Counter)

    @property
    def delivered(self) -> int:
        return sum(self.deliveries.values())


def replay(
    log: EventLog,
    rules: list[StageRule],
    sqs: Any,
    *,
    since: datetime | None,
    until: datetime | None,
    name: str,
) -> ReplayResult:
    """Send each logged event of the window to the stage's queues whose deployed pattern matches it."""
    result = ReplayResult(name=name)
    for logged in log.window(since, until):
        result.considered += 1
        for rule in rules:
            if matches(rule.pattern, logged.event):
                body = json.dumps({**logged.event, "replay-name": name})
                sqs.send_message(QueueUrl=rule.queue_url, MessageBody=body)
                result.deliveries[rule.subscription] += 1
    return result

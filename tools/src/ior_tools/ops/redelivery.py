"""The two ways a stage gets events again, on any stack: a replay of a window of the archive to the
stage's rules (EventBridge StartReplay), and a DLQ moved back to its queue (SQS's message-move
task). moto lacks both (its replay ignores the window, it has no move task): on the local stack
each falls back to what the local runtime does instead, and says so."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ior_tools.ops.target import Target, queue_arn
from ior_tools.runtime import dlq as dead_letters
from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.replay import StageRule
from ior_tools.runtime.replay import replay as replay_from_log

DONE = ("COMPLETED", "FAILED", "CANCELLED")


class UnknownStageError(LookupError):
    """No subscription of the stack belongs to that service."""


@dataclass
class Replayed:
    name: str
    state: str
    fallback: str = ""
    # Per subscription, when the fallback counted them (EventBridge's replay does not say).
    deliveries: dict[str, int] = field(default_factory=dict)

    @property
    def delivered(self) -> int:
        return sum(self.deliveries.values())


def stage_subscriptions(target: Target, stage: str) -> list[str]:
    found = sorted(s for s, service in target.services().items() if service == stage)
    if not found:
        known = ", ".join(sorted(set(target.services().values())))
        raise UnknownStageError(
            f"no subscription of service {stage!r} in stack {target.stage}; services: {known}"
        )
    return found


def replay(target: Target, stage: str, since: datetime, until: datetime, *, wait: float = 300) -> Replayed:
    """The window of the archive replayed to the stage's rules only; waits for the replay to end."""
    subscriptions = stage_subscriptions(target, stage)
    events = target.client("events", operator=True)
    name = f"ior-{target.stage}-{stage}-{uuid.uuid4().hex[:8]}"
    if target.rehearsal:
        rules = [
            StageRule(s, _pattern(events, target.outputs["rules"][s]), target.outputs["queues"][s])
            for s in subscriptions
        ]
        log = EventLog(target.home / "events.sqlite")
        done = replay_from_log(
            log, rules, target.client("sqs", operator=True), since=since, until=until, name=name
        )
        note = "local stack: moto's StartReplay ignores the window, so the event log was replayed instead"
        return Replayed(name, "COMPLETED", note, dict(done.deliveries))
    events.start_replay(
        ReplayName=name,
        EventSourceArn=target.outputs["archiveArn"],
        EventStartTime=since,
        EventEndTime=until,
        Destination={
            "Arn": target.outputs["busArn"],
            "FilterArns": [target.outputs["rules"][s] for s in subscriptions],
        },
    )
    deadline, state = time.monotonic() + wait, "STARTING"
    while state not in DONE and time.monotonic() < deadline:
        time.sleep(2)
        state = events.describe_replay(ReplayName=name)["State"]
    return Replayed(name, state)


def _pattern(events: object, rule_arn: str) -> dict[str, object]:
    bus, rule = rule_arn.split(":rule/", 1)[1].split("/", 1)
    found = events.describe_rule(Name=rule, EventBusName=bus)  # type: ignore[attr-defined]
    pattern: dict[str, object] = json.loads(found["EventPattern"])
    return pattern


@dataclass
class Redriven:
    moved: int
    fallback: str = ""


def redrive(target: Target, subscription: str, *, wait: float = 120) -> Redriven:
    """Every message of the subscription's DLQ moved back to its queue."""
    sqs = target.client("sqs", operator=True)
    dlq, queue = target.outputs["dlqs"][subscription], target.outputs["queues"][subscription]
    if target.rehearsal:
        moved = dead_letters.redrive(sqs, dlq, queue)
        return Redriven(moved, "local stack: moto has no message-move task, so the messages were received, "
                               "sent to the queue and deleted one by one")  # fmt: skip
    handle = sqs.start_message_move_task(SourceArn=queue_arn(dlq), DestinationArn=queue_arn(queue))[
        "TaskHandle"
    ]
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        tasks = sqs.list_message_move_tasks(SourceArn=queue_arn(dlq), MaxResults=1)["Results"]
        task = next((t for t in tasks if t.get("TaskHandle") == handle), tasks[0] if tasks else {})
        if task.get("Status") in ("COMPLETED", "FAILED", "CANCELLED"):
            return Redriven(int(task.get("ApproximateNumberOfMessagesMoved", 0)))
        time.sleep(2)
    raise TimeoutError(f"the message-move task {handle} did not finish within {wait:.0f}s")

"""Watching a stack's bus for the answers to what `ior` asked: a temporary rule with its own queue
on the stage's bus, made as the operator before the request goes out and removed afterwards. The
same on a deployed stack and the local one (AWS keeps no history of a bus to read back)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

from ior_tools.ops.target import Target

Event = dict[str, Any]


class Tap:
    def __init__(self, target: Target, detail_types: list[str] | None = None) -> None:
        """`detail_types`: the contracts to watch; every contract of the stage when None."""
        self._target = target
        self._pattern: dict[str, Any] = (
            {"detail-type": sorted(detail_types)} if detail_types else {"source": [{"prefix": "ior."}]}
        )
        self.name = f"ior-{target.stage}-tap-{uuid.uuid4().hex[:10]}"
        self._queue_url = ""
        self.seen: list[Event] = []
        self.last_arrival: float | None = None

    def __enter__(self) -> Tap:
        sqs, events = self._target.client("sqs", operator=True), self._target.client("events", operator=True)
        bus = self._target.outputs["bus"]
        self._queue_url = sqs.create_queue(QueueName=self.name)["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=self._queue_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        rule_arn = events.put_rule(
            Name=self.name, EventBusName=bus, EventPattern=json.dumps(self._pattern), State="ENABLED"
        )["RuleArn"]
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
                }
            ],
        }
        sqs.set_queue_attributes(QueueUrl=self._queue_url, Attributes={"Policy": json.dumps(policy)})
        events.put_targets(Rule=self.name, EventBusName=bus, Targets=[{"Id": "tap", "Arn": queue_arn}])
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        sqs, events = self._target.client("sqs", operator=True), self._target.client("events", operator=True)
        bus = self._target.outputs["bus"]
        events.remove_targets(Rule=self.name, EventBusName=bus, Ids=["tap"])
        events.delete_rule(Name=self.name, EventBusName=bus)
        sqs.delete_queue(QueueUrl=self._queue_url)

    def drain(self) -> list[Event]:
        """What arrived since the last look."""
        sqs = self._target.client("sqs", operator=True)
        got = sqs.receive_message(QueueUrl=self._queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get(
            "Messages", []
        )
        arrived = [json.loads(m["Body"]) for m in got]
        if got:
            sqs.delete_message_batch(
                QueueUrl=self._queue_url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)],
            )
        self.seen += arrived
        if arrived:
            self.last_arrival = time.monotonic()
        return arrived

    def quiet_for(self, seconds: float) -> bool:
        """Nothing arrived for `seconds` (or ever)."""
        return self.last_arrival is None or time.monotonic() - self.last_arrival >= seconds

    def wait(self, done: Callable[[list[Event]], bool], timeout: float) -> list[Event]:
        """Everything seen, once `done(seen)` holds or `timeout` seconds have passed."""
        deadline = time.monotonic() + timeout
        while not done(self.seen) and time.monotonic() < deadline:
            self.drain()
        return self.seen


def caused_by(events: list[Event], causes: set[str], detail_types: tuple[str, ...]) -> list[Event]:
    return [
        e
        for e in events
        if e["detail-type"] in detail_types and e["detail"]["metadata"].get("causation_id") in causes
    ]

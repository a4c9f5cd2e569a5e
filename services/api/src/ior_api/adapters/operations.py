"""The pipeline's moving parts as the API sees them: queue and DLQ depths, and archive replays.

Only what the API's role allows: `sqs:GetQueueUrl`/`GetQueueAttributes` on the subscription queues,
`events:StartReplay`/`DescribeReplay`/`ListReplays` on the stage's archive and replays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Any

from ior_contracts.naming import Naming


class Operations:
    def __init__(
        self, sqs: Any, events: Any, naming: Naming, stages: Callable[[], dict[str, list[str]]]
    ) -> None:
        self._sqs = sqs
        self._events = events
        self._naming = naming
        self._stages = stages
        self._urls: dict[str, str] = {}

    @cached_property
    def stages(self) -> dict[str, list[str]]:
        """Each stage (service) and its subscriptions; read when first needed, not at cold start."""
        return self._stages()

    def depths(self) -> list[tuple[str, int, int]]:
        """(subscription, messages waiting or in flight, messages in its DLQ), by subscription."""
        found = []
        for subscription in sorted(s for subs in self.stages.values() for s in subs):
            found.append(
                (
                    subscription,
                    self._depth(self._naming.queue(subscription)),
                    self._depth(self._naming.dlq(subscription)),
                )
            )
        return found

    def _depth(self, queue: str) -> int:
        # A queue's URL never changes: asked once per process, not on every view.
        if queue not in self._urls:
            self._urls[queue] = self._sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        url = self._urls[queue]
        attributes = self._sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(
            attributes["ApproximateNumberOfMessagesNotVisible"]
        )

    def start_replay(self, label: str, stage: str, since: datetime, until: datetime, description: str) -> str:
        """Replay the archive's events of [since, until] to the stage's rules only; the replay's name."""
        archive = self._events.describe_archive(ArchiveName=self._naming.archive)
        rules = [
            self._events.describe_rule(Name=self._naming.rule(s), EventBusName=self._naming.bus)["Arn"]
            for s in self.stages[stage]
        ]
        name = self._naming.replay(label)
        self._events.start_replay(
            ReplayName=name,
            Description=description[:512],
            EventSourceArn=archive["ArchiveArn"],
            EventStartTime=since,
            EventEndTime=until,
            Destination={"Arn": archive["EventSourceArn"], "FilterArns": rules},
        )
        return name

    def replays(self) -> list[dict[str, Any]]:
        listed = self._events.list_replays(NamePrefix=self._naming.replay(""))
        return list(listed.get("Replays", []))

"""The `api-alarms` subscription: CloudWatch alarm state changes (forwarded from the account's
default bus) → stored alerts, each published once to the alert topic.

AWS's events carry no envelope, so this handler parses them itself, with Powertools' batch
processor for partial failures like every other subscription."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from ior_api import bootstrap
from ior_api.config import Settings
from ior_api.ports import Deps
from ior_api.service_layer import handlers


class AlarmHandler:
    """The Lambda handler; `cold_start` re-wires it (the local runtime calls it when a stack starts)."""

    def __init__(self) -> None:
        self._processor = BatchProcessor(event_type=EventType.SQS)
        self._wired: tuple[Deps, str] | None = None

    def cold_start(self) -> None:
        self._wired = (bootstrap.wire(), Settings().stage)

    def record(self, record: SQSRecord) -> None:
        if self._wired is None:
            self.cold_start()
        assert self._wired is not None
        deps, stage = self._wired
        handlers.alarm_changed(json.loads(record.body), stage=stage, deps=deps)

    def __call__(self, event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
        return process_partial_response(
            event=event, record_handler=self.record, processor=self._processor, context=context
        )


handler = AlarmHandler()

"""Driving the pipeline for business dates on a running stack, as its schedules and operators would:
each date's extracts asked for (the window ending on it), the analysts' CSVs of the date uploaded when
a legacy folder holds them, both customs runs asked for once the stack is quiet (a date whose
datasets did not change since its last run is found already run), then its comparison asked for and
awaited. Every event of one date's drive shares one correlation id."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.bus import EventPublisher
from ior_contracts.compare import ComparisonRequested
from ior_contracts.customs import CustomsRunRequested

from ior_tools.ops.extracts import SOURCE_NAMES, await_outcomes, landed, request_for
from ior_tools.ops.quiet import wait_quiet
from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.state import StackState
from ior_tools.uploads import sample_bundle, upload

COMPLETED = "compare.comparison.completed.v1"
ACTOR = "ior-run"


@dataclass(frozen=True)
class DayRun:
    day: date
    correlation_id: str
    extracts: dict[str, str]  # source → landed | failed | pending
    uploaded: bool
    comparison: dict[str, Any] | None  # the data of compare.comparison.completed.v1

    @property
    def reported(self) -> bool:
        return self.comparison is not None


def legacy_files(legacy: Path | None, day: date) -> list[Path] | None:
    """The reference CSVs and the day's invoice lines, when the legacy folder has that day."""
    if legacy is None or not (legacy / day.isoformat() / "Invoice_Lines.csv").exists():
        return None
    return sample_bundle(legacy, day)


class PipelineDriver:
    def __init__(
        self, state: StackState, legacy: Path | None = None, sources: list[str] | None = None
    ) -> None:
        self.state = state
        self.publisher = EventPublisher(state.aws.client("events"), state.naming.bus)
        self.s3 = state.aws.client("s3")
        self.log = EventLog(state.event_log_path)
        self.legacy = legacy
        self.sources = sources or list(SOURCE_NAMES)

    def run(self, day: date, timeout: float) -> DayRun:
        deadline = time.monotonic() + timeout
        correlation = f"ior-run-{day.isoformat()}-{uuid.uuid4().hex[:12]}"
        sent = {
            self.publisher.publish(request_for(name, day), correlation_id=correlation).event_id: name
            for name in self.sources
        }
        outcomes = await_outcomes(self.log, sent, _left(deadline))
        extracts = {name: "pending" for name in self.sources}
        for cause, event in outcomes.items():
            extracts[sent[cause]] = "landed" if landed(event) else "failed"
        files = legacy_files(self.legacy, day)
        if files is not None:
            bucket = self.state.naming.data_bucket
            upload(self.s3, self.publisher, bucket, files, by=ACTOR, day=day, correlation_id=correlation)
        wait_quiet(self.state, self.log, _left(deadline))
        modes = ["automated", "manual"] if files is not None else ["automated"]
        for mode in modes:
            request = CustomsRunRequested(business_date=day, mode=mode, reason="ior run", requested_by=ACTOR)
            self.publisher.publish(request, correlation_id=correlation, business_date=day)
        wait_quiet(self.state, self.log, _left(deadline))
        ask = ComparisonRequested(business_date=day, requested_by=ACTOR, reason="ior run")
        asked = self.publisher.publish(ask, correlation_id=correlation, business_date=day)
        return DayRun(
            day, correlation, extracts, files is not None, self.await_report(asked.event_id, deadline)
        )

    def await_report(self, request_id: str, deadline: float) -> dict[str, Any] | None:
        while True:
            answers = self.log.caused_by([request_id], (COMPLETED,))
            if answers:
                data: dict[str, Any] = answers[-1].event["detail"]["data"]
                return data
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.2)


def _left(deadline: float) -> float:
    return max(0.5, deadline - time.monotonic())

"""Driving the pipeline for business dates on a stack (deployed or local), as its schedules and
operators would: each date's extracts asked for (the window ending on it: billing by arrival, so
every line arriving on the date comes, however early it was billed; then the exchange rates from a
week before the earliest billing date that landed), the analysts' CSVs of the date uploaded when a
legacy folder holds them, both customs runs asked for once the stack is quiet (a date whose datasets
did not change since its last run is found already run), then its comparison asked for and awaited.
Every event of one date's drive shares one correlation id."""

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

from ior_tools.ops.extracts import (
    BILLING,
    LANDED,
    RATES,
    SOURCE_NAMES,
    await_outcomes,
    billing_dates,
    landed,
    rates_window,
    request_for,
)
from ior_tools.ops.quiet import wait_quiet
from ior_tools.ops.tap import Tap, caused_by
from ior_tools.ops.target import Target
from ior_tools.uploads import BundleRefusedError, sample_bundle, upload

COMPLETED = "compare.comparison.completed.v1"
ACTOR = "ior-run"


@dataclass(frozen=True)
class DayRun:
    day: date
    correlation_id: str
    extracts: dict[str, str]  # source → landed | failed | pending
    uploaded: bool
    comparison: dict[str, Any] | None  # the data of compare.comparison.completed.v1
    refused: tuple[str, ...] = ()  # why the upload check refused the date's CSVs, when it did

    @property
    def reported(self) -> bool:
        return self.comparison is not None


def legacy_files(legacy: Path | None, day: date) -> list[Path] | None:
    """The reference CSVs and the day's invoice lines, when the legacy folder has that day."""
    if legacy is None or not (legacy / day.isoformat() / "Invoice_Lines.csv").exists():
        return None
    return sample_bundle(legacy, day)


class PipelineDriver:
    """Drives dates on any stack, as the operator; watches the bus through a tap."""

    def __init__(self, stack: Target, legacy: Path | None = None, sources: list[str] | None = None) -> None:
        self.stack = stack
        self.publisher = EventPublisher(stack.client("events", operator=True), stack.outputs["bus"])
        self.s3 = stack.client("s3", operator=True)
        # What landed is read with the caller's own credentials: the operator role writes, never reads.
        self.reader = stack.client("s3")
        self.legacy = legacy
        self.sources = sources or list(SOURCE_NAMES)

    def run(self, day: date, timeout: float) -> DayRun:
        deadline = time.monotonic() + timeout
        correlation = f"ior-run-{day.isoformat()}-{uuid.uuid4().hex[:12]}"
        with Tap(self.stack) as tap:
            # The rates come second: their window depends on when the date's lines were billed.
            first = [name for name in self.sources if name != RATES]
            sent = {
                self.publisher.publish(request_for(name, day), correlation_id=correlation).event_id: name
                for name in first
            }
            outcomes = await_outcomes(tap, sent, _left(deadline))
            if RATES in self.sources:
                billing = next(
                    (e for c, e in outcomes.items() if sent[c] == BILLING and e["detail-type"] == LANDED),
                    None,
                )
                window = rates_window(day, billing_dates(self.reader, billing) if billing is not None else ())
                asked = self.publisher.publish(request_for(RATES, day, window), correlation_id=correlation)
                sent[asked.event_id] = RATES
                outcomes |= await_outcomes(tap, {asked.event_id: RATES}, _left(deadline))
            extracts = {name: "pending" for name in self.sources}
            for cause, event in outcomes.items():
                extracts[sent[cause]] = "landed" if landed(event) else "failed"
            files = legacy_files(self.legacy, day)
            refused: tuple[str, ...] = ()
            if files is not None:
                bucket = self.stack.outputs["dataBucket"]
                try:
                    upload(
                        self.s3, self.publisher, bucket, files, by=ACTOR, day=day, correlation_id=correlation
                    )
                except BundleRefusedError as refusal:
                    # Nothing was stored: the date runs on the automated path alone, and says why.
                    refused, files = tuple(p.message for p in refusal.problems), None
            wait_quiet(self.stack, tap, _left(deadline))
            modes = ["automated", "manual"] if files is not None else ["automated"]
            for mode in modes:
                request = CustomsRunRequested(
                    business_date=day, mode=mode, reason="ior run", requested_by=ACTOR
                )
                self.publisher.publish(request, correlation_id=correlation, business_date=day)
            wait_quiet(self.stack, tap, _left(deadline))
            ask = ComparisonRequested(business_date=day, requested_by=ACTOR, reason="ior run")
            asked = self.publisher.publish(ask, correlation_id=correlation, business_date=day)
            report = self.await_report(tap, asked.event_id, deadline)
        return DayRun(day, correlation, extracts, files is not None, report, refused)

    @staticmethod
    def await_report(tap: Tap, request_id: str, deadline: float) -> dict[str, Any] | None:
        answers = tap.wait(lambda seen: bool(caused_by(seen, {request_id}, (COMPLETED,))), _left(deadline))
        found = caused_by(answers, {request_id}, (COMPLETED,))
        if not found:
            return None
        data: dict[str, Any] = found[-1]["detail"]["data"]
        return data


def _left(deadline: float) -> float:
    return max(0.5, deadline - time.monotonic())

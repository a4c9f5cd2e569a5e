"""Recording a fiscal year's customs fee figures, and reading the fee table in force, on any stack:
what `ior fees` does, as the API's admin form does (both only emit the notice).

A notice goes on the bus as `fees.notice.submitted.v1`; the ingestion service keeps it and lands the
notices again, and the ETL rebuilds the table and answers (`etl.fee_table.published.v1`, or
`.confirmed.v1`) naming the notice and whether it was taken."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from ior_api.entrypoints.operations import FeeTableCoverage, PipelineRuns
from ior_contracts.bus import EventPublisher
from ior_contracts.fees import FeeNoticeSubmitted
from ior_etl.entrypoints.operations import fee_notice_problems, read_fee_table
from ior_ingestion.domain.fee_notices import submitted_notice

from ior_tools.ops.tap import Event, Tap
from ior_tools.ops.target import Target

PUBLISHED, CONFIRMED = "etl.fee_table.published.v1", "etl.fee_table.confirmed.v1"
ANSWERS = [PUBLISHED, CONFIRMED]


class NoticeRefusedError(ValueError):
    """The notice breaks a rule of the fee table on its own: it was not sent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class FeeTableUnreadableError(RuntimeError):
    """The fee table's snapshot is not what its publication announced."""


@dataclass(frozen=True)
class NoticeOutcome:
    """What became of a notice: the ETL's answer (None if none came in time) and, if the table did
    not take it, why."""

    correlation_id: str
    answer: dict[str, Any] | None
    refusal: dict[str, Any] | None

    @property
    def taken(self) -> bool:
        return self.answer is not None and self.refusal is None


def check_notice(notice: FeeNoticeSubmitted) -> None:
    """Refuse, before anything is sent, a notice the table would refuse on its own."""
    record = submitted_notice(notice, event_id="check", recorded_at=datetime.now(UTC)).record()
    problems = fee_notice_problems(record)
    if problems:
        raise NoticeRefusedError(problems)


def submit_notice(stack: Target, notice: FeeNoticeSubmitted, wait: float) -> NoticeOutcome:
    """Send the notice (as the operator) and wait up to `wait` seconds for the fee table's answer."""
    check_notice(notice)
    correlation = f"ior-fees-{notice.fiscal_year}-{uuid.uuid4().hex[:12]}"
    publisher = EventPublisher(stack.client("events", operator=True), stack.outputs["bus"])
    with Tap(stack, ANSWERS) as tap:
        sent = publisher.publish(notice, correlation_id=correlation)

        def answering(seen: list[Event]) -> list[Event]:
            return [e for e in seen if e["detail"]["metadata"]["correlation_id"] == correlation]

        answers = answering(tap.wait(lambda seen: bool(answering(seen)), wait)) if wait > 0 else []
    if not answers:
        return NoticeOutcome(correlation, None, None)
    data: dict[str, Any] = answers[-1]["detail"]["data"]
    refusal = next((r for r in data.get("rejected", []) if r.get("notice_event_id") == sent.event_id), None)
    return NoticeOutcome(correlation, data, refusal)


@dataclass(frozen=True)
class FeeTableView:
    """The fee table in force: its rows, its coverage counted from today and its refused notices."""

    version: str
    rows: pd.DataFrame
    coverage: FeeTableCoverage


def current_fee_table(stack: Target) -> FeeTableView | None:
    """The table of the last `etl.fee_table.published.v1` as the API's read models keep it, its rows
    read from its snapshot (checked by its sha256); None before the notices first land."""
    reference = PipelineRuns(stack.client, stack.table("api")).reference(datetime.now(UTC))
    if reference.fee_table is None:
        return None
    snapshot = reference.fee_table["snapshot"]
    bucket, key = snapshot["uri"].removeprefix("s3://").split("/", 1)
    body = stack.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    if hashlib.sha256(body).hexdigest() != snapshot["sha256"]:
        raise FeeTableUnreadableError(f"{snapshot['uri']} does not match its sha256")
    return FeeTableView(str(reference.fee_table["version"]), read_fee_table(body), reference.fees)

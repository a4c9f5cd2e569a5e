"""Recording a fiscal year's customs fee figures, and reading the fee table in force, on a running
stack: what `ior fees` does, as the API's admin form will (it only has to emit the same notice).

A notice goes on the bus as `fees.notice.submitted.v1`; the ingestion service keeps it and lands the
notices again, and the ETL rebuilds the table and says (`etl.fee_table.published.v1`, or
`.confirmed.v1`) whether the notice was taken. Every event of one notice shares its correlation id,
which is how the answer is found."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from ior_contracts.bus import EventPublisher
from ior_contracts.fees import FeeNoticeSubmitted
from ior_etl.entrypoints.operations import fee_notice_problems, read_fee_table
from ior_ingestion.domain.fee_notices import submitted_notice

from ior_tools.runtime.eventlog import EventLog, LoggedEvent
from ior_tools.runtime.state import StackState

PUBLISHED, CONFIRMED = "etl.fee_table.published.v1", "etl.fee_table.confirmed.v1"
ANSWERS = (PUBLISHED, CONFIRMED)


class NoticeRefusedError(ValueError):
    """The notice breaks a rule of the fee table on its own: it was not sent."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


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


def submit_notice(state: StackState, notice: FeeNoticeSubmitted, wait: float) -> NoticeOutcome:
    """Send the notice and wait up to `wait` seconds for the fee table's answer."""
    check_notice(notice)
    correlation = f"ior-fees-{notice.fiscal_year}-{uuid.uuid4().hex[:12]}"
    publisher = EventPublisher(state.aws.client("events"), state.naming.bus)
    sent = publisher.publish(notice, correlation_id=correlation)
    log = EventLog(state.event_log_path)
    deadline = time.monotonic() + wait
    while True:
        answers = [e for e in log.window() if e.detail_type in ANSWERS and _correlation(e) == correlation]
        if answers or time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    if not answers:
        return NoticeOutcome(correlation, None, None)
    data: dict[str, Any] = answers[-1].event["detail"]["data"]
    refusal = next((r for r in data.get("rejected", []) if r.get("notice_event_id") == sent.event_id), None)
    return NoticeOutcome(correlation, data, refusal)


def _correlation(event: LoggedEvent) -> str:
    return str(event.event["detail"]["metadata"]["correlation_id"])


@dataclass(frozen=True)
class FeeTableView:
    """The fee table in force: its rows, and the latest word on its coverage and refused notices."""

    version: str
    rows: pd.DataFrame
    coverage: dict[str, Any]
    rejected: list[dict[str, Any]]
    as_of: datetime


def current_fee_table(state: StackState) -> FeeTableView | None:
    """The table of the latest `etl.fee_table.published.v1`, read from its snapshot; coverage and
    refusals from the latest published or confirmed event. None before the notices first land."""
    log = EventLog(state.event_log_path)
    answers = [e for e in log.window() if e.detail_type in ANSWERS]
    published = [e for e in answers if e.detail_type == PUBLISHED]
    if not published:
        return None
    snapshot = published[-1].event["detail"]["data"]["snapshot"]
    bucket, key = snapshot["uri"].removeprefix("s3://").split("/", 1)
    body = state.aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    latest = answers[-1].event["detail"]["data"]
    return FeeTableView(
        version=latest["version"],
        rows=read_fee_table(body),
        coverage=latest["coverage"],
        rejected=latest.get("rejected", []),
        as_of=answers[-1].occurred_at,
    )

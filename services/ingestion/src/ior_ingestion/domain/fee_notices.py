"""The customs fee notices (source `CBP_FEES`): the figures CBP publishes for each fiscal year, as
the product ships them (`data/fee_notices.json`, each with its Federal Register citation) and as
admins record them (`fees.notice.submitted.v1`).

They land together as one extract, one JSON object per line: the shipped notices by start date,
then the recorded ones in the order they were recorded. The extract only gathers them; whether a
notice fits the fee table (no gap, no overlap, amounts and rates in bounds) is the ETL's to decide.
No fiscal year's figures are ever made up here: a year nobody cited is a year without a row."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from typing import Any

from ior_contracts.fees import FeeNoticeSubmitted

SOURCE = "CBP_FEES"
SCHEMA_VERSION = "CBP_FEES/1"
SHIPPED = "shipped"


@dataclass(frozen=True)
class FeeNotice:
    """One notice's figures for the days it applies (inclusive), with who recorded it and when
    (`shipped` and no time for the figures the product ships)."""

    fiscal_year: int
    effective_from: date
    effective_to: date
    mpf_rate: str
    mpf_minimum: str
    mpf_maximum: str
    hmf_rate: str
    citation: str
    recorded_by: str = SHIPPED
    recorded_at: str = ""
    event_id: str = ""

    def record(self) -> dict[str, Any]:
        """The notice as a line of the extract."""
        fields = asdict(self)
        fields["effective_from"] = self.effective_from.isoformat()
        fields["effective_to"] = self.effective_to.isoformat()
        return fields


def notice_from_record(row: Mapping[str, Any]) -> FeeNotice:
    """A notice from a line of the extract (or the shipped file, whose lines name no recorder)."""
    return FeeNotice(
        fiscal_year=int(row["fiscal_year"]),
        effective_from=date.fromisoformat(row["effective_from"]),
        effective_to=date.fromisoformat(row["effective_to"]),
        mpf_rate=str(row["mpf_rate"]),
        mpf_minimum=str(row["mpf_minimum"]),
        mpf_maximum=str(row["mpf_maximum"]),
        hmf_rate=str(row["hmf_rate"]),
        citation=str(row["citation"]),
        recorded_by=str(row.get("recorded_by", SHIPPED)),
        recorded_at=str(row.get("recorded_at", "")),
        event_id=str(row.get("event_id", "")),
    )


@cache
def shipped_notices() -> tuple[FeeNotice, ...]:
    """The fiscal years the product ships, each as cited, by start date."""
    text = resources.files("ior_ingestion.domain").joinpath("data/fee_notices.json").read_text("utf-8")
    return tuple(
        sorted((notice_from_record(row) for row in json.loads(text)), key=lambda n: n.effective_from)
    )


def submitted_notice(message: FeeNoticeSubmitted, *, event_id: str, recorded_at: datetime) -> FeeNotice:
    """An admin's notice as the service records it; the time is fixed-width UTC text, so recorded
    notices sort as they were recorded."""
    start, end = message.period
    return FeeNotice(
        fiscal_year=message.fiscal_year,
        effective_from=start,
        effective_to=end,
        mpf_rate=message.mpf_rate,
        mpf_minimum=message.mpf_minimum,
        mpf_maximum=message.mpf_maximum,
        hmf_rate=message.hmf_rate,
        citation=message.citation,
        recorded_by=message.submitted_by,
        recorded_at=recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        event_id=event_id,
    )


def landing_order(recorded: Iterable[FeeNotice]) -> list[FeeNotice]:
    """What an extract holds: the shipped notices, then the recorded ones, oldest first."""
    return [*shipped_notices(), *sorted(recorded, key=lambda n: (n.recorded_at, n.event_id))]

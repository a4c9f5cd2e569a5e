"""What the customs service keeps about the world: the dataset versions it was told of, the held
datasets, its runs and each date's current run. Plain data; the adapters store it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ior_contracts.claims import ClaimCheck


def stamp(moment: datetime) -> str:
    """A fixed-width UTC time stamp: as text, stamps sort as the moments do."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class DatasetVersion:
    """One published version of a dataset for one mode, as its `etl.dataset.published.v1` said."""

    dataset: str
    mode: str
    version: str
    snapshot: ClaimCheck
    published_at: str
    business_dates: tuple[date, ...] | None = None
    """For transactions: the arrival dates the version has lines for."""

    def covers(self, day: date) -> bool:
        return self.business_dates is None or day in self.business_dates


@dataclass(frozen=True)
class HeldDataset:
    """The latest ETL run of a dataset that was held: its last good version stays current."""

    dataset: str
    mode: str
    run_id: str
    held_at: str
    detail: str


@dataclass(frozen=True)
class Trigger:
    """The event that asked for a run, kept in the run's record and report."""

    event_id: str
    detail_type: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"event_id": self.event_id, "detail_type": self.detail_type, "reason": self.reason}


@dataclass(frozen=True)
class CurrentRun:
    """A date's current (official) run for one mode, with what a correction compares against."""

    run_id: str
    run_key: str
    inputs_at: str
    """The run's input stamps, newest first: a run with newer inputs sorts after."""
    lines: ClaimCheck
    inputs: Mapping[str, str]
    code_version: str
    config_version: str
    previous_run: str | None = None


@dataclass(frozen=True)
class StoredEvent:
    """An event a run announces, kept with the run until it has been published."""

    detail_type: str
    event_id: str
    business_date: date
    data: Mapping[str, Any]


@dataclass(frozen=True)
class RunClaim:
    """The outcome of claiming a run key: won, or the run already there."""

    won: bool
    status: str = ""
    announced: bool = False
    events: tuple[StoredEvent, ...] = field(default_factory=tuple)

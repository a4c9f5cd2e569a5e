"""What the ETL keeps in its table, as plain data: the extracts landed, each dataset's current
version per mode, the runs made, and the rows waiting for master data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from ior_contracts.claims import ClaimCheck
from ior_contracts.vocabulary import Mode

RunStatus = Literal["published", "held", "superseded"]


def instant(moment: datetime) -> str:
    """An aware datetime as fixed-width UTC text, so instants sort as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class LandedExtract:
    """One landed extract's claim check, with the window it covers and when it landed."""

    source: str
    claim: ClaimCheck
    window_from: date
    window_to: date
    landed_at: str  # `instant` text
    run_id: str

    @property
    def order(self) -> tuple[str, str]:
        """Landing order: newer extracts come later (ties broken by checksum, to stay total)."""
        return (self.landed_at, self.claim.sha256)


@dataclass(frozen=True)
class Input:
    """One object a run read, verified against its checksum, and when it arrived."""

    name: str
    uri: str
    sha256: str
    at: str  # `instant` text


@dataclass(frozen=True)
class CurrentVersion:
    dataset: str
    mode: Mode
    version: str
    as_of: str  # the newest arrival among the version's inputs
    run_id: str
    snapshot: ClaimCheck
    manifest_uri: str


@dataclass(frozen=True)
class RunRecord:
    dataset: str
    mode: Mode
    run_id: str
    status: RunStatus
    as_of: str
    total_rows: int
    rejected_rows: int
    reevaluable_rows: int
    version: str | None = None
    quarantine_uri: str | None = None
    rule: str | None = None
    cause: str = ""


@dataclass(frozen=True)
class PendingRows:
    """Rows of a dataset's latest run rejected only for master data that has not arrived yet."""

    dataset: str
    mode: Mode
    run_id: str
    rows: int
    quarantine_uri: str | None
    sources: tuple[str, ...]

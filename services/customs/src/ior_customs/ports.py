"""What the customs service's logic needs from the world: small ports that the adapters implement
against AWS (tests may pass fakes), the dependencies a handler gets, and the plain values and errors
that cross the ports: the dataset versions the service was told of, its runs, their keys and the
events they keep until announced."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any, Protocol

import pandas as pd
from ior_contracts.claims import ClaimCheck

from ior_customs.config import CustomsConfig
from ior_customs.domain.line_columns import GzipMember


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


KEY_LENGTH = 24


@dataclass(frozen=True)
class RunKey:
    """What makes a run's output: the same key gives byte-identical lines and the same run id."""

    business_date: date
    mode: str
    inputs: Mapping[str, str]
    """Dataset → the version the run reads."""
    code_version: str
    config_version: str

    @cached_property
    def digest(self) -> str:
        canonical = {
            "business_date": self.business_date.isoformat(),
            "mode": self.mode,
            "inputs": dict(sorted(self.inputs.items())),
            "code_version": self.code_version,
            "config_version": self.config_version,
        }
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:KEY_LENGTH]

    @property
    def run_id(self) -> str:
        return f"cus-{self.business_date:%Y%m%d}-{self.mode}-{self.digest}"


@dataclass(frozen=True)
class ProposedCorrection:
    """The latest correction candidate proposed for a closed date: a later candidate that would
    report the same is not proposed again."""

    run_id: str
    lines: ClaimCheck


class SnapshotError(Exception):
    """A snapshot could not be used; the run falls back to an earlier version."""

    reason = "unreadable"


class ChecksumMismatchError(SnapshotError):
    """The object's bytes are not those its claim check names."""

    reason = "checksum_mismatch"


class UnreadableSnapshotError(SnapshotError):
    """The object is missing, or is not a gzip CSV with the dataset's header."""


class CataloguePort(Protocol):
    """The dataset versions announced to this service."""

    def record_published(self, version: DatasetVersion) -> None: ...
    def record_held(self, held: HeldDataset) -> None: ...
    def current(self, dataset: str, mode: str) -> DatasetVersion | None: ...
    def transactions_for(self, mode: str, day: date) -> DatasetVersion | None: ...
    def held(self, dataset: str, mode: str) -> HeldDataset | None: ...
    def history(self, dataset: str, mode: str) -> Iterable[DatasetVersion]: ...
    def dates(self, mode: str, since: date) -> list[date]: ...


class SnapshotsPort(Protocol):
    def load(self, dataset: str, snapshot: ClaimCheck) -> pd.DataFrame:
        """The verified rows as text cells; raises a SnapshotError when they cannot be used."""
        ...


class LedgerPort(Protocol):
    """Runs and each date's current run."""

    def claim(self, key: RunKey, trigger: Trigger, *, now: int, lease_s: int) -> RunClaim: ...
    def finish(
        self, key: RunKey, status: str, details: Mapping[str, Any], events: Sequence[StoredEvent]
    ) -> None: ...
    def announced(self, key: RunKey) -> None: ...
    def current(self, mode: str, day: date) -> CurrentRun | None: ...
    def make_current(self, mode: str, day: date, run: CurrentRun, expected: str | None) -> bool: ...
    def proposed(self, mode: str, day: date) -> ProposedCorrection | None: ...
    def record_proposed(self, mode: str, day: date, proposed: ProposedCorrection) -> None: ...


class OutputsPort(Protocol):
    """The service's own objects: published outputs and audit reports."""

    def publish(
        self,
        kind: str,
        key: RunKey,
        chunks: Iterable[bytes],
        rows: int,
        schema_version: str,
        members: list[GzipMember] | None = None,
    ) -> ClaimCheck:
        """The object stored, gzip-compressed as members cut between chunks; the members written are
        added to `members`, when given (where the lines' entries are in its bytes)."""
        ...

    def text(self, claim: ClaimCheck) -> Iterator[bytes]:
        """An object this service published, its text a piece at a time (never all of it at once)."""
        ...

    def report_uris(self, key: RunKey) -> tuple[str, str]: ...
    def write_report(self, key: RunKey, report_json_gzip: bytes, report_html: bytes) -> None: ...


@dataclass
class Deps:
    """What every handler gets, wired once per cold start (`bootstrap.wire`)."""

    config: CustomsConfig
    catalogue: CataloguePort
    snapshots: SnapshotsPort
    ledger: LedgerPort
    outputs: OutputsPort
    code_version: str
    clock: Callable[[], datetime]

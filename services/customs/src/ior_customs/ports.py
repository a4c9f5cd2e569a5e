"""What the customs service's logic needs from the world, as small ports, and the dependencies a
handler gets. The adapters implement them against AWS; tests may pass fakes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import pandas as pd
from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event

from ior_customs.config import CustomsConfig
from ior_customs.domain import FeeTable
from ior_customs.records import CurrentRun, DatasetVersion, HeldDataset, RunClaim, StoredEvent, Trigger
from ior_customs.runkey import RunKey


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
    def fail(self, key: RunKey, error: str) -> None: ...
    def finish(
        self, key: RunKey, status: str, details: Mapping[str, Any], events: Sequence[StoredEvent]
    ) -> None: ...
    def announced(self, key: RunKey) -> None: ...
    def current(self, mode: str, day: date) -> CurrentRun | None: ...
    def make_current(self, mode: str, day: date, run: CurrentRun, expected: str | None) -> bool: ...


class OutputsPort(Protocol):
    """The service's own objects: published outputs and audit reports."""

    def publish(self, kind: str, key: RunKey, body: bytes, rows: int, schema_version: str) -> ClaimCheck: ...
    def read(self, claim: ClaimCheck) -> bytes: ...
    def report_uris(self, key: RunKey) -> tuple[str, str]: ...
    def write_report(self, key: RunKey, report_json: bytes, report_html: bytes) -> None: ...


@dataclass(frozen=True)
class Outgoing:
    """An event to announce, with the id derived from the run key and the date it concerns."""

    event: Event
    event_id: str
    business_date: date


Publish = Callable[[Outgoing], None]


@dataclass
class Deps:
    config: CustomsConfig
    catalogue: CataloguePort
    snapshots: SnapshotsPort
    ledger: LedgerPort
    outputs: OutputsPort
    fees: FeeTable
    code_version: str
    clock: Callable[[], datetime]

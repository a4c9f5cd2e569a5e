"""What the compare service's handlers need from the outside, as small ports, the values that cross
them, and the bundle of them the bootstrap wires once per cold start. Tests may hand in fakes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from ior_contracts.calendar import BusinessCalendar
from ior_contracts.claims import ClaimCheck

from ior_compare.config import CompareConfig
from ior_compare.domain.cutover import StateChange
from ior_compare.domain.designation import OfficialRun
from ior_compare.domain.explanation import CitedDocument, RunDocument
from ior_compare.domain.inputs import DatasetSnapshot
from ior_compare.domain.records import (
    ComparisonKey,
    ComparisonRecord,
    DayState,
    GateRequest,
    KeyRecords,
    Refusal,
    RunRecord,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class StoredDesignation:
    """The official run last announced for a date, what caused it, and its version (the guard
    against concurrent writers)."""

    official: OfficialRun
    cause: str
    version: int


class LinesShapeError(ValueError):
    """A run's published lines do not have the shape the comparison reads."""


@dataclass(frozen=True)
class RunFrames:
    """One run's lines and entries in the comparison's frame contract."""

    lines: pd.DataFrame
    entries: pd.DataFrame
    document: CitedDocument = field(default_factory=RunDocument)
    """The run's lines document (lineage, sources, duties): what an explanation cites."""


@dataclass(frozen=True)
class StoredObject:
    """An object the compare service wrote: where, its SHA-256 and its size in bytes."""

    uri: str
    sha256: str
    size: int


class LedgerPort(Protocol):
    def record_run(self, run: RunRecord) -> bool: ...
    def advance_latest(self, run: RunRecord) -> bool: ...
    def day(self, business_date: date) -> DayState: ...
    def days(self, start: date | None = None, end: date | None = None) -> list[DayState]: ...
    def set_day_comparison(self, record: ComparisonRecord) -> bool: ...
    def comparison(self, key: ComparisonKey) -> ComparisonRecord | None: ...
    def records_of(self, key: ComparisonKey) -> KeyRecords: ...
    def put_comparison(self, record: ComparisonRecord) -> bool: ...
    def claim_comparison_id(self, comparison_id: str, key: ComparisonKey) -> bool: ...


class GatePort(Protocol):
    def changes(self) -> list[StateChange]: ...
    def apply(self, change: StateChange, seq: int, event_id: str) -> bool: ...
    def request(self, request_id: str) -> GateRequest | None: ...
    def finish(self, request_id: str) -> None: ...
    def refuse(self, refusal: Refusal) -> bool: ...
    def designation(self, business_date: date) -> StoredDesignation | None: ...
    def put_designation(self, official: OfficialRun, *, cause: str, version: int) -> bool: ...


class ObjectsPort(Protocol):
    def read(self, claim: ClaimCheck) -> bytes: ...
    def read_range(self, claim: ClaimCheck, start: int, end: int) -> bytes:
        """Bytes `[start, end)` of the object, unchecked: a claim's SHA-256 covers only the whole."""
        ...

    def put_audit(
        self, name: str, body: bytes, content_type: str, *, content_encoding: str | None = None
    ) -> StoredObject: ...
    def put_published(self, name: str, body: bytes, content_type: str) -> StoredObject: ...


class DatasetUnavailableError(LookupError):
    """A dataset version a run names cannot be read (absent, refused, or not what its manifest says)."""


class DatasetsPort(Protocol):
    def load(self, dataset: str, mode: str, version: str) -> DatasetSnapshot: ...


class LinesPort(Protocol):
    def load_all(self, runs: Sequence[RunRecord]) -> list[RunFrames]: ...


class AnnouncementsPort(Protocol):
    def sent(self, event_ids: Sequence[str]) -> set[str]: ...
    def mark(self, announced: Sequence[tuple[str, str]], at: datetime) -> None: ...


@dataclass
class Deps:
    config: CompareConfig
    ledger: LedgerPort
    gate: GatePort
    objects: ObjectsPort
    lines: LinesPort
    datasets: DatasetsPort
    announcements: AnnouncementsPort
    calendar: BusinessCalendar
    clock: Callable[[], datetime]

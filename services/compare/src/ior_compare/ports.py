"""What the compare service's handlers need from the outside, as small ports, and the bundle of
them the bootstrap wires once per cold start. Tests may hand in fakes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event

from ior_compare.adapters.gate_store import StoredDesignation
from ior_compare.adapters.lines import RunFrames
from ior_compare.adapters.objects import StoredObject
from ior_compare.config import CompareConfig
from ior_compare.domain.business_days import BusinessCalendar
from ior_compare.domain.cutover import StateChange
from ior_compare.domain.designation import OfficialRun
from ior_compare.records import ComparisonKey, ComparisonRecord, DayState, GateRequest, Refusal, RunRecord


class Publish(Protocol):
    """Puts one event on the bus as an answer to the message being handled."""

    def __call__(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> object: ...


class LedgerPort(Protocol):
    def record_run(self, run: RunRecord) -> bool: ...
    def run(self, business_date: date, mode: str, run_id: str) -> RunRecord | None: ...
    def advance_latest(self, run: RunRecord) -> bool: ...
    def day(self, business_date: date) -> DayState: ...
    def days(self, start: date | None = None, end: date | None = None) -> list[DayState]: ...
    def set_day_comparison(self, record: ComparisonRecord) -> bool: ...
    def comparison(self, key: ComparisonKey) -> ComparisonRecord | None: ...
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
    def put_audit(self, name: str, body: bytes, content_type: str) -> StoredObject: ...
    def put_published(self, name: str, body: bytes, content_type: str) -> StoredObject: ...


class LinesPort(Protocol):
    def load(self, run: RunRecord) -> RunFrames: ...


class AnnouncementsPort(Protocol):
    def done(self, event_id: str) -> bool: ...
    def mark(self, event_id: str, detail_type: str, at: datetime) -> None: ...


@dataclass
class Deps:
    config: CompareConfig
    ledger: LedgerPort
    gate: GatePort
    objects: ObjectsPort
    lines: LinesPort
    announcements: AnnouncementsPort
    calendar: BusinessCalendar
    clock: Callable[[], datetime]


def announce(
    deps: Deps, publish: Publish, event: Event, *, event_id: str, business_date: date | None
) -> bool:
    """Publish `event` under `event_id` unless it was announced before; True when sent now.
    Published first, then marked: a crash in between re-sends the same id, which consumers drop."""
    if deps.announcements.done(event_id):
        return False
    publish(event, business_date=business_date, event_id=event_id)
    deps.announcements.mark(event_id, type(event).DETAIL_TYPE, deps.clock())
    return True

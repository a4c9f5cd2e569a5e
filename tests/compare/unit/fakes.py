"""In-memory fakes of the compare service's ports, for its service layer without AWS: the gate, the
dates it counts, the audit objects and the announcements, and a publisher that keeps what it sent."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from ior_compare.config import CompareConfig
from ior_compare.domain.cutover import StateChange
from ior_compare.domain.designation import OfficialRun
from ior_compare.domain.inputs import DatasetSnapshot
from ior_compare.domain.records import (
    ComparisonKey,
    ComparisonRecord,
    CurrentComparison,
    DayState,
    GateRequest,
    KeyRecords,
    LatestRun,
    Refusal,
    RunRecord,
)
from ior_compare.ports import DatasetUnavailableError, Deps, RunFrames, StoredDesignation, StoredObject
from ior_contracts.calendar import BusinessCalendar
from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event

NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)


def passed_day(business_date: date) -> DayState:
    """A date whose manual and automated runs had transactions and compared equal."""
    runs = (LatestRun("m1", NOW, True), LatestRun("a1", NOW, True))
    comparison = CurrentComparison(f"cmp-{business_date}", True, "m1", "a1", "v1", {}, NOW)
    return DayState(business_date, *runs, comparison)


@dataclass
class FakeLedger:
    """The recorded dates; only what the gate reads of them."""

    dates: dict[date, DayState] = field(default_factory=dict)

    def day(self, business_date: date) -> DayState:
        return self.dates.get(business_date, DayState(business_date))

    def days(self, start: date | None = None, end: date | None = None) -> list[DayState]:
        return [
            self.dates[day]
            for day in sorted(self.dates)
            if (start is None or day >= start) and (end is None or day <= end)
        ]

    def record_run(self, run: RunRecord) -> bool:
        raise NotImplementedError

    def advance_latest(self, run: RunRecord) -> bool:
        raise NotImplementedError

    def set_day_comparison(self, record: ComparisonRecord) -> bool:
        raise NotImplementedError

    def comparison(self, key: ComparisonKey) -> ComparisonRecord | None:
        raise NotImplementedError

    def records_of(self, key: ComparisonKey) -> KeyRecords:
        raise NotImplementedError

    def put_comparison(self, record: ComparisonRecord) -> bool:
        raise NotImplementedError

    def claim_comparison_id(self, comparison_id: str, key: ComparisonKey) -> bool:
        raise NotImplementedError


@dataclass
class FakeGate:
    """The gate's changes, its answers by request id and each date's designation, with the same
    guards as the table: a change is the next in sequence, a request is answered once, a
    designation is the next version."""

    applied: list[StateChange] = field(default_factory=list)
    answers: dict[str, GateRequest] = field(default_factory=dict)
    designations: dict[date, StoredDesignation] = field(default_factory=dict)

    def changes(self) -> list[StateChange]:
        return list(self.applied)

    def apply(self, change: StateChange, seq: int, event_id: str) -> bool:
        if seq != len(self.applied) + 1 or change.request_id in self.answers:
            return False
        self.applied.append(change)
        self.answers[change.request_id] = GateRequest(
            change.request_id, "applied", change.change_id, done=False
        )
        return True

    def request(self, request_id: str) -> GateRequest | None:
        return self.answers.get(request_id)

    def finish(self, request_id: str) -> None:
        self.answers[request_id] = replace(self.answers[request_id], done=True)

    def refuse(self, refusal: Refusal) -> bool:
        if refusal.request_id in self.answers:
            return False
        self.answers[refusal.request_id] = GateRequest(refusal.request_id, "refused", refusal=refusal)
        return True

    def designation(self, business_date: date) -> StoredDesignation | None:
        return self.designations.get(business_date)

    def put_designation(self, official: OfficialRun, *, cause: str, version: int) -> bool:
        stored = self.designations.get(official.business_date)
        if version != (stored.version + 1 if stored else 1):
            return False
        self.designations[official.business_date] = StoredDesignation(official, cause, version)
        return True


@dataclass
class FakeObjects:
    """The audit objects written, by name."""

    audit: dict[str, bytes] = field(default_factory=dict)

    def read(self, claim: ClaimCheck) -> bytes:
        raise NotImplementedError

    def read_range(self, claim: ClaimCheck, start: int, end: int) -> bytes:
        raise NotImplementedError

    def put_audit(
        self, name: str, body: bytes, content_type: str, *, content_encoding: str | None = None
    ) -> StoredObject:
        self.audit[name] = body
        return StoredObject(f"s3://audit/compare/{name}", hashlib.sha256(body).hexdigest(), len(body))

    def put_published(self, name: str, body: bytes, content_type: str) -> StoredObject:
        raise NotImplementedError


class FakeLines:
    def load(self, run: RunRecord) -> RunFrames:
        raise NotImplementedError


@dataclass
@dataclass
class FakeDatasets:
    """Published dataset versions by (dataset, mode, version); any other is unavailable."""

    versions: dict[tuple[str, str, str], DatasetSnapshot] = field(default_factory=dict)

    def load(self, dataset: str, mode: str, version: str) -> DatasetSnapshot:
        found = self.versions.get((dataset, mode, version))
        if found is None:
            raise DatasetUnavailableError(f"{dataset} {mode} {version} is not published")
        return found


@dataclass
class FakeAnnouncements:
    announced: set[str] = field(default_factory=set)

    def sent(self, event_ids: Sequence[str]) -> set[str]:
        return self.announced & set(event_ids)

    def mark(self, announced: Sequence[tuple[str, str]], at: datetime) -> None:
        self.announced.update(event_id for event_id, _ in announced)


@dataclass
class Published:
    """A publisher that keeps every event it was handed."""

    events: list[tuple[Event, str | None]] = field(default_factory=list)

    def __call__(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> object:
        self.events.append((event, event_id))
        return None

    def of(self, detail_type: str) -> list[dict[str, Any]]:
        return [event.model_dump(mode="json") for event, _ in self.events if detail_type == event.DETAIL_TYPE]


def fake_deps(*days: DayState, required_streak: int = 3) -> Deps:
    return Deps(
        config=CompareConfig(required_streak=required_streak),
        ledger=FakeLedger({day.business_date: day for day in days}),
        gate=FakeGate(),
        objects=FakeObjects(),
        lines=FakeLines(),
        datasets=FakeDatasets(),
        announcements=FakeAnnouncements(),
        calendar=BusinessCalendar(),
        clock=lambda: NOW,
    )

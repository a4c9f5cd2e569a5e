"""In-memory fakes of the customs ports, so the service layer runs without AWS: a catalogue, the
snapshots as frames, a ledger with the real one's claim and compare-and-set rules, and outputs kept
in a dictionary. `Service` wires them and collects what the handlers publish."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
from ior_contracts.claims import ClaimCheck
from ior_contracts.customs_report import CustomsRunReport
from ior_contracts.datasets import schema_of
from ior_contracts.envelope import Event
from ior_customs.config import CustomsConfig
from ior_customs.domain.line_columns import GzipMember
from ior_customs.ports import (
    CurrentRun,
    DatasetVersion,
    Deps,
    HeldDataset,
    ProposedCorrection,
    RunClaim,
    RunKey,
    StoredEvent,
    Trigger,
    UnreadableSnapshotError,
)
from ior_customs.service_layer import handlers
from ior_customs.service_layer.runs import RunOutcome

from tests.customs.builders import FEES, REFERENCE, fee_table_published, metadata, published, snapshot_bytes

TRANSACTIONS = "transactions"


class FakeCatalogue:
    def __init__(self) -> None:
        self.versions: list[DatasetVersion] = []
        self.holds: dict[tuple[str, str], HeldDataset] = {}

    def record_published(self, version: DatasetVersion) -> None:
        self.versions.append(version)

    def record_held(self, held: HeldDataset) -> None:
        self.holds[held.dataset, held.mode] = held

    def history(self, dataset: str, mode: str) -> Iterator[DatasetVersion]:
        mine = [v for v in self.versions if (v.dataset, v.mode) == (dataset, mode)]
        return iter(sorted(mine, key=lambda v: v.published_at, reverse=True))

    def current(self, dataset: str, mode: str) -> DatasetVersion | None:
        return next(self.history(dataset, mode), None)

    def transactions_for(self, mode: str, day: date) -> DatasetVersion | None:
        # Only versions that list the day: one announced without dates is no day's transactions.
        return next((v for v in self.history(TRANSACTIONS, mode) if day in (v.business_dates or ())), None)

    def held(self, dataset: str, mode: str) -> HeldDataset | None:
        return self.holds.get((dataset, mode))

    def dates(self, mode: str, since: date) -> list[date]:
        days = {d for v in self.history(TRANSACTIONS, mode) for d in v.business_dates or () if d >= since}
        return sorted(days)


class FakeSnapshots:
    def __init__(self) -> None:
        self.frames: dict[str, pd.DataFrame] = {}

    def add(self, snapshot: ClaimCheck, dataset: str, rows: Sequence[Mapping[str, str]]) -> None:
        names = list(schema_of(dataset).names)
        self.frames[snapshot.uri] = pd.DataFrame(
            [[row.get(name, "") for name in names] for row in rows], columns=names, dtype=str
        )

    def load(self, dataset: str, snapshot: ClaimCheck) -> pd.DataFrame:
        if snapshot.uri not in self.frames:
            raise UnreadableSnapshotError(f"{snapshot.uri} does not exist")
        return self.frames[snapshot.uri]


@dataclass
class FakeLedger:
    runs: dict[tuple[str, date, str], dict[str, Any]] = field(default_factory=dict)
    currents: dict[tuple[str, date], CurrentRun] = field(default_factory=dict)
    proposals: dict[tuple[str, date], ProposedCorrection] = field(default_factory=dict)

    @staticmethod
    def _key(key: RunKey) -> tuple[str, date, str]:
        return key.mode, key.business_date, key.digest

    def claim(self, key: RunKey, trigger: Trigger, *, now: int, lease_s: int) -> RunClaim:
        run = self.runs.get(self._key(key))
        lapsed = run is not None and run["status"] == "running" and run["lease_until"] < now
        if run is None or lapsed:
            self.runs[self._key(key)] = {"status": "running", "lease_until": now + lease_s}
            return RunClaim(won=True, status="running")
        return RunClaim(False, run["status"], run.get("announced", False), tuple(run.get("events", ())))

    def finish(
        self, key: RunKey, status: str, details: Mapping[str, Any], events: Sequence[StoredEvent]
    ) -> None:
        self.runs[self._key(key)].update(details, status=status, events=tuple(events), announced=False)

    def announced(self, key: RunKey) -> None:
        self.runs[self._key(key)]["announced"] = True

    def current(self, mode: str, day: date) -> CurrentRun | None:
        return self.currents.get((mode, day))

    def make_current(self, mode: str, day: date, run: CurrentRun, expected: str | None) -> bool:
        current = self.currents.get((mode, day))
        if (None if current is None else current.run_id) != expected:
            return False
        self.currents[mode, day] = run
        return True

    def proposed(self, mode: str, day: date) -> ProposedCorrection | None:
        return self.proposals.get((mode, day))

    def record_proposed(self, mode: str, day: date, proposed: ProposedCorrection) -> None:
        self.proposals[mode, day] = proposed


@dataclass
class FakeOutputs:
    objects: dict[str, bytes] = field(default_factory=dict)

    def publish(
        self,
        kind: str,
        key: RunKey,
        chunks: Iterable[bytes],
        rows: int,
        schema_version: str,
        members: list[GzipMember] | None = None,
    ) -> ClaimCheck:
        body = b"".join(chunks)
        if members is not None:
            # Stored as its text: one "member" whose bytes are its text.
            members.append(GzipMember(0, len(body), 0, len(body)))
        uri = f"s3://memory/customs/{kind}/{key.digest}"
        self.objects.setdefault(uri, body)
        return ClaimCheck(
            uri=uri, sha256=hashlib.sha256(body).hexdigest(), row_count=rows, schema_version=schema_version
        )

    def text(self, claim: ClaimCheck) -> Iterator[bytes]:
        # Stored as its text; given in two pieces, as a reader of pieces must take it.
        body = self.objects[claim.uri]
        return iter((body[: len(body) // 2], body[len(body) // 2 :]))

    def report_uris(self, key: RunKey) -> tuple[str, str]:
        return f"s3://memory/reports/{key.run_id}.json", f"s3://memory/reports/{key.run_id}.html"

    def write_report(self, key: RunKey, report_json_gzip: bytes, report_html: bytes) -> None:
        # Every report a test's run writes is held to the contract the API describes it by.
        CustomsRunReport.model_validate_json(gzip.decompress(report_json_gzip))
        uris = self.report_uris(key)
        self.objects.setdefault(uris[0], report_json_gzip)
        self.objects.setdefault(uris[1], report_html)


@dataclass(frozen=True)
class Published:
    event: Event
    event_id: str | None
    business_date: date | None


@dataclass
class Service:
    """The customs handlers over the fakes, at a fixed time; `sent` is what they published."""

    now: datetime = datetime(2026, 3, 17, 6, 0, tzinfo=UTC)
    catalogue: FakeCatalogue = field(default_factory=FakeCatalogue)
    snapshots: FakeSnapshots = field(default_factory=FakeSnapshots)
    ledger: FakeLedger = field(default_factory=FakeLedger)
    outputs: FakeOutputs = field(default_factory=FakeOutputs)
    sent: list[Published] = field(default_factory=list)

    @property
    def deps(self) -> Deps:
        return Deps(
            config=CustomsConfig(),
            catalogue=self.catalogue,
            snapshots=self.snapshots,
            ledger=self.ledger,
            outputs=self.outputs,
            code_version="code-1",
            clock=lambda: self.now,
        )

    def publish(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> None:
        self.sent.append(Published(event, event_id, business_date))

    def announce(
        self, dataset: str, rows: Sequence[Mapping[str, str]], business_dates: list[date] | None = None
    ) -> list[RunOutcome]:
        """A version of `dataset` published by the ETL and announced to the service."""
        event, _ = published(
            dataset, snapshot_bytes(dataset, rows), "memory", rows=len(rows), business_dates=business_dates
        )
        self.snapshots.add(event.snapshot, dataset, rows)
        # A second apart, so that versions are published in the order they are announced.
        self.now += timedelta(seconds=1)
        cause = metadata(type(event), self.now)
        return handlers.dataset_published(event, cause=cause, deps=self.deps, publish=self.publish)

    def announce_fees(self, rows: Sequence[Mapping[str, str]] = FEES) -> list[RunOutcome]:
        """A fee table published by the ETL and announced to the service."""
        event, _ = fee_table_published(snapshot_bytes("fee-table", rows), "memory", rows=len(rows))
        self.snapshots.add(event.snapshot, "fee-table", rows)
        self.now += timedelta(seconds=1)
        cause = metadata(type(event), self.now)
        return handlers.fee_table_published(event, cause=cause, deps=self.deps, publish=self.publish)

    def announce_reference(self) -> None:
        self.announce_fees()
        for dataset, rows in REFERENCE.items():
            self.announce(dataset, rows)

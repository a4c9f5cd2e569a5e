"""In-memory stand-ins for the ETL's table, objects and bus, for the service layer on its own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from ior_contracts.envelope import Event
from ior_contracts.vocabulary import Mode
from ior_etl.ports import CurrentVersion, LandedExtract, PendingRows, Pointer, RunRecord


@dataclass
class FakeCatalog:
    landed: dict[str, list[LandedExtract]] = field(default_factory=dict)
    currents: dict[tuple[str, str], CurrentVersion] = field(default_factory=dict)
    runs: dict[str, RunRecord] = field(default_factory=dict)
    pendings: dict[tuple[str, str], PendingRows] = field(default_factory=dict)

    def record_extract(self, extract: LandedExtract) -> None:
        self.landed.setdefault(extract.source, []).append(extract)

    def extracts(self, source: str) -> list[LandedExtract]:
        return sorted(self.landed.get(source, []), key=lambda e: e.order)

    def current(self, dataset: str, mode: Mode) -> CurrentVersion | None:
        return self.currents.get((dataset, mode))

    def make_current(self, version: CurrentVersion) -> Pointer:
        old = self.currents.get((version.dataset, version.mode))
        if old is not None and old.as_of > version.as_of:
            return "stale"
        self.currents[(version.dataset, version.mode)] = version
        return "already" if old is not None and old.version == version.version else "made"

    def run(self, dataset: str, mode: Mode, run_id: str) -> RunRecord | None:
        return self.runs.get(run_id)

    def record_run(self, run: RunRecord) -> None:
        self.runs[run.run_id] = run

    def record_pending(self, pending: PendingRows) -> None:
        self.pendings[(pending.dataset, pending.mode)] = pending

    def pending(self, dataset: str, mode: Mode) -> PendingRows | None:
        return self.pendings.get((dataset, mode))


@dataclass
class FakeObjects:
    stored: dict[str, bytes] = field(default_factory=dict)

    def read(self, uri: str, sha256: str) -> bytes:
        body = self.stored[uri]
        assert hashlib.sha256(body).hexdigest() == sha256
        return body

    def _put(self, key: str, body: bytes) -> str:
        uri = f"s3://data/{key}"
        self.stored.setdefault(uri, body)
        return uri

    def put_version(
        self, dataset: str, mode: Mode, version: str, data: bytes, manifest: bytes, *, origins: bytes | None
    ) -> tuple[str, str]:
        base = f"etl/published/{dataset}/{mode}/{version}"
        if origins is not None:
            self._put(f"{base}/origins.csv.gz", origins)
        return self._put(f"{base}/data.csv.gz", data), self._put(f"{base}/manifest.json", manifest)

    def put_quarantine(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str:
        return self._put(f"etl/quarantine/{dataset}/{mode}/{run_id}/rejected.jsonl.gz", body)

    def put_audit(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str:
        uri = f"s3://audit/etl/runs/{dataset}/{mode}/{run_id}.json"
        self.stored[uri] = body
        return uri


@dataclass(frozen=True)
class Sent:
    """One event put on the bus, with the id and business date it was put under."""

    event: Event
    event_id: str | None
    business_date: date | None


@dataclass
class FakeBus:
    """A publisher (`ior_contracts.consumer.Publish`) that keeps what it is given."""

    sent: list[Sent] = field(default_factory=list)

    def __call__(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> None:
        self.sent.append(Sent(event, event_id, business_date))

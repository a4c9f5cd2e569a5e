"""One sample day's customs inputs for the customs benchmarks, and the in-memory catalogue and ledger
a run is made with (the service's are DynamoDB). Nothing here imports moto: a benchmark's child
process measured as a function imports this and the service alone."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.datasets import FEE_TABLE
from ior_customs.adapters.datasets import parse_snapshot
from ior_customs.ports import (
    CurrentRun,
    DatasetVersion,
    HeldDataset,
    ProposedCorrection,
    RunClaim,
    RunKey,
    StoredEvent,
    Trigger,
)

MODE = "manual"
DATA, AUDIT = "bench-data", "bench-audit"
PUBLISHED_AT = "2026-01-01T00:00:00.000000Z"


def snapshots(lines: int, work: Path) -> dict[str, bytes]:
    """Each dataset's snapshot for one sample day of `lines` billing lines (and the fee table), as the
    ETL publishes them in the manual mode: made once per size and kept under `work`."""
    kept = work / f"snapshots-{lines}"
    if not (kept / "transactions.csv.gz").exists():
        _make_snapshots(lines, work / f"sample-{lines}", kept)
    return {path.name.removesuffix(".csv.gz"): path.read_bytes() for path in sorted(kept.glob("*.csv.gz"))}


def _make_snapshots(lines: int, sample: Path, kept: Path) -> None:
    from ior_etl.domain.building import build_manual
    from ior_etl.domain.legacy.files import MANUAL
    from ior_etl.domain.snapshot import write_snapshot
    from ior_ingestion.domain.fee_notices import shipped_notices
    from ior_tools.sample import generate

    if not (sample / "manifest.json").exists():
        generate(sample, days=1, lines_per_day=lines, fiscal_year_boundary=False)
    kept.mkdir(parents=True, exist_ok=True)
    for kind, legacy in MANUAL.items():
        (path,) = sample.glob(f"legacy/*/{legacy.format.file}")
        build = build_manual(kind, path.read_bytes())
        (kept / f"{build.dataset}.csv.gz").write_bytes(write_snapshot(build.frame, build.dataset).data)
    text = io.StringIO()
    rows = csv.writer(text, lineterminator="\n")
    rows.writerow(FEE_TABLE.names)
    rows.writerows([[str(n.record()[name]) for name in FEE_TABLE.names] for n in shipped_notices()])
    (kept / f"{FEE_TABLE.name}.csv.gz").write_bytes(gzip.compress(text.getvalue().encode(), mtime=0))


def business_day(data: Mapping[str, bytes]) -> date:
    """The day the sample's transactions arrive on."""
    arrivals = parse_snapshot(data["transactions"], "transactions")["arrival"].unique()
    (arrival,) = arrivals
    return date.fromisoformat(str(arrival))


@dataclass
class Catalogue:
    """Every dataset's one version, as announced (the service's catalogue is DynamoDB)."""

    versions: dict[str, DatasetVersion]

    def current(self, dataset: str, mode: str) -> DatasetVersion | None:
        return self.versions.get(dataset)

    def transactions_for(self, mode: str, day: date) -> DatasetVersion | None:
        return self.versions["transactions"]

    def history(self, dataset: str, mode: str) -> Iterable[DatasetVersion]:
        return [self.versions[dataset]]

    def held(self, dataset: str, mode: str) -> HeldDataset | None:
        return None

    def dates(self, mode: str, since: date) -> list[date]:
        return sorted({d for v in self.versions.values() for d in v.business_dates or ()})

    def record_published(self, version: DatasetVersion) -> None:
        self.versions[version.dataset] = version

    def record_held(self, held: HeldDataset) -> None:
        return None


@dataclass
class Ledger:
    """A ledger where every run is new; the date's current run is `current_run` (none by default), and
    the run made current is kept in `made_current`."""

    current_run: CurrentRun | None = None
    made_current: CurrentRun | None = None
    finished: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def claim(self, key: RunKey, trigger: Trigger, *, now: int, lease_s: int) -> RunClaim:
        return RunClaim(won=True)

    def finish(
        self, key: RunKey, status: str, details: Mapping[str, Any], events: Sequence[StoredEvent]
    ) -> None:
        self.finished[key.run_id] = details

    def announced(self, key: RunKey) -> None:
        return None

    def current(self, mode: str, day: date) -> CurrentRun | None:
        return self.current_run

    def make_current(self, mode: str, day: date, run: CurrentRun, expected: str | None) -> bool:
        self.made_current = run
        return True

    def proposed(self, mode: str, day: date) -> ProposedCorrection | None:
        return None

    def record_proposed(self, mode: str, day: date, proposed: ProposedCorrection) -> None:
        return None


def store(s3: Any, data: Mapping[str, bytes], day: date) -> dict[str, DatasetVersion]:
    versions = {}
    for name, body in data.items():
        key = f"etl/published/{name}/{MODE}/data.csv.gz"
        s3.put_object(Bucket=DATA, Key=key, Body=body)
        rows = gzip.decompress(body).count(b"\n") - 1
        digest = hashlib.sha256(body).hexdigest()
        claim = ClaimCheck(uri=f"s3://{DATA}/{key}", sha256=digest, row_count=rows, schema_version="1")
        versions[name] = DatasetVersion(name, MODE, digest[:24], claim, PUBLISHED_AT, (day,))
    return versions

"""In-memory fakes of the ingestion service's ports, the publisher its handler is given, and the
metadata of the request that handler answers."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Event, Metadata, new_metadata
from ior_contracts.ingestion import ExtractRequested
from ior_ingestion.domain.fee_notices import FeeNotice
from ior_ingestion.domain.releases import Release
from ior_ingestion.domain.sources import SapSource
from ior_ingestion.domain.windows import ExtractWindow
from ior_ingestion.ports import Claim, Landed, SourceError, StagedExtract

Row = dict[str, Any]


def requested_on(day: date, event_id: str) -> Metadata:
    """The metadata of an extract request made on `day` (its run date) under `event_id`."""
    return new_metadata(ExtractRequested, event_id=event_id, occurred_at=datetime.combine(day, time(6), UTC))


@dataclass
class Published:
    """The publisher: every event put on the bus, with the event id it was given."""

    events: list[tuple[Event, str | None]] = field(default_factory=list)

    def __call__(
        self, event: Event, *, business_date: date | None = None, event_id: str | None = None
    ) -> None:
        self.events.append((event, event_id))


@dataclass
class Run:
    run_id: str
    status: str
    lease_until: int
    details: dict[str, str] = field(default_factory=dict)


class MemoryLedger:
    """The run ledger's rules in a dict: a running run holds its window until its lease ends."""

    def __init__(self) -> None:
        self.runs: dict[tuple[str, str], Run] = {}
        self.watermarks: dict[str, date] = {}
        self.releases: dict[str, Release] = {}

    def claim(self, source: str, window: str, run_id: str, *, now: int, lease_s: int) -> Claim:
        held = self.runs.get((source, window))
        if held is not None and held.status == "running" and held.lease_until >= now:
            return Claim(False, held.run_id, held.status)
        self.runs[(source, window)] = Run(run_id, "running", now + lease_s)
        return Claim(True, run_id, "running")

    def finish(self, source: str, window: str, run_id: str, status: str, details: dict[str, str]) -> None:
        run = self.runs[(source, window)]
        assert run.run_id == run_id, "only the run holding the window finishes it"
        run.status, run.details = status, details

    def watermark(self, source: str) -> date | None:
        return self.watermarks.get(source)

    def advance_watermark(self, source: str, to: date) -> None:
        self.watermarks[source] = max(to, self.watermarks.get(source, to))

    def landed_release(self, source: str) -> Release | None:
        return self.releases.get(source)

    def record_release(self, source: str, release: Release) -> None:
        self.releases[source] = release


class MemoryFeeNotices:
    """Recorded notices in a dict keyed by event id, as the table keys them."""

    def __init__(self) -> None:
        self.notices: dict[str, FeeNotice] = {}

    def record(self, notice: FeeNotice) -> None:
        self.notices.setdefault(notice.event_id, notice)

    def recorded(self) -> list[FeeNotice]:
        return sorted(self.notices.values(), key=lambda n: (n.recorded_at, n.event_id))


class MemoryStaging:
    """Staged extracts kept in memory: the rows of each, or the bytes of a file source."""

    def __init__(self) -> None:
        self.contents: dict[Path, list[Row] | bytes] = {}
        self.discarded: list[Path] = []
        self.staged_rows: list[list[Row]] = []
        """The rows of every extract staged, in order (kept after they are discarded)."""

    def stage_pages(self, pages: Iterable[list[Row]]) -> StagedExtract:
        rows: list[Row] = []
        count = 0
        for page in pages:
            rows += page
            count += 1
        self.staged_rows.append(rows)
        return self._keep(rows, json.dumps(rows).encode(), len(rows), count, "sap-jsonl-1", "jsonl.gz")

    def stage_bytes(self, chunks: Iterable[bytes], rows: int, suffix: str) -> StagedExtract:
        body = b"".join(chunks)
        return self._keep(body, body, rows, 1, "usitc-json-1", suffix)

    def discard(self, staged: StagedExtract) -> None:
        self.discarded.append(staged.path)
        self.contents.pop(staged.path, None)

    def _keep(
        self, content: list[Row] | bytes, body: bytes, rows: int, pages: int, schema: str, suffix: str
    ) -> StagedExtract:
        digest = hashlib.sha256(body).hexdigest()
        staged = StagedExtract(Path(f"/memory/{digest}.{suffix}"), digest, rows, pages, schema, suffix)
        self.contents[staged.path] = content
        return staged


@dataclass
class Landing:
    staged: StagedExtract
    source: str
    run_id: str
    record: dict[str, Any]


class MemoryLanding:
    """Lands nothing: remembers what it was asked to land and answers with plausible URIs."""

    def __init__(self) -> None:
        self.landings: list[Landing] = []

    def land(self, staged: StagedExtract, *, source: str, run_id: str, record: dict[str, Any]) -> Landed:
        self.landings.append(Landing(staged, source, run_id, record))
        claim = ClaimCheck(
            uri=f"s3://data/{source}/{staged.sha256}",
            sha256=staged.sha256,
            row_count=staged.rows,
            schema_version="t",
        )
        return Landed(claim, f"s3://audit/{source}/{run_id}")


class FakeSap:
    """Serves fixed pages, or fails with `error` after them; remembers the windows it was asked for."""

    def __init__(self, pages: list[list[Row]], error: SourceError | None = None) -> None:
        self.pages, self.error = pages, error
        self.asked: list[tuple[str, ExtractWindow | None]] = []
        self.closed = False

    def iter_source(self, source: SapSource, window: ExtractWindow | None) -> Iterator[list[Row]]:
        self.asked.append((source.name, window))
        yield from self.pages
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True


class FakeUsitc:
    """A release list and the exports at their locations; remembers what it was asked to download."""

    def __init__(
        self, releases: list[Release], exports: dict[str, bytes], error: SourceError | None = None
    ) -> None:
        self.listed, self.exports, self.error = releases, exports, error
        self.downloaded: list[str] = []

    def releases(self) -> list[Release]:
        return list(self.listed)

    def export(self, location: str) -> tuple[Iterable[bytes], int]:
        self.downloaded.append(location)
        if self.error is not None:
            raise self.error
        return [self.exports[location]], 1

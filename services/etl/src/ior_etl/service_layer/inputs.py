"""The inputs of an automated build: the latest extract of each whole source, the extracts kept
for an incremental one (`incremental`), the official HTS revision, and for transactions the
current exchange-rates version.

Planning reads only the table, so a run already settled costs no object reads; loading reads
each object once per invocation, verified against its claim check."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ior_etl.domain.extracts import read_extract
from ior_etl.domain.official_hts import OfficialRevision, parse_official_revision
from ior_etl.domain.quarantine import Locate, RowsLocated
from ior_etl.domain.sap_fields import LANDED_TABLES
from ior_etl.domain.snapshot import read_snapshot
from ior_etl.domain.sources import EXCHANGE_RATES, INCREMENTAL, NEEDS, THROUGH, USITC_HTS
from ior_etl.ports import CatalogPort, CurrentVersion, Input, LandedExtract, ObjectsPort
from ior_etl.service_layer.incremental import Merged, Part, kept, merge


def extract_input(extract: LandedExtract) -> Input:
    return Input(extract.source, extract.claim.uri, extract.claim.sha256, extract.landed_at)


def revision_label(extract: LandedExtract) -> str:
    """The revision ingestion says landed; else (an export from a fixed location that does not say)
    its checksum names it, so equal bytes build equally."""
    return extract.revision or f"USITC export sha256:{extract.claim.sha256[:12]}"


class Reader:
    """Verified reads, parsed once per invocation (product-master and packaging-materials share
    their extracts; an extract just landed is read before it is recorded)."""

    def __init__(self, objects: ObjectsPort) -> None:
        self._objects = objects
        self._frames: dict[str, pd.DataFrame] = {}
        self._revisions: dict[str, OfficialRevision] = {}

    def bytes(self, uri: str, sha256: str) -> bytes:
        return self._objects.read(uri, sha256)

    def extract(self, extract: LandedExtract) -> pd.DataFrame:
        sha = extract.claim.sha256
        if sha not in self._frames:
            self._frames[sha] = read_extract(
                self.bytes(extract.claim.uri, sha), LANDED_TABLES[extract.source]
            )
        return self._frames[sha]

    def revision(self, extract: LandedExtract) -> OfficialRevision:
        sha = extract.claim.sha256
        if sha not in self._revisions:
            data = self.bytes(extract.claim.uri, sha)
            self._revisions[sha] = parse_official_revision(data, revision_label(extract))
        return self._revisions[sha]

    def check(self, extract: LandedExtract) -> None:
        """Read and parse an extract, so one that cannot be used is refused before it is recorded."""
        if extract.source == USITC_HTS:
            self.revision(extract)
        else:
            self.extract(extract)


@dataclass(frozen=True)
class Missing:
    """A dataset not built yet: some of its sources have never landed."""

    sources: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    dataset: str
    latest: dict[str, LandedExtract]  # whole sources (and the HTS export): the latest extract
    windows: dict[str, list[LandedExtract]]  # incremental sources: the extracts kept, oldest first
    rates: CurrentVersion | None = None

    @property
    def inputs(self) -> tuple[Input, ...]:
        inputs = [extract_input(e) for e in self.latest.values()]
        inputs += [extract_input(e) for extracts in self.windows.values() for e in extracts]
        if self.rates is not None:
            snapshot = self.rates.snapshot
            inputs.append(Input(EXCHANGE_RATES, snapshot.uri, snapshot.sha256, self.rates.as_of))
        return tuple(inputs)


@dataclass(frozen=True, eq=False)
class Loaded:
    frames: dict[str, pd.DataFrame]
    locate: Locate
    revision: OfficialRevision | None = None
    rates: pd.DataFrame | None = None


def plan(dataset: str, catalog: CatalogPort) -> Plan | Missing:
    recorded = {source: catalog.extracts(source) for source in NEEDS[dataset]}
    missing = tuple(source for source, extracts in recorded.items() if not extracts)
    if missing:
        return Missing(missing)
    through = THROUGH.get(dataset, {})
    read = {s: extracts for s, extracts in recorded.items() if s not in through}
    latest = {s: max(extracts, key=lambda e: e.order) for s, extracts in read.items() if s not in INCREMENTAL}
    windows = {s: kept(extracts) for s, extracts in read.items() if s in INCREMENTAL}
    rates = catalog.current(EXCHANGE_RATES, "automated") if EXCHANGE_RATES in through.values() else None
    return Plan(dataset, latest, windows, rates)


def load(plan: Plan, reader: Reader) -> Loaded:
    frames = {s: reader.extract(e) for s, e in plan.latest.items() if s != USITC_HTS}
    merged: dict[str, Merged] = {}
    for source, extracts in plan.windows.items():
        merged[source] = merge([Part(e, reader.extract(e)) for e in extracts], INCREMENTAL[source])
        frames[source] = merged[source].frame
    revision = reader.revision(plan.latest[USITC_HTS]) if USITC_HTS in plan.latest else None
    rates = None
    if plan.rates is not None:
        snapshot = plan.rates.snapshot
        rates = read_snapshot(reader.bytes(snapshot.uri, snapshot.sha256), EXCHANGE_RATES)
    return Loaded(frames, _Locator(plan, merged), revision, rates)


class _Locator:
    """Where each row of the build was read: a whole source's row is its own number in its latest
    extract; an incremental source's row, the line of the extract `merge` took it from. Each
    extract's `Input` is made once, not once per row."""

    def __init__(self, plan: Plan, merged: dict[str, Merged]) -> None:
        self._whole = {s: extract_input(e) for s, e in plan.latest.items()}
        self._merged = merged
        self._inputs = {s: tuple(extract_input(e) for e in m.extracts) for s, m in merged.items()}

    def __call__(self, source: str, row: int, /) -> tuple[int, Input | None]:
        if source in self._merged:
            merged = self._merged[source]
            return int(merged.line[row - 1]), self._inputs[source][merged.part[row - 1]]
        return row, self._whole.get(source)

    def rows(self, source: str, rows: np.ndarray) -> RowsLocated:
        if source in self._merged:
            merged, at = self._merged[source], rows - 1
            return RowsLocated(merged.line[at], self._inputs[source], merged.part[at])
        return RowsLocated(rows, (self._whole.get(source),), np.zeros(len(rows), dtype=np.intp))


class UploadRows:
    """Where each row of a manual build was read: its own row number in the uploaded file (`source`);
    rows of another source, nowhere. Placed in bulk for the origins (a million-line upload)."""

    def __init__(self, source: str, upload: Input) -> None:
        self._source = source
        self._upload = upload

    def __call__(self, source: str, row: int, /) -> tuple[int, Input | None]:
        return row, self._upload if source == self._source else None

    def rows(self, source: str, rows: np.ndarray) -> RowsLocated:
        found = self._upload if source == self._source else None
        return RowsLocated(rows, (found,), np.zeros(len(rows), dtype=np.intp))

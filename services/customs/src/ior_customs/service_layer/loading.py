"""The inputs of a run for (business date, mode): for each of the six datasets the version in force
— for transactions the latest version with lines arriving that day, for the others the current one —
and the current fee table (one for both modes), loaded and verified. A dataset snapshot that fails
its checksum or cannot be read is replaced by the last good version before it, and a dataset whose
latest ETL run was held is reported as such: the run says so in its fallbacks. A fee table that
cannot be read is not replaced: the run waits, saying why, rather than charge fees from a table its
announcements cannot name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
from ior_contracts.customs import Fallback
from ior_contracts.datasets import DATASETS, FEE_TABLE

from ior_customs.domain import FeeTable, ProcessorInputs
from ior_customs.ports import CataloguePort, DatasetVersion, SnapshotError, SnapshotsPort

TRANSACTIONS = "transactions"
DETAIL_LIMIT = 500
# The fee table is not per mode: its versions are kept under this mode.
FEES_MODE = "all"


@dataclass(frozen=True)
class Inputs:
    """The six datasets a run reads, the version of each, the fee table, and what fell back. The fee
    table's version is the run key's `config_version`, not one of the datasets' versions."""

    business_date: date
    mode: str
    frames: Mapping[str, pd.DataFrame]
    used: Mapping[str, DatasetVersion]
    fallbacks: tuple[Fallback, ...]
    fees: FeeTable
    fee_table: DatasetVersion

    @property
    def versions(self) -> dict[str, str]:
        return {name: version.version for name, version in sorted(self.used.items())}

    @property
    def inputs_at(self) -> str:
        """The inputs' publication stamps, newest first: as text, a run whose inputs are all at
        least as new sorts at or after another."""
        stamps = [*(v.published_at for v in self.used.values()), self.fee_table.published_at]
        return "|".join(sorted(stamps, reverse=True))

    def processor_inputs(self) -> ProcessorInputs:
        return processor_inputs(self.business_date, self.frames, self.fees, self.versions)


def processor_inputs(
    business_date: date, frames: Mapping[str, pd.DataFrame], fees: FeeTable, versions: dict[str, str]
) -> ProcessorInputs:
    """The processor's inputs from the six datasets' frames, by dataset name."""
    return ProcessorInputs(
        business_date=business_date,
        transactions=frames["transactions"],
        products=frames["product-master"],
        packaging=frames["packaging-materials"],
        hts=frames["hts-reference"],
        provisions=frames["tariff-provisions"],
        exchange_rates=frames["exchange-rates"],
        fees=fees,
        dataset_versions=versions,
    )


@dataclass(frozen=True)
class Unavailable:
    """No run is possible: some dataset was never published for the mode, or no version of it loads."""

    business_date: date
    mode: str
    missing: tuple[str, ...]
    unreadable: Mapping[str, str]

    def describe(self) -> str:
        parts = []
        if self.missing:
            parts.append(f"never published for mode {self.mode}: {', '.join(self.missing)}")
        parts.extend(f"no readable version of {name}: {why}" for name, why in self.unreadable.items())
        return f"no run for {self.business_date} ({self.mode}): " + "; ".join(parts)


class _NoGoodVersionError(Exception):
    """Neither the version in force nor any before it could be loaded."""


def load_inputs(
    day: date, mode: str, catalogue: CataloguePort, snapshots: SnapshotsPort
) -> Inputs | Unavailable:
    frames: dict[str, pd.DataFrame] = {}
    used: dict[str, DatasetVersion] = {}
    fallbacks: list[Fallback] = []
    missing: list[str] = []
    unreadable: dict[str, str] = {}
    for name in DATASETS:
        listed = catalogue.transactions_for(mode, day) if name == TRANSACTIONS else None
        primary = listed or catalogue.current(name, mode)
        if primary is None:
            missing.append(name)
            continue
        try:
            frames[name], used[name], fallback = _load(day, primary, listed is not None, catalogue, snapshots)
        except _NoGoodVersionError as exc:
            unreadable[name] = str(exc)
            continue
        fallback = fallback or _held(primary, used[name], catalogue)
        if fallback is not None:
            fallbacks.append(fallback)
    fee_table = catalogue.current(FEE_TABLE.name, FEES_MODE)
    fees: FeeTable | None = None
    if fee_table is None:
        missing.append(FEE_TABLE.name)
    else:
        try:
            fees = load_fee_table(fee_table, snapshots)
        except SnapshotError as exc:
            unreadable[FEE_TABLE.name] = f"version {fee_table.version}: {exc}"
    if missing or unreadable or fees is None or fee_table is None:
        return Unavailable(day, mode, tuple(missing), unreadable)
    return Inputs(day, mode, frames, used, tuple(fallbacks), fees, fee_table)


def load_fee_table(version: DatasetVersion, snapshots: SnapshotsPort) -> FeeTable:
    """The fee table of `version`; raises a SnapshotError when it cannot be used."""
    return FeeTable.from_dataset(snapshots.load(FEE_TABLE.name, version.snapshot), version.version)


def _load(
    day: date, primary: DatasetVersion, by_date: bool, catalogue: CataloguePort, snapshots: SnapshotsPort
) -> tuple[pd.DataFrame, DatasetVersion, Fallback | None]:
    try:
        return snapshots.load(primary.dataset, primary.snapshot), primary, None
    except SnapshotError as exc:
        failure = exc
    for earlier in catalogue.history(primary.dataset, primary.mode):
        # Only versions before the failed one; for a day's transactions, only those with its lines.
        if earlier.published_at >= primary.published_at or (by_date and not earlier.covers(day)):
            continue
        try:
            frame = snapshots.load(earlier.dataset, earlier.snapshot)
        except SnapshotError:
            continue
        detail = (
            f"version {primary.version} ({primary.published_at}) is unusable: {failure}; "
            f"used {earlier.version}, published {earlier.published_at}"
        )
        return frame, earlier, _fallback(earlier, failure.reason, detail)
    raise _NoGoodVersionError(f"version {primary.version}: {failure}; no earlier version loads")


def _held(primary: DatasetVersion, used: DatasetVersion, catalogue: CataloguePort) -> Fallback | None:
    """A fallback when the dataset's latest ETL run was held after the version in use."""
    held = catalogue.held(primary.dataset, primary.mode)
    if held is None or held.held_at <= primary.published_at:
        return None
    return _fallback(used, "held", f"run {held.run_id} was held at {held.held_at}: {held.detail}")


def _fallback(used: DatasetVersion, reason: str, detail: str) -> Fallback:
    if len(detail) > DETAIL_LIMIT:
        detail = detail[: DETAIL_LIMIT - 1] + "…"
    return Fallback(dataset=used.dataset, version=used.version, reason=reason, detail=detail)

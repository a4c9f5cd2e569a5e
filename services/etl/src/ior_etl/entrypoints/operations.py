"""The operations `ior` calls on the ETL, wired here with typed results out.

`compare_published`: shadow validation of what a stack's ETL published: the current version of
each reference dataset (and of a day's transactions), automated against manual, read from the
ETL's catalogue and its published snapshots (checksums verified), on any stack.

`fee_notice_problems`: what the fee table would refuse in one notice on its own (a figure out of
bounds, days outside its fiscal year), so `ior fees add` says so before anything is sent;
`read_fee_table`: a published fee-table snapshot's rows.

`compare_sample`: shadow validation of a sample company's folder. Both sides are built with the
ETL's own builders (no stack needed): the automated side from the SAP extracts (`sap/<name>.jsonl`,
one record a line) and the official HTS export, the manual side from the analysts' CSVs
(`legacy/reference/`, and `legacy/<yyyy-mm-dd>/Invoice_Lines.csv` for a day). The manual
hts-reference is cross-checked against the same official revision, so its official rate and flag
compare too. What the comparison ignores is `docs/field-mapping.md`'s to say (`domain.shadow`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from ior_contracts.datasets import DATASETS
from ior_contracts.vocabulary import Mode

from ior_etl.adapters.catalog import Catalog
from ior_etl.adapters.storage import S3Objects
from ior_etl.domain.building import LEGACY_FILES, build_automated, build_manual
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.fee_table import build_fee_table
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.legacy.files import MANUAL
from ior_etl.domain.official_hts import OfficialRevision, parse_official_revision
from ior_etl.domain.sap_fields import CBP_FEES, TABLES
from ior_etl.domain.shadow import Difference, compare
from ior_etl.domain.snapshot import read_snapshot, write_snapshot

REFERENCE = ("product-master", "packaging-materials", "hts-reference", "tariff-provisions", "exchange-rates")
KINDS = {file.dataset: kind for kind, file in MANUAL.items()}
REVISION_LABEL = "official"


class ShadowInputError(Exception):
    """The sample directory lacks a file the comparison needs."""


@dataclass(frozen=True)
class DatasetComparison:
    dataset: str
    legacy_file: str
    automated_rows: int
    manual_rows: int
    automated_rejected: int
    manual_rejected: int
    differences: tuple[Difference, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "legacy_file": self.legacy_file,
            "automated_rows": self.automated_rows,
            "manual_rows": self.manual_rows,
            "automated_rejected": self.automated_rejected,
            "manual_rejected": self.manual_rejected,
            "differences": [
                {"key": d.key, "field": d.field, "automated": d.automated, "manual": d.manual}
                for d in self.differences
            ],
        }


def _need(path: Path) -> Path:
    if not path.is_file():
        raise ShadowInputError(f"{path} does not exist")
    return path


def sap_frames(sample: Path) -> dict[str, pd.DataFrame]:
    """Each SAP extract of the sample (one JSON object a line) as the ETL reads a landed one."""
    frames = {}
    for name, table in TABLES.items():
        lines = _need(sample / "sap" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        frames[name] = records_frame([json.loads(line) for line in lines if line.strip()], table)
    return frames


def automated_builds(
    sample: Path, revision: OfficialRevision, policy: HoldPolicy, *, transactions: bool
) -> dict[str, DatasetBuild]:
    frames = sap_frames(sample)
    builds = {d: build_automated(d, frames, policy=policy, revision=revision) for d in REFERENCE}
    if transactions:
        rates = builds["exchange-rates"].frame
        builds["transactions"] = build_automated("transactions", frames, policy=policy, rates=rates)
    return builds


def manual_builds(
    sample: Path, revision: OfficialRevision, policy: HoldPolicy, day: date | None
) -> dict[str, DatasetBuild]:
    legacy = sample / "legacy"
    files = {d: legacy / "reference" / LEGACY_FILES[d] for d in REFERENCE}
    if day is not None:
        files["transactions"] = legacy / day.isoformat() / LEGACY_FILES["transactions"]
    return {
        d: build_manual(KINDS[d], _need(path).read_bytes(), policy=policy, revision=revision)
        for d, path in files.items()
    }


def _scoped(automated: pd.DataFrame, manual: pd.DataFrame, day: date) -> pd.DataFrame:
    """The automated lines of the day, and of any other date the day's file has lines for."""
    days = {pd.Timestamp(day), *pd.to_datetime(manual["arrival"]).dropna()}
    return automated[pd.to_datetime(automated["arrival"]).isin(days)]


def compare_sample(
    sample: Path, *, official: Path, day: date | None = None, policy: HoldPolicy | None = None
) -> list[DatasetComparison]:
    """Every dataset of the sample company (transactions only for `day`), compared; raises
    `ShadowInputError` naming a file the folder lacks."""
    policy = policy or HoldPolicy()
    revision = parse_official_revision(_need(official).read_bytes(), REVISION_LABEL)
    automated = automated_builds(sample, revision, policy, transactions=day is not None)
    manual = manual_builds(sample, revision, policy, day)
    comparisons = []
    for dataset, by_hand in manual.items():
        frame = automated[dataset].frame
        if dataset == "transactions" and day is not None:
            frame = _scoped(frame, by_hand.frame, day)
        comparisons.append(
            DatasetComparison(
                dataset=dataset,
                legacy_file=LEGACY_FILES[dataset],
                automated_rows=len(frame),
                manual_rows=len(by_hand.frame),
                automated_rejected=automated[dataset].outcome.rejected_rows,
                manual_rejected=by_hand.outcome.rejected_rows,
                differences=tuple(compare(dataset, frame, by_hand.frame)),
            )
        )
    return comparisons


def compare_published(
    client: Callable[[str], Any], table: str, data_bucket: str, audit_bucket: str, *, day: date | None = None
) -> list[DatasetComparison]:
    """The current automated and manual version of every reference dataset (and of the day's
    transactions, scoped to the day), compared; a dataset not yet published in both modes is
    reported with no rows on the missing side."""
    catalog = Catalog(client("dynamodb"), table)
    objects = S3Objects(client("s3"), data_bucket, audit_bucket)
    comparisons = []
    for dataset in (*REFERENCE, *(("transactions",) if day is not None else ())):
        frames = {mode: _published(catalog, objects, dataset, mode) for mode in ("automated", "manual")}
        automated, manual = frames["automated"], frames["manual"]
        if dataset == "transactions" and day is not None:
            manual = manual[pd.to_datetime(manual["arrival"]) == pd.Timestamp(day)] if len(manual) else manual
            automated = _scoped(automated, manual, day) if len(automated) else automated
        comparisons.append(
            DatasetComparison(
                dataset=dataset,
                legacy_file=LEGACY_FILES[dataset],
                automated_rows=len(automated),
                manual_rows=len(manual),
                automated_rejected=0,
                manual_rejected=0,
                differences=tuple(compare(dataset, automated, manual)),
            )
        )
    return comparisons


def _published(catalog: Catalog, objects: S3Objects, dataset: str, mode: Mode) -> pd.DataFrame:
    current = catalog.current(dataset, mode)
    if current is None:
        # Not published in this mode yet: an empty frame of the dataset's columns.
        return read_snapshot(
            write_snapshot(pd.DataFrame({n: [] for n in DATASETS[dataset].names}), dataset).data
        )
    return read_snapshot(objects.read(current.snapshot.uri, current.snapshot.sha256), dataset)


def fee_notice_problems(notice: dict[str, Any]) -> list[str]:
    """Why the fee table would refuse `notice` (a line of the CBP_FEES extract) on its own; empty
    when it would not. A gap or an overlap with the table is for the table to say, when it lands."""
    build = build_fee_table(records_frame([notice], CBP_FEES))
    return [str(reason) for reason in build.rejected["reason"]]


def read_fee_table(data: bytes) -> pd.DataFrame:
    """A published fee-table snapshot's rows, typed."""
    return read_snapshot(data, "fee-table")

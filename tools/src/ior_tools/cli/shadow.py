"""`ior shadow-report`: every automated dataset against the one built from its legacy CSV, listing
each difference by dataset, key and field.

Both sides are built here with the ETL's own builders (no stack needed): the automated side from
the SAP extracts (`sap/*.jsonl`) and the official HTS export, the manual side from the analysts'
CSVs (`legacy/reference/`, and `legacy/<date>/Invoice_Lines.csv` with `--date`). The manual
hts-reference is cross-checked against the same official revision, so its official rate and flag
compare too. What the comparison ignores is `docs/field-mapping.md`'s to say
(`ior_etl.domain.shadow`)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from ior_etl.domain.building import LEGACY_FILES, build_automated, build_manual
from ior_etl.domain.dataset import DatasetBuild
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.official_hts import OfficialRevision, parse_official_revision
from ior_etl.domain.sap_fields import TABLES
from ior_etl.domain.shadow import Difference, compare
from rich.table import Table

from ior_tools.cli.common import console, err
from ior_tools.paths import OFFICIAL_HTS
from ior_tools.sample import generate

REFERENCE = ("product-master", "packaging-materials", "hts-reference", "tariff-provisions", "exchange-rates")
KINDS = {
    "product-master": "product_list",
    "packaging-materials": "packaging_material",
    "hts-reference": "hts_code",
    "tariff-provisions": "hts_tariff",
    "exchange-rates": "exchange_rates",
    "transactions": "invoice_lines",
}
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
    sample: Path,
    *,
    day: date | None = None,
    official: Path = OFFICIAL_HTS,
    policy: HoldPolicy | None = None,
) -> list[DatasetComparison]:
    """Every dataset of the sample company (transactions only for `day`), compared."""
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


# --- output ------------------------------------------------------------------------------------


def summary_table(comparisons: list[DatasetComparison]) -> Table:
    table = Table("dataset", "legacy file", "rows (auto / manual)", "rejected (auto / manual)", "differences")
    for c in comparisons:
        count = len(c.differences)
        table.add_row(
            c.dataset,
            c.legacy_file,
            f"{c.automated_rows} / {c.manual_rows}",
            f"{c.automated_rejected} / {c.manual_rejected}",
            f"[yellow]{count}[/yellow]" if count else "[green]0[/green]",
        )
    return table


def differences_table(comparisons: list[DatasetComparison]) -> Table:
    table = Table("dataset", "key", "field", "automated", "manual", title="differences")
    for c in comparisons:
        for d in c.differences:
            table.add_row(d.dataset, d.key, d.field, d.automated, d.manual)
    return table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or " "


def markdown(comparisons: list[DatasetComparison], title: str) -> str:
    lines = [
        f"# {title}",
        "",
        "| dataset | legacy file | rows (auto / manual) | rejected (auto / manual) | differences |",
    ]
    lines.append("|---|---|---|---|---|")
    for c in comparisons:
        lines.append(
            f"| {c.dataset} | {c.legacy_file} | {c.automated_rows} / {c.manual_rows} "
            f"| {c.automated_rejected} / {c.manual_rejected} | {len(c.differences)} |"
        )
    lines += ["", "| dataset | key | field | automated | manual |", "|---|---|---|---|---|"]
    for c in comparisons:
        for d in c.differences:
            lines.append(
                f"| {d.dataset} | {_cell(d.key)} | {d.field} | {_cell(d.automated)} | {_cell(d.manual)} |"
            )
    return "\n".join(lines) + "\n"


def write_report(out: Path, comparisons: list[DatasetComparison], *, sample: str, day: date | None) -> None:
    title = f"Shadow report: automated vs manual datasets{f' ({day.isoformat()})' if day else ''}"
    if out.suffix == ".json":
        document = {
            "title": title,
            "sample": sample,
            "date": day.isoformat() if day else None,
            "datasets": [c.as_dict() for c in comparisons],
        }
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    elif out.suffix == ".md":
        out.write_text(markdown(comparisons, title), encoding="utf-8")
    else:
        raise typer.BadParameter(f"{out.name}: write .json or .md", param_hint="--out")


@contextmanager
def _sample_dir(sample: Path | None) -> Iterator[Path]:
    if sample is not None:
        yield sample
        return
    with (
        tempfile.TemporaryDirectory(prefix="ior-sample-") as tmp,
        console.status("generating the sample company"),
    ):
        generate(Path(tmp) / "sample")
        yield Path(tmp) / "sample"


def shadow_report(
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Also compare the day's Invoice_Lines.csv."),
    ] = None,
    sample: Annotated[
        Path | None,
        typer.Option(help="A sample company directory (sap/, legacy/); default: generate one (seed 7)."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the report: FILE.json or FILE.md.")] = None,
    hts: Annotated[Path, typer.Option(help="The official HTS export (JSON, gzip or not).")] = OFFICIAL_HTS,
) -> None:
    """Compare every automated dataset with its legacy CSV and list every difference."""
    if out is not None and out.suffix not in (".json", ".md"):
        raise typer.BadParameter(f"{out.name}: write .json or .md", param_hint="--out")
    wanted = day.date() if day is not None else None
    with _sample_dir(sample) as folder:
        try:
            comparisons = compare_sample(folder, day=wanted, official=hts)
        except ShadowInputError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
        console.print(summary_table(comparisons))
        if any(c.differences for c in comparisons):
            console.print(differences_table(comparisons))
        if out is not None:
            write_report(out, comparisons, sample=str(sample) if sample else "generated (seed 7)", day=wanted)
            console.print(f"written to {out}")

"""`ior shadow-report`: every automated dataset against the one built from its legacy CSV, listing
each difference by dataset, key and field: what a stack's ETL published (deployed or local,
`ior_etl.entrypoints.operations.compare_published`), or a sample folder built offline
(`compare_sample`). This command prints the comparison and writes it out."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from ior_etl.entrypoints.operations import (
    DatasetComparison,
    ShadowInputError,
    compare_published,
    compare_sample,
)
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.paths import OFFICIAL_HTS


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


def shadow_report(
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Also compare the day's transactions."),
    ] = None,
    sample: Annotated[
        Path | None,
        typer.Option(
            help="Compare a sample company directory (sap/, legacy/) offline instead of what a stack "
            "published."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the report: FILE.json or FILE.md.")] = None,
    hts: Annotated[Path, typer.Option(help="With --sample: the official HTS export.")] = OFFICIAL_HTS,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Compare every automated dataset a stack's ETL published with the one its legacy CSV made, and
    list every difference (with --sample: build both sides from a sample folder instead)."""
    if out is not None and out.suffix not in (".json", ".md"):
        raise typer.BadParameter(f"{out.name}: write .json or .md", param_hint="--out")
    wanted = day.date() if day is not None else None
    try:
        if sample is not None:
            comparisons, origin = compare_sample(sample, day=wanted, official=hts), str(sample)
        else:
            found = target(stack, outputs)
            comparisons = compare_published(
                found.client, found.table("etl"), found.outputs["dataBucket"], found.outputs["auditBucket"],
                day=wanted,
            )  # fmt: skip
            origin = f"stack {found.stage}"
    except ShadowInputError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(summary_table(comparisons))
    if any(c.differences for c in comparisons):
        console.print(differences_table(comparisons))
    if out is not None:
        write_report(out, comparisons, sample=origin, day=wanted)
        console.print(f"written to {out}")

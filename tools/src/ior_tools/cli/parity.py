"""`ior parity-report`: the parity sign-off of the parallel run, for the business, from the
compare table (each date's transactions and current comparison) and the resolutions recorded for
its discrepancies; written as Markdown and HTML."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from ior_compare.domain.signoff import Resolution
from ior_compare.entrypoints.operations import CompareOperations

from ior_tools.cli.common import OutputsOption, StackOption, console, target


def parity_report(
    start: Annotated[str, typer.Option("--from", help="First arrival date (ISO), inclusive.")],
    end: Annotated[str, typer.Option("--to", help="Last arrival date (ISO), inclusive.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="The Markdown file; the HTML is written beside it with `.html`."),
    ] = None,
    resolutions: Annotated[
        Path | None,
        typer.Option(
            "--resolutions",
            help="YAML or JSON list of {business_date, field, note, resolved_by} explaining discrepancies.",
        ),
    ] = None,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Write the parity sign-off report for the dates `--from`–`--to`."""
    first, last = _date(start, "--from"), _date(end, "--to")
    if first > last:
        raise typer.BadParameter(f"--from {first} is after --to {last}")
    notes = load_resolutions(resolutions) if resolutions else []
    found = target(stack, outputs)
    compare = CompareOperations(found.client, found.table("compare"))
    report = compare.signoff(first, last, notes)
    markdown = out or Path(f"parity-signoff-{first}-{last}.md")
    html = markdown.with_suffix(".html")
    markdown.parent.mkdir(parents=True, exist_ok=True)
    markdown.write_text(report.to_markdown(), encoding="utf-8")
    html.write_text(report.to_html(), encoding="utf-8")
    counts = ", ".join(
        f"{n} {outcome.replace('_', ' ')}" for outcome, n in report.outcome_counts().items() if n
    )
    verdict = "ready for cutover" if report.ready_for_cutover else "not yet ready for cutover"
    console.print(
        f"{first} to {last}: {counts or 'no dates'}; {len(report.unresolved())} unresolved discrepancies"
    )
    console.print(f"parity streak {report.streak.days} of {report.required_streak}: {verdict}")
    console.print(f"wrote {markdown} and {html}")


def load_resolutions(path: Path) -> list[Resolution]:
    """Resolutions from a YAML (or JSON) list of mappings."""
    try:
        rows: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc}", param_hint="--resolutions") from None
    if not isinstance(rows, list):
        raise typer.BadParameter(f"{path} must hold a list of resolutions", param_hint="--resolutions")
    found = []
    for index, row in enumerate(rows, start=1):
        try:
            when = row["business_date"]
            found.append(
                Resolution(
                    business_date=when if isinstance(when, date) else date.fromisoformat(str(when)),
                    field=str(row["field"]),
                    note=str(row["note"]),
                    resolved_by=None if row.get("resolved_by") is None else str(row["resolved_by"]),
                )
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise typer.BadParameter(
                f"{path}, resolution {index}: needs business_date, field and note ({exc})",
                param_hint="--resolutions",
            ) from None
    return found


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date", param_hint=option) from None

"""`ior run`: the pipeline driven for business dates on a running stack, until each date's report."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops.extracts import SOURCE_NAMES
from ior_tools.ops.run import DayRun, PipelineDriver
from ior_tools.runtime.state import home
from ior_tools.sample.business_days import weekdays_between

DateOption = Annotated[
    list[str] | None, typer.Option("--date", "-d", help="An ISO business date; repeatable.")
]


def dates_to_run(days: list[str] | None, first: str | None, last: str | None) -> list[date]:
    chosen: set[date] = set()
    try:
        chosen |= {date.fromisoformat(d) for d in days or []}
        if first or last:
            if not (first and last):
                raise typer.BadParameter("give both --from and --to")
            chosen |= set(weekdays_between(date.fromisoformat(first), date.fromisoformat(last)))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if not chosen:
        raise typer.BadParameter("give --date (repeatable) or --from and --to")
    return sorted(chosen)


def run(
    day: DateOption = None,
    first: Annotated[str | None, typer.Option("--from", help="First date of a range (weekdays).")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last date of a range, inclusive.")] = None,
    legacy: Annotated[
        Path | None,
        typer.Option(
            help="The analysts' CSVs (`reference/*.csv`, `<date>/Invoice_Lines.csv`) to upload for the "
            "manual path; default: the local stack's sample company, when there is one."
        ),
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Repeatable; default: every source.")
    ] = None,
    lines_per_day: Annotated[
        int | None,
        typer.Option(
            help="First generate the local stack's sample company again at this many billing lines a day "
            "(same seed and dates; the mock SAP serves the new files at its next request)."
        ),
    ] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for each date's report.")] = 300.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Request each date's extracts, upload its manual CSVs, ask for its customs runs and its
    comparison, and print each outcome with its report; exit 1 when a report did not come in time."""
    days = dates_to_run(day, first, last)
    known = list(SOURCE_NAMES)
    unknown = sorted(set(source or []) - set(known))
    if unknown:
        err.print(f"[red]unknown source(s) {', '.join(unknown)}; known: {', '.join(known)}[/red]")
        raise typer.Exit(2)
    found = target(stack, outputs)
    if lines_per_day is not None:
        resize_sample(home(stack) / "sample", lines_per_day)
    if legacy is None and (home(stack) / "sample" / "legacy").is_dir():
        legacy = home(stack) / "sample" / "legacy"
    driver = PipelineDriver(found, legacy=legacy, sources=source)
    started = time.monotonic()
    results = []
    for d in days:
        with console.status(f"running {d.isoformat()}…"):
            results.append(driver.run(d, wait))
        report = results[-1].comparison
        where = f" · comparison report {report['report_html_uri']}" if report else ""
        # One line per date, never wrapped, so the report's URI can be copied.
        console.print(f"{d.isoformat()}: {_outcome(results[-1])}{where}", soft_wrap=True)
        for problem in results[-1].refused:
            err.print(f"[yellow]{d.isoformat()}: manual CSVs refused, nothing stored: {problem}[/yellow]")
    console.print(report_table(results))
    console.print(f"{len(days)} date(s) in {time.monotonic() - started:.1f} s")
    if not all(r.reported for r in results):
        raise typer.Exit(1)


def resize_sample(sample: Path, lines_per_day: int) -> None:
    """The running stack's sample company again, at `lines_per_day`, with its seed and dates."""
    from ior_tools.sample import generate
    from ior_tools.sample.generator import SampleError

    manifest = sample / "manifest.json"
    if not manifest.is_file():
        err.print(f"[red]--lines-per-day needs the local stack's sample company ({sample}); none there[/red]")
        raise typer.Exit(2)
    known = json.loads(manifest.read_text(encoding="utf-8"))
    parameters = known["parameters"]
    with console.status(f"generating the sample company again at {lines_per_day:,} lines a day…"):
        try:
            generate(
                sample, seed=known["seed"], days=parameters["days"], lines_per_day=lines_per_day,
                start=date.fromisoformat(parameters["start"]),
                fiscal_year_boundary=parameters["fiscal_year_boundary"] is not None,
                billing_lag_days=parameters.get("billing_lag_days", 0),
            )  # fmt: skip
        except SampleError as exc:
            raise typer.BadParameter(str(exc)) from None


def _outcome(result: DayRun) -> str:
    if result.comparison is None:
        return "[yellow]no report in time[/yellow]"
    return "[green]passed[/green]" if result.comparison["passed"] else "[red]failed[/red]"


def report_table(results: list[DayRun]) -> Table:
    table = Table(
        "business date", "extracts landed", "manual CSVs", "comparison",
        "lines match/mismatch/missing/extra", "report", "correlation id", title="ior run",
    )  # fmt: skip
    for r in results:
        landed = sum(1 for state in r.extracts.values() if state == "landed")
        counts = ""
        if r.comparison is not None:
            c = r.comparison["counts"]["lines"]
            counts = f"{c['match']}/{c['mismatch']}/{c['missing']}/{c['extra']}"
        uri = r.comparison["report_html_uri"] if r.comparison is not None else ""
        table.add_row(
            r.day.isoformat(), f"{landed}/{len(r.extracts)}",
            "uploaded" if r.uploaded else ("refused" if r.refused else "none"),
            _outcome(r), counts, uri, r.correlation_id,
        )  # fmt: skip
    return table

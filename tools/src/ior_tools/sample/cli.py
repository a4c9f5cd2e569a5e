"""`ior sample generate`: write the sample company to a directory."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ior_tools.sample.faults import FaultError, Faults, MissingRate
from ior_tools.sample.generator import DEFAULT_DAYS, DEFAULT_SEED, DEFAULT_START, SampleError, generate

_DEFAULT_START = datetime(DEFAULT_START.year, DEFAULT_START.month, DEFAULT_START.day)

app = typer.Typer(
    help="The sample company: SAP extracts and legacy CSVs, deterministic from a seed.", no_args_is_help=True
)


@app.callback()
def sample() -> None:
    """The sample company: SAP extracts and legacy CSVs, deterministic from a seed."""


@app.command("generate")
def generate_command(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write (created; must hold only a sample).")
    ],
    seed: Annotated[
        int, typer.Option(help="Seed: the same arguments give byte-identical files.")
    ] = DEFAULT_SEED,
    days: Annotated[int, typer.Option(help="Business days (arrival dates) to generate.")] = DEFAULT_DAYS,
    lines_per_day: Annotated[
        int | None, typer.Option(help="Billing lines per day; default a few hundred, varying by day.")
    ] = None,
    start: Annotated[
        datetime, typer.Option(formats=["%Y-%m-%d"], help="First day; the first business day on or after it.")
    ] = _DEFAULT_START,
    malformed_rows: Annotated[
        int, typer.Option(help="Billing lines with an invalid quantity, date or currency.")
    ] = 0,
    unknown_materials: Annotated[
        int, typer.Option(help="Billing lines for materials not in the master.")
    ] = 0,
    missing_rates: Annotated[
        list[str] | None,
        typer.Option(
            help="CUR@YYYY-MM-DD: drop CUR's rates for the 7 days up to that billing date. Repeatable."
        ),
    ] = None,
    billing_lag_days: Annotated[
        int, typer.Option(help="Bill every document this many days earlier than it ships (0: as usual).")
    ] = 0,
    fiscal_year_boundary: Annotated[
        bool,
        typer.Option(help="Add the business days either side of 1 October 2025 (FY2025 to FY2026 fees)."),
    ] = True,
) -> None:
    """Generate the sample company under --out and print what it holds."""
    console = Console()
    try:
        faults = Faults(
            malformed_rows=malformed_rows,
            unknown_materials=unknown_materials,
            missing_rates=tuple(MissingRate.parse(text) for text in missing_rates or []),
        )
        began = time.perf_counter()
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("business days", total=None)

            def advance(day: date, lines: int) -> None:
                bar.update(task, advance=1, description=f"{day.isoformat()}: {lines:,} lines")

            manifest = generate(
                out,
                seed=seed,
                days=days,
                lines_per_day=lines_per_day,
                start=date(start.year, start.month, start.day),
                faults=faults,
                progress=advance,
                billing_lag_days=billing_lag_days,
                fiscal_year_boundary=fiscal_year_boundary,
            )
        elapsed = time.perf_counter() - began
    except (SampleError, FaultError) as error:
        console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(code=2) from error
    table = Table(title=f"Sample company, seed {manifest.seed}, written to {out}")
    table.add_column("business date")
    table.add_column("lines", justify="right")
    table.add_column("entries", justify="right")
    table.add_column("quarantined", justify="right")
    table.add_column("predicted differences", justify="right")
    for day, outcome in manifest.outcomes.items():
        predicted = sum(
            1
            for item in manifest.disagreements
            for difference in item.predicted_differences
            if difference.business_date.isoformat() == day
        )
        table.add_row(
            day, f"{outcome.lines:,}", f"{outcome.entries:,}", str(len(outcome.quarantined)), str(predicted)
        )
    console.print(table)
    for item in manifest.disagreements:
        console.print(f"[bold]{item.kind}[/bold]: {len(item.predicted_differences)} predicted differences")
    empty_rates = [drop for drop in manifest.faults.missing_rates if not drop.affected]
    for drop in empty_rates:
        console.print(
            f"[yellow]note:[/yellow] no line billed in {drop.currency} lost its rate "
            f"around {drop.billing_date}"
        )
    console.print(f"{len(manifest.files)} files, manifest at {out / 'manifest.json'} ({elapsed:.1f} s)")

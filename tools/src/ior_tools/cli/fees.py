"""`ior fees`: record a fiscal year's customs fee figures as CBP published them, and list the fee
table in force. The figures are never made up: a notice needs its citation."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Annotated

import typer
from ior_contracts.fees import FeeNoticeSubmitted
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.cli.payloads import InvalidPayloadError, check
from ior_tools.ops.fees import NoticeRefusedError, current_fee_table, submit_notice

app = typer.Typer(
    help="The customs fee table: record a fiscal year's figures, list the table.", no_args_is_help=True
)


@app.command("add")
def add(
    fiscal_year: Annotated[int, typer.Option("--fiscal-year", help="e.g. 2027: from 1 October 2026.")],
    mpf_rate: Annotated[str, typer.Option("--mpf-rate", help="MPF ad valorem fraction, e.g. 0.003464.")],
    mpf_min: Annotated[str, typer.Option("--mpf-min", help="MPF minimum, USD, e.g. 33.58.")],
    mpf_max: Annotated[str, typer.Option("--mpf-max", help="MPF maximum, USD, e.g. 651.50.")],
    hmf_rate: Annotated[str, typer.Option("--hmf-rate", help="HMF fraction for vessel modes, e.g. 0.00125.")],
    citation: Annotated[
        str, typer.Option("--citation", help="The notice: Federal Register citation, CBP decision, CSMS.")
    ],
    effective_from: Annotated[
        str | None, typer.Option(help="First day, when not 1 October before the fiscal year.")
    ] = None,
    effective_to: Annotated[
        str | None, typer.Option(help="Last day, when not 30 September of the fiscal year.")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who records it (default: you).")] = None,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for the fee table's answer; 0 = don't.")
    ] = 60.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Record a fiscal year's MPF and HMF figures with the notice they come from, and say whether
    the fee table took them."""
    payload = {
        "fiscal_year": fiscal_year,
        "mpf_rate": mpf_rate,
        "mpf_minimum": mpf_min,
        "mpf_maximum": mpf_max,
        "hmf_rate": hmf_rate,
        "citation": citation,
        "submitted_by": by or getpass.getuser(),
        "effective_from": _day(effective_from),
        "effective_to": _day(effective_to),
    }
    try:
        notice = check(FeeNoticeSubmitted, payload)
    except InvalidPayloadError as exc:
        err.print("[red]not sent; the notice breaks its contract:[/red]")
        for problem in exc.problems:
            err.print(f"  [bold]{problem.field}[/bold]: {problem.reason}")
        raise typer.Exit(2) from None
    assert isinstance(notice, FeeNoticeSubmitted)
    try:
        outcome = submit_notice(target(stack, outputs), notice, wait)
    except NoticeRefusedError as refused:
        err.print("[red]not sent; the fee table would refuse it:[/red]")
        for reason in refused.problems:
            err.print(f"  {reason}")
        raise typer.Exit(2) from None
    first, last = notice.period
    console.print(f"sent FY{fiscal_year} ({first} to {last}) · correlation id {outcome.correlation_id}")
    if outcome.answer is None:
        if wait > 0:
            err.print(
                f"[yellow]no answer from the fee table within {wait:.0f} s; see `ior fees list`[/yellow]"
            )
        return
    if outcome.refusal is not None:
        err.print(f"[red]refused ({outcome.refusal['rule']}):[/red] {outcome.refusal['reason']}")
        raise typer.Exit(1)
    coverage = outcome.answer["coverage"]
    console.print(
        f"[green]taken[/green]: fee table {outcome.answer['version']} covers until "
        f"{coverage['covered_until'] or '-'} ({coverage['days_ahead']} days ahead of {coverage['as_of']})"
    )


@app.command("list")
def list_table(stack: StackOption = "local", outputs: OutputsOption = None) -> None:
    """The fee table in force, its rows with their citations, how far ahead it covers, and any
    notice it refused."""
    view = current_fee_table(target(stack, outputs))
    if view is None:
        err.print(
            "[yellow]no fee table yet: the fee notices have not landed (`ior ingest -s CBP_FEES`)[/yellow]"
        )
        raise typer.Exit(1)
    table = Table(
        "fiscal year", "from", "to", "MPF rate", "MPF min", "MPF max", "HMF rate", "recorded by",
        title=f"fee table {view.version}",
    )  # fmt: skip
    for row in view.rows.itertuples():
        first, last = row.effective_from.date().isoformat(), row.effective_to.date().isoformat()
        mpf = (str(row.mpf_rate), str(row.mpf_minimum), str(row.mpf_maximum))
        table.add_row(f"FY{row.fiscal_year}", first, last, *mpf, str(row.hmf_rate), row.recorded_by)
    coverage = view.coverage
    style = "red" if coverage.short else "green"
    until = coverage.covered_until.isoformat() if coverage.covered_until else "-"
    table.caption = (
        f"[{style}]covers until {until}: {coverage.days_ahead} days ahead of {coverage.today} "
        f"(at least {coverage.threshold_days} wanted)[/{style}]"
    )
    console.print(table)
    # The citations in full, one a line: they are what an auditor checks the figures against.
    for row in view.rows.itertuples():
        console.print(f"FY{row.fiscal_year}: {row.citation}", soft_wrap=True, highlight=False)
    for refused in coverage.rejected:
        named = f"FY{refused['fiscal_year']} ({refused['rule']})"
        err.print(f"[yellow]not taken {named}:[/yellow] {refused['reason']}")


def _day(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date") from None

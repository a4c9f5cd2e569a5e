"""`ior ingest`: ask the ingestion service for extracts, and wait for each to land or fail."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from ior_contracts.bus import EventPublisher
from ior_contracts.envelope import Metadata
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops.extracts import OUTCOMES, SOURCE_NAMES, await_outcomes, landed, request_for
from ior_tools.ops.tap import Tap
from ior_tools.ops.target import Target


def ingest(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Repeatable; default: every source.")
    ] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Extract the window ending on this ISO date.")
    ] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for the outcomes; 0 = don't wait.")] = 120.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Request extracts (all 7 SAP sources, the USITC HTS and the fee notices, CBP_FEES, by default)
    and report how each ended."""
    known = list(SOURCE_NAMES)
    names = source or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        err.print(f"[red]unknown source(s) {', '.join(unknown)}; known: {', '.join(known)}[/red]")
        raise typer.Exit(2)
    wanted = date.fromisoformat(day) if day else None
    if not request_and_report(target(stack, outputs), names, wanted, wait):
        raise typer.Exit(1)


def request_and_report(stack: Target, names: list[str], day: date | None, wait: float) -> bool:
    """Request the extracts (as the operator), wait for their outcomes and print them; whether every
    one landed."""
    publisher = EventPublisher(stack.client("events", operator=True), stack.outputs["bus"])
    with Tap(stack, list(OUTCOMES)) as tap:
        sent: dict[str, Metadata] = {n: publisher.publish(request_for(n, day)) for n in names}
        console.print(f"requested {len(sent)} extract(s)")
        if wait <= 0:
            return True
        outcomes = await_outcomes(tap, {m.event_id: n for n, m in sent.items()}, wait)
    table = Table("source", "outcome", "rows", "detail", title="extracts")
    for name in names:
        event = outcomes.get(sent[name].event_id)
        if event is None:
            table.add_row(name, "[yellow]pending[/yellow]", "", f"no outcome within {wait:.0f}s")
            continue
        data = event["detail"]["data"]
        if landed(event):
            table.add_row(
                name, "[green]landed[/green]", str(data["extract"]["row_count"]), data["extract"]["uri"]
            )
        else:
            table.add_row(name, "[red]failed[/red]", "", f"{data['reason']}: {data['detail']}")
    console.print(table)
    return len(outcomes) == len(sent) and all(landed(e) for e in outcomes.values())

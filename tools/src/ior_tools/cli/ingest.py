"""`ior ingest`: ask the ingestion service for extracts, and wait for each to land or fail."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Annotated, Any

import typer
from ior_contracts.bus import EventPublisher
from ior_contracts.envelope import Metadata
from ior_contracts.ingestion import ExtractRequested
from ior_contracts.vocabulary import DateWindow
from ior_ingestion.domain.sources import SOURCES, SapSource
from rich.table import Table

from ior_tools.cli.common import StackOption, console, err, running
from ior_tools.runtime.eventlog import EventLog

OUTCOMES = ("ingestion.extract.landed.v1", "ingestion.extract.failed.v1")


def request_for(name: str, day: date | None) -> ExtractRequested:
    """Without a date the service works from its watermark; with one, that date's window."""
    declared = next(s for s in SOURCES if s.name == name)
    window = None
    if day is not None:
        lookback = declared.lookback_days if isinstance(declared, SapSource) and declared.incremental else 0
        window = DateWindow(from_date=day - timedelta(days=lookback), to_date=day)
    return ExtractRequested(source=name, window=window, trigger="cli")


def ingest(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Repeatable; default: every source.")
    ] = None,
    day: Annotated[
        str | None, typer.Option("--date", help="Extract the window ending on this ISO date.")
    ] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for the outcomes; 0 = don't wait.")] = 120.0,
    stack: StackOption = "local",
) -> None:
    """Request extracts (all 7 SAP sources and the USITC HTS by default) and report how each ended."""
    known = [s.name for s in SOURCES]
    names = source or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        err.print(f"[red]unknown source(s) {', '.join(unknown)}; known: {', '.join(known)}[/red]")
        raise typer.Exit(2)
    state = running(stack)
    publisher = EventPublisher(state.aws.client("events"), state.naming.bus)
    wanted = date.fromisoformat(day) if day else None
    if not request_and_report(publisher, EventLog(state.event_log_path), names, wanted, wait):
        raise typer.Exit(1)


def request_and_report(
    publisher: EventPublisher, log: EventLog, names: list[str], day: date | None, wait: float
) -> bool:
    """Request the extracts, wait for their outcomes and print them; whether every one landed."""
    sent: dict[str, Metadata] = {n: publisher.publish(request_for(n, day)) for n in names}
    console.print(f"requested {len(sent)} extract(s)")
    if wait <= 0:
        return True
    outcomes = await_outcomes(log, {m.event_id: n for n, m in sent.items()}, wait)
    table = Table("source", "outcome", "rows", "detail", title="extracts")
    for name in names:
        event = outcomes.get(sent[name].event_id)
        if event is None:
            table.add_row(name, "[yellow]pending[/yellow]", "", f"no outcome within {wait:.0f}s")
            continue
        data = event["detail"]["data"]
        if event["detail-type"] == OUTCOMES[0]:
            table.add_row(
                name, "[green]landed[/green]", str(data["extract"]["row_count"]), data["extract"]["uri"]
            )
        else:
            table.add_row(name, "[red]failed[/red]", "", f"{data['reason']}: {data['detail']}")
    console.print(table)
    return len(outcomes) == len(sent) and all(e["detail-type"] == OUTCOMES[0] for e in outcomes.values())


def await_outcomes(log: EventLog, causes: dict[str, str], timeout: float) -> dict[str, dict[str, Any]]:
    """The landed/failed event answering each request, by the request's event id."""
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    while len(found) < len(causes) and time.monotonic() < deadline:
        for logged in log.caused_by(list(causes), OUTCOMES):
            found[logged.event["detail"]["metadata"]["causation_id"]] = logged.event
        if len(found) < len(causes):
            time.sleep(0.2)
    return found

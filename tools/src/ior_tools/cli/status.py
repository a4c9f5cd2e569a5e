"""`ior status`: the topology declared so far and how each part of a running stack is doing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from ior_contracts.freshness import Freshness
from ior_contracts.topology import Topology, load_topology
from rich.table import Table

from ior_tools.cli.common import StackOption, console, err, running
from ior_tools.ops import health
from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.scheduler import next_fire
from ior_tools.runtime.stack import queue_depth
from ior_tools.runtime.state import StackState


def status(
    stack: StackOption = "local",
    events: int = 10,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 when a source is stale or failing, a dataset stale, a DLQ not empty, the fee "
            "table short of 45 days ahead, or a newer HTS revision waiting too long.",
        ),
    ] = False,
) -> None:
    """Services, subscriptions (queue, in flight, DLQ), schedules, freshness and the last events."""
    topology = load_topology()
    state = running(stack)
    found = render(topology, state, events)
    if not check:
        return
    if found:
        err.print(f"[red]unhealthy: {len(found)} problem(s)[/red]")
        for problem in found:
            err.print(f"  {problem}")
        raise typer.Exit(1)
    console.print("[green]healthy[/green]")


def render(topology: Topology, state: StackState, events: int = 10) -> list[str]:
    """Print the stack's state; what makes it unhealthy (see `ior_tools.ops.health`)."""
    sqs = state.aws.client("sqs")
    console.print(f"stack [bold]{state.stage}[/bold] · AWS at {state.endpoint} · up since {state.started_at}")
    for name, url in sorted(state.urls.items()):
        console.print(f"  {name}: {url}")
    console.print(subscriptions_table(topology, state, sqs))
    console.print(schedules_table(topology))
    log = EventLog(state.event_log_path)
    logged, now = log.window(), datetime.now(UTC)
    source_rows, dataset_rows = health.sources(logged, now), health.datasets(logged, now)
    fees, revisions = health.fee_coverage(logged, now), health.waiting_revisions(logged)
    console.print(sources_table(source_rows))
    console.print(datasets_table(dataset_rows))
    console.print(fees_line(fees))
    console.print(events_table(log, events))
    dlqs = {name: sum(queue_depth(sqs, q.dlq_url)) for name, q in state.queues.items()}
    return health.problems(source_rows, dataset_rows, dlqs, fees, revisions)


def fees_line(fees: health.FeeCoverage) -> str:
    if fees.version is None:
        return "fee table: [yellow]none yet[/yellow]"
    style = "red" if fees.short else "green"
    until = fees.covered_until.isoformat() if fees.covered_until else "-"
    return (
        f"fee table {fees.version[:16]}: covers until {until}, "
        f"[{style}]{fees.days_ahead} days ahead[/{style}] (at least {fees.threshold_days})"
    )


def subscriptions_table(topology: Topology, state: StackState, sqs: Any) -> Table:
    table = Table(title="subscriptions")
    for column in (
        "service",
        "subscription",
        "contracts",
        "handler",
        "batch",
        "visibility",
        "queued",
        "in flight",
        "DLQ",
    ):
        table.add_column(column)
    declared = {sub.name: (service.name, sub) for service, sub in topology.subscriptions}
    # What is declared, and what the running stack provisioned (it may run extra services).
    for name in sorted(set(declared) | set(state.queues), key=lambda n: (_service_of(n, declared, state), n)):
        queue = state.queues.get(name)
        if queue is None:
            depth, dlq = ("-", "-"), "not provisioned"
        else:
            visible, inflight = queue_depth(sqs, queue.queue_url)
            depth, dlq_depth = (str(visible), str(inflight)), sum(queue_depth(sqs, queue.dlq_url))
            dlq = f"[red]{dlq_depth}[/red]" if dlq_depth else "0"
        if name in declared:
            sub = declared[name][1]
            details = [
                "\n".join(sub.detail_types),
                sub.handler,
                str(sub.batch_size),
                f"{sub.visibility_timeout_s}s",
            ]
        else:
            details = [
                "\n".join(queue.pattern.get("detail-type", [])) if queue else "",
                "(not installed here)",
                "",
                "",
            ]
        table.add_row(_service_of(name, declared, state), name, *details, *depth, dlq)
    if not declared and not state.queues:
        table.caption = "no subscriptions declared yet"
    return table


def _service_of(name: str, declared: dict[str, Any], state: StackState) -> str:
    return str(declared[name][0]) if name in declared else state.queues[name].service


def schedules_table(topology: Topology) -> Table:
    table = Table("service", "schedule", "cron (UTC)", "emits", "next", title="schedules")
    now = datetime.now(UTC)
    for service, sch in topology.schedules:
        table.add_row(service.name, sch.name, sch.cron, sch.detail_type, next_fire(sch.cron, now).isoformat())
    if not topology.schedules:
        table.caption = "no schedules declared yet"
    return table


def events_table(log: EventLog, n: int) -> Table:
    table = Table(
        "occurred at", "source", "detail-type", "event id", title=f"last {n} events ({log.count()} logged)"
    )
    for e in log.last(n):
        table.add_row(e.occurred_at.isoformat(timespec="milliseconds"), e.source, e.detail_type, e.event_id)
    return table


_STATE_STYLE = {"fresh": "green", "stale": "red", "never": "yellow"}


def _freshness(f: Freshness) -> str:
    return f"[{_STATE_STYLE[f.state]}]{f.state}[/{_STATE_STYLE[f.state]}]"


def _age(f: Freshness) -> str:
    age = "-" if f.age_s is None else _duration(f.age_s)
    return f"{age} / {_duration(f.max_age_s)}"


def _duration(seconds: int) -> str:
    if seconds >= 86400:
        return f"{seconds / 86400:.1f}d"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds}s"


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else "-"


def sources_table(rows: list[health.SourceFreshness]) -> Table:
    table = Table(
        "source", "freshness", "age / max", "last landed", "last failed", "failure", title="sources"
    )
    for r in rows:
        failure = f"[red]{r.last_failure}[/red]" if r.failing else r.last_failure
        table.add_row(
            r.source, _freshness(r.freshness), _age(r.freshness), _when(r.last_landed), _when(r.last_failed),
            failure,
        )  # fmt: skip
    return table


def datasets_table(rows: list[health.DatasetFreshness]) -> Table:
    table = Table("dataset", "mode", "freshness", "age / max", "last published", "version", title="datasets")
    table.caption = f"only the {health.JUDGED_MODE} datasets count towards `ior status --check`"
    for r in rows:
        table.add_row(
            r.dataset, r.mode, _freshness(r.freshness), _age(r.freshness), _when(r.last_published),
            r.version[:16],
        )  # fmt: skip
    return table

"""`ior status`: how each part of a stack is doing, deployed or local: its subscriptions' queues and
DLQs, its schedules, the freshness of each source and dataset (judged from the API's read models,
as the dashboard is), and the last runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from ior_api.entrypoints.operations import FeeTableCoverage, PipelineRuns
from ior_contracts.freshness import Freshness
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops import health
from ior_tools.ops.target import Target
from ior_tools.runtime.stack import queue_depth


def status(
    stack: StackOption = "local",
    outputs: OutputsOption = None,
    events: Annotated[int, typer.Option(help="How many of the last runs to show.")] = 10,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Exit 1 when a source is stale or failing, a dataset stale, a DLQ not empty, the fee "
            "table short of 45 days ahead, or a newer HTS revision waiting too long.",
        ),
    ] = False,
) -> None:
    """Subscriptions (queue, in flight, DLQ), schedules, freshness and the last runs."""
    found = render(target(stack, outputs), events)
    if not check:
        return
    if found:
        err.print(f"[red]unhealthy: {len(found)} problem(s)[/red]")
        for problem in found:
            err.print(f"  {problem}")
        raise typer.Exit(1)
    console.print("[green]healthy[/green]")


def render(stack: Target, last: int = 10) -> list[str]:
    """Print the stack's state; what makes it unhealthy (see `ior_tools.ops.health`)."""
    sqs = stack.client("sqs")
    where = stack.endpoint_url or f"AWS {stack.region}"
    console.print(f"stack [bold]{stack.stage}[/bold] · {where}")
    depths = {s: (queue_depth(sqs, url), sum(queue_depth(sqs, stack.outputs["dlqs"][s])))
              for s, url in sorted(stack.outputs["queues"].items())}  # fmt: skip
    console.print(subscriptions_table(stack, depths))
    console.print(schedules_table(stack))
    runs = PipelineRuns(stack.client, stack.table("api"))
    now = datetime.now(UTC)
    source_history, dataset_history = runs.sources(), runs.datasets()
    source_rows = health.sources(source_history, now)
    dataset_rows = health.datasets(dataset_history, now)
    reference = runs.reference(now)
    console.print(sources_table(source_rows))
    console.print(datasets_table(dataset_rows))
    console.print(fees_line(reference.fees))
    console.print(hts_line(reference.hts_landed, reference.hts_waiting))
    console.print(last_runs_table(source_history, dataset_history, last))
    dlqs = {s: dlq for s, (_, dlq) in depths.items()}
    return health.problems(source_rows, dataset_rows, dlqs, reference.fees, reference.hts_waiting)


def fees_line(fees: FeeTableCoverage) -> str:
    if fees.version is None:
        return "fee table: [yellow]none yet[/yellow]"
    style = "red" if fees.short else "green"
    until = fees.covered_until.isoformat() if fees.covered_until else "-"
    return (
        f"fee table {fees.version[:16]}: covers until {until}, "
        f"[{style}]{fees.days_ahead} days ahead[/{style}] (at least {fees.threshold_days})"
    )


def hts_line(landed: dict[str, Any] | None, waiting: str | None) -> str:
    shown = "official HTS: none yet"
    if landed:
        shown = f"official HTS: {landed['revision']} landed {landed['at'][:19]}"
    return shown + (f" · [red]{waiting}[/red]" if waiting else "")


def subscriptions_table(stack: Target, depths: dict[str, tuple[tuple[int, int], int]]) -> Table:
    table = Table("service", "subscription", "function", "queued", "in flight", "DLQ", title="subscriptions")
    services, functions = stack.services(), stack.outputs.get("functions", {})
    for name, ((visible, inflight), dlq) in sorted(depths.items(), key=lambda kv: (services[kv[0]], kv[0])):
        shown = f"[red]{dlq}[/red]" if dlq else "0"
        table.add_row(services[name], name, functions.get(name, ""), str(visible), str(inflight), shown)
    return table


def schedules_table(stack: Target) -> Table:
    table = Table("schedule", "expression (UTC)", "state", title="schedules")
    scheduler = stack.client("scheduler")
    for name in sorted(stack.outputs.get("schedules", {}).values()):
        group = f"ior-{stack.stage}"
        found = scheduler.get_schedule(Name=name, GroupName=group)
        table.add_row(name, found["ScheduleExpression"], found.get("State", ""))
    return table


def last_runs_table(
    sources: dict[str, list[dict[str, Any]]], datasets: dict[tuple[str, str], list[dict[str, Any]]], n: int
) -> Table:
    runs = [(r["at"], f"source {s}", r) for s, found in sources.items() for r in found]
    runs += [(r["at"], f"dataset {d} ({m})", r) for (d, m), found in datasets.items() for r in found]
    table = Table("at", "what", "status", "rows", "detail", title=f"last {n} runs")
    for at, what, run in sorted(runs, key=lambda r: str(r[0]), reverse=True)[:n]:
        table.add_row(str(at), what, run["status"], str(run.get("rows") or ""), str(run.get("detail") or ""))
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

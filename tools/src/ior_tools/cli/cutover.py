"""`ior cutover status|cutover|rollback`: the cutover gate of the compare service.

`cutover` and `rollback` put `cutover.change.requested.v1` on the bus (as the API does) and wait
for the gate's answer: `cutover.state.changed.v1` on the bus (watched through a tap), or the refusal
the compare table records for the request (refusals have no event). `status` reads the compare table.
On any stack, deployed or local; the requests go out as the operator."""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer
from ior_compare.domain.records import Refusal
from ior_compare.domain.status import GateStatus
from ior_compare.entrypoints.operations import CompareOperations
from ior_contracts.bus import EventPublisher, PublishError
from ior_contracts.cutover import CutoverAction, CutoverChangeRequested, CutoverStateChanged
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops.tap import Tap, caused_by
from ior_tools.ops.target import Target

app = typer.Typer(
    help="The cutover gate: which path's lines are official, from which date.", no_args_is_help=True
)

ReasonOption = Annotated[str, typer.Option("--reason", help="Why; kept in the audit trail.")]
ActorOption = Annotated[
    str | None, typer.Option("--as", help="Who asks (default: $USER), kept in the audit trail.")
]
WaitOption = Annotated[float, typer.Option(help="Seconds to wait for the gate's answer.")]


@dataclass(frozen=True)
class Answer:
    """The gate's answer to one request: the change announced, or the refusal recorded."""

    changed: dict[str, Any] | None = None
    refusal: Refusal | None = None


@app.command("status")
def status(stack: StackOption = "local", outputs: OutputsOption = None) -> None:
    """The gate's state, the parity streak, the last change and the last refusal."""
    found = target(stack, outputs)
    console.print(status_table(CompareOperations(found.client, found.table("compare")).gate_status()))


@app.command("cutover")
def cutover(
    effective_date: Annotated[
        str,
        typer.Option("--effective-date", help="First arrival date (ISO) the automated lines are official."),
    ],
    reason: ReasonOption,
    force: Annotated[
        bool, typer.Option("--force", help="Cut over below the required parity streak.")
    ] = False,
    actor: ActorOption = None,
    wait: WaitOption = 30.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Make the automated lines official from a date: allowed at the required parity streak, or forced."""
    _ask("cutover", _date(effective_date), reason, force, actor, wait, target(stack, outputs))


@app.command("rollback")
def rollback(
    reason: ReasonOption,
    effective_date: Annotated[
        str | None,
        typer.Option(
            "--effective-date", help="First arrival date (ISO) back on the manual lines; default today."
        ),
    ] = None,
    actor: ActorOption = None,
    wait: WaitOption = 30.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Make the manual lines official again from a date."""
    when = _date(effective_date) if effective_date else datetime.now(UTC).date()
    _ask("rollback", when, reason, False, actor, wait, target(stack, outputs))


def _ask(
    action: CutoverAction,
    effective: date,
    reason: str,
    force: bool,
    actor: str | None,
    wait: float,
    stack: Target,
) -> None:
    if not reason.strip():
        raise typer.BadParameter("a reason is required", param_hint="--reason")
    request = CutoverChangeRequested(
        action=action,
        effective_date=effective,
        reason=reason,
        force=force,
        requested_by=actor or os.environ.get("USER") or "ior-cli",
        request_id=f"cli-{uuid.uuid4().hex[:16]}",
    )
    with Tap(stack, [CutoverStateChanged.DETAIL_TYPE]) as tap:
        try:
            publisher = EventPublisher(stack.client("events", operator=True), stack.outputs["bus"])
            sent = publisher.publish(request)
        except PublishError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from None
        console.print(f"asked for {action} from {effective} (request {request.request_id})")
        answer = await_answer(stack, tap, sent.event_id, request.request_id, wait)
    if answer.changed is not None:
        console.print(changed_text(answer.changed))
        return
    if answer.refusal is not None:
        err.print(f"[red]refused:[/red] {answer.refusal.refused_because}")
        raise typer.Exit(1)
    err.print(f"[yellow]no answer from the gate within {wait:.0f}s[/yellow] (see `ior cutover status`)")
    raise typer.Exit(1)


def await_answer(stack: Target, tap: Tap, event_id: str, request_id: str, timeout: float) -> Answer:
    """The change the gate announced for the request, or the refusal it recorded (refusals have no
    event), read as the operator."""
    compare = CompareOperations(lambda name: stack.client(name, operator=True), stack.table("compare"))
    deadline = time.monotonic() + timeout
    while True:
        tap.drain()
        changed = caused_by(tap.seen, {event_id}, (CutoverStateChanged.DETAIL_TYPE,))
        if changed:
            return Answer(changed=changed[0]["detail"]["data"])
        refusal = compare.refusal(request_id)
        if refusal is not None:
            return Answer(refusal=refusal)
        if time.monotonic() >= deadline:
            return Answer()


def changed_text(data: dict[str, Any]) -> str:
    forced = ", [bold]forced[/bold]" if data["forced"] else ""
    return (
        f"[green]{data['previous_state']} → {data['state']}[/green] from {data['effective_date']} "
        f"(change {data['change_id']}, parity streak {data['streak']} of {data['required_streak']}{forced}; "
        f"by {data['changed_by']}: {data['reason']})"
    )


def status_table(found: GateStatus) -> Table:
    table = Table("", "", title="cutover gate", show_header=False)
    since = f" from {found.state.effective_date}" if found.state.effective_date else ""
    table.add_row("state", f"[bold]{found.state.state}[/bold]{since}")
    streak = found.streak
    verdict = "[green]ready[/green]" if found.ready else "[yellow]not ready[/yellow]"
    line = f"{streak.days} of {found.required_streak} business day(s) as of {streak.as_of}: {verdict}"
    if streak.broken_on is not None:
        line += f"; broken on {streak.broken_on} ({str(streak.broken_because).replace('_', ' ')})"
    table.add_row("parity streak", line)
    if found.awaiting:
        table.add_row("awaiting comparison", ", ".join(day.isoformat() for day in found.awaiting))
    change = found.last_change
    if change is None:
        table.add_row("last change", "none")
    else:
        forced = ", forced" if change.forced else ""
        table.add_row(
            "last change",
            f"{change.change_id}: {change.action} from {change.effective_date} "
            f"at {change.at:%Y-%m-%d %H:%M} UTC by {change.actor}{forced} (streak {change.streak}): "
            f"{change.reason}",
        )
    refusal = found.last_refusal
    if refusal is None:
        table.add_row("last refusal", "none")
    else:
        table.add_row(
            "last refusal",
            f"{refusal.action} from {refusal.effective_date} at {refusal.at:%Y-%m-%d %H:%M} UTC by "
            f"{refusal.requested_by} (request {refusal.request_id}): {refusal.refused_because}",
        )
    return table


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date") from None

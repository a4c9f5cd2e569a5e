"""`ior emit`, `ior replay`, `ior dlq`: talking to the bus and the queues of a running stack."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer
from ior_contracts.bus import EventPublisher, PublishError
from ior_contracts.registry import UnknownDetailTypeError, model_for
from rich.table import Table

from ior_tools.cli.common import StackOption, console, err, moment, running
from ior_tools.cli.payloads import InvalidPayloadError, check
from ior_tools.runtime import dlq as dead_letters
from ior_tools.runtime.eventlog import EventLog
from ior_tools.runtime.provision import QueuePair
from ior_tools.runtime.replay import UnknownStageError
from ior_tools.runtime.replay import replay as replay_window


def emit(
    detail_type: Annotated[str, typer.Argument(help="e.g. customs.run.requested.v1")],
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="JSON file with the payload (`data`).")
    ] = None,
    data: Annotated[
        str | None, typer.Option("--data", "-d", help="The payload (`data`) as JSON text.")
    ] = None,
    example: Annotated[bool, typer.Option("--example", help="Send the contract's example payload.")] = False,
    correlation_id: Annotated[str | None, typer.Option(help="Join an existing flow.")] = None,
    stack: StackOption = "local",
) -> None:
    """Validate a payload against its contract and put it on the bus (nothing is sent if invalid)."""
    try:
        model = model_for(detail_type)
    except UnknownDetailTypeError as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2) from None
    if sum(x is not None and x is not False for x in (file, data, example)) != 1:
        raise typer.BadParameter("give exactly one of --file, --data or --example")
    if example:
        from ior_contracts.examples import load

        payload = load(detail_type)["detail"]["data"]
    else:
        text = file.read_text() if file is not None else str(data)
        try:
            payload = json.loads(text)
        except ValueError as exc:
            err.print(f"[red]{detail_type}: the payload is not JSON: {exc}[/red]")
            raise typer.Exit(2) from None
    try:
        event = check(model, payload)
    except InvalidPayloadError as exc:
        err.print(f"[red]{detail_type} was not sent; the payload breaks its contract:[/red]")
        for problem in exc.problems:
            err.print(f"  [bold]{problem.field}[/bold]: {problem.reason}")
        raise typer.Exit(2) from None
    state = running(stack)
    publisher = EventPublisher(state.aws.client("events"), state.naming.bus)
    try:
        metadata = publisher.publish(event, correlation_id=correlation_id)
    except PublishError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"sent [bold]{detail_type}[/bold] event_id={metadata.event_id} from {model.SOURCE}")


def replay(
    service: Annotated[str, typer.Option("--stage", help="The service whose rules receive the replay.")],
    since: Annotated[str | None, typer.Option(help="ISO date or date-time, inclusive (UTC).")] = None,
    until: Annotated[str | None, typer.Option(help="ISO date or date-time, exclusive (UTC).")] = None,
    stack: StackOption = "local",
) -> None:
    """Re-deliver the events of a window from the event log to one service's subscriptions only."""
    state = running(stack)
    name = f"replay-{service}-{uuid.uuid4().hex[:8]}"
    try:
        result = replay_window(
            EventLog(state.event_log_path),
            state.queues,
            state.aws.client("sqs"),
            stage=service,
            since=moment(since),
            until=moment(until),
            name=name,
        )
    except UnknownStageError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{name}: {result.considered} events in the window, {result.delivered} deliveries")
    for sub, n in sorted(result.deliveries.items()):
        console.print(f"  {sub}: {n}")


dlq_app = typer.Typer(help="Dead-letter queues: inspect and redrive.", no_args_is_help=True)


@dlq_app.command("show")
def dlq_show(
    subscription: Annotated[str, typer.Argument(help="The subscription whose DLQ to show.")],
    limit: int = 10,
    stack: StackOption = "local",
) -> None:
    """List the messages in a subscription's DLQ (they stay there)."""
    state = running(stack)
    queue = _queue(subscription, state.queues)
    letters = dead_letters.peek(state.aws.client("sqs"), queue.dlq_url, limit)
    table = Table("message", "detail-type", "event id", "receives", title=f"{subscription} DLQ")
    for letter in letters:
        table.add_row(letter.message_id, letter.detail_type, letter.event_id, str(letter.receive_count))
    console.print(table)


@dlq_app.command("redrive")
def dlq_redrive(
    subscription: Annotated[str, typer.Argument(help="The subscription whose DLQ to redrive.")],
    stack: StackOption = "local",
) -> None:
    """Move every message of a subscription's DLQ back to its queue."""
    state = running(stack)
    queue = _queue(subscription, state.queues)
    moved = dead_letters.redrive(state.aws.client("sqs"), queue.dlq_url, queue.queue_url)
    console.print(f"redrove {moved} message(s) from {subscription} DLQ to its queue")


def _queue(subscription: str, queues: dict[str, QueuePair]) -> QueuePair:
    if subscription not in queues:
        err.print(f"[red]no subscription {subscription!r}; known: {', '.join(sorted(queues))}[/red]")
        raise typer.Exit(2)
    return queues[subscription]

"""`ior emit`, `ior replay`, `ior dlq`: the bus and the queues of a stack, deployed or local."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from ior_contracts.bus import EventPublisher, PublishError
from ior_contracts.registry import UnknownDetailTypeError, model_for
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, moment, target
from ior_tools.cli.payloads import InvalidPayloadError, check
from ior_tools.ops import redelivery
from ior_tools.ops.target import Target
from ior_tools.runtime import dlq as dead_letters


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
    outputs: OutputsOption = None,
) -> None:
    """Validate a payload against its contract and put it on the bus as the operator (nothing is sent
    if invalid)."""
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
    found = target(stack, outputs)
    publisher = EventPublisher(found.client("events", operator=True), found.outputs["bus"])
    try:
        metadata = publisher.publish(event, correlation_id=correlation_id)
    except PublishError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"sent [bold]{detail_type}[/bold] event_id={metadata.event_id} from {model.SOURCE}")


def replay(
    service: Annotated[str, typer.Option("--stage", help="The service whose rules receive the replay.")],
    since: Annotated[str, typer.Option(help="ISO date or date-time, inclusive (UTC).")],
    until: Annotated[
        str | None, typer.Option(help="ISO date or date-time, exclusive (UTC); default now.")
    ] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for the replay to end.")] = 300.0,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Replay a window of the bus's archive to one service's rules only, and wait until it is done."""
    start, end = moment(since), moment(until) or datetime.now(UTC)
    assert start is not None
    found = target(stack, outputs)
    try:
        done = redelivery.replay(found, service, start, end, wait=wait)
    except redelivery.UnknownStageError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if done.fallback:
        console.print(f"[yellow]{done.fallback}[/yellow]")
    console.print(f"{done.name}: {done.state}")
    for sub, n in sorted(done.deliveries.items()):
        console.print(f"  {sub}: {n}")
    if done.state != "COMPLETED":
        raise typer.Exit(1)


dlq_app = typer.Typer(help="Dead-letter queues: inspect and redrive.", no_args_is_help=True)


@dlq_app.command("show")
def dlq_show(
    subscription: Annotated[str, typer.Argument(help="The subscription whose DLQ to show.")],
    limit: int = 10,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """List the messages in a subscription's DLQ (they stay there)."""
    found = target(stack, outputs)
    letters = dead_letters.peek(found.client("sqs"), _dlq(found, subscription), limit)
    table = Table("message", "detail-type", "event id", "receives", title=f"{subscription} DLQ")
    for letter in letters:
        table.add_row(letter.message_id, letter.detail_type, letter.event_id, str(letter.receive_count))
    console.print(table)


@dlq_app.command("redrive")
def dlq_redrive(
    subscription: Annotated[str, typer.Argument(help="The subscription whose DLQ to redrive.")],
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Move every message of a subscription's DLQ back to its queue (SQS's message-move task)."""
    found = target(stack, outputs)
    _dlq(found, subscription)
    done = redelivery.redrive(found, subscription)
    if done.fallback:
        console.print(f"[yellow]{done.fallback}[/yellow]")
    console.print(f"redrove {done.moved} message(s) from {subscription} DLQ to its queue")


def _dlq(found: Target, subscription: str) -> str:
    dlqs: dict[str, str] = found.outputs["dlqs"]
    if subscription not in dlqs:
        err.print(f"[red]no subscription {subscription!r}; known: {', '.join(sorted(dlqs))}[/red]")
        raise typer.Exit(2)
    return dlqs[subscription]

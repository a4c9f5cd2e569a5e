"""What every command shares: the console, the stack options, the stack it operates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ior_tools.ops.target import NoOutputsError, Target, resolve
from ior_tools.runtime.state import NoStackError, StackState

console = Console()
err = Console(stderr=True)

StackOption = Annotated[
    str, typer.Option("--stack", envvar="IOR_STAGE", help="Which stack: `local` is the one `ior up` runs.")
]
OutputsOption = Annotated[
    Path | None,
    typer.Option(
        "--outputs",
        envvar="IOR_OUTPUTS",
        help="The stack's `pulumi stack output --json`; default: the local stack running it, else the "
        "Pulumi CLI. AWS credentials come from the usual chain (profile, SSO, environment).",
    ),
]


def target(stack: str, outputs: Path | None = None) -> Target:
    """The stack to operate, deployed or local, by its outputs."""
    try:
        return resolve(stack, outputs)
    except (NoOutputsError, OSError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def running(stage: str) -> StackState:
    try:
        return StackState.read(stage)
    except NoStackError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def moment(text: str | None) -> datetime | None:
    """An ISO date or date-time; naive values are UTC."""
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date or date-time") from None
    if len(text) == 10:
        parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

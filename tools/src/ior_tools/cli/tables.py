"""`ior table restore`: a service's table restored to a point in time, as a new table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from ior_tools.cli.common import OutputsOption, StackOption, console, err, moment, target
from ior_tools.ops import tables as ops

app = typer.Typer(help="Service tables: point-in-time restore.", no_args_is_help=True)


@app.command("restore")
def restore(
    service: Annotated[str, typer.Argument(help="The service whose table to restore, e.g. `etl`.")],
    to: Annotated[str, typer.Option("--to", help="ISO date-time (UTC) to restore to.")],
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Restore the table as it was at --to into `<table>-restored-<time>` (as the operator); the
    service keeps using its own table until the stack's configuration points it at the new one
    (docs/runbook.md, "Restoring a table")."""
    when = moment(to)
    assert when is not None
    if when > datetime.now(UTC):
        raise typer.BadParameter(f"{to} is in the future")
    found = target(stack, outputs)
    try:
        done = ops.restore(
            found.client("dynamodb", operator=True), dict(found.outputs["tables"]), service, when
        )
    except (ops.UnknownServiceError, ops.RecoveryNotEnabledError) as exc:
        err.print(f"[red]{exc.args[0]}[/red]")
        raise typer.Exit(2) from None
    console.print(
        f"restored [bold]{done.source}[/bold] as of {done.to.isoformat()} into [bold]{done.target}[/bold]"
    )
    console.print(f"  {done.items} item(s) (DynamoDB's count, refreshed about every six hours in AWS)")
    if done.earliest or done.latest:
        console.print(f"  restorable window: {done.earliest} … {done.latest}")
    if found.rehearsal:
        console.print(
            "[yellow]local stack: moto ignores the restore time; the new table is a copy of the table "
            "as it is now[/yellow]"
        )
    console.print(
        "next: compare the restored table with the live one; to switch, point the service at it through "
        "the stack's configuration (its functions' IOR_TABLE_NAME and their roles' grants follow):\n"
        f"  pulumi config set --stack {stack} --path 'tableOverrides.{service}' {done.target}\n"
        f"  pulumi up --stack {stack}\n"
        f"then replay what came after the restore time: "
        f"`ior replay --stack {stack} --stage {service} --since {done.to.isoformat()}`"
    )

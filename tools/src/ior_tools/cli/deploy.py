"""`ior deploy rollback|prune`: a deployed stack's published Lambda versions. Rollback points the
snapshotted functions' `live` alias back at an earlier version (as the operator); prune, which the
deploy workflow runs after each `pulumi up`, deletes the old unaliased ones."""

from __future__ import annotations

from typing import Annotated

import typer

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops.versions import NoEarlierVersionError, prune_versions, rollback

app = typer.Typer(
    help="Published Lambda versions: roll back a deploy, prune old versions.", no_args_is_help=True
)


def _functions(stack: str, outputs: OutputsOption, only: list[str] | None) -> tuple[object, list[str]]:
    found = target(stack, outputs)
    functions: list[str] = list(found.outputs.get("snapshottedFunctions", []))
    unknown = sorted(set(only or ()) - set(functions))
    if unknown:
        err.print(f"[red]not a published function of {stack}: {', '.join(unknown)}; "
                  f"published: {', '.join(functions)}[/red]")  # fmt: skip
        raise typer.Exit(2)
    return found, [f for f in functions if not only or f in only]


@app.command("rollback")
def rollback_command(
    function: Annotated[
        list[str] | None, typer.Option("--function", help="Only this function (repeatable); default all.")
    ] = None,
    to: Annotated[
        str | None, typer.Option(help="The version to go back to; default the previous one.")
    ] = None,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Point each snapshotted function's `live` alias at its previous published version (or --to),
    as the operator. Functions without an alias run $LATEST: roll them back by deploying the
    previous commit (docs/runbook.md, "Rolling back a deploy")."""
    found, functions = _functions(stack, outputs, function)
    client = found.client("lambda", operator=True)  # type: ignore[attr-defined]
    failed = False
    for name in functions:
        try:
            done = rollback(client, name, to=to)
        except NoEarlierVersionError as exc:
            err.print(f"[red]{exc}[/red]")
            failed = True
            continue
        console.print(f"{done.function}:{done.alias} {done.previous} → {done.now}")
    if failed:
        raise typer.Exit(1)


@app.command("prune")
def prune(
    keep: Annotated[int, typer.Option(min=1, help="Unaliased versions kept besides the aliased ones.")] = 3,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Delete the snapshotted functions' published versions beyond the newest KEEP that no alias
    names (with the caller's credentials: the deploy workflow's role)."""
    found, functions = _functions(stack, outputs, None)
    client = found.client("lambda")  # type: ignore[attr-defined]
    for function in functions:
        pruned = prune_versions(client, function, keep)
        console.print(f"{function}: kept {', '.join(pruned.kept) or '-'}; deleted {len(pruned.deleted)}")

"""`ior versions prune`: old published versions of a deployed stack's snapshotted functions go,
the aliased ones and the newest few stay (run by the deploy workflow after each `pulumi up`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import boto3
import typer

from ior_tools.cli.common import console, err
from ior_tools.ops.versions import prune_versions

app = typer.Typer(help="Published Lambda versions of a deployed stack.", no_args_is_help=True)


@app.command("prune")
def prune(
    outputs: Annotated[Path, typer.Option(help="The stack's `pulumi stack output --json`.")],
    keep: Annotated[int, typer.Option(min=1, help="Unaliased versions kept besides the aliased ones.")] = 3,
) -> None:
    """Delete the snapshotted functions' published versions beyond the newest KEEP that no alias
    names. AWS credentials come from the usual chain."""
    try:
        functions = json.loads(outputs.read_text())["snapshottedFunctions"]
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]{outputs}: not a stack's outputs with snapshottedFunctions ({exc})[/red]")
        raise typer.Exit(2) from None
    client = boto3.client("lambda")
    for function in functions:
        pruned = prune_versions(client, function, keep)
        console.print(f"{function}: kept {', '.join(pruned.kept) or '-'}; deleted {len(pruned.deleted)}")

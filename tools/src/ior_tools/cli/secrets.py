"""`ior secrets versions|rotate`: the SAP credentials and the JWT signing key in Secrets Manager."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from ior_contracts.topology import ROTATED_IN_PLACE
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target
from ior_tools.ops import secrets as ops
from ior_tools.ops.target import Target

app = typer.Typer(help="Secrets: list versions and staging labels, rotate.", no_args_is_help=True)

NameArgument = Annotated[str, typer.Argument(help="`sap` or `jwt`.")]
# The SAP values come from the environment or a prompt, never from the command line (shell history).
SAP_ENV = {"base_url": "IOR_SAP_BASE_URL", "username": "IOR_SAP_USERNAME", "password": "IOR_SAP_PASSWORD"}


@app.command("versions")
def versions(name: NameArgument, stack: StackOption = "local", outputs: OutputsOption = None) -> None:
    """Each version of the secret with its staging labels and a fingerprint (never the value)."""
    found = target(stack, outputs)
    client = found.client("secretsmanager", operator=True)
    secret = _secret(found, name)
    console.print(versions_table(secret, ops.versions(client, secret)))


@app.command("rotate")
def rotate(
    name: NameArgument,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Put a new version as AWSPENDING, move AWSCURRENT onto it (the old one becomes AWSPREVIOUS).
    `jwt`: a fresh random key (signs every session out). `sap`: the new credentials from
    IOR_SAP_USERNAME / IOR_SAP_PASSWORD (/ IOR_SAP_BASE_URL) or a prompt."""
    if name not in ROTATED_IN_PLACE:
        err.print(f"[red]only {' and '.join(ROTATED_IN_PLACE)} are rotated here; got {name!r}[/red]")
        raise typer.Exit(2)
    found = target(stack, outputs)
    client = found.client("secretsmanager", operator=True)
    secret = _secret(found, name)
    if name == "jwt":
        value = ops.new_jwt_value()
    else:
        given = {field: os.environ.get(env) for field, env in SAP_ENV.items()}
        if not given["username"]:
            given["username"] = typer.prompt("SAP user name")
        if not given["password"]:
            given["password"] = typer.prompt("SAP password", hide_input=True, confirmation_prompt=True)
        try:
            value = ops.sap_value(ops.current_value(client, secret), given)
        except ops.IncompleteSecretError as exc:
            err.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None
    if not yes:
        typer.confirm(f"rotate {secret}?", abort=True)
    version = ops.rotate(client, secret, value)
    console.print(f"rotated [bold]{secret}[/bold]: AWSCURRENT is now version {version}")
    console.print(versions_table(secret, ops.versions(client, secret)))
    if name == "jwt":
        console.print("every session signed with the previous key is now refused: users log in again")
    if found.rehearsal:
        console.print(
            "[yellow]local stack: moto's reads that name no stage keep returning the version that was "
            "current when the stack started; restart the stack (`ior down`, `ior up`) for the services "
            "to read the new value[/yellow]"
        )


def versions_table(secret: str, found: list[ops.Version]) -> Table:
    table = Table("version", "staging labels", "created", "value fingerprint", title=secret)
    for v in found:
        table.add_row(v.version_id, ", ".join(v.stages) or "-", v.created, v.fingerprint)
    return table


def _secret(found: Target, name: str) -> str:
    secrets: dict[str, str] = found.outputs["secrets"]
    if name not in secrets:
        err.print(f"[red]no secret {name!r}; the stack holds: {', '.join(sorted(secrets))}[/red]")
        raise typer.Exit(2)
    return secrets[name]

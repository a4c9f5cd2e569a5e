"""`ior users import|add|list|deactivate|activate|logout`: the dashboard's users, in the api table of a
stack (deployed or local).

Passwords come from a hidden prompt or `--password-stdin`, never from an argument (which would land
in the shell history and the process list)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Literal

import typer
from ior_api.entrypoints.operations import (
    LegacyUsersError,
    UnknownUserError,
    UserExistsError,
    UserOperations,
    WeakPasswordError,
)
from rich.table import Table

from ior_tools.cli.common import OutputsOption, StackOption, console, err, target

app = typer.Typer(
    help="The dashboard's users: import the legacy users.json, add, list, deactivate, sign out.",
    no_args_is_help=True,
)


def _operations(stack: str, outputs: Path | None = None) -> UserOperations:
    """The stack's users, changed as its operator."""
    found = target(stack, outputs)
    return UserOperations(lambda name: found.client(name, operator=True), found.table("api"))


@app.command("import")
def import_users(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The legacy users.json.")],
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Import users.json; bcrypt hashes are kept and upgraded to argon2id at each user's next login."""
    try:
        imported = _operations(stack, outputs).import_legacy(path.read_text(encoding="utf-8"))
    except LegacyUsersError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"imported {imported.added} user(s) into {stack}")
    if imported.kept:
        console.print(f"[yellow]kept existing: {', '.join(imported.kept)}[/yellow]")


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Lower-case user name.")],
    role: Annotated[Literal["admin", "operator"], typer.Option("--role", help="admin or operator.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    inactive: Annotated[bool, typer.Option("--inactive", help="Create the account disabled.")] = False,
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Add one user, with the password from a hidden prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        _operations(stack, outputs).add(username, password, role, active=not inactive)
    except (WeakPasswordError, UserExistsError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"added {role} {username} to {stack}")


@app.command("list")
def list_users(stack: StackOption = "local", outputs: OutputsOption = None) -> None:
    """The users, their roles and whether they can log in."""
    table = Table("user", "role", "active", "legacy hash")
    for user in _operations(stack, outputs).all():
        table.add_row(
            user.username,
            user.role,
            "yes" if user.active else "no",
            "yes" if user.password_hash.startswith("$2") else "",
        )
    console.print(table)


@app.command("deactivate")
def deactivate(
    username: Annotated[str, typer.Argument(help="The user to lock out.")],
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Keep the user but refuse their logins, and end every session they have now."""
    with _known_user():
        _operations(stack, outputs).set_active(username, False)
    console.print(f"deactivated {username} on {stack}: their sessions have ended")


@app.command("activate")
def activate(
    username: Annotated[str, typer.Argument(help="The user to let in again.")],
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """Let a deactivated user log in again (with the password they had)."""
    with _known_user():
        _operations(stack, outputs).set_active(username, True)
    console.print(f"activated {username} on {stack}")


@app.command("logout")
def logout(
    username: Annotated[str, typer.Argument(help="The user to sign out everywhere.")],
    stack: StackOption = "local",
    outputs: OutputsOption = None,
) -> None:
    """End every session of the user (a lost laptop, say); they may log in again."""
    with _known_user():
        _operations(stack, outputs).end_sessions(username)
    console.print(f"signed {username} out everywhere on {stack}")


@contextmanager
def _known_user() -> Iterator[None]:
    """A user who does not exist is named, and the command exits 1 having changed nothing."""
    try:
        yield
    except UnknownUserError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None

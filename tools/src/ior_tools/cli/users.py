"""`ior users import|add|list`: the dashboard's users, in the api table of a running stack.

Passwords come from a hidden prompt or `--password-stdin`, never from an argument (which would land
in the shell history and the process list)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer
from ior_api.adapters.users import UserExistsError, UserRecord, UserStore
from ior_api.auth.legacy import LegacyUsersError, parse_legacy_users
from ior_api.auth.passwords import hash_password
from rich.table import Table

from ior_tools.cli.common import StackOption, console, err, running

app = typer.Typer(
    help="The dashboard's users: import the legacy users.json, add, list.", no_args_is_help=True
)

MIN_PASSWORD = 12


def _store(stack: str) -> UserStore:
    state = running(stack)
    return UserStore(state.aws.client("dynamodb"), state.naming.table("api"))


@app.command("import")
def import_users(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The legacy users.json.")],
    stack: StackOption = "local",
) -> None:
    """Import users.json; bcrypt hashes are kept and upgraded to argon2id at each user's next login."""
    try:
        records = parse_legacy_users(path.read_text(encoding="utf-8"))
    except LegacyUsersError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    store = _store(stack)
    added, skipped = 0, []
    for record in records:
        try:
            store.add(record)
            added += 1
        except UserExistsError:
            skipped.append(record.username)
    console.print(f"imported {added} user(s) into {stack}")
    if skipped:
        console.print(f"[yellow]kept existing: {', '.join(skipped)}[/yellow]")


@app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Lower-case user name.")],
    role: Annotated[Literal["admin", "operator"], typer.Option("--role", help="admin or operator.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    inactive: Annotated[bool, typer.Option("--inactive", help="Create the account disabled.")] = False,
    stack: StackOption = "local",
) -> None:
    """Add one user, with the password from a hidden prompt or standard input."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        err.print(f"[red]the password needs at least {MIN_PASSWORD} characters[/red]")
        raise typer.Exit(1)
    try:
        _store(stack).add(UserRecord(username, hash_password(password), role, not inactive))
    except UserExistsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    console.print(f"added {role} {username} to {stack}")


@app.command("list")
def list_users(stack: StackOption = "local") -> None:
    """The users, their roles and whether they can log in."""
    table = Table("user", "role", "active", "legacy hash")
    for user in _store(stack).all():
        table.add_row(
            user.username,
            user.role,
            "yes" if user.active else "no",
            "yes" if user.password_hash.startswith("$2") else "",
        )
    console.print(table)

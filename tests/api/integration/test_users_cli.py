"""`ior users import|add|deactivate|activate|logout` against a stack's api table (moto in-process
standing in for the stack)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bcrypt
import pytest
from ior_api.entrypoints.operations import UserOperations
from ior_tools.cli import users as users_cli
from typer.testing import CliRunner

from tests.api.conftest import PASSWORD, Api


def legacy_file(tmp_path: Path, users: list[dict[str, Any]]) -> Path:
    path = tmp_path / "users.json"
    path.write_text(json.dumps({"users": users}))
    return path


def bcrypt_hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


@pytest.fixture
def cli(api: Api, monkeypatch: pytest.MonkeyPatch) -> Api:
    table = api.services.settings.table
    monkeypatch.setattr(
        users_cli, "_operations", lambda *_: UserOperations(api.services.settings.client, table)
    )
    return api


def test_import_keeps_bcrypt_hashes_and_the_user_logs_in(cli: Api, tmp_path: Path) -> None:
    path = legacy_file(
        tmp_path,
        [
            {
                "username": "carla",
                "password_hash": bcrypt_hash("carla password 1"),
                "role": "admin",
                "active": True,
            },
            {
                "username": "otto",
                "password_hash": bcrypt_hash("other password 1"),
                "role": "operator",
                "active": True,
            },
        ],
    )
    result = CliRunner().invoke(users_cli.app, ["import", str(path)])

    assert result.exit_code == 0, result.output
    assert "imported 1 user(s)" in result.output
    assert "kept existing: otto" in result.output
    login = {"username": "carla", "password": "carla password 1"}
    assert cli.client.post("/api/auth/login", json=login).json()["role"] == "admin"
    carla = cli.services.users.get("carla")
    assert carla is not None
    assert carla.password_hash.startswith("$argon2id$")


def test_add_reads_the_password_from_stdin(cli: Api) -> None:
    result = CliRunner().invoke(
        users_cli.app, ["add", "nina", "--role", "operator", "--password-stdin"], input="nina's password\n"
    )

    assert result.exit_code == 0, result.output
    login = {"username": "nina", "password": "nina's password"}
    assert cli.client.post("/api/auth/login", json=login).status_code == 200


def test_add_refuses_a_short_password(cli: Api) -> None:
    result = CliRunner().invoke(
        users_cli.app, ["add", "nina", "--role", "admin", "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert cli.services.users.get("nina") is None


@pytest.mark.parametrize("password", ["short", "            ", "Password1234!", "qwerty123456"])
def test_add_refuses_what_the_api_refuses(cli: Api, password: str) -> None:
    result = CliRunner().invoke(
        users_cli.app, ["add", "nina", "--role", "admin", "--password-stdin"], input=f"{password}\n"
    )
    assert result.exit_code == 1
    assert cli.services.users.get("nina") is None


def test_deactivate_ends_the_users_sessions_and_refuses_their_logins(cli: Api) -> None:
    # GIVEN otto signed in
    login = {"username": "otto", "password": PASSWORD}
    assert cli.client.post("/api/auth/login", json=login).status_code == 200
    assert cli.client.get("/api/me").status_code == 200
    # WHEN an operator deactivates otto
    result = CliRunner().invoke(users_cli.app, ["deactivate", "otto"])
    assert result.exit_code == 0, result.output
    # THEN the session is refused, and so is a new login, until otto is activated again
    assert cli.client.get("/api/me").status_code == 401
    assert cli.client.post("/api/auth/login", json=login).status_code == 403  # the account is disabled
    assert CliRunner().invoke(users_cli.app, ["activate", "otto"]).exit_code == 0
    assert cli.client.post("/api/auth/login", json=login).status_code == 200


def test_logout_ends_every_session_but_the_user_may_log_in_again(cli: Api) -> None:
    login = {"username": "otto", "password": PASSWORD}
    assert cli.client.post("/api/auth/login", json=login).status_code == 200
    result = CliRunner().invoke(users_cli.app, ["logout", "otto"])
    assert result.exit_code == 0, result.output
    assert cli.client.get("/api/me").status_code == 401
    assert cli.client.post("/api/auth/login", json=login).status_code == 200


@pytest.mark.parametrize("command", ["deactivate", "activate", "logout"])
def test_a_user_who_does_not_exist_is_named_and_nothing_changes(cli: Api, command: str) -> None:
    result = CliRunner().invoke(users_cli.app, [command, "nobody"])
    assert result.exit_code == 1
    assert "no user 'nobody'" in result.output
    assert cli.services.users.get("nobody") is None

"""The dashboard's users: created with a password that meets the policy, deleted (never by
themselves), imported from the legacy `users.json` with their bcrypt hashes, which are upgraded to
argon2id at each user's next login."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ior_api.domain.auth.legacy import parse_legacy_users
from ior_api.domain.auth.passwords import check_policy, hash_password
from ior_api.domain.auth.users import UserRecord, new_generation
from ior_api.ports import UserExistsError, UsersPort


class SelfDeletionError(Exception):
    """An admin asked to delete their own account."""


class UnknownUserError(LookupError):
    """No user of that name."""


@dataclass(frozen=True)
class Imported:
    added: int
    kept: list[str]  # users already there, left as they were


def create(users: UsersPort, username: str, password: str, role: str, *, active: bool = True) -> UserRecord:
    check_policy(password)
    record = UserRecord(username, hash_password(password), role, active)
    users.add(record)
    return record


def first_admin(users: UsersPort) -> str:
    """An admin named `admin` with a fresh password (nothing kept, nothing in the repository); the
    password."""
    password = secrets.token_urlsafe(12)
    create(users, "admin", password, "admin")
    return password


def delete(users: UsersPort, username: str, *, by: str) -> None:
    if username == by:
        raise SelfDeletionError("an admin cannot delete their own account")
    if not users.delete(username):
        raise UnknownUserError(f"no user {username!r}")


def set_active(users: UsersPort, username: str, active: bool) -> None:
    """Deactivate (every session of the user ends, and no login succeeds) or reactivate a user."""
    if not users.set_active(username, active, new_generation()):
        raise UnknownUserError(f"no user {username!r}")


def end_sessions(users: UsersPort, username: str) -> None:
    """Sign the user out everywhere: every session issued before now is refused."""
    if not users.end_sessions(username, new_generation()):
        raise UnknownUserError(f"no user {username!r}")


def import_legacy(users: UsersPort, text: str) -> Imported:
    """The users of a legacy `users.json` added; existing users of the same name are kept."""
    added, kept = 0, []
    for record in parse_legacy_users(text):
        try:
            users.add(record)
            added += 1
        except UserExistsError:
            kept.append(record.username)
    return Imported(added, kept)

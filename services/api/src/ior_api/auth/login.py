"""The login rules: lockout, inactive accounts, the legacy-hash upgrade. No AWS client here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

from ior_api.adapters.users import UserRecord
from ior_api.auth import passwords
from ior_api.auth.errors import AccountLockedError, InactiveAccountError, InvalidCredentialsError


class UserPort(Protocol):
    def get(self, username: str) -> UserRecord | None: ...
    def record_failure(self, username: str) -> int: ...
    def lock(self, username: str, until: int) -> None: ...
    def logged_in(self, username: str, new_hash: str | None) -> None: ...


def authenticate(
    users: UserPort,
    username: str,
    password: str,
    *,
    now: datetime,
    max_failures: int,
    lockout: timedelta,
) -> UserRecord:
    """The user, when the password is right and the account is neither locked nor inactive."""
    user = users.get(username)
    if user is None:
        passwords.burn(password)
        raise InvalidCredentialsError("invalid username or password")
    if user.locked_until > now.timestamp():
        raise AccountLockedError(datetime.fromtimestamp(user.locked_until, UTC))
    verdict = passwords.verify(user.password_hash, password)
    if not verdict.ok:
        if users.record_failure(username) >= max_failures:
            until = now + lockout
            users.lock(username, int(until.timestamp()))
            raise AccountLockedError(until)
        raise InvalidCredentialsError("invalid username or password")
    # Checked after the password so that a guess learns nothing about the account.
    if not user.active:
        raise InactiveAccountError("account is inactive")
    users.logged_in(username, passwords.hash_password(password) if verdict.rehash else None)
    return user

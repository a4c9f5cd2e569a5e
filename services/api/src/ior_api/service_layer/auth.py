"""Logging in and out, and the session behind a request: the lockout count, inactive accounts, the
legacy-hash upgrade, session and CSRF tokens. No AWS client here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ior_api.domain.auth import passwords, tokens
from ior_api.domain.auth.errors import (
    AccountLockedError,
    CsrfError,
    InactiveAccountError,
    InvalidCredentialsError,
    NoSessionError,
)
from ior_api.domain.auth.users import UserRecord
from ior_api.ports import Services, UsersPort


@dataclass(frozen=True)
class Principal:
    """The user behind a request's valid session."""

    user: UserRecord
    session: tokens.Session


@dataclass(frozen=True)
class LoggedIn:
    """A new session: its token, its CSRF token and how long both live."""

    user: UserRecord
    session: tokens.Session
    token: str
    csrf: str
    lifetime: timedelta


def login(services: Services, username: str, password: str) -> LoggedIn:
    settings = services.settings
    now = services.clock()
    user = authenticate(
        services.users,
        username,
        password,
        now=now,
        max_failures=settings.lockout_failures,
        lockout=timedelta(minutes=settings.lockout_minutes),
    )
    key = services.signing_key()
    lifetime = timedelta(minutes=settings.session_minutes)
    token, session = tokens.issue(key, user.username, user.role, now=now, lifetime=lifetime)
    return LoggedIn(user, session, token, tokens.csrf_token(key, session.sid), lifetime)


def logout(services: Services, principal: Principal) -> None:
    services.revoked.revoke(principal.session.sid, int(principal.session.expires_at.timestamp()))


def principal(
    services: Services, token: str | None, *, csrf: tuple[str | None, str | None] | None
) -> Principal:
    """A valid, unrevoked session of an active user; for a state-changing request (`csrf` is then its
    cookie's and its header's token) also its CSRF token."""
    if not token:
        raise NoSessionError("not logged in")
    key = services.signing_key()
    session = tokens.decode(key, token)
    # The table, not the token, says who the user is now: a deleted or deactivated user is out at once.
    user, revoked = services.users.for_session(session.username, session.sid)
    if revoked:
        raise NoSessionError("session was logged out")
    if csrf is not None and not tokens.csrf_matches(key, session.sid, *csrf):
        raise CsrfError(f"missing or wrong {tokens.CSRF_HEADER} header")
    if user is None or not user.active:
        raise NoSessionError("account no longer active")
    return Principal(user, session)


def authenticate(
    users: UsersPort,
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

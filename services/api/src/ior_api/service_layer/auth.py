"""Logging in and out, and the session behind a request: the per-source throttle, the lockout count,
inactive accounts, the legacy-hash upgrade, session and CSRF tokens and their generation; changing
one's password and ending every session of a user. No AWS client here.

A login answers alike whether the username exists or not: the same status and words, the same work
(an attempt counted for the name, the user read, one password verification) and the same lockout
after the same number of failures. An attempt is counted before its password is verified, by an
atomic update, so concurrent guesses get no more tries than sequential ones."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from ior_api.domain.auth import passwords, tokens
from ior_api.domain.auth.errors import (
    AccountLockedError,
    CsrfError,
    InactiveAccountError,
    InvalidCredentialsError,
    NoSessionError,
    TooManyAttemptsError,
    WrongPasswordError,
)
from ior_api.domain.auth.users import UserRecord, new_generation
from ior_api.ports import Services

# The per-source throttle counts logins in windows of a minute.
SOURCE_WINDOW_S = 60


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


def login(services: Services, username: str, password: str, *, source: str) -> LoggedIn:
    now = services.clock()
    throttle(services, source, now)
    user = authenticate(services, username, password, now=now)
    return _session(services, user, now)


def throttle(services: Services, source: str, now: datetime) -> None:
    """`TooManyAttemptsError` once `source` made more logins in this minute than the setting allows:
    one address cannot try many names, nor lock every account it knows of."""
    at = int(now.timestamp())
    made = services.attempts.from_source(source, now=at, window_s=SOURCE_WINDOW_S)
    if made > services.settings.login_attempts_per_minute:
        raise TooManyAttemptsError(retry_after_s=SOURCE_WINDOW_S - at % SOURCE_WINDOW_S)


def authenticate(services: Services, username: str, password: str, *, now: datetime) -> UserRecord:
    """The user, when the password is right and the name is neither locked nor inactive."""
    settings = services.settings
    attempt = services.attempts.reserve(
        username,
        now=int(now.timestamp()),
        limit=settings.lockout_failures,
        window_s=settings.lockout_minutes * 60,
    )
    if not attempt.allowed:
        raise AccountLockedError(datetime.fromtimestamp(attempt.until, UTC))
    user = services.users.get(username)
    if user is None:
        # A name that does not exist costs one verification too, against the filler hash.
        passwords.burn(password)
        verdict = passwords.Verdict(False)
    else:
        verdict = passwords.verify(user.password_hash, password)
    if user is None or not verdict.ok:
        if attempt.counted >= settings.lockout_failures:
            raise AccountLockedError(datetime.fromtimestamp(attempt.until, UTC))
        raise InvalidCredentialsError("invalid username or password")
    # Checked after the password so that a guess learns nothing about the account.
    if not user.active:
        raise InactiveAccountError("account is inactive")
    services.attempts.clear(username)
    if verdict.rehash:
        services.users.rehash(username, passwords.hash_password(password))
    return user


def logout(services: Services, principal: Principal) -> None:
    services.revoked.revoke(principal.session.sid, int(principal.session.expires_at.timestamp()))


def change_password(services: Services, principal: Principal, current: str, new: str) -> LoggedIn:
    """The user's new password, after the current one is verified (counted and locked out like a
    login); every other session of the user ends, and this one is replaced by a new session."""
    passwords.check_policy(new)
    now = services.clock()
    try:
        user = authenticate(services, principal.user.username, current, now=now)
    except InvalidCredentialsError:
        raise WrongPasswordError("the current password is wrong") from None
    generation = new_generation()
    if not services.users.change_password(user.username, passwords.hash_password(new), generation):
        raise NoSessionError("account no longer active")
    return _session(services, replace(user, generation=generation), now)


def end_sessions(services: Services, username: str) -> bool:
    """Every session of `username` ends ("log out everywhere"); whether there is such a user."""
    return services.users.end_sessions(username, new_generation())


def principal(
    services: Services, token: str | None, *, csrf: tuple[str | None, str | None] | None
) -> Principal:
    """A valid, unrevoked session of an active user, of the user's current generation; for a
    state-changing request (`csrf` is then its cookie's and its header's token) also its CSRF token."""
    if not token:
        raise NoSessionError("not logged in")
    key = services.signing_key()
    session = tokens.decode(key, token)
    # The table, not the token, says who the user is now: a deleted or deactivated user is out at
    # once, and so is every session of an older generation (a changed password, a re-created name).
    user, revoked = services.users.for_session(session.username, session.sid)
    if revoked:
        raise NoSessionError("session was logged out")
    if csrf is not None and not tokens.csrf_matches(key, session.sid, *csrf):
        raise CsrfError(f"missing or wrong {tokens.CSRF_HEADER} header")
    if user is None or not user.active:
        raise NoSessionError("account no longer active")
    if user.generation != session.generation:
        raise NoSessionError("session was ended")
    return Principal(user, session)


def _session(services: Services, user: UserRecord, now: datetime) -> LoggedIn:
    key = services.signing_key()
    lifetime = timedelta(minutes=services.settings.session_minutes)
    token, session = tokens.issue(key, user.username, user.role, user.generation, now=now, lifetime=lifetime)
    return LoggedIn(user, session, token, tokens.csrf_token(key, session.sid), lifetime)

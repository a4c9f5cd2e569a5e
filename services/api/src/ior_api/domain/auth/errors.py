"""Why a login or a session was refused; the HTTP edge maps each to one status."""

from __future__ import annotations

from datetime import datetime


class AuthError(Exception):
    """A request could not be authenticated or authorised."""


class InvalidCredentialsError(AuthError):
    """Unknown user or wrong password (deliberately indistinguishable)."""


class AccountLockedError(AuthError):
    """Too many consecutive failures for the username (one that exists or not, alike); it is locked
    for a while."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"account locked until {until.strftime('%Y-%m-%dT%H:%M:%SZ')}")
        self.until = until


class TooManyAttemptsError(AuthError):
    """Too many logins from one source address in a short while, whatever the usernames."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__("too many login attempts; try again later")
        self.retry_after_s = retry_after_s


class WrongPasswordError(AuthError):
    """A signed-in user's current password, asked again before a change, is wrong."""


class InactiveAccountError(AuthError):
    """The account exists but is not active."""


class NoSessionError(AuthError):
    """No valid session: missing, expired, tampered with or revoked."""


class CsrfError(AuthError):
    """A state-changing request without the session's CSRF token."""


class ForbiddenError(AuthError):
    """The session's role may not do this."""

"""Password hashes: argon2id for everything new; bcrypt only as the legacy `users.json` format, which
is accepted once and replaced by argon2id at the next successful login."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# The shortest password a new account may have (the legacy hashes imported keep theirs).
MIN_LENGTH = 12

_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


class WeakPasswordError(ValueError):
    """The password is shorter than a new account's may be."""


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"the password needs at least {MIN_LENGTH} characters")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    # True when the stored hash should be replaced (legacy bcrypt, or outdated argon2 parameters).
    rehash: bool = False


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def is_legacy(stored: str) -> bool:
    return stored.startswith(_BCRYPT_PREFIXES)


def verify(stored: str, password: str) -> Verdict:
    if is_legacy(stored):
        try:
            ok = bcrypt.checkpw(password.encode(), stored.encode())
        except ValueError:
            return Verdict(False)
        return Verdict(ok, rehash=ok)
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return Verdict(False)
    return Verdict(True, rehash=_HASHER.check_needs_rehash(stored))


@cache
def _dummy() -> str:
    # Made on first use, not at import: a cold start that serves no login does not pay for a hash.
    return _HASHER.hash("no such user; constant-time filler")


def burn(password: str) -> None:
    """Spend the time of one verification, for a user that does not exist, so that a miss costs as
    much as a wrong password."""
    verify(_dummy(), password)

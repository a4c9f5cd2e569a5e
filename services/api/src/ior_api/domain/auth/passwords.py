"""Password hashes: argon2id for everything new; bcrypt only as the legacy `users.json` format, which
is accepted once and replaced by argon2id at the next successful login."""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from importlib import resources

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# The shortest password a new account may have (the legacy hashes imported keep theirs).
MIN_LENGTH = 12
# Fewer different characters than this is a pattern, not a password (`aaaaaaaaaaaa`, `abababababab`).
MIN_DISTINCT = 5
# What may pad a common password without making it less common (`Password1234!`, `2024iloveyou`).
_PADDING = string.digits + string.punctuation + string.whitespace

_HASHER = PasswordHasher()  # argon2id with the library's recommended parameters
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


class WeakPasswordError(ValueError):
    """The password breaks the policy; the message says which rule, never the password."""


def check_policy(password: str) -> None:
    """The one password rule of new accounts and changed passwords, for the API and `ior users` alike."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"the password needs at least {MIN_LENGTH} characters")
    if not password.strip():
        raise WeakPasswordError("the password is only whitespace")
    if len(set(password.casefold())) < MIN_DISTINCT:
        raise WeakPasswordError(f"the password needs at least {MIN_DISTINCT} different characters")
    if is_common(password):
        raise WeakPasswordError("the password is one of the most common ones; choose another")


def is_common(password: str) -> bool:
    """On the list of common passwords, whatever its case, padded with digits or symbols, or repeated."""
    folded = password.casefold().strip()
    core = folded.strip(_PADDING)
    half = len(core) // 2
    repeated = core[:half] if half and core == core[:half] * 2 else None
    return bool({folded, core, repeated} & _common())


@cache
def _common() -> frozenset[str]:
    # Read when a password is first set, not at import: logins never need it.
    text = resources.files("ior_api.domain.auth").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


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

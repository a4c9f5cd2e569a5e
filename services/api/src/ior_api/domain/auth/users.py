"""A dashboard user as stored: name, password hash, role, whether active, and the generation of its
sessions (a session carries the generation it was issued under; a new generation ends every older
session: a password change, "log out everywhere", or the name deleted and made again)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


def new_generation() -> str:
    """Random, never counted up: a re-created name never meets a generation an old token carries."""
    return secrets.token_urlsafe(12)


@dataclass(frozen=True)
class UserRecord:
    username: str
    password_hash: str
    role: str
    active: bool = True
    generation: str = field(default_factory=new_generation)

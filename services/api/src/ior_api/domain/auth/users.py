"""A dashboard user as stored: name, password hash, role, and the state the login rules keep."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserRecord:
    username: str
    password_hash: str
    role: str
    active: bool = True
    failures: int = 0
    locked_until: int = 0  # epoch seconds; 0 = not locked

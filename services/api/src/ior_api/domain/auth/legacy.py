"""The legacy user store, `users.json`: read strictly, kept with its bcrypt hashes (upgraded at login)."""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ior_api.domain.auth.passwords import is_legacy
from ior_api.domain.auth.users import UserRecord


class LegacyUsersError(ValueError):
    """`users.json` is not in the legacy format."""


class _LegacyUser(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str = Field(pattern=r"^[a-z][a-z0-9._-]{1,63}$")
    password_hash: str = Field(min_length=59, max_length=60)
    role: Literal["admin", "operator"]
    active: bool


class _LegacyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    users: list[_LegacyUser]


def parse_legacy_users(text: str) -> list[UserRecord]:
    try:
        parsed = _LegacyFile.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise LegacyUsersError(f"not a legacy users.json: {exc}") from exc
    names = [u.username for u in parsed.users]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise LegacyUsersError(f"users listed twice: {', '.join(repeated)}")
    for user in parsed.users:
        if not is_legacy(user.password_hash):
            raise LegacyUsersError(f"{user.username}: password_hash is not a bcrypt hash")
    return [UserRecord(u.username, u.password_hash, u.role, u.active) for u in parsed.users]

"""The legacy `users.json` is read strictly: a file that is not in its format is refused whole, with
the reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_api.domain.auth.legacy import LegacyUsersError, parse_legacy_users


@pytest.mark.parametrize(
    ("users", "error"),
    [
        (
            [{"username": "a1", "password_hash": "x" * 60, "role": "admin", "active": True}],
            "not a bcrypt hash",
        ),
        ([{"username": "a1", "password_hash": "$2b$" + "x" * 56, "role": "root", "active": True}], "role"),
        (
            [{"username": "a1", "password_hash": "$2b$" + "x" * 56, "role": "admin", "active": True}] * 2,
            "twice",
        ),
    ],
)
def test_malformed_users_json_is_refused_with_the_reason(users: list[dict[str, Any]], error: str) -> None:
    with pytest.raises(LegacyUsersError, match=error):
        parse_legacy_users(json.dumps({"users": users}))

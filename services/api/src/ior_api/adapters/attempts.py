"""Login attempts in the API's own table, each counted by an atomic conditional update before the
password is verified, so concurrent guesses cannot pass the limit:

- `login#<username>`/`attempts`: the attempts counted for a username, whether or not it exists (an
  unknown name is counted and locked like a known one), and until when they count;
- `source#<address>`/`login#<window>`: the logins from one address in one window.

Both expire by TTL once they no longer count."""

from __future__ import annotations

from typing import Any

from ior_api.adapters import table
from ior_api.ports import Attempt

# Rounds of "start a count / count on" before the answer is taken as "locked": a count may age out
# or be cleared between the two updates.
ROUNDS = 3


class LoginAttempts:
    def __init__(self, dynamodb: Any, table_name: str, ttl_attribute: str = "expiration") -> None:
        self._db = dynamodb
        self._table = table_name
        self._ttl = ttl_attribute

    def reserve(self, username: str, *, now: int, limit: int, window_s: int) -> Attempt:
        """One more attempt for `username`, unless `limit` attempts already count (they count until
        `window_s` after the last one counted): then it is refused and nothing is counted."""
        key = table.key(f"login#{username}", "attempts")
        values = {":one": {"N": "1"}, ":now": {"N": str(now)}, ":until": {"N": str(now + window_s)}}
        for _ in range(ROUNDS):
            # No attempt counts yet (none made, or the last ones aged out): a count of one starts.
            if self._update(
                key,
                "SET failures = :one, locked_until = :until, #ttl = :until",
                "attribute_not_exists(pk) OR locked_until <= :now",
                values,
            ):
                return Attempt(True, 1, now + window_s)
            counted = self._update(
                key,
                "ADD failures :one SET locked_until = :until, #ttl = :until",
                "failures < :limit AND locked_until > :now",
                values | {":limit": {"N": str(limit)}},
            )
            if counted:
                return Attempt(True, int(counted["failures"]["N"]), now + window_s)
            item = table.get(self._db, self._table, key)
            if item is not None and int(item["locked_until"]["N"]) > now:
                return Attempt(False, int(item["failures"]["N"]), int(item["locked_until"]["N"]))
        raise RuntimeError(f"the login attempts of {username!r} kept changing under {ROUNDS} rounds")

    def clear(self, username: str) -> None:
        self._db.delete_item(TableName=self._table, Key=table.key(f"login#{username}", "attempts"))

    def from_source(self, source: str, *, now: int, window_s: int) -> int:
        """Count a login from `source` in the current window of `window_s` seconds; the count."""
        window = now - now % window_s
        written = self._update(
            table.key(f"source#{source}", f"login#{window}"),
            "ADD logins :one SET #ttl = :expires",
            None,
            {":one": {"N": "1"}, ":expires": {"N": str(window + 2 * window_s)}},
        )
        assert written is not None  # no condition
        return int(written["logins"]["N"])

    def _update(
        self, key: dict[str, Any], expression: str, condition: str | None, values: dict[str, Any]
    ) -> dict[str, Any] | None:
        return table.update(
            self._db,
            self._table,
            key,
            expression,
            values=values,
            names={"#ttl": self._ttl},
            condition=condition,
        )

"""Users and revoked sessions in the API's own table: `users`/`user#<name>` (with the generation of
its sessions) and `session#<sid>`/`revoked` (kept until the token would have expired, then removed
by TTL). Every user is in the one `users` partition: the list is a query of it, never a scan of a
table the read models fill."""

from __future__ import annotations

from typing import Any

from ior_api.adapters import table
from ior_api.domain.auth.users import UserRecord
from ior_api.ports import UserExistsError

USERS = "users"


def _key(username: str) -> dict[str, Any]:
    return table.key(USERS, f"user#{username}")


def _revoked_key(sid: str) -> dict[str, Any]:
    return table.key(f"session#{sid}", "revoked")


def _record(item: dict[str, Any]) -> UserRecord:
    return UserRecord(
        username=item["username"]["S"],
        password_hash=item["password_hash"]["S"],
        role=item["role"]["S"],
        active=item["active"]["BOOL"],
        # Users stored before sessions had generations hold none: their sessions carry "" alike.
        generation=item.get("generation", {}).get("S", ""),
    )


class UserStore:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = dynamodb
        self._table = table_name

    def for_session(self, username: str, sid: str) -> tuple[UserRecord | None, bool]:
        """The session's user as the table has it now, and whether the session was logged out: both in
        one consistent round trip, since every authenticated request asks."""
        items = table.batch_get(self._db, self._table, [_key(username), _revoked_key(sid)])
        user = next((_record(i) for i in items if i["pk"]["S"] == USERS), None)
        revoked = any(i["pk"]["S"] == f"session#{sid}" for i in items)
        return user, revoked

    def get(self, username: str) -> UserRecord | None:
        item = table.get(self._db, self._table, _key(username))
        return _record(item) if item else None

    def add(self, user: UserRecord) -> None:
        item = {
            **_key(user.username),
            "username": {"S": user.username},
            "password_hash": {"S": user.password_hash},
            "role": {"S": user.role},
            "active": {"BOOL": user.active},
            "generation": {"S": user.generation},
        }
        if not table.put(self._db, self._table, item, condition="attribute_not_exists(pk)"):
            raise UserExistsError(f"user {user.username!r} already exists")

    def delete(self, username: str) -> bool:
        old = self._db.delete_item(TableName=self._table, Key=_key(username), ReturnValues="ALL_OLD")
        return "Attributes" in old

    def all(self) -> list[UserRecord]:
        items = table.query(
            self._db,
            self._table,
            {"KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": USERS}}},
        )
        return sorted((_record(i) for i in items), key=lambda u: u.username)

    def rehash(self, username: str, new_hash: str) -> None:
        """The same password under a new hash (legacy bcrypt upgraded, new parameters): sessions stay."""
        self._set(username, {"password_hash": {"S": new_hash}})

    def change_password(self, username: str, new_hash: str, generation: str) -> bool:
        """A new password and a new session generation, which ends every session issued before."""
        return self._set(username, {"password_hash": {"S": new_hash}, "generation": {"S": generation}})

    def end_sessions(self, username: str, generation: str) -> bool:
        return self._set(username, {"generation": {"S": generation}})

    def set_active(self, username: str, active: bool, generation: str) -> bool:
        """Let the user log in or not; either way a new generation ends the sessions issued before."""
        return self._set(username, {"active": {"BOOL": active}, "generation": {"S": generation}})

    def _set(self, username: str, values: dict[str, Any]) -> bool:
        """Set attributes of an existing user; whether there was one."""
        written = table.update(
            self._db,
            self._table,
            _key(username),
            "SET " + ", ".join(f"#{name} = :{name}" for name in values),
            values={f":{name}": value for name, value in values.items()},
            names={f"#{name}": name for name in values},
            condition="attribute_exists(pk)",
        )
        return written is not None


class RevokedSessions:
    def __init__(self, dynamodb: Any, table_name: str, ttl_attribute: str = "expiration") -> None:
        self._db = dynamodb
        self._table = table_name
        self._ttl = ttl_attribute

    def revoke(self, sid: str, expires_at: int) -> None:
        table.put(self._db, self._table, _revoked_key(sid) | {self._ttl: {"N": str(expires_at)}})

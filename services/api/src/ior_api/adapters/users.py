"""Users and revoked sessions in the API's own table: `user#<name>`/`profile` and
`session#<sid>`/`revoked` (kept until the token would have expired, then removed by TTL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ior_api.adapters.batch import batch_get

PROFILE = "profile"


@dataclass(frozen=True)
class UserRecord:
    username: str
    password_hash: str
    role: str
    active: bool = True
    failures: int = 0
    locked_until: int = 0  # epoch seconds; 0 = not locked


class UserExistsError(Exception):
    """A user of that name already exists."""


def _key(username: str) -> dict[str, Any]:
    return {"pk": {"S": f"user#{username}"}, "sk": {"S": PROFILE}}


def _record(item: dict[str, Any]) -> UserRecord:
    return UserRecord(
        username=item["username"]["S"],
        password_hash=item["password_hash"]["S"],
        role=item["role"]["S"],
        active=item["active"]["BOOL"],
        failures=int(item.get("failures", {}).get("N", "0")),
        locked_until=int(item.get("locked_until", {}).get("N", "0")),
    )


class UserStore:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = dynamodb
        self._table = table

    def for_session(self, username: str, sid: str) -> tuple[UserRecord | None, bool]:
        """The user, and whether session `sid` was logged out (revocations live in this table too)."""
        return session_state(self._db, self._table, username, sid)

    def get(self, username: str) -> UserRecord | None:
        item = self._db.get_item(TableName=self._table, Key=_key(username), ConsistentRead=True).get("Item")
        return _record(item) if item else None

    def add(self, user: UserRecord) -> None:
        item = {
            **_key(user.username),
            "username": {"S": user.username},
            "password_hash": {"S": user.password_hash},
            "role": {"S": user.role},
            "active": {"BOOL": user.active},
            "failures": {"N": "0"},
            "locked_until": {"N": "0"},
        }
        try:
            self._db.put_item(
                TableName=self._table, Item=item, ConditionExpression="attribute_not_exists(pk)"
            )
        except self._db.exceptions.ConditionalCheckFailedException:
            raise UserExistsError(f"user {user.username!r} already exists") from None

    def delete(self, username: str) -> bool:
        old = self._db.delete_item(TableName=self._table, Key=_key(username), ReturnValues="ALL_OLD")
        return "Attributes" in old

    def all(self) -> list[UserRecord]:
        # A handful of users: a filtered scan is cheaper than an index kept for it.
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "FilterExpression": "begins_with(pk, :p) AND sk = :s",
            "ExpressionAttributeValues": {":p": {"S": "user#"}, ":s": {"S": PROFILE}},
            "ConsistentRead": True,
        }
        while True:
            page = self._db.scan(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return sorted((_record(i) for i in items), key=lambda u: u.username)

    def record_failure(self, username: str) -> int:
        """Count one more consecutive failure; the new count."""
        out = self._db.update_item(
            TableName=self._table,
            Key=_key(username),
            UpdateExpression="ADD failures :one",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(out["Attributes"]["failures"]["N"])

    def lock(self, username: str, until: int) -> None:
        self._db.update_item(
            TableName=self._table,
            Key=_key(username),
            UpdateExpression="SET locked_until = :u, failures = :zero",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":u": {"N": str(until)}, ":zero": {"N": "0"}},
        )

    def logged_in(self, username: str, new_hash: str | None) -> None:
        """Clear the failure count and, when given, replace the hash (legacy upgrade, new parameters)."""
        sets = ["failures = :zero", "locked_until = :zero"]
        values: dict[str, Any] = {":zero": {"N": "0"}}
        if new_hash is not None:
            sets.append("password_hash = :h")
            values[":h"] = {"S": new_hash}
        self._db.update_item(
            TableName=self._table,
            Key=_key(username),
            UpdateExpression="SET " + ", ".join(sets),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues=values,
        )


def _revoked_key(sid: str) -> dict[str, Any]:
    return {"pk": {"S": f"session#{sid}"}, "sk": {"S": "revoked"}}


def session_state(dynamodb: Any, table: str, username: str, sid: str) -> tuple[UserRecord | None, bool]:
    """The session's user as the table has it now, and whether the session was logged out: both in one
    consistent round trip, since every authenticated request asks."""
    items = batch_get(dynamodb, table, [_key(username), _revoked_key(sid)])
    user = next((_record(i) for i in items if i["pk"]["S"] == f"user#{username}"), None)
    revoked = any(i["pk"]["S"] == f"session#{sid}" for i in items)
    return user, revoked


class RevokedSessions:
    def __init__(self, dynamodb: Any, table: str, ttl_attribute: str = "expiration") -> None:
        self._db = dynamodb
        self._table = table
        self._ttl = ttl_attribute

    def revoke(self, sid: str, expires_at: int) -> None:
        self._db.put_item(
            TableName=self._table,
            Item={
                "pk": {"S": f"session#{sid}"},
                "sk": {"S": "revoked"},
                self._ttl: {"N": str(expires_at)},
            },
        )

    def is_revoked(self, sid: str) -> bool:
        return "Item" in self._db.get_item(TableName=self._table, Key=_revoked_key(sid), ConsistentRead=True)

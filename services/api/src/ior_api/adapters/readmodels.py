"""The API's read models in its own table, built from events. Each record is a JSON document under a
key derived from the event's own identifiers, so a re-delivered event rewrites the same item."""

from __future__ import annotations

import json
from typing import Any

from ior_api.adapters import table


class ReadModels:
    def __init__(self, dynamodb: Any, table_name: str) -> None:
        self._db = dynamodb
        self._table = table_name

    def put(self, pk: str, sk: str, body: dict[str, Any], *, only_if_new: bool = False) -> bool:
        """Write one document; with `only_if_new`, keep an existing one. Whether it was written."""
        return table.put(
            self._db,
            self._table,
            _item(pk, sk, body),
            condition="attribute_not_exists(pk)" if only_if_new else None,
        )

    def put_latest(self, pk: str, sk: str, body: dict[str, Any], occurred_at: str) -> None:
        """Write unless a document from a later event is already there (events may arrive out of order)."""
        table.put(
            self._db,
            self._table,
            _item(pk, sk, body) | {"occurred_at": {"S": occurred_at}},
            condition="attribute_not_exists(pk) OR occurred_at <= :t",
            values={":t": {"S": occurred_at}},
        )

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The documents under `keys` that exist, in one consistent round trip (at most 100 keys)."""
        items = table.batch_get(self._db, self._table, [table.key(pk, sk) for pk, sk in keys])
        return {(i["pk"]["S"], i["sk"]["S"]): json.loads(i["body"]["S"]) for i in items}

    def exists(self, pk: str, sk: str) -> bool:
        return table.get(self._db, self._table, table.key(pk, sk)) is not None

    def query(
        self,
        pk: str,
        *,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The documents of partition `pk` (each with its sort key as `_sk`), in sort-key order."""
        condition = "pk = :pk"
        values: dict[str, Any] = {":pk": {"S": pk}}
        if prefix is not None:
            condition += " AND begins_with(sk, :p)"
            values[":p"] = {"S": prefix}
        elif between is not None:
            condition += " AND sk BETWEEN :lo AND :hi"
            values |= {":lo": {"S": between[0]}, ":hi": {"S": between[1]}}
        request = {
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": not newest_first,
        }
        items = table.query(self._db, self._table, request, limit=limit)
        return [json.loads(i["body"]["S"]) | {"_sk": i["sk"]["S"]} for i in items]


def _item(pk: str, sk: str, body: dict[str, Any]) -> dict[str, Any]:
    return table.key(pk, sk) | {"body": {"S": json.dumps(body, sort_keys=True)}}

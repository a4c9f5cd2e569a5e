"""The compare table, the one DynamoDB helper every compare adapter uses: items from and to plain
Python values, consistent reads, writes that are refused when their condition fails, reads and
writes batched into one round trip, and queries page by page.

Numbers are integers here (money in cents, counts), so what the deserializer gives as Decimal comes
back as int."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

_TO = TypeSerializer()
_FROM = TypeDeserializer()

# A batch request DynamoDB left partly unprocessed (throttled) is sent again for the rest after a
# pause that doubles, as AWS advises, this many rounds at most: a throttled table costs time, not items.
BATCH_ROUNDS = 8
FIRST_PAUSE_S = 0.05
BATCH_GET_MAX = 100
BATCH_WRITE_MAX = 25


class UnprocessedError(RuntimeError):
    """DynamoDB left part of a batch unprocessed round after round."""


class Table:
    """One DynamoDB table, read consistently. Expression values are plain Python values."""

    def __init__(self, dynamodb: Any, name: str) -> None:
        self._db = dynamodb
        self.name = name

    def get(self, pk: str, sk: str) -> dict[str, Any] | None:
        item = self._db.get_item(
            TableName=self.name, Key=_to_item({"pk": pk, "sk": sk}), ConsistentRead=True
        ).get("Item")
        return _from_item(item) if item else None

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The items under `keys` (at most 100) that exist, by key, read consistently in one round
        trip (more only when DynamoDB leaves some unprocessed)."""
        if len(keys) > BATCH_GET_MAX:
            raise ValueError(f"{len(keys)} keys: one batch reads at most {BATCH_GET_MAX}")
        request: dict[str, Any] = {
            self.name: {"Keys": [_to_item({"pk": pk, "sk": sk}) for pk, sk in keys], "ConsistentRead": True}
        }
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for round_ in range(BATCH_ROUNDS):
            _pause(round_)
            got = self._db.batch_get_item(RequestItems=request)
            for raw in got.get("Responses", {}).get(self.name, []):
                item = _from_item(raw)
                found[item["pk"], item["sk"]] = item
            request = got.get("UnprocessedKeys") or {}
            if not request:
                return found
        raise UnprocessedError(f"DynamoDB left keys of {self.name} unprocessed after {BATCH_ROUNDS} rounds")

    def put_many(self, items: list[Mapping[str, Any]]) -> None:
        """Write every item (at most 25), unconditionally, in one round trip (more only when
        DynamoDB leaves some unprocessed)."""
        if len(items) > BATCH_WRITE_MAX:
            raise ValueError(f"{len(items)} items: one batch writes at most {BATCH_WRITE_MAX}")
        request: dict[str, Any] = {self.name: [{"PutRequest": {"Item": _to_item(item)}} for item in items]}
        for round_ in range(BATCH_ROUNDS):
            _pause(round_)
            request = self._db.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
            if not request:
                return
        raise UnprocessedError(f"DynamoDB left items of {self.name} unwritten after {BATCH_ROUNDS} rounds")

    def put(
        self,
        item: Mapping[str, Any],
        *,
        condition: str | None = None,
        names: dict[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> bool:
        """Write the item; False when `condition` does not hold (nothing is written then)."""
        request = self._conditional(condition, names, values)
        return self._unless_refused(lambda: self._db.put_item(Item=_to_item(item), **request))

    def put_new(self, item: Mapping[str, Any]) -> bool:
        """Write the item unless its key is taken; False when it is (a re-delivery)."""
        return self.put(item, condition="attribute_not_exists(pk)")

    def update(
        self,
        pk: str,
        sk: str,
        expression: str,
        *,
        condition: str | None = None,
        names: dict[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> bool:
        """Apply `expression` to the item; False when `condition` does not hold."""
        request = self._conditional(condition, names, values)
        return self._unless_refused(
            lambda: self._db.update_item(
                Key=_to_item({"pk": pk, "sk": sk}), UpdateExpression=expression, **request
            )
        )

    def put_all(self, puts: list[dict[str, Any]]) -> bool:
        """Write every item of `puts` (from `conditional_put`) or none; False when a condition fails."""
        try:
            self._db.transact_write_items(TransactItems=puts)
        except self._db.exceptions.TransactionCanceledException:
            return False
        return True

    def conditional_put(
        self,
        item: Mapping[str, Any],
        condition: str,
        values: Mapping[str, Any] | None = None,
        names: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One put of a transaction (`put_all`)."""
        put: dict[str, Any] = {
            "TableName": self.name,
            "Item": _to_item(item),
            "ConditionExpression": condition,
        }
        if names:
            put["ExpressionAttributeNames"] = names
        if values:
            put["ExpressionAttributeValues"] = _values(values)
        return {"Put": put}

    def query(self, condition: str, values: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item whose key satisfies `condition`, in key order, page after page."""
        pages = self._db.get_paginator("query").paginate(
            TableName=self.name,
            KeyConditionExpression=condition,
            ExpressionAttributeValues=_values(values),
            ConsistentRead=True,
        )
        for page in pages:
            for item in page.get("Items", []):
                yield _from_item(item)

    def _conditional(
        self, condition: str | None, names: dict[str, str] | None, values: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": self.name}
        if condition is not None:
            request["ConditionExpression"] = condition
        if names:
            request["ExpressionAttributeNames"] = names
        if values:
            request["ExpressionAttributeValues"] = _values(values)
        return request

    def _unless_refused(self, write: Callable[[], object]) -> bool:
        try:
            write()
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        return True


def _pause(round_: int) -> None:
    if round_:
        time.sleep(FIRST_PAUSE_S * 2 ** (round_ - 1))


def _to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    """An item in DynamoDB's typed JSON; None values are left out (absent, not null)."""
    return {name: _TO.serialize(_dynamo(value)) for name, value in values.items() if value is not None}


def _to_value(value: Any) -> dict[str, Any]:
    return dict(_TO.serialize(_dynamo(value)))


def _from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _plain(_FROM.deserialize(value)) for name, value in item.items()}


def _values(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _to_value(value) for name, value in values.items()}


def _dynamo(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _dynamo(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_dynamo(v) for v in value]
    if isinstance(value, float):
        raise TypeError("floats are not stored; use integers or decimal text")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value

"""The ingestion table through the low-level DynamoDB client: consistent reads and conditional
writes, for every adapter of the service. A write whose condition fails raises `ConditionFailedError`
(a put, with the item that stopped it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Item = dict[str, Any]
"""An item as the low-level client has it: attribute name → typed value (`{"S": "…"}`)."""


class ConditionFailedError(Exception):
    """A conditional write found the item in another state; `item` is that item when a put asked
    for it ({} otherwise)."""

    def __init__(self, item: Item) -> None:
        super().__init__("the write's condition does not hold")
        self.item = item


class Table:
    def __init__(self, dynamodb: Any, name: str) -> None:
        self._db = dynamodb
        self._name = name

    def get(self, key: Item) -> Item | None:
        item: Item | None = self._db.get_item(TableName=self._name, Key=key, ConsistentRead=True).get("Item")
        return item

    def put(self, item: Item) -> None:
        self._db.put_item(TableName=self._name, Item=item)

    def put_if(
        self, item: Item, condition: str, *, names: Mapping[str, str], values: Mapping[str, Any]
    ) -> None:
        """Write `item` if `condition` holds of the item it replaces."""
        try:
            self._db.put_item(
                TableName=self._name,
                Item=item,
                ConditionExpression=condition,
                # DynamoDB refuses empty maps: a condition on the key alone names nothing.
                **({"ExpressionAttributeNames": dict(names)} if names else {}),
                **({"ExpressionAttributeValues": dict(values)} if values else {}),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._db.exceptions.ConditionalCheckFailedException as exc:
            raise ConditionFailedError(exc.response.get("Item", {})) from exc

    def update(
        self,
        key: Item,
        expression: str,
        *,
        condition: str,
        values: Mapping[str, Any],
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Apply the update `expression` to the item under `key` if `condition` holds."""
        try:
            self._db.update_item(
                TableName=self._name,
                Key=key,
                UpdateExpression=expression,
                ConditionExpression=condition,
                **({"ExpressionAttributeNames": dict(names)} if names else {}),
                ExpressionAttributeValues=dict(values),
            )
        except self._db.exceptions.ConditionalCheckFailedException as exc:
            raise ConditionFailedError({}) from exc

    def query(self, pk: Item) -> Iterator[Item]:
        """Every item of the partition `pk`, by sort key, page by page, consistently read."""
        start: Item | None = None
        while True:
            page = self._db.query(
                TableName=self._name,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": pk},
                ConsistentRead=True,
                **({"ExclusiveStartKey": start} if start else {}),
            )
            yield from page.get("Items", [])
            start = page.get("LastEvaluatedKey")
            if not start:
                return

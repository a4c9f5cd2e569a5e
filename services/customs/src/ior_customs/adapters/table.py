"""The customs table through the low-level DynamoDB client, for every adapter of the service:
consistent reads, writes with or without a condition, attribute updates and queries page by page.
A write whose condition fails raises `ConditionFailedError` with the item that stopped it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

Item = dict[str, Any]
"""An item as the low-level client has it: attribute name → typed value (`{"S": "…"}`)."""

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class ConditionFailedError(Exception):
    """A conditional write found the item in another state; `item` is that item ({} if none)."""

    def __init__(self, item: Item) -> None:
        super().__init__("the write's condition does not hold")
        self.item = item


def attribute(value: Any) -> dict[str, Any]:
    """A plain value as a typed attribute value."""
    return cast(dict[str, Any], _serializer.serialize(value))


def plain(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item's attributes as plain values (numbers as Decimal)."""
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


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
        self,
        item: Item,
        condition: str,
        *,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        """Write `item` if `condition` holds of the item it replaces."""
        expressions: dict[str, Any] = {}
        if names:
            expressions["ExpressionAttributeNames"] = dict(names)
        if values:
            expressions["ExpressionAttributeValues"] = dict(values)
        try:
            self._db.put_item(
                TableName=self._name,
                Item=item,
                ConditionExpression=condition,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **expressions,
            )
        except self._db.exceptions.ConditionalCheckFailedException as exc:
            raise ConditionFailedError(exc.response.get("Item", {})) from None

    def update_existing(self, key: Item, values: Mapping[str, Any]) -> None:
        """Set the attributes `values` (plain values) of the item under `key`, which must exist."""
        self._db.update_item(
            TableName=self._name,
            Key=key,
            UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(values))),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames={f"#a{i}": name for i, name in enumerate(values)},
            ExpressionAttributeValues={f":v{i}": attribute(v) for i, v in enumerate(values.values())},
        )

    def query(
        self, condition: str, values: Mapping[str, Any], *, newest_first: bool = False
    ) -> Iterator[Item]:
        """The items of a key condition in sort key order (or reversed), read page by page as the
        caller goes on."""
        kwargs: dict[str, Any] = {
            "TableName": self._name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": dict(values),
            "ScanIndexForward": not newest_first,
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

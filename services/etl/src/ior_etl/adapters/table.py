"""The ETL's one DynamoDB helper: items of its table (`pk`/`sk` strings) read, written, written on a
condition and queried page by page; the attribute values they hold; and the error-code check."""

from __future__ import annotations

from typing import Any

Item = dict[str, Any]

CONDITION_FAILED = "ConditionalCheckFailedException"


class ConditionFailedError(Exception):
    """A conditional write found its condition false and wrote nothing."""


def text(value: str) -> dict[str, str]:
    return {"S": value}


def number(value: int) -> dict[str, str]:
    return {"N": str(value)}


def optional_text(item: Item, name: str) -> str | None:
    return item[name]["S"] if name in item else None


def error_code(exc: Exception) -> str:
    """The AWS error code of a client error ("" for anything else)."""
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


class Table:
    def __init__(self, dynamodb: Any, name: str) -> None:
        self._db = dynamodb
        self._name = name

    def get(self, pk: str, sk: str) -> Item | None:
        item: Item | None = self._db.get_item(
            TableName=self._name, Key={"pk": text(pk), "sk": text(sk)}, ConsistentRead=True
        ).get("Item")
        return item

    def put(self, item: Item) -> None:
        self._db.put_item(TableName=self._name, Item=item)

    def put_if(self, item: Item, condition: str, values: Item) -> Item | None:
        """Write `item` where `condition` holds and return the item it replaced (None if none);
        raises `ConditionFailedError` where it does not."""
        try:
            old: Item | None = self._db.put_item(
                TableName=self._name,
                Item=item,
                ConditionExpression=condition,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_OLD",
            ).get("Attributes")
        except self._db.exceptions.ClientError as exc:
            if error_code(exc) == CONDITION_FAILED:
                raise ConditionFailedError(f"{self._name}: {condition}") from None
            raise
        return old

    def query(self, pk: str) -> list[Item]:
        """Every item of the partition, all pages read."""
        items: list[Item] = []
        kwargs: dict[str, Any] = {
            "TableName": self._name,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": text(pk)},
            "ConsistentRead": True,
        }
        while True:
            page = self._db.query(**kwargs)
            items.extend(page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

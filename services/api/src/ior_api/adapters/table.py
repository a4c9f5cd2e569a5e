"""The one DynamoDB helper of the API: its table of `pk`/`sk` items, always read consistently, and
conditional writes (a put, an update) that say whether they happened instead of raising."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

Item = dict[str, Any]

# BatchGetItem may leave keys unprocessed under throttling; a few rounds, then give up loudly.
BATCH_ROUNDS = 5


def key(pk: str, sk: str) -> Item:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def get(dynamodb: Any, table: str, item_key: Item) -> Item | None:
    found: Item | None = dynamodb.get_item(TableName=table, Key=item_key, ConsistentRead=True).get("Item")
    return found


def put(
    dynamodb: Any, table: str, item: Item, *, condition: str | None = None, values: Item | None = None
) -> bool:
    """Write `item`; with a `condition`, only if it holds. Whether the item was written."""
    request: Item = {"TableName": table, "Item": item}
    if condition is not None:
        request["ConditionExpression"] = condition
    if values is not None:
        request["ExpressionAttributeValues"] = values
    try:
        dynamodb.put_item(**request)
    except ClientError as exc:
        if not condition_failed(exc):
            raise
        return False
    return True


def update(
    dynamodb: Any,
    table: str,
    item_key: Item,
    expression: str,
    *,
    values: Item,
    names: dict[str, str] | None = None,
    condition: str | None = None,
) -> Item | None:
    """Apply an update expression; with a `condition`, only if it holds. The attributes it wrote
    (their new values), or none when the condition did not hold."""
    request: Item = {
        "TableName": table,
        "Key": item_key,
        "UpdateExpression": expression,
        "ExpressionAttributeValues": values,
        "ReturnValues": "UPDATED_NEW",
    }
    if names:
        request["ExpressionAttributeNames"] = names
    if condition is not None:
        request["ConditionExpression"] = condition
    try:
        written: Item = dynamodb.update_item(**request).get("Attributes", {})
    except ClientError as exc:
        if not condition_failed(exc):
            raise
        return None
    return written


def condition_failed(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def query(dynamodb: Any, table: str, request: Item, *, limit: int | None = None) -> list[Item]:
    """The items of a Query (`request` without the table), page after page; with `limit`, at most
    that many."""
    return _pages(dynamodb.query, table, request, limit)


def _pages(call: Callable[..., Item], table: str, request: Item, limit: int | None) -> list[Item]:
    request = {"TableName": table, "ConsistentRead": True} | request
    found: list[Item] = []
    while True:
        if limit is not None:
            request["Limit"] = limit - len(found)
        page = call(**request)
        found.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page or (limit is not None and len(found) >= limit):
            return found
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def batch_get(dynamodb: Any, table: str, keys: list[Item]) -> list[Item]:
    """The items under `keys` (at most 100) that exist, read consistently, in one round trip."""
    request: Item = {table: {"Keys": keys, "ConsistentRead": True}}
    items: list[Item] = []
    for _ in range(BATCH_ROUNDS):
        got = dynamodb.batch_get_item(RequestItems=request)
        items.extend(got.get("Responses", {}).get(table, []))
        request = got.get("UnprocessedKeys") or {}
        if not request:
            return items
    raise RuntimeError(f"DynamoDB left keys of {table} unprocessed after {BATCH_ROUNDS} rounds")

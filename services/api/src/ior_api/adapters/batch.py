"""Consistent multi-key reads from a service table in one round trip (BatchGetItem)."""

from __future__ import annotations

from typing import Any

# BatchGetItem may leave keys unprocessed under throttling; a few rounds, then give up loudly.
BATCH_ROUNDS = 5


def batch_get(dynamodb: Any, table: str, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items under `keys` (at most 100) that exist, read consistently."""
    request: dict[str, Any] = {table: {"Keys": keys, "ConsistentRead": True}}
    items: list[dict[str, Any]] = []
    for _ in range(BATCH_ROUNDS):
        got = dynamodb.batch_get_item(RequestItems=request)
        items.extend(got.get("Responses", {}).get(table, []))
        request = got.get("UnprocessedKeys") or {}
        if not request:
            return items
    raise RuntimeError(f"DynamoDB left keys of {table} unprocessed after {BATCH_ROUNDS} rounds")

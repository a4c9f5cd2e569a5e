"""The API's read models in its own table, built from events. Each record is a JSON document under a
key derived from the event's own identifiers, so a re-delivered event rewrites the same item."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from ior_api.adapters.batch import batch_get

COMPARISONS = "comparisons"
CUTOVER_CHANGES = "cutover#changes"
OFFICIAL_RUNS = "cutover#official"
ALERTS = "alerts"
CUSTOMS_RUNS = "customs#runs"
ALERTS_NOTIFIED = "alerts#notified"
REPLAYS = "pipeline#replays"


def source_runs(source: str) -> str:
    return f"pipeline#source#{source}"


def dataset_runs(dataset: str, mode: str) -> str:
    return f"pipeline#dataset#{dataset}#{mode}"


class ReadModels:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = dynamodb
        self._table = table

    def put(self, pk: str, sk: str, body: dict[str, Any], *, only_if_new: bool = False) -> bool:
        """Write one document; with `only_if_new`, keep an existing one. Whether it was written."""
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "Item": {"pk": {"S": pk}, "sk": {"S": sk}, "body": {"S": json.dumps(body, sort_keys=True)}},
        }
        if only_if_new:
            kwargs["ConditionExpression"] = "attribute_not_exists(pk)"
        try:
            self._db.put_item(**kwargs)
        except self._db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def put_latest(self, pk: str, sk: str, body: dict[str, Any], occurred_at: str) -> None:
        """Write unless a document from a later event is already there (events may arrive out of order)."""
        item = {
            "pk": {"S": pk},
            "sk": {"S": sk},
            "body": {"S": json.dumps(body, sort_keys=True)},
            "occurred_at": {"S": occurred_at},
        }
        with contextlib.suppress(self._db.exceptions.ConditionalCheckFailedException):
            self._db.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(pk) OR occurred_at <= :t",
                ExpressionAttributeValues={":t": {"S": occurred_at}},
            )

    def get_many(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The documents under `keys` that exist, in one consistent round trip (at most 100 keys)."""
        items = batch_get(self._db, self._table, [{"pk": {"S": pk}, "sk": {"S": sk}} for pk, sk in keys])
        return {(i["pk"]["S"], i["sk"]["S"]): json.loads(i["body"]["S"]) for i in items}

    def exists(self, pk: str, sk: str) -> bool:
        item = self._db.get_item(
            TableName=self._table, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
        )
        return "Item" in item

    def query(
        self,
        pk: str,
        *,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            "ScanIndexForward": not newest_first,
            "ConsistentRead": True,
        }
        if prefix is not None:
            kwargs["KeyConditionExpression"] += " AND begins_with(sk, :p)"
            kwargs["ExpressionAttributeValues"][":p"] = {"S": prefix}
        elif between is not None:
            kwargs["KeyConditionExpression"] += " AND sk BETWEEN :lo AND :hi"
            kwargs["ExpressionAttributeValues"] |= {":lo": {"S": between[0]}, ":hi": {"S": between[1]}}
        found: list[dict[str, Any]] = []
        while True:
            if limit is not None:
                kwargs["Limit"] = limit - len(found)
            page = self._db.query(**kwargs)
            found.extend(json.loads(i["body"]["S"]) | {"_sk": i["sk"]["S"]} for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page or (limit is not None and len(found) >= limit):
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

"""The ingestion table: one run per source and window (a conditional write decides which trigger
wins), and each source's watermark."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from ior_ingestion.ports import Claim


class RunLedger:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = dynamodb
        self._table = table

    def claim(self, source: str, window: str, run_id: str, *, now: int, lease_s: int) -> Claim:
        """Take the window for `run_id` unless another run is extracting it right now (and within
        its lease): of concurrent triggers one wins; a later request runs again."""
        try:
            self._db.put_item(
                TableName=self._table,
                Item={
                    "pk": {"S": f"run#{source}"},
                    "sk": {"S": window},
                    "run_id": {"S": run_id},
                    "status": {"S": "running"},
                    "started_at": {"N": str(now)},
                    "lease_until": {"N": str(now + lease_s)},
                },
                ConditionExpression="attribute_not_exists(pk) OR #s <> :running OR lease_until < :now",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":running": {"S": "running"}, ":now": {"N": str(now)}},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except self._db.exceptions.ConditionalCheckFailedException as exc:
            old = exc.response.get("Item", {})
            return Claim(False, old.get("run_id", {}).get("S", ""), old.get("status", {}).get("S", ""))
        return Claim(True, run_id, "running")

    def finish(self, source: str, window: str, run_id: str, status: str, details: dict[str, str]) -> None:
        names = {"#s": "status", **{f"#{k}": k for k in details}}
        values = {
            ":s": {"S": status},
            ":run": {"S": run_id},
            **{f":{k}": {"S": v} for k, v in details.items()},
        }
        sets = ", ".join(["#s = :s", *(f"#{k} = :{k}" for k in details)])
        self._db.update_item(
            TableName=self._table,
            Key={"pk": {"S": f"run#{source}"}, "sk": {"S": window}},
            UpdateExpression=f"SET {sets}",
            ConditionExpression="run_id = :run",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )

    def watermark(self, source: str) -> date | None:
        item = self._db.get_item(
            TableName=self._table,
            Key={"pk": {"S": f"watermark#{source}"}, "sk": {"S": "current"}},
            ConsistentRead=True,
        ).get("Item")
        return date.fromisoformat(item["watermark"]["S"]) if item else None

    def advance_watermark(self, source: str, to: date) -> None:
        """Move forward only: a replay of an older window never moves it back."""
        with contextlib.suppress(self._db.exceptions.ConditionalCheckFailedException):
            self._db.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"watermark#{source}"}, "sk": {"S": "current"}},
                UpdateExpression="SET watermark = :d",
                ConditionExpression="attribute_not_exists(watermark) OR watermark < :d",
                ExpressionAttributeValues={":d": {"S": to.isoformat()}},
            )

"""Which events the compare service has announced: each output's event id is derived from what
it announces, so a re-delivery, a replay or a racing twin finds it here and sends nothing new."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ior_compare.adapters.items import stamp, to_item


class Announcements:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self._db = dynamodb
        self._table = table

    def done(self, event_id: str) -> bool:
        found = self._db.get_item(
            TableName=self._table,
            Key=to_item({"pk": f"announced#{event_id}", "sk": "event"}),
            ConsistentRead=True,
        )
        return "Item" in found

    def mark(self, event_id: str, detail_type: str, at: datetime) -> None:
        self._db.put_item(
            TableName=self._table,
            Item=to_item(
                {"pk": f"announced#{event_id}", "sk": "event", "detail_type": detail_type, "at": stamp(at)}
            ),
        )

"""Which events the compare service has announced: each output's event id is derived from what
it announces, so a re-delivery, a replay or a racing twin finds it here and sends nothing new."""

from __future__ import annotations

from datetime import datetime

from ior_compare.adapters.table import Table
from ior_compare.domain.stamps import stamp


class Announcements:
    def __init__(self, table: Table) -> None:
        self._table = table

    def done(self, event_id: str) -> bool:
        return self._table.get(f"announced#{event_id}", "event") is not None

    def mark(self, event_id: str, detail_type: str, at: datetime) -> None:
        self._table.put(
            {"pk": f"announced#{event_id}", "sk": "event", "detail_type": detail_type, "at": stamp(at)}
        )

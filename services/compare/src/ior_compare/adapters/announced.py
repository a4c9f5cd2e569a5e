"""Which events the compare service has announced: each output's event id is derived from what
it announces, so a re-delivery, a replay or a racing twin finds it here and sends nothing new."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ior_compare.adapters.table import Table
from ior_compare.domain.stamps import stamp

_PREFIX = "announced#"


class Announcements:
    def __init__(self, table: Table) -> None:
        self._table = table

    def sent(self, event_ids: Sequence[str]) -> set[str]:
        """Which of `event_ids` were announced, in one read."""
        if not event_ids:
            return set()
        found = self._table.get_many([(_PREFIX + event_id, "event") for event_id in event_ids])
        return {pk.removeprefix(_PREFIX) for pk, _ in found}

    def mark(self, announced: Sequence[tuple[str, str]], at: datetime) -> None:
        """Remember each (event id, detail-type) as announced at `at`, in one write."""
        if announced:
            self._table.put_many(
                [
                    {"pk": _PREFIX + event_id, "sk": "event", "detail_type": detail_type, "at": stamp(at)}
                    for event_id, detail_type in announced
                ]
            )

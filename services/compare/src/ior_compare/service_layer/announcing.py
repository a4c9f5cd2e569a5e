"""Announcing an event once: every event the compare service sends has an id derived from what it
announces, and the table remembers which ids were sent."""

from __future__ import annotations

from datetime import date

from ior_contracts.consumer import Publish
from ior_contracts.envelope import Event

from ior_compare.ports import Deps


def announce(
    deps: Deps, publish: Publish, event: Event, *, event_id: str, business_date: date | None
) -> bool:
    """Publish `event` under `event_id` unless it was announced before; True when sent now.
    Published first, then marked: a crash in between re-sends the same id, which consumers drop."""
    if deps.announcements.done(event_id):
        return False
    publish(event, business_date=business_date, event_id=event_id)
    deps.announcements.mark(event_id, type(event).DETAIL_TYPE, deps.clock())
    return True

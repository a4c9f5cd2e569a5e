"""Announcing an event once: every event the compare service sends has an id derived from what it
announces, and the table remembers which ids were sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ior_contracts.consumer import Publish
from ior_contracts.envelope import Event

from ior_compare.ports import Deps


@dataclass(frozen=True)
class Announcement:
    event: Event
    event_id: str
    business_date: date | None


def announce_all(deps: Deps, publish: Publish, announcements: Sequence[Announcement]) -> list[Announcement]:
    """Publish, in order, each announcement whose id was not announced before; those sent now.
    Which were sent is read once and the new ones marked once, so a comparison's events cost two
    round trips to the table however many there are. Published first, then marked: a crash in
    between re-sends the same ids, which consumers drop."""
    sent = deps.announcements.sent([announcement.event_id for announcement in announcements])
    fresh = [announcement for announcement in announcements if announcement.event_id not in sent]
    for announcement in fresh:
        publish(announcement.event, business_date=announcement.business_date, event_id=announcement.event_id)
    deps.announcements.mark(
        [(announcement.event_id, type(announcement.event).DETAIL_TYPE) for announcement in fresh],
        deps.clock(),
    )
    return fresh


def announce(
    deps: Deps, publish: Publish, event: Event, *, event_id: str, business_date: date | None
) -> bool:
    """Publish `event` under `event_id` unless it was announced before; True when sent now."""
    return bool(announce_all(deps, publish, [Announcement(event, event_id, business_date)]))

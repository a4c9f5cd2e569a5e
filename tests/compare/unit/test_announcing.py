"""Announcing events once: which were sent is read once and the new ones marked once, whatever
their number; published before they are marked, so a failure re-sends the same ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest
from ior_compare.service_layer.announcing import Announcement, announce_all
from ior_contracts.compare import ComparisonRequested

from .fakes import FakeAnnouncements, Published, fake_deps

DAY = date(2026, 3, 16)


def _asked(comparison_id: str) -> ComparisonRequested:
    return ComparisonRequested(business_date=DAY, comparison_id=comparison_id, requested_by="a", reason="r")


@dataclass
class CountedAnnouncements(FakeAnnouncements):
    reads: list[list[str]] = field(default_factory=list)
    writes: list[list[str]] = field(default_factory=list)

    def sent(self, event_ids: Sequence[str]) -> set[str]:
        self.reads.append(list(event_ids))
        return super().sent(event_ids)

    def mark(self, announced: Sequence[tuple[str, str]], at: datetime) -> None:
        self.writes.append([event_id for event_id, _ in announced])
        super().mark(announced, at)


def test_only_the_events_not_announced_before_are_sent_in_order_with_one_read_and_one_write() -> None:
    deps = fake_deps()
    deps.announcements = table = CountedAnnouncements(announced={"id-2"})
    published = Published()
    wanted = [Announcement(_asked(f"c{n}"), f"id-{n}", DAY) for n in (1, 2, 3)]
    sent = announce_all(deps, published, wanted)
    assert [a.event_id for a in sent] == ["id-1", "id-3"]
    assert [event_id for _, event_id in published.events] == ["id-1", "id-3"]
    assert table.reads == [["id-1", "id-2", "id-3"]]
    assert table.writes == [["id-1", "id-3"]]
    # AND again: all three were announced, so nothing is sent
    assert announce_all(deps, published, wanted) == []
    assert len(published.events) == 2


def test_a_failure_to_publish_marks_nothing_so_the_same_ids_are_sent_again() -> None:
    deps = fake_deps()
    deps.announcements = table = CountedAnnouncements()
    wanted = [Announcement(_asked(f"c{n}"), f"id-{n}", DAY) for n in (1, 2)]

    def refuses_the_second(
        event: object, *, business_date: date | None = None, event_id: str | None = None
    ) -> None:
        if event_id == "id-2":
            raise RuntimeError("the bus refused it")

    with pytest.raises(RuntimeError, match="refused"):
        announce_all(deps, refuses_the_second, wanted)
    assert table.writes == []
    published = Published()
    assert [a.event_id for a in announce_all(deps, published, wanted)] == ["id-1", "id-2"]

"""Publishing on its own, against in-memory fakes: a stale build stays unannounced, and a run that
stopped half-way is finished under the same event ids when the message is retried."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from ior_contracts.envelope import Event
from ior_etl.domain.hold_policy import HoldPolicy
from ior_etl.domain.results import from_build
from ior_etl.domain.sap_fields import ZFMIOR003
from ior_etl.domain.tariff_provisions import build_tariff_provisions
from ior_etl.ports import CurrentVersion, Deps, Input
from ior_etl.service_layer.publishing import Built, Run, settle

from tests.etl.unit.fakes import FakeBus, FakeCatalog, FakeObjects
from tests.etl.unit.records import frame, provision

INPUT = Input(
    "ZFMIOR003", "s3://data/ingestion/published/raw/ZFMIOR003/x.jsonl.gz", "a" * 64, "2026-03-16T05:00"
)


def deps() -> Deps:
    return Deps(HoldPolicy(), "code-1", FakeCatalog(), FakeObjects())


def broken() -> Built:
    """A provision with a rate that is not a number: tariff provisions hold on any reject."""
    build = build_tariff_provisions(
        frame(ZFMIOR003, provision("9903.88.15"), provision("9903.88.03", ZZRATE="x"))
    )
    return Built(from_build(build), lambda source, row: (row, INPUT))


def sound() -> Built:
    return Built(
        from_build(build_tariff_provisions(frame(ZFMIOR003, provision("9903.88.15")))),
        lambda s, r: (r, INPUT),
    )


def test_a_build_of_older_inputs_than_the_current_version_is_not_announced() -> None:
    d = deps()
    newer = settle(Run("tariff-provisions", "automated", (INPUT,), "cause-1"), sound, d, FakeBus())
    assert newer.status == "published"
    current = d.catalog.current("tariff-provisions", "automated")
    assert current is not None
    bus = FakeBus()
    older = Input("ZFMIOR003", INPUT.uri, "b" * 64, "2026-03-15T05:00")

    outcome = settle(Run("tariff-provisions", "automated", (older,), "cause-2"), sound, d, bus)

    assert outcome.status == "superseded"
    assert bus.sent == []
    assert d.catalog.current("tariff-provisions", "automated") == current


@pytest.mark.parametrize(
    ("builder", "announced", "settled_again"),
    [
        (sound, ["etl.dataset.published.v1"], ["etl.dataset.confirmed.v1"]),
        (broken, ["etl.rows.quarantined.v1", "etl.dataset.held.v1"], []),
    ],
    ids=["published", "held"],
)
def test_a_run_stopped_before_its_events_is_finished_under_the_same_ids(
    builder: Callable[[], Built], announced: list[str], settled_again: list[str]
) -> None:
    run = Run("tariff-provisions", "automated", (INPUT,), "cause")
    clean = FakeBus()
    settle(run, builder, deps(), clean)
    d = deps()

    def bus_down(event: Event, *, business_date: date | None = None, event_id: str | None = None) -> None:
        raise RuntimeError("the bus is down")

    with pytest.raises(RuntimeError):
        settle(run, builder, d, bus_down)
    retried = FakeBus()
    settle(run, builder, d, retried)

    assert [o.event.DETAIL_TYPE for o in retried.sent] == announced
    assert [o.event_id for o in retried.sent] == [o.event_id for o in clean.sent]
    # AND settled once more, nothing is published again: a published version is only confirmed
    # current, under an id fixed by the cause, so the same cause confirms under one id
    again = FakeBus()
    settle(run, builder, d, again)
    settle(run, builder, d, again)
    assert [o.event.DETAIL_TYPE for o in again.sent] == settled_again * 2
    assert len({o.event_id for o in again.sent}) == len(set(settled_again))


def test_the_current_version_is_kept_as_published() -> None:
    d = deps()
    settle(Run("tariff-provisions", "automated", (INPUT,), "cause"), sound, d, FakeBus())
    current = d.catalog.current("tariff-provisions", "automated")
    assert isinstance(current, CurrentVersion)
    assert current.as_of == INPUT.at
    assert current.snapshot.uri.endswith(f"/tariff-provisions/automated/{current.version}/data.csv.gz")

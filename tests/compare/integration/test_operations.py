"""The operations `ior cutover` and `ior parity-report` call, against the compare table on moto
(required streak: 3 business days here)."""

from __future__ import annotations

from datetime import date

from ior_compare.domain.signoff import Resolution
from ior_compare.entrypoints import cutover
from ior_compare.entrypoints.operations import CompareOperations
from ior_contracts.cutover import CutoverChangeRequested

from tests.compare.documents import document, with_line_change
from tests.compare.integration.conftest import NAMING, REQUIRED_STREAK, World

MON, TUE, WED = (date(2026, 3, day) for day in range(16, 19))


def operations(world: World) -> CompareOperations:
    return CompareOperations(world.client, NAMING.table("compare"))


def cutover_request(request_id: str, *, force: bool = False) -> CutoverChangeRequested:
    return CutoverChangeRequested(
        action="cutover", effective_date=WED, reason="parity sign-off", force=force,
        requested_by="admin", request_id=request_id,
    )  # fmt: skip


def test_the_gate_status_shows_the_streak_the_last_change_and_the_last_refusal(world: World) -> None:
    # GIVEN two passing days, a refused cutover and then a forced one
    world.both_arrive(MON)
    world.both_arrive(TUE)
    world.deliver(cutover.consumer, cutover_request("req-refused"))
    world.deliver(cutover.consumer, cutover_request("req-forced", force=True))
    # WHEN the status is asked for
    status = operations(world).gate_status(today=WED)
    # THEN it is the gate's, read from the table
    assert (status.state.state, status.state.effective_date) == ("cutover", WED)
    assert (status.streak.days, status.required_streak, status.ready) == (2, REQUIRED_STREAK, False)
    change, refusal = status.last_change, status.last_refusal
    assert (change.request_id if change else None, refusal.request_id if refusal else None) == (
        "req-forced",
        "req-refused",
    )


def test_a_refusal_is_found_by_its_request_id_and_an_applied_request_has_none(world: World) -> None:
    world.both_arrive(MON)
    world.deliver(cutover.consumer, cutover_request("req-refused"))
    world.deliver(cutover.consumer, cutover_request("req-forced", force=True))
    compare = operations(world)
    refusal = compare.refusal("req-refused")
    assert refusal is not None
    assert "parity streak of 1 business day(s), 3 required" in refusal.refused_because
    assert compare.refusal("req-forced") is None
    assert compare.refusal("req-unknown") is None


def test_the_signoff_covers_the_dates_asked_for_with_their_resolutions(world: World) -> None:
    # GIVEN Monday passes and Tuesday's automated duty on line 5 is $5 higher
    world.both_arrive(MON)
    world.both_arrive(TUE, with_line_change(document(TUE), 5, duty="2231.00"))
    note = Resolution(business_date=TUE, field="duty", note="FX rate date fixed", resolved_by="analyst")
    # WHEN the sign-off of both dates is built
    report = operations(world).signoff(MON, TUE, [note])
    # THEN each date has its outcome and Tuesday's discrepancy carries its resolution
    assert [(day.business_date, day.outcome) for day in report.days] == [(MON, "passed"), (TUE, "failed")]
    [found] = report.days[1].discrepancies
    assert (found.field, found.resolution) == ("duty", note)
    assert (report.required_streak, report.unresolved(), report.unmatched_resolutions) == (
        REQUIRED_STREAK,
        [],
        (),
    )

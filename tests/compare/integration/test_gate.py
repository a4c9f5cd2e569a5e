"""The parity streak, the cutover gate and the official run of each date, through the compare
service's handlers (required streak: 3 business days here)."""

from __future__ import annotations

import json
from datetime import date

from ior_compare.domain.status import streak
from ior_compare.entrypoints import cutover, requests
from ior_contracts.calendar import BusinessCalendar
from ior_contracts.compare import ComparisonRequested
from ior_contracts.cutover import CutoverAction, CutoverChangeRequested

from tests.compare.documents import AUDIT_BUCKET, document, with_line_change
from tests.compare.integration.conftest import REQUIRED_STREAK, World

CHANGED = "cutover.state.changed.v1"
COMPLETED = "compare.comparison.completed.v1"
DESIGNATED = "cutover.official_run.designated.v1"
MON, TUE, WED, THU, FRI = (date(2026, 3, day) for day in range(16, 21))


def request(
    action: CutoverAction = "cutover", *, on: date = MON, force: bool = False, request_id: str = "req-1"
) -> CutoverChangeRequested:
    return CutoverChangeRequested(
        action=action,
        effective_date=on,
        reason=f"{action} for the parity sign-off",
        force=force,
        requested_by="admin",
        request_id=request_id,
    )


def passing(world: World, *days: date) -> None:
    for day in days:
        world.both_arrive(day)


def designations(world: World, day: date) -> list[tuple[str, str | None, bool, str]]:
    return [
        (d["official_mode"], d["run_id"], d["incomplete"], d["state"])
        for d in world.data_of(DESIGNATED)
        if d["business_date"] == day.isoformat()
    ]


def test_a_business_day_with_lines_but_no_comparison_breaks_the_streak(world: World) -> None:
    # GIVEN Monday passed, Tuesday has manual lines only, Thursday had no transactions, Wednesday
    # and Friday passed
    passing(world, MON, WED, FRI)
    world.run_arrives(TUE, "manual")
    empty = document(THU, entries=[])
    world.run_arrives(THU, "manual", empty)
    world.run_arrives(THU, "automated", empty)
    # THEN the streak counts Friday and Wednesday, skips Thursday, and stops at Tuesday
    found = streak(world.ledger.days(), BusinessCalendar(), today=date(2026, 3, 23))
    assert (found.days, found.counted, found.broken_on, found.broken_because) == (
        2,
        (FRI, WED),
        TUE,
        "no_comparison",
    )


def test_each_completion_carries_the_streak_through_its_date_and_the_required_streak(world: World) -> None:
    # GIVEN Monday and Tuesday pass, Wednesday fails, Thursday passes
    passing(world, MON, TUE)
    world.both_arrive(WED, with_line_change(document(WED), 5, duty="2231.00"))
    passing(world, THU)
    # THEN each completion counts the streak as the gate does, up to and including its date
    completed = [(d["business_date"], d["passed"], d["streak"]) for d in world.data_of(COMPLETED)]
    assert completed == [
        ("2026-03-16", True, 1),
        ("2026-03-17", True, 2),
        ("2026-03-18", False, 0),
        ("2026-03-19", True, 1),
    ]
    assert {d["required_streak"] for d in world.data_of(COMPLETED)} == {REQUIRED_STREAK}
    # WHEN Tuesday is asked for again
    ask = ComparisonRequested(
        business_date=TUE, comparison_id="cmp-tue", requested_by="analyst", reason="again"
    )
    world.deliver(requests.consumer, ask)
    # THEN its answer counts Monday and Tuesday only, not the later dates
    answer = world.data_of(COMPLETED)[-1]
    assert (answer["comparison_id"], answer["streak"], answer["required_streak"]) == (
        "cmp-tue",
        2,
        REQUIRED_STREAK,
    )


def test_a_cutover_is_refused_below_the_streak_and_the_refusal_is_kept(world: World) -> None:
    # GIVEN one passing day
    passing(world, MON)
    # WHEN a cutover is asked for without force
    delivered = world.deliver(cutover.consumer, request(on=TUE))
    # THEN the gate did not move and announced nothing
    assert world.events(CHANGED) == []
    assert world.gate.changes() == []
    # AND the refusal is the request's answer and the last refusal, with why
    answered = world.gate.request("req-1")
    assert answered is not None
    assert answered.outcome == "refused"
    refusal = world.gate.last_refusal()
    assert refusal is not None
    assert (refusal.request_id, refusal.streak, refusal.required_streak) == ("req-1", 1, REQUIRED_STREAK)
    assert "parity streak of 1 business day(s), 3 required" in refusal.refused_because
    audit = json.loads(world.read(f"s3://{AUDIT_BUCKET}/compare/cutover/refused/req-1.json"))
    assert audit["error"] == "CutoverRefusedError"
    # AND delivering the request again changes nothing
    before = len(world.events())
    world.redeliver(cutover.consumer, delivered)
    assert len(world.events()) == before


def test_a_cutover_at_the_required_streak_is_allowed(world: World) -> None:
    passing(world, MON, TUE, WED)
    world.deliver(cutover.consumer, request(on=THU))
    [changed] = world.data_of(CHANGED)
    assert (changed["state"], changed["previous_state"], changed["forced"]) == ("cutover", "shadow", False)
    assert (changed["streak"], changed["required_streak"], changed["effective_date"]) == (3, 3, "2026-03-19")


def test_a_forced_cutover_is_audited_announced_and_redesignates_the_dates_it_affects(world: World) -> None:
    # GIVEN two passing days, Monday and Tuesday, in shadow
    passing(world, MON, TUE)
    assert designations(world, TUE)[-1] == ("manual", "cus-20260317-manual-r1", False, "shadow")
    # WHEN a cutover from Tuesday is forced
    world.deliver(cutover.consumer, request(on=TUE, force=True))
    # THEN it is announced as forced, with the streak at the time and the reason
    [changed] = world.data_of(CHANGED)
    assert (changed["state"], changed["forced"], changed["streak"]) == ("cutover", True, 2)
    assert (changed["changed_by"], changed["request_id"]) == ("admin", "req-1")
    # AND audited in an immutable object and the table
    audit = json.loads(world.read(f"s3://{AUDIT_BUCKET}/compare/cutover/{changed['change_id']}.json"))
    assert (audit["forced"], audit["reason"], audit["seq"]) == (True, "cutover for the parity sign-off", 1)
    [change] = world.gate.changes()
    assert (change.change_id, change.forced) == (changed["change_id"], True)
    # AND Tuesday's automated lines are now official; Monday, before the change, keeps the manual ones
    assert designations(world, TUE)[-1] == ("automated", "cus-20260317-automated-r1", False, "cutover")
    assert designations(world, MON) == [("manual", "cus-20260316-manual-r1", False, "shadow")]


def test_rollback_is_one_action_back_to_the_manual_lines(world: World) -> None:
    passing(world, MON)
    world.deliver(cutover.consumer, request(on=MON, force=True))
    # WHEN rolled back from the same date
    world.deliver(cutover.consumer, request("rollback", on=MON, request_id="req-2"))
    # THEN the gate is back in shadow, announced, and Monday's manual lines are official again
    changed = world.data_of(CHANGED)
    assert [(c["state"], c["previous_state"]) for c in changed] == [
        ("cutover", "shadow"),
        ("shadow", "cutover"),
    ]
    assert [d[0] for d in designations(world, MON)] == ["manual", "automated", "manual"]
    assert [c.action for c in world.gate.changes()] == ["cutover", "rollback"]


def test_after_cutover_a_date_with_only_manual_lines_uses_them_and_is_incomplete(world: World) -> None:
    # GIVEN a cutover from Monday
    world.deliver(cutover.consumer, request(on=MON, force=True))
    # WHEN only the manual lines of Tuesday arrive (SAP down)
    world.run_arrives(TUE, "manual")
    # THEN they are official, marked incomplete
    assert designations(world, TUE) == [("manual", "cus-20260317-manual-r1", True, "cutover")]
    # AND once the automated lines arrive, they are official
    world.run_arrives(TUE, "automated")
    assert designations(world, TUE)[-1] == ("automated", "cus-20260317-automated-r1", False, "cutover")


def test_a_request_for_the_state_the_gate_is_in_is_refused(world: World) -> None:
    world.deliver(cutover.consumer, request("rollback", on=MON))
    refusal = world.gate.last_refusal()
    assert refusal is not None
    assert (refusal.error, refusal.action) == ("InvalidTransitionError", "rollback")

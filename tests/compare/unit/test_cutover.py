"""The cutover gate: refusal below the streak, forced cutover, rollback, the audit record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from ior_compare.domain.cutover import (
    CutoverRefusedError,
    GateState,
    InvalidRequestError,
    InvalidTransitionError,
    ReasonRequiredError,
    StateChange,
    current_state,
    request_cutover,
    rollback,
    state_on,
)
from ior_contracts.cutover import CutoverStateChanged

AT = datetime(2026, 4, 17, 15, 30, tzinfo=UTC)
SHADOW = GateState()


def cut(streak: int = 12, **changes: Any) -> StateChange:
    request: dict[str, Any] = {
        "streak": streak, "effective_date": date(2026, 4, 20), "reason": "Parity streak of 12 business days",
        "actor": "admin", "request_id": "chg-req-20260417-01", "at": AT,
    }  # fmt: skip
    return request_cutover(SHADOW, **{**request, **changes})


def test_cutover_is_allowed_at_the_required_streak() -> None:
    change = cut(streak=10)
    assert (change.before, change.after) == (SHADOW, GateState("cutover", date(2026, 4, 20)))
    assert not change.forced
    assert (change.streak, change.required_streak, change.actor, change.at) == (10, 10, "admin", AT)


def test_cutover_below_the_streak_is_refused_with_the_numbers() -> None:
    with pytest.raises(CutoverRefusedError) as refused:
        cut(streak=9)
    assert (refused.value.streak, refused.value.required) == (9, 10)
    assert "9 business day(s), 10 required" in str(refused.value)


def test_the_requirement_is_configurable() -> None:
    with pytest.raises(CutoverRefusedError):
        cut(streak=12, required=15)


def test_a_forced_cutover_is_recorded_as_forced_with_its_reason() -> None:
    change = cut(streak=3, force=True, reason="Compliance signed off despite the holiday gap")
    assert change.forced
    assert change.reason == "Compliance signed off despite the holiday gap"
    assert change.after.state == "cutover"


def test_force_with_a_long_enough_streak_is_not_recorded_as_forced() -> None:
    assert not cut(streak=10, force=True).forced


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_change_needs_a_reason(reason: str) -> None:
    with pytest.raises(ReasonRequiredError):
        cut(streak=3, force=True, reason=reason)


def test_the_change_id_is_deterministic_from_the_request() -> None:
    later = datetime(2026, 4, 17, 16, 0, tzinfo=UTC)
    assert cut().change_id == cut(at=later).change_id
    assert cut().change_id != cut(request_id="chg-req-20260417-02").change_id


def test_rollback_is_one_action_and_needs_no_streak() -> None:
    gate = cut().after
    change = rollback(
        gate, streak=0, effective_date=date(2026, 4, 23), reason="Duty mismatch on 2026-04-22",
        actor="admin", request_id="chg-req-20260423-01", at=AT,
    )  # fmt: skip
    assert (change.before.state, change.after.state, change.action) == ("cutover", "shadow", "rollback")


def test_cutting_over_twice_or_rolling_back_in_shadow_is_refused() -> None:
    with pytest.raises(InvalidTransitionError):
        request_cutover(
            cut().after, streak=20, effective_date=date(2026, 5, 1), reason="again", actor="admin",
            request_id="r2", at=AT,
        )  # fmt: skip
    with pytest.raises(InvalidTransitionError):
        rollback(
            SHADOW,
            streak=0,
            effective_date=date(2026, 5, 1),
            reason="undo",
            actor="admin",
            request_id="r3",
            at=AT,
        )


def test_a_naive_change_time_is_refused() -> None:
    with pytest.raises(InvalidRequestError, match="time zone"):
        cut(at=datetime(2026, 4, 17, 15, 30))


def test_state_on_a_date_follows_the_changes_in_force() -> None:
    cutover = cut()
    back = rollback(
        cutover.after, streak=0, effective_date=date(2026, 4, 23), reason="undo", actor="admin",
        request_id="r2", at=AT,
    )  # fmt: skip
    changes = [cutover, back]
    assert state_on(changes, date(2026, 4, 17)) == "shadow"
    assert state_on(changes, date(2026, 4, 20)) == "cutover"
    assert state_on(changes, date(2026, 4, 22)) == "cutover"
    assert state_on(changes, date(2026, 4, 23)) == "shadow"
    assert current_state(changes) == GateState("shadow", date(2026, 4, 23))
    assert current_state([]) == SHADOW


def test_the_audit_record_fills_the_state_changed_event() -> None:
    event = CutoverStateChanged.model_validate(cut(streak=3, force=True).event_data())
    assert (event.state, event.previous_state, event.forced, event.streak) == ("cutover", "shadow", True, 3)
    assert (event.changed_by, event.request_id) == ("admin", "chg-req-20260417-01")

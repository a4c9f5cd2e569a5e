"""The cutover gate: shadow (manual lines official) or cutover (automated lines official) from a date.

An admin cuts over when the parity streak reaches the required number of business days, or forces
it with a reason; rollback is one action. Every change is an audit record (`StateChange`) that
fills `cutover.state.changed.v1`; a refused request raises a `CutoverError`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from ior_compare.domain.stamps import stamp

CutoverState = Literal["shadow", "cutover"]
Action = Literal["cutover", "rollback"]
DEFAULT_REQUIRED_STREAK = 10


class CutoverError(Exception):
    """A cutover or rollback request was refused."""


class CutoverRefusedError(CutoverError):
    """The parity streak is shorter than required and the cutover was not forced."""

    def __init__(self, streak: int, required: int) -> None:
        super().__init__(
            f"cutover refused: parity streak of {streak} business day(s), {required} required "
            "(force it with a reason to cut over anyway)"
        )
        self.streak = streak
        self.required = required


class ReasonRequiredError(CutoverError):
    """A change was requested without a reason."""


class InvalidTransitionError(CutoverError):
    """The gate is already in the requested state."""


class InvalidRequestError(CutoverError):
    """The request lacks an actor or a request id, has a naive time, or impossible numbers."""


@dataclass(frozen=True)
class GateState:
    """The gate's current state and the first arrival date it applies to (None: shadow from the start)."""

    state: CutoverState = "shadow"
    effective_date: date | None = None


@dataclass(frozen=True)
class StateChange:
    """The audit record of one change of the gate."""

    change_id: str
    request_id: str
    action: Action
    before: GateState
    after: GateState
    streak: int
    required_streak: int
    forced: bool
    reason: str
    actor: str
    at: datetime

    @property
    def effective_date(self) -> date:
        assert self.after.effective_date is not None
        return self.after.effective_date

    def event_data(self) -> dict[str, object]:
        """The data of `cutover.state.changed.v1`."""
        return {
            "change_id": self.change_id,
            "state": self.after.state,
            "previous_state": self.before.state,
            "effective_date": self.effective_date,
            "streak": self.streak,
            "required_streak": self.required_streak,
            "forced": self.forced,
            "reason": self.reason,
            "changed_by": self.actor,
            "request_id": self.request_id,
        }

    def record_data(self) -> dict[str, Any]:
        """The change as the gate keeps it: text, numbers and flags only."""
        return {
            "change_id": self.change_id,
            "request_id": self.request_id,
            "action": self.action,
            "before_state": self.before.state,
            "before_effective_date": _iso(self.before.effective_date),
            "after_state": self.after.state,
            "after_effective_date": _iso(self.after.effective_date),
            "streak": self.streak,
            "required_streak": self.required_streak,
            "forced": self.forced,
            "reason": self.reason,
            "actor": self.actor,
            "at": stamp(self.at),
        }

    def audit_data(self, seq: int) -> dict[str, Any]:
        """The change as its audit object holds it: only what is kept, so a retry writes equal bytes."""
        return {**self.record_data(), "seq": seq}


def request_cutover(
    gate: GateState,
    *,
    streak: int,
    effective_date: date,
    reason: str,
    actor: str,
    request_id: str,
    at: datetime,
    force: bool = False,
    required: int = DEFAULT_REQUIRED_STREAK,
) -> StateChange:
    """Make the automated lines official from `effective_date`. Allowed at a streak of at least
    `required`, or when forced (recorded as forced); otherwise `CutoverRefusedError`."""
    _check_request(reason, actor, request_id, at, streak, required)
    if gate.state == "cutover":
        raise InvalidTransitionError(f"already in cutover since {gate.effective_date}")
    short = streak < required
    if short and not force:
        raise CutoverRefusedError(streak, required)
    return _change(
        "cutover", gate, "cutover", effective_date, streak, required, short, reason, actor, request_id, at
    )


def rollback(
    gate: GateState,
    *,
    streak: int,
    effective_date: date,
    reason: str,
    actor: str,
    request_id: str,
    at: datetime,
    required: int = DEFAULT_REQUIRED_STREAK,
) -> StateChange:
    """Make the manual lines official again from `effective_date`: one action, no streak needed."""
    _check_request(reason, actor, request_id, at, streak, required)
    if gate.state == "shadow":
        raise InvalidTransitionError("already in shadow: nothing to roll back")
    return _change(
        "rollback", gate, "shadow", effective_date, streak, required, False, reason, actor, request_id, at
    )


def current_state(changes: Sequence[StateChange]) -> GateState:
    """The gate after the changes, applied in order."""
    return changes[-1].after if changes else GateState()


def state_on(changes: Sequence[StateChange], business_date: date) -> CutoverState:
    """The state in force on an arrival date: the last change (in the order applied) effective on or
    before it decides; before any change, shadow."""
    for change in reversed(changes):
        if change.effective_date <= business_date:
            return change.after.state
    return "shadow"


def _check_request(
    reason: str, actor: str, request_id: str, at: datetime, streak: int, required: int
) -> None:
    if not reason or not reason.strip():
        raise ReasonRequiredError("a reason is required for the audit trail")
    if not actor.strip() or not request_id.strip():
        raise InvalidRequestError("the request needs an actor and a request id")
    if at.tzinfo is None:
        raise InvalidRequestError("the change time must carry a time zone")
    if streak < 0 or required < 1:
        raise InvalidRequestError(f"invalid streak {streak} or requirement {required}")


def _change(
    action: Action,
    before: GateState,
    state: CutoverState,
    effective_date: date,
    streak: int,
    required: int,
    forced: bool,
    reason: str,
    actor: str,
    request_id: str,
    at: datetime,
) -> StateChange:
    # The id derives from the request alone, so a replayed request gets the same id.
    request = {
        "action": action,
        "effective_date": effective_date.isoformat(),
        "reason": reason,
        "actor": actor,
        "request_id": request_id,
        "forced": forced,
    }
    digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode()).hexdigest()[:16]
    return StateChange(
        change_id=f"cutover-{digest}",
        request_id=request_id,
        action=action,
        before=before,
        after=GateState(state=state, effective_date=effective_date),
        streak=streak,
        required_streak=required,
        forced=forced,
        reason=reason,
        actor=actor,
        at=at,
    )


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()

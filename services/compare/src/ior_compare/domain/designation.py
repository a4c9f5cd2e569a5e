"""Which run's lines are official for an arrival date (DOMAIN §7).

| state on the date | manual run | automated run | official |
|---|---|---|---|
| shadow | present | any | manual |
| shadow | absent | any | none yet (the automated lines are not official in shadow) |
| cutover | any | present | automated |
| cutover | present | absent | manual, marked incomplete (SAP down) |
| cutover | absent | absent | none yet |

"None yet" is a designation without a run id: the mode is the state's own path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ior_compare.domain.cutover import CutoverState, StateChange, state_on

Mode = Literal["manual", "automated"]


@dataclass(frozen=True)
class OfficialRun:
    business_date: date
    state: CutoverState
    official_mode: Mode
    run_id: str | None
    """None when the date has no official run yet."""
    incomplete: bool
    """True when the official lines are not from the state's own path."""
    reason: str

    def event_data(self) -> dict[str, object]:
        """The data of `cutover.official_run.designated.v1`."""
        return {
            "business_date": self.business_date,
            "official_mode": self.official_mode,
            "run_id": self.run_id,
            "incomplete": self.incomplete,
            "reason": self.reason,
            "state": self.state,
        }


def designate_official_run(
    business_date: date,
    *,
    changes: Sequence[StateChange],
    manual_run_id: str | None,
    automated_run_id: str | None,
) -> OfficialRun:
    """The official run of `business_date` under the gate's history `changes` (in the order applied)."""
    state = state_on(changes, business_date)

    def official(mode: Mode, run_id: str | None, incomplete: bool, reason: str) -> OfficialRun:
        return OfficialRun(business_date, state, mode, run_id, incomplete, reason)

    if state == "shadow":
        if manual_run_id:
            return official("manual", manual_run_id, False, "Shadow mode: the manual lines are official")
        return official("manual", None, False, f"Shadow mode, but {business_date} has no manual run yet")
    since = _cutover_since(changes, business_date)
    if automated_run_id:
        return official(
            "automated", automated_run_id, False, f"Cutover since {since}: the automated lines are official"
        )
    if manual_run_id:
        return official(
            "manual",
            manual_run_id,
            True,
            f"Cutover since {since}, but {business_date} has no automated run; the manual lines are official "
            "until the automated run arrives",
        )
    return official("automated", None, False, f"Cutover since {since}, but {business_date} has no run yet")


def _cutover_since(changes: Sequence[StateChange], business_date: date) -> date:
    for change in reversed(changes):
        if change.effective_date <= business_date:
            return change.effective_date
    raise AssertionError("a cutover state has a change behind it")

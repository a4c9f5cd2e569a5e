"""The cutover gate: which path's lines are official, from which date, and for each date."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field

from ior_contracts.envelope import Event
from ior_contracts.vocabulary import Actor, CutoverState, Identifier, Mode, Reason

CutoverAction = Literal["cutover", "rollback"]


class CutoverChangeRequested(Event):
    DETAIL_TYPE: ClassVar[str] = "cutover.change.requested.v1"
    SOURCE: ClassVar[str] = "ior.api"
    DESCRIPTION: ClassVar[str] = (
        "An admin asks to make the automated lines official from a date (`cutover`) or to return to "
        "the manual lines (`rollback`). The compare service owns the gate: it allows a cutover when "
        "the parity streak reaches the required number of business days, or when `force` is set, "
        "and answers with `cutover.state.changed.v1`. The reason is required and audited."
    )

    action: CutoverAction = Field(description="Cutover to automated, or roll back to manual.")
    effective_date: date = Field(description="The first arrival date the change applies to.")
    reason: Reason = Field(description="Why; recorded in the audit trail.")
    force: bool = Field(default=False, description="Cut over even though the parity streak is too short.")
    requested_by: Actor = Field(description="The admin who asked.")
    request_id: Identifier = Field(description="Client-supplied id, repeated by the answer.")


class CutoverStateChanged(Event):
    DETAIL_TYPE: ClassVar[str] = "cutover.state.changed.v1"
    SOURCE: ClassVar[str] = "ior.compare"
    DESCRIPTION: ClassVar[str] = (
        "The gate changed state from a date on: `cutover` makes the automated lines official, "
        "`shadow` the manual ones. Records the parity streak at the time, whether the change was "
        "forced, and who asked and why. Official runs of the affected dates are announced again with "
        "`cutover.official_run.designated.v1`."
    )

    change_id: Identifier = Field(description="The change, in the gate's audit trail.")
    state: CutoverState = Field(description="The state from `effective_date` on.")
    previous_state: CutoverState = Field(description="The state before.")
    effective_date: date = Field(description="The first arrival date in the new state.")
    streak: int = Field(ge=0, description="Consecutive passing business days at the time of the change.")
    required_streak: int = Field(ge=1, description="The streak a cutover needs without `force`.")
    forced: bool = Field(description="Whether a cutover was forced below the required streak.")
    reason: Reason = Field(description="The reason given with the request.")
    changed_by: Actor = Field(description="The admin who asked.")
    request_id: Identifier = Field(description="The request this answers.")


class OfficialRunDesignated(Event):
    DETAIL_TYPE: ClassVar[str] = "cutover.official_run.designated.v1"
    SOURCE: ClassVar[str] = "ior.compare"
    DESCRIPTION: ClassVar[str] = (
        "Which run's lines are official for one arrival date. In shadow the manual run; after "
        "cutover the automated run, except on a day with only manual lines (SAP down), which uses "
        "them and is marked incomplete. Downstream consumers file what this names; a later event for "
        "the same date supersedes an earlier one."
    )

    business_date: date = Field(description="The arrival date.")
    official_mode: Mode = Field(description="The path whose lines are official.")
    run_id: Identifier | None = Field(description="The official run; null when the date has no run yet.")
    incomplete: bool = Field(description="True when the official lines are not from the state's own path.")
    reason: Reason = Field(description="Why this run, for a person.")
    state: CutoverState = Field(description="The gate's state on this date.")

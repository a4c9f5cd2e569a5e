"""What the recorded dates say about the parallel run, read the same way by the gate,
`ior cutover status` and `ior parity-report`: the parity streak, the gate's status and the sign-off
inputs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ior_contracts.calendar import BusinessCalendar

from ior_compare.domain.cutover import GateState, StateChange, current_state
from ior_compare.domain.parity import DayRecord, ParityStreak, parity_streak
from ior_compare.domain.records import DayState, Refusal
from ior_compare.domain.signoff import DayComparison


def day_records(days: Iterable[DayState]) -> list[DayRecord]:
    return [
        DayRecord(day.business_date, day.has_transactions, day.comparison.passed if day.comparison else None)
        for day in days
    ]


def streak(days: Sequence[DayState], calendar: BusinessCalendar, *, today: date) -> ParityStreak:
    """The streak as of the latest compared date. Dates after it whose comparison has not been made
    yet (one mode's lines still to come) are not counted against it; they break it once a later
    date is compared."""
    compared = [day.business_date for day in days if day.comparison is not None]
    return parity_streak(day_records(days), max(compared, default=today), calendar)


def awaiting(days: Iterable[DayState], as_of: date, calendar: BusinessCalendar) -> tuple[date, ...]:
    """Business days after `as_of` with transactions and no comparison yet."""
    return tuple(
        day.business_date
        for day in days
        if day.business_date > as_of
        and day.has_transactions
        and day.comparison is None
        and calendar.is_business_day(day.business_date)
    )


@dataclass(frozen=True)
class GateStatus:
    state: GateState
    streak: ParityStreak
    required_streak: int
    awaiting: tuple[date, ...]
    last_change: StateChange | None
    last_refusal: Refusal | None

    @property
    def ready(self) -> bool:
        return self.streak.days >= self.required_streak


def gate_status(
    days: Sequence[DayState],
    changes: Sequence[StateChange],
    last_refusal: Refusal | None,
    *,
    required_streak: int,
    calendar: BusinessCalendar,
    today: date,
) -> GateStatus:
    found = streak(days, calendar, today=today)
    return GateStatus(
        state=current_state(changes),
        streak=found,
        required_streak=required_streak,
        awaiting=awaiting(days, found.as_of, calendar),
        last_change=changes[-1] if changes else None,
        last_refusal=last_refusal,
    )


def signoff_days(days: Iterable[DayState]) -> list[DayComparison]:
    """The sign-off's view of each date: transactions, and its current comparison."""
    return [
        DayComparison(
            business_date=day.business_date,
            has_transactions=day.has_transactions,
            passed=day.comparison.passed if day.comparison else None,
            comparison_id=day.comparison.comparison_id if day.comparison else None,
            discrepancies=dict(day.comparison.discrepancies) if day.comparison else {},
        )
        for day in days
    ]

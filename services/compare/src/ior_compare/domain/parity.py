"""The parity streak: consecutive business days whose comparison passed (DOMAIN §7).

Walking back from the latest business day considered:
- a business day whose comparison passed counts;
- a business day whose comparison failed ends the streak;
- a business day with transactions but no comparison ends the streak;
- a business day without transactions and without a failed comparison is skipped (it neither counts
  nor breaks; a passing comparison of an empty day proves nothing);
- weekends and federal holidays are not business days and are never considered, whatever ran on
  them (the sign-off report still lists them).
Days absent from the records had no transactions and no comparison."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ior_contracts.calendar import BusinessCalendar

BreakReason = Literal["failed", "no_comparison"]


@dataclass(frozen=True)
class DayRecord:
    """What happened on one arrival date."""

    business_date: date
    has_transactions: bool
    passed: bool | None = None
    """The latest comparison's outcome; None when the date has no comparison."""


@dataclass(frozen=True)
class ParityStreak:
    days: int
    as_of: date
    """The latest business day considered."""
    counted: tuple[date, ...]
    """The passing business days that count, latest first."""
    broken_on: date | None
    """The business day that ended the streak; None when the records ran out first."""
    broken_because: BreakReason | None


def records_by_date(records: Iterable[DayRecord]) -> dict[date, DayRecord]:
    """Index records by date; two records for one date are an error."""
    indexed: dict[date, DayRecord] = {}
    for record in records:
        if record.business_date in indexed:
            raise ValueError(f"two records for {record.business_date}")
        indexed[record.business_date] = record
    return indexed


def parity_streak(
    records: Iterable[DayRecord] | Mapping[date, DayRecord],
    as_of: date,
    calendar: BusinessCalendar | None = None,
) -> ParityStreak:
    """The streak as of `as_of` (or the last business day before it, when it is not one)."""
    calendar = calendar or BusinessCalendar()
    by_date = dict(records) if isinstance(records, Mapping) else records_by_date(records)
    latest = calendar.latest_business_day(as_of)
    earliest = min(by_date, default=latest)
    counted: list[date] = []
    day = latest
    while day >= earliest:
        record = by_date.get(day)
        if record is not None:
            if record.passed is False:
                return ParityStreak(len(counted), latest, tuple(counted), day, "failed")
            if record.has_transactions and record.passed is None:
                return ParityStreak(len(counted), latest, tuple(counted), day, "no_comparison")
            if record.has_transactions:
                counted.append(day)
        day = calendar.previous_business_day(day)
    return ParityStreak(len(counted), latest, tuple(counted), None, None)

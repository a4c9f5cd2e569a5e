"""The business calendar every part of the product counts with (DOMAIN §4, §7): Monday to Friday
except US federal holidays, observed days included.

The federal holidays are the `public` category of `holidays.US` (5 U.S.C. 6103): New Year's Day,
Martin Luther King Jr. Day, Washington's Birthday, Memorial Day, Juneteenth (from 2021),
Independence Day, Labor Day, Columbus Day, Veterans Day, Thanksgiving and Christmas, moved to the
Friday before or the Monday after when they fall on a weekend (2026-07-03 for 2026-07-04;
2027-12-31 for New Year's Day 2028)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from typing import Any

_ONE_DAY = timedelta(days=1)


@cache
def _federal() -> Any:
    # Imported on first use: most handlers never count business days.
    import holidays

    return holidays.country_holidays("US", categories=("public",), observed=True)


class BusinessCalendar:
    """US federal business days. Holiday years load on demand."""

    def holiday(self, day: date) -> str | None:
        """The federal holiday observed on `day` (its name, `(observed)` for a moved one), or None."""
        name = _federal().get(day)
        return None if name is None else str(name)

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday(day) is None

    def business_days(self, start: date, end: date) -> Iterator[date]:
        """Business days from `start` to `end`, both inclusive, in order."""
        day = start
        while day <= end:
            if self.is_business_day(day):
                yield day
            day += _ONE_DAY

    def first_business_days(self, start: date, count: int) -> list[date]:
        """The first `count` business days on or after `start`."""
        days: list[date] = []
        day = start
        while len(days) < count:
            if self.is_business_day(day):
                days.append(day)
            day += _ONE_DAY
        return days

    def add_business_days(self, day: date, count: int) -> date:
        """The `count`-th business day after `day`."""
        while count > 0:
            day += _ONE_DAY
            if self.is_business_day(day):
                count -= 1
        return day

    def previous_business_day(self, day: date) -> date:
        """The last business day strictly before `day`."""
        day -= _ONE_DAY
        while not self.is_business_day(day):
            day -= _ONE_DAY
        return day

    def latest_business_day(self, day: date) -> date:
        """`day` when it is a business day, else the last one before it."""
        return day if self.is_business_day(day) else self.previous_business_day(day)

"""Business days: Monday to Friday except US federal holidays, observed days included (DOMAIN §7).

The federal holidays are the `public` category of `holidays.US`: New Year's Day, Martin Luther King
Jr. Day, Washington's Birthday, Memorial Day, Juneteenth, Independence Day, Labor Day, Columbus Day,
Veterans Day, Thanksgiving and Christmas, moved to the Friday before or the Monday after when they
fall on a weekend (2026-07-03 for 2026-07-04; 2027-12-31 for New Year's Day 2028)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

_ONE_DAY = timedelta(days=1)


@dataclass
class BusinessCalendar:
    """US federal business days. Holiday years load on demand."""

    _holidays: holidays.HolidayBase = field(
        default_factory=lambda: holidays.country_holidays("US", categories=("public",), observed=True),
        repr=False,
    )

    def holiday(self, day: date) -> str | None:
        """The federal holiday on `day` (its name, `(observed)` for a moved one), or None."""
        name = self._holidays.get(day)
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

    def previous_business_day(self, day: date) -> date:
        """The last business day strictly before `day`."""
        day -= _ONE_DAY
        while not self.is_business_day(day):
            day -= _ONE_DAY
        return day

    def latest_business_day(self, day: date) -> date:
        """`day` when it is a business day, else the last one before it."""
        return day if self.is_business_day(day) else self.previous_business_day(day)

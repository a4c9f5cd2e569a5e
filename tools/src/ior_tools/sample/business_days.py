"""Business days as DOMAIN §7 counts them: Monday to Friday, except US federal holidays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    # A Saturday holiday is observed the Friday before, a Sunday one the Monday after (5 U.S.C. 6103).
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _fixed_and_floating(year: int) -> list[date]:
    monday, thursday = 0, 3
    return [
        _observed(date(year, 1, 1)),
        _nth_weekday(year, 1, monday, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, monday, 3),  # Washington's Birthday
        _last_weekday(year, 5, monday),  # Memorial Day
        _observed(date(year, 6, 19)),  # Juneteenth
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, monday, 1),  # Labor Day
        _nth_weekday(year, 10, monday, 2),  # Columbus Day
        _observed(date(year, 11, 11)),
        _nth_weekday(year, 11, thursday, 4),  # Thanksgiving Day
        _observed(date(year, 12, 25)),
    ]


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The observed US federal holidays falling in `year` (New Year's Day may be observed on Dec 31)."""
    candidates = [*_fixed_and_floating(year), _observed(date(year + 1, 1, 1))]
    return frozenset(day for day in candidates if day.year == year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def business_days_from(start: date, count: int) -> list[date]:
    """The first `count` business days on or after `start`."""
    days: list[date] = []
    day = start
    while len(days) < count:
        if is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def weekdays_between(first: date, last: date) -> Iterator[date]:
    """Monday-to-Friday dates from `first` to `last`, inclusive (market rates are quoted on these)."""
    day = first
    while day <= last:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def previous_weekday(day: date) -> date:
    """`day` itself when it is a weekday, else the Friday before."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day

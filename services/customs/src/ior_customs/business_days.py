"""Business days and closed dates (DOMAIN §4, §7): Monday to Friday except the eleven US federal
holidays of 5 U.S.C. 6103, a Saturday holiday observed on the Friday before and a Sunday holiday
on the Monday after (New Year's Day on a Saturday is observed on 31 December). Juneteenth counts
from 2021."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

CLOSING_BUSINESS_DAYS = 10
"""A business date is closed this many business days after it."""

_ONE_DAY = timedelta(days=1)
_MONDAY, _THURSDAY = 0, 3


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of the month; n = -1 for the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - _ONE_DAY
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - _ONE_DAY
    if day.weekday() == 6:
        return day + _ONE_DAY
    return day


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The days of `year` on which federal holidays are observed."""
    fixed = [(1, 1), (7, 4), (11, 11), (12, 25)] + ([(6, 19)] if year >= 2021 else [])
    floating = [
        _nth_weekday(year, 1, _MONDAY, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, _MONDAY, 3),  # Washington's Birthday
        _nth_weekday(year, 5, _MONDAY, -1),  # Memorial Day
        _nth_weekday(year, 9, _MONDAY, 1),  # Labor Day
        _nth_weekday(year, 10, _MONDAY, 2),  # Columbus Day
        _nth_weekday(year, 11, _THURSDAY, 4),  # Thanksgiving Day
    ]
    days = {_observed(date(year, m, d)) for m, d in fixed} | set(floating)
    # Next year's New Year's Day on a Saturday is observed on this year's 31 December.
    if date(year + 1, 1, 1).weekday() == 5:
        days.add(date(year, 12, 31))
    return frozenset(d for d in days if d.year == year)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_business_days(day: date, count: int) -> date:
    """The `count`-th business day after `day`."""
    while count > 0:
        day += _ONE_DAY
        if is_business_day(day):
            count -= 1
    return day


def closed_on(business_date: date) -> date:
    """The day `business_date` closes: from then on its lines are only corrected, never replaced."""
    return add_business_days(business_date, CLOSING_BUSINESS_DAYS)


def is_closed(business_date: date, today: date) -> bool:
    return today >= closed_on(business_date)


def earliest_open(today: date) -> date:
    """The earliest business date still open on `today`."""
    day = today
    while not is_closed(day - _ONE_DAY, today):
        day -= _ONE_DAY
    return day

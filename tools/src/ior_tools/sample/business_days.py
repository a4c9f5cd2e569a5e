"""Weekdays, on which market exchange rates are quoted; business days are the shared calendar's
(`ior_contracts.calendar`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta


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

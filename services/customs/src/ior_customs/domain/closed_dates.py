"""Closed dates (DOMAIN §7): a business date closes ten business days after it, counted on the
product's business calendar (US federal business days). From then on its official lines are only
corrected, never replaced."""

from __future__ import annotations

from datetime import date, timedelta

from ior_contracts.calendar import BusinessCalendar

CLOSING_BUSINESS_DAYS = 10
"""A business date is closed this many business days after it."""

_CALENDAR = BusinessCalendar()
_ONE_DAY = timedelta(days=1)


def closed_on(business_date: date) -> date:
    """The day `business_date` closes: from then on its lines are only corrected, never replaced."""
    return _CALENDAR.add_business_days(business_date, CLOSING_BUSINESS_DAYS)


def is_closed(business_date: date, today: date) -> bool:
    return today >= closed_on(business_date)


def earliest_open(today: date) -> date:
    """The earliest business date still open on `today`."""
    day = today
    while not is_closed(day - _ONE_DAY, today):
        day -= _ONE_DAY
    return day

"""Business days: Monday to Friday except US federal holidays (observed dates)."""

from __future__ import annotations

from datetime import date

from ior_tools.sample.business_days import business_days_from, federal_holidays, is_business_day


def test_federal_holidays_of_2026() -> None:
    assert sorted(federal_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),  # Independence Day falls on a Saturday
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    ]


def test_a_sunday_holiday_is_observed_on_monday_and_new_year_may_fall_in_december() -> None:
    assert date(2027, 7, 5) in federal_holidays(2027)  # July 4, 2027 is a Sunday
    assert date(2027, 12, 31) in federal_holidays(2027)  # January 1, 2028 is a Saturday


def test_business_days_skip_weekends_and_holidays() -> None:
    assert business_days_from(date(2026, 6, 15), 5) == [
        date(2026, 6, 15),
        date(2026, 6, 16),
        date(2026, 6, 17),
        date(2026, 6, 18),
        date(2026, 6, 22),
    ]
    assert business_days_from(date(2026, 3, 28), 1) == [date(2026, 3, 30)]
    assert not is_business_day(date(2026, 5, 25))

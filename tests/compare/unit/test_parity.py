"""Business days and the parity streak."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from ior_compare.domain.parity import DayRecord, parity_streak
from ior_contracts.calendar import BusinessCalendar

CALENDAR = BusinessCalendar()
FEDERAL_2026 = {
    date(2026, 1, 1), date(2026, 1, 19), date(2026, 2, 16), date(2026, 5, 25), date(2026, 6, 19),
    date(2026, 7, 3), date(2026, 9, 7), date(2026, 10, 12), date(2026, 11, 11), date(2026, 11, 26),
    date(2026, 12, 25),
}  # fmt: skip


def passed(*days: date) -> list[DayRecord]:
    return [DayRecord(day, has_transactions=True, passed=True) for day in days]


def test_the_eleven_federal_holidays_of_2026_are_not_business_days() -> None:
    weekday_holidays = {
        day
        for day in (date(2026, 1, 1) + timedelta(days=n) for n in range(365))
        if day.weekday() < 5 and not CALENDAR.is_business_day(day)
    }
    assert weekday_holidays == FEDERAL_2026
    assert CALENDAR.holiday(date(2026, 7, 3)) == "Independence Day (observed)"


def test_new_years_day_on_a_saturday_is_observed_the_friday_before() -> None:
    assert not CALENDAR.is_business_day(date(2027, 12, 31))


def test_business_days_skip_weekends_and_holidays() -> None:
    days = list(CALENDAR.business_days(date(2026, 11, 23), date(2026, 11, 30)))
    assert days == [
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 25),
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]


def test_streak_counts_consecutive_passing_business_days_across_thanksgiving() -> None:
    """GIVEN passes on every business day around Thanksgiving (Thu 2026-11-26)
    WHEN counting as of Monday 2026-11-30 THEN the holiday and the weekend neither count nor break."""
    records = passed(*CALENDAR.business_days(date(2026, 11, 16), date(2026, 11, 30)))
    streak = parity_streak(records, date(2026, 11, 30))
    assert streak.days == 10
    assert date(2026, 11, 26) not in streak.counted
    assert streak.broken_on is None


def test_streak_runs_across_the_observed_independence_day() -> None:
    records = passed(date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 6), date(2026, 7, 7))
    assert parity_streak(records, date(2026, 7, 7)).days == 4


def test_a_comparison_on_a_holiday_is_not_considered() -> None:
    records = [*passed(date(2026, 11, 25), date(2026, 11, 27)), DayRecord(date(2026, 11, 26), True, False)]
    assert parity_streak(records, date(2026, 11, 27)).days == 2


def test_a_business_day_with_transactions_but_no_comparison_breaks_the_streak() -> None:
    records = [
        *passed(date(2026, 3, 9), date(2026, 3, 11)),
        DayRecord(date(2026, 3, 10), has_transactions=True),
    ]
    streak = parity_streak(records, date(2026, 3, 11))
    assert (streak.days, streak.broken_on, streak.broken_because) == (1, date(2026, 3, 10), "no_comparison")


def test_a_business_day_without_transactions_is_skipped() -> None:
    records = [
        *passed(date(2026, 3, 9), date(2026, 3, 11)),
        DayRecord(date(2026, 3, 10), has_transactions=False),
    ]
    assert parity_streak(records, date(2026, 3, 11)).days == 2
    assert parity_streak(passed(date(2026, 3, 9), date(2026, 3, 11)), date(2026, 3, 11)).days == 2


def test_a_passing_comparison_of_a_day_without_transactions_does_not_count() -> None:
    records = [*passed(date(2026, 3, 9)), DayRecord(date(2026, 3, 10), has_transactions=False, passed=True)]
    assert parity_streak(records, date(2026, 3, 10)).counted == (date(2026, 3, 9),)


def test_a_failed_comparison_breaks_the_streak() -> None:
    records = [
        *passed(date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 12)),
        DayRecord(date(2026, 3, 10), True, False),
    ]
    streak = parity_streak(records, date(2026, 3, 12))
    assert (streak.days, streak.broken_on, streak.broken_because) == (2, date(2026, 3, 10), "failed")


def test_a_failure_on_the_latest_day_leaves_no_streak() -> None:
    records = [*passed(date(2026, 3, 9)), DayRecord(date(2026, 3, 10), True, False)]
    assert parity_streak(records, date(2026, 3, 10)).days == 0


def test_counting_from_a_weekend_starts_at_the_friday_before() -> None:
    streak = parity_streak(passed(date(2026, 3, 12), date(2026, 3, 13)), date(2026, 3, 15))
    assert (streak.as_of, streak.days) == (date(2026, 3, 13), 2)


def test_days_after_as_of_are_ignored() -> None:
    records = [*passed(date(2026, 3, 9)), DayRecord(date(2026, 3, 10), True, False)]
    assert parity_streak(records, date(2026, 3, 9)).days == 1


def test_two_records_for_one_date_are_refused() -> None:
    with pytest.raises(ValueError, match="two records"):
        parity_streak(passed(date(2026, 3, 9), date(2026, 3, 9)), date(2026, 3, 9))

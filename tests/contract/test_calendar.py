"""The one business calendar: Monday to Friday except US federal holidays (observed dates)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from importlib.resources import files

from ior_contracts.calendar import TABLE, TABLE_YEARS, BusinessCalendar, federal_holidays

CALENDAR = BusinessCalendar()


def holidays_of(year: int) -> list[date]:
    """The weekdays of `year` on which a federal holiday is observed."""
    day, found = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and CALENDAR.holiday(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def test_federal_holidays_of_2026() -> None:
    assert holidays_of(2026) == [
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
    assert CALENDAR.holiday(date(2027, 7, 5))  # July 4, 2027 is a Sunday
    assert CALENDAR.holiday(date(2027, 12, 31))  # January 1, 2028 is a Saturday


def test_juneteenth_is_a_holiday_from_2021_only() -> None:
    assert CALENDAR.is_business_day(date(2020, 6, 19))
    assert not CALENDAR.is_business_day(date(2021, 6, 18))  # observed on the Friday


def test_business_days_skip_weekends_and_holidays() -> None:
    assert CALENDAR.first_business_days(date(2026, 6, 15), 5) == [
        date(2026, 6, 15),
        date(2026, 6, 16),
        date(2026, 6, 17),
        date(2026, 6, 18),
        date(2026, 6, 22),
    ]
    assert CALENDAR.first_business_days(date(2026, 3, 28), 1) == [date(2026, 3, 30)]
    assert not CALENDAR.is_business_day(date(2026, 5, 25))


def test_counting_forward_and_back_skips_weekends_and_holidays() -> None:
    assert CALENDAR.add_business_days(date(2026, 7, 2), 1) == date(2026, 7, 6)
    assert CALENDAR.add_business_days(date(2026, 3, 30), 10) == date(2026, 4, 13)
    assert CALENDAR.previous_business_day(date(2026, 7, 6)) == date(2026, 7, 2)
    assert CALENDAR.latest_business_day(date(2026, 7, 4)) == date(2026, 7, 2)
    assert list(CALENDAR.business_days(date(2026, 7, 2), date(2026, 7, 6))) == [
        date(2026, 7, 2),
        date(2026, 7, 6),
    ]


def test_the_table_of_federal_holidays_is_what_the_holidays_package_counts_for_every_year_it_holds() -> None:
    # GIVEN the table the calendar reads (regenerate with `uv run python -m ior_contracts.calendar`)
    table = json.loads(files("ior_contracts").joinpath(TABLE).read_text(encoding="utf-8"))
    # THEN it holds its years, each holiday as the package names it, and nothing more
    assert table["years"] == [TABLE_YEARS.start, TABLE_YEARS.stop - 1]
    expected = {day.isoformat(): name for day, name in federal_holidays(TABLE_YEARS).items()}
    assert table["holidays"] == expected


def test_a_year_beyond_the_table_is_asked_of_the_holidays_package() -> None:
    # 2090-07-04 is a Tuesday; 2099-12-25 a Friday
    assert CALENDAR.holiday(date(2090, 7, 4)) == "Independence Day"
    assert not CALENDAR.is_business_day(date(2099, 12, 25))
    assert CALENDAR.is_business_day(date(2090, 7, 5))


def test_counting_business_days_of_the_tables_years_loads_no_holidays_package() -> None:
    # GIVEN a fresh interpreter WHEN it counts business days around Independence Day 2026
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from ior_contracts.calendar import BusinessCalendar\n"
        "calendar = BusinessCalendar()\n"
        "print(calendar.is_business_day(date(2026, 7, 3)), calendar.add_business_days(date(2026, 7, 2), 1))\n"
        "print('holidays' in sys.modules)\n"
    )
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    # THEN the observed holiday is skipped and the package (250 countries) was never imported
    assert shown.split() == ["False", "2026-07-06", "False"]

"""The business calendar every part of the product counts with (DOMAIN §4, §7): Monday to Friday
except US federal holidays, observed days included.

The federal holidays are the `public` category of `holidays.US` (5 U.S.C. 6103): New Year's Day,
Martin Luther King Jr. Day, Washington's Birthday, Memorial Day, Juneteenth (from 2021),
Independence Day, Labor Day, Columbus Day, Veterans Day, Thanksgiving and Christmas, moved to the
Friday before or the Monday after when they fall on a weekend (2026-07-03 for 2026-07-04;
2027-12-31 for New Year's Day 2028).

The holidays of the years most work falls in are read from `federal_holidays.json`, which
`python -m ior_contracts.calendar` writes from `holidays.US` and a test holds equal to it: the
package imports every one of its 250 countries on first use (0.5–1.8 s of a function's cold start);
other years ask the package."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

_ONE_DAY = timedelta(days=1)
TABLE = "federal_holidays.json"
TABLE_YEARS = range(2000, 2076)
"""The years `federal_holidays.json` holds."""


def federal_holidays(years: range) -> dict[date, str]:
    """The federal holidays of `years` (observed days included) as `holidays.US` counts them."""
    import holidays

    found = holidays.country_holidays("US", years=years, categories=("public",), observed=True)
    return {day: str(name) for day, name in sorted(found.items())}


@cache
def _table() -> dict[date, str]:
    text = files("ior_contracts").joinpath(TABLE).read_text(encoding="utf-8")
    return {date.fromisoformat(day): name for day, name in json.loads(text)["holidays"].items()}


@cache
def _federal() -> Any:
    # Imported only for a year the table does not hold.
    import holidays

    return holidays.country_holidays("US", categories=("public",), observed=True)


class BusinessCalendar:
    """US federal business days. Holiday years load on demand."""

    def holiday(self, day: date) -> str | None:
        """The federal holiday observed on `day` (its name, `(observed)` for a moved one), or None."""
        name = _table().get(day) if day.year in TABLE_YEARS else _federal().get(day)
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


def table_text(years: range = TABLE_YEARS) -> str:
    """`federal_holidays.json` as `holidays.US` gives it today."""
    table = {
        "source": f"holidays {version('holidays')}: US, category public, observed days",
        "years": [years.start, years.stop - 1],
        "holidays": {day.isoformat(): name for day, name in federal_holidays(years).items()},
    }
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    # Regenerate the table after a `holidays` upgrade: `uv run python -m ior_contracts.calendar`.
    (Path(__file__).parent / TABLE).write_text(table_text(), encoding="utf-8")

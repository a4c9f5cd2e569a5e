"""Closed dates count US federal business days (the product's business calendar): weekends and the
federal holidays, observed days included, do not count."""

from __future__ import annotations

from datetime import date

import pytest
from ior_customs.domain.closed_dates import closed_on, earliest_open, is_closed


@pytest.mark.parametrize(
    ("business_date", "closes"),
    [
        (date(2026, 3, 2), date(2026, 3, 16)),  # two weekends
        (date(2026, 11, 20), date(2026, 12, 7)),  # Thanksgiving
        (date(2026, 6, 26), date(2026, 7, 13)),  # Independence Day observed on Friday 3 July
        (date(2027, 12, 20), date(2028, 1, 5)),  # Christmas on the 24th, New Year's Day on 31 December
        (date(2026, 3, 14), date(2026, 3, 27)),  # an arrival on a Saturday counts from the Monday
    ],
)
def test_a_date_closes_ten_business_days_after_it(business_date: date, closes: date) -> None:
    assert closed_on(business_date) == closes
    assert is_closed(business_date, closes)
    assert not is_closed(business_date, date.fromordinal(closes.toordinal() - 1))


def test_the_earliest_open_date_is_the_day_after_the_last_closed_one() -> None:
    today = date(2026, 3, 30)
    assert earliest_open(today) == date(2026, 3, 17)
    assert is_closed(date(2026, 3, 16), today)
    assert not is_closed(date(2026, 3, 17), today)

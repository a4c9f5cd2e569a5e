"""String work once per distinct value: the same result as row by row, at a fraction of the work
when values repeat, and no worse when they do not."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
from ior_contracts.datasets import Column
from ior_etl.domain.snapshot_text import csv_quote
from ior_etl.domain.typed import column_text
from ior_etl.domain.values import (
    DISTINCT_SHARE,
    canonical_decimals,
    is_blank,
    iso_dates,
    matches,
    per_distinct,
    strip_leading_zeros,
)


def _column(values: list[str | None], rows: int) -> pd.Series:
    """`rows` rows cycling through `values`, as the legacy reader and the extracts give text."""
    return pd.Series([values[i % len(values)] for i in range(rows)], dtype="str", index=range(10, 10 + rows))


class _Counting:
    """A row-by-row transform that records how many values it was given."""

    def __init__(self) -> None:
        self.seen = 0

    def __call__(self, text: pd.Series) -> pd.Series:
        self.seen += len(text)
        return text.str.upper()


def test_a_repeating_column_is_transformed_once_per_distinct_value_and_spread_back_over_its_rows():
    # GIVEN 1 000 rows of three texts and a missing value
    column = _column(["a", "b", None, "c"], 1_000)
    transform = _Counting()
    # WHEN a transform is applied per distinct value
    result = per_distinct(column, transform)
    # THEN it saw four values, and each row holds what the row-by-row transform gives it, missing kept
    assert transform.seen == 4
    pd.testing.assert_series_equal(result, column.str.upper())


def test_a_column_of_mostly_distinct_values_is_transformed_row_by_row():
    # GIVEN a column whose values are nearly all distinct (document numbers)
    column = _column([f"{i:010d}" for i in range(900)], 1_000)
    transform = _Counting()
    # WHEN a transform is applied per distinct value
    result = per_distinct(column, transform)
    # THEN it runs over the rows as they are, with the same result
    assert transform.seen == len(column) > DISTINCT_SHARE * len(column)
    pd.testing.assert_series_equal(result, column.str.upper())


def test_an_empty_column_stays_empty():
    column = pd.Series([], dtype="str")
    assert per_distinct(column, lambda text: text.str.upper()).empty


TEXTS = ["0012.500", "-0.0", "00", "007", "12", "", " 1", "2026-03-16", "2026-02-30", "x", None]


def test_the_vectorised_checks_give_per_distinct_what_they_give_row_by_row():
    # GIVEN a repeating column of decimal, digit, date and other texts
    column = _column(TEXTS, 2_000)
    unique = _column(TEXTS, len(TEXTS))
    # WHEN each check runs on it  THEN every row's result is the one its value gives alone
    for check in (lambda c: matches(c, r"[0-9]+"), is_blank, strip_leading_zeros, iso_dates):
        expected = check(unique).iloc[np.arange(len(column)) % len(TEXTS)]
        pd.testing.assert_series_equal(check(column), expected.set_axis(column.index))
    decimals = _column(["0012.500", "-0.0", "00", "7.10"], 400)
    assert canonical_decimals(decimals).tolist() == ["12.5", "0", "0", "7.1"] * 100


def test_published_decimal_texts_are_made_once_per_value_and_missing_reads_empty():
    # GIVEN a decimal column of repeated values, equal values written differently, and missing ones
    values = [Decimal("12.50"), Decimal("12.5"), None, Decimal("1E+2"), Decimal("-0.00")]
    series = pd.Series(values * 200, dtype=object)
    # WHEN its published text is made
    texts = column_text(series, Column("value", "decimal", nullable=True))
    # THEN each value has its shortest exact text and a missing one the empty cell
    assert texts == ["12.5", "12.5", "", "100", "0"] * 200


def test_text_date_and_boolean_cells_are_published_row_by_row_with_missing_ones_empty_or_false():
    # GIVEN columns of text (with a missing cell and cells that need quotes), dates (one missing)
    # and booleans, repeating as a day's do, indexed from 10 as a filtered frame is
    text = _column(["Bolt, M8", None, 'Nut "A"', "", "Washer"], 1000)
    dates = pd.Series(pd.to_datetime(["2026-03-16", None, "2026-12-31"] * 300), index=range(10, 910))
    flags = pd.Series([True, False, False] * 300, index=range(10, 910))
    # WHEN their published texts are made, the text quoted as the snapshot quotes it
    quoted = column_text(text, Column("name", "str", nullable=True), csv_quote)
    days = column_text(dates, Column("day", "date", nullable=True))
    truth = column_text(flags, Column("flag", "bool", nullable=False))
    # THEN each row has its own text, a missing text and date the empty cell
    assert quoted == ['"Bolt, M8"', "", '"Nut ""A"""', "", "Washer"] * 200
    assert days == ["2026-03-16", "", "2026-12-31"] * 300
    assert truth == ["true", "false", "false"] * 300

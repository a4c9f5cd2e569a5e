"""Cells, cents and kilograms stay exact: parsing, half-up rounding, overflow to Python ints, and
weight fractions rounded exactly even on a rounding boundary."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ior_customs.domain.columns import InvalidCellError, code_text, parse_decimals
from ior_customs.domain.money import divide_half_up, format_scaled, multiply
from ior_customs.domain.weights import Fractions, round_kilograms_with_fractions, round_reported

decimals = st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(decimals, min_size=1, max_size=20))
def test_decimal_cells_parse_to_exact_scaled_integers(values: list[Decimal]) -> None:
    parsed = parse_decimals([format(v, "f") for v in values], "value")
    assert [Decimal(int(v)).scaleb(-parsed.scale) for v in parsed.values] == values
    assert parsed.scale == max(max(0, -v.normalize().as_tuple().exponent) for v in values)  # type: ignore[operator]


@pytest.mark.parametrize("cell", ["1e5", "1.2.3", " 1", "12,50", "-", "1234567890123456789", "½"])
def test_malformed_decimal_cells_are_refused(cell: str) -> None:
    with pytest.raises(InvalidCellError):
        parse_decimals([cell], "value")


def test_float_cells_are_refused_because_money_is_never_binary() -> None:
    with pytest.raises(InvalidCellError):
        parse_decimals([0.1], "value")


def test_empty_cells_are_missing_not_zero() -> None:
    parsed = parse_decimals(["1.5", None, ""], "net_kg")
    assert parsed.missing.tolist() == [False, True, True]


@settings(max_examples=200, deadline=None)
@given(numerator=st.integers(-(10**30), 10**30), denominator=st.integers(1, 10**25))
def test_half_up_division_is_exact_beyond_int64(numerator: int, denominator: int) -> None:
    exact = Fraction(numerator, denominator)
    expected = int(abs(exact) + Fraction(1, 2)) * (1 if exact >= 0 else -1)
    assert divide_half_up(np.array([numerator], dtype=object), denominator)[0] == expected


def test_products_that_would_overflow_int64_become_python_integers() -> None:
    product = multiply(np.array([2**40], dtype=np.int64), np.array([2**40], dtype=np.int64))
    assert product.dtype == object
    assert product[0] == 2**80


def test_half_a_cent_rounds_up_and_half_a_kilogram_reports_one() -> None:
    assert divide_half_up(np.array([145, 144, -145]), 10).tolist() == [15, 14, -15]
    # 0.3 kg and 0.5 kg both report 1 kg; 2.5 kg reports 3 kg; nothing reports 0 kg.
    assert round_reported(np.array([300, 500, 2500, 0]), 1000).tolist() == [1, 1, 3, 0]


def test_kilograms_on_a_rounding_boundary_are_summed_exactly() -> None:
    # 1.3 kg + (1/3 + 2/3 + 1/2 + 1/2) tenth-kg = exactly 1.5 kg → 2; 1.2 kg + the same = 1.4 kg → 1.
    thirds = Fractions(
        np.array([0, 0, 0, 0, 1, 1, 1, 1]), np.array([1, 2, 1, 1] * 2), np.array([3, 3, 2, 2] * 2)
    )
    assert round_kilograms_with_fractions(np.array([13, 12]), [thirds], 10).tolist() == [2, 1]


def test_rates_print_in_their_shortest_form() -> None:
    assert [format_scaled(v, 3) for v in (100, 75, 0, 1000, 2500)] == ["0.1", "0.075", "0", "1", "2.5"]


def test_long_and_short_columns_parse_alike() -> None:
    # Long columns are factorised by pandas, short ones by a dictionary: both must agree.
    cells = ["12.50", None, "", "0.031250", "7", "12.50"]
    long = pd.Series(cells * 1000, dtype="str")
    assert parse_decimals(long, "value").values[:6].tolist() == parse_decimals(cells, "value").values.tolist()
    long_codes, short_codes = code_text(long), code_text(cells)
    assert [long_codes.text(i) for i in range(6)] == [short_codes.text(i) for i in range(6)]
    assert [short_codes.text(i) for i in range(6)] == ["12.50", None, None, "0.031250", "7", "12.50"]

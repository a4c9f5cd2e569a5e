"""Exact kilograms until they are reported (DOMAIN §4 steps 2 and 6). A line's weight is an exact
part (scaled integer weight units) plus fractions (numerator ÷ denominator weight units) from
apportioned packaging and from kilogram-quantity lines. Reporting rounds the exact sum half up to
whole kilograms, at least 1 when not zero.

Fractions are summed as bounded fixed-point values; only a line whose bounds straddle a rounding
boundary is summed again with Python Fractions — rare, and the result is exact either way."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ior_customs.domain.money import IntArray, add, divide_half_up, floor_divmod, group_sum, max_abs, multiply

_LIMIT = 2**62


@dataclass(frozen=True)
class Fractions:
    """Non-negative weight fractions numerator ÷ denominator (> 0), each owned by one line (an
    invoice line or a customs line, as the caller numbers them)."""

    line: npt.NDArray[np.int64]
    numerator: IntArray
    denominator: IntArray


def _at_least_one(kilograms: npt.NDArray[np.int64], not_zero: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    return np.where((kilograms == 0) & not_zero, 1, kilograms)


def round_reported(exact: IntArray, unit: int) -> npt.NDArray[np.int64]:
    """Whole reported units (kg, pieces), half up, at least 1 when not zero; `exact` ≥ 0 counts
    `unit`ths of one."""
    kilograms = np.asarray(divide_half_up(exact, unit)).astype(np.int64)
    return _at_least_one(kilograms, np.asarray(exact != 0, dtype=bool))


def round_kilograms_with_fractions(
    exact: IntArray, fractions: list[Fractions], unit: int
) -> npt.NDArray[np.int64]:
    """As round_reported for kilograms, of exact[line] + Σ the line's fractions (exact ≥ 0)."""
    n = len(exact)
    whole: IntArray = np.asarray(exact)
    rows = sum(len(f.line) for f in fractions)
    largest_denominator = max([max_abs(f.denominator) for f in fractions] + [1])
    # Resolution of the fixed-point fractional parts: as fine as keeps every product in int64.
    resolution = max(1, min(_LIMIT // largest_denominator, _LIMIT // (3 * unit + 2 * rows + 2)))
    fine: IntArray = np.zeros(n, dtype=np.int64)
    inexact = np.zeros(n, dtype=np.int64)
    for f in fractions:
        quotient, remainder = floor_divmod(f.numerator, f.denominator)
        whole = add(whole, group_sum(quotient, f.line, n))
        fine = add(
            fine, group_sum(floor_divmod(multiply(remainder, resolution), f.denominator)[0], f.line, n)
        )
        inexact += np.bincount(f.line[np.asarray(remainder != 0, dtype=bool)], minlength=n)
    kilograms, within = floor_divmod(whole, unit)
    # whole + fractions rounds to kilograms + ⌊(2·within + unit + 2·Σfractions) ÷ 2·unit⌋, and
    # Σfractions lies in [fine, fine + inexact) ÷ resolution.
    base = multiply(add(multiply(within, 2), unit), resolution)
    low = floor_divmod(add(base, multiply(fine, 2)), 2 * unit * resolution)[0]
    high = floor_divmod(add(add(base, multiply(fine, 2)), 2 * inexact), 2 * unit * resolution)[0]
    rounded = np.asarray(add(kilograms, low)).astype(object)
    for line in np.flatnonzero(np.asarray(low != high, dtype=bool)):
        rounded[line] = _exact_round(int(whole[line]), fractions, int(line), unit)
    result = rounded.astype(np.int64)
    return _at_least_one(result, np.asarray(whole != 0, dtype=bool) | (inexact > 0))


def _exact_round(whole: int, fractions: list[Fractions], line: int, unit: int) -> int:
    total = Fraction(whole)
    for f in fractions:
        for i in np.flatnonzero(f.line == line):
            total += Fraction(int(f.numerator[i]), int(f.denominator[i])) - int(f.numerator[i]) // int(
                f.denominator[i]
            )
    # Half up: ⌊total ÷ unit + ½⌋.
    return int((total / unit + Fraction(1, 2)) // 1)

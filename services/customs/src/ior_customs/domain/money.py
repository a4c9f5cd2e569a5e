"""Exact integer arithmetic on arrays: cents, scaled decimals and half-up rounding.

Values stay int64 while they provably fit and fall back to Python integers (object arrays) when a
product or sum could overflow, so results are exact whatever the magnitudes; int64 is the usual
path. Floats never enter: an array of floats is a programming error."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[Any]
"""An int64 array, or an object array of Python ints where int64 could overflow."""

_LIMIT = 2**62


def _exact(values: IntArray | int) -> IntArray:
    array = np.asarray(values)
    if array.dtype.kind not in "biuO":
        raise TypeError(f"exact arithmetic on {array.dtype} values")
    return array


def _is_int64(*arrays: IntArray) -> bool:
    return all(a.dtype != object for a in arrays)


def max_abs(values: IntArray | int) -> int:
    array = _exact(values)
    if array.size == 0:
        return 0
    return max(abs(int(array.max())), abs(int(array.min())))


def as_exact(values: IntArray | int) -> IntArray:
    """`values` as int64 when every value fits comfortably, else as Python ints."""
    array = _exact(values)
    if array.dtype == object and max_abs(array) < _LIMIT:
        return array.astype(np.int64)
    return array


def multiply(a: IntArray | int, b: IntArray | int) -> IntArray:
    """a × b, exact."""
    left, right = _exact(a), _exact(b)
    product: IntArray
    if _is_int64(left, right) and max_abs(left) * max_abs(right) < _LIMIT:
        product = left.astype(np.int64, copy=False) * right.astype(np.int64, copy=False)
    else:
        product = left.astype(object) * right.astype(object)
    return product


def add(a: IntArray | int, b: IntArray | int) -> IntArray:
    """a + b, exact."""
    left, right = _exact(a), _exact(b)
    total: IntArray
    if _is_int64(left, right) and max_abs(left) + max_abs(right) < _LIMIT:
        total = left.astype(np.int64, copy=False) + right.astype(np.int64, copy=False)
    else:
        total = left.astype(object) + right.astype(object)
    return total


def subtract(a: IntArray | int, b: IntArray | int) -> IntArray:
    """a − b, exact."""
    return add(a, multiply(b, -1))


def divide_half_up(numerator: IntArray | int, denominator: IntArray | int) -> IntArray:
    """numerator ÷ denominator rounded half away from zero (ROUND_HALF_UP); denominator > 0."""
    num, den = _exact(numerator), _exact(denominator)
    if _is_int64(num, den) and 2 * max_abs(num) + max_abs(den) < _LIMIT:
        num, den = num.astype(np.int64, copy=False), den.astype(np.int64, copy=False)
    else:
        num, den = num.astype(object), den.astype(object)
    magnitude = (2 * np.abs(num) + den) // (2 * den)
    rounded: IntArray = np.where(num < 0, -magnitude, magnitude)
    return rounded


def floor_divmod(numerator: IntArray | int, denominator: IntArray | int) -> tuple[IntArray, IntArray]:
    """Quotient and non-negative remainder of numerator ÷ denominator; denominator > 0."""
    num, den = _exact(numerator), _exact(denominator)
    if not _is_int64(num, den):
        num, den = num.astype(object), den.astype(object)
    quotient = num // den
    return quotient, num - quotient * den


def group_sum(values: IntArray, groups: npt.NDArray[np.int64], n_groups: int) -> IntArray:
    """Σ values per group, exact; `groups` holds a group index for each value."""
    array = _exact(values)
    if _is_int64(array) and max_abs(array) * max(len(array), 1) < _LIMIT:
        totals = np.zeros(n_groups, dtype=np.int64)
        np.add.at(totals, groups, array.astype(np.int64, copy=False))
        return totals
    object_totals = np.zeros(n_groups, dtype=object)
    np.add.at(object_totals, groups, array.astype(object))
    return as_exact(object_totals)


def to_int64(values: IntArray | int) -> npt.NDArray[np.int64]:
    """Reported figures (whole dollars, cents, kilograms) as int64; they always fit."""
    return _exact(values).astype(np.int64)


def format_cents(cents: int) -> str:
    """Cents as a decimal string with two places: 175368 → '1753.68'."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole}.{rest:02d}"


def format_scaled(value: int, scale: int) -> str:
    """A scaled integer as its shortest decimal string: (100, 3) → '0.1', (0, 2) → '0'."""
    sign = "-" if value < 0 else ""
    whole, rest = divmod(abs(value), 10**scale)
    fraction = f"{rest:0{scale}d}".rstrip("0") if scale else ""
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"

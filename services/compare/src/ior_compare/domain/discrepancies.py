"""The discrepancy rows: one per field out of tolerance, with expected, actual, delta and tolerance.

Only the mismatching pairs are ever turned into text, so a million-line day with a few thousand
discrepancies formats a few thousand values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ior_compare.domain.fields import Check, Column
from ior_compare.domain.outcomes import categorical
from ior_compare.domain.text import decimal_text, take_text, tolerance_text
from ior_compare.domain.tolerances import FieldTolerance, Unit

KEY_COLUMNS = ("entry_id", "hts10", "origin", "part", "stack")
LINE_NUMBER_COLUMNS = ("expected_line", "actual_line")
DETAIL_COLUMNS = ("field", "expected", "actual", "delta", "tolerance", "critical")
MISMATCH_COLUMNS: tuple[str, ...] = ("level", *KEY_COLUMNS, *LINE_NUMBER_COLUMNS, *DETAIL_COLUMNS)
_STR = pd.StringDtype(na_value=np.nan)  # pandas' default `str`

Found = dict[str, np.ndarray]
"""Discrepancy rows as columns of equal length."""


def describe(index: int, result: Check, prepared: Column, expected: np.ndarray, actual: np.ndarray) -> Found:
    """The discrepancy rows of one field; `pair` (pairing order) and `order` (field order) locate them."""
    tolerance, pairs = result.tolerance, result.pairs
    size = pairs.size
    if not size:
        # Most fields of most days match: nothing to format (`locate` skips a field without pairs).
        return {"pair": pairs}
    rows_e, rows_a = expected[pairs], actual[pairs]
    if prepared.values is not None and result.delta is not None and result.delta_null is not None:
        # Expected, actual and delta formatted in one pass.
        values = np.concatenate([prepared.values[rows_e], prepared.values[rows_a], result.delta])
        nulls = np.concatenate([prepared.null[rows_e], prepared.null[rows_a], result.delta_null])
        shown_e, shown_a, delta = np.split(decimal_text(values, digits(tolerance), nulls), 3)
    else:
        assert prepared.shown is not None
        assert prepared.codes is not None
        shown = take_text(prepared.shown, np.concatenate([prepared.codes[rows_e], prepared.codes[rows_a]]))
        (shown_e, shown_a), delta = np.split(shown, 2), np.full(size, None, dtype=object)
    return {
        "pair": pairs,
        "order": np.full(size, index),
        "field": np.full(size, tolerance.name, dtype=object),
        "expected": shown_e,
        "actual": shown_a,
        "delta": delta,
        "tolerance": tolerance_text(tolerance, result.allowance, size),
        "critical": np.full(size, tolerance.critical),
    }


def locate(
    level: str,
    described: Sequence[Found],
    pair_position: np.ndarray,
    key_codes: Mapping[str, np.ndarray],
    line_numbers: Mapping[str, tuple[np.ndarray, np.ndarray]],
) -> Found:
    """The level's discrepancy rows in output order (then field order), with their keys: key codes
    and (value, null) line numbers per output row."""
    present = [found for found in described if found["pair"].size]
    if not present:
        return {}
    parts = {name: np.concatenate([found[name] for found in present]) for name in present[0]}
    row = pair_position[parts["pair"]]
    order = np.lexsort((parts["order"], row))
    at = row[order]
    found: Found = {"level": np.full(at.size, level, dtype=object)}
    for name in KEY_COLUMNS:
        found[name] = key_codes[name][at] if name in key_codes else np.full(at.size, -1)
    for name in LINE_NUMBER_COLUMNS:
        values, null = line_numbers.get(
            name, (np.zeros(at.size, dtype=np.int64), np.ones(at.size, dtype=bool))
        )
        found[name], found[f"{name}_null"] = (
            (values[at], null[at]) if name in line_numbers else (values, null)
        )
    for name in DETAIL_COLUMNS:
        found[name] = parts[name][order]
    return found


def discrepancy_frame(levels: Sequence[Found], key_dtypes: Mapping[str, pd.CategoricalDtype]) -> pd.DataFrame:
    """One frame of the levels' discrepancy rows, columns `MISMATCH_COLUMNS`."""
    present = [found for found in levels if found]

    def joined(name: str, dtype: type) -> np.ndarray:
        return np.concatenate([found[name] for found in present]) if present else np.empty(0, dtype=dtype)

    data: dict[str, object] = {}
    for name in MISMATCH_COLUMNS:
        if name in KEY_COLUMNS:
            data[name] = categorical(joined(name, np.int64), key_dtypes[name])
        elif name in LINE_NUMBER_COLUMNS:
            data[name] = pd.arrays.IntegerArray(joined(name, np.int64), joined(f"{name}_null", bool))
        elif name == "critical":
            data[name] = joined(name, bool).astype(bool)
        else:
            data[name] = pd.array(joined(name, object), dtype=_STR)
    return pd.DataFrame(data, copy=False)


def digits(tolerance: FieldTolerance) -> int:
    """Decimal places a field is shown with: money in cents as dollars."""
    return 2 if tolerance.unit is Unit.CENTS else 0

"""Field-by-field checks of paired rows, one numpy pass per field.

Nulls (None, NaN, pd.NA) are judged explicitly, the same way for every rule:
- both sides null → equal;
- one side null → mismatch, and the delta is null;
- text rules keep null as null (an empty string is not null), except `flag_set`, where null means
  no flags, as an empty string does.
Text rules that normalise (`decimals`, `text`, `flag_set`) normalise only the values of pairs
whose raw text differs, so the cost follows the differences, not the rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from ior_compare.domain.keys import text_codes
from ior_compare.domain.tolerances import FieldTolerance, Rule

_BOOLEAN_TEXT = pd.array(["false", "true"], dtype="str")


@dataclass(frozen=True)
class Column:
    """One compared column over both sides (expected rows, then actual rows)."""

    shown: ExtensionArray | None
    """Text and boolean columns: the distinct values as given (`shown[codes]`)."""
    codes: np.ndarray | None
    """Text and boolean columns: positions into `shown` per row; −1 = null."""
    values: np.ndarray | None
    """Integer columns: the values (0 where null)."""
    null: np.ndarray
    """True where the value is null."""


@dataclass(frozen=True)
class Check:
    """The outcome of one field over the pairs; details are kept for the mismatching pairs only."""

    tolerance: FieldTolerance
    mismatch: np.ndarray
    """bool per pair: out of tolerance."""
    pairs: np.ndarray
    """The mismatching pairs (positions into the pairs)."""
    delta: np.ndarray | None = None
    """Numeric fields, at `pairs`: actual − expected in the field's unit (meaningless where null)."""
    delta_null: np.ndarray | None = None
    allowance: np.ndarray | None = None
    """Numeric fields, at `pairs`: the tolerance, scaled by 10 ** tolerance.relative_digits."""

    @property
    def max_abs_delta(self) -> int | None:
        """The largest |delta| over the mismatching pairs with both values; None when there is none."""
        if self.delta is None or self.delta_null is None:
            return None
        deltas = self.delta[~self.delta_null]
        return int(np.abs(deltas).max()) if deltas.size else None


def column(expected: pd.Series, actual: pd.Series, tolerance: FieldTolerance) -> Column:
    """Prepare a field's column over both sides for checking."""
    if tolerance.rule is Rule.NUMERIC:
        (values_e, null_e), (values_a, null_a) = integers(expected), integers(actual)
        values, null = np.concatenate([values_e, values_a]), np.concatenate([null_e, null_a])
        return Column(shown=None, codes=None, values=values, null=null)
    if pd.api.types.is_bool_dtype(expected.dtype):
        codes = np.concatenate([_boolean_codes(expected), _boolean_codes(actual)])
        return Column(shown=_BOOLEAN_TEXT, codes=codes, values=None, null=codes < 0)
    codes, uniques = text_codes(expected, actual, sort=False)
    return Column(shown=uniques, codes=codes, values=None, null=codes < 0)


def integers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """An integer-kind column as (int64 values with 0 for null, null mask)."""
    dtype, array = series.dtype, series.array
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return array.to_numpy(dtype=np.int64), np.zeros(len(array), dtype=bool)
    null = np.asarray(array.isna(), dtype=bool)
    if pd.api.types.is_float_dtype(dtype):
        floats = array.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(null, 0.0, floats).astype(np.int64), null
    return array.to_numpy(dtype=np.int64, na_value=0), null


def check(
    column: Column,
    expected: np.ndarray,
    actual: np.ndarray,
    tolerance: FieldTolerance,
    applies: np.ndarray | None = None,
) -> Check:
    """Judge the pairs (`expected[i]`, `actual[i]`), positions into `column`; pairs where `applies`
    is False are not compared (never a mismatch)."""
    if column.values is None:
        mismatch = _text_mismatch(column, expected, actual, tolerance.rule)
        if applies is not None:
            mismatch &= applies
        return Check(tolerance, mismatch, np.flatnonzero(mismatch))
    value_e = column.values[expected]
    delta = column.values[actual] - value_e
    scale = 10**tolerance.relative_digits
    relative = int(tolerance.relative * scale)
    if relative:
        outside = np.abs(delta) * scale > np.maximum(tolerance.absolute * scale, np.abs(value_e) * relative)
    else:
        outside = np.abs(delta) > tolerance.absolute
    null = None
    if column.null.any():
        null_e, null_a = column.null[expected], column.null[actual]
        null = null_e | null_a
        outside = np.where(null, null_e != null_a, outside)
    if applies is not None:
        outside &= applies
    pairs = np.flatnonzero(outside)
    allowance = np.maximum(tolerance.absolute * scale, np.abs(value_e[pairs]) * relative)
    delta_null = null[pairs] if null is not None else np.zeros(pairs.size, dtype=bool)
    return Check(tolerance, outside, pairs, delta[pairs], delta_null, allowance)


def _text_mismatch(column: Column, expected: np.ndarray, actual: np.ndarray, rule: Rule) -> np.ndarray:
    assert column.codes is not None
    assert column.shown is not None
    codes_e, codes_a = column.codes[expected], column.codes[actual]
    mismatch: np.ndarray = codes_e != codes_a
    if rule is Rule.EXACT or not mismatch.any():
        return mismatch
    # Raw text differs: compare again after normalising just the values involved.
    differ = np.flatnonzero(mismatch)
    involved = np.unique(np.concatenate([codes_e[differ], codes_a[differ]]))
    known = involved[involved >= 0]
    normalise = _NORMALISERS[rule]
    normal = [normalise(value) for value in column.shown.take(known).tolist()]
    null = "" if rule is Rule.FLAG_SET else None  # null flags mean no flags
    lookup = np.array([*normal, null], dtype=object)
    index_e = np.searchsorted(known, codes_e[differ])
    index_a = np.searchsorted(known, codes_a[differ])
    normal_e = lookup[np.where(codes_e[differ] >= 0, index_e, known.size)]
    normal_a = lookup[np.where(codes_a[differ] >= 0, index_a, known.size)]
    mismatch[differ] = normal_e != normal_a
    return mismatch


def _boolean_codes(series: pd.Series) -> np.ndarray:
    """0 for False, 1 for True, −1 for null."""
    array = series.array
    null = np.asarray(array.isna(), dtype=bool)
    flags = array.to_numpy(dtype=bool, na_value=False)
    codes: np.ndarray = np.where(null, -1, flags.astype(np.int64))
    return codes


def _decimals(value: str) -> str:
    # Trailing zeros after the decimal point (then a bare point) do not change a rate: 0.10 = 0.1.
    return ";".join(_decimal(part.strip()) for part in value.split(";"))


def _decimal(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def _text(value: str) -> str:
    # Python's split knows every Unicode space (no-break space included).
    return "".join(value.split()).casefold()


def _flag_set(value: str) -> str:
    return ";".join(sorted({flag.strip() for flag in value.split(";") if flag.strip()}))


_NORMALISERS: dict[Rule, Callable[[str], str]] = {
    Rule.DECIMALS: _decimals,
    Rule.TEXT: _text,
    Rule.FLAG_SET: _flag_set,
}

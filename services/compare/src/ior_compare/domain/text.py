"""Text for reports, vectorised: exact decimals from integers (money stays integer until shown)."""

from __future__ import annotations

import numpy as np
from numpy.dtypes import StringDType
from pandas.api.extensions import ExtensionArray

from ior_compare.domain.tolerances import FieldTolerance, Rule, Unit

_STRING = StringDType()
_RULE_TEXT = {
    Rule.EXACT: "exact",
    Rule.DECIMALS: "exact, number by number",
    Rule.TEXT: "ignoring case and whitespace",
    Rule.FLAG_SET: "exact, as a set of flags",
}


def decimal_text(values: np.ndarray, digits: int, null: np.ndarray | None = None) -> np.ndarray:
    """`values` / 10**digits as decimal text with `digits` places (`-1234, 2` → `-12.34`), as an
    object array of str with None where `null`."""
    values = np.asarray(values, dtype=np.int64)
    magnitude = np.abs(values)
    if digits:
        scale = 10**digits
        fraction = np.strings.zfill((magnitude % scale).astype(_STRING), digits)
        text = np.strings.add(np.strings.add((magnitude // scale).astype(_STRING), "."), fraction)
    else:
        text = magnitude.astype(_STRING)
    text = np.where(values < 0, np.strings.add("-", text), text).astype(object)
    if null is not None:
        text[null] = None
    return text


def tolerance_text(tolerance: FieldTolerance, allowance: np.ndarray | None, size: int) -> np.ndarray:
    """The tolerance applied to each of `size` rows: `±1`, `±1.00` (dollars of a cents field),
    `±12.34` (kg at 1 % of 1 234 kg), or the rule's words for text fields."""
    if tolerance.rule is not Rule.NUMERIC or allowance is None:
        return np.full(size, _RULE_TEXT[tolerance.rule], dtype=object)
    digits = tolerance.relative_digits + (2 if tolerance.unit is Unit.CENTS else 0)
    if not tolerance.relative:  # the same for every row
        return np.full(size, "±" + decimal_text(allowance[:1], digits)[0] if size else "", dtype=object)
    return np.strings.add("±", decimal_text(allowance, digits).astype(_STRING)).astype(object)


def take_text(values: ExtensionArray, codes: np.ndarray) -> np.ndarray:
    """`values[codes]` as an object array of str, None where the code is −1 (null)."""
    null = codes < 0
    if not len(values):
        return np.full(len(codes), None, dtype=object)
    taken = np.array(values.take(np.where(null, 0, codes)), dtype=object)
    taken[null] = None
    return taken

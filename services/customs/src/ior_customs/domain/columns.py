"""Reading the published datasets' cells into arrays: text as integer codes, decimals as scaled
integers, ISO dates as day ordinals. Each distinct cell is parsed once (columns are factorised
first), and text cells are parsed as one byte matrix, so a million invoice lines cost a handful of
vectorised passes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

from ior_customs.domain.errors import CustomsDomainError
from ior_customs.domain.money import IntArray, multiply

Cells: TypeAlias = "pd.Series[Any] | Sequence[Any]"

_MAX_DIGITS = 18
_POWERS = 10 ** np.arange(_MAX_DIGITS + 1, dtype=np.int64)
_SMALL = 4096
"""Below this many cells a plain object array factorises faster than an Arrow-backed column."""


class InvalidCellError(CustomsDomainError):
    """A cell is not a well-formed value of its column's kind."""

    def __init__(self, column: str, value: object, expected: str) -> None:
        super().__init__(f"column {column!r}: {value!r} is not {expected}")


@dataclass(frozen=True)
class Coded:
    """Text cells as codes into `labels`; −1 marks an empty cell."""

    codes: npt.NDArray[np.int64]
    labels: npt.NDArray[np.object_]

    def text(self, index: int | np.integer[Any]) -> str | None:
        code = int(self.codes[index])
        return None if code < 0 else str(self.labels[code])


@dataclass(frozen=True)
class Scaled:
    """Decimal cells as integers scaled by 10**scale; `missing` marks empty cells (value 0)."""

    values: IntArray
    scale: int
    missing: npt.NDArray[np.bool_]

    def at_scale(self, scale: int) -> IntArray:
        if scale < self.scale:
            raise ValueError(f"cannot lower the scale of exact values from {self.scale} to {scale}")
        return multiply(self.values, 10 ** (scale - self.scale))


@dataclass(frozen=True)
class _Distinct:
    """A column's distinct non-null cells, with the code of each cell (−1 for null)."""

    codes: npt.NDArray[np.int64]
    values: npt.NDArray[np.object_]
    all_text: bool


def _is_empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value == ""


def _distinct(column: Cells) -> _Distinct:
    if isinstance(column, pd.Series) and len(column) >= _SMALL:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        values = np.asarray(uniques.to_numpy(dtype=object), dtype=object)
        all_text = pd.api.types.is_string_dtype(uniques.dtype) and uniques.dtype != object
        if not all_text:
            all_text = all(isinstance(v, str) for v in values)
        return _Distinct(np.asarray(codes, dtype=np.int64), values, all_text)
    # A short column: a dictionary beats factorising's fixed cost.
    seen: dict[Any, int] = {}
    cell_codes = []
    for cell in column.tolist() if isinstance(column, pd.Series) else column:
        if cell is None or cell is pd.NA or cell is pd.NaT or (isinstance(cell, float) and math.isnan(cell)):
            cell_codes.append(-1)
        else:
            cell_codes.append(seen.setdefault(cell, len(seen)))
    distinct = np.empty(len(seen), dtype=object)
    distinct[:] = list(seen)
    return _Distinct(
        np.array(cell_codes, dtype=np.int64), distinct, all(isinstance(v, str) for v in distinct)
    )


def _without(distinct: _Distinct, empty: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """Codes once the empty distinct values are dropped; their cells become −1."""
    lookup = np.full(len(empty) + 1, -1, dtype=np.int64)
    lookup[: len(empty)][~empty] = np.arange(int((~empty).sum()), dtype=np.int64)
    return lookup[distinct.codes]


def _empty_values(distinct: _Distinct) -> npt.NDArray[np.bool_]:
    if distinct.all_text:
        return np.asarray(distinct.values == "", dtype=bool)
    return np.array([_is_empty(v) for v in distinct.values], dtype=bool)


def _as_text(value: object) -> str:
    if isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_):
        return str(int(value))
    return str(value)


def code_text(column: Cells) -> Coded:
    """Text cells as codes; empty strings count as empty cells, integers as their digits."""
    distinct = _distinct(column)
    empty = _empty_values(distinct)
    kept = distinct.values[~empty]
    if distinct.all_text:
        return Coded(_without(distinct, empty), kept)
    labels = np.array([_as_text(v) for v in kept], dtype=object)
    # An integer cell and a text cell with the same digits are one label.
    merged, label_of = np.unique(labels.astype(str), return_inverse=True)
    return Coded(np.append(label_of, -1)[_without(distinct, empty)], merged.astype(object))


def _decimal_text(value: object, column: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        raise InvalidCellError(column, value, "a decimal")
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    # Floats are refused: money and weights come as decimal strings, never binary fractions.
    raise InvalidCellError(column, value, "a decimal string")


def _parse_texts(texts: npt.NDArray[Any], column: str) -> tuple[IntArray, int]:
    """Decimal strings as integers at the smallest scale that keeps every one of them exact."""
    if len(texts) == 0:
        return np.zeros(0, dtype=np.int64), 0
    try:
        raw = np.asarray(texts).astype("S")
    except UnicodeEncodeError as error:
        raise InvalidCellError(column, error.object, "a decimal") from None
    # One row per character position, so each step below is a pass over contiguous memory.
    positions = raw.view(np.uint8).reshape(len(raw), raw.dtype.itemsize).T.copy()
    n = len(raw)
    digits = np.zeros(n, dtype=np.int64)
    digit_count = np.zeros(n, dtype=np.int64)
    fraction = np.zeros(n, dtype=np.int64)
    significant = np.zeros(n, dtype=np.int64)
    dots = np.zeros(n, dtype=np.int64)
    negative = positions[0] == ord("-")
    valid = np.ones(n, dtype=bool)
    for j, byte in enumerate(positions):
        digit = byte - np.uint8(48)
        is_digit = digit < 10
        is_dot = byte == ord(".")
        valid &= is_digit | is_dot | (byte == 0) | (negative if j == 0 else False)
        digits = np.where(is_digit, digits * 10 + digit, digits)
        digit_count += is_digit
        in_fraction = is_digit & (dots > 0)
        fraction += in_fraction
        # Digits after the dot up to the last one that is not zero: what the value needs.
        significant = np.where(in_fraction & (digit != 0), fraction, significant)
        dots += is_dot
    valid &= (dots <= 1) & (digit_count > 0) & (digit_count <= _MAX_DIGITS)
    if not valid.all():
        raise InvalidCellError(column, texts[int(np.argmin(valid))], "a plain decimal (e.g. 12.50)")
    scale = int(significant.max())
    up = np.clip(scale - fraction, 0, None)
    down = np.clip(fraction - scale, 0, None)
    values = multiply(digits // _POWERS[down], _POWERS[up])
    return np.where(negative, -values, values), scale


def parse_decimals(column: Cells, name: str) -> Scaled:
    """Decimal cells (strings, ints or Decimals) as exact scaled integers."""
    distinct = _distinct(column)
    empty = _empty_values(distinct)
    kept = distinct.values[~empty]
    texts = kept if distinct.all_text else np.array([_decimal_text(v, name) for v in kept], dtype=object)
    parsed, scale = _parse_texts(texts, name)
    codes = _without(distinct, empty)
    values = np.append(parsed, np.zeros(1, dtype=parsed.dtype))
    return Scaled(values[codes], scale, codes < 0)


def as_day(value: object, column: str) -> int:
    """A date cell as its proleptic ordinal."""
    if isinstance(value, pd.Timestamp | datetime):
        return int(value.date().toordinal())
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, np.datetime64):
        return int(pd.Timestamp(value).date().toordinal())
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).toordinal()
        except ValueError:
            raise InvalidCellError(column, value, "an ISO date") from None
    raise InvalidCellError(column, value, "a date")


def parse_days(column: Cells, name: str) -> npt.NDArray[np.int64]:
    """Date cells as ordinals; −1 for an empty cell."""
    distinct = _distinct(column)
    lookup = [-1 if _is_empty(v) else as_day(v, name) for v in distinct.values]
    return np.array([*lookup, -1], dtype=np.int64)[distinct.codes]


_TRUE = {"true", "x", "1", "yes"}
_FALSE = {"false", "", "0", "no"}


def as_flag(value: object, column: str) -> bool:
    if _is_empty(value):
        return False
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise InvalidCellError(column, value, "a boolean")


def parse_flags(column: Cells, name: str) -> npt.NDArray[np.bool_]:
    """Boolean cells (`true`/`false`, SAP's `X`); an empty cell is false."""
    distinct = _distinct(column)
    lookup = [as_flag(v, name) for v in distinct.values]
    return np.array([*lookup, False], dtype=bool)[distinct.codes]


def as_list(value: object) -> tuple[str, ...]:
    """A list cell: a sequence, or the published `;`-joined text (where '' is one empty prefix)."""
    if isinstance(value, list | tuple):
        return tuple("" if v is None else str(v) for v in value)
    if isinstance(value, str):
        return tuple(value.split(";"))
    if _is_empty(value):
        return ("",)
    if isinstance(value, np.ndarray):
        return as_list(value.tolist())
    raise InvalidCellError("list", value, "a list")

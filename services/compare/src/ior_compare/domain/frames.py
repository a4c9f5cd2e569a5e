"""The frames the comparison reads: the customs lines and entries of one arrival date and one mode.

This module is the whole input contract. The service adapter maps whatever the customs service
publishes into these columns and calls `validate_lines` / `validate_entries` before comparing.

Lines, one row per customs line:

| column | kind | meaning |
|---|---|---|
| entry_id | key | `<port>-<yyyymmdd>-<shipment>` |
| line | integer | line number within the entry (reported, not compared) |
| hts10 | key | dotted HTS10, `8517.62.00.20` |
| origin | key | ISO 3166 alpha-2 |
| part | key | `whole`, `non_metal` or `metal` |
| stack | text | the HTS numbers in reporting order joined by `;`, the chapter 1–97 number last |
| rates | text | the rate fraction of each number of the stack, `;`-joined, same order (`0.25;0.1;0`) |
| quantity | text | canonical quantity, `No.=33` or `No.=3;kg=12` |
| value | integer | entered value, whole dollars |
| duty_cents | integer | line duty, cents |
| net_kg, gross_kg | integer | whole kilograms (0 on a metal part) |
| description | text | the HTS description |

Entries, one row per entry: entry_id (key), value (integer dollars), duty_cents (integer),
mpf_cents and hmf_cents (integer, null when informal or when the fee is missing), formal (boolean),
flags (text, `;`-joined, e.g. `informal;fee_rate_missing`).

Kinds: `key` is text that may not be null; `text` is text that may be null; `integer` accepts any
integer dtype, nullable ones included, and a float column whose values are whole numbers or NaN
(NaN = null); `boolean` accepts `bool` and the nullable `boolean`. Extra columns are ignored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

import numpy as np
import pandas as pd

PARTS: tuple[str, ...] = ("whole", "non_metal", "metal")
"""Parts of a line in reporting order (DOMAIN §4.5)."""


class Kind(StrEnum):
    """What a column holds, as the validators check it."""

    KEY = "key"
    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"


LINE_COLUMNS: Mapping[str, Kind] = {
    "entry_id": Kind.KEY,
    "line": Kind.INTEGER,
    "hts10": Kind.KEY,
    "origin": Kind.KEY,
    "part": Kind.KEY,
    "stack": Kind.TEXT,
    "rates": Kind.TEXT,
    "quantity": Kind.TEXT,
    "value": Kind.INTEGER,
    "duty_cents": Kind.INTEGER,
    "net_kg": Kind.INTEGER,
    "gross_kg": Kind.INTEGER,
    "description": Kind.TEXT,
}

ENTRY_COLUMNS: Mapping[str, Kind] = {
    "entry_id": Kind.KEY,
    "value": Kind.INTEGER,
    "duty_cents": Kind.INTEGER,
    "mpf_cents": Kind.INTEGER,
    "hmf_cents": Kind.INTEGER,
    "formal": Kind.BOOLEAN,
    "flags": Kind.TEXT,
}

LINE_KEY: tuple[str, ...] = ("entry_id", "hts10", "origin", "part")
"""Lines match on these; several lines under one key pair by `stack`."""


class FrameContractError(ValueError):
    """A frame does not follow the lines or entries contract."""


def validate_lines(frame: pd.DataFrame, *, values: bool = True) -> pd.DataFrame:
    """Check a lines frame against the contract and return it (unchanged); raises
    `FrameContractError` naming the first missing or mistyped column. With `values=False` only the
    columns and their types are checked: key nulls and parts are left to the caller (the engine
    checks them on its codes, see `require_keys` and `require_parts`)."""
    _validate(frame, LINE_COLUMNS, "lines", values)
    if values:
        require_parts("lines", frame["part"].array.unique())
    return frame


def validate_entries(frame: pd.DataFrame, *, values: bool = True) -> pd.DataFrame:
    """Check an entries frame against the contract and return it (unchanged); raises
    `FrameContractError` naming the first missing or mistyped column."""
    _validate(frame, ENTRY_COLUMNS, "entries", values)
    return frame


def require_parts(name: str, found: Iterable[object]) -> None:
    """Raise unless every value found in a `part` column is a part."""
    unknown = set(found) - set(PARTS)
    if unknown:
        raise FrameContractError(
            f"{name}: column 'part' must be one of {', '.join(PARTS)}; found {sorted(map(str, unknown))[:3]}"
        )


def require_keys(name: str, column: str, codes: np.ndarray) -> None:
    """Raise when a key column's codes (−1 = null) show null values."""
    nulls = int(np.count_nonzero(codes < 0))
    if nulls:
        raise FrameContractError(
            f"{name}: column {column!r} must be key ({nulls} null values in a key column)"
        )


def empty_lines() -> pd.DataFrame:
    """A lines frame with no rows (a mode that produced nothing for the date)."""
    return _empty(LINE_COLUMNS)


def empty_entries() -> pd.DataFrame:
    """An entries frame with no rows."""
    return _empty(ENTRY_COLUMNS)


def _validate(frame: pd.DataFrame, columns: Mapping[str, Kind], name: str, values: bool) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise FrameContractError(f"{name}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise FrameContractError(f"{name}: missing column(s) {', '.join(repr(c) for c in missing)}")
    if not frame.columns.is_unique:
        duplicated = sorted(map(str, frame.columns[frame.columns.duplicated()]))
        raise FrameContractError(f"{name}: duplicated column names {duplicated}")
    dtypes = frame.dtypes
    for column, kind in columns.items():
        problem = _problem(frame, column, dtypes[column], kind, values)
        if problem:
            raise FrameContractError(f"{name}: column {column!r} must be {kind} ({problem})")


def _problem(frame: pd.DataFrame, column: str, dtype: object, kind: Kind, values: bool) -> str | None:
    """What is wrong with the column, or None; reads the values only when the dtype cannot tell."""
    if kind in (Kind.KEY, Kind.TEXT):
        if pd.api.types.is_object_dtype(dtype):
            inferred = pd.api.types.infer_dtype(frame[column], skipna=True)
            if inferred not in ("string", "empty"):
                return f"object column holding {inferred} values"
        elif not isinstance(dtype, pd.StringDtype):
            return f"got dtype {dtype}"
        if values and kind is Kind.KEY and frame[column].array.isna().any():
            return f"{int(frame[column].isna().sum())} null values in a key column"
        return None
    if kind is Kind.BOOLEAN:
        return None if pd.api.types.is_bool_dtype(dtype) else f"got dtype {dtype}"
    if pd.api.types.is_bool_dtype(dtype):
        return f"got dtype {dtype}"
    if pd.api.types.is_integer_dtype(dtype):
        return None
    if not pd.api.types.is_float_dtype(dtype):
        return f"got dtype {dtype}"
    floats = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    finite = floats[~np.isnan(floats)]
    if not np.all(np.isfinite(finite)) or np.any(finite != np.round(finite)):
        return "float column with fractional or infinite values"
    if finite.size and np.abs(finite).max() >= 2.0**53:
        return "float column with values too large to be exact"
    return None


def _empty(columns: Mapping[str, Kind]) -> pd.DataFrame:
    dtypes = {Kind.KEY: "str", Kind.TEXT: "str", Kind.INTEGER: "Int64", Kind.BOOLEAN: "boolean"}
    return pd.DataFrame({column: pd.Series([], dtype=dtypes[kind]) for column, kind in columns.items()})

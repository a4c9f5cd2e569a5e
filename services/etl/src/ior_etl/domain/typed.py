"""Dataset frames in their typed form, and each cell's published text.

Typed form, per column kind of `ior_contracts.datasets`: `str` → pandas `str` (null = NaN);
`int` → int64; `decimal` → `Decimal` objects (null = None), never floats; `date` → datetime64[s]
(null = NaT); `bool` → bool; `list` → tuples of text. The text form is the snapshot's: decimals
in their shortest exact form, ISO dates, `true`/`false`, lists `;`-joined, an empty cell for null."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.datasets import Column, DatasetSchema

from ior_etl.domain.values import DECIMAL, decimal_text, matches, per_distinct

DATE_DTYPE = "datetime64[s]"
# Per the contract, one empty prefix means every HTS number: its empty cell reads back as ("",).
_EMPTY_LIST_IS_ONE_EMPTY_ITEM = frozenset({"hts_prefixes"})
_BOOL_TEXTS = np.array(["false", "true"], dtype=object)


class DatasetFrameError(ValueError):
    """A frame does not have a dataset's columns, in its order, with values of their kinds."""


def typed_frame(columns: Mapping[str, Any], schema: DatasetSchema) -> pd.DataFrame:
    """A dataset frame from column values (lists, arrays or Series), each coerced to its kind."""
    missing = [c.name for c in schema.columns if c.name not in columns]
    extra = [name for name in columns if name not in schema.names]
    if missing or extra:
        raise DatasetFrameError(f"{schema.name}: missing columns {missing}, unexpected columns {extra}")
    data = {c.name: _coerce(columns[c.name], c) for c in schema.columns}
    lengths = {len(v) for v in data.values()}
    if len(lengths) > 1:
        raise DatasetFrameError(f"{schema.name}: columns of different lengths {sorted(lengths)}")
    return pd.DataFrame(data)


def _coerce(values: Any, column: Column) -> pd.Series:
    series = (
        values.reset_index(drop=True) if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    )
    if column.kind == "str":
        return series.astype("str")
    if column.kind == "int":
        return series.astype("int64")
    if column.kind == "bool":
        if series.dtype != bool and not series.map(lambda v: isinstance(v, (bool, np.bool_))).all():
            raise DatasetFrameError(f"{column.name}: not every value is a boolean")
        return series.astype(bool)
    if column.kind == "date":
        return series.astype(DATE_DTYPE)
    if column.kind == "decimal":
        values = series.tolist()
        if not set(map(type, values)) <= {Decimal, type(None)}:  # the usual case needs no conversion
            values = [_as_decimal(v) for v in values]
        return pd.Series(values, dtype=object)
    return series.astype(object).map(lambda v: tuple(v) if isinstance(v, (list, tuple)) else ())


def _as_decimal(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Decimal(int(value))
    raise DatasetFrameError(f"not an exact decimal: {value!r} ({type(value).__name__}); floats are refused")


def check_columns(frame: pd.DataFrame, schema: DatasetSchema) -> None:
    """The frame has exactly the dataset's columns, in its order."""
    if tuple(frame.columns) != schema.names:
        raise DatasetFrameError(f"{schema.name}: columns {list(frame.columns)} are not {list(schema.names)}")


def check_no_nulls(schema: DatasetSchema, column: Column, nulls: int) -> None:
    if nulls:
        raise DatasetFrameError(f"{schema.name}: {nulls} empty values in {column.name}")


# --- text ---------------------------------------------------------------------------------------


def column_text(series: pd.Series, column: Column, quote: Callable[[str], str] | None = None) -> list[str]:
    """Each cell's published text (through `quote`, when given), each distinct value made once: a
    column's materials, dates, prices and currencies repeat on most rows."""
    if column.kind == "int":  # `str` of an int costs less than hashing it
        return list(map(str, series.astype("int64").tolist()))

    def texts(distinct: pd.Series) -> pd.Series:
        made = distinct_texts(distinct, column)
        return pd.Series(made if quote is None else list(map(quote, made)), dtype=object)

    if column.kind == "bool":  # a missing bool is false; each row picks one of the two texts
        picked: list[str] = _BOOL_TEXTS.take(series.astype(bool).to_numpy().astype(np.intp)).tolist()
        return picked
    if column.kind == "str":  # the column's own array, read not copied; a missing text is made empty
        return _each_distinct(np.asarray(series.array, dtype=object), texts)
    if column.kind == "date":  # any date missing is NaT
        return _each_distinct(series.astype(DATE_DTYPE).to_numpy(), texts)
    texts_of_rows: list[str] = per_distinct(series, texts).tolist()
    return texts_of_rows


def _each_distinct(values: np.ndarray, texts: Callable[[pd.Series], pd.Series]) -> list[str]:
    """Each row's text, made once per distinct value and picked by the rows from a plain array: on
    a million rows of text or dates, twice as soon as through pandas' own text and date layers."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    picked: list[str] = texts(pd.Series(distinct)).to_numpy(dtype=object).take(codes).tolist()
    return picked


def distinct_texts(values: pd.Series, column: Column) -> list[str]:
    """Each value's published text, row by row: `column_text` gives it the column's distinct values."""
    if column.kind == "str":
        return [str(v) for v in values.fillna("").astype("str").tolist()]
    if column.kind == "int":
        return list(map(str, values.astype("int64").tolist()))
    if column.kind == "bool":
        return ["true" if v else "false" for v in values.tolist()]
    if column.kind == "date":
        return ["" if pd.isna(v) else v.date().isoformat() for v in values]
    if column.kind == "decimal":
        # A missing decimal is None in the frame, NaN among the distinct values.
        return _decimal_texts([v if isinstance(v, Decimal) else None for v in values.tolist()])
    return list(map(";".join, values.tolist()))


def _decimal_texts(values: list[Decimal | None]) -> list[str]:
    return ["" if v is None else _shortest_text(v) for v in values]


def _shortest_text(value: Decimal) -> str:
    """`decimal_text`, sooner: `str(Decimal)` is exact and has no leading zeros, but may use an
    exponent (those few go through `decimal_text`) and keeps trailing zeros."""
    text = str(value)
    if "E" in text:
        return decimal_text(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def parse_column(text: pd.Series, column: Column) -> pd.Series:
    """Published text → the typed column (`column_text`'s inverse)."""
    if column.kind == "str":
        return text.mask(text.eq(""), None).astype("str")
    if column.kind == "int":
        return text.astype("int64")
    if column.kind == "bool":
        unknown = ~text.isin(["true", "false"])
        if unknown.any():
            raise DatasetFrameError(f"{column.name}: {text[unknown].iloc[0]!r} is not true or false")
        return text.eq("true").astype(bool)
    if column.kind == "date":
        parsed = pd.to_datetime(text.mask(text.eq(""), None), format="%Y-%m-%d")
        return parsed.astype(DATE_DTYPE)
    if column.kind == "decimal":
        bad = ~(text.eq("") | matches(text, DECIMAL))
        if bad.any():
            raise DatasetFrameError(f"{column.name}: {text[bad].iloc[0]!r} is not a decimal")
        values = text.tolist()
        decimals = (
            list(map(Decimal, values))
            if column.nullable is False
            else [None if t == "" else Decimal(t) for t in values]
        )
        return pd.Series(decimals, index=text.index, dtype=object)
    if column.name in _EMPTY_LIST_IS_ONE_EMPTY_ITEM:
        return text.map(lambda t: tuple(t.split(";")))
    return text.map(lambda t: tuple(t.split(";")) if t else ())

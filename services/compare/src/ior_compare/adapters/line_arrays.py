"""A run's compared columns from their arrays (`customs-line-arrays/2`, `customs-entry-arrays/2`, and
`/1` of runs published before them; `ior_contracts.line_columns`) into the frames the CSV gives
(`line_columns`): codes, integers and booleans taken as NumPy reads them, with no text parsed. A
day's half million lines read in 0.15 s CPU where the CSV took 0.72.

Each array's type and length must be its version's (`/2`: any of the contract's signed integer
types for codes and values; `/1`: `<i4` codes, `<i8` values), and each code must name one of its column's
texts; a column that may not be null holds no null, and only a column whose text may be empty holds
an empty text (the CSV could not tell it from null). The frame's contract is then checked as the
CSV's is."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.line_columns import (
    ARRAY_INTEGERS,
    ENTRY_ARRAYS_SCHEMA,
    ENTRY_ARRAYS_SCHEMA_V1,
    ENTRY_COLUMNS,
    LINE_ARRAYS_SCHEMA,
    LINE_ARRAYS_SCHEMA_V1,
    LINE_COLUMNS,
    Column,
)
from isal import igzip, igzip_lib

from ior_compare.adapters.line_columns import EntrySpans, entries_and_spans, read_valid_lines
from ior_compare.ports import LinesShapeError


@dataclass(frozen=True)
class _Types:
    """The types a version's arrays may have: of a text column's codes, and of integer values."""

    codes: tuple[str, ...]
    values: tuple[str, ...]


_VERSIONS = {
    LINE_ARRAYS_SCHEMA: _Types(ARRAY_INTEGERS, ARRAY_INTEGERS),
    ENTRY_ARRAYS_SCHEMA: _Types(ARRAY_INTEGERS, ARRAY_INTEGERS),
    LINE_ARRAYS_SCHEMA_V1: _Types(("<i4",), ("<i8",)),
    ENTRY_ARRAYS_SCHEMA_V1: _Types(("<i4",), ("<i8",)),
}
LINE_VERSIONS = (LINE_ARRAYS_SCHEMA, LINE_ARRAYS_SCHEMA_V1)
ENTRY_VERSIONS = (ENTRY_ARRAYS_SCHEMA, ENTRY_ARRAYS_SCHEMA_V1)


def read_line_arrays(body: bytes, uri: str, schema_version: str = LINE_ARRAYS_SCHEMA) -> pd.DataFrame:
    """The lines frame (`domain.frames`) from a `customs-line-arrays/2` (or `/1`) object."""
    # Null keys were refused with their codes (`_column`): the key columns are never null in the contract.
    frame = _frame(body, uri, LINE_COLUMNS, _types(schema_version, LINE_VERSIONS, uri))
    return read_valid_lines(frame, uri, keys_checked=True)


def read_entry_arrays(
    body: bytes, uri: str, schema_version: str = ENTRY_ARRAYS_SCHEMA
) -> tuple[pd.DataFrame, EntrySpans]:
    """The entries frame and where each entry is in the lines document and its gzip members, from a
    `customs-entry-arrays/2` (or `/1`) object."""
    frame = _frame(body, uri, ENTRY_COLUMNS, _types(schema_version, ENTRY_VERSIONS, uri))
    return entries_and_spans(frame, ENTRY_COLUMNS, uri)


def _types(schema_version: str, versions: tuple[str, ...], uri: str) -> _Types:
    if schema_version not in versions:
        raise LinesShapeError(f"{uri}: {schema_version!r} is not a version of these arrays this reads")
    return _VERSIONS[schema_version]


def _frame(body: bytes, uri: str, columns: tuple[Column, ...], types: _Types) -> pd.DataFrame:
    try:
        data = igzip.decompress(body)  # type: ignore[no-untyped-call]  # isal types compress only
    except (OSError, EOFError, igzip_lib.IsalError) as exc:  # type: ignore[misc]  # untyped in isal
        raise LinesShapeError(f"{uri} is not valid gzip: {exc}") from None
    stream = io.BytesIO(data)
    rows, texts = _head(stream.readline(), uri, columns)
    frame = pd.DataFrame(
        {column.name: _column(stream, column, rows, texts, types, uri) for column in columns}
    )
    if stream.read(1):
        raise LinesShapeError(f"{uri}: bytes follow the last column, {columns[-1].name!r}")
    return frame


def _head(line: bytes, uri: str, columns: tuple[Column, ...]) -> tuple[int, dict[str, list[str]]]:
    try:
        head = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LinesShapeError(f"{uri}: the head is not a line of JSON: {exc}") from None
    rows = head.get("rows") if isinstance(head, dict) else None
    texts = head.get("texts") if isinstance(head, dict) else None
    if type(rows) is not int or rows < 0 or not isinstance(texts, dict):
        raise LinesShapeError(f"{uri}: the head must hold a count of rows and the columns' texts")
    for column in columns:
        found = texts.get(column.name)
        if column.kind != "str":
            continue
        if not isinstance(found, list) or not all(type(text) is str for text in found):
            raise LinesShapeError(f"{uri}: the head's texts of column {column.name!r} must be a list of text")
        if not column.empty and "" in found:
            raise LinesShapeError(f"{uri}: column {column.name!r} holds an empty text")
    return rows, texts


def _column(
    stream: io.BytesIO, column: Column, rows: int, texts: dict[str, list[str]], types: _Types, uri: str
) -> Any:
    if column.kind == "str":
        codes = _array(stream, column, types.codes, rows, uri)
        distinct = texts[column.name]
        if codes.size and (codes.min() < -1 or codes.max() >= len(distinct)):
            raise LinesShapeError(
                f"{uri}: column {column.name!r} has a code beyond its {len(distinct)} texts"
            )
        if not column.nullable and bool((codes == -1).any()):
            raise LinesShapeError(f"{uri}: column {column.name!r} must not be null")
        # A null's code is -1, which `take` fills with the null: each text made a string once, not
        # checked to be one per row.
        return pd.array(distinct, dtype="str").take(codes, allow_fill=True)
    nulls = _array(stream, column, ("|b1",), rows, uri) if column.nullable else np.zeros(rows, dtype=bool)
    if column.kind == "bool":
        return pd.arrays.BooleanArray(_array(stream, column, ("|b1",), rows, uri), nulls)
    # The frames hold 64-bit integers (`Int64`), whatever width the values were stored in.
    values = _array(stream, column, types.values, rows, uri).astype(np.int64, copy=False)
    return pd.arrays.IntegerArray(values, nulls)


def _array(
    stream: io.BytesIO, column: Column, dtypes: tuple[str, ...], rows: int, uri: str
) -> np.ndarray[Any, Any]:
    try:
        array = np.lib.format.read_array(stream, allow_pickle=False)
    except (ValueError, EOFError) as exc:
        raise LinesShapeError(f"{uri}: column {column.name!r} is not a readable array: {exc}") from None
    if array.dtype not in [np.dtype(dtype) for dtype in dtypes] or array.shape != (rows,):
        raise LinesShapeError(
            f"{uri}: column {column.name!r} must be {rows} values of {' or '.join(dtypes)}, "
            f"found {array.shape} of {array.dtype.str}"
        )
    return array

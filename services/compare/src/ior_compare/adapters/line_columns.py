"""A run's compared columns (`ior_contracts.line_columns`, published by customs beside the lines
document) into the comparison's frames: a CSV read by pandas with the contract's types, instead of
every line's JSON decoded and converted in Python.

The header must be the contract's, in its order; a cell of the wrong kind is refused naming its
column and row. Only an empty cell is null (no `NA`, `null` or `nan` text is), so a description `NA`
stays text; a null where the contract has none is refused."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.line_columns import (
    ENTRY_COLUMNS,
    ENTRY_COLUMNS_SCHEMA,
    ENTRY_COLUMNS_SCHEMA_V1,
    ENTRY_COLUMNS_V1,
    LINE_COLUMNS,
    Column,
    names,
)
from isal import igzip, igzip_lib

from ior_compare.domain import frames
from ior_compare.domain.frames import (
    FrameContractError,
    Kind,
    require_parts,
    validate_entries,
    validate_lines,
)
from ior_compare.ports import LinesShapeError

_DTYPES = {"str": "str", "int": "Int64", "bool": "boolean"}
_CELLS = {"int": re.compile(r"-?[0-9]+"), "bool": re.compile(r"True|False")}
SPAN_COLUMNS = ("json_start", "json_end")
MEMBER_COLUMNS = ("gzip_start", "gzip_end", "gzip_text_start")
_ENTRY_COLUMNS = {ENTRY_COLUMNS_SCHEMA: ENTRY_COLUMNS, ENTRY_COLUMNS_SCHEMA_V1: ENTRY_COLUMNS_V1}
Ints = np.ndarray[Any, np.dtype[np.int64]]
_EXACT = 2.0**53


@dataclass(frozen=True)
class MemberRanges:
    """Where each entry's gzip member(s) are in the lines object (`customs-entry-columns/2`): their
    bytes `[gzip_starts, gzip_ends)`, and the text offset they inflate from."""

    gzip_starts: Ints
    gzip_ends: Ints
    text_starts: Ints


@dataclass(frozen=True)
class EntrySpans:
    """Where each entry is in the run's lines document (byte offsets of its UTF-8 text), and, for
    columns that say so, in the lines object's gzip members."""

    entry_ids: list[str]
    starts: Ints
    ends: Ints
    members: MemberRanges | None = None


def read_line_columns(body: bytes, uri: str) -> pd.DataFrame:
    """The lines frame (`domain.frames`) from a `customs-line-columns/1` object."""
    return read_valid_lines(_read(body, uri, LINE_COLUMNS, frames.LINE_COLUMNS), uri)


def read_valid_lines(frame: pd.DataFrame, uri: str, *, keys_checked: bool = False) -> pd.DataFrame:
    """`frame` once the lines frame's contract holds of it (`domain.frames`), or `LinesShapeError`;
    `keys_checked`: its reader has refused null keys already, as the arrays' codes show them."""
    return _valid(_valid_but_key_nulls if keys_checked else validate_lines, frame, uri)


def _valid_but_key_nulls(frame: pd.DataFrame) -> pd.DataFrame:
    # A key column's nulls are a scan of its half million strings, twice a comparison.
    validate_lines(frame, values=False)
    require_parts("lines", frame["part"].array.unique())
    return frame


def read_entry_columns(
    body: bytes, uri: str, schema_version: str = ENTRY_COLUMNS_SCHEMA
) -> tuple[pd.DataFrame, EntrySpans]:
    """The entries frame and where each entry is in the lines document (and, from `/2`, in its gzip
    members), from a `customs-entry-columns/2` or `/1` object, as its claim's `schema_version` says."""
    columns = _ENTRY_COLUMNS.get(schema_version)
    if columns is None:
        raise LinesShapeError(f"{uri}: {schema_version!r} is not an entry columns version this reads")
    return entries_and_spans(_read(body, uri, columns, frames.ENTRY_COLUMNS), columns, uri)


def entries_and_spans(
    frame: pd.DataFrame, columns: tuple[Column, ...], uri: str
) -> tuple[pd.DataFrame, EntrySpans]:
    """The entries frame, checked, and the spans (and members) its `columns` locate each entry by."""
    starts, ends = (frame[name].to_numpy(dtype=np.int64) for name in SPAN_COLUMNS)
    members = None
    if columns is ENTRY_COLUMNS:
        members = MemberRanges(*(frame[name].to_numpy(dtype=np.int64) for name in MEMBER_COLUMNS))
    spans = EntrySpans(frame["entry_id"].tolist(), starts, ends, members)
    located = [*SPAN_COLUMNS, *(MEMBER_COLUMNS if members else ())]
    return _valid(validate_entries, frame.drop(columns=located), uri), spans


def _read(body: bytes, uri: str, columns: tuple[Column, ...], contract: Mapping[str, Kind]) -> pd.DataFrame:
    """The object's columns with the contract's types; `contract` is the frame's (`domain.frames`),
    whose validation checks its keys for nulls."""
    try:
        # ISA-L's inflate, twice as fast as zlib's on the 76 MB of a million-line day's columns.
        text = igzip.decompress(body)  # type: ignore[no-untyped-call]  # isal types compress only
    except (OSError, EOFError, igzip_lib.IsalError) as exc:  # type: ignore[misc]  # untyped in isal
        raise LinesShapeError(f"{uri} is not valid gzip: {exc}") from None
    _check_header(text, uri, names(columns))
    try:
        frame = pd.read_csv(
            io.BytesIO(text),
            dtype={column.name: _parsed_as(column) for column in columns},
            keep_default_na=False,
            # Empty is null everywhere but in text that may be empty; a non-nullable column then
            # holds no null (checked below, or by the frame contract for keys).
            na_values={column.name: [""] for column in columns if not column.empty},
            encoding="utf-8",
        )
        for column in columns:
            if column.kind == "int":
                frame[column.name] = _nullable_integers(frame[column.name])
    except (ValueError, TypeError) as exc:
        raise LinesShapeError(f"{uri}: {_mistyped(text, columns) or exc}") from None
    never_null = [c.name for c in columns if contract.get(c.name) is Kind.TEXT and not c.nullable]
    for name in never_null:
        if frame[name].isna().any():
            raise LinesShapeError(f"{uri}: column {name!r} must not be empty")
    return frame


def _parsed_as(column: Column) -> str:
    """The parser's own integers (pandas' nullable `Int64` parses each cell in Python): int64, or
    float64 where a cell may be empty, made `Int64` after (`_nullable_integers`)."""
    if column.kind == "int":
        return "float64" if column.nullable else "int64"
    return _DTYPES[column.kind]


def _nullable_integers(parsed: pd.Series) -> pd.api.extensions.ExtensionArray:
    """`Int64`, as the comparison's frames hold integers; floats only where whole and exact."""
    values = parsed.to_numpy()
    if values.dtype.kind == "f":
        finite = values[~np.isnan(values)]
        if np.any(finite != np.round(finite)) or (finite.size and np.abs(finite).max() >= _EXACT):
            raise ValueError(f"column {parsed.name!r} must be int, found fractional or too large numbers")
    return pd.array(values, dtype="Int64")


def _check_header(text: bytes, uri: str, expected: tuple[str, ...]) -> None:
    found = text[: text.find(b"\n")].decode("utf-8", errors="replace").split(",")
    if tuple(found) == expected:
        return
    for place, name in enumerate(expected):
        if place >= len(found) or found[place] != name:
            shown = found[place] if place < len(found) else "nothing"
            raise LinesShapeError(f"{uri}: column {place + 1} must be {name!r}, found {shown!r}")
    raise LinesShapeError(f"{uri}: unexpected column(s) {found[len(expected) :]} after {expected[-1]!r}")


def _mistyped(text: bytes, columns: tuple[Column, ...]) -> str | None:
    """Which column holds a cell of the wrong kind (read again as text: only when one was refused)."""
    try:
        cells = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, TypeError):
        return None
    for column in columns:
        pattern = _CELLS.get(column.kind)
        if pattern is None:
            continue
        values = cells[column.name]
        wrong = ~values.str.fullmatch(pattern.pattern) & ~((values == "") & column.nullable)
        if wrong.any():
            row = int(np.flatnonzero(wrong.to_numpy(dtype=bool))[0])
            found = values.iloc[row]
            return f"column {column.name!r} must be {column.kind}, found {found!r} in data row {row + 1}"
    return None


def _valid(validate: Any, frame: pd.DataFrame, uri: str) -> pd.DataFrame:
    try:
        checked: pd.DataFrame = validate(frame)
    except FrameContractError as exc:
        raise LinesShapeError(f"{uri}: {exc}") from None
    return checked

"""Landed SAP extracts (gzip JSON Lines, one record per line, every value a string) → text frames."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Mapping, Sequence
from typing import cast

import numpy as np
import pandas as pd

from ior_etl.domain.sap_fields import SapTable
from ior_etl.domain.validation import ROW


class ExtractError(ValueError):
    """An extract cannot be read as gzip JSON Lines of records with the table's fields."""


def read_extract(data: bytes, table: SapTable) -> pd.DataFrame:
    """One text column per SAP field of `table` (a missing or null value is blank), and `source_row`:
    the record's line number in the extract. A field absent from every record is an error."""
    try:
        lines = gzip.decompress(data).split(b"\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise ExtractError(f"{table.name}: not a gzip file ({exc})") from None
    rows = [number for number, line in enumerate(lines, start=1) if line.strip()]
    records = _parsed_at_once([lines[row - 1] for row in rows])
    if records is None:  # some line is not a JSON object: find the first, to name it
        records = [_parsed(lines[row - 1], row, table) for row in rows]
    return records_frame(records, table, rows)


def _parsed_at_once(lines: list[bytes]) -> list[Mapping[str, object]] | None:
    """The lines' records parsed as one JSON array (one call of the parser, not one per line), or
    None when that is not exactly one object per line."""
    try:
        records = json.loads(b"[" + b",".join(lines) + b"]")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if len(records) != len(lines) or not all(type(record) is dict for record in records):
        return None
    return cast("list[Mapping[str, object]]", records)


def _parsed(line: bytes, number: int, table: SapTable) -> Mapping[str, object]:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExtractError(f"{table.name} line {number}: not JSON ({exc.args[0]})") from None
    if not isinstance(record, dict):
        raise ExtractError(f"{table.name} line {number}: a record must be a JSON object")
    return record


def records_frame(
    records: Sequence[Mapping[str, object]], table: SapTable, rows: Sequence[int] | None = None
) -> pd.DataFrame:
    """Records with SAP field names → a text frame of the table's fields and `source_row`."""
    if records:
        absent = [f for f in table.fields if all(f not in r for r in records)]
        if absent:
            raise ExtractError(f"{table.name}: no record has the field(s) {', '.join(absent)}")
    columns = {f: [r.get(f) for r in records] for f in table.fields}
    return columns_frame(columns, table, rows if rows is not None else range(1, len(records) + 1))


def columns_frame(
    columns: Mapping[str, Sequence[object]], table: SapTable, rows: Sequence[int]
) -> pd.DataFrame:
    """A value list per SAP field (one value per row numbered in `rows`) → the same text frame as
    `records_frame`; a field with no list is an error unless there are no rows."""
    absent = [f for f in table.fields if f not in columns]
    if absent and rows:
        raise ExtractError(f"{table.name}: no record has the field(s) {', '.join(absent)}")
    frame = pd.DataFrame(
        {f: pd.Series(_texts(columns.get(f, [])), dtype="str") for f in table.fields},
        index=range(len(rows)),
        copy=False,
    )
    frame[ROW] = pd.Series(rows, dtype="int64")
    return frame


def _texts(values: Sequence[object]) -> Sequence[object]:
    # SAP extracts hold text: only a column with another kind of value is converted value by value.
    if isinstance(values, np.ndarray) and pd.api.types.infer_dtype(values, skipna=False) == "string":
        return values  # the legacy reader's arrays of text, checked by one pass in C
    return values if set(map(type, values)) <= {str} else [_text(value) for value in values]


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)

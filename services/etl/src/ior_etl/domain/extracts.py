"""Landed SAP extracts (gzip JSON Lines, one record per line, every value a string) → text frames."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, cast

import numpy as np
import orjson
import pandas as pd
from ior_contracts import collector
from ior_contracts.legacy.cells import NUL_MESSAGE
from isal import igzip
from isal.igzip_lib import IsalError

from ior_etl.domain.nul_text import nul_cells
from ior_etl.domain.sap_fields import SapTable
from ior_etl.domain.validation import ROW

# A column's values: a list or tuple, or an array of objects (a view of a table, the legacy reader's).
Values = Sequence[object] | np.ndarray


# Lines parsed at a time: a block's records are let go once their values are in columns, so a
# million records (two thirds of a gigabyte of dicts) are never held at once.
BLOCK_LINES = 100_000


class ExtractError(ValueError):
    """An extract cannot be read as gzip JSON Lines of records with the table's fields."""


def read_extract(data: bytes, table: SapTable) -> pd.DataFrame:
    """One text column per SAP field of `table` (a missing or null value is blank), and `source_row`:
    the record's line number in the extract. A field absent from every record is an error, and so is
    a value holding a NUL (`nul_text`): the extract is refused, as one with a line that is not JSON."""
    try:
        text = igzip.decompress(data)  # type: ignore[no-untyped-call]  # ISA-L: 0.39 s, zlib 0.60, for 1M rows
    except (OSError, EOFError, IsalError) as exc:  # type: ignore[misc]  # untyped in isal
        raise ExtractError(f"{table.name}: not a gzip file ({exc})") from None
    # JSON carries a NUL only escaped: the bytes are searched in C, the values only when they match.
    escaped_nul = b"\\u0000" in text
    lines = text.split(b"\n")
    del text
    frame = _frame(lines, table)
    if escaped_nul:
        _refuse_nul(frame, table)
    return frame


def _frame(lines: list[bytes], table: SapTable) -> pd.DataFrame:
    """`read_extract`'s frame of the extract's lines; the list is emptied, so its text is let go
    while its columns are made."""
    kept = [line for line in lines if line.strip()]
    rows = _line_numbers(lines, kept)
    with collector.paused():
        columns = columns_by_block(kept, table.fields)
        if columns is not None:
            lines.clear()
            del kept
            return columns_frame(columns, table, rows, text=True)
        records = _parsed_at_once(kept)
        if records is None:  # some line is not a JSON object: find the first, to name it
            records = [_parsed(lines[row - 1], row, table) for row in rows]
        lines.clear()
        del kept
        return records_frame(records, table, rows)


def _refuse_nul(frame: pd.DataFrame, table: SapTable) -> None:
    found = {f: c for f in table.fields if (c := nul_cells(frame[f].to_numpy(dtype=object))) is not None}
    if found:
        line, field = min((int(frame[ROW].iloc[int(np.argmax(c))]), f) for f, c in found.items())
        raise ExtractError(f"{table.name} line {line}: {field} {NUL_MESSAGE}")


def columns_by_block(
    lines: list[bytes], fields: Sequence[str], block: int = BLOCK_LINES
) -> dict[str, Values] | None:
    """Each field's values as text (`_texts`), the lines parsed a block at a time, when every line is
    one record holding every field; else None (and the records are read as a whole, to say what is
    wrong)."""
    if not lines:
        return None
    blocks: list[dict[str, Values]] = []
    for start in range(0, len(lines), block):
        part = lines[start : start + block]
        columns, text = _text_columns(_parsed_fast(part), fields)
        if columns is None:  # not text and nulls alone, or not for orjson: the standard library's way
            records = _parsed_at_once(part)
            columns = None if records is None else columns_at_once(records, fields)
        if columns is None:
            return None
        if not text:  # a block's values made text here, so the whole columns need no second look
            columns = {f: _texts(values) for f, values in columns.items()}
        blocks.append(columns)  # the block's records are let go: only their values are kept
    if len(blocks) == 1:
        return blocks[0]
    return {f: np.concatenate([_objects(columns[f]) for columns in blocks]) for f in fields}


def _line_numbers(lines: list[bytes], kept: list[bytes]) -> Sequence[int]:
    """The line number of each line kept (those not blank)."""
    if len(kept) == len(lines) or (len(kept) == len(lines) - 1 and not lines[-1].strip()):
        return range(1, len(kept) + 1)  # blank at most after the last newline, as landing writes
    return [number for number, line in enumerate(lines, start=1) if line.strip()]


def _parsed_at_once(lines: list[bytes]) -> list[Mapping[str, object]] | None:
    """The lines' records parsed as one JSON array (one call of the parser, not one per line), or
    None when that is not exactly one object per line."""
    if not lines:
        return []
    # Decoded as `json.loads` decodes bytes, and the bytes let go before the parser makes the records.
    try:
        records = json.loads(_json_array(lines).decode("utf-8", "surrogatepass"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if len(records) != len(lines) or not all(type(record) is dict for record in records):
        return None
    return cast("list[Mapping[str, object]]", records)


def _json_array(lines: list[bytes]) -> bytes:
    """The lines as one JSON array's text. The brackets go on the end lines, so the text is copied once."""
    if len(lines) == 1:
        return b"[" + lines[0] + b"]"
    return b",".join([b"[" + lines[0], *lines[1:-1], lines[-1] + b"]"])


def _parsed_fast(lines: list[bytes]) -> list[Mapping[str, object]] | None:
    """The lines' records parsed by orjson, as `_parsed_at_once` by the standard library: 0.26 against
    0.41 s for 100k billing lines. Its values are those of the standard library's when they are text
    or null (`_text_columns` keeps no other block): it reads an integer beyond 64 bits as a float, and
    refuses what the standard library reads (NaN, lone surrogates), which then goes the standard way."""
    if not lines:
        return []
    try:
        records = orjson.loads(_json_array(lines))
    except orjson.JSONDecodeError:
        return None
    # A value that is not an object is found by `_table`: orjson makes nothing else that takes a key.
    return cast("list[Mapping[str, object]]", records) if len(records) == len(lines) else None


def _text_columns(
    records: Sequence[Mapping[str, object]] | None, fields: Sequence[str]
) -> tuple[dict[str, Values] | None, bool]:
    """`columns_at_once` of records whose every value of `fields` is text or null, and whether every
    one is text; else (None, False)."""
    table = None if records is None else _table(records, fields)
    if table is None:
        return None, False
    # A pass in C over the block's table, not one over each column's strided view; a second only
    # for a block holding a null.
    values = table.reshape(-1)
    text = pd.api.types.infer_dtype(values, skipna=False) == "string"
    if not text and pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return None, False
    return {field: table[:, position] for position, field in enumerate(fields)}, text


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
    columns = columns_at_once(records, table.fields)
    if columns is None:
        columns = columns_by_record(records, table)
    return columns_frame(columns, table, rows if rows is not None else range(1, len(records) + 1))


def columns_at_once(
    records: Sequence[Mapping[str, object]], fields: Sequence[str]
) -> dict[str, Values] | None:
    """Each field's values, taken by loops in C, when every record has every field (fields beyond
    them are ignored, as `columns_by_record` ignores them); else None."""
    values = _values(records, fields)
    if values is None:
        return None
    if len(fields) == 1:
        return {fields[0]: values}
    table = _values_table(values, len(fields))
    if table is None:
        return dict(zip(fields, zip(*values, strict=True), strict=True))
    return {field: table[:, position] for position, field in enumerate(fields)}


def _values(records: Sequence[Mapping[str, object]], fields: Sequence[str]) -> list[Any] | None:
    """Each record's values of `fields` (a tuple of them, or the value when one field); None when
    some record lacks a field or is not a mapping."""
    if not records or not fields:
        return None
    try:
        return list(map(itemgetter(*fields), records))
    except (KeyError, TypeError):
        return None


def _table(records: Sequence[Mapping[str, object]], fields: Sequence[str]) -> np.ndarray | None:
    """The records' values of `fields` as one table of objects, a row per record; None when some
    record lacks a field, or the values do not make such a table."""
    values = _values(records, fields)
    if values is None:
        return None
    return _values_table(values if len(fields) > 1 else [(v,) for v in values], len(fields))


def _values_table(values: list[tuple[object, ...]], width: int) -> np.ndarray | None:
    # Every record's values as one table, each column a view of it: one copy in C, not a pass per
    # field over a million tuples. Values that are all arrays of one length would nest a level deeper.
    try:
        table = np.array(values, dtype=object)
    except ValueError:
        return None
    return table if table.shape == (len(values), width) else None


def columns_by_record(records: Sequence[Mapping[str, object]], table: SapTable) -> dict[str, Values]:
    """Each field's values record by record, a missing one None; a field absent from every record
    is an error."""
    if records:
        absent = [f for f in table.fields if all(f not in r for r in records)]
        if absent:
            raise ExtractError(f"{table.name}: no record has the field(s) {', '.join(absent)}")
    return {f: [r.get(f) for r in records] for f in table.fields}


def columns_frame(
    columns: Mapping[str, Values], table: SapTable, rows: Sequence[int], *, text: bool = False
) -> pd.DataFrame:
    """A value list per SAP field (one value per row numbered in `rows`) → the same text frame as
    `records_frame`; a field with no list is an error unless there are no rows. With `text`, every
    value is text already (`columns_by_block`'s) and is not looked at again."""
    absent = [f for f in table.fields if f not in columns]
    if absent and rows:
        raise ExtractError(f"{table.name}: no record has the field(s) {', '.join(absent)}")
    frame = pd.DataFrame(
        {f: pd.Series(_column_text(columns.get(f, []), text), dtype="str") for f in table.fields},
        index=range(len(rows)),
        copy=False,
    )
    frame[ROW] = pd.Series(rows, dtype="int64")
    return frame


def _objects(values: Values) -> np.ndarray:
    # By `fromiter`, not `np.array`: values that are arrays of one length would nest a level deeper.
    return values if isinstance(values, np.ndarray) else np.fromiter(values, dtype=object, count=len(values))


def _column_text(values: Values, text: bool) -> Values:
    return values if text else _texts(values)


def _texts(values: Values) -> Values:
    # SAP extracts hold text: only a column with another kind of value is converted value by value.
    array = _objects(values)
    if pd.api.types.infer_dtype(array, skipna=False) == "string":
        return array  # every value text, checked by one pass in C
    return [_text(value) for value in array.tolist()]


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)

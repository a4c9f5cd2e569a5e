"""The run's compared columns as arrays (`customs-line-arrays/2`, `customs-entry-arrays/2`,
`ior_contracts.line_columns`): what a reader with NumPy takes without parsing text. A text column's
codes and texts are those its CSV cells are made from (`line_columns.coded`), so both objects say
the same of every row."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
from ior_contracts.line_columns import ARRAY_INTEGERS, ENTRY_COLUMNS, LINE_COLUMNS, Column

from ior_customs.domain.line_columns import (
    INTEGER_SOURCES,
    GzipMember,
    IntArray,
    LineCodes,
    coded,
    entry_locations,
    joined,
    line_codes,
)

Values: TypeAlias = pd.Series | np.ndarray[Any, Any]


def line_columns_arrays(lines: pd.DataFrame, codes: LineCodes | None = None) -> bytes | None:
    """The lines' columns as `customs-line-arrays/2` (before gzip), or None where the CSV is none
    (`line_columns_csv`: a description is empty text), so a run publishes both or neither. `codes`
    are `line_codes(lines)`, when made already."""
    if bool((lines["description"] == "").any()):
        return None
    texts = dict(line_codes(lines) if codes is None else codes)
    texts["quantity"] = _empty_as_null(*texts["quantity"])
    values = {name: lines[source] for name, source in INTEGER_SOURCES.items()}
    return _arrays(LINE_COLUMNS, len(lines), texts, values)


def entry_columns_arrays(
    entries: pd.DataFrame, spans: Sequence[tuple[int, int]], members: Sequence[GzipMember]
) -> bytes:
    """The entries' columns as `customs-entry-arrays/2` (before gzip): those of
    `customs-entry-columns/2`, with where each entry is (`entry_columns_csv`'s arguments)."""
    texts = {"entry_id": coded(entries["entry_id"]), "flags": coded(entries["flags"], joined)}
    values: dict[str, Values] = {
        "value": entries["value_usd"],
        "duty_cents": entries["duty_cents"],
        "mpf_cents": entries["mpf_cents"],
        "hmf_cents": entries["hmf_cents"],
        "formal": entries["formal"],
        **entry_locations(entries, spans, members),
    }
    return _arrays(ENTRY_COLUMNS, len(entries), texts, values)


def _arrays(
    columns: tuple[Column, ...],
    rows: int,
    texts: Mapping[str, tuple[IntArray, list[str]]],
    values: Mapping[str, Values],
) -> bytes:
    """The head (the rows, each text column's texts), then each column's arrays in order."""
    head = {"rows": rows, "texts": {name: distinct for name, (_, distinct) in texts.items()}}
    out = io.BytesIO()
    out.write(json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
    for column in columns:
        if column.kind == "str":
            _write(out, _narrowest(texts[column.name][0]))
            continue
        series = pd.Series(values[column.name])
        nulls = series.isna().to_numpy(dtype=bool)
        if column.nullable:
            _write(out, nulls)
        elif nulls.any():
            raise ValueError(f"column {column.name!r} holds a null, which the format has no place for")
        if column.kind == "bool":
            _write(out, series.to_numpy(dtype="|b1", na_value=False))
        else:
            _write(out, _narrowest(series.to_numpy(dtype="<i8", na_value=0)))
    return out.getvalue()


def _empty_as_null(codes: IntArray, texts: list[str]) -> tuple[IntArray, list[str]]:
    """A line with no quantity has empty text, which the CSV writes as its null: here its code -1."""
    if "" not in texts:
        return codes, texts
    empty = texts.index("")
    kept = [text for text in texts if text != ""]
    # Codes after the empty one move down by one; the empty one's become -1.
    remapped = np.where(codes > empty, codes - 1, codes)
    return np.where(codes == empty, -1, remapped), kept


def _narrowest(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """`values` as the narrowest of the contract's integer types that holds them all."""
    low, high = (int(values.min()), int(values.max())) if values.size else (0, 0)
    for dtype in ARRAY_INTEGERS:
        limits = np.iinfo(np.dtype(dtype))
        if limits.min <= low and high <= limits.max:
            return values.astype(dtype, copy=False)
    raise ValueError(f"values from {low} to {high} fit no {ARRAY_INTEGERS[-1]}")


def _write(out: io.BytesIO, array: np.ndarray[Any, Any]) -> None:
    np.lib.format.write_array(out, np.ascontiguousarray(array), version=(1, 0), allow_pickle=False)

"""The run's compared line columns as arrays (`customs-line-arrays/1`, `ior_contracts.line_columns`):
what a reader with NumPy takes without parsing text. The codes and texts are those the CSV's cells
are made from (`line_columns.line_codes`), so both objects say the same of every line."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.line_columns import LINE_COLUMNS

from ior_customs.domain.line_columns import INTEGER_SOURCES, IntArray, LineCodes, line_codes


def line_columns_arrays(lines: pd.DataFrame, codes: LineCodes | None = None) -> bytes | None:
    """The lines' columns as `customs-line-arrays/1` (before gzip), or None where the CSV is none
    (`line_columns_csv`: a description is empty text), so a run publishes both or neither. `codes`
    are `line_codes(lines)`, when made already."""
    if bool((lines["description"] == "").any()):
        return None
    texts = dict(line_codes(lines) if codes is None else codes)
    texts["quantity"] = _empty_as_null(*texts["quantity"])
    head = {"rows": len(lines), "texts": {name: distinct for name, (_, distinct) in texts.items()}}
    out = io.BytesIO()
    out.write(json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() + b"\n")
    for column in LINE_COLUMNS:
        if column.kind == "str":
            _write(out, texts[column.name][0].astype("<i4"))
            continue
        values = lines[INTEGER_SOURCES[column.name]]
        if not column.nullable and bool(values.isna().any()):
            raise ValueError(f"column {column.name!r} holds a null, which the format has no place for")
        if column.nullable:
            _write(out, values.isna().to_numpy(dtype=bool))
        _write(out, values.to_numpy(dtype="<i8", na_value=0))
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


def _write(out: io.BytesIO, array: np.ndarray[Any, Any]) -> None:
    np.lib.format.write_array(out, np.ascontiguousarray(array), version=(1, 0), allow_pickle=False)

"""The run's compared columns (`ior_contracts.line_columns`) as CSV text, made from the result's
columns in bulk: what the compare service reads of a run, without decoding every line's JSON.

Each column becomes its cells' texts at once: integers by numpy, texts and lists (a stack, its
rates, an entry's flags, which repeat across a run's lines) quoted or joined once per distinct value
and taken by code. The rows are then joined from the columns by `str.join` (pandas' `to_csv`
formats cell by cell in Python and cost ten times as much at 500k lines)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from ior_contracts.line_columns import ENTRY_COLUMNS, LINE_COLUMNS, names

from ior_customs.domain.line_json import whole_number_texts

ObjectArray = np.ndarray[Any, np.dtype[np.object_]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]
_SPECIAL = re.compile(r'[,"\n\r]')


def joined(items: Any) -> str:
    """A list (a stack, its rates, flags) as its `;`-joined text."""
    return ";".join(items)


# Where each compared line column comes from in the result's lines (and a text column's text of a
# value); `quantity` is made from two (`quantity_coded`).
TEXT_SOURCES: dict[str, tuple[str, Callable[[Any], str]]] = {
    "entry_id": ("entry_id", str),
    "hts10": ("hts10", str),
    "origin": ("origin", str),
    "part": ("part", str),
    "stack": ("stack", joined),
    "rates": ("rates", joined),
    "description": ("description", str),
}
INTEGER_SOURCES = {
    "line": "line",
    "value": "value_usd",
    "duty_cents": "duty_cents",
    "net_kg": "net_kg",
    "gross_kg": "gross_kg",
}


LineCodes = dict[str, tuple[IntArray, list[str]]]
"""Each text column's codes (-1 for null) and texts, by the compared column's name."""


def line_codes(lines: pd.DataFrame) -> LineCodes:
    """The text columns' codes and texts (a line with no quantity has its empty text), made once for
    the CSV and the arrays (`line_arrays`) both."""
    codes = {name: coded(lines[source], text) for name, (source, text) in TEXT_SOURCES.items()}
    codes["quantity"] = quantity_coded(lines["quantity_no"], lines["quantity_kg"])
    return codes


def line_columns_csv(lines: pd.DataFrame, codes: LineCodes | None = None) -> bytes | None:
    """The lines' columns (`customs-line-columns/1`), or None when a description is empty text: the
    format writes null as an empty cell, so it could not tell the two apart. `codes` are
    `line_codes(lines)`, when made already."""
    if bool((lines["description"] == "").any()):
        return None
    codes = line_codes(lines) if codes is None else codes
    cells = {name: _coded_cells(*codes[name]) for name in codes}
    cells |= {name: _cells(lines[source]) for name, source in INTEGER_SOURCES.items()}
    return _csv(cells, names(LINE_COLUMNS))


@dataclass(frozen=True)
class GzipMember:
    """One gzip member of a published object: the text it inflates to, `[text_start, text_end)` of
    the object's whole text, and its bytes, `[gzip_start, gzip_end)` of the object."""

    text_start: int
    text_end: int
    gzip_start: int
    gzip_end: int


def entry_columns_csv(
    entries: pd.DataFrame, spans: Sequence[tuple[int, int]], members: Sequence[GzipMember]
) -> bytes:
    """The entries' columns (`customs-entry-columns/2`); `spans` are where each entry is in the lines
    document (byte offsets, start and end), in the entries' order, and `members` the lines object's
    gzip members, in order."""
    located = entry_locations(entries, spans, members)
    cells = {
        "entry_id": _cells(entries["entry_id"]),
        "value": _cells(entries["value_usd"]),
        "duty_cents": _cells(entries["duty_cents"]),
        "mpf_cents": _cells(entries["mpf_cents"]),
        "hmf_cents": _cells(entries["hmf_cents"]),
        "formal": _cells(entries["formal"]),
        "flags": _cells(entries["flags"], joined),
        **{name: _cells(values) for name, values in located.items()},
    }
    return _csv(cells, names(ENTRY_COLUMNS))


def entry_locations(
    entries: pd.DataFrame, spans: Sequence[tuple[int, int]], members: Sequence[GzipMember]
) -> dict[str, IntArray]:
    """Where each entry is, by column: its span in the lines document (`json_start`, `json_end`)
    and the members holding it (`gzip_start`, `gzip_end`, `gzip_text_start`)."""
    if len(spans) != len(entries):
        raise ValueError(f"{len(spans)} spans for {len(entries)} entries")
    bounds = np.array(spans, dtype=np.int64).reshape(len(spans), 2)
    held = _members_holding(bounds, members)
    return {
        "json_start": bounds[:, 0],
        "json_end": bounds[:, 1],
        "gzip_start": held[:, 0],
        "gzip_end": held[:, 1],
        "gzip_text_start": held[:, 2],
    }


def _members_holding(bounds: IntArray, members: Sequence[GzipMember]) -> IntArray:
    """For each span, the bytes of the members from the one its first byte is in to the one its last
    byte is in, and the text offset the first starts at: `[gzip_start, gzip_end, gzip_text_start]`."""
    if not len(bounds):
        return np.zeros((0, 3), dtype=np.int64)
    text_starts = np.array([m.text_start for m in members], dtype=np.int64)
    text_end = members[-1].text_end if members else 0
    if not members or bounds[:, 1].max() > text_end or bounds[:, 0].min() < 0:
        raise ValueError(f"the spans reach beyond the {text_end} bytes of the members' text")
    first = np.searchsorted(text_starts, bounds[:, 0], side="right") - 1
    last = np.searchsorted(text_starts, bounds[:, 1] - 1, side="right") - 1
    gzip_starts = np.array([m.gzip_start for m in members], dtype=np.int64)
    gzip_ends = np.array([m.gzip_end for m in members], dtype=np.int64)
    held: IntArray = np.column_stack((gzip_starts[first], gzip_ends[last], text_starts[first]))
    return held


def _csv(cells: dict[str, list[str]], header: tuple[str, ...]) -> bytes:
    """The rows of the columns' cell texts (each already CSV-quoted where it needs it)."""
    rows = "\n".join(map(",".join, zip(*(cells[name] for name in header), strict=True)))
    return (",".join(header) + "\n" + rows + ("\n" if rows else "")).encode()


def _cell(text: str) -> str:
    """`text` as a CSV cell: quoted (quotes doubled) when it holds a comma, a quote or a line break."""
    if _SPECIAL.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _cells(values: pd.Series | np.ndarray[Any, Any], text: Callable[[Any], str] = str) -> list[str]:
    """Each value's `text` as a cell, made once per distinct value; null as an empty cell. Whole
    numbers (which have no null, and need no quotes) are not checked for quotes."""
    if text is str and values.dtype == np.int64:
        whole: list[str] = whole_number_texts(np.asarray(values)).tolist()
        return whole
    return _coded_cells(*coded(values, text))


def _coded_cells(codes: IntArray, distinct: list[str]) -> list[str]:
    """The cell of each code's text, each text quoted once."""
    # A null's code is -1: the last text, empty.
    texts: ObjectArray = np.array([*map(_cell, distinct), ""], dtype=object)
    cells: list[str] = texts[codes].tolist()
    return cells


def coded(
    values: pd.Series | np.ndarray[Any, Any], text: Callable[[Any], str] = str
) -> tuple[IntArray, list[str]]:
    """Each value's code (-1 for null) and the `text` of each distinct value, in order of first
    appearance: both the CSV's cells and the arrays' codes are made from them."""
    codes, distinct = pd.factorize(values)
    return codes, [text(value) for value in distinct.tolist()]


def quantity_coded(number: pd.Series, kilograms: pd.Series) -> tuple[IntArray, list[str]]:
    """`No.=3;kg=12`, units in code-point order, empty text where the line has neither quantity: each
    line's code and each distinct pair of amounts' text."""
    (no_codes, no_index), (kg_codes, kg_index) = (pd.factorize(c) for c in (number, kilograms))
    no_amounts, kg_amounts = no_index.tolist(), kg_index.tolist()
    width = len(kg_amounts) + 1
    codes, pairs = pd.factorize((no_codes + 1) * width + (kg_codes + 1))
    texts = []
    for pair in pairs.tolist():
        no, kg = divmod(pair, width)
        amounts = (("No.", no_amounts[no - 1] if no else None), ("kg", kg_amounts[kg - 1] if kg else None))
        texts.append(";".join(f"{unit}={int(amount)}" for unit, amount in amounts if amount is not None))
    return codes, texts


class EntrySpans:
    """Where each entry is in the lines document, counted as `Result.json_chunks()` passes through
    `passing`: its chunks are the head, one per entry (a comma before each but the first), the tail."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def passing(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        ends = [0]
        for chunk in chunks:
            ends.append(ends[-1] + len(chunk))
            yield chunk
        # Entry i is chunk i + 1, between the head and the tail.
        self.spans = [(ends[i] + (1 if i > 1 else 0), ends[i + 1]) for i in range(1, len(ends) - 2)]

"""A run's published columns (`ior_contracts.line_columns`) as the API keeps them: the line columns
into the index the dashboard searches and sorts (`domain.line_index`), the entry columns into where
each entry is in the lines object. Read with the standard library's CSV reader as the object
inflates, keeping only the columns used: the API ships without pandas, and a million-line day's
76 MB of text is never held whole (1.5 s CPU and under 100 MB, against 1.7 GB for its JSON)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ior_contracts import collector
from ior_contracts.line_columns import ENTRY_COLUMNS, LINE_COLUMNS, names

from ior_api.domain.line_index import LineIndex
from ior_api.ports import ClaimCheckError

_INDEX_TEXTS = ("entry_id", "hts10", "origin", "description")
_INDEX_INTEGERS = ("line", "value", "duty_cents")
_PLACES = ("json_start", "json_end", "gzip_start", "gzip_end", "gzip_text_start")


@dataclass(frozen=True)
class EntryPlaces:
    """Where each entry is: its text's `[json_start, json_end)` in the lines document, and the gzip
    members holding it, `[gzip_start, gzip_end)` of the object, inflating to text from `text_start`;
    one list each, in the columns' order."""

    entry_ids: list[str]
    json_start: list[int]
    json_end: list[int]
    gzip_start: list[int]
    gzip_end: list[int]
    text_start: list[int]

    at: dict[str, int] = field(init=False, repr=False)
    """Each entry's position in the lists."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", {entry_id: k for k, entry_id in enumerate(self.entry_ids)})


def line_index(body: bytes, uri: str) -> LineIndex:
    """The index of a `customs-line-columns/1` object's lines."""
    header = names(LINE_COLUMNS)
    texts = [header.index(name) for name in _INDEX_TEXTS]
    integers = [header.index(name) for name in _INDEX_INTEGERS]
    index = LineIndex([], [], [], [], [], [], [])
    entry_ids, hts, origins, descriptions = index.entry_id, index.hts10, index.origin, index.description
    numbers, values, duties = index.line, index.value, index.duty_cents
    # A day's lines share a few thousand entry ids, numbers, origins and descriptions: kept once.
    shared: dict[str, str] = {}
    one = shared.setdefault
    with collector.paused():
        for row_number, row in _rows(body, uri, header):
            try:
                line, value, duty = (int(row[k]) for k in integers)
            except ValueError:
                raise ClaimCheckError(_mistyped(uri, row, integers, header, row_number)) from None
            entry_id, hts10, origin, description = (row[k] for k in texts)
            entry_ids.append(one(entry_id, entry_id))
            hts.append(one(hts10, hts10))
            origins.append(one(origin, origin))
            descriptions.append(one(description, description) if description else None)
            numbers.append(line)
            values.append(value)
            duties.append(duty)
    return index


def entry_places(body: bytes, uri: str) -> EntryPlaces:
    """Where each entry of a `customs-entry-columns/2` object is."""
    header = names(ENTRY_COLUMNS)
    columns = [header.index(name) for name in _PLACES]
    entry_ids: list[str] = []
    places: list[list[int]] = [[] for _ in _PLACES]
    with collector.paused():
        for row_number, row in _rows(body, uri, header):
            entry_ids.append(row[0])
            try:
                for found, k in zip(places, columns, strict=True):
                    found.append(int(row[k]))
            except ValueError:
                raise ClaimCheckError(_mistyped(uri, row, columns, header, row_number)) from None
    return EntryPlaces(entry_ids, *places)


def _rows(body: bytes, uri: str, header: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """The object's data rows, numbered from 1, after its header is checked to be `header`."""
    try:
        rows = csv.reader(io.TextIOWrapper(gzip.GzipFile(fileobj=io.BytesIO(body)), "utf-8", newline=""))
        found = next(rows, [])
        if tuple(found) != header:
            raise ClaimCheckError(f"{uri}: its header is {found}, not {list(header)}")
        for row_number, row in enumerate(rows, start=1):
            if len(row) != len(header):
                raise ClaimCheckError(f"{uri}: data row {row_number} has {len(row)} cells, not {len(header)}")
            yield row_number, row
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise ClaimCheckError(f"{uri} is not gzip-compressed UTF-8 CSV: {exc}") from None


def _mistyped(uri: str, row: list[str], columns: list[int], header: tuple[str, ...], row_number: int) -> str:
    wrong = next(k for k in columns if not _is_integer(row[k]))
    return f"{uri}: column {header[wrong]!r} must be int, found {row[wrong]!r} in data row {row_number}"


def _is_integer(cell: Any) -> bool:
    try:
        int(cell)
    except ValueError:
        return False
    return True

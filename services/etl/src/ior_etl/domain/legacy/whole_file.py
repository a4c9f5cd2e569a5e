"""A legacy file already in memory, parsed whole by pandas' C parser into a column of text per
header column: about three times sooner than the `csv` module, and no list per row.

The C parser is laxer than the `csv` module's strict reading: it pads a short row with empty cells,
keeps text after a closing quote, ends a cell at a NUL, has no limit on a cell's length and takes a
second byte-order mark for the first. So it reads only a file whose bytes prove, checked over the
whole buffer at once, that both read it alike: CRLF line ends only, no NUL, no empty line but
trailing ones, every quote where minimal quoting puts one, every row as wide as the header and no
cell longer than the `csv` module allows. Any other file is read by `read_legacy_csv`, which refuses
it in the line-by-line reader's words or keeps its rows of the wrong width as problems."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import numpy.typing as npt
import pandas as pd
from ior_contracts.legacy.csv_file import BOM, HEADER_ROW, LegacyTable, read_legacy_csv

Positions = npt.NDArray[np.intp]

_QUOTE, _LF, _CR, _COMMA, _NUL = b'"\n\r,\x00'
_CRLF = b"\r\n"
# Bytes compared at a time: a comparison over a chunk that stays in the cache is several times
# sooner than one over the whole file.
_CHUNK = 1 << 22


def read_table(data: bytes, file: str, header: Sequence[str]) -> LegacyTable:
    """What `read_legacy_csv` reads from the file (rows, numbers, problems and errors alike): by the
    C parser when the file's bytes show it reads them as the `csv` module would, else by it."""
    header = tuple(header)
    columns = parsed_whole(data, header)
    if columns is None:
        return read_legacy_csv(data, file, header)
    numbers = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(columns[0]))
    return LegacyTable(
        file, header, numbers, dict(zip(header, columns, strict=True)), [], RowsOfColumns(numbers, columns)
    )


class RowsOfColumns(Mapping[int, list[str]]):
    """Each data row's cells by its number, made from the columns when asked for: a million-row
    file keeps no list per row."""

    def __init__(self, numbers: range, columns: Sequence[Sequence[str]]) -> None:
        self._numbers, self._columns = numbers, columns

    def __getitem__(self, number: int) -> list[str]:
        if number not in self._numbers:
            raise KeyError(number)
        at = number - self._numbers.start
        return [column[at] for column in self._columns]

    def __iter__(self) -> Iterator[int]:
        return iter(self._numbers)

    def __len__(self) -> int:
        return len(self._numbers)


@dataclass(frozen=True)
class _Layout:
    """Where a file's quotes and line feeds are (counted from after the byte-order mark), and how many
    carriage returns, commas and NULs it has."""

    quotes: Positions
    line_feeds: Positions
    carriage_returns: int
    commas: int
    nuls: int


def _layout(body: npt.NDArray[np.uint8]) -> _Layout:
    quotes, line_feeds = [], []
    carriage_returns = commas = nuls = 0
    for start in range(0, len(body), _CHUNK):
        chunk = body[start : start + _CHUNK]
        quotes.append(np.flatnonzero(chunk == _QUOTE) + start)
        line_feeds.append(np.flatnonzero(chunk == _LF) + start)
        carriage_returns += int(np.count_nonzero(chunk == _CR))
        commas += int(np.count_nonzero(chunk == _COMMA))
        nuls += int(np.count_nonzero(chunk == _NUL))
    empty = np.empty(0, dtype=np.intp)
    return _Layout(
        np.concatenate([empty, *quotes]), np.concatenate([empty, *line_feeds]), carriage_returns, commas, nuls
    )


def parsed_whole(data: bytes, header: Sequence[str]) -> list[list[str]] | None:
    """The data rows' cells, a list per header column, or None for a file the C parser might read
    otherwise than the `csv` module."""
    header = tuple(header)
    if not data.startswith(BOM):
        return None
    end = len(data)
    while data.endswith(_CRLF, 0, end):  # trailing empty lines are ignored, as is the last line end
        end -= len(_CRLF)
    body = np.frombuffer(data, np.uint8, count=end)[len(BOM) :]
    layout = _layout(body)
    if layout.nuls or not _crlf_only(body, layout) or not _quoted_minimally(body, layout.quotes):
        return None
    opening, closing = _quoted_cells(body, layout.quotes)
    if not _within_cell_limit(len(body), layout.line_feeds, opening, closing):
        return None
    # A line feed inside quotes is part of a cell; every other one ends a record.
    inside = np.searchsorted(np.column_stack((opening, closing)).ravel(), layout.line_feeds) % 2 == 1
    records = len(layout.line_feeds) - int(np.count_nonzero(inside)) + 1
    quoted_commas = sum(
        map(data.count, repeat(b","), (opening + len(BOM)).tolist(), (closing + len(BOM)).tolist())
    )
    # The C parser refuses a record wider than the header; so when the commas outside quotes number
    # one fewer than the header's columns per record in all, no record is narrower either.
    if layout.commas - quoted_commas != (len(header) - 1) * records or records < 2:
        return None
    return _c_parsed(data[:end], header, records)


def _crlf_only(body: npt.NDArray[np.uint8], layout: _Layout) -> bool:
    """Every line feed follows a carriage return and every carriage return precedes one, and no line
    is empty (so no record is; an empty line inside a quoted cell is left to the `csv` module too)."""
    feeds = layout.line_feeds
    if len(feeds) != layout.carriage_returns:
        return False
    if not len(feeds):
        return True
    return bool(feeds[0] >= 2 and (body[feeds - 1] == _CR).all() and (np.diff(feeds) > 2).all())


def _quoted_minimally(body: npt.NDArray[np.uint8], quotes: Positions) -> bool:
    """Every quote opens a cell (at its start), closes one (before a comma, a line end or the end of
    the file) or is doubled inside one: counted in order, a quote at an even place opens a cell or
    is the second of a pair, one at an odd place closes a cell or is the first of a pair. The `csv`
    module reads a quote anywhere else as text or refuses the file; the C parser may do neither."""
    if len(quotes) % 2:
        return False
    if not len(quotes):
        return True
    even, odd = quotes[0::2], quotes[1::2]
    before = body[np.maximum(even - 1, 0)]
    after = body[np.minimum(odd + 1, len(body) - 1)]
    opens = (even == 0) | (before == _COMMA) | (before == _LF) | (before == _QUOTE)
    closes = (odd == len(body) - 1) | (after == _COMMA) | (after == _CR) | (after == _QUOTE)
    return bool(opens.all() and closes.all())


def _quoted_cells(body: npt.NDArray[np.uint8], quotes: Positions) -> tuple[Positions, Positions]:
    """The positions of each quoted cell's opening and closing quote, in order (a doubled quote's
    pair is neither)."""
    even, odd = quotes[0::2], quotes[1::2]
    opening = even[(even == 0) | (body[np.maximum(even - 1, 0)] != _QUOTE)]
    closing = odd[(odd == len(body) - 1) | (body[np.minimum(odd + 1, len(body) - 1)] != _QUOTE)]
    return opening, closing


def _within_cell_limit(length: int, line_feeds: Positions, opening: Positions, closing: Positions) -> bool:
    """No cell can be longer than the `csv` module's limit: no line is (an unquoted cell stays on
    its line) and no quoted cell's bytes are (a character is at least a byte)."""
    limit = csv.field_size_limit()
    lines = np.diff(np.concatenate(([-1], line_feeds, [length])))
    quoted = closing - opening
    return bool(lines.max() <= limit and (not len(quoted) or quoted.max() <= limit))


def _c_parsed(text: bytes, header: tuple[str, ...], records: int) -> list[list[str]] | None:
    try:
        frame = pd.read_csv(
            io.BytesIO(text),
            header=None,
            dtype=object,
            engine="c",
            encoding="utf-8",
            quoting=csv.QUOTE_MINIMAL,
            quotechar='"',
            doublequote=True,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, UnicodeDecodeError):
        return None
    cells = [frame[position].to_numpy() for position in range(frame.shape[1])]
    if frame.shape != (records, len(header)) or tuple(column[0] for column in cells) != header:
        return None
    return [column[1:].tolist() for column in cells]

"""A gzip CSV's rows found by the values of some of its columns, in one pass over its text, parsing
only the lines that match: an explanation asks a dataset version of a million rows for a few
hundred. When the columns asked for lead each line (every dataset's key does) and no record spans
lines, each block of whole lines is searched without a Python step per line (every line's first
cell gathered by numpy, the wanted ones found by set intersection and their lines by index);
otherwise each record is read in turn and its cells up to the last column asked for are split (a
line where one of them is quoted is parsed as CSV)."""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import numpy.typing as npt
from isal import isal_zlib

Record = dict[str, str]
Key = tuple[str, ...]
CHUNK = 1 << 20
TEXT_STEP = 1 << 23  # of a kept text: a block about as large as a chunk inflates to
HEAD = 1 << 16  # the header is within the first 64 KiB
KEPT_TEXT = 384 << 20
"""The largest text kept in memory once checked: a version of a million invoice lines is about
150 MB, and each search of it would otherwise inflate it again."""


# Each line's first cell, without its quotes: one match per line of a block of whole lines.
_FIRST_CELL = re.compile(rb'^"?([^,"\n]*)[^\n]*\n', re.MULTILINE)
_QUOTE, _LINE_BREAK, _COMMA = ord('"'), ord("\n"), ord(",")
_GATHERED = 64  # the longest first cell gathered by numpy


class CsvUnreadableError(ValueError):
    """The bytes are not a gzip-compressed UTF-8 CSV with a header."""


class _NotLineRecordsError(Exception):
    """A block where lines are not records one to one; the record-by-record path reads it."""


@dataclass(frozen=True, eq=False)
class GzipCsv:
    """The bytes of a gzip CSV and its header; rows are read when asked for, each found row with
    its position (from 0, in the file's order)."""

    data: bytes
    header: tuple[str, ...]
    text: bytes | None = field(default=None, repr=False)
    """The inflated text, when kept."""
    _found: dict[tuple[str, ...], dict[Key, list[tuple[int, Record]]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _asked: dict[tuple[str, ...], set[Key]] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, data: bytes, *, keep: int = KEPT_TEXT) -> GzipCsv:
        """Checked whole (the gzip CRC, a header); the text is kept when it is at most `keep` bytes,
        so the searches after read it from memory instead of inflating it again. Raises
        `CsvUnreadableError`."""
        kept: list[bytes] = []
        head, size = b"", 0
        try:
            # ISA-L's inflate: 0.19 s against zlib's 0.30 for the 121 MB of a million-line version.
            inflate = isal_zlib.decompressobj(wbits=31)
            for at in range(0, len(data) + 1, CHUNK):
                text = inflate.decompress(data[at : at + CHUNK]) if at < len(data) else inflate.flush()
                head += text[: max(0, HEAD - len(head))]
                size += len(text)
                if size <= keep:
                    kept.append(text)
                else:
                    kept.clear()
            if data and not inflate.eof:
                raise EOFError("the gzip stream ends early")
            line = head.split(b"\n", 1)[0].decode("utf-8")
        except (isal_zlib.error, EOFError, UnicodeDecodeError) as exc:  # type: ignore[misc]  # untyped in isal
            raise CsvUnreadableError(str(exc)) from None
        header = next(csv.reader([line]), [])
        if not header:
            raise CsvUnreadableError("no header")
        return cls(data, tuple(header), b"".join(kept) if size <= keep else None)

    def where(self, columns: tuple[str, ...], values: Iterable[Key]) -> dict[Key, list[tuple[int, Record]]]:
        """Every row whose `columns` hold one of `values`, by those values, with its position; a pass
        over the file reads the values not asked for before, all at once."""
        wanted = set(values)
        if not wanted or any(column not in self.header for column in columns):
            return {}
        found = self._found.setdefault(columns, {})
        asked = self._asked.setdefault(columns, set())
        new = wanted - asked
        if new:
            found.update(self._scan(columns, new))
            asked |= new
        return {key: found[key] for key in wanted if key in found}

    def at(self, positions: Iterable[int]) -> dict[int, Record]:
        """The rows at `positions`."""
        wanted = sorted(set(positions))
        if not wanted:
            return {}
        try:
            return self._at_by_lines(wanted)
        except _NotLineRecordsError:
            found: dict[int, Record] = {}
            for position, line in self._records():
                if position in wanted:
                    found[position] = self._parsed(line)
            return found

    def _at_by_lines(self, wanted: list[int]) -> dict[int, Record]:
        found: dict[int, Record] = {}
        base, next_wanted = 0, 0
        for block in self._blocks():
            # The block's lines by where they start and break (found once, by numpy), none split out.
            count = len(block.starts)
            while next_wanted < len(wanted) and wanted[next_wanted] < base + count:
                found[wanted[next_wanted]] = self._parsed(block.line(wanted[next_wanted] - base))
                next_wanted += 1
            if next_wanted == len(wanted):
                break
            base += count
        return found

    def positions(self) -> set[int]:
        """The positions of every row found so far."""
        return {at for found in self._found.values() for rows in found.values() for at, _ in rows}

    def _scan(self, columns: tuple[str, ...], wanted: set[Key]) -> dict[Key, list[tuple[int, Record]]]:
        places = [self.header.index(column) for column in columns]
        # Compared as bytes: only a matching line is decoded and parsed.
        wanted_bytes = {tuple(cell.encode() for cell in key): key for key in wanted}
        plain = not any(b"," in cell or b'"' in cell for key in wanted_bytes for cell in key)
        if places == list(range(len(places))) and plain:
            try:
                return self._search(len(places), wanted_bytes)
            except _NotLineRecordsError:
                pass
        splits = max(places) + 1
        found: dict[Key, list[tuple[int, Record]]] = {}
        for position, line in self._records():
            cells = line.split(b",", splits)
            if len(cells) < splits or any(cells[i].startswith(b'"') for i in range(splits)):
                parsed = next(csv.reader([line.decode("utf-8", errors="replace")]), [])
                cells = [cell.encode() for cell in parsed]
                if len(cells) < splits:
                    continue
            key = wanted_bytes.get(tuple(cells[i] for i in places))
            if key is not None:
                found.setdefault(key, []).append((position, self._parsed(line)))
        return found

    def _search(
        self, width: int, wanted: dict[tuple[bytes, ...], Key]
    ) -> dict[Key, list[tuple[int, Record]]]:
        """The wanted lines found a block at a time without a Python step per line: every line's first
        cell taken at once, the lines whose first cell is wanted found among them, then checked whole."""
        firsts = {key[0] for key in wanted}
        # Sorted for a binary search of every line's cell at once; a NUL, which numpy's fixed-width
        # bytes would drop from a cell's end, sends the search the way of Python's sets.
        ordered = None if any(b"\0" in first for first in firsts) else np.array(sorted(firsts))
        found: dict[Key, list[tuple[int, Record]]] = {}
        base = 0
        for block in self._blocks():
            for at in _wanted_lines(block, firsts, ordered):
                line = block.line(at).rstrip(b"\r")
                key = wanted.get(tuple(cell.strip(b'"') for cell in line.split(b",", width)[:width]))
                if key is not None:
                    found.setdefault(key, []).append((base + at, self._parsed(line)))
            base += len(block.starts)
        for rows in found.values():
            rows.sort(key=_position)
        return found

    def _blocks(self) -> Iterator[_Lines]:
        """The text after the header in blocks of whole lines, each ending in a line break; raises
        `_NotLineRecordsError` where lines are not records one to one (a quoted line break, a blank line)."""
        carry, header = b"", True
        for piece in chain(self._pieces(), (None,)):
            if piece is None:  # the end: the last line may lack its line break
                block, carry = carry + b"\n" if carry else b"", b""
            else:
                text = carry + piece
                cut = text.rfind(b"\n") + 1
                block, carry = text[:cut], text[cut:]
            if header and block:
                block, header = block[block.index(b"\n") + 1 :], False
            if block:
                yield _Lines.of(block)

    def _pieces(self) -> Iterator[bytes]:
        """The text in pieces: of the kept text, or inflated a chunk at a time."""
        if self.text is not None:
            for at in range(0, len(self.text), TEXT_STEP):
                yield self.text[at : at + TEXT_STEP]
            return
        inflate = isal_zlib.decompressobj(wbits=31)
        for at in range(0, len(self.data), CHUNK):
            yield inflate.decompress(self.data[at : at + CHUNK])
        yield inflate.flush()

    def _parsed(self, line: bytes) -> Record:
        cells = next(csv.reader(io.StringIO(line.decode("utf-8", errors="replace"))), [])
        return dict(zip(self.header, cells + [""] * (len(self.header) - len(cells)), strict=False))

    def _records(self) -> Iterator[tuple[int, bytes]]:
        """Each record after the header, with its position; a quoted line break joins its lines."""
        kept = io.BytesIO(self.text) if self.text is not None else None
        with kept or gzip.GzipFile(fileobj=io.BytesIO(self.data)) as lines:
            next(lines, None)
            position, pending = 0, b""
            for line in lines:
                if pending or line.count(b'"') % 2:
                    pending += line
                    if pending.count(b'"') % 2:
                        continue  # inside a quoted cell: the record goes on
                    line, pending = pending, b""
                record = line.rstrip(b"\r\n")
                if record:
                    yield position, record
                    position += 1


@dataclass(frozen=True)
class _Lines:
    """A block of whole lines, each a record (no blank line, no line break inside quotes), with its
    bytes and where each line starts and breaks: both checks and the search read them once."""

    text: bytes
    bytes_: npt.NDArray[np.uint8]
    starts: npt.NDArray[np.intp]
    breaks: npt.NDArray[np.intp]

    @classmethod
    def of(cls, text: bytes) -> _Lines:
        """Raises `_NotLineRecordsError` where a line is blank or a line break is quoted."""
        bytes_ = np.frombuffer(text, dtype=np.uint8)
        breaks = np.flatnonzero(bytes_ == _LINE_BREAK)
        # A blank line: the block opens with a line break, or two touch.
        if bytes_[0] == _LINE_BREAK or bool((np.diff(breaks) == 1).any()):
            raise _NotLineRecordsError
        if b'"' in text and _quoted_line_break(bytes_, breaks):
            raise _NotLineRecordsError
        return cls(text, bytes_, np.concatenate(([0], breaks[:-1] + 1)), breaks)

    def line(self, number: int) -> bytes:
        """The line `number` (from 0) of the block, without its line break."""
        return self.text[self.starts[number] : self.breaks[number]]

    def first_cells(self) -> list[bytes]:
        """Each line's first cell as `_FIRST_CELL` takes it (up to a comma, quote or line break)."""
        cells = self.gathered_first_cells()
        return cells.tolist() if cells is not None else _FIRST_CELL.findall(self.text)

    def gathered_first_cells(self) -> npt.NDArray[np.bytes_] | None:
        """Each line's first cell as `_FIRST_CELL` takes it, gathered by numpy a byte of every line at
        a time until every cell has ended, the cells then copied at once, zero-padded to the longest
        (fixed-width bytes, whose padding numpy drops). None where the pattern must read the block: a
        line opens with a quote, or a cell is long (a step of its engine per line)."""
        starts = self.starts
        if bool((self.bytes_[starts] == _QUOTE).any()):
            return None
        last = len(self.bytes_) - 1
        going = np.ones(len(starts), dtype=bool)  # the lines whose first cell goes on
        columns: list[npt.NDArray[np.uint8]] = []
        for offset in range(_GATHERED + 1):
            at = starts + offset
            byte = self.bytes_[np.minimum(at, last)]
            going &= (byte != _COMMA) & (byte != _QUOTE) & (at < self.breaks)
            if not going.any():
                break
            if offset == _GATHERED or (offset + 1) * len(starts) > 2 * len(self.text):
                # A long first cell, or one among many short lines: more copied than the block holds.
                return None
            columns.append(np.where(going, byte, 0).astype(np.uint8))
        if not columns:
            return np.zeros(len(starts), dtype="S1")
        cells: npt.NDArray[np.bytes_] = np.stack(columns, axis=1).view(f"S{len(columns)}").ravel()
        return cells


def _quoted_line_break(text: npt.NDArray[np.uint8], breaks: npt.NDArray[np.intp]) -> bool:
    """Whether a line break of a block of whole lines falls inside a quoted cell: an odd number of
    quotes before it. Counted with numpy, a block at a time: a pattern matching each line with an
    odd count took ten seconds over a million-row version whose descriptions are quoted."""
    quotes = np.flatnonzero(text == _QUOTE)
    if not quotes.size:
        return False
    # The quotes before each line break, counted by where it falls among the quotes' positions
    # (a running count over every byte took twice as long).
    quotes_before = np.searchsorted(quotes, breaks)
    return bool((quotes_before & 1).any())


def _wanted_lines(block: _Lines, firsts: set[bytes], ordered: npt.NDArray[np.bytes_] | None) -> list[int]:
    """The lines of `block` whose first cell is one of `firsts` (`ordered`: them sorted, when numpy's
    bytes can hold them). Each line's cell is looked up in the sorted cells at once where numpy
    gathered the cells; a Python step per line (a set's test) took a fifth of the search."""
    cells = block.gathered_first_cells()
    if cells is not None and ordered is not None:
        places = np.minimum(np.searchsorted(ordered, cells), len(ordered) - 1)
        at: list[int] = np.flatnonzero(ordered[places] == cells).tolist()
        return at
    texts = cells.tolist() if cells is not None else _FIRST_CELL.findall(block.text)
    hits = firsts.intersection(texts)
    return [at for at, cell in enumerate(texts) if cell in hits] if hits else []


def _position(row: tuple[int, Record]) -> int:
    return row[0]

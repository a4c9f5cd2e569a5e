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
from ior_contracts.dataset_members import Members
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
    members: Members | None = field(default=None, repr=False)
    """Where its rows are among its gzip members, when its writer said: rows are then read from the
    members that hold them alone."""
    _member_lines: dict[int, _Lines] = field(default_factory=dict, init=False, repr=False)
    _found: dict[tuple[str, ...], dict[Key, list[tuple[int, Record]]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _asked: dict[tuple[str, ...], set[Key]] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, data: bytes, *, keep: int = KEPT_TEXT, members: Members | None = None) -> GzipCsv:
        """Checked whole (the gzip CRC, a header); the text is kept when it is at most `keep` bytes,
        so the searches after read it from memory instead of inflating it again. With `members`, only
        the header's member is read: the object's checksum vouches for the rest, each member is
        checked as it is read, and a million-row version is not inflated for a few hundred rows.
        Raises `CsvUnreadableError`."""
        kept: list[bytes] = []
        head, size = b"", 0
        try:
            if members is not None:
                start, end = members.offsets[0], members.offsets[1]
                pieces: Iterable[bytes] = (_inflated_member(data[start:end]),)
            else:
                pieces = _inflated(data)
            for text in pieces:
                head += text[: max(0, HEAD - len(head))]
                size += len(text)
                if size <= keep:
                    kept.append(text)
                else:
                    kept.clear()
            line = head.split(b"\n", 1)[0].decode("utf-8")
        except (isal_zlib.error, EOFError, UnicodeDecodeError) as exc:  # type: ignore[misc]  # untyped in isal
            raise CsvUnreadableError(str(exc)) from None
        header = next(csv.reader([line]), [])
        if not header:
            raise CsvUnreadableError("no header")
        if members is not None:
            return cls(data, tuple(header), members=members)
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
            if self.members is not None:
                return self._at_in_members(wanted, self.members)
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

    def _at_in_members(self, wanted: list[int], members: Members) -> dict[int, Record]:
        """The rows at `wanted`, each read from the member that holds it."""
        found: dict[int, Record] = {}
        for member, positions in members.holding_rows(wanted).items():
            block, first = self._member(member, members), members.first_row(member)
            for position in positions:
                if position - first < len(block.starts):  # the last member may hold fewer rows
                    found[position] = self._parsed(block.line(position - first))
        return found

    def _member(self, member: int, members: Members) -> _Lines:
        """Row member `member`'s lines; raises `_NotLineRecordsError` where they are not its rows one to
        one (a quoted line break, or not the rows the description says), or it does not inflate."""
        if member not in self._member_lines:
            start, end = members.span(member)
            try:
                block = _Lines.of(_inflated_member(self.data[start:end]))
            except (isal_zlib.error, EOFError, IndexError) as exc:  # type: ignore[misc]  # untyped in isal
                raise _NotLineRecordsError from exc
            lines = len(block.starts)
            if lines != members.rows and not (member == members.count - 1 and 0 < lines < members.rows):
                raise _NotLineRecordsError
            if members.firsts is not None and _first_cell(block.line(0)) != members.firsts[member]:
                raise _NotLineRecordsError  # the description's first cell is not the member's
            self._member_lines[member] = block
        return self._member_lines[member]

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
                if self.members is not None and self.members.firsts is not None:
                    return self._search_members(len(places), wanted_bytes, self.members)
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
        return self._search_blocks(width, wanted, self._numbered_blocks())

    def _numbered_blocks(self) -> Iterator[tuple[int, _Lines]]:
        """`_blocks`, each with the position of its first line; one block held at a time."""
        base = 0
        for block in self._blocks():
            yield base, block
            base += len(block.starts)

    def _search_members(
        self, width: int, wanted: dict[tuple[bytes, ...], Key], members: Members
    ) -> dict[Key, list[tuple[int, Record]]]:
        """As `_search`, over the members whose rows' first cells may be wanted ones."""
        held = members.holding_firsts({key[0] for key in wanted})
        blocks = ((members.first_row(member), self._member(member, members)) for member in held)
        return self._search_blocks(width, wanted, blocks)

    def _search_blocks(
        self, width: int, wanted: dict[tuple[bytes, ...], Key], blocks: Iterable[tuple[int, _Lines]]
    ) -> dict[Key, list[tuple[int, Record]]]:
        """The wanted lines of `blocks` (each with the position of its first line)."""
        firsts = {key[0] for key in wanted}
        # Sorted for a binary search of every line's cell at once; a NUL, which numpy's fixed-width
        # bytes would drop from a cell's end, sends the search the way of Python's sets.
        ordered = None if any(b"\0" in first for first in firsts) else np.array(sorted(firsts))
        found: dict[Key, list[tuple[int, Record]]] = {}
        for base, block in blocks:
            for at in _wanted_lines(block, firsts, ordered):
                line = block.line(at).rstrip(b"\r")
                key = wanted.get(tuple(cell.strip(b'"') for cell in line.split(b",", width)[:width]))
                if key is not None:
                    found.setdefault(key, []).append((base + at, self._parsed(line)))
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
        yield from _inflated(self.data)

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


def _first_cell(line: bytes) -> bytes:
    """A line's first cell, unquoted."""
    if not line.startswith(b'"'):
        return line.split(b",", 1)[0].rstrip(b"\r")
    return next(csv.reader([line.decode("utf-8", errors="replace")]), [""])[0].encode("utf-8")


def _inflated(data: bytes) -> Iterator[bytes]:
    """The text of each gzip member of `data` in turn, `CHUNK` compressed bytes at a time (ISA-L's
    inflate: 0.19 s against zlib's 0.30 for the 121 MB of a million-line version). Raises
    `isal_zlib.error` or, where the last member is cut short, `EOFError`."""
    inflate, fed = isal_zlib.decompressobj(wbits=31), False
    view = memoryview(data)
    for at in range(0, len(data), CHUNK):
        pending: bytes | memoryview = view[at : at + CHUNK]
        while pending:
            yield inflate.decompress(pending)
            fed = True
            if not inflate.eof:
                break
            # A member ended: what the inflater was given after it opens the next.
            pending, inflate, fed = inflate.unused_data, isal_zlib.decompressobj(wbits=31), False
    if fed:
        raise EOFError("the gzip stream ends early")


def _inflated_member(data: bytes) -> bytes:
    """One whole gzip member's text; raises where it is anything else."""
    inflate = isal_zlib.decompressobj(wbits=31)
    text: bytes = inflate.decompress(data)
    if not inflate.eof or inflate.unused_data:
        raise EOFError("not one whole gzip member")
    return text


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

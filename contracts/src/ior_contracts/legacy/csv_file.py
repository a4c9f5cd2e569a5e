"""A legacy CSV read to its pinned format: UTF-8 with a byte-order mark, CRLF line ends, comma
separated, minimal double quoting, the exact header (case and spaces matter); trailing empty lines
are ignored.

A break of the format that spoils the whole file (encoding, byte-order mark, line ends, header,
quoting) raises `LegacyFileError` naming the file, the column and, when there is one, the row. So do
a file with nothing in it (`empty_file`) and one with its header but no data row (`no_rows`): the
upload check, `ior upload` and the ETL all read through here, so each says so in the same words. A
row with the wrong number of fields is only that row's problem: it is returned with the others.

The file is read line by line (`records`), so a large one can be checked as it streams in without
being held in memory; `read_legacy_csv` keeps every row of a file already in memory, read whole and
by column when the file keeps its format, else through `records` for the same errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

BOM = b"\xef\xbb\xbf"
HEADER_ROW = 1
EMPTY_FILE = "empty_file"
NO_ROWS = "no_rows"
"""The rule of a file with a header and no data row: the ETL's name for a dataset built from none."""


class LegacyFileError(ValueError):
    """A legacy file breaks its pinned format as a whole. `rule` names the break when it has a
    name of its own (`empty_file`, `no_rows`); else the reader's caller gives it its own."""

    def __init__(
        self, file: str, column: str, message: str, row: int | None = None, *, rule: str | None = None
    ) -> None:
        self.file, self.column, self.row, self.rule = file, column, row, rule
        where = f"{file}, row {row}, column {column}" if row is not None else f"{file}, column {column}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Problem:
    """One unreadable cell or row: where, which rule, and why."""

    row: int
    column: str
    rule: str
    message: str


@dataclass(frozen=True)
class Row:
    number: int  # as Excel shows it
    cells: dict[str, str]


@dataclass(frozen=True)
class LegacyTable:
    """A file's data rows as columns: the rows of the header's width, each column's cells in row
    order (`numbers` their row numbers); the others are `problems`."""

    file: str
    header: tuple[str, ...]
    numbers: Sequence[int]
    columns: dict[str, list[str]]
    problems: list[Problem] = field(default_factory=list)
    raw: Mapping[int, list[str]] = field(default_factory=dict)  # every data row as read, by number


def read_legacy_csv(data: bytes, file: str, header: Sequence[str]) -> LegacyTable:
    """The file's data rows, each with its Excel row number; rows of the wrong width as problems.

    A file in its format is read whole by the `csv` module with the format's checks made over the
    whole text; only a file that breaks one is read line by line, to name the first row that does
    (`records`, the same reader as a streamed check's)."""
    header = tuple(header)
    cells = _in_bulk(data, header)
    if cells is not None:
        numbers: Sequence[int] = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(cells))
    else:
        # A binary buffer iterates by LF, each line with its end: the lines `legacy_lines` makes.
        numbered = list(records(io.BytesIO(data), file, header))
        numbers, cells = [n for n, _ in numbered], [c for _, c in numbered]
    width = len(header)
    if set(map(len, cells)) <= {width}:
        kept, fitting, problems = list(numbers), cells, []
    else:
        read = [row_of(n, c, header) for n, c in zip(numbers, cells, strict=True) if len(c) != width]
        problems = [r for r in read if isinstance(r, Problem)]
        kept = [n for n, c in zip(numbers, cells, strict=True) if len(c) == width]
        fitting = [c for c in cells if len(c) == width]
    columns = {name: list(map(itemgetter(i), fitting)) for i, name in enumerate(header)}
    return LegacyTable(file, header, kept, columns, problems, dict(zip(numbers, cells, strict=True)))


def _in_bulk(data: bytes, header: tuple[str, ...]) -> list[list[str]] | None:
    """The data records (numbered from the row after the header), as `records` reads them, of a file
    that keeps every rule of its format checked over the whole text at once; None for any other."""
    if not data.startswith(BOM):
        return None
    try:
        text = data[len(BOM) :].decode("utf-8")
    except UnicodeDecodeError:
        return None
    crlf = text.count("\r\n")
    if text.count("\n") != crlf or text.count("\r") != crlf:  # a bare LF or a stray CR
        return None
    try:
        # Every CR stands in a CRLF, so the lines split where the line-by-line reader splits them.
        found = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    while found and not found[-1]:  # trailing empty lines are ignored
        found.pop()
    if len(found) < 2 or tuple(found[0]) != header:
        return None
    del found[0]
    return found


def row_of(number: int, cells: list[str], header: tuple[str, ...]) -> Row | Problem:
    """A data record as a row, or the problem of its width."""
    if len(cells) == len(header):
        return Row(number, dict(zip(header, cells, strict=True)))
    if not cells or cells == [""]:
        message = "the row is empty"
    else:
        message = f"the row has {len(cells)} fields where the header has {len(header)}"
    column = header[len(cells)] if len(cells) < len(header) else header[-1]
    return Problem(number, column, "wrong_field_count", message)


def legacy_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A file's physical lines from its bytes in chunks (as S3 streams them): split at LF only, each
    with its line end, so a stray CR is still seen."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        start = 0
        while (end := pending.find(b"\n", start)) != -1:
            yield pending[start : end + 1]
            start = end + 1
        pending = pending[start:]
    if pending:
        yield pending


def records(lines: Iterable[bytes], file: str, header: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Each data record with its row number, after the header, from the file's physical lines. The
    byte-order mark, the encoding, the line ends, the quoting and the header are checked as the
    lines come (`LegacyFileError`); trailing empty lines are dropped."""
    header = tuple(header)
    reader = csv.reader(_text_lines(lines, file, header), strict=True)
    number = HEADER_ROW - 1
    empty: list[int] = []  # empty records not yet known to be trailing
    data_rows = 0
    try:
        for number, cells in enumerate(reader, start=HEADER_ROW):
            if not cells:
                empty.append(number)
                continue
            for blank in empty:
                data_rows += 1
                yield from _checked(blank, [], file, header)
            empty = []
            data_rows += number != HEADER_ROW
            yield from _checked(number, cells, file, header)
    except csv.Error as exc:
        raise LegacyFileError(file, header[0], f"the row is not valid CSV ({exc})", number + 1) from None
    if number < HEADER_ROW or empty[:1] == [HEADER_ROW]:
        raise _empty(file, header)
    if not data_rows:
        raise LegacyFileError(
            file, header[0], "the file has its header but no data rows", HEADER_ROW + 1, rule=NO_ROWS
        )


def _checked(
    number: int, cells: list[str], file: str, header: tuple[str, ...]
) -> Iterator[tuple[int, list[str]]]:
    if number != HEADER_ROW:
        yield number, cells
    elif tuple(cells) != header:
        raise LegacyFileError(file, *_header_mismatch(cells, header), HEADER_ROW)


def _text_lines(lines: Iterable[bytes], file: str, header: tuple[str, ...]) -> Iterator[str]:
    number = 0
    # Blank lines without a byte-order mark: an empty file, unless something follows them.
    blank_without_bom = False
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(BOM):
            line = line[len(BOM) :]
        elif number == 1 or blank_without_bom:
            if line.strip(b"\r\n"):
                raise _without_bom(file, header)
            blank_without_bom = True
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = _column_at(header, line[: exc.start].count(b","))
            raise LegacyFileError(file, column, f"byte {line[exc.start]:#04x} is not UTF-8", number) from None
        _check_line_end(text, number, file, header)
        yield text
    if number == 0 or blank_without_bom:
        raise _empty(file, header)


def _empty(file: str, header: tuple[str, ...]) -> LegacyFileError:
    return LegacyFileError(file, header[0], "the file is empty", rule=EMPTY_FILE)


def _without_bom(file: str, header: tuple[str, ...]) -> LegacyFileError:
    return LegacyFileError(
        file, header[0], "the file does not start with a UTF-8 byte-order mark", HEADER_ROW
    )


def _check_line_end(text: str, number: int, file: str, header: tuple[str, ...]) -> None:
    if text.endswith("\n") and not text.endswith("\r\n"):
        raise LegacyFileError(file, header[-1], "the line ends with LF where CRLF is expected", number)
    if "\r" in text.removesuffix("\r\n"):
        raise LegacyFileError(file, header[-1], "a carriage return stands outside a CRLF line end", number)


def _header_mismatch(found: Sequence[str], expected: tuple[str, ...]) -> tuple[str, str]:
    """(column, message) for the first difference between the header found and the pinned one."""
    for position, name in enumerate(expected):
        if position >= len(found):
            return name, f"the header lacks column {name!r} (expected: {','.join(expected)})"
        if found[position] != name:
            return name, f"header column {position + 1} is {found[position]!r} where {name!r} is expected"
    return found[
        len(expected)
    ], f"the header has an unexpected column {found[len(expected)]!r} after {expected[-1]!r}"


def _column_at(header: tuple[str, ...], commas: int) -> str:
    return header[min(commas, len(header) - 1)]

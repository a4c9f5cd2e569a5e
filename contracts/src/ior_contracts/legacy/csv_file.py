"""A legacy CSV read to its pinned format: UTF-8 with a byte-order mark, CRLF line ends, comma
separated, minimal double quoting, the exact header (case and spaces matter); trailing empty lines
are ignored.

A break of the format that spoils the whole file (encoding, byte-order mark, line ends, header,
quoting) raises `LegacyFileError` naming the file, the column and, when there is one, the row. So do
a file with nothing in it (`empty_file`) and one with its header but no data row (`no_rows`): the
upload check, `ior upload` and the ETL all read through here, so each says so in the same words. A
row with the wrong number of fields is only that row's problem: it is returned with the others."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

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
    file: str
    header: tuple[str, ...]
    rows: list[Row]
    problems: list[Problem] = field(default_factory=list)
    raw: dict[int, list[str]] = field(default_factory=dict)  # every data row as read, by number


def read_legacy_csv(data: bytes, file: str, header: Sequence[str]) -> LegacyTable:
    """The file's data rows, each with its Excel row number; rows of the wrong width as problems."""
    header = tuple(header)
    if not data.removeprefix(BOM).strip(b"\r\n"):
        raise LegacyFileError(file, header[0], "the file is empty", rule=EMPTY_FILE)
    if not data.startswith(BOM):
        raise LegacyFileError(
            file, header[0], "the file does not start with a UTF-8 byte-order mark", HEADER_ROW
        )
    body = data[len(BOM) :]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = body[: exc.start].count(b"\n") + 1
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        column = _column_at(header, body[line_start : exc.start].count(b","))
        raise LegacyFileError(file, column, f"byte {body[exc.start]:#04x} is not UTF-8", row) from None
    _check_line_ends(text, file, header)
    text = text.rstrip("\r\n")
    records = list(_records(text, file, header))
    if not records or tuple(records[0][1]) != header:
        found = records[0][1] if records else []
        raise LegacyFileError(file, *_header_mismatch(found, header), HEADER_ROW)
    if len(records) == 1:
        raise LegacyFileError(
            file, header[0], "the file has its header but no data rows", HEADER_ROW + 1, rule=NO_ROWS
        )
    rows: list[Row] = []
    problems: list[Problem] = []
    raw: dict[int, list[str]] = {}
    for number, cells in records[1:]:
        raw[number] = cells
        if len(cells) == len(header):
            rows.append(Row(number, dict(zip(header, cells, strict=True))))
            continue
        if not cells or cells == [""]:
            message = "the row is empty"
        else:
            message = f"the row has {len(cells)} fields where the header has {len(header)}"
        column = header[len(cells)] if len(cells) < len(header) else header[-1]
        problems.append(Problem(number, column, "wrong_field_count", message))
    return LegacyTable(file, header, rows, problems, raw)


def _records(text: str, file: str, header: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records = []
    try:
        for number, cells in enumerate(reader, start=HEADER_ROW):
            records.append((number, cells))
    except csv.Error as exc:
        raise LegacyFileError(
            file, header[0], f"the row is not valid CSV ({exc})", len(records) + 1
        ) from None
    return records


_BARE_LF = re.compile(r"(?<!\r)\n")
_BARE_CR = re.compile(r"\r(?!\n)")


def _check_line_ends(text: str, file: str, header: tuple[str, ...]) -> None:
    for pattern, message in (
        (_BARE_LF, "the line ends with LF where CRLF is expected"),
        (_BARE_CR, "a carriage return stands outside a CRLF line end"),
    ):
        found = pattern.search(text)
        if found is not None:
            raise LegacyFileError(file, header[-1], message, text.count("\n", 0, found.start()) + 1)


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

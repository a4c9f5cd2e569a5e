"""A legacy file in memory is read whole, in bulk; the line-by-line reader (`records`, which a
streamed check uses) stays the reference: the same rows, numbers, problems and errors."""

from __future__ import annotations

import io

import pytest
from ior_contracts.legacy.csv_file import (
    BOM,
    LegacyFileError,
    Problem,
    read_legacy_csv,
    records,
    row_of,
)

FILE = "Sample.csv"
HEADER = ("Code", "Name", "Amount")


def _file(*lines: str, end: str = "\r\n") -> bytes:
    return BOM + end.join(lines).encode("utf-8")


def _line_by_line(data: bytes) -> tuple[list[int], dict[str, list[str]], list[Problem], dict[int, list[str]]]:
    numbered = list(records(io.BytesIO(data), FILE, HEADER))
    read = [(n, row_of(n, cells, HEADER)) for n, cells in numbered]
    fitting = [(n, cells) for n, cells in numbered if len(cells) == len(HEADER)]
    columns = {name: [cells[i] for _, cells in fitting] for i, name in enumerate(HEADER)}
    problems = [r for _, r in read if isinstance(r, Problem)]
    return [n for n, _ in fitting], columns, problems, dict(numbered)


READABLE = {
    "plain": _file("Code,Name,Amount", "A1,Bolt,1.5", "A2,Nut,2", ""),
    "no final line end": _file("Code,Name,Amount", "A1,Bolt,1.5", "A2,Nut,2"),
    "trailing empty lines": _file("Code,Name,Amount", "A1,Bolt,1.5", "", "", ""),
    "quoted commas, quotes and line breaks": _file(
        "Code,Name,Amount", 'A1,"Bolt, ""M8""",1.5', 'A2,"two\r\nlines",2', ""
    ),
    "rows of the wrong width and an empty row": _file(
        "Code,Name,Amount", "A1,Bolt", "", "A2,Nut,2,extra", "A3,Washer,3", ""
    ),
    "non-ASCII text": _file("Code,Name,Amount", "A1,Schraube Ø8 – verzinkt,1", ""),
}


@pytest.mark.parametrize("data", READABLE.values(), ids=READABLE.keys())
def test_a_readable_file_in_bulk_gives_what_the_line_by_line_reader_gives(data):
    # GIVEN a file in its pinned format, with whatever rows it has
    numbers, columns, problems, raw = _line_by_line(data)
    # WHEN it is read whole
    table = read_legacy_csv(data, FILE, HEADER)
    # THEN its rows, their numbers, its problems and its raw rows are the line-by-line reader's
    assert (table.numbers, table.columns, table.problems, table.raw) == (numbers, columns, problems, raw)


BROKEN = {
    "no byte-order mark": b"Code,Name,Amount\r\nA1,Bolt,1\r\n",
    "a bare LF": _file("Code,Name,Amount", "A1,Bolt,1", "A2,Nut,2\nA3,Washer,3", ""),
    "a stray CR inside a cell": _file("Code,Name,Amount", 'A1,"Bo\rlt",1', ""),
    "a CR at the end of the file": _file("Code,Name,Amount", "A1,Bolt,1\r"),
    "bytes that are not UTF-8": BOM + b"Code,Name,Amount\r\nA1,Bolt,1\r\nA2,N\xffut,2\r\n",
    "a wrong header": _file("Code,Title,Amount", "A1,Bolt,1", ""),
    "an unclosed quote": _file("Code,Name,Amount", 'A1,"Bolt,1', "A2,Nut,2", ""),
    "text after a closing quote": _file("Code,Name,Amount", 'A1,"Bolt"x,1', ""),
    "a header and no rows": _file("Code,Name,Amount", "", ""),
    "nothing but a byte-order mark": BOM,
}


@pytest.mark.parametrize("data", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_is_refused_in_the_line_by_line_readers_words(data):
    # GIVEN a file that breaks its pinned format; the line-by-line reader names the break
    with pytest.raises(LegacyFileError) as line_by_line:
        list(records(io.BytesIO(data), FILE, HEADER))
    # WHEN it is read whole
    with pytest.raises(LegacyFileError) as whole:
        read_legacy_csv(data, FILE, HEADER)
    # THEN it is refused with the same message, row, column and rule
    found, expected = whole.value, line_by_line.value
    assert (str(found), found.row, found.column, found.rule) == (
        str(expected),
        expected.row,
        expected.column,
        expected.rule,
    )

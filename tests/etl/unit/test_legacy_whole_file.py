"""The ETL reads a legacy file in memory by pandas' C parser when the file's bytes show it reads
them as the `csv` module would; `read_legacy_csv` (the `csv` module, and the line-by-line reader for a
broken file) stays the reference: the same rows, numbers, problems and errors, whichever reads."""

from __future__ import annotations

import csv

import pytest
from ior_contracts.legacy.csv_file import BOM, LegacyFileError, read_legacy_csv
from ior_etl.domain.legacy.whole_file import parsed_whole, read_table

FILE = "Sample.csv"
HEADER = ("Code", "Name", "Amount")


def _file(*lines: str, end: str = "\r\n") -> bytes:
    return BOM + end.join(lines).encode("utf-8")


# Files the C parser reads, as the `csv` module does.
PARSED_WHOLE = {
    "plain": _file("Code,Name,Amount", "A1,Bolt,1.5", "A2,Nut,2", ""),
    "no final line end": _file("Code,Name,Amount", "A1,Bolt,1.5", "A2,Nut,2"),
    "trailing empty lines": _file("Code,Name,Amount", "A1,Bolt,1.5", "", "", ""),
    "a quoted header": _file('"Code","Name",Amount', "A1,Bolt,1.5", ""),
    "quoted commas and doubled quotes": _file(
        "Code,Name,Amount", 'A1,"Bolt, ""M8""",1.5', 'A2,"""",2', 'A3,""""""," 1,000 "'
    ),
    "a quoted line break": _file("Code,Name,Amount", 'A1,"two\r\nlines",2', 'A2,"three\r\nshort\r\nlines",3'),
    "a quoted cell first and last on its row": _file("Code,Name,Amount", '"A1",Bolt,"1,5"', '"A2",Nut,"2"'),
    "empty cells, quoted or not, and a trailing empty field": _file(
        "Code,Name,Amount", 'A1,"",', ",,", '"",Nut,""'
    ),
    "non-ASCII text": _file("Code,Name,Amount", "A1,Schraube Ø8 – verzinkt,1", ""),
}

# Files the C parser would read otherwise, or refuse where the `csv` module reads them.
LEFT_TO_THE_CSV_MODULE = {
    "a row with one field too few": _file("Code,Name,Amount", "A1,Bolt", "A2,Nut,2", ""),
    "a row with one field too many": _file("Code,Name,Amount", "A1,Bolt,1,extra", "A2,Nut,2", ""),
    "one row too wide and one too narrow": _file("Code,Name,Amount", "A1,Bolt,1,extra", "A2,Nut", ""),
    "an empty row between rows": _file("Code,Name,Amount", "A1,Bolt,1", "", "A2,Nut,2", ""),
    "an empty line inside a quoted cell": _file("Code,Name,Amount", 'A1,"two\r\n\r\nlines",1', ""),
    "a NUL in a cell": _file("Code,Name,Amount", "A1,Bo\x00lt,1", ""),
    "a quote inside an unquoted cell": _file("Code,Name,Amount", 'A1,Bolt 8",1', ""),
    "a quote opening inside a cell": _file("Code,Name,Amount", 'A1,M"8, x",1', ""),
    "text after a closing quote": _file("Code,Name,Amount", 'A1,"Bolt"x,1', ""),
    "an unclosed quote": _file("Code,Name,Amount", 'A1,"Bolt,1', "A2,Nut,2", ""),
    "a second byte-order mark": _file("\ufeffCode,Name,Amount", "A1,Bolt,1", ""),
    "a cell longer than the csv module allows": _file(
        "Code,Name,Amount", f"A1,{'x' * (csv.field_size_limit() + 1)},1", ""
    ),
    "a quoted cell longer than the csv module allows": _file(
        "Code,Name,Amount", f'A1,"{"x," * (csv.field_size_limit() // 2 + 1)}",1', ""
    ),
    "a bare LF": _file("Code,Name,Amount", "A1,Bolt,1", "A2,Nut,2\nA3,Washer,3", ""),
    "a stray CR inside a cell": _file("Code,Name,Amount", 'A1,"Bo\rlt",1', ""),
    "a CR at the end of the file": _file("Code,Name,Amount", "A1,Bolt,1\r"),
    "bytes that are not UTF-8": BOM + b"Code,Name,Amount\r\nA1,Bolt,1\r\nA2,N\xffut,2\r\n",
    "no byte-order mark": b"Code,Name,Amount\r\nA1,Bolt,1\r\n",
    "a wrong header": _file("Code,Title,Amount", "A1,Bolt,1", ""),
    "a header one column short": _file("Code,Name", "A1,Bolt", ""),
    "a header and no rows": _file("Code,Name,Amount", "", ""),
    "an empty first line": _file("", "Code,Name,Amount", "A1,Bolt,1", ""),
    "nothing but a byte-order mark": BOM,
}


def _read(reader, data):
    """What a reader makes of the file: its rows, their numbers, its problems and its raw rows, or
    the error it refuses the file with (message, row, column and rule)."""
    try:
        table = reader(data, FILE, HEADER)
    except LegacyFileError as exc:
        return (str(exc), exc.row, exc.column, exc.rule)
    return (list(table.numbers), table.columns, table.problems, dict(table.raw))


@pytest.mark.parametrize("data", PARSED_WHOLE.values(), ids=PARSED_WHOLE.keys())
def test_a_file_in_its_format_is_parsed_whole_into_what_the_csv_module_reads(data):
    # GIVEN a file in its pinned format, quoted as minimal quoting quotes
    # WHEN the ETL reads it
    columns = parsed_whole(data, HEADER)
    # THEN the C parser reads it, into the rows the csv module reads
    assert columns is not None
    assert _read(read_table, data) == _read(read_legacy_csv, data)


@pytest.mark.parametrize("data", LEFT_TO_THE_CSV_MODULE.values(), ids=LEFT_TO_THE_CSV_MODULE.keys())
def test_a_file_the_c_parser_might_read_otherwise_is_read_as_the_csv_module_reads_it(data):
    # GIVEN a file whose bytes the C parser would read otherwise than the csv module, or refuse
    # WHEN the ETL reads it
    columns = parsed_whole(data, HEADER)
    # THEN the C parser leaves it, and its rows, problems or refusal are the csv module's
    assert columns is None
    assert _read(read_table, data) == _read(read_legacy_csv, data)


def test_a_row_parsed_whole_is_made_from_its_columns_only_when_asked_for():
    # GIVEN a file parsed whole
    table = read_table(PARSED_WHOLE["plain"], FILE, HEADER)
    # WHEN its rows are asked for by number, including one it does not have
    # THEN each is its cells in header order, and a number outside the rows is not there
    assert (table.raw[2], table.raw[3], table.raw.get(4), table.raw.get(1)) == (
        ["A1", "Bolt", "1.5"],
        ["A2", "Nut", "2"],
        None,
        None,
    )

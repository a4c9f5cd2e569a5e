"""A gzip CSV's rows found by key without parsing the others: quoted cells, quoted line breaks and
broken bytes."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ior_compare.domain import csv_rows
from ior_compare.domain.csv_rows import (
    _FIRST_CELL,
    KEPT_TEXT,
    CsvUnreadableError,
    GzipCsv,
    _Lines,
    _NotLineRecordsError,
)

TEXT = (
    "hts10,description,general_rate\n"
    '8517620090,"Routers, switches",0\n'
    '7326908688,"Steel ""articles""\nof iron",0.029\n'
    '"8536698000",Plugs,0.027\n'
    "8504409520,Power supplies,0\n"
)


@pytest.mark.parametrize("keep", [0, KEPT_TEXT], ids=["inflated again", "kept"])
def test_rows_after_quoted_commas_quotes_and_line_breaks_are_found_whole_at_their_positions(
    keep: int,
) -> None:
    table = GzipCsv.of(gzip.compress(TEXT.encode(), mtime=0), keep=keep)
    # WHEN rows are asked for by HTS number, one of them quoted in the file
    found = table.where(("hts10",), [("7326908688",), ("8536698000",), ("8504409520",), ("0000000000",)])
    # THEN each is parsed whole, its position counting records rather than lines
    assert found[("7326908688",)] == [
        (1, {"hts10": "7326908688", "description": 'Steel "articles"\nof iron', "general_rate": "0.029"})
    ]
    assert found[("8536698000",)][0][0] == 2
    assert found[("8504409520",)] == [
        (3, {"hts10": "8504409520", "description": "Power supplies", "general_rate": "0"})
    ]
    assert ("0000000000",) not in found
    # AND rows are found by position too, and columns the file lacks find nothing
    assert table.at([0])[0]["description"] == "Routers, switches"
    assert table.where(("material",), [("1",)]) == {}


@pytest.mark.parametrize("keep", [0, KEPT_TEXT], ids=["inflated again", "kept"])
def test_lines_that_are_records_are_searched_whole_blocks_at_a_time_with_the_same_answers(keep: int) -> None:
    # GIVEN a version of many lines, none breaking inside a quoted cell, one key quoted, a cell with a comma
    rows = [f'{90000000 + n},{n % 4 + 1}0,"Plug, kind {n}",0.{n % 7}' for n in range(30_000)]
    rows[20_000] = '"90020000","10",Quoted key,0.5'
    text = "document,item,description,rate\n" + "\n".join(rows) + "\n"
    table = GzipCsv.of(gzip.compress(text.encode(), mtime=0), keep=keep)
    # WHEN rows far apart are asked for, by key and by position
    found = table.where(("document", "item"), [("90000001", "20"), ("90020000", "10"), ("90029999", "40")])
    # THEN each is found at its record's position, parsed whole, the quoted key too
    assert found[("90000001", "20")] == [
        (1, {"document": "90000001", "item": "20", "description": "Plug, kind 1", "rate": "0.1"})
    ]
    assert found[("90020000", "10")][0] == (
        20_000,
        {"document": "90020000", "item": "10", "description": "Quoted key", "rate": "0.5"},
    )
    assert found[("90029999", "40")][0][0] == 29_999
    assert table.at([29_999, 0])[29_999]["description"] == "Plug, kind 29999"
    assert table.at([0])[0]["document"] == "90000000"


@pytest.mark.parametrize(
    "data",
    [b"not gzip", gzip.compress(TEXT.encode(), mtime=0)[:-12], gzip.compress(b"", mtime=0)],
    ids=["not gzip", "cut short", "no header"],
)
def test_bytes_that_are_not_a_whole_gzip_csv_with_a_header_are_refused(data: bytes) -> None:
    with pytest.raises(CsvUnreadableError):
        GzipCsv.of(data)


@pytest.mark.parametrize("keep", [0, KEPT_TEXT], ids=["inflated again", "kept"])
def test_a_quoted_line_break_after_hundreds_of_quoted_cells_is_still_read_as_one_record(keep: int) -> None:
    # GIVEN 300 quoted cells (600 quotes, more than a byte counts) and then a line break inside quotes
    rows = [f'{n},"Plug, kind {n}"' for n in range(300)]
    rows.append('300,"Steel\narticles"')
    rows.append('301,"Plug, kind 301"')
    text = "hts10,description\n" + "\n".join(rows) + "\n"
    table = GzipCsv.of(gzip.compress(text.encode(), mtime=0), keep=keep)
    # WHEN the rows after it are asked for
    found = table.where(("hts10",), [("300",), ("301",)])
    # THEN the broken cell is one record and the next row keeps its position
    assert found[("300",)] == [(300, {"hts10": "300", "description": "Steel\narticles"})]
    assert found[("301",)][0][0] == 301


def test_a_text_is_kept_once_checked_only_up_to_the_size_kept() -> None:
    # GIVEN a gzip CSV
    data = gzip.compress(TEXT.encode(), mtime=0)
    # WHEN it is checked with room for its text, and with less
    # THEN the text is kept whole in the first case only, and both find the same rows
    assert GzipCsv.of(data).text == TEXT.encode()
    assert GzipCsv.of(data, keep=len(TEXT) - 1).text is None
    key = [("8517620090",), ("8536698000",)]
    found = GzipCsv.of(data).where(("hts10",), key)
    assert found == GzipCsv.of(data, keep=0).where(("hts10",), key)
    assert sorted(found) == sorted(key)


_LINE = st.text(alphabet=st.sampled_from(list('a1,"\r é€')), max_size=12)


@given(st.lists(_LINE, min_size=1, max_size=40))
def test_each_lines_first_cell_is_gathered_as_the_pattern_takes_it(lines: list[str]) -> None:
    # GIVEN a block of whole lines of commas, quotes, carriage returns and multi-byte text
    block = "".join(line + "\n" for line in lines).encode()
    try:
        gathered = _Lines.of(block)
    except _NotLineRecordsError:
        assume(False)  # a blank line or a quoted line break: the record-by-record path reads it
        return
    # THEN every line's first cell is the pattern's, whether numpy gathers them or the pattern does
    assert gathered.first_cells() == _FIRST_CELL.findall(block)


def test_first_cells_are_gathered_without_the_pattern_when_no_line_opens_with_a_quote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN lines of varied first cells, one empty, one ending at a quote, one at a carriage return
    block = b'90001,a\n,b\n12"3",c\n7\r\n\xc3\xa9t\xc3\xa9,d\n'

    class Refused:
        def findall(self, text: bytes) -> list[bytes]:
            raise AssertionError("the pattern was used")

    monkeypatch.setattr(csv_rows, "_FIRST_CELL", Refused())
    # THEN numpy gathers them, as the pattern would have taken them
    lines = _Lines.of(block)
    assert lines.first_cells() == [b"90001", b"", b"12", b"7\r", "été".encode()]


@pytest.mark.parametrize(
    "block",
    [b"k" * 100 + b",a\n1,b\n", b"1\n2\n3\n4\n" * 10 + b"k" * 30 + b",a\n"],
    ids=["a first cell longer than gathered", "a long cell among many short lines"],
)
def test_a_block_numpy_would_copy_too_much_of_is_read_by_the_pattern_alike(block: bytes) -> None:
    lines = _Lines.of(block)
    assert lines.first_cells() == _FIRST_CELL.findall(block)

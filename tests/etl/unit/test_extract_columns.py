"""Records → text columns: records holding every field are taken column by column in C
(`columns_at_once`); any other set of records goes record by record (`columns_by_record`), and the
frame, its values and its errors are the same either way. A block of lines is parsed by orjson when
its values are text and nulls, else by the standard library: the columns are the same either way."""

from __future__ import annotations

import gc
import gzip
import json
from collections.abc import Mapping, Sequence

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_etl.domain import extracts
from ior_etl.domain.extracts import (
    ExtractError,
    columns_at_once,
    columns_by_block,
    columns_by_record,
    columns_frame,
    read_extract,
    records_frame,
)
from ior_etl.domain.sap_fields import ZEMM005

from tests.etl.unit.records import material


def _record_by_record(records: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    """The frame as the per-record path makes it, for comparison."""
    return columns_frame(columns_by_record(records, ZEMM005), ZEMM005, range(1, len(records) + 1))


def _as_text(value: object) -> str:
    """What a value becomes, as the extracts' rule says: blank for null, text as is, else its JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def test_records_with_every_field_give_the_same_frame_taken_at_once_as_record_by_record() -> None:
    # GIVEN records holding every field, with extra fields, nulls and values that are not text
    records: list[Mapping[str, object]] = [
        material("10000004", ZZEXTRA="ignored"),
        {**material("10000005"), "MAKTX": None, "STAWN": 8504409520, "MEINS": True},
        {**material("10000006"), "HERKL": {"country": "CN"}, "MTART": [1, "FERT"], "STAWN": 1.5},
    ]
    # WHEN they are taken at once and made into a frame
    at_once = columns_at_once(records, ZEMM005.fields)
    frame = records_frame(records, ZEMM005)
    # THEN the columns were taken at once, and the frame is the record-by-record one
    assert at_once is not None
    pd.testing.assert_frame_equal(frame, _record_by_record(records))
    # AND every value is text by the extracts' rule
    for field in ZEMM005.fields:
        assert frame[field].tolist() == [_as_text(r[field]) for r in records]


def test_a_record_without_some_field_goes_record_by_record_its_value_blank() -> None:
    # GIVEN two records, the second without HERKL
    second = material("10000005")
    del second["HERKL"]
    records = [material("10000004"), second]
    # WHEN they are made into a frame
    frame = records_frame(records, ZEMM005)
    # THEN they could not be taken at once, and the missing value is blank as record by record
    assert columns_at_once(records, ZEMM005.fields) is None
    pd.testing.assert_frame_equal(frame, _record_by_record(records))
    assert frame["HERKL"].tolist() == ["CN", ""]


def test_a_field_absent_from_every_record_is_named_as_before() -> None:
    # GIVEN records none of which has HERKL nor STAWN
    records = [{k: v for k, v in material(n).items() if k not in ("HERKL", "STAWN")} for n in ("1", "2")]
    # WHEN they are made into a frame, and record by record
    with pytest.raises(ExtractError) as fast:
        records_frame(records, ZEMM005)
    with pytest.raises(ExtractError) as slow:
        columns_by_record(records, ZEMM005)
    # THEN both name the fields in the table's order, with the same words
    assert str(fast.value) == str(slow.value) == "ZEMM005: no record has the field(s) STAWN, HERKL"


def test_a_record_that_is_not_a_mapping_fails_as_it_did_record_by_record() -> None:
    # GIVEN records of which one is a list, not a record
    records: list[object] = [material("10000004"), ["MATNR", "10000005"]]
    # WHEN they are made into a frame, and record by record
    assert columns_at_once(records, ZEMM005.fields) is None  # type: ignore[arg-type]
    with pytest.raises(AttributeError) as fast:
        records_frame(records, ZEMM005)  # type: ignore[arg-type]
    with pytest.raises(AttributeError) as slow:
        columns_by_record(records, ZEMM005)  # type: ignore[arg-type]
    # THEN the same error is raised either way
    assert str(fast.value) == str(slow.value)


def test_no_records_give_an_empty_frame_of_the_table() -> None:
    # GIVEN no records WHEN they are made into a frame
    frame = records_frame([], ZEMM005)
    # THEN it has the table's fields and no row, as record by record
    assert columns_at_once([], ZEMM005.fields) is None
    pd.testing.assert_frame_equal(frame, _record_by_record([]))
    assert list(frame.columns) == [*ZEMM005.fields, "source_row"]


def test_one_field_is_taken_as_one_column() -> None:
    # GIVEN records and a single field WHEN taken at once
    columns = columns_at_once([material("1"), material("2")], ("MATNR",))
    # THEN the column holds each record's value
    assert columns == {"MATNR": [material("1")["MATNR"], material("2")["MATNR"]]}


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("{a}\n{b}\n", [1, 2]),
        ("{a}\n{b}", [1, 2]),
        ("{a}\n\n{b}\n", [1, 3]),
        ("\n{a}\n{b}", [2, 3]),
        ("{a}\n{b}\n\r\n", [1, 2]),
        ("{a}\r\n{b}\r\n", [1, 2]),
    ],
    ids=["newline at the end", "none at the end", "a blank line", "a blank first", "blank last", "CRLF"],
)
def test_records_are_numbered_by_their_line_whatever_the_blank_lines(text: str, rows: list[int]) -> None:
    # GIVEN an extract of two records laid out with blank lines here or there
    a, b = json.dumps(material("10000004")), json.dumps(material("10000005"))
    data = gzip.compress(text.replace("{a}", a).replace("{b}", b).encode(), mtime=0)
    # WHEN it is read
    frame = read_extract(data, ZEMM005)
    # THEN each record is numbered by its line
    assert frame["source_row"].tolist() == rows
    assert frame["MATNR"].tolist() == [material("10000004")["MATNR"], material("10000005")["MATNR"]]


def test_the_garbage_collector_is_on_again_after_a_read_that_fails() -> None:
    # GIVEN an extract whose second line is not JSON, read while the collector is on
    data = gzip.compress(f"{json.dumps(material())}\n{{not json\n".encode(), mtime=0)
    assert gc.isenabled()
    # WHEN it is read
    with pytest.raises(ExtractError, match="line 2: not JSON"):
        read_extract(data, ZEMM005)
    # THEN the collector, paused while the records were parsed, is on again
    assert gc.isenabled()


def test_records_whose_every_value_is_an_array_of_one_length_give_the_same_frame() -> None:
    # GIVEN records whose every value is a two-item array (a table of them would nest a level deeper)
    records: list[Mapping[str, object]] = [{field: [n, field] for field in ZEMM005.fields} for n in range(3)]
    # WHEN they are made into a frame
    frame = records_frame(records, ZEMM005)
    # THEN each value is its JSON text, as record by record
    pd.testing.assert_frame_equal(frame, _record_by_record(records))
    assert frame["MATNR"].tolist() == ['[0, "MATNR"]', '[1, "MATNR"]', '[2, "MATNR"]']


def _lines(records: Sequence[Mapping[str, object]]) -> list[bytes]:
    return [json.dumps(r).encode() for r in records]


def test_lines_parsed_block_by_block_give_the_frame_of_the_records_read_whole() -> None:
    # GIVEN five records over three blocks of two lines, with nulls, numbers and extra fields
    records: list[Mapping[str, object]] = [
        material("1"),
        {**material("2"), "MAKTX": None},
        {**material("3"), "STAWN": 8504409520, "ZZEXTRA": "x"},
        material("4"),
        {**material("5"), "HERKL": [1, 2]},
    ]
    # WHEN their lines are parsed two at a time
    columns = columns_by_block(_lines(records), ZEMM005.fields, block=2)
    # THEN the columns are text, and make the frame the records make read whole, record by record
    assert columns is not None
    frame = columns_frame(columns, ZEMM005, range(1, 6), text=True)
    pd.testing.assert_frame_equal(frame, _record_by_record(records))


@pytest.mark.parametrize(
    "last",
    [b'{"MATNR": "5"}', b"{not json", b'["MATNR", "5"]', b'{"MATNR": "5"}, {"MATNR": "6"}'],
    ids=["a record without some field", "not JSON", "not an object", "two records on a line"],
)
def test_a_block_that_cannot_be_taken_at_once_sends_the_whole_extract_the_general_way(last: bytes) -> None:
    # GIVEN four good lines in two blocks, then a third block whose line cannot be taken at once
    lines = [*_lines([material(str(n)) for n in range(1, 5)]), last]
    # WHEN they are parsed two at a time
    columns = columns_by_block(lines, ZEMM005.fields, block=2)
    # THEN nothing is returned: the records are read whole, which names what is wrong
    assert columns is None


# Values as an extract may hold them: text (any code point, lone surrogates too), null, and what
# orjson reads otherwise than the standard library or not at all: integers beyond 64 bits, floats,
# NaN, nested values.
VALUES = st.one_of(
    st.text(max_size=6),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=2),
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.integers(min_value=2**63, max_value=2**65), max_size=2),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(st.fixed_dictionaries({f: VALUES for f in ZEMM005.fields}), min_size=1, max_size=12),
    ascii_only=st.booleans(),
    block=st.sampled_from([1, 3, 100]),
)
def test_blocks_read_by_either_parser_give_the_standard_librarys_columns(
    records: list[Mapping[str, object]], ascii_only: bool, block: int
) -> None:
    # GIVEN records as JSON lines, escaped or not, whose values orjson reads as the standard library
    # does, or otherwise, or refuses
    lines = [json.dumps(r, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") for r in records]
    # WHEN their lines are parsed a block at a time
    columns = columns_by_block(lines, ZEMM005.fields, block=block)
    # THEN the frame is the one of the lines each read by the standard library, record by record
    assert columns is not None
    frame = columns_frame(columns, ZEMM005, range(1, len(lines) + 1), text=True)
    expected = _record_by_record([json.loads(line.decode("utf-8", "surrogatepass")) for line in lines])
    pd.testing.assert_frame_equal(frame, expected)


def test_a_block_of_text_and_nulls_is_read_by_orjson_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN lines whose values are text and nulls, and the standard library's parser out of reach
    def refused(lines: list[bytes]) -> None:
        raise AssertionError("the block went the standard library's way")

    monkeypatch.setattr(extracts, "_parsed_at_once", refused)
    records: list[Mapping[str, object]] = [material("1"), {**material("2"), "MAKTX": None}, material("3")]
    # WHEN they are parsed a block at a time
    columns = columns_by_block(_lines(records), ZEMM005.fields, block=2)
    # THEN they are read, the null blank
    assert columns is not None
    frame = columns_frame(columns, ZEMM005, range(1, 4), text=True)
    assert frame["MAKTX"].tolist() == [material("1")["MAKTX"], "", material("3")["MAKTX"]]


def test_an_integer_beyond_64_bits_keeps_every_digit() -> None:
    # GIVEN an extract whose second record holds an integer orjson would read as a float
    big = 2**64 + 1
    data = gzip.compress(b"\n".join(_lines([material("1"), {**material("2"), "STAWN": big}])), mtime=0)
    # WHEN it is read
    frame = read_extract(data, ZEMM005)
    # THEN its text is every digit of it
    assert frame["STAWN"].tolist() == [material("1")["STAWN"], str(big)]

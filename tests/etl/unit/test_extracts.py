"""A landed extract (gzip JSON Lines) read into a text frame: every value as text, blank when
missing or null, each record numbered by its line; a line that is not a JSON object named."""

from __future__ import annotations

import gzip
import json

import pytest
from ior_etl.domain.extracts import ExtractError, read_extract
from ior_etl.domain.sap_fields import ZEMM005

from tests.etl.unit.records import material


def _extract(*lines: str) -> bytes:
    return gzip.compress("\n".join(lines).encode(), mtime=0)


def test_records_become_text_columns_numbered_by_their_line() -> None:
    # GIVEN an extract with a blank line, a null, a missing field and a number where text is usual
    first = material("10000004")
    second = {**material("10000005"), "MAKTX": None, "STAWN": 8504409520}
    del second["HERKL"]
    data = _extract(json.dumps(first), "", json.dumps(second, ensure_ascii=False) + "\r")
    # WHEN it is read
    frame = read_extract(data, ZEMM005)
    # THEN every value is text (null and missing blank, the number as its JSON), rows numbered by line
    assert frame["source_row"].tolist() == [1, 3]
    assert frame["MAKTX"].tolist() == [first["MAKTX"], ""]
    assert frame["STAWN"].tolist() == [first["STAWN"], "8504409520"]
    assert frame["HERKL"].tolist() == [first["HERKL"], ""]


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (("{not json",), "line 2: not JSON"),
        (("[1, 2]",), "line 2: a record must be a JSON object"),
        (('{"MATNR": "1"}, {"MATNR": "2"}',), "line 2: not JSON"),
        (('{"MATNR": [1', "2]}"), "line 2: not JSON"),
    ],
    ids=["broken", "an array", "two records on a line", "a record over two lines"],
)
def test_the_first_line_that_is_not_a_json_object_is_named(lines: tuple[str, ...], problem: str) -> None:
    data = _extract(json.dumps(material()), *lines, json.dumps(material("10000009")))
    with pytest.raises(ExtractError, match=problem):
        read_extract(data, ZEMM005)


def test_a_value_holding_a_nul_refuses_the_extract_at_its_first_line_and_field() -> None:
    data = _extract(
        json.dumps(material()),
        json.dumps(material("10000009", HERKL="C\u0000N")),
        json.dumps(material("10000010", MAKTX="PSU\u0000 rev B")),
    )
    with pytest.raises(ExtractError, match=r"ZEMM005 line 2: HERKL holds a NUL character \(U\+0000\)"):
        read_extract(data, ZEMM005)


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul() -> None:
    data = _extract(json.dumps(material(MAKTX="path C:\\u0000")))
    frame = read_extract(data, ZEMM005)
    assert frame["MAKTX"].tolist() == ["path C:\\u0000"]


def _broken(how: str, data: bytes) -> bytes:
    """`data` (gzip) made unreadable: not gzip, cut short, or a deflate block overwritten."""
    if how == "not gzip":
        return b"{" + data
    if how == "cut short":
        return data[: len(data) // 2]
    corrupted = bytearray(data)
    corrupted[12:40] = b"\xff" * 28
    return bytes(corrupted)


@pytest.mark.parametrize("how", ["not gzip", "cut short", "corrupt deflate"])
def test_bytes_that_are_not_a_whole_gzip_stream_are_refused_as_not_gzip(how: str) -> None:
    data = _extract(*(json.dumps(material(f"1000{n:04d}")) for n in range(200)))
    with pytest.raises(ExtractError, match="ZEMM005: not a gzip file"):
        read_extract(_broken(how, data), ZEMM005)

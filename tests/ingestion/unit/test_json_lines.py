"""A page staged as JSON Lines from one encoding of the whole page is the rows encoded one by one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ior_ingestion.adapters.staging import json_lines

ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _row_by_row(page: list[dict[str, Any]]) -> str:
    return "".join(ENCODE(row) + "\n" for row in page)


TEXT = st.text(alphabet=st.sampled_from('},{"\\ab\n\u00e9\u2028'))
SCALARS = st.none() | st.booleans() | st.integers() | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
)
ROWS = st.dictionaries(st.text(alphabet=st.sampled_from('},{"ab'), max_size=4), VALUES, max_size=4)


@given(st.lists(ROWS, max_size=6))
def test_any_page_gives_the_rows_encoded_one_by_one(page: list[dict[str, Any]]) -> None:
    assert json_lines(page, ENCODE) == _row_by_row(page)


@pytest.mark.parametrize(
    "page",
    [
        [{"VBELN": "1", "ARKTX": '},{"x":1'}, {"VBELN": "2"}],  # text that looks like a boundary
        [{"a": [{"b": 1}, {"c": 2}]}, {"a": 3}],  # a nested list of objects holds a boundary
        [{"a": "1"}, {}, {"a": "2"}],  # an empty row
        [{"a": "1"}],
        [],
    ],
)
def test_pages_that_defeat_the_cut_are_encoded_row_by_row(page: list[dict[str, Any]]) -> None:
    assert json_lines(page, ENCODE) == _row_by_row(page)
    assert [json.loads(line) for line in json_lines(page, ENCODE).splitlines()] == page

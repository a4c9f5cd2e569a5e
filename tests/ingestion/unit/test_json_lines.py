"""A page staged as JSON Lines is each row as `json.dumps(row, separators=(",", ":"),
ensure_ascii=False)` writes it, whichever encoder wrote the page."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ior_ingestion.adapters.staging import json_lines


def _row_by_row(page: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n" for row in page).encode()


# Text of every kind JSON escapes or does not: quotes, backslashes, control characters, DEL, the
# line separators JavaScript minds, accents and characters beyond the BMP.
TEXT = st.text(alphabet=st.sampled_from('},{"\\ab\n\t\x00\x1f\x7f\u00e9\u2028\u2029\U0001f600'))
PLAIN = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | TEXT
ANY = PLAIN | st.integers() | st.floats() | st.text()
VALUES = st.recursive(
    ANY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
)
KEYS = st.text(alphabet=st.sampled_from('},{"ab\u00e9'), max_size=4)


@given(st.lists(st.dictionaries(KEYS, PLAIN, max_size=6), max_size=6))
def test_a_page_of_plain_values_gives_the_rows_encoded_one_by_one(page: list[dict[str, Any]]) -> None:
    assert json_lines(page) == _row_by_row(page)


@given(st.lists(st.dictionaries(KEYS, VALUES, max_size=4), max_size=6))
def test_any_page_gives_the_rows_encoded_one_by_one_or_is_refused_alike(page: list[dict[str, Any]]) -> None:
    try:
        expected = _row_by_row(page)
    except (UnicodeEncodeError, ValueError) as refused:  # a lone surrogate
        with pytest.raises(type(refused)):
            json_lines(page)
        return
    assert json_lines(page) == expected


@pytest.mark.parametrize(
    "page",
    [
        [{"VBELN": "1", "ARKTX": '},{"x":1'}, {"VBELN": "2"}],
        [{"a": 2**64}, {"a": -(2**63) - 1}],  # integers beyond orjson's 64 bits
        [{"a": 1e16, "b": 1e-05, "c": float("nan")}],  # floats, whose exponents the encoders write apart
        [{"a": [{"b": 1}, {"c": 2}]}, {"a": {"d": None}}],
        [{"a": "1"}, {}, {"a": "2"}],
        [],
    ],
)
def test_values_beyond_plain_text_and_numbers_are_written_as_the_standard_encoder_writes_them(
    page: list[dict[str, Any]],
) -> None:
    assert json_lines(page) == _row_by_row(page)

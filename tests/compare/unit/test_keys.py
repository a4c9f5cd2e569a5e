"""Key coding: text as Lambda's pandas holds it (Python strings) codes as any other text does."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from ior_compare.domain.keys import text_codes

TEXT = pd.StringDtype("python", na_value=np.nan)
values = st.lists(
    st.one_of(st.none(), st.sampled_from(["b", "a", "ä", "B", "", "9903.88.03", "Z"])), max_size=12
)


@given(values, values, st.booleans())
def test_python_strings_code_as_object_columns_do(
    left: list[str | None], right: list[str | None], sort: bool
) -> None:
    # GIVEN the same values as Python-string columns and as plain object columns
    as_text = [pd.Series(side, dtype=TEXT) for side in (left, right)]
    as_objects = [pd.Series(side, dtype=object) for side in (left, right)]
    # WHEN both are coded
    codes, uniques = text_codes(*as_text, sort=sort)
    object_codes, object_uniques = text_codes(*as_objects, sort=sort)
    # THEN the codes and the distinct values agree, nulls are −1, and the distinct values keep the dtype
    assert codes.tolist() == object_codes.tolist()
    assert list(uniques) == list(object_uniques)
    assert uniques.dtype == TEXT
    assert [codes[i] == -1 for i in range(len(codes))] == [v is None for v in [*left, *right]]


def test_sorted_codes_follow_the_texts_code_point_order() -> None:
    # GIVEN texts whose order differs by case and accent
    column = pd.Series(["b", "ä", "B", "a", "b"], dtype=TEXT)
    # WHEN coded in text order
    codes, uniques = text_codes(column)
    # THEN codes rank the distinct values as Python sorts them
    assert list(uniques) == ["B", "a", "b", "ä"]
    assert codes.tolist() == [2, 3, 0, 1, 2]

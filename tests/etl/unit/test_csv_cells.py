"""Neighbouring columns written as one where their pairs are few: the rows' text is unchanged, however
many columns are merged and by whichever way their pairs are found."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ior_etl.domain.csv_cells import Cells, csv_rows, merged

MANY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def columns(draw: st.DrawFn) -> list[Cells]:
    rows = draw(st.integers(0, 60))
    made = []
    for _ in range(draw(st.integers(1, 6))):
        texts = draw(st.lists(st.text(max_size=4), min_size=1, max_size=12, unique=True))
        codes = draw(st.lists(st.integers(0, len(texts) - 1), min_size=rows, max_size=rows))
        made.append(Cells(np.array(texts, dtype=object), np.array(codes, dtype=np.intp)))
    return made


def _rows_read_one_by_one(cells: list[Cells]) -> bytes:
    rows = len(cells[0].codes)
    return "".join(",".join(c.texts[c.codes[r]] for c in cells) + "\n" for r in range(rows)).encode()


@MANY
@given(cells=columns(), every_pair=st.sampled_from([0, 1, 16, 4096]), share=st.sampled_from([0.0, 0.5, 8.0]))
def test_merged_columns_give_the_rows_the_same_text(
    cells: list[Cells], every_pair: int, share: float
) -> None:
    # GIVEN columns of codes into distinct texts, merged with every pair made, or only those the rows hold
    together = merged(cells, every_pair=every_pair, share=share)
    # WHEN the rows are written from the merged columns, in blocks of any size
    # THEN their text is that of each row's cells joined one by one
    assert b"".join(csv_rows(together, block_rows=7)) == _rows_read_one_by_one(cells)
    assert len(together) <= len(cells)


def test_columns_whose_values_go_together_are_merged_and_those_that_do_not_are_not() -> None:
    # GIVEN a material and its description (one for one), and a column whose values are all distinct
    rows = 1_000
    material = Cells(np.array(["M1", "M2", "M3"], dtype=object), np.arange(rows, dtype=np.intp) % 3)
    description = Cells(np.array(["one", "two", "three"], dtype=object), np.arange(rows, dtype=np.intp) % 3)
    document = Cells(np.array([f"D{i}" for i in range(rows)], dtype=object), np.arange(rows, dtype=np.intp))
    # WHEN they are merged, only pairs the rows hold counted
    together = merged([material, description, document], every_pair=0)
    # THEN the material and its description are one column of three texts, the documents apart
    assert [len(c.texts) for c in together] == [3, rows]
    assert sorted(together[0].texts) == ["M1,one", "M2,two", "M3,three"]

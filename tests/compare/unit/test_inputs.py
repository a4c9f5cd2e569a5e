"""A dataset version's rows found by key, as an explanation asks for them again and again."""

from __future__ import annotations

import pandas as pd
from ior_compare.domain.inputs import DatasetSnapshot


def _snapshot() -> DatasetSnapshot:
    rows = pd.DataFrame(
        {
            "document": ["90000002", "90000001", "90000002", "90000003"],
            "item": ["10", "10", "10", "20"],
            "material": ["A", "B", "C", "D"],
        },
        dtype="str",
    )
    return DatasetSnapshot("transactions", "manual", "v1", rows, ())


def test_rows_are_found_by_key_in_the_order_of_their_first_row_and_a_repeated_key_gives_its_last() -> None:
    snapshot = _snapshot()
    key = ("document", "item")
    # WHEN the same dataset is asked for keys twice, once with a key it does not hold
    first = snapshot.rows_where(key, [("90000003", "20"), ("90000002", "10"), ("99", "1")])
    again = snapshot.rows_where(key, [("90000001", "10")])
    # THEN each answer holds only the keys asked for, the repeated key with its last row
    assert list(first) == [("90000002", "10"), ("90000003", "20")]
    assert [row["material"] for row in first.values()] == ["C", "D"]
    assert again == {("90000001", "10"): {"document": "90000001", "item": "10", "material": "B"}}


def test_keys_in_columns_the_dataset_lacks_find_nothing() -> None:
    assert _snapshot().rows_where(("hts10",), [("8517620090",)]) == {}
    assert _snapshot().rows_where(("document", "item"), []) == {}

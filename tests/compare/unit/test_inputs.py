"""A dataset version's rows found by key, as an explanation asks for them again and again."""

from __future__ import annotations

import gzip
from collections.abc import Iterable

import pandas as pd
from ior_compare.domain.csv_rows import GzipCsv, Key, Record
from ior_compare.domain.inputs import DatasetSnapshot, differing_rows


def _csv(frame: pd.DataFrame) -> GzipCsv:
    """The frame as the ETL publishes a version: a gzip CSV."""
    return GzipCsv.of(gzip.compress(frame.to_csv(index=False, lineterminator="\n").encode(), mtime=0))


def _snapshot() -> DatasetSnapshot:
    rows = pd.DataFrame(
        {
            "document": ["90000002", "90000001", "90000002", "90000003"],
            "item": ["10", "10", "10", "20"],
            "material": ["A", "B", "C", "D"],
        },
        dtype="str",
    )
    return DatasetSnapshot("transactions", "manual", "v1", _csv(rows), ())


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


def _hts(version: str, rate: str, origins: pd.DataFrame | None) -> DatasetSnapshot:
    rows = pd.DataFrame({"hts10": ["8517620090", "8536698000"], "general_rate": ["0", rate]}, dtype="str")
    cited = None if origins is None else _csv(origins)
    return DatasetSnapshot("hts-reference", "manual", version, _csv(rows), ("HTS_Code.csv",), cited)


def test_a_differing_cell_is_cited_on_each_side_by_the_file_and_row_it_was_read_from() -> None:
    # GIVEN a manual version whose rows were read from HTS_Code.csv rows 9 and 14, and an automated
    # one read from ZFMIOR001's lines 2 and 1
    manual = _hts("m1", "0", pd.DataFrame({"source": ["HTS_Code.csv"] * 2, "row": ["9", "14"]}))
    automated = _hts("a1", "0.027", pd.DataFrame({"source": ["ZFMIOR001"] * 2, "row": ["2", "1"]}))
    # WHEN the rows of 8536.69.80.00 are compared
    [found] = differing_rows("hts-reference", ("hts10",), [("8536698000",)], manual, automated)
    # THEN each side names the row of its own source the differing cell came from
    assert found["expected"] == {
        "value": "0",
        "version": "m1",
        "made_from": ["HTS_Code.csv"],
        "source": {"file": "HTS_Code.csv", "row": 14},
    }
    assert found["actual"]["source"] == {"file": "ZFMIOR001", "row": 1}


def test_a_version_published_without_origins_is_cited_by_what_it_has() -> None:
    manual = _hts("m1", "0", pd.DataFrame({"source": ["HTS_Code.csv"] * 2, "row": ["9", "14"]}))
    older = _hts("a0", "0.027", None)
    [found] = differing_rows("hts-reference", ("hts10",), [("8536698000",)], manual, older)
    assert found["actual"] == {"value": "0.027", "version": "a0", "made_from": ["HTS_Code.csv"]}
    assert found["expected"]["source"] == {"file": "HTS_Code.csv", "row": 14}


def test_a_repeated_key_is_cited_by_the_row_whose_cells_are_shown() -> None:
    origins = pd.DataFrame({"source": ["ZSDR002"] * 4, "row": ["7", "3", "5", "1"]})
    snapshot = DatasetSnapshot("transactions", "automated", "v1", _snapshot().table, (), _csv(origins))
    assert snapshot.source_of(("document", "item"), ("90000002", "10")) == {"file": "ZSDR002", "row": 5}
    assert snapshot.source_of(("document", "item"), ("99", "1")) is None
    assert snapshot.source_of(("hts10",), ("8517620090",)) is None


class _CountingCsv(GzipCsv):
    """A version's rows that count how often they are searched."""

    searches: list[tuple[str, ...]]

    def where(self, columns: tuple[str, ...], values: Iterable[Key]) -> dict[Key, list[tuple[int, Record]]]:
        self.searches.append(columns)
        return super().where(columns, values)


def test_two_versions_with_the_same_rows_differ_in_nothing_and_are_not_searched() -> None:
    # GIVEN the manual and the automated version of a dataset with byte-identical snapshots
    data = _snapshot().table.data
    tables = [_CountingCsv(data, ("document", "item", "material")) for _ in range(2)]
    for table in tables:
        object.__setattr__(table, "searches", [])
    manual, automated = (
        DatasetSnapshot("transactions", mode, f"v-{mode}", table, ())
        for mode, table in zip(("manual", "automated"), tables, strict=True)
    )
    assert manual.same_rows(automated)
    # WHEN the rows behind a line are compared
    found = differing_rows("transactions", ("document", "item"), [("90000002", "10")], manual, automated)
    # THEN nothing differs and neither version was read row by row
    assert found == []
    assert tables[0].searches == []
    assert tables[1].searches == []
    # AND a version with other bytes is searched, and its differing cell found
    other = gzip.decompress(data).replace(b"90000003,20,D", b"90000003,20,E")
    changed = DatasetSnapshot(
        "transactions", "automated", "v2", GzipCsv.of(gzip.compress(other, mtime=0)), ()
    )
    assert not manual.same_rows(changed)
    differing = differing_rows("transactions", ("document", "item"), [("90000003", "20")], manual, changed)
    assert [(d["key"], d["field"]) for d in differing] == [("90000003 20", "material")]
    assert tables[0].searches

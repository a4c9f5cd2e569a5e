"""A customs line's materials as the API reads them from a published line: each invoice item's, in the
order of its sources, and each once for the search and the CSV export."""

from __future__ import annotations

import csv
import io

from ior_api.domain.lines import LineFilter, distinct_materials, source_materials, to_csv

LINE = {
    "entry_id": "2704-20260316-SH0001",
    "line": 1,
    "hts10": "8536.69.40.40",
    "description": "Connectors",
    "stack": ["8536.69.40.40"],
    "value": 100,
    "duty": "2.70",
    "sources": [["90010001", 10], ["90010001", 20], ["90010002", 10]],
    "source_materials": ["10000007", "10000002", "10000007"],
}


def test_a_line_of_several_invoice_items_has_each_of_their_materials_once_sorted_in_search_and_export() -> (
    None
):
    # GIVEN a line gathering three invoice items of two materials
    # WHEN its materials are read, it is searched and it is exported
    exported = next(csv.DictReader(io.StringIO(to_csv([LINE]))))
    # THEN the items keep their own materials, the line has each once, and both are found
    assert source_materials(LINE) == ["10000007", "10000002", "10000007"]
    assert distinct_materials(LINE) == ["10000002", "10000007"]
    assert exported["materials"] == "10000002;10000007"
    assert [LineFilter(text=q).keeps(LINE) for q in ("10000002", "000000000010000007", "10000003")] == [
        True,
        True,
        False,
    ]


def test_materials_that_do_not_match_the_sources_one_for_one_are_read_as_unknown() -> None:
    # GIVEN a line whose materials are fewer than its sources
    line = LINE | {"source_materials": ["10000007"]}
    # WHEN its materials are read
    # THEN no source is given a material that may be another's
    assert source_materials(line) == [None, None, None]
    assert distinct_materials(line) == []
    assert not LineFilter(text="10000007").keeps(line)

"""The run's records made an entry at a time (what a million-line run publishes and reports without
holding every line's record): the same bytes as serialising the whole records at once, the summary
is the records without their lines, and the HTML page's first lines are the records' first lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ior_customs.domain import process
from ior_customs.domain.result import json_pieces

from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_lines_streamed_an_entry_at_a_time_are_the_whole_records_byte_for_byte(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    records = result.to_records()
    assert b"".join(result.json_chunks()) == _canonical(records)
    assert b"".join(json_pieces(records)) == _canonical(records)


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_summary_is_the_records_with_line_counts_instead_of_lines(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    records = result.to_records()
    summary = result.summary_records()
    assert summary["entries"] == [
        {k: v for k, v in e.items() if k != "lines"} | {"line_count": len(e["lines"])}
        for e in records["entries"]
    ]
    assert {k: v for k, v in summary.items() if k != "entries"} == {
        k: v for k, v in records.items() if k != "entries"
    }


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_first_lines_nest_only_the_runs_first_lines(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    every = [line for e in result.to_records()["entries"] for line in e["lines"]]
    first = [line for e in result.entry_records(max_lines=1) for line in e["lines"]]
    assert first == every[:1]
    assert len(list(result.entry_records(max_lines=1))) == len(result.entries)

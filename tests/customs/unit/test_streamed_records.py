"""The run's records made an entry at a time (what a million-line run publishes and reports without
holding every line's record): the same bytes as serialising the whole records at once, the summary
is the records without their lines, and the HTML page's first lines are the records' first lines."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
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


# The published lines of each golden case, as the dict-per-line serialisation wrote them: a change
# of any byte changes the object's key, its claim check and every comparison that cites it.
PUBLISHED_SHA256 = {
    "stack-before-section-122": "d6a1ac71b26af1b0593b65bc69355213c51bc2a71ee2dd3e4f6d92dea409116f",
    "packaging-fx-section-122": "db580fd14e3da6a389b5f8ddc3f71f26579c43784592465a1bd383c929f69a9e",
    "section-232-content-split": "4200baadc7cf7a7b8650ceeef51fbc9984316c02431bfcdcfbb53fbeb5ee8ec0",
    "section-232-full-value": "f4f266d68aaf778600121d9f69dd3efda5957df7ce3030774278ba9e698a1a19",
    "rounding-edges": "102c2ba5b81d9db954baf13c7081fae00246ab9620638a8719447618d2ca68fe",
    "credits-and-cancellations": "79f9222f6e4e38f9c13f855f5b9c094b3dcd25142338561d8e7bdd7c893fcef5",
    "data-gaps-and-boundaries": "2092093c45400b2e8f1cc548cf6ba39a4c0b0c24c3ccd3027c2223ca5d5e4eb2",
}


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_published_lines_of_each_golden_case_keep_their_bytes(path: Path) -> None:
    result = process(inputs_from_case(load_case(path)))
    assert hashlib.sha256(result.to_json_bytes()).hexdigest() == PUBLISHED_SHA256[case_name(path)]


def test_text_that_json_escapes_and_missing_values_are_written_as_the_encoder_writes_them() -> None:
    # GIVEN a run whose lines have descriptions with quotes, control characters, non-ASCII text and
    # none at all, and a line with no quantity in either unit
    result = process(inputs_from_case(load_case(golden_files()[0])))
    odd = ['He said "steel"\\', "tab\there\nnewline", "Größe ½ ✓ 🚢", None]
    descriptions = [odd[i % len(odd)] for i in range(len(result.lines))]
    lines = result.lines.assign(description=pd.Series(descriptions, dtype=object))
    lines.loc[0, ["quantity_no", "quantity_kg"]] = pd.NA
    changed = replace(result, lines=lines)
    # THEN the lines made from the columns are the records serialised whole, byte for byte
    assert changed.to_json_bytes() == _canonical(changed.to_records())

"""The run's summary made from the entries' columns (`Result.summary_records`) on its edges: held to
the simple path, each entry's record (`Result.to_records`) with its line count instead of its lines."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from ior_customs.domain import Result, process
from ior_customs.domain.changes import money_totals
from ior_customs.domain.result import json_pieces

from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case


def _recorded_summary(result: Result) -> list[dict[str, object]]:
    return [
        {k: v for k, v in e.items() if k != "lines"} | {"line_count": len(e["lines"])}
        for e in result.to_records()["entries"]
    ]


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _odd_entries() -> Result:
    """A run's entries, and entries of no lines after them, with text that JSON escapes, fees and
    their rows missing or present, several flags or none, and money of every sign."""
    result = process(inputs_from_case(load_case(golden_files()[0])))
    extra = [result.entries.assign(entry_id=result.entries["entry_id"] + f"~{k}", lines=0) for k in range(6)]
    entries = pd.concat([result.entries, *extra], ignore_index=True)
    pick = lambda values: [values[i % len(values)] for i in range(len(entries))]  # noqa: E731
    entries = entries.assign(
        port=pick(['27"04\\', "Größe ✓"]),
        flags=pick([(), ("informal", "fee_rate_missing"), ("informal",)]),
        mpf_cents=pd.array(pick([None, -1, 12345, 10**15]), dtype="Int64"),
        hmf_cents=pd.array(pick([7, None]), dtype="Int64"),
        mpf_row=pd.Series(pick([None, 'MPF "row" 1', float("nan")]), dtype=object),
        hmf_row=pd.Series(pick(["HMF 2", pd.NA]), dtype=object),
        duty_cents=pick([0, -250, 99, -1]),
    )
    return replace(result, entries=entries)


def test_entries_with_odd_text_missing_fees_and_rows_and_several_flags_are_summarised_as_recorded() -> None:
    # GIVEN entries with odd text, missing fees and rows, several flags and money of every sign
    changed = _odd_entries()
    # WHEN the run is summarised
    summary = changed.summary_records()
    # THEN each entry is its record with its line count, a missing fee or row None
    assert summary["entries"] == _recorded_summary(changed)
    assert {e["lineage"]["mpf"] for e in summary["entries"]} == {None, 'MPF "row" 1'}
    assert {e["totals"]["mpf"] for e in summary["entries"]} == {None, "-0.01", "123.45", "10000000000000.00"}


def test_a_run_of_no_entries_summarises_none() -> None:
    # GIVEN a run with every entry, line and source taken away
    result = process(inputs_from_case(load_case(golden_files()[0])))
    empty = replace(
        result, entries=result.entries.iloc[:0], lines=result.lines.iloc[:0], sources=result.sources.iloc[:0]
    )
    # WHEN it is summarised THEN it has no entries, and the rest of its records
    summary = empty.summary_records()
    assert summary["entries"] == []
    assert {k: v for k, v in summary.items() if k != "entries"} == {
        k: v for k, v in empty.to_records().items() if k != "entries"
    }


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_each_entrys_summary_text_is_its_summary_record_serialised(path: Path) -> None:
    # GIVEN a golden case's run
    result = process(inputs_from_case(load_case(path)))
    # WHEN its entries' summaries are written from the columns
    texts = result.summary_texts()
    # THEN each is its summary record as canonical JSON
    assert texts == [_canonical(e) for e in result.summary_records()["entries"]]


def test_summary_texts_of_odd_entries_are_written_as_the_encoder_writes_their_records() -> None:
    # GIVEN entries with odd text, missing fees and rows, several flags and money of every sign
    changed = _odd_entries()
    records = changed.summary_records()
    # WHEN a document holds their texts in place of their records
    document = {"run_id": "r", "entries": changed.summary_texts(), "held_out": records["held_out"]}
    # THEN it is written as the document holding the records is
    written = b"".join(json_pieces(document)).decode()
    assert written == _canonical({**document, "entries": records["entries"]})


@pytest.mark.parametrize("odd", [False, True], ids=["golden", "odd-entries"])
def test_the_money_totals_from_the_columns_are_those_of_the_summary_records(odd: bool) -> None:
    # GIVEN a run, or one whose entries have missing fees and money of every sign
    result = _odd_entries() if odd else process(inputs_from_case(load_case(golden_files()[1])))
    records = result.summary_records()
    # WHEN its totals are summed over its entries' columns
    totals = result.money_totals()
    # THEN they are the records' money totals, and their line counts' sum
    assert totals == money_totals(records) | {"lines": sum(e["line_count"] for e in records["entries"])}
    assert result.summary() == {**records, "entries": result.summary_texts()}

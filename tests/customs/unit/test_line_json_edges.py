"""The lines' texts made a column at a time (`line_json`) on the edges of their fast paths: no lines,
one line, lines without sources or with sources of no line, sources out of order, a stack that
names a number twice, materials repeated or missing. Each is held to the simple path: the line's
record (`Result.to_records`) serialised whole."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from ior_customs.domain import Result, process
from ior_customs.domain.line_json import line_texts

from tests.customs.cases import golden_files, inputs_from_case, load_case


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _run() -> Result:
    return process(inputs_from_case(load_case(golden_files()[0])))


def _made_and_recorded(result: Result, block_lines: int = 2) -> tuple[list[str], list[str]]:
    made = [
        text
        for _, text in line_texts(
            result.lines, result.sources, result.dataset_versions, block_lines=block_lines
        )
    ]
    records = [_canonical(line) for entry in result.to_records()["entries"] for line in entry["lines"]]
    return made, records


def test_a_run_of_no_lines_makes_no_texts() -> None:
    # GIVEN a run's frames with every line and source taken away
    result = _run()
    empty = replace(result, lines=result.lines.iloc[:0], sources=result.sources.iloc[:0])
    # WHEN its lines' texts are made
    made = list(line_texts(empty.lines, empty.sources, empty.dataset_versions))
    # THEN there are none
    assert made == []


def test_a_run_of_one_line_is_its_record() -> None:
    # GIVEN a run cut to its first entry's first line and that line's sources
    result = _run()
    first = result.lines.iloc[:1]
    key = (first["entry_id"].iloc[0], first["line"].iloc[0])
    mine = (result.sources["entry_id"] == key[0]) & (result.sources["line"] == key[1])
    one = replace(result, entries=result.entries.iloc[:1], lines=first, sources=result.sources[mine])
    # WHEN its line's text is made
    made, records = _made_and_recorded(one)
    # THEN it is the line's record, with its sources
    assert made == records
    assert len(made) == 1
    assert json.loads(made[0])["sources"]


def test_lines_without_sources_and_sources_of_no_line_are_written_as_the_records_write_them() -> None:
    # GIVEN a run whose every other line lost its sources, and a source that names no line
    result = _run()
    kept = result.lines.iloc[::2][["entry_id", "line"]]
    sources = result.sources.merge(kept, on=["entry_id", "line"])
    stray = sources.iloc[:1].assign(line=10**6)
    changed = replace(result, sources=pd.concat([stray, sources], ignore_index=True))
    # WHEN the lines' texts are made
    made, records = _made_and_recorded(changed)
    # THEN they are the records: a line without sources has empty lists, the stray source is in none
    assert made == records
    assert any(json.loads(text)["sources"] == [] for text in made)


def test_sources_in_any_order_are_written_in_their_lines_in_the_order_of_the_sources() -> None:
    # GIVEN a run whose sources are listed last first
    result = _run()
    reversed_sources = result.sources.iloc[::-1].reset_index(drop=True)
    changed = replace(result, sources=reversed_sources)
    # WHEN the lines' texts are made
    made, records = _made_and_recorded(changed)
    # THEN each line lists its sources in the order the sources are listed, as the records do
    assert made == records


@pytest.mark.parametrize("block_lines", [1, 3, 1000])
def test_a_stack_that_names_a_number_twice_keys_its_rate_and_duty_by_the_last(block_lines: int) -> None:
    # GIVEN a run whose first line's stack names its first number again at its end
    result = _run()
    lines = result.lines.copy()
    stack, rates, duties = lines.at[0, "stack"], lines.at[0, "rates"], lines.at[0, "duties_cents"]
    lines.at[0, "stack"] = (*stack, stack[0])
    lines.at[0, "rates"] = (*rates, "0.5")
    lines.at[0, "duties_cents"] = (*duties, 4321)
    changed = replace(result, lines=lines)
    # WHEN the lines' texts are made
    made, records = _made_and_recorded(changed, block_lines)
    # THEN they are the records, where the number's last rate and duty stand
    assert made == records
    assert json.loads(made[0])["duties"][stack[0]] == "43.21"


def test_duties_that_do_not_match_their_stack_are_refused() -> None:
    # GIVEN a run whose second line has one duty fewer than its stack has numbers
    result = _run()
    lines = result.lines.copy()
    lines.at[1, "duties_cents"] = lines.at[1, "duties_cents"][:-1]
    # WHEN its lines' texts are made THEN the line is named
    with pytest.raises(ValueError, match="do not match the stack"):
        list(line_texts(lines, result.sources, result.dataset_versions))


def test_materials_repeated_across_lines_or_missing_are_written_as_the_records_write_them() -> None:
    # GIVEN a run whose sources all share two materials, one of them missing
    result = _run()
    materials = pd.Categorical([("MAT-1" if i % 3 else None) for i in range(len(result.sources))])
    changed = replace(result, sources=result.sources.assign(material=materials))
    # WHEN the lines' texts are made
    made, records = _made_and_recorded(changed)
    # THEN they are the records, a missing material null
    assert made == records
    assert {m for text in made for m in json.loads(text)["source_materials"]} == {"MAT-1", None}


def test_entries_without_lines_and_lines_of_no_listed_entry_are_nested_as_the_records_nest_them() -> None:
    # GIVEN a run with an entry of no lines first, and lines of an entry it does not list after the
    # first entry's lines
    result = _run()
    first = result.entries.iloc[:1]
    empty = first.assign(entry_id="0-no-lines", lines=0)
    stray = result.lines.iloc[:1].assign(entry_id=first["entry_id"].iloc[0] + "~unlisted")
    n_first = int((result.lines["entry_id"] == first["entry_id"].iloc[0]).sum())
    lines = pd.concat([result.lines.iloc[:n_first], stray, result.lines.iloc[n_first:]], ignore_index=True)
    changed = replace(result, entries=pd.concat([empty, result.entries], ignore_index=True), lines=lines)
    # WHEN the run's document is written an entry at a time
    written = b"".join(changed.json_chunks())
    # THEN it is the records serialised whole: the entry of no lines has none, and as the records
    # nest them, the unlisted lines and every line after them are in no entry
    assert written.decode() == _canonical(changed.to_records())
    nested = json.loads(written)["entries"]
    assert nested[0]["lines"] == []
    assert len(nested[1]["lines"]) == n_first

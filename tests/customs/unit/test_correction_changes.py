"""A correction's summary from published lines documents read an entry at a time: each reported
figure that changes is one changed line, a changed key is a line removed and one added, the money
totals move by the entries' totals, and a document's formatting or an unreported field changes
nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from ior_customs.domain import process
from ior_customs.domain.changes import REPORTED, is_empty, reported, summarize

from tests.customs.cases import golden_files, inputs_from_case, load_case


def document() -> dict[str, Any]:
    result = process(inputs_from_case(load_case(golden_files()[0])))
    return dict(json.loads(b"".join(result.json_chunks())))


def published(doc: dict[str, Any], piece: int = 97) -> list[bytes]:
    """The document's canonical text, in pieces of `piece` bytes (cutting entries and characters)."""
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return [text[at : at + piece] for at in range(0, len(text), piece)]


def test_the_same_lines_report_no_change_however_the_document_is_written() -> None:
    doc = document()
    spaced = json.dumps(doc, indent=2, ensure_ascii=False).encode()
    assert is_empty(summarize(reported(published(doc)), reported([spaced])))
    assert is_empty(summarize(reported(published(doc, 1)), reported(published(doc, 1 << 20))))


@pytest.mark.parametrize("field", REPORTED)
def test_each_reported_figure_that_changes_is_one_changed_line(field: str) -> None:
    doc = document()
    changed = copy.deepcopy(doc)
    line = changed["entries"][-1]["lines"][0]
    line[field] = {"changed": field} if isinstance(line.get(field), dict) else f"changed {field}"
    summary = summarize(reported(published(doc)), reported(published(changed)))
    assert (summary.lines_added, summary.lines_removed, summary.lines_changed) == (0, 0, 1)
    assert summary.entries_affected == 1


def test_a_line_whose_key_changes_is_removed_and_added_and_totals_move_by_the_entries() -> None:
    doc = document()
    changed = copy.deepcopy(doc)
    entry = changed["entries"][0]
    entry["lines"][0]["origin"] = "ZZ"
    entry["lines"][0]["sources"] = [["elsewhere", 1]]  # not reported
    entry["totals"]["value"] = int(entry["totals"]["value"]) + 7
    entry["totals"]["duty"] = "1000000.01"
    summary = summarize(reported(published(doc)), reported(published(changed)))
    assert (summary.lines_added, summary.lines_removed, summary.lines_changed) == (1, 1, 0)
    assert summary.value_delta_cents == 700
    before = doc["entries"][0]["totals"]["duty"]
    assert summary.duty_delta_cents == 100_000_001 - round(float(before) * 100)


def test_a_document_without_entries_or_cut_inside_them_is_refused() -> None:
    with pytest.raises(ValueError, match="no entries"):
        reported([b'{"business_date":"2026-01-15"}'])
    text = b"".join(published(document()))
    with pytest.raises(ValueError, match="ends inside its entries"):
        reported([text[: len(text) // 2]])

"""The lines index keeps exactly the lines `LineFilter.keeps` keeps, orders them as the old per-line
sort did, totals them, and names a page's entries in filing order whatever the page's order."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_api.domain.line_index import DocumentLines, entries_at, matching, ordered, totals_at
from ior_api.domain.lines import SORTS, LineFilter, cents, flatten
from ior_customs.domain import process

from tests.customs.cases import case_name, golden_files, inputs_from_case, load_case


def golden(path: Any) -> dict[str, Any]:
    return dict(json.loads(b"".join(process(inputs_from_case(load_case(path))).json_chunks())))


def filters(lines: list[dict[str, Any]]) -> list[LineFilter]:
    first, last = lines[0], lines[-1]
    materials = [m for m in last.get("source_materials") or [] if m]
    texts = [last["entry_id"][-4:], (first["description"] or "x")[:4].upper(), first["hts10"][:6],
             last["sources"][0][0], *materials, "  ", "none"]  # fmt: skip
    return [
        LineFilter(),
        LineFilter(entry=last["entry_id"]),
        LineFilter(hts=first["hts10"][:4]),
        LineFilter(origin=last["origin"].lower()),
        LineFilter(hts=first["hts10"][:2], origin=first["origin"]),
        *(LineFilter(text=text) for text in texts),
    ]


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
def test_the_index_keeps_what_each_line_filter_keeps(path: Any) -> None:
    doc = golden(path)
    lines = list(flatten(doc))
    run = DocumentLines(doc)
    for where in filters(lines):
        sourced = run.sourced(where.wanted) if where.wanted else frozenset()
        kept = matching(run.index, where, sourced)
        assert kept == [at for at, line in enumerate(lines) if where.keeps(line)], where
        assert totals_at(run.index, kept) == {
            "lines": len(kept),
            "entries": len({lines[at]["entry_id"] for at in kept}),
            "value": sum(int(lines[at]["value"]) for at in kept),
            "duty_cents": sum(cents(lines[at]["duty"]) for at in kept),
        }


@pytest.mark.parametrize("path", golden_files(), ids=case_name)
@pytest.mark.parametrize("descending", [False, True])
def test_the_index_orders_as_each_line_sorts_with_ties_in_filing_order(path: Any, descending: bool) -> None:
    doc = golden(path)
    lines = list(flatten(doc))
    run = DocumentLines(doc)
    everything = list(range(len(lines)))
    for by in SORTS:
        # The per-line order: money as numbers, text as text, nulls last, ties in filing order.
        def key(at: int, by: str = by) -> Any:
            value = lines[at].get(by)
            return float(value) if by in ("value", "duty", "line") else str(value)

        present = [at for at in everything if lines[at].get(by) is not None]
        absent = [at for at in everything if lines[at].get(by) is None]
        expected = sorted(present, key=key, reverse=descending) + absent
        assert ordered(run.index, everything, by, descending) == expected, by


def test_a_pages_entries_are_in_filing_order_whatever_the_pages_order() -> None:
    doc = golden(golden_files()[0])
    run = DocumentLines(doc)
    filing = [entry["entry_id"] for entry in doc["entries"]]
    assert len(filing) >= 2
    backwards = list(reversed(range(len(run.index))))
    assert entries_at(run.index, backwards) == filing
    assert entries_at(run.index, []) == []

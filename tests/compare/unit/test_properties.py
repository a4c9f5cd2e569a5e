"""Properties of the engine on generated lines, against a plain-Python oracle of the same rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ior_compare.domain.engine import compare
from ior_compare.domain.report_json import canonical_json, json_pieces, report_data, to_json
from ior_compare.domain.result import ComparisonResult

from .builders import entries, entry, lines

KEY = ("entry_id", "hts10", "origin", "part")
ENTRIES = ("2704-20260316-SH000001", "2809-20260316-SH000002")

rows = st.fixed_dictionaries(
    {
        "entry_id": st.sampled_from(ENTRIES),
        "line": st.integers(1, 9),
        "hts10": st.sampled_from(("8471.50.01.50", "8517.62.00.20", "8504.40.95.10")),
        "origin": st.sampled_from(("CN", "TW")),
        "part": st.sampled_from(("whole", "non_metal", "metal")),
        "stack": st.sampled_from(("8517.62.00.20", "9903.88.03;8517.62.00.20")),
        "rates": st.sampled_from(("0", "0.0", "0.25;0")),
        "quantity": st.sampled_from(("No.=3", "No.=4")),
        "value": st.integers(0, 20),
        "duty_cents": st.integers(0, 400),
        "net_kg": st.integers(0, 300),
        "gross_kg": st.integers(0, 300),
        "description": st.sampled_from(("Routers", " routers", "Switches")),
    }
)
sides = st.lists(rows, max_size=8, unique_by=lambda row: tuple(row[k] for k in KEY))


def oracle(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]]
) -> tuple[set[Any], set[Any], set[Any]]:
    """(missing keys, extra keys, {(key, field)} out of tolerance), one row at a time."""
    by_e = {tuple(r[k] for k in KEY): r for r in expected}
    by_a = {tuple(r[k] for k in KEY): r for r in actual}
    found = set()
    for key in by_e.keys() & by_a.keys():
        e, a = by_e[key], by_a[key]
        if e["stack"] != a["stack"]:
            found.add((key, "stack"))
        if [float(x) for x in e["rates"].split(";")] != [float(x) for x in a["rates"].split(";")]:
            found.add((key, "rates"))
        if e["quantity"] != a["quantity"]:
            found.add((key, "quantity"))
        if abs(e["value"] - a["value"]) > 1:
            found.add((key, "value"))
        if abs(e["duty_cents"] - a["duty_cents"]) > 100:
            found.add((key, "duty"))
        for kg in ("net_kg", "gross_kg"):
            if e["part"] != "metal" and abs(e[kg] - a[kg]) > max(1, e[kg] / 100):
                found.add((key, kg))
        if "".join(e["description"].split()).lower() != "".join(a["description"].split()).lower():
            found.add((key, "description"))
    return by_e.keys() - by_a.keys(), by_a.keys() - by_e.keys(), found


def compared(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> ComparisonResult:
    same = entries(*(entry(entry_id=e) for e in ENTRIES))
    return compare(lines(*expected), lines(*actual), same, same)


@settings(max_examples=40, deadline=None)
@given(sides, sides)
def test_engine_agrees_with_the_oracle(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> None:
    result = compared(expected, actual)
    missing, extra, found = oracle(expected, actual)
    outcome = result.lines
    keys = list(zip(*(outcome[k] for k in KEY), strict=True))
    assert {k for k, o in zip(keys, outcome["outcome"], strict=True) if o == "missing"} == missing
    assert {k for k, o in zip(keys, outcome["outcome"], strict=True) if o == "extra"} == extra
    frame = result.mismatches
    engine = set(zip(zip(*(frame[k] for k in KEY), strict=True), frame["field"], strict=True))
    assert engine == found
    critical = {"stack", "rates", "quantity", "value", "duty"}
    assert result.passed == (not missing and not extra and not {f for _, f in found} & critical)


@settings(max_examples=20, deadline=None)
@given(sides)
def test_lines_compared_with_themselves_in_any_order_all_match(side: list[dict[str, Any]]) -> None:
    result = compared(side, side[::-1])
    assert result.passed
    assert result.counts.lines.match == len(side)


@settings(max_examples=20, deadline=None)
@given(sides, sides)
def test_swapping_sides_swaps_missing_and_extra(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]]
) -> None:
    forward, backward = compared(expected, actual).counts.lines, compared(actual, expected).counts.lines
    assert (forward.missing, forward.extra) == (backward.extra, backward.missing)
    assert forward.match + forward.mismatch == backward.match + backward.mismatch


ODD_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6)


@settings(max_examples=60, deadline=None)
@given(sides, sides, st.lists(ODD_TEXT, min_size=2, max_size=2), st.integers(0, 3), st.integers(1, 4))
def test_the_report_written_a_column_at_a_time_is_the_encoders_text_of_its_data(
    expected: list[dict[str, Any]], actual: list[dict[str, Any]], texts: list[str], odd: int, block: int
) -> None:
    # GIVEN a comparison of generated lines, some of whose descriptions and origins are any text
    # (quotes, control characters, NUL, non-ASCII)
    for row, text in zip(expected[odd:], texts, strict=False):
        row["description"] = text
    for row in actual[odd:]:
        row["origin"] = texts[1]  # a key column: categorical
    result = compared(expected, actual)
    metadata = {"comparison_id": texts[0], "business_date": "2026-03-16", "expected_run_id": None}
    # WHEN its JSON report is written
    written = to_json(result, metadata=metadata)
    # THEN it is byte for byte the canonical JSON of the report's data
    assert written == canonical_json(report_data(result, metadata=metadata))
    # AND so it is when its frames' rows are written a few at a time
    assert b"".join(json_pieces(result, metadata=metadata, rows_per_piece=block)) == written

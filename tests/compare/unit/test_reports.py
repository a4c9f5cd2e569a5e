"""The JSON report (canonical, deterministic), the HTML report, and the contracts they fill."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from ior_compare.domain.engine import compare
from ior_compare.domain.report_html import to_html
from ior_compare.domain.report_json import report_data, to_json
from ior_compare.domain.result import ComparisonResult
from ior_contracts.compare import ComparisonCounts, FieldMismatches
from ior_contracts.compare_report import ComparisonReport

from .builders import compare_lines, entries, entry, line, lines

EXPECTED = [
    line(),
    line(line=2, hts10="8471.50.01.50", stack="8471.50.01.50", rates="0"),
    line(line=3, hts10="8504.40.95.10", stack="8504.40.95.10", rates="0.015", part="non_metal"),
    line(line=4, hts10="8504.40.95.10", stack="9903.82.02;8504.40.95.10", rates="0.5;0.015", part="metal"),
]
ACTUAL = [
    line(value=1014, duty_cents=25_140),
    line(line=2, hts10="8471.50.01.50", stack="8471.50.01.50", rates="0", description="<b>Routers</b>"),
    line(line=3, hts10="8544.42.90.90", stack="8544.42.90.90", rates="0.026"),
]


def result_of(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> ComparisonResult:
    return compare_lines(expected, actual)


def test_json_is_byte_identical_for_the_same_inputs() -> None:
    first = to_json(result_of(EXPECTED, ACTUAL), metadata={"business_date": "2026-03-16"})
    second = to_json(result_of(EXPECTED, ACTUAL), metadata={"business_date": "2026-03-16"})
    assert first == second


def test_json_does_not_depend_on_input_row_order() -> None:
    assert to_json(result_of(EXPECTED, ACTUAL)) == to_json(result_of(EXPECTED[::-1], ACTUAL[::-1]))


def test_json_does_not_depend_on_how_strings_are_stored() -> None:
    """Arrow-backed `str`, Python-backed `str` and object columns give the same report."""
    frames = [lines(*EXPECTED), lines(*ACTUAL), entries(entry()), entries(entry())]

    def restored(storage: object) -> list[pd.DataFrame]:
        return [
            frame.astype({c: storage for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)})
            for frame in frames
        ]

    reports = {
        to_json(compare(*restored(storage)))
        for storage in ("str", pd.StringDtype("python", na_value=float("nan")), object)
    }
    assert len(reports) == 1


def test_json_is_canonical_and_complete() -> None:
    raw = to_json(result_of(EXPECTED, ACTUAL))
    data = json.loads(raw)
    assert raw == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert data["passed"] is False
    assert data["counts"]["lines"] == {"match": 0, "mismatch": 2, "missing": 2, "extra": 1, "duplicate": 0}
    assert len(data["lines"]["rows"]) == 5
    assert data["mismatches"]["columns"][:2] == ["level", "entry_id"]
    assert data["config_version"] == data["config_version"].lower()
    missing = [
        row for row in data["lines"]["rows"] if row[data["lines"]["columns"].index("outcome")] == "missing"
    ]
    assert all(row[data["lines"]["columns"].index("actual_line")] is None for row in missing)


def test_counts_and_worst_fields_fill_the_contract_models() -> None:
    result = result_of(EXPECTED, ACTUAL)
    counts = ComparisonCounts.model_validate(result.counts.as_dict())
    assert counts.lines.missing == 2
    worst = [FieldMismatches.model_validate(summary.as_dict()) for summary in result.worst_fields]
    assert [(w.field, w.max_abs_delta) for w in worst[:2]] == [("value", "14"), ("duty", "1.40")]
    assert report_data(result)["worst_fields"][0]["field"] == "value"


def test_the_report_is_the_contracts_compare_report_field_for_field() -> None:
    # GIVEN a failing comparison and a passing one, WHEN their reports are read as the contract
    for expected, actual in ((EXPECTED, ACTUAL), (EXPECTED, EXPECTED)):
        raw = to_json(result_of(expected, actual), metadata={"comparison_id": "c-1", "lines": 4})
        report = ComparisonReport.model_validate_json(raw)
        # THEN nothing is left over or missing (the model forbids unknown fields), and it reads back
        # to the same canonical bytes
        assert to_json_of(report) == raw
    assert [f.name for f in report.tolerances][:2] == ["stack", "rates"]


def to_json_of(report: ComparisonReport) -> bytes:
    data = report.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_html_shows_summary_counts_worst_fields_and_tables_escaped() -> None:
    page = to_html(result_of(EXPECTED, ACTUAL), metadata={"business_date": "2026-03-16"})
    assert "FAILED" in page
    assert "2026-03-16" in page
    assert "<h2>Worst fields</h2>" in page
    assert "<td>duty</td>" in page
    assert "&lt;b&gt;Routers&lt;/b&gt;" in page
    assert "<b>Routers</b>" not in page
    assert "Entries" in page
    assert "2704-20260316-SH000001" in page


def test_html_cuts_long_tables_and_says_so() -> None:
    rows = [line(line=n, hts10=f"8471.{n:02d}.00.00", stack=f"8471.{n:02d}.00.00") for n in range(1, 6)]
    page = to_html(compare_lines(rows, [{**r, "value": 2000} for r in rows]), max_rows=2)
    assert "First 2 of 5 rows" in page


def test_html_of_a_passing_comparison() -> None:
    same = lines(line())
    page = to_html(compare(same, same, entries(entry()), entries(entry())))
    assert "PASSED" in page
    assert "Every compared field is within tolerance." in page


def test_result_frames_have_plain_column_types() -> None:
    result = result_of(EXPECTED, ACTUAL)
    assert isinstance(result.lines["entry_id"].dtype, pd.CategoricalDtype)
    assert result.lines["mismatched_fields"].dtype == "str"
    assert result.lines["expected_line"].dtype == "Int64"
    assert isinstance(result.lines["outcome"].dtype, pd.CategoricalDtype)
    assert result.mismatches["critical"].dtype == bool

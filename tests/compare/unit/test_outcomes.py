"""Line and entry outcomes: match, mismatch, missing, extra, duplicate, and the pass rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
from ior_compare.domain.discrepancies import MISMATCH_COLUMNS
from ior_compare.domain.engine import compare
from ior_compare.domain.result import ComparisonResult, OutcomeCounts

from .builders import ENTRY, compare_lines, entries, entry, line, lines, mismatched

STACK_A = "9903.88.03;8517.62.00.20"
STACK_B = "9903.01.24;8517.62.00.20"
STACK_C = "9903.03.01;8517.62.00.20"


def outcomes(result: ComparisonResult) -> list[tuple[object, object, str]]:
    frame = result.lines
    return list(zip(frame["expected_line"], frame["actual_line"], frame["outcome"], strict=True))


def test_identical_lines_match_and_pass() -> None:
    result = compare_lines(
        [line(), line(line=2, hts10="8471.50.01.50")], [line(), line(line=2, hts10="8471.50.01.50")]
    )
    assert result.counts.lines == OutcomeCounts(match=2)
    assert result.counts.entries == OutcomeCounts(match=1)
    assert result.passed
    assert result.mismatches.empty
    assert result.worst_fields == ()


def test_one_row_per_mismatching_field_with_expected_actual_delta_and_tolerance() -> None:
    result = compare_lines([line()], [line(value=1014, duty_cents=25_140, gross_kg=61)])
    assert result.counts.lines == OutcomeCounts(mismatch=1)
    assert list(result.mismatches.columns) == list(MISMATCH_COLUMNS)
    rows = result.mismatches[
        ["field", "expected", "actual", "delta", "tolerance", "critical"]
    ].values.tolist()
    assert rows == [
        ["value", "1000", "1014", "14", "±1", True],
        ["duty", "250.00", "251.40", "1.40", "±1.00", True],
        ["gross_kg", "55", "61", "6", "±1.00", False],
    ]
    assert result.lines.loc[0, "mismatched_fields"] == "value;duty;gross_kg"
    assert [(f.field, f.critical, f.mismatches, str(f.max_abs_delta)) for f in result.worst_fields] == [
        ("value", True, 1, "14"), ("duty", True, 1, "1.40"), ("gross_kg", False, 1, "6"),
    ]  # fmt: skip


def test_worst_fields_rank_critical_first_then_by_count() -> None:
    expected = [line(line=n, hts10=f"8471.{n:02d}.00.00", stack=f"8471.{n:02d}.00.00") for n in range(1, 4)]
    actual = [
        line(line=1, hts10="8471.01.00.00", stack="8471.01.00.00", description="x", net_kg=90),
        line(line=2, hts10="8471.02.00.00", stack="8471.02.00.00", description="x", net_kg=90),
        line(line=3, hts10="8471.03.00.00", stack="8471.03.00.00", description="x", value=1003),
    ]
    ranked = [(f.field, f.mismatches) for f in compare_lines(expected, actual).worst_fields]
    assert ranked == [("value", 1), ("description", 3), ("net_kg", 2)]


def test_a_line_only_in_the_manual_run_is_missing() -> None:
    result = compare_lines([line(), line(line=2, hts10="8471.50.01.50")], [line()])
    assert result.counts.lines == OutcomeCounts(match=1, missing=1)
    assert outcomes(result)[0] == (2, pd.NA, "missing")
    assert not result.passed
    assert result.failure_reasons() == ("1 lines missing",)


def test_a_line_only_in_the_automated_run_is_extra() -> None:
    result = compare_lines([line()], [line(), line(line=2, hts10="8471.50.01.50")])
    assert result.counts.lines == OutcomeCounts(match=1, extra=1)
    assert outcomes(result)[0] == (pd.NA, 2, "extra")
    assert not result.passed


def test_one_line_each_under_a_key_pairs_even_when_stacks_differ() -> None:
    result = compare_lines([line(stack=STACK_A)], [line(stack=STACK_B)])
    assert result.counts.lines == OutcomeCounts(mismatch=1)
    assert mismatched(result) == [("stack", None)]


def test_several_lines_under_one_key_pair_by_stack() -> None:
    """GIVEN two lines with one key on each side, listed in different orders
    WHEN compared THEN each pairs with the line of the same stack."""
    expected = [line(line=1, stack=STACK_A, value=10), line(line=2, stack=STACK_B, value=20)]
    actual = [line(line=1, stack=STACK_B, value=20), line(line=2, stack=STACK_A, value=10)]
    result = compare_lines(expected, actual)
    assert result.counts.lines == OutcomeCounts(match=2)
    assert [(e, a) for e, a, _ in outcomes(result)] == [(2, 1), (1, 2)]  # stack order: B < A as text


def test_lines_left_over_under_a_key_are_duplicates() -> None:
    expected = [line(line=1, stack=STACK_A), line(line=2, stack=STACK_B)]
    actual = [line(line=1, stack=STACK_A), line(line=2, stack=STACK_C)]
    result = compare_lines(expected, actual)
    assert result.counts.lines == OutcomeCounts(match=1, duplicate=2)
    assert sorted((str(e), str(a)) for e, a, o in outcomes(result) if o == "duplicate") == [
        ("2", "<NA>"),
        ("<NA>", "2"),
    ]
    assert not result.passed
    assert "2 lines duplicate" in result.failure_reasons()


def test_a_second_line_with_the_same_stack_is_a_duplicate() -> None:
    result = compare_lines([line(stack=STACK_A)], [line(line=1, stack=STACK_A), line(line=2, stack=STACK_A)])
    assert result.counts.lines == OutcomeCounts(match=1, duplicate=1)
    assert outcomes(result)[1] == (pd.NA, 2, "duplicate")


def test_one_line_against_two_of_other_stacks_is_all_duplicates() -> None:
    result = compare_lines([line(stack=STACK_A)], [line(line=1, stack=STACK_B), line(line=2, stack=STACK_C)])
    assert result.counts.lines == OutcomeCounts(duplicate=3)


def test_several_lines_under_a_key_missing_on_the_other_side_are_missing_not_duplicates() -> None:
    result = compare_lines([line(line=1, stack=STACK_A), line(line=2, stack=STACK_B)], [])
    assert result.counts.lines == OutcomeCounts(missing=2)


def test_both_sides_empty_passes() -> None:
    result = compare(lines(), lines(), entries(), entries())
    assert result.passed
    assert result.counts.lines == OutcomeCounts()
    assert result.lines.empty
    assert result.mismatches.empty
    assert result.entries.empty


def test_no_automated_lines_makes_every_manual_item_missing() -> None:
    result = compare(lines(line(), line(line=2, hts10="8471.50.01.50")), lines(), entries(entry()), entries())
    assert result.counts.lines == OutcomeCounts(missing=2)
    assert result.counts.entries == OutcomeCounts(missing=1)
    assert not result.passed


def test_no_manual_lines_makes_every_automated_item_extra() -> None:
    result = compare(lines(), lines(line()), entries(), entries(entry()))
    assert result.counts.lines == OutcomeCounts(extra=1)
    assert result.counts.entries == OutcomeCounts(extra=1)
    assert result.entries.iloc[0][["entry_id", "outcome", "lines_extra"]].tolist() == [ENTRY, "extra", 1]


def test_entries_only_on_one_side_are_missing_or_extra() -> None:
    other = "2704-20260316-SH000002"
    result = compare(lines(line()), lines(line()), entries(entry()), entries(entry(), entry(entry_id=other)))
    assert result.counts.entries == OutcomeCounts(match=1, extra=1)
    assert not result.passed
    result = compare(lines(line()), lines(line()), entries(entry(), entry(entry_id=other)), entries(entry()))
    assert result.counts.entries == OutcomeCounts(match=1, missing=1)


def test_an_entry_listed_twice_is_a_duplicate() -> None:
    result = compare(lines(line()), lines(line()), entries(entry()), entries(entry(), entry()))
    assert result.counts.entries == OutcomeCounts(match=1, duplicate=1)
    assert not result.passed


def test_entry_rows_count_their_line_outcomes() -> None:
    expected = [line(), line(line=2, hts10="8471.50.01.50"), line(line=3, hts10="8504.40.95.10")]
    actual = [line(value=1100), line(line=2, hts10="8471.50.01.50")]
    row = compare_lines(expected, actual).entries.iloc[0]
    assert row[["lines_match", "lines_mismatch", "lines_missing", "lines_extra"]].tolist() == [1, 1, 1, 0]


def test_a_non_critical_mismatch_still_passes() -> None:
    result = compare_lines([line()], [line(description="Other words", net_kg=80, gross_kg=90)])
    assert result.counts.lines == OutcomeCounts(mismatch=1)
    assert result.passed
    assert not result.lines.loc[0, "critical"]


def test_a_critical_entry_mismatch_fails() -> None:
    result = compare(
        lines(line()), lines(line()), entries(entry(mpf_cents=3358)), entries(entry(mpf_cents=None))
    )
    assert result.counts.entries == OutcomeCounts(mismatch=1)
    assert not result.passed
    row = result.mismatches.iloc[0]
    assert row[["level", "entry_id", "field", "expected", "critical"]].tolist() == [
        "entry",
        ENTRY,
        "mpf",
        "33.58",
        True,
    ]
    assert [pd.isna(row[name]) for name in ("actual", "delta", "hts10")] == [True, True, True]


def test_formal_and_flags_mismatch_without_failing() -> None:
    result = compare(
        lines(line()), lines(line()),
        entries(entry(formal=False, flags="informal")), entries(entry(formal=True, flags="")),
    )  # fmt: skip
    assert [f.field for f in result.worst_fields] == ["formal", "flags"]
    assert result.passed


def test_flags_compare_as_a_set_and_null_means_none() -> None:
    same_set = compare(
        lines(line()), lines(line()),
        entries(entry(flags="informal;fee_rate_missing")), entries(entry(flags="fee_rate_missing;informal")),
    )  # fmt: skip
    assert same_set.counts.entries.match == 1
    empty = compare(lines(line()), lines(line()), entries(entry(flags="")), entries(entry(flags=None)))
    assert empty.counts.entries.match == 1


def test_both_null_is_equal_and_one_null_is_a_mismatch_with_null_delta() -> None:
    both = compare_lines([line(value=None, description=None)], [line(value=None, description=None)])
    assert both.counts.lines.match == 1
    one = compare_lines([line(value=None)], [line(value=1000)])
    row = one.mismatches.iloc[0]
    assert (row["field"], row["actual"]) == ("value", "1000")
    assert [pd.isna(row[name]) for name in ("expected", "delta")] == [True, True]
    assert not one.passed
    assert one.worst_fields[0].max_abs_delta is None


def test_nan_in_a_float_weight_column_is_null() -> None:
    expected = lines(line(), line(line=2, hts10="8471.50.01.50"))
    actual = expected.assign(net_kg=np.array([np.nan, 50.0]))
    expected = expected.assign(net_kg=np.array([np.nan, 50.0]))
    same = entries(entry())
    assert compare(expected, actual, same, same).counts.lines.match == 2
    result = compare(expected, actual.assign(net_kg=np.array([50.0, 50.0])), same, same)
    assert mismatched(result) == [("net_kg", None)]


def test_object_text_columns_are_accepted() -> None:
    expected = lines(line())
    actual = expected.astype({"stack": object, "description": object})
    same = entries(entry())
    assert compare(expected, actual, same, same).passed


def test_lines_are_ordered_by_key_whatever_the_input_order() -> None:
    rows = [
        line(entry_id="2809-20260316-SH000002", hts10="8471.50.01.50"),
        line(hts10="8517.62.00.20", part="metal"),
        line(hts10="8517.62.00.20", part="non_metal"),
        line(hts10="8517.62.00.20", part="whole", origin="TW"),
        line(hts10="8471.50.01.50"),
    ]
    result = compare_lines(rows, list(reversed(rows)))
    keys = result.lines[["entry_id", "hts10", "origin", "part"]].values.tolist()
    assert keys == [
        ["2704-20260316-SH000001", "8471.50.01.50", "CN", "whole"],
        ["2704-20260316-SH000001", "8517.62.00.20", "CN", "non_metal"],
        ["2704-20260316-SH000001", "8517.62.00.20", "CN", "metal"],
        ["2704-20260316-SH000001", "8517.62.00.20", "TW", "whole"],
        ["2809-20260316-SH000002", "8471.50.01.50", "CN", "whole"],
    ]

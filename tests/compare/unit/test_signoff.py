"""The parity sign-off report over a date range."""

from __future__ import annotations

import json
from datetime import date

import pytest
from ior_compare.domain.signoff import DayComparison, Resolution, SignoffReport, build_signoff

from .builders import compare_lines, line

NOV_23, NOV_24, NOV_25, NOV_26, NOV_27 = (date(2026, 11, d) for d in range(23, 28))


def report(resolutions: list[Resolution] | None = None) -> SignoffReport:
    days = [
        DayComparison(NOV_23, True, True, "cmp-1"),
        DayComparison(NOV_24, True, False, "cmp-2", {"value": 2, "missing": 1}),
        DayComparison(NOV_25, True, None),
        DayComparison(date(2026, 11, 28), True, True, "cmp-4"),
    ]
    return build_signoff(
        days, start=NOV_23, end=date(2026, 11, 30), resolutions=resolutions or [], required_streak=2
    )


def test_each_day_has_its_outcome() -> None:
    outcomes = [(day.business_date, day.outcome) for day in report().days]
    assert outcomes == [
        (NOV_23, "passed"),
        (NOV_24, "failed"),
        (NOV_25, "missing_comparison"),
        (NOV_26, "holiday"),
        (NOV_27, "no_transactions"),
        (date(2026, 11, 28), "weekend"),
        (date(2026, 11, 30), "no_transactions"),
    ]
    assert report().outcome_counts()["holiday"] == 1


def test_discrepancies_carry_their_resolution_and_the_rest_are_unresolved() -> None:
    signoff = report([Resolution(NOV_24, "value", "Stale rate in the manual CSV", "maria.chen")])
    day = signoff.days[1]
    assert [(d.field, d.count, d.resolution is not None) for d in day.discrepancies] == [
        ("missing", 1, False), ("value", 2, True),
    ]  # fmt: skip
    assert [(when, d.field) for when, d in signoff.unresolved()] == [(NOV_24, "missing")]


def test_a_resolution_that_matches_nothing_is_kept_apart() -> None:
    signoff = report([Resolution(NOV_23, "duty", "nothing to explain")])
    assert [r.field for r in signoff.unmatched_resolutions] == ["duty"]
    assert "Resolutions that match no discrepancy" in signoff.to_markdown()


def test_streak_and_readiness() -> None:
    signoff = report()
    assert signoff.streak.days == 0
    assert signoff.streak.broken_because == "no_comparison"
    assert not signoff.ready_for_cutover


def test_data_is_json_able_and_text_is_written_for_people() -> None:
    signoff = report([Resolution(NOV_24, "value", "Stale rate | fixed", "maria.chen")])
    data = json.loads(json.dumps(signoff.to_data()))
    assert data["days"][1]["discrepancies"][1] == {
        "field": "value", "count": 2, "resolution": "Stale rate | fixed", "resolved_by": "maria.chen",
    }  # fmt: skip
    markdown = signoff.to_markdown()
    assert "| 2026-11-26 (Thu) | holiday: Thanksgiving Day |" in markdown
    assert "Stale rate \\| fixed (maria.chen)" in markdown
    page = signoff.to_html()
    assert "Thanksgiving Day" in page
    assert "not yet ready for cutover" in page


def test_a_day_comparison_is_built_from_a_result() -> None:
    result = compare_lines([line()], [line(value=1010), line(line=2, hts10="8471.50.01.50")])
    day = DayComparison.from_result(NOV_23, result, has_transactions=True, comparison_id="cmp-9")
    assert (day.passed, dict(day.discrepancies)) == (False, {"value": 1, "extra": 1})


def test_a_reversed_range_is_refused() -> None:
    with pytest.raises(ValueError, match="after end"):
        build_signoff([], start=NOV_24, end=NOV_23)

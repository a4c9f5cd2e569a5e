"""fee-table from the fee notices: the cited years the product ships make a contiguous table; an
admin's notice is taken, replaces an earlier one with the same first day, or is refused with the rule
it breaks (a figure out of bounds, an overlap, a gap, and everything after a gap); and how far ahead
the table covers on a day.

FY2027 figures appear only as test data with a fictitious citation: none could be cited here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from ior_contracts.datasets import FEE_TABLE
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.fee_table import build_fee_table, coverage
from ior_etl.domain.sap_fields import CBP_FEES
from ior_etl.domain.snapshot import read_snapshot, write_snapshot
from ior_ingestion.domain.fee_notices import shipped_notices

SHIPPED = [n.record() for n in shipped_notices()]
TEST_CITATION = "TEST ONLY - fictitious notice, not a Federal Register citation"


def notice(fiscal_year: int, start: str, end: str, **changes: str) -> dict[str, Any]:
    """An admin's notice, as the ingestion service lands it."""
    return {
        "fiscal_year": fiscal_year,
        "effective_from": start,
        "effective_to": end,
        "mpf_rate": "0.003464",
        "mpf_minimum": "34.00",
        "mpf_maximum": "660.00",
        "hmf_rate": "0.00125",
        "citation": TEST_CITATION,
        "recorded_by": "maria.chen",
        "recorded_at": "2026-07-30T14:03:00.000000Z",
        "event_id": f"notice-{fiscal_year}-{start}",
        **changes,
    }


FY2027 = notice(2027, "2026-10-01", "2027-09-30")


def build(*notices: dict[str, Any]) -> Any:
    return build_fee_table(records_frame([*SHIPPED, *notices], CBP_FEES))


def refusals(result: Any) -> list[tuple[int, str, str]]:
    firsts = result.rejected.drop_duplicates(["row"], keep="first")
    return list(zip(firsts["row"], firsts["rule"], firsts["reason"], strict=True))


def test_the_shipped_notices_make_a_contiguous_table_of_the_cited_years() -> None:
    table = build()
    assert table.outcome.rejected_rows == 0
    assert not table.held
    assert [
        (r.fiscal_year, r.effective_from.date(), r.effective_to.date()) for r in table.frame.itertuples()
    ] == [
        (2024, date(2023, 10, 1), date(2024, 9, 30)),
        (2025, date(2024, 10, 1), date(2025, 9, 30)),
        (2026, date(2025, 10, 1), date(2026, 9, 30)),
    ]
    fy2026 = table.frame.iloc[2]
    assert (fy2026.mpf_rate, fy2026.mpf_minimum, fy2026.mpf_maximum, fy2026.hmf_rate) == (
        Decimal("0.003464"),
        Decimal("33.58"),
        Decimal("651.50"),
        Decimal("0.00125"),
    )
    assert "90 FR 34665" in fy2026.citation
    assert set(table.frame["recorded_by"]) == {"shipped"}


def test_the_table_round_trips_through_its_snapshot_byte_for_byte() -> None:
    table = build(FY2027)
    snapshot = write_snapshot(table.frame, FEE_TABLE.name)
    assert write_snapshot(build(FY2027).frame, FEE_TABLE.name).data == snapshot.data
    back = read_snapshot(snapshot.data, FEE_TABLE.name)
    assert list(back.columns) == list(FEE_TABLE.names)
    assert back["fiscal_year"].tolist() == [2024, 2025, 2026, 2027]


def test_an_admins_next_fiscal_year_is_taken_after_the_shipped_ones() -> None:
    table = build(FY2027)
    assert table.outcome.rejected_rows == 0
    last = table.frame.iloc[-1]
    assert (last.fiscal_year, last.mpf_maximum, last.citation, last.recorded_by) == (
        2027,
        Decimal("660.00"),
        TEST_CITATION,
        "maria.chen",
    )


def test_a_later_notice_with_the_same_first_day_replaces_the_earlier_one() -> None:
    corrected = notice(2027, "2026-10-01", "2027-09-30", mpf_maximum="662.00", event_id="later")
    table = build(FY2027, corrected)
    assert table.frame["mpf_maximum"].tolist()[-1] == Decimal("662.00")
    [(row, rule, reason)] = refusals(table)
    assert (row, rule) == (4, "superseded")
    assert "replaced by FY2027 (2026-10-01 to 2027-09-30, recorded by maria.chen" in reason


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"citation": "  "}, "missing_citation", "no citation"),
        ({"mpf_minimum": "34.005"}, "amount_not_in_cents", "not an amount in dollars and cents"),
        ({"mpf_minimum": "0.00"}, "amount_not_positive", "must be above zero"),
        ({"mpf_minimum": "700.00"}, "minimum_above_maximum", "minimum 700.00 is above its maximum 660.00"),
        ({"mpf_rate": "0.034640"}, "mpf_rate_out_of_bounds", "MPF rate 0.034640 is not a fraction"),
        ({"mpf_rate": "0"}, "mpf_rate_out_of_bounds", "above 0"),
        ({"hmf_rate": "0.0125x"}, "hmf_rate_out_of_bounds", "HMF rate 0.0125x"),
        ({"effective_to": "2027-10-31"}, "outside_fiscal_year", "not a run of days within fiscal year 2027"),
        ({"effective_from": "2026-13-01"}, "malformed_date", "is not an ISO date"),
        ({"fiscal_year": "next"}, "malformed_fiscal_year", "fiscal year next is not a year"),
    ],
)
def test_a_notice_that_is_not_whole_is_refused_with_its_rule(
    changes: dict[str, str], rule: str, words: str
) -> None:
    table = build({**FY2027, **changes})
    [(row, found, reason)] = refusals(table)
    assert (row, found) == (4, rule)
    assert words in reason
    assert table.frame["fiscal_year"].tolist() == [2024, 2025, 2026]
    assert not table.held  # the rest of the table stands


def test_a_notice_overlapping_a_row_is_refused_and_the_row_stays() -> None:
    mid_year = notice(2026, "2026-04-01", "2026-09-30")
    table = build(mid_year)
    [(_, rule, reason)] = refusals(table)
    assert rule == "overlaps"
    assert "overlap FY2026 (2025-10-01 to 2026-09-30, recorded by the product), which stays" in reason
    assert table.frame["fiscal_year"].tolist() == [2024, 2025, 2026]


def test_a_notice_after_a_gap_is_refused_and_so_is_everything_after_it() -> None:
    fy2028 = notice(2028, "2027-10-01", "2028-09-30")
    fy2029 = notice(2029, "2028-10-01", "2029-09-30")
    table = build(fy2028, fy2029)
    assert [(rule, reason.split(": ", 1)[1]) for _, rule, reason in refusals(table)] == [
        ("leaves_a_gap", "no row covers 2026-10-01 to 2027-09-30: record that fiscal year first"),
        ("leaves_a_gap", "no row covers 2026-10-01 to 2027-09-30: record that fiscal year first"),
    ]
    # ...until the missing year is recorded: then all three are taken
    assert build(fy2028, fy2029, FY2027).frame["fiscal_year"].tolist() == [2024, 2025, 2026, 2027, 2028, 2029]


def test_coverage_follows_contiguous_rows_from_the_day() -> None:
    shipped = build().frame
    on_day = coverage(shipped, date(2026, 8, 1), 45)
    assert (on_day.covered_until, on_day.days_ahead, on_day.short) == (date(2026, 9, 30), 60, False)
    # 45 days before the end is enough; 44 is not
    assert not coverage(shipped, date(2026, 8, 16), 45).short
    assert coverage(shipped, date(2026, 8, 17), 45).short
    # A day no row covers is not covered at all
    after = coverage(shipped, date(2026, 10, 1), 45)
    assert (after.covered_until, after.days_ahead, after.short) == (None, 0, True)
    # With FY2027 recorded the table covers to 30 September 2027
    assert coverage(build(FY2027).frame, date(2026, 12, 6), 45).covered_until == date(2027, 9, 30)


def test_an_empty_table_covers_nothing() -> None:
    empty = build_fee_table(records_frame([], CBP_FEES)).frame
    assert isinstance(empty, pd.DataFrame)
    assert coverage(empty, date(2026, 8, 1), 45).covered_until is None

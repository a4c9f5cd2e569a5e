"""An incremental source as one frame: which extracts are kept, and which row each decides. Billing
extracts are windows of arrival dates (ZZARRIVAL)."""

from __future__ import annotations

from datetime import date

from ior_contracts.claims import ClaimCheck
from ior_etl.domain.extracts import records_frame
from ior_etl.domain.sap_fields import ZSDR002
from ior_etl.domain.sources import INCREMENTAL
from ior_etl.domain.transactions import build_transactions
from ior_etl.ports import LandedExtract
from ior_etl.service_layer.incremental import Part, kept, merge

from tests.etl.unit.records import billing


def extract(name: str, start: str, end: str, landed: str) -> LandedExtract:
    claim = ClaimCheck(uri=f"s3://b/{name}", sha256=name * 64, row_count=0, schema_version="t")
    return LandedExtract("ZSDR002", claim, date.fromisoformat(start), date.fromisoformat(end), landed, name)


def test_an_extract_whose_window_later_ones_cover_is_not_kept() -> None:
    first = extract("a", "2026-03-01", "2026-03-10", "1")
    second = extract("b", "2026-03-03", "2026-03-12", "2")
    third = extract("c", "2026-03-01", "2026-03-02", "3")  # with `b`, covers `a` entirely
    assert kept([first, second]) == [first, second]
    assert kept([third, first, second]) == [second, third]


def test_windows_that_leave_a_day_uncovered_keep_the_older_extract() -> None:
    older = extract("a", "2026-03-01", "2026-03-10", "1")
    assert (
        kept(
            [
                older,
                extract("b", "2026-03-01", "2026-03-04", "2"),
                extract("c", "2026-03-06", "2026-03-12", "3"),
            ]
        )[0]
        == older
    )


def test_the_newest_extract_decides_its_dates_and_its_keys() -> None:
    old = extract("a", "2026-03-01", "2026-03-10", "1")
    new = extract("b", "2026-03-08", "2026-03-12", "2")
    before = records_frame(
        [
            billing("1", ZZARRIVAL="2026-03-02"),  # only the old extract speaks for the 2nd: kept
            billing("2", ZZARRIVAL="2026-03-09"),  # the new extract holds the 9th and no longer has it: gone
            billing("3", ZZARRIVAL="2026-03-05"),  # moved to the 11th in the new extract: the new row wins
        ],
        ZSDR002,
    )
    after = records_frame(
        [billing("3", ZZARRIVAL="2026-03-11"), billing("4", ZZARRIVAL="2026-03-12")], ZSDR002
    )

    merged = merge([Part(old, before), Part(new, after)], INCREMENTAL["ZSDR002"])

    assert merged.frame["VBELN"].tolist() == ["0000000001", "0000000003", "0000000004"]
    assert merged.frame["ZZARRIVAL"].tolist() == ["2026-03-02", "2026-03-11", "2026-03-12"]
    assert merged.frame["source_row"].tolist() == [1, 2, 3]
    assert [(e.run_id, line) for e, line in merged.origins] == [("a", 1), ("b", 1), ("b", 2)]


def test_an_undated_row_in_overlapping_extracts_is_kept_once_and_quarantined_once() -> None:
    old = extract("a", "2026-03-05", "2026-03-12", "1")
    new = extract("b", "2026-03-06", "2026-03-13", "2")
    first = records_frame([billing("1", ZZARRIVAL="2026-03-12"), billing("9", ZZARRIVAL="")], ZSDR002)
    second = records_frame(
        [
            billing("1", ZZARRIVAL="2026-03-12"),
            billing("2", ZZARRIVAL="2026-03-13"),
            billing("9", ZZARRIVAL=""),
        ],
        ZSDR002,
    )
    extracts = kept([old, new])
    assert extracts == [old, new]
    merged = merge([Part(old, first), Part(new, second)], INCREMENTAL["ZSDR002"])
    assert merged.frame["VBELN"].tolist() == ["0000000001", "0000000002", "0000000009"]
    assert [(e.run_id, line) for e, line in merged.origins] == [("b", 1), ("b", 2), ("b", 3)]

    build = build_transactions(merged.frame)
    assert build.validation.rejected_rows == 1
    assert build.validation.rejected["rule"].tolist() == ["invalid_arrival_date"]
    assert build.frame["document"].tolist() == ["1", "2"]


def test_an_undated_row_sap_dated_later_is_replaced_by_its_dated_copy() -> None:
    old = extract("a", "2026-03-05", "2026-03-12", "1")
    new = extract("b", "2026-03-06", "2026-03-13", "2")
    first = records_frame([billing("9", ZZARRIVAL="")], ZSDR002)
    second = records_frame([billing("9", ZZARRIVAL="2026-03-13")], ZSDR002)
    merged = merge([Part(old, first), Part(new, second)], INCREMENTAL["ZSDR002"])
    assert merged.frame["ZZARRIVAL"].tolist() == ["2026-03-13"]
    build = build_transactions(merged.frame)
    assert build.validation.rejected_rows == 0
    assert build.frame["document"].tolist() == ["9"]

"""The fee notices over in-memory ports: an admin's notice is kept once and every notice is landed
again with it; the schedule lands them too; the shipped figures are the cited fiscal years only."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ior_contracts.envelope import Metadata, deterministic_event_id, new_metadata
from ior_contracts.fees import FeeNoticeSubmitted
from ior_contracts.ingestion import FeeNoticeRef, FeeNoticesLanded, FeeNoticesRequested
from ior_ingestion.config import IngestionConfig
from ior_ingestion.domain.fee_notices import shipped_notices
from ior_ingestion.ports import Deps, SapPort
from ior_ingestion.service_layer.handlers import fee_notice_submitted, fee_notices_requested

from tests.ingestion.fakes import (
    FakeUsitc,
    MemoryFeeNotices,
    MemoryLanding,
    MemoryLedger,
    MemoryStaging,
    Published,
)

# A fiscal year nobody could cite on this machine: the figures and the citation are test data only.
FY2027 = FeeNoticeSubmitted(
    fiscal_year=2027,
    mpf_rate="0.003464",
    mpf_minimum="34.00",
    mpf_maximum="660.00",
    hmf_rate="0.00125",
    citation="TEST ONLY - fictitious notice, not a Federal Register citation",
    submitted_by="maria.chen",
)


def no_sap() -> SapPort:
    raise AssertionError("no SAP source is extracted here")


def deps() -> Deps:
    return Deps(
        config=IngestionConfig(),
        sap=no_sap,
        usitc=FakeUsitc([], {}),
        ledger=MemoryLedger(),
        fee_notices=MemoryFeeNotices(),
        staging=MemoryStaging(),
        landing=MemoryLanding(),
        clock=lambda: 1_000,
    )


def submitted(event_id: str, at: datetime) -> Metadata:
    return new_metadata(FeeNoticeSubmitted, event_id=event_id, occurred_at=at)


def test_the_product_ships_the_cited_fiscal_years_and_nothing_after_fy2026() -> None:
    notices = shipped_notices()
    assert [(n.fiscal_year, n.effective_from, n.effective_to) for n in notices] == [
        (2024, date(2023, 10, 1), date(2024, 9, 30)),
        (2025, date(2024, 10, 1), date(2025, 9, 30)),
        (2026, date(2025, 10, 1), date(2026, 9, 30)),
    ]
    assert [(n.mpf_minimum, n.mpf_maximum) for n in notices] == [
        ("31.67", "614.35"),
        ("32.71", "634.62"),
        ("33.58", "651.50"),
    ]
    assert {(n.mpf_rate, n.hmf_rate, n.recorded_by) for n in notices} == {("0.003464", "0.00125", "shipped")}
    assert ["88 FR 48900" in notices[0].citation, "2024-15990" in notices[1].citation] == [True, True]
    assert "90 FR 34665" in notices[2].citation


def test_an_admins_notice_is_kept_and_landed_with_the_shipped_ones() -> None:
    wired, published = deps(), Published()
    at = datetime(2027, 7, 30, 14, 3, tzinfo=UTC)

    # WHEN an admin records FY2027
    landed = fee_notice_submitted(FY2027, cause=submitted("notice-1", at), deps=wired, publish=published)

    # THEN the notice is kept with who recorded it and when, for the fiscal year's days
    assert isinstance(wired.fee_notices, MemoryFeeNotices)
    [kept] = wired.fee_notices.recorded()
    assert (kept.fiscal_year, kept.effective_from, kept.effective_to) == (
        2027,
        date(2026, 10, 1),
        date(2027, 9, 30),
    )
    assert (kept.recorded_by, kept.recorded_at, kept.event_id) == (
        "maria.chen",
        "2027-07-30T14:03:00.000000Z",
        "notice-1",
    )
    # AND one extract of source CBP_FEES holds the three shipped notices, then it
    assert isinstance(wired.landing, MemoryLanding)
    [landing] = wired.landing.landings
    assert landing.source == "CBP_FEES"
    assert landing.staged.schema_version == "CBP_FEES/1"
    assert (landed.shipped, landed.recorded, landed.trigger) == (3, 1, "api")
    assert landed.notice == FeeNoticeRef(event_id="notice-1", fiscal_year=2027)
    assert landing.record["notice"] == {"event_id": "notice-1", "fiscal_year": 2027}
    assert published.events == [(landed, deterministic_event_id(FeeNoticesLanded.DETAIL_TYPE, landed.run_id))]


def test_the_extract_lists_shipped_notices_then_recorded_ones_in_order() -> None:
    wired = deps()
    later = FY2027.model_copy(update={"mpf_maximum": "661.00", "submitted_by": "li.wei"})
    first, second = datetime(2027, 7, 30, tzinfo=UTC), datetime(2027, 7, 31, tzinfo=UTC)
    fee_notice_submitted(FY2027, cause=submitted("a", first), deps=wired, publish=Published())
    fee_notice_submitted(later, cause=submitted("b", second), deps=wired, publish=Published())

    assert isinstance(wired.staging, MemoryStaging)
    rows = wired.staging.staged_rows[-1]
    assert [(r["fiscal_year"], r["recorded_by"]) for r in rows] == [
        (2024, "shipped"),
        (2025, "shipped"),
        (2026, "shipped"),
        (2027, "maria.chen"),
        (2027, "li.wei"),
    ]
    assert rows[-1]["mpf_maximum"] == "661.00"
    assert rows[0]["effective_from"] == "2023-10-01"
    assert rows[0]["citation"] == shipped_notices()[0].citation


def test_a_redelivered_notice_is_recorded_once_and_lands_the_same_run() -> None:
    wired = deps()
    at = datetime(2027, 7, 30, tzinfo=UTC)
    first = fee_notice_submitted(FY2027, cause=submitted("notice-1", at), deps=wired, publish=Published())
    again = fee_notice_submitted(FY2027, cause=submitted("notice-1", at), deps=wired, publish=Published())
    assert isinstance(wired.fee_notices, MemoryFeeNotices)
    assert len(wired.fee_notices.recorded()) == 1
    assert (again.run_id, again.extract) == (first.run_id, first.extract)


def test_the_schedule_lands_the_notices_without_recording_any() -> None:
    wired, published = deps(), Published()
    cause = new_metadata(FeeNoticesRequested, event_id="schedule:extract-cbp-fees:2027-08-02T04:30:00Z")
    landed = fee_notices_requested(
        FeeNoticesRequested(trigger="schedule"), cause=cause, deps=wired, publish=published
    )
    assert (landed.shipped, landed.recorded, landed.trigger, landed.notice) == (3, 0, "schedule", None)
    assert landed.extract.row_count == 3

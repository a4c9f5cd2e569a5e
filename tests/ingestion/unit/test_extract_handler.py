"""The extract handler over in-memory ports: which window it extracts, what it records in the ledger,
and the one event it announces for a run."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import ClassVar, NoReturn

from ior_contracts.envelope import deterministic_event_id
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, ExtractRequested
from ior_contracts.vocabulary import DateWindow
from ior_ingestion.config import IngestionConfig
from ior_ingestion.domain.releases import Release
from ior_ingestion.domain.windows import ExtractWindow
from ior_ingestion.ports import Deps, SapPort, SourceError
from ior_ingestion.service_layer.handlers import extract_requested

from tests.ingestion.fakes import (
    FakeSap,
    FakeUsitc,
    MemoryFeeNotices,
    MemoryLanding,
    MemoryLedger,
    MemoryStaging,
    Published,
    requested_on,
)

MARCH_9 = date(2026, 3, 9)
PAGES = [[{"VBELN": "0090010000", "POSNR": "000010"}], [{"VBELN": "0090010001", "POSNR": "000010"}]]


class SapDown(SourceError):
    reason = "unreachable"
    retryable = True
    page: ClassVar[int] = 2


def unused() -> NoReturn:
    raise AssertionError("this source is not fetched here")


def deps(
    sap: Callable[[], SapPort] = unused,
    usitc: FakeUsitc | None = None,
    ledger: MemoryLedger | None = None,
) -> Deps:
    return Deps(
        config=IngestionConfig(initial_start=date(2026, 3, 1)),
        sap=sap,
        usitc=usitc or FakeUsitc([], {}),
        ledger=ledger or MemoryLedger(),
        fee_notices=MemoryFeeNotices(),
        staging=MemoryStaging(),
        landing=MemoryLanding(),
        clock=lambda: 1_000,
    )


def test_a_landed_extract_is_announced_once_under_an_id_made_from_its_run() -> None:
    # GIVEN a daily billing source that has never run, and SAP serving two pages
    sap = FakeSap(PAGES)
    wired = deps(sap=lambda: sap)
    published = Published()

    # WHEN it is requested on the 9th
    outcome = extract_requested(
        ExtractRequested(source="ZSDR002", trigger="schedule"),
        cause=requested_on(MARCH_9, "request-1"),
        deps=wired,
        publish=published,
    )

    # THEN SAP is asked for the window from the initial start to the run date, and the client closed
    assert sap.asked == [("ZSDR002", ExtractWindow(date(2026, 3, 1), MARCH_9))]
    assert sap.closed
    # AND the extract is landed, announced under the id derived from its run, and returned
    assert isinstance(outcome, ExtractLanded)
    assert (outcome.window, outcome.pages, outcome.watermark) == (
        DateWindow(from_date=date(2026, 3, 1), to_date=MARCH_9),
        2,
        MARCH_9,
    )
    assert published.events == [(outcome, deterministic_event_id(ExtractLanded.DETAIL_TYPE, outcome.run_id))]
    # AND the ledger records the run as landed, the watermark moves, and the staged file is gone
    assert isinstance(wired.ledger, MemoryLedger)
    run = wired.ledger.runs[("ZSDR002", "2026-03-01..2026-03-09")]
    assert (run.run_id, run.status, run.details) == (
        outcome.run_id,
        "landed",
        {"extract": outcome.extract.uri},
    )
    assert wired.ledger.watermarks == {"ZSDR002": MARCH_9}
    assert isinstance(wired.staging, MemoryStaging)
    assert wired.staging.contents == {}


def test_the_audit_record_names_the_request_that_caused_the_run() -> None:
    wired = deps(sap=lambda: FakeSap(PAGES))
    extract_requested(
        ExtractRequested(source="ZSDR002", trigger="cli"),
        cause=requested_on(MARCH_9, "request-1"),
        deps=wired,
        publish=Published(),
    )
    assert isinstance(wired.landing, MemoryLanding)
    [landing] = wired.landing.landings
    assert landing.record == {
        "source": "ZSDR002",
        "run_id": landing.run_id,
        "window": {"from": "2026-03-01", "to": "2026-03-09"},
        "trigger": "cli",
        "cause": "request-1",
        "rows": 2,
        "pages": 2,
    }


def test_a_redelivered_request_is_the_same_run_and_a_new_request_another() -> None:
    def run_id(event_id: str) -> str:
        outcome = extract_requested(
            ExtractRequested(source="ZSDR002", trigger="schedule"),
            cause=requested_on(MARCH_9, event_id),
            deps=deps(sap=lambda: FakeSap(PAGES)),
            publish=Published(),
        )
        assert outcome is not None
        return outcome.run_id

    assert run_id("request-1") == run_id("request-1") != run_id("request-2")


def test_a_source_that_fails_is_recorded_and_announced_as_failed_with_its_reason() -> None:
    # GIVEN SAP failing on the second page
    wired = deps(sap=lambda: FakeSap(PAGES[:1], error=SapDown("connection refused")))
    published = Published()

    # WHEN the source is requested for a window of its own
    window = DateWindow(from_date=date(2026, 3, 2), to_date=date(2026, 3, 3))
    outcome = extract_requested(
        ExtractRequested(source="ZSDR002", trigger="cli", window=window),
        cause=requested_on(MARCH_9, "request-1"),
        deps=wired,
        publish=published,
    )

    # THEN the failure is announced with the reason, the page and the attempts made
    assert isinstance(outcome, ExtractFailed)
    assert (outcome.window, outcome.reason, outcome.detail, outcome.page, outcome.attempts) == (
        window,
        "unreachable",
        "connection refused",
        2,
        1,
    )
    assert published.events == [(outcome, deterministic_event_id(ExtractFailed.DETAIL_TYPE, outcome.run_id))]
    # AND the ledger says why; nothing is landed and the watermark stays
    assert isinstance(wired.ledger, MemoryLedger)
    run = wired.ledger.runs[("ZSDR002", "2026-03-02..2026-03-03")]
    assert (run.status, run.details) == ("failed", {"reason": "unreachable", "detail": "connection refused"})
    assert isinstance(wired.landing, MemoryLanding)
    assert wired.landing.landings == []
    assert wired.ledger.watermarks == {}


def test_a_window_another_trigger_is_extracting_is_left_to_it() -> None:
    # GIVEN another request has claimed the same window and is still within its lease
    ledger = MemoryLedger()
    ledger.claim("ZSDR002", "2026-03-01..2026-03-09", "other-run", now=1_000, lease_s=900)
    published = Published()

    # WHEN a second request for that window arrives
    outcome = extract_requested(
        ExtractRequested(source="ZSDR002", trigger="schedule"),
        cause=requested_on(MARCH_9, "request-2"),
        deps=deps(ledger=ledger),
        publish=published,
    )

    # THEN nothing is fetched (SAP is never asked), nothing is announced and the run stays the other's
    assert outcome is None
    assert published.events == []
    assert ledger.runs[("ZSDR002", "2026-03-01..2026-03-09")].run_id == "other-run"


def test_the_hts_export_is_staged_as_published_under_the_run_date_and_moves_no_watermark() -> None:
    body = json.dumps([{"htsno": "8517"}]).encode()
    release = Release("2026HTSRev3", 2026, 3, date(2026, 2, 20))
    url = release.export_url(IngestionConfig().usitc_export_template)
    wired = deps(usitc=FakeUsitc([release], {url: body}))
    outcome = extract_requested(
        ExtractRequested(source="USITC_HTS", trigger="schedule"),
        cause=requested_on(MARCH_9, "request-1"),
        deps=wired,
        publish=Published(),
    )
    assert isinstance(outcome, ExtractLanded)
    assert outcome.window == DateWindow(from_date=MARCH_9, to_date=MARCH_9)
    assert (outcome.extract.row_count, outcome.pages) == (1, 1)
    assert isinstance(wired.landing, MemoryLanding)
    assert wired.landing.landings[0].staged.suffix == "json.gz"
    assert isinstance(wired.ledger, MemoryLedger)
    assert wired.ledger.watermarks == {}

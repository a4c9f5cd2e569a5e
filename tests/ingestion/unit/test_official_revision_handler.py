"""The USITC extract over in-memory ports: the latest release lands and is named in the event and the
audit record; a pinned release lands instead; a newer release left waiting past the threshold is
announced once per day, whether the stack is pinned or the newer export failed."""

from __future__ import annotations

from datetime import date

from ior_contracts.ingestion import ExtractFailed, ExtractLanded, ExtractRequested, HtsRevisionOverdue
from ior_ingestion.config import IngestionConfig
from ior_ingestion.domain.releases import Release
from ior_ingestion.ports import Deps, SapPort, SourceError
from ior_ingestion.service_layer.handlers import extract_requested

from tests.ingestion.fakes import (
    FakeUsitc,
    MemoryFeeNotices,
    MemoryLanding,
    MemoryLedger,
    MemoryStaging,
    Published,
    requested_on,
)

TEMPLATE = "https://usitc.test/hts_{year}_{edition}_json.json"
REV10 = Release("2026HTSRev10", 2026, 10, date(2026, 6, 8))
REV11 = Release("2026HTSRev11", 2026, 11, date(2026, 7, 1))
EXPORTS = {r.export_url(TEMPLATE): f'[{{"htsno": "{r.name}"}}]'.encode() for r in (REV10, REV11)}
REQUEST = ExtractRequested(source="USITC_HTS", trigger="schedule")


class ExportGone(SourceError):
    reason = "server_error"


def no_sap() -> SapPort:
    raise AssertionError("no SAP source is extracted here")


def deps(usitc: FakeUsitc, *, pin: str = "", ledger: MemoryLedger | None = None) -> Deps:
    return Deps(
        config=IngestionConfig(usitc_export_template=TEMPLATE, usitc_release=pin, usitc_overdue_days=7),
        sap=no_sap,
        usitc=usitc,
        ledger=ledger or MemoryLedger(),
        fee_notices=MemoryFeeNotices(),
        staging=MemoryStaging(),
        landing=MemoryLanding(),
        clock=lambda: 1_000,
    )


def run(wired: Deps, day: date, event_id: str = "request-1") -> tuple[object, Published]:
    published = Published()
    outcome = extract_requested(REQUEST, cause=requested_on(day, event_id), deps=wired, publish=published)
    return outcome, published


def test_the_latest_release_in_effect_lands_and_is_named() -> None:
    # GIVEN the USITC lists Rev. 10 and Rev. 11 (in effect from 1 July)
    usitc = FakeUsitc([REV10, REV11], EXPORTS)
    wired = deps(usitc)

    # WHEN the export is extracted on 2 July
    outcome, published = run(wired, date(2026, 7, 2))

    # THEN Rev. 11's export is downloaded, landed and named in the event and the audit record
    assert usitc.downloaded == [REV11.export_url(TEMPLATE)]
    assert isinstance(outcome, ExtractLanded)
    assert (outcome.revision, outcome.release) == ("2026 Rev. 11", "2026HTSRev11")
    assert isinstance(wired.landing, MemoryLanding)
    record = wired.landing.landings[0].record
    assert (record["revision"], record["release"]) == ("2026 Rev. 11", "2026HTSRev11")
    # AND the ledger knows it landed; nothing is overdue
    assert isinstance(wired.ledger, MemoryLedger)
    assert wired.ledger.releases == {"USITC_HTS": REV11}
    assert [type(e) for e, _ in published.events] == [ExtractLanded]


def test_on_the_day_before_a_release_takes_effect_the_one_in_force_lands() -> None:
    usitc = FakeUsitc([REV10, REV11], EXPORTS)
    outcome, _ = run(deps(usitc), date(2026, 6, 30))
    assert isinstance(outcome, ExtractLanded)
    assert outcome.revision == "2026 Rev. 10"


def test_a_pinned_release_lands_and_a_newer_one_waiting_too_long_is_announced() -> None:
    # GIVEN a stack pinned to Rev. 10 while Rev. 11 has been in effect since 1 July
    usitc = FakeUsitc([REV10, REV11], EXPORTS)
    wired = deps(usitc, pin="2026HTSRev10")

    # WHEN it runs on 8 July (seven days: allowed), then on 9 July (eight days: too long)
    first, quiet = run(wired, date(2026, 7, 8), "request-1")
    second, loud = run(wired, date(2026, 7, 9), "request-2")

    # THEN Rev. 10 lands both times
    assert isinstance(first, ExtractLanded)
    assert isinstance(second, ExtractLanded)
    assert first.revision == second.revision == "2026 Rev. 10"
    assert [type(e) for e, _ in quiet.events] == [ExtractLanded]
    # AND the second run says Rev. 11 has waited eight days because of the pin
    [(overdue, event_id)] = [(e, i) for e, i in loud.events if isinstance(e, HtsRevisionOverdue)]
    assert overdue.model_dump() == {
        "landed_revision": "2026 Rev. 10",
        "latest_revision": "2026 Rev. 11",
        "latest_release": "2026HTSRev11",
        "available_since": date(2026, 7, 1),
        "days_waiting": 8,
        "threshold_days": 7,
        "reason": "pinned",
    }
    # AND asking again that day announces the same event (one per release and day)
    _, again = run(wired, date(2026, 7, 9), "request-3")
    assert [i for e, i in again.events if isinstance(e, HtsRevisionOverdue)] == [event_id]


def test_a_newer_release_whose_export_fails_is_announced_as_not_landed() -> None:
    # GIVEN Rev. 10 landed, and Rev. 11's export failing since it took effect
    ledger = MemoryLedger()
    ledger.record_release("USITC_HTS", REV10)
    usitc = FakeUsitc([REV10, REV11], EXPORTS, error=ExportGone("HTTP 503"))

    # WHEN the export is extracted ten days later
    outcome, published = run(deps(usitc, ledger=ledger), date(2026, 7, 11))

    # THEN the failure is announced, and so is the revision left waiting
    assert isinstance(outcome, ExtractFailed)
    [overdue] = [e for e, _ in published.events if isinstance(e, HtsRevisionOverdue)]
    assert (overdue.landed_revision, overdue.latest_revision, overdue.reason, overdue.days_waiting) == (
        "2026 Rev. 10",
        "2026 Rev. 11",
        "not_landed",
        10,
    )


def test_a_pin_the_release_list_does_not_have_fails_as_not_found() -> None:
    usitc = FakeUsitc([REV10], EXPORTS)
    outcome, _ = run(deps(usitc, pin="2026HTSRev99"), date(2026, 7, 2))
    assert isinstance(outcome, ExtractFailed)
    assert outcome.reason == "not_found"
    assert "2026HTSRev99" in outcome.detail
    assert usitc.downloaded == []


def test_a_fixed_location_lands_as_named_by_the_pin_without_the_release_list() -> None:
    usitc = FakeUsitc([], {"/data/hts.json.gz": b'[{"htsno": "8517"}]'})
    wired = deps(usitc, pin="2026HTSRev10")
    wired.config = IngestionConfig(usitc_location="/data/hts.json.gz", usitc_release="2026HTSRev10")
    outcome, published = run(wired, date(2026, 7, 2))
    assert isinstance(outcome, ExtractLanded)
    assert outcome.revision == "2026 Rev. 10"
    assert usitc.downloaded == ["/data/hts.json.gz"]
    assert [type(e) for e, _ in published.events] == [ExtractLanded]

"""The USITC client against the mock USITC over real HTTP: the release list read, the latest release's
export landed end to end through the extract handler, a release published later found at the next
run, and a release list that is not one refused."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, ExtractRequested, HtsRevisionOverdue
from ior_ingestion.adapters.staging import TempFileStaging
from ior_ingestion.adapters.usitc import UsitcClient, UsitcMalformedError
from ior_ingestion.config import IngestionConfig
from ior_ingestion.ports import Deps, SapPort
from ior_ingestion.service_layer.handlers import extract_requested
from ior_tools.loopback import LoopbackServer
from ior_tools.usitc_mock import MockRelease, UsitcMock
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.ingestion.fakes import MemoryFeeNotices, MemoryLanding, MemoryLedger, Published, requested_on
from tests.ingestion.integration.conftest import FAST

REVISIONS = Path(__file__).resolve().parents[2] / "support" / "hts_revisions"


@pytest.fixture
def exports(tmp_path: Path) -> dict[str, Path]:
    """The two test revisions, stored gzip-compressed as the reference export is."""
    found = {}
    for name in ("2026_rev_10_cut", "2026_rev_10_edited"):
        path = tmp_path / f"{name}.json.gz"
        path.write_bytes(gzip.compress((REVISIONS / f"{name}.json").read_bytes(), mtime=0))
        found[name] = path
    return found


def no_sap() -> SapPort:
    raise AssertionError("no SAP source is extracted here")


def wire(mock: UsitcMock, tmp_path: Path, ledger: MemoryLedger) -> Deps:
    return Deps(
        config=IngestionConfig(
            usitc_api=mock.api_url, usitc_export_template=mock.export_template, usitc_overdue_days=7
        ),
        sap=no_sap,
        usitc=UsitcClient(mock.api_url, retry=FAST),
        ledger=ledger,
        fee_notices=MemoryFeeNotices(),
        staging=TempFileStaging(tmp_path),
        landing=MemoryLanding(),
        clock=lambda: 0,
    )


REQUEST = ExtractRequested(source="USITC_HTS", trigger="schedule")


def extract_on(day: date, event_id: str, wired: Deps, published: Published | None = None) -> object:
    """The USITC extract asked for on `day`."""
    cause = requested_on(day, event_id)
    return extract_requested(REQUEST, cause=cause, deps=wired, publish=published or Published())


def test_the_release_list_is_read_over_http(exports: dict[str, Path]) -> None:
    releases = [
        MockRelease("2026HTSRev10", date(2026, 6, 8), exports["2026_rev_10_cut"]),
        MockRelease("2026HTSRev11", date(2026, 7, 1), exports["2026_rev_10_edited"]),
    ]
    with UsitcMock(releases) as mock:
        listed = UsitcClient(mock.api_url, retry=FAST).releases()
    assert [(r.name, r.label, r.available_from) for r in listed] == [
        ("2026HTSRev10", "2026 Rev. 10", date(2026, 6, 8)),
        ("2026HTSRev11", "2026 Rev. 11", date(2026, 7, 1)),
    ]


def test_the_latest_release_lands_and_a_later_one_is_found_at_the_next_run(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    ledger, published = MemoryLedger(), Published()
    with UsitcMock([MockRelease("2026HTSRev10", date(2026, 6, 8), exports["2026_rev_10_cut"])]) as mock:
        wired = wire(mock, tmp_path, ledger)
        # WHEN the export is extracted in June, then Rev. 11 is published and it runs again in July
        june = extract_on(date(2026, 6, 15), "a", wired)
        mock.publish(MockRelease("2026HTSRev11", date(2026, 7, 1), exports["2026_rev_10_edited"]))
        july = extract_on(date(2026, 7, 2), "b", wired, published)

    # THEN each run lands the release in effect, byte for byte as served
    assert isinstance(june, ExtractLanded)
    assert isinstance(july, ExtractLanded)
    assert (june.revision, july.revision) == ("2026 Rev. 10", "2026 Rev. 11")
    assert june.extract.sha256 != july.extract.sha256
    assert july.extract.row_count == len(json.loads((REVISIONS / "2026_rev_10_edited.json").read_text()))
    assert ledger.releases["USITC_HTS"].name == "2026HTSRev11"
    assert not [e for e, _ in published.events if isinstance(e, HtsRevisionOverdue)]


def test_a_release_whose_export_is_missing_fails_and_is_overdue_after_the_threshold(
    exports: dict[str, Path], tmp_path: Path
) -> None:
    ledger, published = MemoryLedger(), Published()
    with UsitcMock([MockRelease("2026HTSRev10", date(2026, 6, 8), exports["2026_rev_10_cut"])]) as mock:
        wired = wire(mock, tmp_path, ledger)
        extract_on(date(2026, 6, 15), "a", wired)
        # Rev. 11 is listed, but its export is gone by the time it is fetched
        rev11 = tmp_path / "rev11.json.gz"
        rev11.write_bytes(exports["2026_rev_10_edited"].read_bytes())
        mock.publish(MockRelease("2026HTSRev11", date(2026, 7, 1), rev11))
        rev11.unlink()
        outcome = extract_on(date(2026, 7, 9), "b", wired, published)

    assert isinstance(outcome, ExtractFailed)
    [overdue] = [e for e, _ in published.events if isinstance(e, HtsRevisionOverdue)]
    assert (overdue.landed_revision, overdue.latest_release, overdue.days_waiting, overdue.reason) == (
        "2026 Rev. 10",
        "2026HTSRev11",
        8,
        "not_landed",
    )


def test_a_release_list_that_is_not_one_is_refused_as_malformed() -> None:
    app = Starlette(routes=[Route("/reststop/releaseList", lambda _: JSONResponse({"releases": []}))])
    server = LoopbackServer(app, "broken USITC")
    base = server.start()
    try:
        with pytest.raises(UsitcMalformedError, match="not a release list"):
            UsitcClient(f"{base}/reststop", retry=FAST).releases()
    finally:
        server.stop()

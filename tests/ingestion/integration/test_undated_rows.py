"""Rows SAP left undated (arrival date null, its initial 0000-00-00) on the automated path: billing is
extracted by arrival, no date window holds them, so every incremental extract asks for them as
well, and they land for the ETL to quarantine instead of vanishing."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from ior_contracts.ingestion import ExtractLanded, ExtractRequested
from ior_ingestion.adapters.staging import TempFileStaging
from ior_ingestion.config import IngestionConfig
from ior_ingestion.domain.odata import window_filter
from ior_ingestion.domain.sources import sap_source
from ior_ingestion.domain.windows import ExtractWindow
from ior_ingestion.ports import Deps, Landed, StagedExtract
from ior_ingestion.service_layer.handlers import extract_requested
from ior_tools.sap_mock import SapMock

from tests.ingestion.fakes import (
    FakeUsitc,
    MemoryFeeNotices,
    MemoryLanding,
    MemoryLedger,
    Published,
    requested_on,
)
from tests.ingestion.integration.conftest import (
    PAGE_SIZE,
    PASSWORD,
    USER,
    billing_rows,
    expected,
    make_client,
    write_jsonl,
)

FIELD = "ZZARRIVAL"  # the field billing is extracted by
UNDATED = {0: "", 10: "0000-00-00", 16: ""}  # row number → the arrival date SAP holds
WINDOW = ExtractWindow(date(2026, 3, 10), date(2026, 3, 12))  # arrivals of the lines billed 3rd–5th
RANGE_ONLY = f"{FIELD} ge datetime'2026-03-10T00:00:00' and {FIELD} le datetime'2026-03-12T00:00:00'"


def sap_rows() -> list[dict[str, str]]:
    rows = billing_rows()
    for i, arrives in UNDATED.items():
        rows[i][FIELD] = arrives
    return rows


def undated_keys() -> list[str]:
    return [r["VBELN"] + r["POSNR"] for i, r in enumerate(sap_rows()) if i in UNDATED]


def in_window_or_undated(rows: list[dict[str, str]], window: ExtractWindow) -> list[dict[str, str]]:
    first, last = window.from_date.isoformat(), window.to_date.isoformat()
    return [r for r in rows if r[FIELD] == "" or first <= r[FIELD] <= last]


def test_billing_is_extracted_by_arrival() -> None:
    assert sap_source("ZSDR002").date_field == FIELD


@pytest.fixture(scope="module")
def mock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SapMock]:
    directory = tmp_path_factory.mktemp("undated")
    write_jsonl(directory / "ZSDR002.jsonl", sap_rows())
    with SapMock(directory, USER, PASSWORD, page_size=PAGE_SIZE) as server:
        yield server


@pytest.fixture(scope="module")
def get(mock: SapMock) -> Iterator[Callable[..., httpx.Response]]:
    url = f"{mock.base_url}/sap/opu/odata/sap/ZSDR002_SRV/ZSDR002Set"
    with httpx.Client(auth=(USER, PASSWORD), timeout=10) as http:

        def fetch(**params: str) -> httpx.Response:
            return http.get(url, params={"$format": "json", **params})

        yield fetch


def _all_pages(get: Callable[..., httpx.Response], mock: SapMock, **params: str) -> list[dict[str, Any]]:
    """Every row the mock serves for `params`, following `__next` (which keeps the filter)."""
    d = get(**params).json()["d"]
    rows = list(d["results"])
    with httpx.Client(auth=(USER, PASSWORD), timeout=10) as http:
        while "__next" in d:
            d = http.get(d["__next"]).json()["d"]
            rows.extend(d["results"])
    return rows


def test_a_date_range_alone_leaves_the_undated_rows_out(
    get: Callable[..., httpx.Response], mock: SapMock
) -> None:
    rows = _all_pages(get, mock, **{"$filter": RANGE_ONLY})
    assert len(rows) == 8  # 9 arriving on the 10th to the 12th, less the one SAP left undated
    assert all(r[FIELD] is not None for r in rows)


def test_the_range_or_unset_filter_also_serves_the_undated_rows_as_null(
    get: Callable[..., httpx.Response], mock: SapMock
) -> None:
    sent = window_filter(FIELD, WINDOW.from_date, WINDOW.to_date)
    rows = _all_pages(get, mock, **{"$filter": sent})
    undated = [r["VBELN"] + r["POSNR"] for r in rows if r[FIELD] is None]
    assert undated == undated_keys()
    assert len(rows) == 8 + len(UNDATED)
    count = get(**{"$filter": sent, "$inlinecount": "allpages", "$top": "0"}).json()["d"]["__count"]
    assert count == str(len(rows))


def test_any_other_or_is_refused_with_a_reason(get: Callable[..., httpx.Response]) -> None:
    answer = get(**{"$filter": f"{RANGE_ONLY} or {FIELD} eq null"})
    assert answer.status_code == 400
    assert "`or` only as" in answer.json()["error"]["message"]["value"]


def test_the_client_extracts_the_window_and_the_undated_rows(mock: SapMock) -> None:
    source = sap_source("ZSDR002")
    with make_client(mock) as sap:
        rows = [row for page in sap.iter_source(source, WINDOW) for row in page]
        counted = sap.count(source.entity_set, source.date_field, WINDOW)
    assert rows == in_window_or_undated(expected(sap_rows()), WINDOW)
    assert [r["VBELN"] + r["POSNR"] for r in rows if r[FIELD] == ""] == undated_keys()
    assert counted == len(rows)


# --- the extract handler, with the mock SAP and in-memory ledger and landing ---------------------


class RowsLanding(MemoryLanding):
    """Keeps each extract's rows as the ETL will read them from the staged file."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[dict[str, Any]]] = []

    def land(self, staged: StagedExtract, *, source: str, run_id: str, record: dict[str, Any]) -> Landed:
        self.rows.append(
            [json.loads(line) for line in gzip.decompress(staged.path.read_bytes()).splitlines()]
        )
        return super().land(staged, source=source, run_id=run_id, record=record)


def test_each_daily_extract_lands_the_undated_rows_and_the_watermark_follows_the_window(
    mock: SapMock, tmp_path: Path
) -> None:
    # GIVEN a billing source that has never run, starting on the 1st
    ledger, landing = MemoryLedger(), RowsLanding()
    deps = Deps(
        config=IngestionConfig(initial_start=date(2026, 3, 8)),
        sap=lambda: make_client(mock),
        usitc=FakeUsitc([], {}),
        ledger=ledger,
        fee_notices=MemoryFeeNotices(),
        staging=TempFileStaging(tmp_path),
        landing=landing,
        clock=lambda: 0,
    )
    # WHEN it runs on the 16th, then on the 17th (looking back seven days, to the 9th)
    scheduled = ExtractRequested(source="ZSDR002", trigger="schedule")
    first = extract_requested(
        scheduled, cause=requested_on(date(2026, 3, 16), "a"), deps=deps, publish=Published()
    )
    second = extract_requested(
        scheduled, cause=requested_on(date(2026, 3, 17), "b"), deps=deps, publish=Published()
    )

    # THEN both land, each with its window's rows and every undated row, as the ETL reads them
    assert isinstance(first, ExtractLanded)
    assert isinstance(second, ExtractLanded)
    rows = expected(sap_rows())
    assert landing.rows[0] == in_window_or_undated(rows, ExtractWindow(date(2026, 3, 8), date(2026, 3, 16)))
    assert landing.rows[1] == in_window_or_undated(rows, ExtractWindow(date(2026, 3, 9), date(2026, 3, 17)))
    assert len(landing.rows[1]) == len(landing.rows[0]) - 2  # the two dated ones arriving on the 8th are not
    for landed in landing.rows:
        assert [r["VBELN"] + r["POSNR"] for r in landed if r[FIELD] == ""] == undated_keys()
    # AND the watermark moves with the windows' ends alone, undated rows or not
    assert (first.window.from_date, second.window.from_date) == (date(2026, 3, 8), date(2026, 3, 9))
    assert (first.watermark, second.watermark) == (date(2026, 3, 16), date(2026, 3, 17))
    assert ledger.watermarks == {"ZSDR002": date(2026, 3, 17)}

"""The SAP client against the mock SAP on loopback: paging, windows, counts, and what is served."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from ior_ingestion.adapters.sap import SapClient, SapMalformedResponseError
from ior_ingestion.domain.odata import parse_date
from ior_ingestion.domain.sources import sap_source
from ior_ingestion.domain.windows import ExtractWindow
from ior_tools.sap_mock import SapMock

from tests.ingestion.integration.conftest import (
    PAGE_SIZE,
    PASSWORD,
    USER,
    billing_rows,
    expected,
    make_client,
    provision_rows,
    rate_rows,
    write_extracts,
    write_jsonl,
)

ALL_OF_MARCH = ExtractWindow(date(2026, 3, 1), date(2026, 3, 31))


def entity_url(mock: SapMock, name: str) -> str:
    return f"{mock.base_url}/sap/opu/odata/sap/{name}_SRV/{name}Set"


@pytest.fixture
def raw_get(mock: SapMock, http: httpx.Client) -> Callable[..., httpx.Response]:
    def get(name: str, **params: str) -> httpx.Response:
        return http.get(entity_url(mock, name), params={"$format": "json", **params})

    return get


@pytest.mark.parametrize("prefetch", [True, False])
def test_pages_return_every_row_exactly_once_in_key_order(mock: SapMock, prefetch: bool) -> None:
    with make_client(mock, prefetch=prefetch) as sap:
        pages = list(sap.iter_pages("ZSDR002Set", "FKDAT", ALL_OF_MARCH))
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [row for page in pages for row in page] == expected(billing_rows())
    assert mock.request_count("ZSDR002") == 5


def test_a_window_selects_its_dates_inclusively(sap: SapClient) -> None:
    window = ExtractWindow(date(2026, 3, 3), date(2026, 3, 5))
    rows = [row for page in sap.iter_pages("ZSDR002Set", "FKDAT", window) for row in page]
    assert rows == [r for r in expected(billing_rows()) if "2026-03-03" <= r["FKDAT"] <= "2026-03-05"]
    assert len(rows) == 9


def test_a_window_without_rows_is_one_empty_page(sap: SapClient) -> None:
    window = ExtractWindow(date(2025, 1, 1), date(2025, 1, 31))
    assert list(sap.iter_pages("ZSDR002Set", "FKDAT", window)) == [[]]


def test_counts_by_inlinecount(sap: SapClient) -> None:
    assert sap.count("ZSDR002Set", "FKDAT", ALL_OF_MARCH) == 23
    assert sap.count("ZSDR002Set", "FKDAT", ExtractWindow(date(2026, 3, 1), date(2026, 3, 1))) == 3


def test_whole_extracts_and_declared_sources(sap: SapClient) -> None:
    provisions = [row for page in sap.iter_source(sap_source("ZFMIOR003"), None) for row in page]
    assert provisions == expected(provision_rows())
    window = ExtractWindow(date(2026, 3, 2), date(2026, 3, 3))
    rates = [row for page in sap.iter_source(sap_source("ZEMM07"), window) for row in page]
    assert rates == [r for r in rate_rows() if r["GDATU"] in ("2026-03-02", "2026-03-03")]


def test_serves_sap_s_json(mock: SapMock, raw_get: Callable[..., httpx.Response]) -> None:
    answer = raw_get("ZSDR002", **{"$inlinecount": "allpages"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    d = answer.json()["d"]
    assert d["__count"] == "23"
    assert (
        d["__next"]
        == f"{entity_url(mock, 'ZSDR002')}?$format=json&$inlinecount=allpages&$skiptoken={PAGE_SIZE}"
    )
    first: dict[str, Any] = d["results"][0]
    assert first["__metadata"] == {
        "id": f"{entity_url(mock, 'ZSDR002')}(VBELN='0090010000',POSNR='000010')",
        "uri": f"{entity_url(mock, 'ZSDR002')}(VBELN='0090010000',POSNR='000010')",
        "type": "ZSDR002_SRV.ZSDR002Type",
    }
    assert first["FKDAT"] == "/Date(1772323200000)/"
    assert parse_date(first["FKDAT"]) == date(2026, 3, 1)
    assert first["ZZARRIVAL"] is None  # a blank date is null, as SAP writes an initial date
    assert (first["MATNR"], first["NETWR"]) == ("000000000010000001", "1000.00")
    assert b'"\\/Date(1772323200000)\\/"' in answer.content  # slashes escaped, as SAP does
    assert d["results"][3]["ARKTX"] == 'Router 19" rack, "quoted" \\ é'


def test_a_date_key_is_written_as_a_datetime_literal(raw_get: Callable[..., httpx.Response]) -> None:
    uri = raw_get("ZEMM07").json()["d"]["results"][0]["__metadata"]["uri"]
    assert uri.endswith(
        "ZEMM07Set(KURST='M',FCURR='CNY',TCURR='USD',GDATU=datetime'2026-03-01T00%3A00%3A00')"
    )


@pytest.mark.parametrize(
    ("filter_", "dates"),
    [
        ("FKDAT eq datetime'2026-03-02T00:00:00'", {"2026-03-02"}),
        ("FKDAT eq datetime'2026-03-02T12:00:00'", set()),
        ("FKDAT gt datetime'2026-03-07T00:00:00'", {"2026-03-08"}),
        ("FKDAT ge datetime'2026-03-07T08:00:00'", {"2026-03-08"}),
        ("FKDAT lt datetime'2026-03-02T00:00:00'", {"2026-03-01"}),
        ("FKDAT lt datetime'2026-03-02T00:00:01'", {"2026-03-01", "2026-03-02"}),
        (
            "(FKDAT ge datetime'2026-03-02T00:00') AND (FKDAT le datetime'2026-03-02T00:00:00')",
            {"2026-03-02"},
        ),
    ],
)
def test_filters_on_the_date_field(
    raw_get: Callable[..., httpx.Response], filter_: str, dates: set[str]
) -> None:
    results = raw_get("ZSDR002", **{"$filter": filter_, "$top": "100"}).json()["d"]["results"]
    assert {parse_date(r["FKDAT"]).isoformat() for r in results} == dates


def test_top_and_skip_page_within_their_range(
    raw_get: Callable[..., httpx.Response], http: httpx.Client
) -> None:
    d = raw_get("ZSDR002", **{"$skip": "3", "$top": "7"}).json()["d"]
    assert [r["VBELN"] + r["POSNR"] for r in d["results"]] == [
        r["VBELN"] + r["POSNR"] for r in billing_rows()[3:8]
    ]
    rest = http.get(d["__next"]).json()["d"]
    assert [r["VBELN"] + r["POSNR"] for r in rest["results"]] == [
        r["VBELN"] + r["POSNR"] for r in billing_rows()[8:10]
    ]
    assert "__next" not in rest


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"$filter": "MATNR eq '1'"}, 400),
        ({"$filter": "FKDAT ge datetime'2026-13-01T00:00:00'"}, 400),
        ({"$orderby": "FKDAT"}, 400),
        ({"$format": "xml"}, 400),
        ({"$top": "-1"}, 400),
    ],
)
def test_refuses_what_it_cannot_answer(
    raw_get: Callable[..., httpx.Response], params: dict[str, str], status: int
) -> None:
    answer = raw_get("ZSDR002", **params)
    assert answer.status_code == status
    assert answer.json()["error"]["message"]["value"]


def test_an_unknown_entity_set_is_not_found(
    mock: SapMock, raw_get: Callable[..., httpx.Response], http: httpx.Client
) -> None:
    assert raw_get("ZNOPE").status_code == 404
    assert http.get(f"{mock.base_url}/sap/opu/odata/sap/ZEMM07_SRV/ZSDR002Set").status_code == 404


def test_wrong_credentials_are_refused(mock: SapMock, http: httpx.Client) -> None:
    answer = http.get(entity_url(mock, "ZSDR002"), auth=(USER, "wrong"))
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Basic")
    assert http.get(entity_url(mock, "ZSDR002"), auth=None).status_code == 401


def test_picks_up_a_regenerated_file(tmp_path: Path, http: httpx.Client) -> None:
    with SapMock(write_extracts(tmp_path), USER, PASSWORD, page_size=PAGE_SIZE) as mock:
        url = entity_url(mock, "ZSDR002")
        assert http.get(url, params={"$inlinecount": "allpages"}).json()["d"]["__count"] == "23"
        write_jsonl(tmp_path / "sap" / "ZSDR002.jsonl", billing_rows(4))
        assert http.get(url, params={"$inlinecount": "allpages"}).json()["d"]["__count"] == "4"


def test_a_broken_line_in_an_extract_reaches_the_client_as_a_malformed_page(tmp_path: Path) -> None:
    (tmp_path / "ZEMM005.jsonl").write_text(
        '{"MATNR": "000000000010000001", "MAKTX": "Router"}\n'
        '{"MATNR": "000000000010000002", "MAKTX": "Switch \\"X\\""}\n'
        '{"MATNR": "000000000010000003", "MAKTX": "broken\n',
        encoding="utf-8",
    )
    with SapMock(tmp_path, USER, PASSWORD, page_size=2) as mock, make_client(mock) as sap:
        pages = sap.iter_pages("ZEMM005Set", None, None)
        assert [r["MAKTX"] for r in next(pages)] == ["Router", 'Switch "X"']
        with pytest.raises(SapMalformedResponseError) as failure:
            next(pages)
    assert (failure.value.page, failure.value.problem) == (2, "invalid JSON")

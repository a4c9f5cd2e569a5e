"""The SAP client against canned HTTP answers (respx): paging, retries, and its typed errors."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import httpx
import pytest
import respx
import stamina
from ior_ingestion.adapters.retrying import RetryPolicy
from ior_ingestion.adapters.sap import (
    SapAuthError,
    SapClient,
    SapCredentials,
    SapIncompleteError,
    SapMalformedResponseError,
    SapRateLimitedError,
    SapServerError,
    SapTimeoutError,
    SapUnreachableError,
)
from ior_ingestion.domain.sources import sap_source
from ior_ingestion.domain.windows import ExtractWindow
from stamina.instrumentation import RetryDetails

BASE = "https://sap.example.test:44300"
URL = f"{BASE}/sap/opu/odata/sap/ZSDR002_SRV/ZSDR002Set"
CREDENTIALS = SapCredentials(BASE, "IOR_EXTRACT", "s3cret-pass")
FAST = RetryPolicy(attempts=3, timeout=10, wait_initial=0, wait_max=0, wait_jitter=0)
WINDOW = ExtractWindow(date(2026, 3, 2), date(2026, 3, 9))
MARCH_9 = 1773014400000


def row(i: int) -> dict[str, Any]:
    return {
        "__metadata": {"uri": f"{URL}(VBELN='{i:010d}',POSNR='000010')", "type": "ZSDR002_SRV.ZSDR002Type"},
        "VBELN": f"{i:010d}",
        "POSNR": "000010",
        "FKDAT": f"/Date({MARCH_9})/",
        "MATNR": "000000000010000001",
        "NETWR": "12.50",
    }


def page_body(rows: list[dict[str, Any]], next_token: int | None = None, **extra: Any) -> bytes:
    d: dict[str, Any] = {**extra, "results": rows}
    if next_token is not None:
        d["__next"] = f"{URL}?$format=json&$skiptoken={next_token}"
    # SAP escapes the slashes of its date literals.
    return json.dumps({"d": d}).replace("/Date(", "\\/Date(").replace(")/", ")\\/").encode()


def paged(pages: list[bytes]) -> Callable[[httpx.Request], httpx.Response]:
    """Serves page k for `$skiptoken=k` (page 0 without one)."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=pages[int(request.url.params.get("$skiptoken", "0"))])

    return answer


def client(**kwargs: Any) -> SapClient:
    return SapClient(CREDENTIALS, retry=kwargs.pop("retry", FAST), **kwargs)


def collect(sap: SapClient, window: ExtractWindow | None = WINDOW) -> list[list[dict[str, Any]]]:
    return list(sap.iter_pages("ZSDR002Set", "FKDAT", window))


@pytest.fixture
def retries() -> Iterator[list[RetryDetails]]:
    """What stamina scheduled, retry by retry."""
    seen: list[RetryDetails] = []

    def record(details: RetryDetails) -> None:
        seen.append(details)

    stamina.instrumentation.set_on_retry_hooks([record])
    yield seen
    stamina.instrumentation.set_on_retry_hooks(None)


# --- paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefetch", [True, False])
@respx.mock
def test_follows_next_through_every_page_in_order(prefetch: bool) -> None:
    pages = [page_body([row(1), row(2)], 1), page_body([row(3)], 2), page_body([row(4)])]
    route = respx.get(URL).mock(side_effect=paged(pages))
    with client(prefetch=prefetch) as sap:
        got = collect(sap)
    assert [[r["VBELN"] for r in p] for p in got] == [
        ["0000000001", "0000000002"],
        ["0000000003"],
        ["0000000004"],
    ]
    assert got[0][0] == {
        "VBELN": "0000000001",
        "POSNR": "000010",
        "FKDAT": "2026-03-09",
        "MATNR": "000000000010000001",
        "NETWR": "12.50",
    }
    assert route.call_count == 3


@respx.mock
def test_asks_for_json_within_the_window_with_basic_auth() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=page_body([row(1)])))
    with client() as sap:
        collect(sap)
    request = route.calls.last.request
    assert request.url.params["$format"] == "json"
    assert request.url.params["$filter"] == (
        "(FKDAT ge datetime'2026-03-02T00:00:00' and FKDAT le datetime'2026-03-09T00:00:00') or FKDAT eq null"
    )
    expected = base64.b64encode(b"IOR_EXTRACT:s3cret-pass").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"


@respx.mock
def test_a_whole_extract_has_no_filter() -> None:
    route = respx.get(f"{BASE}/sap/opu/odata/sap/ZEMM005_SRV/ZEMM005Set").mock(
        return_value=httpx.Response(200, content=page_body([{"MATNR": "000000000010000001"}]))
    )
    with client() as sap:
        assert list(sap.iter_source(sap_source("ZEMM005"), None)) == [[{"MATNR": "000000000010000001"}]]
    assert "$filter" not in route.calls.last.request.url.params


@respx.mock
def test_pages_whose_next_link_is_not_last_are_followed_after_parsing() -> None:
    first = json.dumps({"d": {"__next": f"{URL}?$skiptoken=1", "results": [row(1)]}}).encode()
    respx.get(URL).mock(side_effect=paged([first, page_body([row(2)])]))
    with client() as sap:
        assert [len(p) for p in collect(sap)] == [1, 1]


@respx.mock
def test_a_misleading_link_at_the_end_of_a_page_is_not_followed() -> None:
    # `__next` of d says page 1; a trailing member elsewhere names page 2.
    first = json.dumps(
        {"d": {"results": [row(1)], "__next": f"{URL}?$skiptoken=1"}, "x": {"__next": f"{URL}?$skiptoken=2"}}
    )
    pages = [first.encode(), page_body([row(2)]), page_body([row(99)])]
    respx.get(URL).mock(side_effect=paged(pages))
    with client() as sap:
        assert [[r["VBELN"] for r in p] for p in collect(sap)] == [["0000000001"], ["0000000002"]]


@respx.mock
def test_counts_the_rows_of_a_window() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(200, content=page_body([], __count="1234")))
    with client() as sap:
        assert sap.count("ZSDR002Set", "FKDAT", WINDOW) == 1234
    assert route.calls.last.request.url.params["$inlinecount"] == "allpages"
    assert route.calls.last.request.url.params["$top"] == "0"


@respx.mock
def test_an_abandoned_iteration_stops_fetching() -> None:
    pages = [page_body([row(k)], k + 1) for k in range(50)] + [page_body([row(50)])]
    route = respx.get(URL).mock(side_effect=paged(pages))
    with client() as sap:
        iterator = sap.iter_pages("ZSDR002Set", "FKDAT", WINDOW)
        next(iterator)
        iterator.close()
        time.sleep(0.05)
    assert route.call_count <= 3  # the page read, and at most two fetched ahead
    assert not [t for t in threading.enumerate() if t.name == "page-prefetch"]


# --- retries -----------------------------------------------------------------------------------


@respx.mock
def test_a_503_twice_then_an_answer_succeeds(retries: list[RetryDetails]) -> None:
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(503),
            httpx.Response(200, content=page_body([row(1)])),
        ]
    )
    with client() as sap:
        assert len(collect(sap)[0]) == 1
    assert route.call_count == 3
    assert [type(r.caused_by) for r in retries] == [SapServerError, SapServerError]


@respx.mock
def test_a_503_storm_surfaces_as_a_server_error_after_the_attempts() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(503))
    with client() as sap, pytest.raises(SapServerError) as failure:
        collect(sap)
    assert (failure.value.reason, failure.value.status, failure.value.attempts) == ("server_error", 503, 3)
    assert route.call_count == 3


@respx.mock
def test_a_429_waits_at_least_its_retry_after_then_succeeds(retries: list[RetryDetails]) -> None:
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(200, content=page_body([row(1)])),
        ]
    )
    policy = RetryPolicy(attempts=3, timeout=10, wait_initial=0, wait_max=0, wait_jitter=0.05)
    started = time.monotonic()
    with client(retry=policy) as sap:
        assert len(collect(sap)[0]) == 1
    elapsed = time.monotonic() - started
    assert route.call_count == 2
    assert [r.wait_for >= 1.0 for r in retries] == [True]
    assert elapsed >= 1.0


@respx.mock
def test_a_retry_after_beyond_the_policy_is_not_waited_for() -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    with client() as sap, pytest.raises(SapRateLimitedError) as failure:
        collect(sap)
    assert (failure.value.reason, failure.value.retry_after, failure.value.attempts) == (
        "rate_limited",
        3600,
        1,
    )
    assert route.call_count == 1


@pytest.mark.parametrize("status", [401, 403])
@respx.mock
def test_refused_credentials_are_never_retried(status: int) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(status))
    with client() as sap, pytest.raises(SapAuthError) as failure:
        collect(sap)
    assert failure.value.reason == "auth"
    assert route.call_count == 1


@respx.mock
def test_other_client_errors_are_not_retried_and_carry_sap_s_message() -> None:
    error = {"error": {"code": "/IWBEP/CM_MGW_RT/020", "message": {"lang": "en", "value": "bad $filter"}}}
    route = respx.get(URL).mock(return_value=httpx.Response(400, json=error))
    with client() as sap, pytest.raises(SapServerError, match="bad \\$filter") as failure:
        collect(sap)
    assert (failure.value.status, failure.value.retryable) == (400, False)
    assert route.call_count == 1


@respx.mock
def test_a_timeout_surfaces_after_the_retries() -> None:
    route = respx.get(URL).mock(side_effect=httpx.ReadTimeout("no answer"))
    with client() as sap, pytest.raises(SapTimeoutError) as failure:
        collect(sap)
    assert (failure.value.reason, failure.value.attempts, failure.value.page) == ("timeout", 3, 1)
    assert route.call_count == 3


@respx.mock
def test_no_connection_is_unreachable() -> None:
    respx.get(URL).mock(side_effect=httpx.ConnectError("connection refused"))
    with client() as sap, pytest.raises(SapUnreachableError) as failure:
        collect(sap)
    assert failure.value.reason == "unreachable"


@respx.mock
def test_a_connection_dropped_mid_page_is_incomplete() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield b'{"d":{"results":['
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

        return httpx.Response(200, stream=_Stream(body()))

    respx.get(URL).mock(side_effect=broken)
    with client() as sap, pytest.raises(SapIncompleteError) as failure:
        collect(sap)
    assert (failure.value.reason, failure.value.attempts) == ("incomplete", 3)


class _Stream(httpx.SyncByteStream):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks


# --- malformed pages ---------------------------------------------------------------------------


@respx.mock
def test_invalid_json_on_page_two_names_the_page_after_page_one_was_delivered() -> None:
    pages = [page_body([row(1)], 1), b'{"d":{"results":[{"VBELN":"1"}']
    respx.get(URL).mock(side_effect=paged(pages))
    with client() as sap:
        iterator = sap.iter_pages("ZSDR002Set", "FKDAT", WINDOW)
        assert len(next(iterator)) == 1
        with pytest.raises(SapMalformedResponseError) as failure:
            next(iterator)
    assert (failure.value.reason, failure.value.page, failure.value.problem) == (
        "malformed",
        2,
        "invalid JSON",
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"error": "nope"}', "missing d.results"),
        (b'{"d": {"results": {"a": 1}}}', "missing d.results"),
        (b"[1, 2]", "missing d.results"),
        (b'{"d": {"results": [{"FKDAT": "/Date(tomorrow)/"}]}}', "bad date literal"),
        (b'{"d": {"results": [1]}}', "bad result"),
        (b'{"d": {"results": [], "__next": 7}}', "bad __next link"),
        (b'{"d": {"results": [], "__next": "https://elsewhere.test/steal"}}', "bad __next link"),
        (json.dumps({"d": {"results": [], "__next": URL}}).encode(), "bad __next link"),
    ],
)
@respx.mock
def test_a_page_that_breaks_the_contract_is_malformed(body: bytes, problem: str) -> None:
    respx.get(URL).mock(return_value=httpx.Response(200, content=body))
    elsewhere = respx.get(url__startswith="https://elsewhere.test").mock(return_value=httpx.Response(200))
    with client() as sap, pytest.raises(SapMalformedResponseError) as failure:
        collect(sap)
    assert (failure.value.problem, failure.value.page) == (problem, 1)
    assert elsewhere.call_count == 0  # credentials never leave SAP's origin


# --- credentials -------------------------------------------------------------------------------


def test_reads_credentials_from_the_secret_and_never_shows_the_password() -> None:
    secret = json.dumps({"base_url": BASE, "username": "IOR_EXTRACT", "password": "s3cret-pass"})
    credentials = SapCredentials.from_secret(secret)
    assert credentials == CREDENTIALS
    assert "s3cret-pass" not in repr(credentials)


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "not json",
        '{"base_url": "https://x"}',
        '{"base_url": "ftp://x", "username": "u", "password": "p"}',
    ],
)
def test_refuses_a_secret_that_is_not_the_sap_one(secret: str) -> None:
    with pytest.raises(ValueError, match="SAP") as failure:
        SapCredentials.from_secret(secret)
    assert 'p"' not in str(failure.value)


@respx.mock
def test_a_body_that_does_not_decode_is_malformed() -> None:
    garbled = httpx.ByteStream(b"\x1f\x8b not gzip at all")
    respx.get(URL).mock(
        return_value=httpx.Response(200, stream=garbled, headers={"Content-Encoding": "gzip"})
    )
    with client() as sap, pytest.raises(SapMalformedResponseError) as failure:
        collect(sap)
    assert (failure.value.problem, failure.value.attempts) == ("undecodable body", 1)

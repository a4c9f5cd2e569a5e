"""Each fault the mock SAP injects surfaces in the client as its typed error, or is ridden out."""

from __future__ import annotations

import time
from datetime import date

import httpx
import pytest
from ior_ingestion.adapters.retrying import RetryPolicy
from ior_ingestion.adapters.sap import (
    SapAuthError,
    SapClient,
    SapCredentials,
    SapIncompleteError,
    SapMalformedResponseError,
    SapServerError,
    SapTimeoutError,
    SapUnreachableError,
)
from ior_ingestion.domain.windows import ExtractWindow
from ior_tools.sap_mock import SapMock

from tests.ingestion.integration.conftest import FAST, USER, billing_rows, expected, make_client

WINDOW = ExtractWindow(date(2026, 3, 1), date(2026, 3, 31))


def pull(mock: SapMock, **kwargs: object) -> list[dict[str, str]]:
    with make_client(mock, **kwargs) as sap:  # type: ignore[arg-type]
        return [row for page in sap.iter_pages("ZSDR002Set", "FKDAT", WINDOW) for row in page]


def test_a_503_storm_is_a_server_error_after_the_attempts(mock: SapMock) -> None:
    mock.set_fault("503", entity_set="ZSDR002")
    with pytest.raises(SapServerError) as failure:
        pull(mock)
    assert (failure.value.reason, failure.value.status, failure.value.attempts) == ("server_error", 503, 3)
    assert mock.request_count("ZSDR002") == 3


def test_two_503s_are_ridden_out(mock: SapMock) -> None:
    mock.set_fault("503", entity_set="ZSDR002Set", times=2)
    assert pull(mock) == expected(billing_rows())
    assert mock.request_count("ZSDR002") == 5 + 2


def test_a_429_is_honoured_then_the_extract_succeeds(mock: SapMock) -> None:
    mock.set_fault("429", entity_set="ZSDR002", times=1, retry_after=1, page=3)
    started = time.monotonic()
    rows = pull(mock)
    assert time.monotonic() - started >= 1.0
    assert rows == expected(billing_rows())


def test_a_slow_answer_is_a_timeout(mock: SapMock) -> None:
    mock.set_fault("slow", entity_set="ZSDR002", seconds=3)
    with pytest.raises(SapTimeoutError) as failure:
        pull(mock, read_timeout=0.3, retry=RetryPolicy(attempts=2, wait_initial=0, wait_max=0, wait_jitter=0))
    assert (failure.value.reason, failure.value.attempts, failure.value.page) == ("timeout", 2, 1)


def test_a_malformed_page_two_is_malformed_with_its_page(mock: SapMock) -> None:
    mock.set_fault("malformed", entity_set="ZSDR002", page=2)
    with pytest.raises(SapMalformedResponseError) as failure:
        pull(mock)
    assert (failure.value.reason, failure.value.page, failure.value.problem) == (
        "malformed",
        2,
        "invalid JSON",
    )
    assert mock.request_count("ZSDR002") == 2  # not retried


def test_a_connection_that_keeps_breaking_mid_page_is_incomplete(mock: SapMock) -> None:
    mock.set_fault("break", entity_set="ZSDR002", page=2)
    with pytest.raises(SapIncompleteError) as failure:
        pull(mock)
    assert (failure.value.reason, failure.value.page, failure.value.attempts) == ("incomplete", 2, 3)


def test_one_broken_connection_is_ridden_out(mock: SapMock) -> None:
    mock.set_fault("break", entity_set="ZSDR002", page=2, times=1)
    assert pull(mock) == expected(billing_rows())


def test_refused_credentials_are_an_auth_error_tried_once(mock: SapMock) -> None:
    with pytest.raises(SapAuthError) as failure:
        pull(mock, password="not-the-password")
    assert failure.value.reason == "auth"
    assert mock.request_count("ZSDR002") == 1


def test_an_auth_fault_refuses_good_credentials(mock: SapMock) -> None:
    mock.set_fault("auth")  # every entity set
    with pytest.raises(SapAuthError):
        pull(mock)
    mock.clear_faults()
    assert pull(mock) == expected(billing_rows())


def test_a_fault_on_one_entity_set_leaves_the_others_alone(mock: SapMock) -> None:
    mock.set_fault("503", entity_set="ZEMM07")
    assert pull(mock) == expected(billing_rows())
    assert mock.request_counts() == {"ZSDR002": 5}


def test_nobody_listening_is_unreachable() -> None:
    nobody = SapCredentials("http://127.0.0.1:9", USER, "any")  # the discard port: nothing listens
    policy = RetryPolicy(attempts=2, wait_initial=0, wait_max=0, wait_jitter=0)
    with SapClient(nobody, retry=policy) as sap, pytest.raises(SapUnreachableError) as failure:
        list(sap.iter_pages("ZSDR002Set", "FKDAT", WINDOW))
    assert (failure.value.reason, failure.value.attempts) == ("unreachable", 2)


def test_faults_are_set_and_cleared_over_http(mock: SapMock, http: httpx.Client) -> None:
    admin = f"{mock.base_url}/__mock/faults"
    answer = http.post(admin, json={"faults": [{"mode": "503", "entity_set": "ZSDR002", "times": 1}]})
    assert answer.status_code == 200
    assert answer.json()["faults"][0]["mode"] == "503"
    assert http.post(admin, json={"mode": "429", "retry_after": 2, "times": 1}).status_code == 200
    assert [f["mode"] for f in http.get(admin).json()["faults"]] == ["503", "429"]
    assert http.post(admin, json={"mode": "fire"}).status_code == 400
    assert http.post(admin, json={"mode": "503", "when": "now"}).status_code == 400
    assert http.post(admin, json={"mode": "503", "times": 0}).status_code == 400
    assert http.delete(admin).json() == {"faults": []}
    pull(mock, retry=FAST)
    assert http.get(f"{mock.base_url}/__mock/requests").json() == {"requests": {"ZSDR002": 5}}
    assert http.delete(f"{mock.base_url}/__mock/requests").json() == {"requests": {}}


def test_set_faults_are_spent_after_their_times(mock: SapMock) -> None:
    mock.set_fault("503", times=2)
    assert len(mock.board.active()) == 1
    pull(mock)
    assert mock.board.active() == []

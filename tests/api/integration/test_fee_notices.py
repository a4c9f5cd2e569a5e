"""`POST /api/fees/notices`: an admin records a fiscal year's fee figures with the notice they come
from; the notice goes on the bus as `fees.notice.submitted.v1`, recorded by the signed-in admin
(never by a field of the request), and a notice without a citation is refused before anything is
sent. No fiscal year after FY2026 could be cited here: the figures below are test data."""

from __future__ import annotations

from typing import Any

import pytest
from ior_contracts.fees import FeeNoticeSubmitted

from tests.api.conftest import Api

FIGURES: dict[str, Any] = {
    "fiscal_year": 2027,
    "mpf_rate": "0.003464",
    "mpf_minimum": "34.00",
    "mpf_maximum": "660.00",
    "hmf_rate": "0.00125",
    "citation": "TEST ONLY - fictitious notice, not a Federal Register citation",
}


@pytest.fixture
def admin(api: Api) -> Api:
    api.use(*api.session("ada", "admin")[:2])
    return api


def test_an_admins_notice_goes_on_the_bus_recorded_by_the_admin(admin: Api) -> None:
    answer = admin.client.post("/api/fees/notices", json=FIGURES)
    assert answer.status_code == 202, answer.text
    [(event, metadata)] = admin.publisher.published
    assert isinstance(event, FeeNoticeSubmitted)
    assert (event.fiscal_year, event.mpf_maximum, event.submitted_by) == (2027, "660.00", "ada")
    assert event.period[0].isoformat() == "2026-10-01"
    assert answer.json()["event_id"] == metadata.event_id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"citation": " "}, "citation"),
        ({"mpf_rate": "3.464%"}, "mpf_rate"),
        ({"submitted_by": "someone else"}, "submitted_by"),
        ({"effective_from": "2027-10-01"}, "after they end on 2027-09-30"),
        ({"effective_from": 0}, "effective_from"),
    ],
)
def test_a_notice_breaking_its_rules_is_refused_and_nothing_is_sent(
    admin: Api, change: dict[str, Any], field: str
) -> None:
    answer = admin.client.post("/api/fees/notices", json={**FIGURES, **change})
    assert answer.status_code == 422
    assert field in answer.text
    assert admin.publisher.published == []

"""`POST /api/cutover`: a forced change is the one that most needs its reason in the audit trail, so
the API refuses it without one before anything reaches the bus; with one, it asks the compare
service, force and reason carried as given."""

from __future__ import annotations

from typing import Any

import pytest
from ior_contracts.cutover import CutoverChangeRequested

from tests.api.conftest import Api

FORCED: dict[str, Any] = {"action": "cutover", "effective_date": "2026-04-20", "force": True}


def sign_in_admin(api: Api) -> None:
    api.use(*api.session("ada", "admin")[:2])


@pytest.mark.parametrize("reason", [None, "", "   \n"], ids=["missing", "empty", "blank"])
def test_a_forced_cutover_without_a_reason_is_refused_and_nothing_is_asked(
    api: Api, reason: str | None
) -> None:
    # GIVEN an admin
    sign_in_admin(api)
    body = FORCED if reason is None else {**FORCED, "reason": reason}
    # WHEN they force a cutover without saying why
    response = api.client.post("/api/cutover", json=body)
    # THEN the API refuses it, naming the reason, and the compare service is never asked
    assert response.status_code == 422
    assert any(error["loc"][-1] == "reason" for error in response.json()["detail"])
    assert api.publisher.published == []


def test_a_forced_cutover_with_a_reason_is_asked_of_the_compare_service_as_given(api: Api) -> None:
    # GIVEN an admin
    sign_in_admin(api)
    # WHEN they force a cutover with a reason
    response = api.client.post("/api/cutover", json={**FORCED, "reason": "Compliance signed off"})
    # THEN the request goes to the compare service with the force, the reason and who asked
    assert response.status_code == 202
    ((event, _),) = api.publisher.published
    assert isinstance(event, CutoverChangeRequested)
    assert (event.force, event.reason, event.requested_by) == (True, "Compliance signed off", "ada")
    assert event.request_id == response.json()["id"]

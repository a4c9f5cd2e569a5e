"""The API on the local stack: the `api-projections` worker fills the read models from events on the
bus, and a user added to the stack's table logs in and reads them, through the edge only (the stack
runs the origin check, as AWS does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ior_api import bootstrap
from ior_api.config import Settings
from ior_api.domain.auth.passwords import hash_password
from ior_api.domain.auth.tokens import CSRF_HEADER
from ior_api.domain.auth.users import UserRecord
from ior_api.entrypoints.web import dependencies
from ior_api.entrypoints.web.app import app
from ior_contracts import examples
from ior_contracts.compare import ComparisonCompleted, DiscrepancyDetected
from ior_contracts.envelope import Envelope
from ior_contracts.settings import function_environment
from ior_contracts.topology import ORIGIN_HEADER
from ior_tools.runtime.api_server import LocalEdge
from ior_tools.runtime.stack import LocalStack

from tests.support.stack import running_stack, stack_fixture

PASSWORD = "stack test password"


@stack_fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    home: Path = tmp_path_factory.mktemp("ior-home")
    with running_stack(home) as running:
        yield running


@pytest.fixture
def client(stack: LocalStack) -> Iterator[TestClient]:
    # Wired as the deployed http function is: its environment (the origin check on), its role.
    with function_environment(stack.function_environment(stack.http_function)):
        services = bootstrap.wire_web(Settings())
    app.dependency_overrides[dependencies.get_services] = lambda: services
    origin = LocalEdge.of(stack).origin
    assert origin is not None
    try:
        with TestClient(app, base_url="https://testserver", headers={ORIGIN_HEADER: origin}) as test_client:
            yield test_client
    finally:
        app.dependency_overrides.clear()


def test_events_on_the_bus_become_what_the_dashboard_shows(stack: LocalStack, client: TestClient) -> None:
    # GIVEN a comparison announced by the compare service, twice (a re-delivery)
    publisher = stack.publisher()
    for model in (ComparisonCompleted, DiscrepancyDetected):
        envelope = Envelope[model].model_validate(examples.load(model.DETAIL_TYPE)["detail"])  # type: ignore[valid-type]
        publisher.publish_with(envelope.data, envelope.metadata)
        publisher.publish_with(envelope.data, envelope.metadata)
    stack.wait_idle()
    # AND an operator in the stack's table
    services = app.dependency_overrides[dependencies.get_services]()
    services.users.add(UserRecord("olga", hash_password(PASSWORD), "operator"))

    # WHEN the operator logs in and reads the comparisons and alerts
    login = client.post("/api/auth/login", json={"username": "olga", "password": PASSWORD})
    comparisons = client.get("/api/comparisons").json()
    alerts = client.get("/api/alerts").json()

    # THEN the signing key came from the stack's secret and the read models are there, once
    assert login.status_code == 200
    assert [(c["comparison_id"], c["status"]) for c in comparisons] == [("cmp-20260316-r2", "failed")]
    assert [a["kind"] for a in alerts] == ["compare.discrepancy.detected.v1"]


def test_an_upload_through_the_http_function_shows_what_the_etl_made_of_it(
    stack: LocalStack, client: TestClient
) -> None:
    # GIVEN an operator logged in through the http function's wiring (its role: its own table, the bus)
    services = app.dependency_overrides[dependencies.get_services]()
    services.users.add(UserRecord("uma", hash_password(PASSWORD), "operator"))
    login = client.post("/api/auth/login", json={"username": "uma", "password": PASSWORD})
    client.headers[CSRF_HEADER] = login.json()["csrf_token"]

    # WHEN a correct legacy file is uploaded and the stack's workers have answered
    rates = b"\xef\xbb\xbfCurrency,Date,USD per Unit\r\nEUR,03/16/2026,1.0874\r\n"
    accepted = client.post("/api/uploads", files=[("files", ("Exchange_Rates.csv", rates, "text/csv"))])
    assert accepted.status_code == 202, accepted.text
    stack.wait_idle()

    # THEN the history names the upload with the dataset the ETL built from it
    (entry,) = client.get("/api/uploads").json()
    assert entry["upload_id"] == accepted.json()["upload_id"]
    assert entry["uploaded_by"] == "uma"
    assert [(o["dataset"], o["status"]) for o in entry["outcomes"]] == [("exchange-rates", "published")]


def test_the_stack_refuses_a_request_that_did_not_come_through_the_edge(client: TestClient) -> None:
    client.headers.pop(ORIGIN_HEADER)
    assert client.get("/api/health").status_code == 403

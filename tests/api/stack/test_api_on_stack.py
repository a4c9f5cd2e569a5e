"""The API on the local stack: the `api-projections` worker fills the read models from events on the
bus, and a user added to the stack's table logs in and reads them, through the edge only (the stack
runs the origin check, as AWS does). A presigned upload is accepted unread by the http function
under its own role, then checked by the ETL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ior_api import bootstrap
from ior_api.config import Settings
from ior_api.domain.auth import tokens
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

from tests.api.integration.test_uploads import RATES, csv_bytes
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


def test_a_bad_presigned_upload_is_accepted_by_the_api_then_held_by_the_etl_with_its_reason(
    stack: LocalStack, client: TestClient
) -> None:
    # GIVEN an operator, and exchange rates of which one row of 41 has an ISO date where MM/DD/YYYY is pinned
    services = app.dependency_overrides[dependencies.get_services]()
    services.users.add(UserRecord("ulla", hash_password(PASSWORD), "operator"))
    client.post("/api/auth/login", json={"username": "ulla", "password": PASSWORD})
    # The dashboard echoes the session's CSRF cookie in a header on every write.
    client.headers[tokens.CSRF_HEADER] = client.cookies[dependencies.CSRF_COOKIE]
    good = [f"EUR,03/{day:02d}/2026,1.08{day:02d}" for day in range(1, 29)]
    good += [f"GBP,03/{day:02d}/2026,1.27{day:02d}" for day in range(1, 13)]
    body = csv_bytes(RATES, *good, "CHF,2026-03-16,1.1310")

    # WHEN the file arrives through its presigned form and the operator completes the upload
    grant = client.post("/api/uploads/presigned", json={"files": ["Exchange_Rates.csv"]}).json()
    (target,) = grant["targets"]
    # Put where the form would put it: moto, enforcing IAM, cannot authorise a form's POST (it looks
    # for an Authorization header), which S3 itself checks against the signed policy.
    stack.client("s3").put_object(Bucket=services.settings.data, Key=target["fields"]["key"], Body=body)
    done = client.post(f"/api/uploads/presigned/{grant['session']}", json={})
    stack.wait_idle()

    # THEN the API accepted it unread (the http function's role suffices to hash and copy it)
    assert done.status_code == 202, done.text
    upload_id = done.json()["upload_id"]
    assert [f["rows"] for f in done.json()["files"]] == [None]
    # AND the ETL checked it in full and held it, naming the upload, the rule and the row
    # (the ETL's outcomes of this upload: the module's stack has seen other uploads)
    events = {
        e.detail_type: data
        for e in stack.event_log.window()
        if (data := e.event["detail"]["data"]).get("upload_id") == upload_id
    }
    held, quarantined = events["etl.dataset.held.v1"], events["etl.rows.quarantined.v1"]
    assert (held["dataset"], held["rule"], held["upload_id"]) == ("exchange-rates", "invalid_date", upload_id)
    assert (quarantined["rejected_rows"], quarantined["total_rows"]) == (1, 41)
    assert quarantined["rules"][0]["example_reason"].startswith("'2026-03-16' is not a date")
    assert "etl.dataset.published.v1" not in events
    # AND the dashboard's alerts carry the hold, as for any bad input
    alerts = client.get("/api/alerts").json()
    assert "etl.dataset.held.v1" in {a["kind"] for a in alerts}

"""`GET /api/uploads/formats` and `GET /api/uploads`: what the pinned formats require, said by the API
the dashboard takes it from, and the history of accepted uploads with what the ETL made of each."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from ior_api.adapters.readmodels import ReadModels
from ior_api.entrypoints.projections import consumer
from ior_api.ports import Deps
from ior_contracts import examples
from ior_contracts.legacy.formats import FORMATS

from tests.api.conftest import Api, project
from tests.api.integration.test_uploads import RATES, csv_bytes, post


def etl_event(
    detail_type: str, *, caused_by: str, mode: str = "manual", dataset: str = "exchange-rates"
) -> Any:
    """The contract's example of an ETL event, as the ETL publishes it in answer to an upload event."""
    raw = examples.load(detail_type)
    raw["detail"]["metadata"]["causation_id"] = caused_by
    raw["detail"]["data"] |= {"mode": mode, "dataset": dataset}
    return consumer.parse(json.dumps(raw))[1]


def project_into(api: Api, envelope: Any) -> None:
    project(envelope, Deps(readmodels=ReadModels(api.dynamodb, api.services.settings.table)))


def test_the_formats_name_every_accepted_file_with_its_header_and_the_common_rules(api: Api) -> None:
    # GIVEN an operator's session
    api.use(*api.session("otto", "operator")[:2])

    # WHEN the dashboard asks what an upload must be
    response = api.client.get("/api/uploads/formats")

    # THEN every pinned file is named with its exact header, and the encoding and line ends are said
    assert response.status_code == 200, response.text
    body = response.json()
    assert {f["filename"]: f["header"] for f in body["files"]} == {
        name: list(f.header) for name, f in FORMATS.items()
    }
    assert body["encoding"] == "UTF-8 with a byte-order mark"
    assert body["line_ending"] == "CRLF"
    assert any("byte-order mark" in rule for rule in body["rules"])
    assert body["max_direct_bytes"] == 6 * 1024 * 1024


def test_the_formats_are_for_signed_in_users_only(api: Api) -> None:
    api.client.cookies.clear()
    assert api.client.get("/api/uploads/formats").status_code == 401


def test_an_accepted_upload_is_in_the_history_with_who_sent_it_and_its_files(api: Api) -> None:
    # GIVEN an accepted upload
    accepted = post(
        api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")}, business_date="2026-03-16"
    ).json()

    # WHEN the history is read
    (entry,) = api.client.get("/api/uploads").json()

    # THEN it names the upload, its sender, its date and its files, and the ETL has said nothing yet
    assert entry["upload_id"] == accepted["upload_id"]
    assert entry["event_id"] == accepted["event_id"]
    assert entry["uploaded_by"] == "otto"
    assert entry["business_date"] == "2026-03-16"
    assert entry["files"] == [{"filename": "Exchange_Rates.csv", "kind": "exchange_rates", "rows": 1}]
    assert entry["outcomes"] == []


def test_a_refused_upload_is_not_in_the_history(api: Api) -> None:
    response = post(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,abc")})
    assert response.status_code == 422
    assert api.client.get("/api/uploads").json() == []


def test_the_etl_outcomes_caused_by_an_upload_appear_under_it(api: Api) -> None:
    # GIVEN an accepted upload, and the ETL's answers to it: one dataset published with rows quarantined
    accepted = post(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")}).json()
    cause = accepted["event_id"]
    published = etl_event("etl.dataset.published.v1", caused_by=cause)
    project_into(api, published)
    project_into(api, etl_event("etl.rows.quarantined.v1", caused_by=cause))
    # and an automated build and another upload's outcome, which are not this upload's
    project_into(
        api, etl_event("etl.dataset.published.v1", caused_by=cause, mode="automated", dataset="transactions")
    )
    project_into(api, etl_event("etl.dataset.held.v1", caused_by="another-upload"))

    # WHEN the history is read
    (entry,) = api.client.get("/api/uploads").json()

    # THEN the upload shows the version published and the rows quarantined, with the rules
    by_status = {o["status"]: o for o in entry["outcomes"]}
    assert set(by_status) == {"published", "quarantined"}
    assert by_status["published"]["dataset"] == "exchange-rates"
    assert by_status["published"]["version"] == published.data.version
    assert by_status["published"]["rows"] == published.data.snapshot.row_count
    assert "currency_code ×1" in by_status["quarantined"]["detail"]
    assert by_status["quarantined"]["rejected_rows"] == 2


def test_a_held_dataset_says_the_last_good_version_stays_current(api: Api) -> None:
    accepted = post(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")}).json()
    held = etl_event("etl.dataset.held.v1", caused_by=accepted["event_id"])
    project_into(api, held)

    (outcome,) = api.client.get("/api/uploads").json()[0]["outcomes"]

    assert outcome["status"] == "held"
    assert outcome["version"] == held.data.current_version
    assert f"{held.data.rejected_rows} of {held.data.total_rows}" in outcome["detail"]


def test_the_history_is_newest_first(api: Api) -> None:
    # GIVEN two uploads an hour apart
    post(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/16/2026,1.0874")})
    api.clock.now += timedelta(hours=1)
    post(api, {"Exchange_Rates.csv": csv_bytes(RATES, "EUR,03/17/2026,1.0901")})

    # WHEN the history is read
    entries = api.client.get("/api/uploads").json()

    # THEN the later upload comes first
    assert [e["uploaded_at"] for e in entries] == sorted((e["uploaded_at"] for e in entries), reverse=True)
    assert len({e["upload_id"] for e in entries}) == 2

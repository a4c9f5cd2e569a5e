"""The read models built from the contracts' example events, through the subscription's own consumer,
and what the dashboard's endpoints then show."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from ior_api.adapters.readmodels import ReadModels
from ior_api.declarations import PROJECTED, SERVICE
from ior_api.domain.parity import PARITY_DAYS
from ior_api.domain.readmodels import comparison_key
from ior_api.entrypoints.projections import consumer
from ior_api.ports import Deps
from ior_contracts import examples
from ior_contracts.compare import ComparisonCompleted
from ior_contracts.envelope import Envelope
from ior_contracts.registry import model_for

from tests.api.conftest import Api, project

ALERTING = (
    "ingestion.extract.failed.v1",
    "etl.rows.quarantined.v1",
    "etl.dataset.held.v1",
    "customs.lines.quarantined.v1",
    "customs.run.failed.v1",
    "customs.correction.proposed.v1",
    "compare.discrepancy.detected.v1",
    "etl.fee_table.confirmed.v1",  # its example covers 44 days, short of 45
    "ingestion.hts_revision.overdue.v1",
    "etl.hts_revision.changed.v1",
)


def envelope(detail_type: str) -> Any:
    return consumer.parse(json.dumps(examples.load(detail_type)))[1]


def project_all(api: Api) -> None:
    deps = Deps(readmodels=ReadModels(api.dynamodb, api.services.settings.table))
    for model in PROJECTED:
        project(envelope(model.DETAIL_TYPE), deps)


def items(api: Api) -> list[dict[str, Any]]:
    found = api.dynamodb.scan(TableName=api.services.settings.table)["Items"]
    return sorted((i for i in found if i["pk"]["S"] != "users"), key=lambda i: (i["pk"]["S"], i["sk"]["S"]))


@pytest.fixture
def operator(api: Api) -> Api:
    token, csrf, _ = api.session("otto", "operator")
    api.use(token, csrf)
    return api


def test_subscription_declares_every_projected_contract() -> None:
    subscription = next(s for s in SERVICE.subscriptions if s.name == "api-projections")
    assert (subscription.batch_size, subscription.timeout_s, subscription.visibility_timeout_s) == (
        10,
        30,
        180,
    )
    assert set(subscription.detail_types) == {m.DETAIL_TYPE for m in PROJECTED}
    assert set(consumer.detail_types) == set(subscription.detail_types)
    assert all(model_for(t) is not None for t in subscription.detail_types)


def test_projecting_every_example_twice_changes_nothing(api: Api) -> None:
    project_all(api)
    first = items(api)
    project_all(api)
    assert items(api) == first
    assert len([i for i in first if i["pk"]["S"] == "alerts"]) == len(ALERTING)


def test_alerts_are_readable_newest_first(operator: Api) -> None:
    project_all(operator)
    alerts = operator.client.get("/api/alerts").json()

    assert sorted(a["kind"] for a in alerts) == sorted(ALERTING)
    assert [a["since"] for a in alerts] == sorted((a["since"] for a in alerts), reverse=True)
    for alert in alerts:
        assert all(alert[part] for part in ("what", "where", "action", "link"))
    held = next(a for a in alerts if a["kind"] == "etl.dataset.held.v1")
    assert held["severity"] == "critical"


def test_comparison_shows_its_result_and_discrepancy(operator: Api) -> None:
    project_all(operator)
    comparison = operator.client.get("/api/comparisons/cmp-20260316-r2").json()

    assert comparison["status"] == "failed"
    assert comparison["business_date"] == "2026-03-16"
    assert comparison["discrepancy"]["worst_fields"]
    assert [c["comparison_id"] for c in operator.client.get("/api/comparisons").json()] == ["cmp-20260316-r2"]
    assert operator.client.get("/api/comparisons/cmp-unknown").status_code == 404


def test_requested_comparison_is_followed_by_its_id(operator: Api) -> None:
    accepted = operator.client.post(
        "/api/compare", json={"business_date": "2026-03-18", "reason": "re-check"}
    )

    assert accepted.status_code == 202
    comparison_id = accepted.json()["id"]
    ((event, _),) = operator.publisher.published
    assert event.DETAIL_TYPE == "compare.comparison.requested.v1"
    assert event.comparison_id == comparison_id  # type: ignore[attr-defined]
    assert event.requested_by == "otto"  # type: ignore[attr-defined]
    shown = operator.client.get(f"/api/comparisons/{comparison_id}").json()
    assert (shown["status"], shown["result"]) == ("requested", None)


def test_cutover_shows_the_latest_change_and_official_runs(operator: Api) -> None:
    assert operator.client.get("/api/cutover").json()["state"] == "shadow"
    project_all(operator)
    cutover = operator.client.get("/api/cutover").json()

    assert (cutover["state"], cutover["effective_date"]) == ("cutover", "2026-04-20")
    assert [r["business_date"] for r in cutover["official_runs"]] == ["2026-04-21"]


def completion(api: Api, day: str, comparison_id: str, *, passed: bool, streak: int | None, at: str) -> None:
    """Project a `compare.comparison.completed.v1` of `day`, announced at `at`; `streak` None = as a
    producer that does not say it."""
    detail = examples.load("compare.comparison.completed.v1")["detail"]
    detail["metadata"] |= {"occurred_at": at, "business_date": day}
    detail["data"] |= {"comparison_id": comparison_id, "business_date": day, "passed": passed}
    if streak is None:
        del detail["data"]["streak"], detail["data"]["required_streak"]
    else:
        detail["data"]["streak"] = streak
    project(
        Envelope[ComparisonCompleted].model_validate(detail),
        Deps(readmodels=ReadModels(api.dynamodb, api.services.settings.table)),
    )


def test_cutover_shows_the_streak_the_compare_service_counted(operator: Api) -> None:
    # GIVEN a date compared before the streak was announced, a date that failed and then passed when
    # compared again, two later passing dates, and a comparison still awaiting its answer
    completion(operator, "2026-03-13", "cmp-13", passed=True, streak=None, at="2026-03-14T10:00:00Z")
    completion(operator, "2026-03-16", "cmp-16-b", passed=True, streak=1, at="2026-03-17T12:00:00Z")
    completion(operator, "2026-03-16", "cmp-16-a", passed=False, streak=0, at="2026-03-17T10:00:00Z")
    completion(operator, "2026-03-17", "cmp-17", passed=True, streak=2, at="2026-03-18T10:00:00Z")
    completion(operator, "2026-03-18", "cmp-18", passed=True, streak=3, at="2026-03-19T10:00:00Z")
    operator.client.post("/api/compare", json={"business_date": "2026-03-19", "reason": "re-check"})
    # WHEN the cutover page asks
    cutover = operator.client.get("/api/cutover").json()
    # THEN it has the newest date's streak, the requirement, and each date's latest comparison
    assert (cutover["streak"], cutover["required_streak"]) == (3, 10)
    assert [(d["business_date"], d["passed"], d["streak"]) for d in cutover["parity"]] == [
        ("2026-03-18", True, 3),
        ("2026-03-17", True, 2),
        ("2026-03-16", True, 1),
        ("2026-03-13", True, None),
    ]


def test_cutover_parity_keeps_the_newest_dates(api: Api) -> None:
    readmodels = ReadModels(api.dynamodb, api.services.settings.table)
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(PARITY_DAYS + 2)]
    for n, day in enumerate(days):
        body = {"comparison_id": f"cmp-{n}", "business_date": day.isoformat(), "passed": True, "streak": n}
        readmodels.put(*comparison_key(f"cmp-{n}", "completed"), body)
    token, csrf, _ = api.session("otto", "operator")
    api.use(token, csrf)
    cutover = api.client.get("/api/cutover").json()
    assert [d["business_date"] for d in cutover["parity"]] == [d.isoformat() for d in reversed(days[2:])]
    # Before any comparison says it, the requirement is the one the gate last announced, or unknown.
    assert (cutover["streak"], cutover["required_streak"]) == (PARITY_DAYS + 1, None)


def test_an_older_designation_does_not_replace_a_newer_one(api: Api) -> None:
    readmodels = ReadModels(api.dynamodb, api.services.settings.table)
    readmodels.put_latest("cutover#official", "2026-04-21", {"run_id": "new"}, "2026-04-22T07:00:00+00:00")
    readmodels.put_latest("cutover#official", "2026-04-21", {"run_id": "old"}, "2026-04-22T06:00:00+00:00")
    assert [d["run_id"] for d in readmodels.query("cutover#official")] == ["new"]


def test_admin_actions_put_their_request_on_the_bus(api: Api) -> None:
    token, csrf, _ = api.session("ada", "admin")
    api.use(token, csrf)

    run = api.client.post("/api/customs-runs", json={"business_date": "2026-03-16", "reason": "new rates"})
    change = api.client.post(
        "/api/cutover", json={"action": "rollback", "effective_date": "2026-05-01", "reason": "SAP outage"}
    )

    assert (run.status_code, change.status_code) == (202, 202)
    kinds = [(e.DETAIL_TYPE, m.producer, m.business_date) for e, m in api.publisher.published]
    assert kinds[0][:2] == ("customs.run.requested.v1", "ior.api")
    assert str(kinds[0][2]) == "2026-03-16"
    assert kinds[1][:2] == ("cutover.change.requested.v1", "ior.api")
    assert change.json()["id"] == api.publisher.published[1][0].request_id  # type: ignore[attr-defined]


class LambdaContext:
    function_name = "ior-test-api-projections"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:ior-test-api-projections"
    aws_request_id = "req-1"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


def test_the_subscription_handler_projects_an_sqs_batch_once(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the consumer wired to this test's table, as a cold start would
    monkeypatch.setenv("IOR_TABLE_NAME", api.services.settings.table)
    consumer.cold_start()
    records = [
        {"messageId": f"m{i}", "body": json.dumps(examples.load(m.DETAIL_TYPE)), "attributes": {}}
        for i, m in enumerate(PROJECTED)
    ]
    batch = {"Records": [r | {"eventSource": "aws:sqs", "receiptHandle": "r"} for r in records]}
    try:
        # WHEN the batch arrives twice (a re-delivery)
        first = consumer(batch, LambdaContext())
        projected = [i for i in items(api) if not i["pk"]["S"].startswith("idempotency#")]
        second = consumer(batch, LambdaContext())
    finally:
        consumer.cold_start()

    # THEN every record succeeded and the second delivery changed nothing
    assert first == second == {"batchItemFailures": []}
    assert [i for i in items(api) if not i["pk"]["S"].startswith("idempotency#")] == projected
    assert len([i for i in projected if i["pk"]["S"] == "alerts"]) == len(ALERTING)

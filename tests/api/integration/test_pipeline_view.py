"""`GET /api/pipeline`: last runs, failures and freshness per source and dataset from the projected
events, and the queue depths; `POST /api/pipeline/replay` starts an archive replay for one stage."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ior_api.adapters.readmodels import ReadModels
from ior_api.entrypoints.projections import consumer
from ior_api.ports import Deps
from ior_contracts import examples
from ior_contracts.freshness import DATASET_MAX_AGE

from tests.api.conftest import Api, project

SOURCE = "ZSDR002"


def deliver(api: Api, detail_type: str, occurred_at: str, event_id: str, **data: Any) -> None:
    raw = examples.load(detail_type)
    raw["detail"]["metadata"] |= {"occurred_at": occurred_at, "event_id": event_id}
    raw["detail"]["data"] |= data
    envelope = consumer.parse(json.dumps(raw))[1]
    project(envelope, Deps(readmodels=ReadModels(api.dynamodb, api.services.settings.table)))


@pytest.fixture
def operator(api: Api) -> Api:
    api.use(*api.session("otto", "operator")[:2])
    return api


def source(view: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in view["sources"] if s["name"] == name)


def test_a_source_shows_its_last_run_failures_since_success_and_freshness(operator: Api) -> None:
    landed, failed = "ingestion.extract.landed.v1", "ingestion.extract.failed.v1"
    deliver(operator, landed, "2026-03-16T05:01:00Z", "00000000-0000-4000-8000-000000000001", source=SOURCE)
    deliver(operator, failed, "2026-03-17T05:01:00Z", "00000000-0000-4000-8000-000000000002", source=SOURCE)
    deliver(operator, failed, "2026-03-18T05:01:00Z", "00000000-0000-4000-8000-000000000003", source=SOURCE)
    # The same failure delivered again is the same run.
    deliver(operator, failed, "2026-03-18T05:01:00Z", "00000000-0000-4000-8000-000000000003", source=SOURCE)
    operator.clock.now = datetime(2026, 3, 18, 6, 0, tzinfo=UTC)

    view = operator.client.get("/api/pipeline").json()

    shown = source(view, SOURCE)
    assert shown["last_run"]["status"] == "failed"
    assert shown["failures"] == 2
    assert shown["last_success_at"].startswith("2026-03-16T05:01:00")
    assert shown["freshness"]["state"] == "stale"  # daily source, last success 49 h ago
    assert shown["freshness"]["age_s"] == int(timedelta(hours=48, minutes=59).total_seconds())
    assert source(view, "ZEMM005")["freshness"] == {"state": "never", "age_s": None, "max_age_s": 8 * 86400}


def test_a_dataset_shows_its_current_version_and_a_held_run(operator: Api) -> None:
    published, held = "etl.dataset.published.v1", "etl.dataset.held.v1"
    example = examples.load(published)["detail"]["data"]
    deliver(operator, published, "2026-03-17T05:20:00Z", "00000000-0000-4000-8000-000000000011")
    deliver(
        operator,
        held,
        "2026-03-17T06:20:00Z",
        "00000000-0000-4000-8000-000000000012",
        dataset=example["dataset"],
        mode=example["mode"],
    )
    operator.clock.now = datetime(2026, 3, 17, 8, 0, tzinfo=UTC)

    view = operator.client.get("/api/pipeline").json()

    shown = next(
        d for d in view["datasets"] if (d["name"], d["mode"]) == (example["dataset"], example["mode"])
    )
    assert shown["version"] == example["version"]
    assert shown["rows"] == example["snapshot"]["row_count"]
    assert shown["held"] is True
    assert shown["failures"] == 1
    assert shown["freshness"]["state"] == "fresh"
    assert len(view["datasets"]) == 12  # six datasets × two modes


def test_queue_depths_count_waiting_messages_and_the_dlq(operator: Api) -> None:
    naming = operator.services.settings.naming
    sqs = operator.services.settings.client("sqs")
    dlq = sqs.get_queue_url(QueueName=naming.dlq("etl-datasets"))["QueueUrl"]
    sqs.send_message(QueueUrl=dlq, MessageBody="{}")
    try:
        queues = {q["subscription"]: q for q in operator.client.get("/api/pipeline").json()["queues"]}
        assert queues["etl-datasets"] == {"subscription": "etl-datasets", "depth": 0, "dlq_depth": 1}
        assert queues["customs-runs"]["dlq_depth"] == 0
    finally:
        sqs.purge_queue(QueueUrl=dlq)


def test_an_admin_replays_a_window_to_one_stage(api: Api) -> None:
    api.use(*api.session("ada", "admin")[:2])
    window = {"since": "2026-03-16T00:00:00Z", "until": "2026-03-17T00:00:00Z", "reason": "rebuild"}

    unknown = api.client.post("/api/pipeline/replay", json={"stage": "nope", **window})
    undeployed = api.services.operations.stages.pop("compare")
    backwards = api.client.post(
        "/api/pipeline/replay", json={"stage": "etl", **window, "until": "2026-03-15T00:00:00Z"}
    )
    started = api.client.post("/api/pipeline/replay", json={"stage": "etl", **window})

    missing = api.client.post("/api/pipeline/replay", json={"stage": "compare", **window})
    api.services.operations.stages["compare"] = undeployed
    assert unknown.status_code == 422
    assert missing.status_code == 404
    assert "etl" in missing.json()["detail"]
    assert backwards.status_code == 422
    assert started.status_code == 202, started.text
    name = started.json()["name"]
    assert name.startswith("ior-local-etl-")
    replay = api.services.settings.client("events").describe_replay(ReplayName=name)
    assert replay["Destination"]["FilterArns"][0].endswith(":rule/ior-local/ior-local-etl-datasets")
    listed = {r["name"]: r for r in api.client.get("/api/pipeline").json()["replays"]}
    assert (listed[name]["stage"], listed[name]["reason"]) == ("etl", "rebuild")


def test_an_unchanged_rebuild_keeps_a_dataset_fresh(operator: Api) -> None:
    published, confirmed = "etl.dataset.published.v1", "etl.dataset.confirmed.v1"
    example = examples.load(published)["detail"]["data"]
    max_age = DATASET_MAX_AGE[example["dataset"]]
    at = datetime(2026, 3, 9, 4, 20, tzinfo=UTC)
    # Past the threshold after the publication, an hour after the confirmation.
    operator.clock.now = at + max_age + timedelta(days=1)
    confirmed_at = operator.clock.now - timedelta(hours=1)
    deliver(operator, published, at.isoformat(), "00000000-0000-4000-8000-000000000021")
    deliver(
        operator,
        confirmed,
        confirmed_at.isoformat(),
        "00000000-0000-4000-8000-000000000022",
        dataset=example["dataset"],
        mode=example["mode"],
        version=example["version"],
    )

    view = operator.client.get("/api/pipeline").json()

    shown = next(
        d for d in view["datasets"] if (d["name"], d["mode"]) == (example["dataset"], example["mode"])
    )
    assert shown["freshness"] == {"state": "fresh", "age_s": 3600, "max_age_s": int(max_age.total_seconds())}
    assert shown["version"] == example["version"]
    assert shown["rows"] == example["snapshot"]["row_count"]
    assert (shown["held"], shown["failures"]) == (False, 0)


def test_the_fee_table_and_the_hts_revision_show_what_needs_doing(operator: Api) -> None:
    # GIVEN the fee table measured on 17 August as covering until 30 September
    deliver(
        operator,
        "etl.fee_table.confirmed.v1",
        "2026-08-17T06:00:00Z",
        "00000000-0000-4000-8000-000000000021",
        coverage={
            "as_of": "2026-08-17",
            "covered_until": "2026-09-30",
            "days_ahead": 44,
            "threshold_days": 45,
            "short": True,
        },
    )
    # AND Rev. 10 landed, then Rev. 11 announced overdue, and a change to the company's numbers
    deliver(
        operator,
        "ingestion.extract.landed.v1",
        "2026-06-20T05:00:00Z",
        "00000000-0000-4000-8000-000000000022",
        source="USITC_HTS",
        revision="2026 Rev. 10",
        release="2026HTSRev10",
    )
    deliver(
        operator,
        "ingestion.hts_revision.overdue.v1",
        "2026-07-06T05:00:00Z",
        "00000000-0000-4000-8000-000000000023",
    )
    deliver(
        operator,
        "etl.hts_revision.changed.v1",
        "2026-06-20T05:10:00Z",
        "00000000-0000-4000-8000-000000000024",
    )
    operator.clock.now = datetime(2026, 8, 20, 8, 0, tzinfo=UTC)

    view = operator.client.get("/api/pipeline").json()

    # THEN the coverage is counted again from today: 41 days, short of 45
    fees = view["fee_table"]
    assert (fees["covered_until"], fees["days_ahead"], fees["short"]) == ("2026-09-30", 41, True)
    assert "41 days ahead (at least 45)" in fees["problem"]
    # AND the revision in force, the one waiting and the numbers that changed, both revisions named
    hts = view["hts_revision"]
    assert hts["landed"] == "2026 Rev. 10"
    assert hts["waiting"] == (
        "HTS 2026 Rev. 11 has waited 12 days without landing (the stack is pinned to an older release)"
    )
    assert (hts["changed_from"], hts["changed_to"], hts["changed_count"]) == (
        "2026 Rev. 9",
        "2026 Rev. 10",
        1,
    )
    assert hts["changed"][0]["changes"] == ["unit_changed"]
    # AND each is an alert, with what to do
    kinds = {a["kind"]: a for a in operator.client.get("/api/alerts").json()}
    assert "ior fees add" in kinds["etl.fee_table.confirmed.v1"]["action"]
    assert "2026 Rev. 11" in kinds["ingestion.hts_revision.overdue.v1"]["what"]
    assert "1 of the company's 21 HTS numbers" in kinds["etl.hts_revision.changed.v1"]["what"]
    # WHEN Rev. 11 lands, THEN nothing waits
    deliver(
        operator,
        "ingestion.extract.landed.v1",
        "2026-07-07T05:00:00Z",
        "00000000-0000-4000-8000-000000000025",
        source="USITC_HTS",
        revision="2026 Rev. 11",
        release="2026HTSRev11",
    )
    assert operator.client.get("/api/pipeline").json()["hts_revision"]["waiting"] is None


def test_an_admins_refused_fee_notice_is_a_critical_alert_naming_the_rule(operator: Api) -> None:
    notice = {"event_id": "00000000-0000-4000-8000-0000000000aa", "fiscal_year": 2030}
    refused = {
        "fiscal_year": 2030,
        "effective_from": "2029-10-01",
        "rule": "leaves_a_gap",
        "reason": "FY2030 starts 2029-10-01 but the table ends 2026-09-30: record that fiscal year first",
        "notice_event_id": notice["event_id"],
    }
    deliver(
        operator,
        "etl.fee_table.confirmed.v1",
        "2026-08-01T06:00:00Z",
        "00000000-0000-4000-8000-000000000031",
        rejected=[refused],
        notice=notice,
    )
    [alert] = [
        a for a in operator.client.get("/api/alerts").json() if a["kind"] == "etl.fee_table.confirmed.v1"
    ]
    assert alert["severity"] == "critical"
    assert alert["what"].startswith("The FY2030 fee notice was not taken (leaves_a_gap)")
    assert operator.client.get("/api/pipeline").json()["fee_table"]["refused"][0]["rule"] == "leaves_a_gap"


def test_a_short_fee_table_is_one_alert_a_day_however_often_it_is_measured(operator: Api) -> None:
    short = {"as_of": "2026-08-17", "covered_until": "2026-09-30", "days_ahead": 44, "threshold_days": 45}
    for n, (at, as_of) in enumerate(
        [("2026-08-17T04:30:00Z", "2026-08-17"), ("2026-08-17T09:00:00Z", "2026-08-17"),
         ("2026-08-18T04:30:00Z", "2026-08-18")]
    ):  # fmt: skip
        deliver(
            operator,
            "etl.fee_table.confirmed.v1",
            at,
            f"00000000-0000-4000-8000-00000000004{n}",
            coverage=short | {"as_of": as_of, "short": True},
        )
    alerts = [
        a for a in operator.client.get("/api/alerts").json() if a["kind"] == "etl.fee_table.confirmed.v1"
    ]
    assert [a["since"][:10] for a in alerts] == ["2026-08-18", "2026-08-17"]


class CountingOperations:
    """The stage's operations, counting how often the queue depths are read."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.depth_reads = 0
        self.stages = inner.stages

    def depths(self) -> list[tuple[str, int, int]]:
        self.depth_reads += 1
        found: list[tuple[str, int, int]] = self.inner.depths()
        return found

    def replays(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.inner.replays()
        return found


def test_the_view_is_a_read_model_rebuilt_only_when_a_projected_change_or_the_queue_age_asks(
    operator: Api,
) -> None:
    # GIVEN the view read once
    counting = CountingOperations(operator.services.operations)
    operator.services.operations = counting  # type: ignore[assignment]
    operator.clock.now = datetime(2026, 3, 18, 6, 0, tzinfo=UTC)
    operator.client.get("/api/pipeline")
    # WHEN it is read again at once, THEN it comes from the snapshot: no queue is asked
    operator.client.get("/api/pipeline")
    assert counting.depth_reads == 1
    # WHEN a source's run is projected, THEN the next read shows it
    landed = "ingestion.extract.landed.v1"
    deliver(operator, landed, "2026-03-18T05:01:00Z", "00000000-0000-4000-8000-000000000031", source=SOURCE)
    assert source(operator.client.get("/api/pipeline").json(), SOURCE)["last_run"]["status"] == "landed"
    assert counting.depth_reads == 2
    # WHEN the depths are older than their age limit, THEN they are read again
    operator.clock.now += timedelta(seconds=11)
    operator.client.get("/api/pipeline")
    assert counting.depth_reads == 3

"""`ior status` shows each source's and dataset's freshness, judged by the shared thresholds, and
`ior status --check` is the health check: exit 1 on a stale or failing source, a stale automated
dataset or a non-empty DLQ."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ior_contracts.freshness import DAILY, DATASET_MAX_AGE, SOURCE_MAX_AGE
from ior_tools.ops import health
from ior_tools.runtime.stack import LocalStack

from tests.ops.conftest import ior

NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)


def run(status: str, at: datetime, **fields: Any) -> dict[str, Any]:
    """A run as the API's read models keep it (`PipelineRuns`)."""
    return {"status": status, "at": at.isoformat(), **fields}


def test_a_source_is_failing_when_its_last_failure_is_newer_than_its_last_landing() -> None:
    history = {  # newest first
        "ZEMM07": [
            run("failed", NOW - timedelta(hours=1), detail="sap_unavailable: 503"),
            run("landed", NOW - timedelta(hours=30)),
        ],
        "ZSDR002": [
            run("landed", NOW - timedelta(hours=1)),
            run("failed", NOW - timedelta(hours=2), detail="timeout: slow"),
        ],
    }
    rows = {r.source: r for r in health.sources(history, NOW)}
    assert set(rows) == set(SOURCE_MAX_AGE)
    assert rows["ZEMM07"].failing
    assert rows["ZEMM07"].freshness.state == "stale"  # 30 h > 26 h
    assert rows["ZEMM07"].last_failure == "sap_unavailable: 503"
    assert not rows["ZSDR002"].failing
    assert rows["ZSDR002"].freshness.state == "fresh"
    assert rows["ZFMIOR001"].freshness.state == "never"
    found = health.problems(list(rows.values()), [], {"etl-extracts": 0, "customs-runs": 2})
    assert "source ZEMM07 is failing: sap_unavailable: 503" in found
    assert "source ZEMM07 is stale" in found
    assert "source ZFMIOR001 is never" in found
    assert "DLQ of customs-runs holds 2 message(s)" in found
    assert not any("ZSDR002" in p or "etl-extracts" in p for p in found)


def test_only_automated_datasets_count_towards_health() -> None:
    history = {
        ("transactions", "automated"): [
            run("confirmed", NOW - timedelta(hours=1), version="v2"),
            run("published", NOW - DAILY - timedelta(minutes=1), version="v1"),
        ]
    }
    rows = health.datasets(history, NOW)
    assert len(rows) == 2 * len(DATASET_MAX_AGE)
    latest = next(r for r in rows if (r.dataset, r.mode) == ("transactions", "automated"))
    # An unchanged rebuild (confirmed) refreshes the dataset as much as a publication.
    assert (latest.version, latest.freshness.state, latest.freshness.age_s) == ("v2", "fresh", 3600)
    found = health.problems([], rows, {})
    assert "dataset exchange-rates (automated) is never" in found
    assert not any("transactions" in p or "manual" in p for p in found)


def test_status_check_is_healthy_after_a_full_ingest_and_fails_on_a_dead_letter(stack: LocalStack) -> None:
    # GIVEN every source extracted and the ETL done
    ingested = ior("ingest", "--wait", "120")
    assert ingested.exit_code == 0, ingested.output
    stack.wait_idle(timeout=120)
    # WHEN the health check runs, THEN it is healthy, with every source fresh
    shown = ior("status", "--check")
    assert shown.exit_code == 0, shown.output
    assert "healthy" in shown.output
    for source in SOURCE_MAX_AGE:
        row = next(line for line in shown.output.splitlines() if f"│ {source} " in line)
        assert "fresh" in row
    # WHEN a message sits in a DLQ, THEN the check fails and says where
    queue = stack.routes["etl-extracts"].queue
    sqs = stack.client("sqs")
    sqs.send_message(QueueUrl=queue.dlq_url, MessageBody="{}")
    try:
        failed = ior("status", "--check")
        assert failed.exit_code == 1
        assert "DLQ of etl-extracts holds 1 message(s)" in failed.output
    finally:
        sqs.purge_queue(QueueUrl=queue.dlq_url)

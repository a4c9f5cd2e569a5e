"""`ior status` shows each source's and dataset's freshness, judged by the shared thresholds, and
`ior status --check` is the health check: exit 1 on a stale or failing source, a stale automated
dataset, a non-empty DLQ, a fee table short of 45 days ahead or a newer HTS revision waiting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from ior_api.domain.reference import fee_table_coverage, waiting_revision
from ior_contracts.freshness import DAILY, DATASET_MAX_AGE, SOURCE_MAX_AGE
from ior_tools.ops import health
from ior_tools.runtime.stack import LocalStack

from tests.ops.conftest import ior
from tests.ops.test_fees import record_test_years

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


def measured(until: str | None, as_of: date, version: str = "v1") -> dict[str, Any]:
    """The fee table's last published or confirmed event, as the API's read models keep it."""
    return {
        "version": version,
        "coverage": {"as_of": as_of.isoformat(), "covered_until": until, "threshold_days": 45},
        "at": datetime.combine(as_of, datetime.min.time(), UTC).isoformat(),
    }


def test_the_fee_table_is_judged_on_the_days_it_covers_from_today() -> None:
    # GIVEN a table measured on 1 August as covering until 30 September (60 days then)
    last = measured("2026-09-30", date(2026, 8, 1))
    # THEN on 15 August it still covers 46 days; on 17 August only 44, which is too few
    assert fee_table_coverage(last, datetime(2026, 8, 15, tzinfo=UTC)).problem() is None
    short = fee_table_coverage(last, datetime(2026, 8, 17, tzinfo=UTC))
    assert (short.days_ahead, short.short) == (44, True)
    assert (
        "the fee table covers 2026-09-30, 44 days ahead (at least 45)"
        in health.problems([], [], {}, short)[0]
    )
    # AND no table at all is a problem of its own
    assert "no fee table" in str(fee_table_coverage(None, NOW).problem())


def test_a_newer_hts_revision_waiting_is_a_problem_until_it_lands() -> None:
    overdue = {
        "latest_revision": "2026 Rev. 11",
        "days_waiting": 9,
        "reason": "pinned",
        "at": NOW.isoformat(),
    }
    waiting = waiting_revision(overdue, {"revision": "2026 Rev. 10", "at": NOW.isoformat()})
    assert waiting == (
        "HTS 2026 Rev. 11 has waited 9 days without landing (the stack is pinned to an older release)"
    )
    assert health.problems([], [], {}, None, waiting) == [waiting]
    landed = {"revision": "2026 Rev. 11", "at": (NOW + timedelta(hours=1)).isoformat()}
    assert waiting_revision(overdue, landed) is None


def test_status_check_is_healthy_after_a_full_ingest_and_fails_on_a_dead_letter(stack: LocalStack) -> None:
    # GIVEN every source extracted and the ETL done
    ingested = ior("ingest", "--wait", "120")
    assert ingested.exit_code == 0, ingested.output
    stack.wait_idle(timeout=120)
    # AND the fiscal years from FY2027 to 45 days ahead of today recorded (test figures only: the
    # shipped notices stop at FY2026, and the check rightly fails until an admin records a year)
    record_test_years(datetime.now(UTC).date() + timedelta(days=45))
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

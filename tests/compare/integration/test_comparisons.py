"""Comparisons made by the compare service's handlers: when both modes have lines for a date, on
request, once per key; with their reports, table records and events."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import boto3
from ior_compare.domain.records import ComparisonKey
from ior_compare.entrypoints import lines, requests
from ior_contracts.compare import ComparisonRequested

from tests.compare.documents import (
    AUDIT_BUCKET,
    DATA_BUCKET,
    document,
    lines_generated,
    put_document,
    with_line_change,
)
from tests.compare.integration.conftest import World

DAY = date(2026, 3, 16)
COMPLETED = "compare.comparison.completed.v1"
DISCREPANCY = "compare.discrepancy.detected.v1"
DESIGNATED = "cutover.official_run.designated.v1"


def test_lines_of_both_modes_make_one_comparison_with_its_reports_record_and_event(world: World) -> None:
    # GIVEN the manual lines of a date
    world.run_arrives(DAY, "manual")
    assert world.events(COMPLETED) == []
    # WHEN the automated lines of the same date arrive
    world.run_arrives(DAY, "automated")
    # THEN one comparison passed and was announced
    [completed] = world.data_of(COMPLETED)
    assert completed["passed"] is True
    assert (completed["expected_run_id"], completed["actual_run_id"]) == (
        "cus-20260316-manual-r1",
        "cus-20260316-automated-r1",
    )
    assert completed["counts"]["lines"] == {
        "match": 6,
        "mismatch": 0,
        "missing": 0,
        "extra": 0,
        "duplicate": 0,
    }
    assert world.events(DISCREPANCY) == []
    comparison_id = completed["comparison_id"]
    # AND its reports are under the audit prefix, keyed by date and comparison
    base = f"compare/comparisons/2026-03-16/{comparison_id}/"
    assert world.keys(AUDIT_BUCKET, base) == [base + "report.html", base + "report.json"]
    # AND the JSON report is stored gzip, said so by its encoding, as the API serves it
    bucket, key = completed["report_uri"].removeprefix("s3://").split("/", 1)
    stored = world.client("s3").get_object(Bucket=bucket, Key=key)
    assert (stored["ContentType"], stored["ContentEncoding"]) == ("application/json", "gzip")
    report_bytes = stored["Body"].read()
    report = json.loads(gzip.decompress(report_bytes))
    assert report["metadata"]["comparison_id"] == comparison_id
    assert report["passed"] is True
    assert b"PASSED" in world.read(completed["report_html_uri"])
    # AND the per-line outcomes are published, matching their claim check: the report's own bytes
    outcomes = world.read(completed["result"]["uri"])
    assert hashlib.sha256(outcomes).hexdigest() == completed["result"]["sha256"]
    assert outcomes == report_bytes
    # AND the table keeps the summary under the comparison's key, and the date points at it
    key = ComparisonKey(
        DAY, "cus-20260316-manual-r1", "cus-20260316-automated-r1", completed["config_version"]
    )
    record = world.ledger.comparison(key)
    assert record is not None
    assert (record.comparison_id, record.passed, record.counts) == (comparison_id, True, completed["counts"])
    day = world.ledger.day(DAY)
    assert day.comparison is not None
    assert day.comparison.comparison_id == comparison_id


def test_a_failing_comparison_also_announces_the_discrepancy_with_its_worst_fields(world: World) -> None:
    # GIVEN automated lines whose line 5 duty is $5 higher, and which lack line 6
    automated = with_line_change(document(DAY), 5, duty="2231.00")
    automated["entries"][0]["lines"].pop()
    world.both_arrive(DAY, automated)
    # THEN the comparison failed
    [completed] = world.data_of(COMPLETED)
    assert completed["passed"] is False
    assert completed["counts"]["lines"]["missing"] == 1
    # AND the discrepancy names its counts and the field out of tolerance
    [found] = world.data_of(DISCREPANCY)
    assert found["comparison_id"] == completed["comparison_id"]
    assert found["counts"] == completed["counts"]
    assert found["worst_fields"][0] == {
        "field": "duty",
        "critical": True,
        "mismatches": 1,
        "max_abs_delta": "5.00",
    }
    record = world.ledger.comparison_by_id(completed["comparison_id"])
    assert record is not None
    assert record.discrepancies == {"duty": 1, "missing": 1}


def test_the_same_event_again_changes_nothing(world: World) -> None:
    # GIVEN a compared date
    world.run_arrives(DAY, "manual")
    delivered = world.run_arrives(DAY, "automated")
    before = (len(world.events()), world.keys(AUDIT_BUCKET, "compare/"), world.keys(DATA_BUCKET, "compare/"))
    # WHEN the automated run's message is delivered again
    world.redeliver(lines.consumer, delivered)
    # AND the same run is announced again under a new event id (a replay)
    world.run_arrives(DAY, "automated")
    # THEN nothing new was stored or announced
    assert (
        len(world.events()),
        world.keys(AUDIT_BUCKET, "compare/"),
        world.keys(DATA_BUCKET, "compare/"),
    ) == before
    assert len(world.events(COMPLETED)) == 1


def test_a_newer_run_is_compared_again_and_an_older_one_arriving_late_is_not(world: World) -> None:
    world.both_arrive(DAY)
    # WHEN a newer automated run arrives, then an older one late
    world.run_arrives(DAY, "automated", with_line_change(document(DAY), 1, duty="200.00"), run="r2")
    world.run_arrives(DAY, "automated", run="r0", at=datetime(2026, 3, 16, 6, tzinfo=UTC))
    # THEN the date's comparison is of the newest runs, and failed; the late run was not compared
    completed = world.data_of(COMPLETED)
    assert [c["actual_run_id"] for c in completed] == [
        "cus-20260316-automated-r1",
        "cus-20260316-automated-r2",
    ]
    day = world.ledger.day(DAY)
    assert day.comparison is not None
    assert (day.comparison.actual_run_id, day.comparison.passed) == ("cus-20260316-automated-r2", False)


def test_a_requested_comparison_uses_the_id_the_client_chose(world: World) -> None:
    # GIVEN a date with manual lines only
    world.run_arrives(DAY, "manual")
    # WHEN a comparison is requested with an id
    ask = ComparisonRequested(
        business_date=DAY, comparison_id="cmp-req-1", requested_by="analyst", reason="check"
    )
    world.deliver(requests.consumer, ask)
    # THEN the comparison has that id; with no automated run every manual line is missing
    [completed] = world.data_of(COMPLETED)
    assert (completed["comparison_id"], completed["actual_run_id"], completed["passed"]) == (
        "cmp-req-1",
        None,
        False,
    )
    assert completed["counts"]["lines"]["missing"] == 6
    assert world.keys(AUDIT_BUCKET, "compare/comparisons/2026-03-16/cmp-req-1/")
    record = world.ledger.comparison_by_id("cmp-req-1")
    assert record is not None
    assert (record.requested_by, record.reason) == ("analyst", "check")


def test_a_request_for_runs_compared_before_is_answered_with_the_earlier_comparison(world: World) -> None:
    world.both_arrive(DAY)
    [made] = world.data_of(COMPLETED)
    # WHEN the same runs are asked for again under a new id
    ask = ComparisonRequested(
        business_date=DAY, comparison_id="cmp-again", requested_by="analyst", reason="again"
    )
    world.deliver(requests.consumer, ask)
    # THEN the answer repeats the requested id and points at the earlier reports; nothing is recompared
    answer = world.data_of(COMPLETED)[-1]
    assert answer["comparison_id"] == "cmp-again"
    assert answer["report_uri"] == made["report_uri"]
    assert len(world.keys(AUDIT_BUCKET, "compare/comparisons/")) == 2
    record = world.ledger.comparison_by_id("cmp-again")
    assert record is not None
    assert record.comparison_id == made["comparison_id"]


def test_each_date_is_designated_as_its_lines_arrive(world: World) -> None:
    # GIVEN shadow mode: the automated lines alone make no official run
    world.run_arrives(DAY, "automated")
    world.run_arrives(DAY, "manual")
    designated = world.data_of(DESIGNATED)
    assert [(d["official_mode"], d["run_id"], d["state"]) for d in designated] == [
        ("manual", None, "shadow"),
        ("manual", "cus-20260316-manual-r1", "shadow"),
    ]


def test_a_run_whose_lines_cannot_be_read_is_designated_all_the_same(world: World) -> None:
    # GIVEN the automated lines of a date, then manual lines whose object is gone
    world.run_arrives(DAY, "automated")
    claims = put_document(world.client("s3"), document(DAY), "manual")
    bucket, key = claims[0].uri.removeprefix("s3://").split("/", 1)
    world.client("s3").delete_object(Bucket=bucket, Key=key)
    # WHEN the manual run is announced
    handled = world.attempt(lines.consumer, lines_generated(DAY, "manual", claims))
    # THEN the comparison failed, left for the queue to retry, and nothing was compared
    assert handled is False
    assert world.events(COMPLETED) == []
    # AND the manual run became the official one, and was announced so
    designated = world.data_of(DESIGNATED)
    assert [(d["official_mode"], d["run_id"]) for d in designated] == [
        ("manual", None),
        ("manual", "cus-20260316-manual-r1"),
    ]
    stored = world.gate.designation(DAY)
    assert stored is not None
    assert stored.official.run_id == "cus-20260316-manual-r1"


def test_a_kept_comparison_and_the_pointer_of_its_id_are_written_together(world: World) -> None:
    world.both_arrive(DAY)
    [made] = world.data_of(COMPLETED)
    record = world.ledger.comparison_by_id(made["comparison_id"])
    assert record is not None
    # WHEN a twin of the same key is kept under another id
    kept = world.ledger.put_comparison(replace(record, comparison_id="cmp-twin"))
    # THEN it is refused, and its id names nothing: the pointer went with the refused record
    assert kept is False
    assert world.ledger.comparison_by_id("cmp-twin") is None
    assert world.ledger.comparison_by_id(made["comparison_id"]) == record


def test_the_run_that_completes_a_date_costs_the_table_and_the_bus_one_request_per_step(
    world: World,
) -> None:
    # GIVEN the manual lines of a date, and automated lines that differ from them
    world.run_arrives(DAY, "manual")
    automated = with_line_change(document(DAY), 5, duty="2231.00")
    # WHEN the automated lines arrive, every request to the table and the bus counted, by the thread
    # that sent it (a client takes the session's hooks when it is made: the subscription's are made again)
    sent: dict[str, list[str]] = {}

    def count(model: Any, **_: Any) -> None:
        if model.service_model.service_name in ("dynamodb", "events"):
            thread = threading.current_thread().name.rstrip("_0123456789")
            sent.setdefault(thread, []).append(model.name)

    events = boto3._get_default_session().events
    events.register("before-call", count)
    try:
        lines.consumer.cold_start()
        world.run_arrives(DAY, "automated", automated)
    finally:
        events.unregister("before-call", count)
    # THEN each step of its bookkeeping is one round trip: the date read once for the designation and
    # the comparison, the key's runs and kept comparison in one read, the record and its id's pointer
    # in one transaction, and both events' announcements read and marked once
    assert sent.pop("MainThread") == [
        "PutItem",  # the message's idempotency record, in progress
        "PutItem",  # the run
        "UpdateItem",  # the date's latest automated run
        "GetItem",  # the date
        "BatchGetItem",  # the key's runs, and its comparison if kept
        "TransactWriteItems",  # the comparison, and the pointer of its id
        "UpdateItem",  # the date's comparison
        "Query",  # the dates up to it, for the streak
        "BatchGetItem",  # which of the two events were announced
        "PutEvents",  # compare.comparison.completed.v1
        "PutEvents",  # compare.discrepancy.detected.v1
        "BatchWriteItem",  # both marked announced
        "UpdateItem",  # the message's idempotency record, done
    ]
    # AND the designation's, while the date was compared: unchanged, so nothing announced
    assert sent == {"ahead": ["Query", "GetItem"]}  # the gate's changes, the date's designation
    assert len(world.data_of(DISCREPANCY)) == 1

"""What every handler leaves behind for operators, through the shared Lambda glue: JSON log lines
carrying the event's correlation id, event id, detail-type and handler; follow-up events carrying
the correlation id and naming their cause; the business metrics of `ior_contracts.metrics` as EMF,
written once per invocation (stdout in Lambda, the stack's file locally, nowhere when disabled)."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ior_contracts.bus import build_entry
from ior_contracts.consumer import Consumer, Publish
from ior_contracts.engine_time import engine
from ior_contracts.envelope import Event, Metadata, new_metadata
from ior_contracts.examples import load
from ior_contracts.ingestion import ExtractFailed, ExtractRequested
from ior_contracts.metrics import ALL, ENGINE_CPU, HANDLER_LATENCY, INVOCATION_CPU, NAMESPACE
from ior_contracts.registry import model_for
from ior_contracts.telemetry import METRICS_FILE_ENV, InvocationMetrics, points_of
from ior_contracts.topology import Naming
from ior_tools.runtime.stack import LocalStack
from ior_tools.runtime.worker import LambdaContext, to_lambda_record

from tests.support.stack import wait_for

NAMING = Naming("local")
# The example event of each contract whose publication counts towards a metric.
COUNTED = {
    "ingestion.extract.landed.v1": {"RowsIngested"},
    "ingestion.extract.failed.v1": {"ExtractsFailed"},
    "etl.rows.quarantined.v1": {"RowsRejected"},
    "etl.dataset.published.v1": {"DatasetsPublished"},
    "etl.dataset.held.v1": {"DatasetsHeld"},
    "etl.fee_table.published.v1": {"FeeTableDaysCovered"},
    "etl.fee_table.confirmed.v1": {"FeeTableDaysCovered"},
    "ingestion.hts_revision.overdue.v1": {"HtsRevisionDaysWaiting"},
    "customs.lines.generated.v1": {"LinesGenerated", "EnteredValueCents", "DutyCents"},
    "compare.comparison.completed.v1": {"ComparisonsPassed", "ComparisonsFailed"},
}


def example(detail_type: str) -> Event:
    return model_for(detail_type).model_validate(load(detail_type)["detail"]["data"])


@pytest.mark.parametrize("detail_type", sorted(COUNTED))
def test_each_counted_event_gives_its_metrics_with_their_dimensions(detail_type: str) -> None:
    event = example(detail_type)
    points = points_of(event)
    assert points
    assert {p.spec.name for p in points} <= COUNTED[detail_type]
    metrics = InvocationMetrics(points[0].spec.service)
    metrics.add_event(event)
    lines: list[str] = []
    assert metrics.flush(lines.append) == 1
    assert metrics.points == []
    doc = json.loads(lines[0])
    (directive,) = doc["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == NAMESPACE
    assert directive["Dimensions"] == [["service", *points[0].spec.dimensions]]
    assert doc["service"] == points[0].spec.service
    for p in points:
        assert {"Name": p.spec.name, "Unit": p.spec.unit} in directive["Metrics"]
        assert doc[p.spec.name] == [p.value]
        for name, value in p.dimensions:
            assert doc[name] == value


def test_every_declared_metric_is_emitted_somewhere() -> None:
    counted = set().union(*COUNTED.values())
    by_the_glue = {HANDLER_LATENCY.name, INVOCATION_CPU.name, ENGINE_CPU.name}
    assert counted | by_the_glue == {m.name for m in ALL}


def test_the_fee_tables_coverage_and_a_waiting_revision_are_measured_in_days() -> None:
    (covered,) = points_of(example("etl.fee_table.confirmed.v1"))
    assert (covered.spec.name, covered.value, covered.dimensions) == ("FeeTableDaysCovered", 44, ())
    (waiting,) = points_of(example("ingestion.hts_revision.overdue.v1"))
    assert (waiting.spec.name, waiting.value) == ("HtsRevisionDaysWaiting", 12)


def test_the_counts_follow_the_events_content() -> None:
    landed = example("ingestion.extract.landed.v1")
    (rows,) = points_of(landed)
    assert rows.value == landed.extract.row_count  # type: ignore[attr-defined]
    assert rows.dimensions == (("source", landed.source),)  # type: ignore[attr-defined]
    generated = example("customs.lines.generated.v1")
    values = {p.spec.name: p.value for p in points_of(generated)}
    totals = generated.totals  # type: ignore[attr-defined]
    assert values == {"LinesGenerated": totals.lines, "EnteredValueCents": totals.entered_value_cents,
                      "DutyCents": totals.duty_cents}  # fmt: skip
    assert points_of(example("customs.run.requested.v1")) == []


@pytest.fixture
def aws(stack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> LocalStack:
    """The package's running stack as the consumer's AWS (its ingestion table, its bus and event
    log); metrics to stdout unless a test says otherwise."""
    for name in (METRICS_FILE_ENV, "POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_DEV"):
        monkeypatch.delenv(name, raising=False)
    return stack


def failing_extracts() -> Consumer[None]:
    consumer: Consumer[None] = Consumer("ingestion", bootstrap=lambda settings: None)

    def extract_requested(
        message: ExtractRequested, /, *, cause: Metadata, deps: None, publish: Publish
    ) -> None:
        # A service's own logger, under the consumer's: its lines carry the event's keys too.
        logging.getLogger("ior-ingestion.extracts").error("SAP did not answer")
        failed = ExtractFailed.model_validate(
            {**load("ingestion.extract.failed.v1")["detail"]["data"], "source": message.source}
        )
        publish(failed)

    consumer.route(ExtractRequested, extract_requested)
    return consumer


def invoke(consumer: Consumer[Any], *events: Event, correlation_id: str) -> list[str]:
    """The consumer on one SQS batch; the ids of the events sent."""
    records, ids = [], []
    for i, event in enumerate(events):
        metadata = new_metadata(type(event), correlation_id=correlation_id, business_date=date(2026, 3, 10))
        entry = build_entry(NAMING.bus, event, metadata)
        detail = json.loads(entry["Detail"])
        wrapped = {
            "version": "0",
            "id": f"eb-{i}",
            "source": entry["Source"],
            "detail-type": entry["DetailType"],
        }
        body = json.dumps({**wrapped, "detail": detail})
        message = {"MessageId": f"m-{i}", "ReceiptHandle": f"r-{i}", "Body": body, "Attributes": {}}
        records.append(to_lambda_record(message, "arn:aws:sqs:us-east-1:000000000000:q"))
        ids.append(metadata.event_id)
    response = consumer({"Records": records}, LambdaContext("ior-ingestion", deadline=time.monotonic() + 60))
    assert response == {"batchItemFailures": []}
    return ids


def test_a_handled_event_logs_with_its_ids_and_its_follow_up_keeps_the_correlation(
    aws: LocalStack, capsys: pytest.CaptureFixture[str]
) -> None:
    consumer = failing_extracts()
    stream = io.StringIO()
    consumer.logger.registered_handler.setStream(stream)  # type: ignore[attr-defined]
    (sent,) = invoke(consumer, ExtractRequested(source="ZEMM07", trigger="cli"), correlation_id="flow-1")
    # THEN the handler's log line is JSON with the event's ids and the handler
    logged = [json.loads(line) for line in stream.getvalue().splitlines()]
    line = next(entry for entry in logged if entry["message"] == "SAP did not answer")
    assert (line["correlation_id"], line["event_id"]) == ("flow-1", sent)
    assert (line["detail_type"], line["handler"]) == ("ingestion.extract.requested.v1", "extract_requested")
    # AND the follow-up carries the correlation id and names its cause
    wait_for(lambda: bool(aws.event_log.caused_by([sent])), what="the follow-up in the event log")
    (follow_up,) = aws.event_log.caused_by([sent])
    metadata = follow_up.event["detail"]["metadata"]
    assert (metadata["correlation_id"], metadata["causation_id"]) == ("flow-1", sent)
    assert metadata["business_date"] == "2026-03-10"
    # AND the invocation printed its metrics as EMF on stdout, as Lambda wants them
    # (The stack's own workers print theirs too while its metrics file is unset.)
    printed = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith('{"_aws"')]
    docs = [doc for doc in printed if doc["service"] == "ingestion"]
    by_metric = {m["Name"]: doc for doc in docs for m in doc["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert by_metric["ExtractsFailed"]["ExtractsFailed"] == [1.0]
    latency = by_metric["HandlerLatency"]
    assert (latency["service"], latency["handler"]) == ("ingestion", "extract_requested")
    assert latency["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["service", "handler"]]
    assert len(latency["HandlerLatency"]) == 1
    assert latency["HandlerLatency"][0] >= 0


def test_one_invocation_writes_one_document_per_dimension_set_to_the_stacks_file(
    aws: LocalStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(METRICS_FILE_ENV, str(tmp_path / "metrics.jsonl"))
    consumer = failing_extracts()
    requests = [ExtractRequested(source=s, trigger="cli") for s in ("ZEMM07", "ZSDR002", "ZEMM004")]
    invoke(consumer, *requests, correlation_id="flow-2")
    written = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    docs = [doc for doc in written if doc["service"] == "ingestion"]
    assert [sorted(k for k in d if k not in ("_aws", "service")) for d in docs] == [
        ["ExtractsFailed"],
        ["HandlerLatency", "handler"],
    ]
    assert docs[0]["ExtractsFailed"] == [1.0, 1.0, 1.0]
    assert len(docs[1]["HandlerLatency"]) == 3
    assert '"_aws"' not in capsys.readouterr().out


def test_a_run_that_uses_its_engine_reports_its_cpu_beside_the_engines(
    aws: LocalStack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(METRICS_FILE_ENV, str(tmp_path / "metrics.jsonl"))
    consumer: Consumer[None] = Consumer("ingestion", bootstrap=lambda settings: None)

    def extract_requested(
        message: ExtractRequested, /, *, cause: Metadata, deps: None, publish: Publish
    ) -> None:
        deadline = time.thread_time() + 0.05
        while time.thread_time() < deadline:  # the service's own work
            pass
        with engine():
            deadline = time.thread_time() + 0.05
            while time.thread_time() < deadline:
                pass

    consumer.route(ExtractRequested, extract_requested)
    invoke(consumer, ExtractRequested(source="ZEMM07", trigger="cli"), correlation_id="flow-3")
    written = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    (doc,) = [d for d in written if d["service"] == "ingestion" and "EngineCpu" in d]
    assert doc["handler"] == "extract_requested"
    (run_ms,), (engine_ms,) = doc["InvocationCpu"], doc["EngineCpu"]
    assert 50 <= engine_ms < 100
    assert run_ms >= engine_ms + 50
    # AND a run without an engine (the failing extracts') reports neither
    invoke(failing_extracts(), ExtractRequested(source="ZEMM07", trigger="cli"), correlation_id="flow-4")
    written = [json.loads(x) for x in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert sum("EngineCpu" in d for d in written) == 1


def test_metrics_can_be_switched_off(
    aws: LocalStack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setenv(METRICS_FILE_ENV, str(tmp_path / "metrics.jsonl"))
    invoke(failing_extracts(), ExtractRequested(source="ZEMM07", trigger="cli"), correlation_id="flow-3")
    assert not (tmp_path / "metrics.jsonl").exists()

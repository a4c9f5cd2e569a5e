"""`ior run` drives one business date of the sample company through the running stack: extracts,
the manual upload, both customs runs and the comparison; every event of the drive shares one
correlation id, each follow-up names its cause, and the handlers' EMF documents are kept by the stack."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ior_contracts.metrics import ALL, NAMESPACE
from ior_tools.runtime.stack import LocalStack

from tests.ops.conftest import ior


@pytest.fixture(scope="module")
def first_day(sample: Path) -> date:
    return date.fromisoformat(json.loads((sample / "manifest.json").read_text())["business_dates"][0])


@pytest.fixture(scope="module")
def ran(stack: LocalStack, sample: Path, first_day: date) -> Any:
    return ior("run", "--date", first_day.isoformat(), "--legacy", str(sample / "legacy"), "--wait", "240")


def test_prints_the_dates_outcome_and_report(ran: Any, first_day: date) -> None:
    assert ran.exit_code == 0, ran.output
    assert first_day.isoformat() in ran.output
    assert "s3://" in ran.output
    assert "comparison" in ran.output
    assert "passed" in ran.output or "failed" in ran.output


def test_one_correlation_id_runs_from_the_request_to_the_report(
    ran: Any, stack: LocalStack, first_day: date
) -> None:
    events = {e.event_id: e.event for e in stack.event_log.window()}
    completed = [
        e for e in events.values()
        if e["detail-type"] == "compare.comparison.completed.v1"
        and e["detail"]["data"]["business_date"] == first_day.isoformat()
    ]  # fmt: skip
    assert completed
    # Every follow-up carries its cause's correlation id, whichever service published it.
    followed = 0
    for event in events.values():
        meta = event["detail"]["metadata"]
        cause = events.get(meta.get("causation_id") or "")
        if cause is not None:
            assert meta["correlation_id"] == cause["detail"]["metadata"]["correlation_id"], event[
                "detail-type"
            ]
            followed += 1
    assert followed > 10
    # A chain from an extract request through every service to a comparison.
    chains = []
    for event in events.values():
        if event["detail-type"] != "customs.lines.generated.v1":
            continue
        chain = [event]
        while (cause := events.get(chain[-1]["detail"]["metadata"].get("causation_id") or "")) is not None:
            chain.append(cause)
        chains.append([e["source"] for e in reversed(chain)])
    assert any(c[:4] == ["ior.ingestion", "ior.ingestion", "ior.etl", "ior.customs"] for c in chains) or any(
        {"ior.ingestion", "ior.etl", "ior.customs"} <= set(c) for c in chains
    ), chains
    assert completed[-1]["detail"]["metadata"]["correlation_id"].startswith(
        f"ior-run-{first_day.isoformat()}"
    )


def test_the_stack_keeps_the_handlers_emf_documents(ran: Any, stack: LocalStack) -> None:
    docs = [json.loads(line) for line in stack.metrics_path.read_text().splitlines()]
    names = set()
    for doc in docs:
        (directive,) = doc["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == NAMESPACE
        for metric in directive["Metrics"]:
            names.add(metric["Name"])
            assert metric["Name"] in doc
        assert all(dim in doc for dim in directive["Dimensions"][0])
        assert directive["Dimensions"][0][0] == "service"
    # Faults make the rest (failed extracts, rejected rows, held datasets); a clean day makes these.
    expected = {"RowsIngested", "DatasetsPublished", "LinesGenerated", "EnteredValueCents", "DutyCents",
                "HandlerLatency", "InvocationCpu", "EngineCpu"}  # fmt: skip
    assert expected <= names <= {m.name for m in ALL}
    assert names & {"ComparisonsPassed", "ComparisonsFailed"}

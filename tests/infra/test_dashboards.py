"""The health dashboard charts every subscription's queue, DLQ and function and every business
metric the services emit; the freshness dashboard charts every dataset's age against its threshold."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ior_contracts import metrics
from ior_contracts.engine_time import ENGINE_SERVICES
from ior_contracts.freshness import DATASET_MAX_AGE, SOURCE_MAX_AGE
from ior_contracts.topology import Naming, load_topology

from tests.infra.mocks import Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"


def _body(stack: Recorder, name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(stack.named(DASHBOARD, name).inputs["dashboardBody"])
    return body


def _lines(body: dict[str, Any]) -> list[list[Any]]:
    return [line for w in body["widgets"] for line in w["properties"]["metrics"]]


def _metric_lines(body: dict[str, Any]) -> list[tuple[str, str, dict[str, str]]]:
    """(namespace, metric, dimensions) of every plain metric line (expressions left out)."""
    found = []
    for line in _lines(body):
        if isinstance(line[0], dict):
            continue
        fields = [f for f in line if not isinstance(f, dict)]
        found.append((fields[0], fields[1], dict(zip(fields[2::2], fields[3::2], strict=True))))
    return found


def _expressions(body: dict[str, Any]) -> list[str]:
    return [
        f["expression"] for line in _lines(body) for f in line if isinstance(f, dict) and "expression" in f
    ]


def test_health_dashboard_covers_every_subscription(dev: Recorder) -> None:
    naming = Naming("dev")
    charted = {
        dims.get("QueueName") or dims.get("FunctionName")
        for _, _, dims in _metric_lines(_body(dev, "dashboards-health"))
    }
    for _, sub in load_topology().subscriptions:
        for name in (naming.queue(sub.name), naming.dlq(sub.name), f"ior-dev-{sub.name}"):
            assert name in charted, f"{sub.name}: {name} not charted"


def test_dashboards_chart_only_published_metrics_with_their_dimensions(dev: Recorder) -> None:
    specs = {s.name: s for s in metrics.ALL}
    for name in ("dashboards-health", "dashboards-freshness"):
        for namespace, metric, dims in _metric_lines(_body(dev, name)):
            if namespace.startswith("AWS/"):
                continue
            assert namespace == metrics.NAMESPACE, f"{name}: {metric} in {namespace}"
            assert metric in specs, f"{name}: {metric} is not a published metric"
            spec = specs[metric]
            assert set(dims) == {"service", *spec.dimensions}, f"{name}: {metric} dimensions {dims}"
            assert dims["service"] == spec.service, f"{name}: {metric}"


def test_health_dashboard_charts_every_business_metric(dev: Recorder) -> None:
    body = _body(dev, "dashboards-health")
    charted = {metric for _, metric, _ in _metric_lines(body)}
    searched = " ".join(_expressions(body))
    for spec in metrics.ALL:
        if spec in (metrics.ROWS_INGESTED, metrics.ROWS_REJECTED):
            continue  # on the freshness dashboard
        assert spec.name in charted or f'MetricName="{spec.name}"' in searched, spec.name
    # Handler latency at both percentiles, across every service's handlers.
    assert any("'p50'" in e and metrics.HANDLER_LATENCY.name in e for e in _expressions(body))
    assert any("'p99'" in e and metrics.HANDLER_LATENCY.name in e for e in _expressions(body))


def test_health_dashboard_sets_each_engines_service_against_its_engine(dev: Recorder) -> None:
    body = _body(dev, "dashboards-health")
    [widget] = [w for w in body["widgets"] if "over its engine" in w["properties"]["title"]]
    lines = {f["label"]: f["expression"] for line in widget["properties"]["metrics"] for f in line}
    assert set(lines) == set(ENGINE_SERVICES)
    for service, expression in lines.items():
        run, engine = expression.split(" / ")
        assert f'MetricName="{metrics.INVOCATION_CPU.name}" service="{service}"' in run
        assert f'MetricName="{metrics.ENGINE_CPU.name}" service="{service}"' in engine
    assert widget["properties"]["annotations"]["horizontal"][0]["value"] == 3


def test_freshness_dashboard_ages_every_dataset_against_its_threshold(dev: Recorder) -> None:
    body = _body(dev, "dashboards-freshness")
    for dataset, max_age in DATASET_MAX_AGE.items():
        [widget] = [
            w
            for w in body["widgets"]
            if any(
                isinstance(f, dict) and f.get("label") == dataset and "expression" in f
                for line in w["properties"]["metrics"]
                for f in line
            )
        ]
        hours = int(max_age.total_seconds() // 3600)
        assert widget["properties"]["annotations"]["horizontal"][0]["value"] == hours, dataset
        published = [
            line
            for line in widget["properties"]["metrics"]
            if line[:2] == [metrics.NAMESPACE, metrics.DATASETS_PUBLISHED.name] and dataset in line
        ]
        assert len(published) == 1, dataset
    lines = _metric_lines(body)
    assert {d["source"] for _, m, d in lines if m == metrics.ROWS_INGESTED.name} == set(SOURCE_MAX_AGE)
    assert {d["dataset"] for _, m, d in lines if m == metrics.ROWS_REJECTED.name} == set(DATASET_MAX_AGE)

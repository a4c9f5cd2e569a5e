"""Each named alarm exists, watches the metric the services publish (named by
`ior_contracts.metrics`, never by hand) and targets the alert topic; stale-data stays within
CloudWatch's evaluation limits."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from ior_contracts import metrics
from ior_contracts.freshness import DATASET_MAX_AGE
from ior_contracts.topology import load_topology

from tests.infra.mocks import COMPARISON_FAIL_RATE, Recorder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
SEVEN_DAYS = int(timedelta(days=7).total_seconds())


def _alarm(stack: Recorder, name: str) -> dict[str, Any]:
    found = [a.inputs for a in stack.of(ALARM) if a.inputs["name"] == name]
    assert len(found) == 1, f"{name}: declared {len(found)} times"
    return found[0]


def _queries(alarm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {q["id"]: q for q in alarm["metricQueries"]}


def _targets_topic(stack: Recorder, alarm: dict[str, Any]) -> None:
    """The alert topic first; the alerting functions' own alarms also go to the watchdog route."""
    topic = stack.named("aws:sns/topic:Topic", "alerts-topic").state["arn"]
    assert alarm["alarmActions"][0] == topic, alarm["name"]
    assert set(alarm["alarmActions"][1:]) <= {
        stack.named("aws:sns/topic:Topic", "alerts-watchdog").state["arn"]
    }


def _within_limits(alarm: dict[str, Any]) -> None:
    periods = (
        [alarm["period"]]
        if "period" in alarm
        else [q["metric"]["period"] for q in alarm["metricQueries"] if "metric" in q]
    )
    for period in periods:
        limit = SEVEN_DAYS if period >= 3600 else 86400
        assert period * alarm["evaluationPeriods"] <= limit, alarm["name"]


def test_every_named_alarm_targets_the_alert_topic(dev: Recorder) -> None:
    names = ["etl-failure", "sap-down", "comparison-fail-rate"] + [f"stale-data-{d}" for d in DATASET_MAX_AGE]
    for name in names:
        alarm = _alarm(dev, f"ior-dev-{name}")
        _targets_topic(dev, alarm)
        _within_limits(alarm)
    for _, sub in load_topology().subscriptions:
        _targets_topic(dev, _alarm(dev, f"ior-dev-{sub.name}-dlq-depth"))


def test_etl_failure_is_a_held_dataset_or_an_etl_function_error(dev: Recorder) -> None:
    alarm = _alarm(dev, "ior-dev-etl-failure")
    queries = _queries(alarm)
    held = queries["held"]["metric"]
    assert (held["namespace"], held["metricName"], held["dimensions"]) == (
        metrics.NAMESPACE,
        metrics.DATASETS_HELD.name,
        {"service": "etl"},
    )
    errors = {
        q["metric"]["dimensions"]["FunctionName"] for q in queries.values() if q["id"].startswith("errors")
    }
    assert errors == {f"ior-dev-{sub.name}" for sub in load_topology().service("etl").subscriptions}
    [total] = [q for q in queries.values() if q.get("returnData")]
    assert set(re.findall(r"FILL\((\w+), 0\)", total["expression"])) == {"held"} | {
        q for q in queries if q.startswith("errors")
    }
    assert (alarm["threshold"], alarm["comparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_sap_down_is_an_extract_that_gave_up(dev: Recorder) -> None:
    alarm = _alarm(dev, "ior-dev-sap-down")
    assert (alarm["namespace"], alarm["metricName"], alarm["dimensions"]) == (
        metrics.NAMESPACE,
        metrics.EXTRACTS_FAILED.name,
        {"service": metrics.EXTRACTS_FAILED.service},
    )
    assert (alarm["threshold"], alarm["comparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")


def test_comparison_fail_rate_is_the_days_share_of_failures(dev: Recorder) -> None:
    alarm = _alarm(dev, "ior-dev-comparison-fail-rate")
    queries = _queries(alarm)
    for query_id, spec in (("passed", metrics.COMPARISONS_PASSED), ("failed", metrics.COMPARISONS_FAILED)):
        metric = queries[query_id]["metric"]
        assert (metric["namespace"], metric["metricName"], metric["dimensions"]) == (
            metrics.NAMESPACE,
            spec.name,
            {"service": "compare"},
        ), query_id
        assert (metric["period"], metric["stat"]) == (86400, "Sum"), query_id
    total = "(FILL(passed, 0) + FILL(failed, 0))"
    assert queries["rate"]["expression"] == f"IF({total} > 0, FILL(failed, 0) / {total}, 0)"
    # From the stack's configuration.
    assert alarm["threshold"] == COMPARISON_FAIL_RATE


@pytest.mark.parametrize(("dataset", "max_age"), sorted(DATASET_MAX_AGE.items()))
def test_stale_data_alarms_after_the_datasets_threshold(
    dev: Recorder, dataset: str, max_age: timedelta
) -> None:
    alarm = _alarm(dev, f"ior-dev-stale-data-{dataset}")
    assert (alarm["namespace"], alarm["metricName"], alarm["dimensions"]) == (
        metrics.NAMESPACE,
        metrics.DATASETS_PUBLISHED.name,
        {"service": "etl", "dataset": dataset},
    )
    hours = int(max_age.total_seconds() // 3600)
    window = min(hours, SEVEN_DAYS // 3600)
    assert (alarm["period"], alarm["statistic"]) == (3600, "Sum"), dataset
    # N of N hourly periods without a publication; no data at all is no publication.
    assert alarm["evaluationPeriods"] == alarm["datapointsToAlarm"] == window, dataset
    assert (alarm["threshold"], alarm["comparisonOperator"]) == (1, "LessThanThreshold"), dataset
    assert alarm["treatMissingData"] == "breaching", dataset

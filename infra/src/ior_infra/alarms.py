"""The pipeline's named alarms, on the metrics the services emit (`ior_contracts.metrics`) and the
freshness thresholds (`ior_contracts.freshness`), all to the alert topic:

- `etl-failure`: a dataset held over its reject threshold, or an ETL function failing;
- `sap-down`: an extract that gave up;
- `comparison-fail-rate`: the day's share of comparisons out of tolerance above the stack's limit;
- `stale-data-<dataset>`: no new version of the dataset within its freshness threshold — every
  hourly period of the window without a publication, no data counting as none. CloudWatch
  evaluates at most seven days, so the weekly datasets (eight-day threshold) alarm after seven.

The DLQ-depth alarms (one per subscription) live with their queues (`Subscriptions`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pulumi
import pulumi_aws as aws
from ior_contracts import metrics
from ior_contracts.freshness import DATASET_MAX_AGE
from ior_contracts.topology import Naming, Topology

from ior_infra.services import function_name

FIVE_MINUTES = 300
HOUR = 3600
DAY = 86400
# CloudWatch evaluates an alarm over at most seven days (period × evaluation periods), and over
# one day when the period is under an hour.
MAX_EVALUATION = timedelta(days=7)


def dimensions(spec: metrics.MetricSpec, **extra: str) -> dict[str, str]:
    """The dimensions a service publishes the metric with: Powertools' `service`, then its own."""
    if set(extra) != set(spec.dimensions):
        raise ValueError(f"{spec.name} is published with {spec.dimensions}, not {sorted(extra)}")
    return {"service": spec.service, **extra}


def metric_query(
    query_id: str, namespace: str, name: str, dims: dict[str, Any], period: int, stat: str = "Sum"
) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=query_id,
        return_data=False,
        metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
            namespace=namespace, metric_name=name, dimensions=dims, period=period, stat=stat
        ),
    )


def expression(query_id: str, text: str, label: str) -> aws.cloudwatch.MetricAlarmMetricQueryArgs:
    return aws.cloudwatch.MetricAlarmMetricQueryArgs(
        id=query_id, expression=text, label=label, return_data=True
    )


def stale_window_hours(max_age: timedelta) -> int:
    """Hourly periods the stale-data alarm looks back: the dataset's threshold, capped at what
    CloudWatch can evaluate (seven days, below the weekly datasets' eight-day threshold)."""
    return int(min(max_age, MAX_EVALUATION).total_seconds() // HOUR)


@dataclass(frozen=True)
class AlarmsArgs:
    naming: Naming
    topology: Topology
    alert_topic_arn: pulumi.Input[str]
    comparison_fail_rate: float
    # Days ahead the fee table must cover: the metric below it alarms.
    fee_coverage_days: int = metrics.FEE_COVERAGE_DAYS
    # Dataset → how old its current version may be (`ior_contracts.freshness`).
    max_ages: Mapping[str, timedelta] = field(
        default_factory=lambda: {str(k): v for k, v in DATASET_MAX_AGE.items()}
    )


class Alarms(pulumi.ComponentResource):
    alarms: dict[str, aws.cloudwatch.MetricAlarm]

    def __init__(self, name: str, args: AlarmsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Alarms", name, None, opts)
        self._name, self._args = name, args
        self.alarms = {}
        self._etl_failure()
        self._sap_down()
        self._comparison_fail_rate()
        self._fee_table_short()
        self._hts_revision_waiting()
        for dataset, max_age in args.max_ages.items():
            self._stale(dataset, max_age)
        self.register_outputs({k: a.arn for k, a in self.alarms.items()})

    def _alarm(self, key: str, description: str, **settings: Any) -> None:
        self.alarms[key] = aws.cloudwatch.MetricAlarm(
            f"{self._name}-{key}",
            name=self._args.naming.alarm(key),
            alarm_description=description,
            alarm_actions=[self._args.alert_topic_arn],
            opts=pulumi.ResourceOptions(parent=self),
            **settings,
        )

    def _etl_failure(self) -> None:
        held = metrics.DATASETS_HELD
        # The functions of the service that holds datasets (the metric's publisher).
        etl = self._args.topology.service(held.service)
        functions = [function_name(self._args.naming, sub.name) for sub in etl.subscriptions]
        errors = {f"errors{i}": f for i, f in enumerate(functions)}
        queries = [metric_query("held", metrics.NAMESPACE, held.name, dimensions(held), FIVE_MINUTES)]
        queries += [
            metric_query(i, "AWS/Lambda", "Errors", {"FunctionName": f}, FIVE_MINUTES)
            for i, f in errors.items()
        ]
        total = " + ".join(f"FILL({i}, 0)" for i in ("held", *errors))
        self._alarm(
            "etl-failure",
            "A dataset was held over its reject threshold, or an ETL function failed: the last good "
            "version stays current. Read the quarantine and the ETL logs.",
            metric_queries=[*queries, expression("failures", total, "held datasets + ETL errors")],
            evaluation_periods=1,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
        )

    def _on_metric(
        self, key: str, description: str, spec: metrics.MetricSpec, statistic: str, period: int, **when: Any
    ) -> None:
        """An alarm on one business metric as its service publishes it."""
        self._alarm(
            key,
            description,
            namespace=metrics.NAMESPACE,
            metric_name=spec.name,
            dimensions=dimensions(spec),
            statistic=statistic,
            period=period,
            evaluation_periods=1,
            **when,
        )

    def _sap_down(self) -> None:
        self._on_metric(
            "sap-down",
            "An SAP extract gave up after its retries: SAP is down or unreachable through the NAT. "
            "Use the manual CSV upload until it is back.",
            metrics.EXTRACTS_FAILED,
            "Sum",
            FIVE_MINUTES,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
        )

    def _comparison_fail_rate(self) -> None:
        passed, failed = metrics.COMPARISONS_PASSED, metrics.COMPARISONS_FAILED
        total = "(FILL(passed, 0) + FILL(failed, 0))"
        self._alarm(
            "comparison-fail-rate",
            f"Over {self._args.comparison_fail_rate:.0%} of the day's comparisons between the manual "
            "and automated lines are out of tolerance. Read the comparison reports before cutover.",
            metric_queries=[
                metric_query("passed", metrics.NAMESPACE, passed.name, dimensions(passed), DAY),
                metric_query("failed", metrics.NAMESPACE, failed.name, dimensions(failed), DAY),
                expression("rate", f"IF({total} > 0, FILL(failed, 0) / {total}, 0)", "fail rate"),
            ],
            evaluation_periods=1,
            threshold=self._args.comparison_fail_rate,
            comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching",
        )

    def _fee_table_short(self) -> None:
        days = self._args.fee_coverage_days
        self._on_metric(
            "fee-table-short",
            f"The fee table covers fewer than {days} days ahead: formal entries past its last day will "
            "be flagged fee_rate_missing. Record the next fiscal year from CBP's notice (`ior fees add`).",
            metrics.FEE_TABLE_DAYS_COVERED,
            "Minimum",
            DAY,
            threshold=days,
            comparison_operator="LessThanThreshold",
            # Measured at each daily landing of the notices: a day without a measure is a problem too.
            treat_missing_data="breaching",
        )

    def _hts_revision_waiting(self) -> None:
        self._on_metric(
            "hts-revision-waiting",
            "A newer official HTS revision has waited past the stack's threshold without landing: "
            "the stack is pinned to an older release, or the USITC extract fails.",
            metrics.HTS_REVISION_DAYS_WAITING,
            "Maximum",
            DAY,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
        )

    def _stale(self, dataset: str, max_age: timedelta) -> None:
        published = metrics.DATASETS_PUBLISHED
        hours = stale_window_hours(max_age)
        self._alarm(
            f"stale-data-{dataset}",
            f"No new version of {dataset} for {hours} h (its threshold: {max_age}). Check its "
            "extract and the ETL.",
            namespace=metrics.NAMESPACE,
            metric_name=published.name,
            dimensions=dimensions(published, dataset=dataset),
            statistic="Sum",
            period=HOUR,
            # Every hour of the window without a publication: an hour with no data point counts
            # as one without a publication.
            evaluation_periods=hours,
            datapoints_to_alarm=hours,
            threshold=1,
            comparison_operator="LessThanThreshold",
            treat_missing_data="breaching",
        )

"""Two dashboards. Pipeline health: per subscription its queue's backlog and age, its DLQ depth and
its function's errors and duration; then the business metrics the services emit — extracts,
datasets, customs lines, value and duty, comparisons, handler latency. Data freshness: per dataset
the hours since its last publication against its threshold, and rows ingested and rejected.
Metric names, units and dimensions come from `ior_contracts.metrics`, thresholds from
`ior_contracts.freshness`."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, get_args

import pulumi
import pulumi_aws as aws
from ior_contracts import metrics
from ior_contracts.engine_time import ENGINE_RATIO_TARGET, ENGINE_SERVICES
from ior_contracts.freshness import DATASET_MAX_AGE, SOURCE_MAX_AGE
from ior_contracts.topology import Naming, Topology
from ior_contracts.vocabulary import Mode

from ior_infra.alarms import dimensions
from ior_infra.services import function_name

WIDTH, HEIGHT = 8, 6
PERIOD = 300
HOUR = 3600
DAY = 86400
# Long enough to show the weekly datasets' last publication.
FRESHNESS_RANGE = "-P9D"

Line = list[Any]


def _widget(
    title: str, lines: list[Line], region: str, stat: str, period: int = PERIOD, **more: Any
) -> dict[str, Any]:
    return {
        "type": "metric",
        "width": WIDTH,
        "height": HEIGHT,
        "properties": {
            "title": title,
            "region": region,
            "view": "timeSeries",
            "stat": stat,
            "period": period,
            "metrics": lines,
            **more,
        },
    }


def _aws_lines(namespace: str, metric: str, dimension: str, names: list[str]) -> list[Line]:
    return [[namespace, metric, dimension, n] for n in names]


def business_line(spec: metrics.MetricSpec, options: dict[str, Any] | None = None, **extra: str) -> Line:
    """One of our metrics, with the dimensions its service publishes it with."""
    line: Line = [metrics.NAMESPACE, spec.name]
    for key, value in dimensions(spec, **extra).items():
        line += [key, value]
    return [*line, options] if options else line


def _by(spec: metrics.MetricSpec, dimension: str, values: Sequence[str]) -> list[Line]:
    return [business_line(spec, {"label": v}, **{dimension: v}) for v in values]


def _latency(stat: str) -> Line:
    # Every service's handlers, whichever the handler dimension's values are.
    spec = metrics.HANDLER_LATENCY
    dims = ",".join(("service", *spec.dimensions))
    search = f"SEARCH('{{{metrics.NAMESPACE},{dims}}} MetricName=\"{spec.name}\"', '{stat}', {PERIOD})"
    return [{"expression": search, "id": f"latency{stat}", "label": stat}]


def _over_engine(index: int, service: str) -> Line:
    """The service's CPU over its engine's, summed over its handlers' runs that used the engine."""
    dims = ",".join(("service", *metrics.INVOCATION_CPU.dimensions))

    def total(spec: metrics.MetricSpec) -> str:
        search = f'{{{metrics.NAMESPACE},{dims}}} MetricName="{spec.name}" service="{service}"'
        return f"SUM(SEARCH('{search}', 'Sum', {PERIOD}))"

    ratio = f"{total(metrics.INVOCATION_CPU)} / {total(metrics.ENGINE_CPU)}"
    return [{"expression": ratio, "id": f"overengine{index}", "label": service}]


def _placed(widgets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Three to a row, in order."""
    per_row = 24 // WIDTH
    for i, w in enumerate(widgets):
        w["x"], w["y"] = (i % per_row) * WIDTH, (i // per_row) * HEIGHT
    return widgets


def health_body(naming: Naming, topology: Topology, region: str) -> dict[str, Any]:
    subs = [sub.name for _, sub in topology.subscriptions]
    queues = [naming.queue(s) for s in subs]
    functions = [function_name(naming, s) for s in subs]
    datasets = sorted(DATASET_MAX_AGE)
    modes = sorted(get_args(Mode))
    sqs_visible = "ApproximateNumberOfMessagesVisible"
    widgets = [
        _widget("Backlog", _aws_lines("AWS/SQS", sqs_visible, "QueueName", queues), region, "Maximum"),
        _widget(
            "Oldest message (s)",
            _aws_lines("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queues),
            region,
            "Maximum",
        ),
        _widget(
            "DLQ depth",
            _aws_lines("AWS/SQS", sqs_visible, "QueueName", [naming.dlq(s) for s in subs]),
            region,
            "Maximum",
        ),
        _widget(
            "Function errors", _aws_lines("AWS/Lambda", "Errors", "FunctionName", functions), region, "Sum"
        ),
        _widget(
            "Function duration (ms)",
            _aws_lines("AWS/Lambda", "Duration", "FunctionName", functions),
            region,
            "p95",
        ),
        _widget("Handler latency p50 / p99 (ms)", [_latency("p50"), _latency("p99")], region, "p50"),
        _widget(
            f"CPU of a run over its engine's (target ≤ {ENGINE_RATIO_TARGET:g})",
            [_over_engine(i, s) for i, s in enumerate(ENGINE_SERVICES)],
            region,
            "Sum",
            HOUR,
            annotations={"horizontal": [{"label": "target", "value": ENGINE_RATIO_TARGET}]},
        ),
        _widget(
            "Extracts failed · datasets held",
            [
                business_line(metrics.EXTRACTS_FAILED, {"label": "extracts failed"}),
                business_line(metrics.DATASETS_HELD, {"label": "datasets held"}),
            ],
            region,
            "Sum",
        ),
        _widget(
            "Datasets published", _by(metrics.DATASETS_PUBLISHED, "dataset", datasets), region, "Sum", HOUR
        ),
        _widget(
            "Reference data: fee table days covered · HTS revision days waiting",
            [
                business_line(metrics.FEE_TABLE_DAYS_COVERED, {"label": "fee table days covered"}),
                business_line(
                    metrics.HTS_REVISION_DAYS_WAITING,
                    {"label": "HTS revision days waiting", "yAxis": "right"},
                ),
            ],
            region,
            "Minimum",
            DAY,
        ),
        _widget("Customs lines", _by(metrics.LINES_GENERATED, "mode", modes), region, "Sum", HOUR),
        _widget("Entered value (cents)", _by(metrics.ENTERED_VALUE, "mode", modes), region, "Sum", HOUR),
        _widget("Duty (cents)", _by(metrics.DUTY, "mode", modes), region, "Sum", HOUR),
        _widget(
            "Comparisons",
            [
                business_line(metrics.COMPARISONS_PASSED, {"id": "passed", "label": "passed"}),
                business_line(metrics.COMPARISONS_FAILED, {"id": "failed", "label": "failed"}),
                [
                    {
                        "expression": "100 * FILL(failed, 0) / (FILL(passed, 0) + FILL(failed, 0))",
                        "id": "failrate",
                        "label": "fail rate (%)",
                        "yAxis": "right",
                    }
                ],
            ],
            region,
            "Sum",
            HOUR,
        ),
    ]
    return {"widgets": _placed(widgets)}


def hours_since_publication(dataset: str, index: int) -> list[Line]:
    """The hours since the dataset's last new version: each period's time minus the time of the
    last period that had a publication (carried forward)."""
    published = f"published{index}"
    return [
        business_line(
            metrics.DATASETS_PUBLISHED,
            {"id": published, "visible": False, "stat": "Sum", "period": HOUR},
            dataset=dataset,
        ),
        [
            {
                "expression": f"(EPOCH(FILL({published}, 0)) - FILL(EPOCH({published}), REPEAT)) / 3600",
                "id": f"age{index}",
                "label": dataset,
            }
        ],
    ]


def freshness_body(region: str) -> dict[str, Any]:
    by_threshold: dict[timedelta, list[str]] = defaultdict(list)
    for name, age in sorted(DATASET_MAX_AGE.items()):
        by_threshold[age].append(name)
    widgets = []
    index = 0
    for max_age, datasets in sorted(by_threshold.items()):
        lines: list[Line] = []
        for dataset in datasets:
            lines += hours_since_publication(dataset, index)
            index += 1
        hours = int(max_age.total_seconds() // HOUR)
        widgets.append(
            _widget(
                f"Hours since last publication (stale after {hours} h)",
                lines,
                region,
                "Sum",
                HOUR,
                annotations={"horizontal": [{"label": "stale", "value": hours, "color": "#d62728"}]},
            )
        )
    widgets += [
        _widget(
            "Rows ingested by source",
            _by(metrics.ROWS_INGESTED, "source", sorted(SOURCE_MAX_AGE)),
            region,
            "Sum",
            HOUR,
        ),
        _widget(
            "Rows rejected by dataset",
            _by(metrics.ROWS_REJECTED, "dataset", sorted(DATASET_MAX_AGE)),
            region,
            "Sum",
            HOUR,
        ),
    ]
    return {"start": FRESHNESS_RANGE, "widgets": _placed(widgets)}


@dataclass(frozen=True)
class DashboardsArgs:
    naming: Naming
    topology: Topology
    region: str


class Dashboards(pulumi.ComponentResource):
    def __init__(self, name: str, args: DashboardsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Dashboards", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        stage = args.naming.stage
        self.health = aws.cloudwatch.Dashboard(
            f"{name}-health",
            dashboard_name=f"ior-{stage}-pipeline-health",
            dashboard_body=json.dumps(health_body(args.naming, args.topology, args.region)),
            opts=child,
        )
        self.freshness = aws.cloudwatch.Dashboard(
            f"{name}-freshness",
            dashboard_name=f"ior-{stage}-data-freshness",
            dashboard_body=json.dumps(freshness_body(args.region)),
            opts=child,
        )
        self.register_outputs(
            {"health": self.health.dashboard_name, "freshness": self.freshness.dashboard_name}
        )

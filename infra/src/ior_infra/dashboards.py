"""The pipeline-health dashboard: per subscription its queue's backlog and age, its DLQ depth and
its function's errors and duration, so a stuck or failing stage shows at a glance."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming, Topology

from ior_infra.services import function_name

WIDTH, HEIGHT = 8, 6


def _metric(
    title: str,
    namespace: str,
    metric: str,
    dimension: str,
    names: list[str],
    stat: str,
    region: str,
    x: int,
    y: int,
) -> dict[str, Any]:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": WIDTH,
        "height": HEIGHT,
        "properties": {
            "title": title,
            "region": region,
            "stat": stat,
            "period": 300,
            "metrics": [[namespace, metric, dimension, n] for n in names],
        },
    }


def health_body(naming: Naming, topology: Topology, region: str) -> dict[str, Any]:
    subs = [sub.name for _, sub in topology.subscriptions]
    queues = [naming.queue(s) for s in subs]
    functions = [function_name(naming, s) for s in subs]
    widgets = [
        _metric(
            "Backlog",
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "QueueName",
            queues,
            "Maximum",
            region,
            0,
            0,
        ),
        _metric(
            "Oldest message (s)",
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            "QueueName",
            queues,
            "Maximum",
            region,
            WIDTH,
            0,
        ),
        _metric(
            "DLQ depth",
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "QueueName",
            [naming.dlq(s) for s in subs],
            "Maximum",
            region,
            2 * WIDTH,
            0,
        ),
        _metric(
            "Function errors", "AWS/Lambda", "Errors", "FunctionName", functions, "Sum", region, 0, HEIGHT
        ),
        _metric(
            "Function duration (ms)",
            "AWS/Lambda",
            "Duration",
            "FunctionName",
            functions,
            "p95",
            region,
            WIDTH,
            HEIGHT,
        ),
    ]
    return {"widgets": widgets}


@dataclass(frozen=True)
class DashboardsArgs:
    naming: Naming
    topology: Topology
    region: str


class Dashboards(pulumi.ComponentResource):
    def __init__(self, name: str, args: DashboardsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Dashboards", name, None, opts)
        self.health = aws.cloudwatch.Dashboard(
            f"{name}-health",
            dashboard_name=f"ior-{args.naming.stage}-pipeline-health",
            dashboard_body=json.dumps(health_body(args.naming, args.topology, args.region)),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"health": self.health.dashboard_name})

"""Per declared subscription: rule → queue, its DLQ (maxReceiveCount from the declaration) and an
alarm on the DLQ's depth. The Lambda side (event source mapping) belongs to `Services`, which
needs these queues for its roles first."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming, Subscription, Topology

DLQ_RETENTION_S = 14 * 24 * 3600


@dataclass(frozen=True)
class SubscriptionsArgs:
    naming: Naming
    topology: Topology
    bus_name: pulumi.Input[str]
    alert_topic_arn: pulumi.Input[str]
    # The unfiltered e-mail route, for the DLQs of the subscriptions that raise alerts.
    watchdog_topic_arn: pulumi.Input[str]


@dataclass(frozen=True)
class Route:
    service: str
    subscription: Subscription
    queue: aws.sqs.Queue
    dlq: aws.sqs.Queue
    rule: aws.cloudwatch.EventRule
    # Its function turns failures into alerts, so its own failures go to the watchdog route too.
    watched: bool = False


def redrive(dlq_arn: pulumi.Output[str], sub: Subscription) -> pulumi.Output[str]:
    return dlq_arn.apply(
        lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": sub.max_receive_count})
    )


def _only_from_rule(queue_arn: str, rule_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "events.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}},
                }
            ],
        }
    )


class Subscriptions(pulumi.ComponentResource):
    routes: dict[str, Route]

    def __init__(
        self, name: str, args: SubscriptionsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ior:infra:Subscriptions", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        naming = args.naming
        self.routes = {}
        for service, sub in args.topology.subscriptions:
            n = f"{name}-{sub.name}"
            watched = service.needs_of(sub).alerts
            dlq = aws.sqs.Queue(
                f"{n}-dlq",
                name=naming.dlq(sub.name),
                message_retention_seconds=DLQ_RETENTION_S,
                sqs_managed_sse_enabled=True,
                opts=child,
            )
            queue = aws.sqs.Queue(
                f"{n}-queue",
                name=naming.queue(sub.name),
                visibility_timeout_seconds=sub.visibility_timeout_s,
                redrive_policy=redrive(dlq.arn, sub),
                sqs_managed_sse_enabled=True,
                opts=child,
            )
            rule = aws.cloudwatch.EventRule(
                f"{n}-rule",
                name=naming.rule(sub.name),
                event_bus_name=args.bus_name,
                event_pattern=json.dumps(sub.event_pattern(), sort_keys=True),
                opts=child,
            )
            aws.sqs.QueuePolicy(
                f"{n}-policy",
                queue_url=queue.url,
                policy=pulumi.Output.all(queue.arn, rule.arn).apply(lambda a: _only_from_rule(a[0], a[1])),
                opts=child,
            )
            aws.cloudwatch.EventTarget(
                f"{n}-target",
                rule=rule.name,
                event_bus_name=args.bus_name,
                target_id="queue",
                arn=queue.arn,
                opts=child,
            )
            aws.cloudwatch.MetricAlarm(
                f"{n}-dlq-alarm",
                name=f"{naming.dlq(sub.name)}-depth",
                alarm_description=f"{sub.name}: messages failed {sub.max_receive_count} times",
                namespace="AWS/SQS",
                metric_name="ApproximateNumberOfMessagesVisible",
                dimensions={"QueueName": dlq.name},
                statistic="Maximum",
                period=60,
                evaluation_periods=1,
                threshold=0,
                comparison_operator="GreaterThanThreshold",
                treat_missing_data="notBreaching",
                alarm_actions=[args.alert_topic_arn, *([args.watchdog_topic_arn] if watched else [])],
                opts=child,
            )
            self.routes[sub.name] = Route(service.name, sub, queue, dlq, rule, watched)
        self.register_outputs({s: r.queue.url for s, r in self.routes.items()})

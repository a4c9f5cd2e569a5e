"""The alert topic every alarm goes to and where it routes: the on-call e-mail addresses and the
Slack function. CloudWatch's own alarm state changes, which land on the account's default bus,
are forwarded to the stage's bus, where the API's alerts subscription turns them into messages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming

from ior_infra.access import assume_role, put_events_only

DEFAULT_BUS = "default"
ALARM_SOURCE = "aws.cloudwatch"
ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"


@dataclass(frozen=True)
class AlertsArgs:
    naming: Naming
    emails: Sequence[str]
    key_arn: pulumi.Input[str]


# The alarms' own actions put CloudWatch's raw notification on the topic too; people get the readable
# message the API publishes for the same state change (it carries a `severity` attribute), once.
READABLE_ONLY = json.dumps({"severity": [{"exists": True}]})


class Alerts(pulumi.ComponentResource):
    topic: aws.sns.Topic
    # Alarms about the alerting functions themselves (their errors and DLQs) go here, to e-mail,
    # unfiltered: if those functions fail, no readable alert about it can come from them.
    watchdog: aws.sns.Topic

    def __init__(self, name: str, args: AlertsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Alerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(
            f"{name}-topic", name=args.naming.alert_topic, kms_master_key_id=args.key_arn, opts=child
        )
        self.watchdog = aws.sns.Topic(
            f"{name}-watchdog",
            name=args.naming.alarm("watchdog"),
            kms_master_key_id=args.key_arn,
            opts=child,
        )
        for i, email in enumerate(args.emails):
            aws.sns.TopicSubscription(
                f"{name}-email-{i}",
                topic=self.topic.arn,
                protocol="email",
                endpoint=email,
                filter_policy=READABLE_ONLY,
                opts=child,
            )
            aws.sns.TopicSubscription(
                f"{name}-watchdog-email-{i}",
                topic=self.watchdog.arn,
                protocol="email",
                endpoint=email,
                opts=child,
            )
        self.register_outputs({"topic": self.topic.arn, "watchdog": self.watchdog.arn})


def alarm_state_pattern(alarm_arn_prefix: str) -> dict[str, object]:
    """This stage's alarms only: every alarm it declares is named `ior-<stage>-…`."""
    return {
        "source": [ALARM_SOURCE],
        "detail-type": [ALARM_STATE_CHANGE],
        "resources": [{"prefix": alarm_arn_prefix}],
    }


@dataclass(frozen=True)
class AlertRoutingArgs:
    naming: Naming
    topic: aws.sns.Topic
    slack_function: aws.lambda_.Function
    bus_arn: pulumi.Output[str]
    region: str
    account: pulumi.Output[str]


class AlertRouting(pulumi.ComponentResource):
    forward_rule: aws.cloudwatch.EventRule

    def __init__(self, name: str, args: AlertRoutingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:AlertRouting", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        naming = args.naming
        permission = aws.lambda_.Permission(
            f"{name}-slack-invoke",
            action="lambda:InvokeFunction",
            function=args.slack_function.name,
            principal="sns.amazonaws.com",
            source_arn=args.topic.arn,
            opts=child,
        )
        aws.sns.TopicSubscription(
            f"{name}-slack",
            topic=args.topic.arn,
            protocol="lambda",
            endpoint=args.slack_function.arn,
            filter_policy=READABLE_ONLY,
            opts=pulumi.ResourceOptions(parent=self, depends_on=[permission]),
        )
        rule_name = naming.alarm("alarm-states")
        forwarder = aws.iam.Role(
            f"{name}-forwarder",
            name=naming.alarm("alarm-forwarder"),
            # Only for this account's forwarding rule on its default bus.
            assume_role_policy=args.account.apply(
                lambda account: assume_role(
                    "events.amazonaws.com",
                    account=account,
                    source_arn=f"arn:aws:events:{args.region}:{account}:rule/{rule_name}",
                )
            ),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-forwarder-put",
            role=forwarder.id,
            policy=args.bus_arn.apply(lambda arn: json.dumps(put_events_only(arn))),
            opts=child,
        )
        self.forward_rule = aws.cloudwatch.EventRule(
            f"{name}-alarm-states",
            name=rule_name,
            description="This stage's CloudWatch alarm state changes, forwarded to its bus",
            event_bus_name=DEFAULT_BUS,
            event_pattern=args.account.apply(
                lambda account: json.dumps(
                    alarm_state_pattern(
                        f"arn:aws:cloudwatch:{args.region}:{account}:alarm:{naming.alarm('')}"
                    ),
                    sort_keys=True,
                )
            ),
            opts=child,
        )
        aws.cloudwatch.EventTarget(
            f"{name}-alarm-states-target",
            rule=self.forward_rule.name,
            event_bus_name=DEFAULT_BUS,
            target_id="stage-bus",
            arn=args.bus_arn,
            role_arn=forwarder.arn,
            opts=child,
        )
        self.register_outputs({"forwardRule": self.forward_rule.arn})

"""The alert topic every alarm goes to, with the on-call e-mail subscribed."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming


@dataclass(frozen=True)
class AlertsArgs:
    naming: Naming
    email: str
    key_arn: pulumi.Input[str]


class Alerts(pulumi.ComponentResource):
    topic: aws.sns.Topic

    def __init__(self, name: str, args: AlertsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Alerts", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            name=f"ior-{args.naming.stage}-alerts",
            kms_master_key_id=args.key_arn,
            opts=child,
        )
        aws.sns.TopicSubscription(
            f"{name}-email", topic=self.topic.arn, protocol="email", endpoint=args.email, opts=child
        )
        self.register_outputs({"topic": self.topic.arn})

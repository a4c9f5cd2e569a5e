"""Downstream accounts: for each, one rule on our bus forwarding exactly the event families it
subscribed to to its own bus, and the objects of those families it may read (granted by `Storage`).

The forwarding rule is ours, so what leaves the stage is decided and reviewed here; the consumer
routes the events on its own bus to its own queues (docs/consumers.md, docs/decisions.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming, Offer, ServiceDeclaration, Topology, contract_pattern

from ior_infra.access import allow, assume_role
from ior_infra.config_schema import ConsumerAccount, StackConfigError


def _offer(topology: Topology, family: str) -> tuple[ServiceDeclaration, Offer]:
    try:
        return topology.offers[family]
    except KeyError:
        offered = sorted(topology.offers)
        raise StackConfigError(f"no service offers the family {family!r}; offered: {offered}") from None


def forwarded_pattern(consumer: ConsumerAccount, topology: Topology) -> dict[str, Any]:
    """The event pattern of a consumer's forwarding rule: its families' contracts, exactly."""
    detail_types: list[str] = []
    for family in consumer.families:
        service, offer = _offer(topology, family)
        detail_types += offer.detail_types(service.source)
    return contract_pattern(detail_types)


def object_grants(
    consumers: tuple[ConsumerAccount, ...], topology: Topology
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Account → bucket kind → the prefixes of its families' objects (claim checks and reports)."""
    grants: dict[str, dict[str, tuple[str, ...]]] = {}
    for consumer in consumers:
        kinds: dict[str, set[str]] = {}
        for family in consumer.families:
            _, offer = _offer(topology, family)
            for read in offer.objects:
                kinds.setdefault(read.bucket, set()).add(read.prefix)
        grants[consumer.account] = {kind: tuple(sorted(prefixes)) for kind, prefixes in sorted(kinds.items())}
    return grants


@dataclass(frozen=True)
class ConsumersArgs:
    naming: Naming
    topology: Topology
    consumers: tuple[ConsumerAccount, ...]
    bus_name: pulumi.Input[str]
    account: pulumi.Input[str]
    region: str


class Consumers(pulumi.ComponentResource):
    """One forwarding rule per consumer account, delivering as one role that may put events on the
    consumers' buses only."""

    rules: dict[str, aws.cloudwatch.EventRule]
    role: aws.iam.Role | None

    def __init__(self, name: str, args: ConsumersArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Consumers", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        naming, region = args.naming, args.region
        self.rules = {}
        self.role = None
        if not args.consumers:
            self.register_outputs({})
            return
        rule_arns = pulumi.Output.from_input(args.account).apply(
            lambda account: f"arn:aws:events:{region}:{account}:rule/{naming.bus}/{naming.rule('to-')}*"
        )
        self.role = aws.iam.Role(
            f"{name}-forwarding",
            # Only this account's forwarding rules on the stage's bus may deliver as it.
            assume_role_policy=pulumi.Output.all(args.account, rule_arns).apply(
                lambda a: assume_role("events.amazonaws.com", account=a[0], source_arn=a[1])
            ),
            opts=child,
        )
        buses = [consumer.bus_arn(region) for consumer in args.consumers]
        aws.iam.RolePolicy(
            f"{name}-forwarding-put",
            role=self.role.id,
            policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [allow("PutOnConsumerBuses", ["events:PutEvents"], buses)],
                }
            ),
            opts=child,
        )
        for consumer in args.consumers:
            label = f"to-{consumer.account}"
            rule = aws.cloudwatch.EventRule(
                f"{name}-{label}",
                name=naming.rule(label),
                event_bus_name=args.bus_name,
                description=f"{', '.join(consumer.families)} to {consumer.bus_arn(region)}",
                event_pattern=json.dumps(forwarded_pattern(consumer, args.topology), sort_keys=True),
                opts=child,
            )
            aws.cloudwatch.EventTarget(
                f"{name}-{label}-target",
                rule=rule.name,
                event_bus_name=args.bus_name,
                target_id="consumer-bus",
                arn=consumer.bus_arn(region),
                role_arn=self.role.arn,
                opts=child,
            )
            self.rules[consumer.account] = rule
        self.register_outputs({account: rule.arn for account, rule in self.rules.items()})

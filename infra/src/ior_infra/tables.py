"""One table per service: `pk`/`sk` strings, on demand, PITR, TTL and the declared indexes."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming, Topology


@dataclass(frozen=True)
class TablesArgs:
    naming: Naming
    topology: Topology
    key_arn: pulumi.Input[str]
    is_prod: bool


class Tables(pulumi.ComponentResource):
    tables: dict[str, aws.dynamodb.Table]

    def __init__(self, name: str, args: TablesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Tables", name, None, opts)
        self.tables = {}
        for service in args.topology.services:
            attributes = {"pk", "sk"} | {f"{i}{k}" for i in service.indexes for k in ("pk", "sk")}
            self.tables[service.name] = aws.dynamodb.Table(
                f"{name}-{service.name}",
                name=args.naming.table(service.name),
                billing_mode="PAY_PER_REQUEST",
                hash_key="pk",
                range_key="sk",
                attributes=[{"name": a, "type": "S"} for a in sorted(attributes)],
                global_secondary_indexes=[
                    {
                        "name": i,
                        "key_schemas": [
                            {"attribute_name": f"{i}pk", "key_type": "HASH"},
                            {"attribute_name": f"{i}sk", "key_type": "RANGE"},
                        ],
                        "projection_type": "ALL",
                    }
                    for i in service.indexes
                ],
                ttl={"attribute_name": service.ttl_attribute, "enabled": True},
                point_in_time_recovery={"enabled": True},
                server_side_encryption={"enabled": True, "kms_key_arn": args.key_arn},
                deletion_protection_enabled=args.is_prod,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({n: t.arn for n, t in self.tables.items()})

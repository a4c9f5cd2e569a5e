"""One table per service: `pk`/`sk` strings, on demand, PITR, TTL and the declared indexes.

A service whose table was restored from a point in time (`ior table restore`) uses the restored
table once the stack's `tableOverrides` names it: its functions' table name and their roles'
grants follow, and its own table stays (managed, untouched) until the stack no longer needs it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
from ior_contracts.topology import Naming, Topology


@dataclass(frozen=True)
class TablesArgs:
    naming: Naming
    topology: Topology
    key_arn: pulumi.Input[str]
    is_prod: bool
    # Service → the restored table it uses instead of its own.
    overrides: Mapping[str, str] = field(default_factory=dict)


class UnknownOverrideError(ValueError):
    """`tableOverrides` names a service the stack does not have."""


class Tables(pulumi.ComponentResource):
    # Each service's own table, and the table it uses (its own, or the restored one).
    owned: dict[str, aws.dynamodb.Table]
    tables: dict[str, aws.dynamodb.Table]

    def __init__(self, name: str, args: TablesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ior:infra:Tables", name, None, opts)
        unknown = sorted(set(args.overrides) - {s.name for s in args.topology.services})
        if unknown:
            raise UnknownOverrideError(f"tableOverrides names no service of the stack: {', '.join(unknown)}")
        self.owned = {}
        for service in args.topology.services:
            attributes = {"pk", "sk"} | {f"{i}{k}" for i in service.indexes for k in ("pk", "sk")}
            self.owned[service.name] = aws.dynamodb.Table(
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
        self.tables = dict(self.owned)
        for overridden, restored in sorted(args.overrides.items()):
            # Created by the restore, not by this program: read, never changed or deleted by it.
            self.tables[overridden] = aws.dynamodb.Table.get(
                f"{name}-{overridden}-restored", restored, opts=pulumi.ResourceOptions(parent=self)
            )
        self.register_outputs({n: t.arn for n, t in self.tables.items()})

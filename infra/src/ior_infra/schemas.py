"""The stage's EventBridge schema registry: every contract's schema, so consumers in other
accounts can browse the events and download code bindings for them."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from ior_contracts.registry import contracts
from ior_contracts.registry_schemas import event_schema, registry_name
from ior_contracts.topology import Naming

# The registry takes draft-4 JSON Schema or OpenAPI 3; the committed schemas convert to draft 4.
SCHEMA_TYPE = "JSONSchemaDraft4"


@dataclass(frozen=True)
class SchemaRegistryArgs:
    naming: Naming


class SchemaRegistry(pulumi.ComponentResource):
    registry: aws.schemas.Registry
    schemas: dict[str, aws.schemas.Schema]

    def __init__(
        self, name: str, args: SchemaRegistryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("ior:infra:SchemaRegistry", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.registry = aws.schemas.Registry(
            f"{name}-registry",
            name=args.naming.bus,
            description=f"The events of ior {args.naming.stage}'s bus (contracts/CATALOGUE.md)",
            opts=child,
        )
        self.schemas = {}
        for detail_type, model in contracts().items():
            self.schemas[detail_type] = aws.schemas.Schema(
                f"{name}-{detail_type}",
                name=registry_name(detail_type),
                registry_name=self.registry.name,
                type=SCHEMA_TYPE,
                description=" ".join(model.DESCRIPTION.split())[:256],
                content=json.dumps(event_schema(detail_type), sort_keys=True),
                opts=child,
            )
        self.register_outputs({"registry": self.registry.name})

"""The ingestion service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.topology import ServiceDeclaration

SERVICE = ServiceDeclaration(name="ingestion")

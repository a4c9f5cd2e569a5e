"""The ingestion service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.topology import Needs, Schedule, ServiceDeclaration, Subscription

from ior_ingestion.domain.sources import SOURCES

SERVICE = ServiceDeclaration(
    name="ingestion",
    needs=Needs(secrets=("sap",)),
    # SAP is reached through the NAT from the private subnets.
    in_vpc=True,
    subscriptions=(
        Subscription(
            name="ingestion-extract",
            detail_types=("ingestion.extract.requested.v1",),
            handler="ior_ingestion.entrypoints.extract:handler",
            # One extract per invocation: a run streams up to a million rows.
            batch_size=1,
            timeout_s=900,
            visibility_timeout_s=6 * 900,
        ),
    ),
    schedules=tuple(
        Schedule(
            name=f"extract-{s.name.lower().replace('_', '-')}",
            cron=s.schedule,
            detail_type="ingestion.extract.requested.v1",
            data={"source": s.name, "trigger": "schedule"},
        )
        for s in SOURCES
    ),
)

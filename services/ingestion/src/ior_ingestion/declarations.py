"""The ingestion service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.topology import Needs, Schedule, ServiceDeclaration, Subscription

from ior_ingestion.domain.sources import FEE_NOTICES_SCHEDULE, SOURCES

SERVICE = ServiceDeclaration(
    name="ingestion",
    needs=Needs(secrets=("sap",)),
    # SAP is reached through the NAT from the private subnets.
    in_vpc=True,
    # Pin a USITC release (`2026HTSRev10`); days a newer one may wait before it is announced overdue.
    settings=("usitc_release", "usitc_overdue_days"),
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
        Subscription(
            name="ingestion-fee-notices",
            detail_types=("fees.notice.submitted.v1", "ingestion.fee_notices.requested.v1"),
            handler="ior_ingestion.entrypoints.fee_notices:handler",
            # A few notices: seconds. One at a time, so each landing holds every notice before it.
            batch_size=1,
            timeout_s=60,
            visibility_timeout_s=6 * 60,
            # Its table, its prefixes and the bus; no SAP secret.
            needs=Needs(),
        ),
    ),
    schedules=(
        *(
            Schedule(
                name=f"extract-{s.name.lower().replace('_', '-')}",
                cron=s.schedule,
                detail_type="ingestion.extract.requested.v1",
                data={"source": s.name, "trigger": "schedule"},
            )
            for s in SOURCES
        ),
        # Daily, so the fee table's coverage is measured every day.
        Schedule(
            name="extract-cbp-fees",
            cron=FEE_NOTICES_SCHEDULE,
            detail_type="ingestion.fee_notices.requested.v1",
            data={"trigger": "schedule"},
        ),
    ),
)

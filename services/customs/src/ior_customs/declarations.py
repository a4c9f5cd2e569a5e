"""The customs service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.topology import Needs, Offer, PublishedRead, ServiceDeclaration, Subscription

# One message per invocation: a message may run several dates. A run of a busy day takes tens of
# seconds at most; the function may take five minutes, and the message stays hidden six times that
# (AWS's guidance for SQS event sources).
_RUN_TIMEOUT_S = 300
# A million-line day's run peaks at up to 1,440 MB (bench/sizing.json), with a quarter's headroom.
_RUN_MEMORY_MB = 1856

SERVICE = ServiceDeclaration(
    name="customs",
    needs=Needs(reads=(PublishedRead("data", "etl/published/"),)),
    data_layer=True,
    # Downstream accounts may subscribe to the lines and entries of each run.
    offers=(Offer("customs.lines", (PublishedRead("data", "customs/published/"),)),),
    subscriptions=(
        Subscription(
            name="customs-datasets",
            detail_types=("etl.dataset.published.v1", "etl.dataset.held.v1", "etl.fee_table.published.v1"),
            handler="ior_customs.entrypoints.datasets:handler",
            batch_size=1,
            timeout_s=_RUN_TIMEOUT_S,
            visibility_timeout_s=6 * _RUN_TIMEOUT_S,
            memory_mb=_RUN_MEMORY_MB,
        ),
        Subscription(
            name="customs-runs",
            detail_types=("customs.run.requested.v1",),
            handler="ior_customs.entrypoints.runs:handler",
            batch_size=1,
            timeout_s=_RUN_TIMEOUT_S,
            visibility_timeout_s=6 * _RUN_TIMEOUT_S,
            memory_mb=_RUN_MEMORY_MB,
        ),
    ),
)

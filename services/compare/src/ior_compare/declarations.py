"""The compare service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.topology import Needs, PublishedRead, ServiceDeclaration, Subscription

SERVICE = ServiceDeclaration(
    name="compare",
    # The ETL's datasets: the rows a discrepancy rests on, read to explain it by its inputs.
    needs=Needs(reads=(PublishedRead("data", "customs/published/"), PublishedRead("data", "etl/published/"))),
    data_layer=True,
    subscriptions=(
        Subscription(
            name="compare-lines",
            detail_types=("customs.lines.generated.v1",),
            handler="ior_compare.entrypoints.lines:handler",
            # One run per invocation: a comparison reads both modes' lines (up to millions) and
            # writes its reports; a minute at the largest. The message stays hidden six times the
            # function's timeout (AWS's guidance for SQS event sources).
            batch_size=1,
            timeout_s=300,
            visibility_timeout_s=6 * 300,
        ),
        Subscription(
            name="compare-requests",
            detail_types=("compare.comparison.requested.v1",),
            handler="ior_compare.entrypoints.requests:handler",
            batch_size=1,
            timeout_s=300,
            visibility_timeout_s=6 * 300,
        ),
        Subscription(
            name="compare-cutover",
            detail_types=("cutover.change.requested.v1",),
            handler="ior_compare.entrypoints.cutover:handler",
            # A few table reads and writes, then one designation per affected date.
            batch_size=1,
            timeout_s=60,
            visibility_timeout_s=6 * 60,
        ),
    ),
)

"""The compare service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.topology import Needs, Offer, PublishedRead, ServiceDeclaration, Subscription

# The comparison reports, in the audit bucket.
_REPORTS = PublishedRead("audit", "compare/comparisons/")

_COMPARE_TIMEOUT_S = 300
# A million-line day's comparison peaks at 487 MB (bench/sizing.json): Lambda's default 1,024 MB holds
# it with room, and gives the function its share of a vCPU.
_COMPARE_MEMORY_MB = 1024

SERVICE = ServiceDeclaration(
    name="compare",
    # The ETL's datasets: the rows a discrepancy rests on, read to explain it by its inputs.
    needs=Needs(reads=(PublishedRead("data", "customs/published/"), PublishedRead("data", "etl/published/"))),
    data_layer=True,
    # Downstream accounts may subscribe to comparisons (their per-line outcomes and reports),
    # discrepancies (the report they name) and the official run of each date.
    offers=(
        Offer("compare.comparison", (PublishedRead("data", "compare/published/"), _REPORTS)),
        Offer("compare.discrepancy", (_REPORTS,)),
        Offer("cutover.official_run"),
    ),
    subscriptions=(
        Subscription(
            name="compare-lines",
            detail_types=("customs.lines.generated.v1",),
            handler="ior_compare.entrypoints.lines:handler",
            # One run per invocation: a comparison reads both modes' lines (up to millions) and
            # writes its reports; a minute at the largest. The message stays hidden six times the
            # function's timeout (AWS's guidance for SQS event sources).
            batch_size=1,
            timeout_s=_COMPARE_TIMEOUT_S,
            visibility_timeout_s=6 * _COMPARE_TIMEOUT_S,
            memory_mb=_COMPARE_MEMORY_MB,
        ),
        Subscription(
            name="compare-requests",
            detail_types=("compare.comparison.requested.v1",),
            handler="ior_compare.entrypoints.requests:handler",
            batch_size=1,
            timeout_s=_COMPARE_TIMEOUT_S,
            visibility_timeout_s=6 * _COMPARE_TIMEOUT_S,
            memory_mb=_COMPARE_MEMORY_MB,
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

"""The etl service's subscriptions and schedules, read by the local runtime and the Pulumi program."""

from ior_contracts.metrics import FEE_COVERAGE_SETTING
from ior_contracts.topology import Needs, Offer, PublishedRead, ServiceDeclaration, Subscription

# One message per invocation: a landing may rebuild two datasets from up to a million rows. A
# million-line day's manual transactions took 227 s on a loaded machine, and its automated ones peak
# at 1,811 MB (bench/sizing.json): the function gets twice the time and a quarter more memory, and the message
# stays hidden six times the timeout (AWS's guidance for SQS event sources).
_BUILD_TIMEOUT_S = 480
_BUILD_MEMORY_MB = 2304

SERVICE = ServiceDeclaration(
    name="etl",
    needs=Needs(
        reads=(PublishedRead("data", "ingestion/published/"), PublishedRead("data", "api/published/uploads/"))
    ),
    data_layer=True,
    settings=(FEE_COVERAGE_SETTING,),
    # Downstream accounts may subscribe to the datasets (their snapshots and manifests).
    offers=(Offer("etl.dataset", (PublishedRead("data", "etl/published/"),)),),
    subscriptions=(
        Subscription(
            name="etl-extracts",
            detail_types=("ingestion.extract.landed.v1", "ingestion.fee_notices.landed.v1"),
            handler="ior_etl.entrypoints.extracts:handler",
            batch_size=1,
            timeout_s=_BUILD_TIMEOUT_S,
            visibility_timeout_s=6 * _BUILD_TIMEOUT_S,
            memory_mb=_BUILD_MEMORY_MB,
        ),
        Subscription(
            name="etl-uploads",
            detail_types=("manual.upload.received.v1",),
            handler="ior_etl.entrypoints.uploads:handler",
            batch_size=1,
            timeout_s=_BUILD_TIMEOUT_S,
            visibility_timeout_s=6 * _BUILD_TIMEOUT_S,
            memory_mb=_BUILD_MEMORY_MB,
        ),
    ),
)

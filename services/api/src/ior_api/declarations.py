"""The api service's subscriptions, read by the local runtime and the Pulumi program."""

from ior_contracts.compare import ComparisonCompleted, DiscrepancyDetected
from ior_contracts.customs import CorrectionProposed, LinesGenerated, LinesQuarantined
from ior_contracts.cutover import CutoverStateChanged, OfficialRunDesignated
from ior_contracts.envelope import Event
from ior_contracts.etl import DatasetConfirmed, DatasetHeld, DatasetPublished, RowsQuarantined
from ior_contracts.ingestion import ExtractFailed, ExtractLanded
from ior_contracts.topology import Entrypoint, PublishedRead, ServiceDeclaration, Subscription

# Every contract the API shows: its read models and its alerts.
PROJECTED: tuple[type[Event], ...] = (
    LinesGenerated,
    ComparisonCompleted,
    DiscrepancyDetected,
    CutoverStateChanged,
    OfficialRunDesignated,
    ExtractLanded,
    ExtractFailed,
    DatasetPublished,
    DatasetConfirmed,
    RowsQuarantined,
    DatasetHeld,
    LinesQuarantined,
    CorrectionProposed,
)

SERVICE = ServiceDeclaration(
    name="api",
    reads=(
        PublishedRead("data", "customs/published/"),
        PublishedRead("data", "compare/published/"),
        PublishedRead("audit", "customs/"),
        PublishedRead("audit", "compare/"),
    ),
    secrets=("jwt", "slack"),
    # Queue and DLQ depths, archive replays and the alert topic.
    operates=True,
    entrypoints=(
        # API Gateway gives up on an integration after 29 s; SnapStart serves the person waiting.
        Entrypoint("http", "ior_api.entrypoints.http:handler", trigger="http", timeout_s=29, snapshot=True),
        # Subscribed to the alert topic: posts each alert to the Slack webhook.
        Entrypoint("slack", "ior_api.entrypoints.slack:handler", trigger="alerts", timeout_s=30),
    ),
    subscriptions=(
        Subscription(
            name="api-projections",
            detail_types=tuple(sorted(m.DETAIL_TYPE for m in PROJECTED)),
            handler="ior_api.entrypoints.projections:handler",
            batch_size=10,
            timeout_s=30,
            visibility_timeout_s=6 * 30,
        ),
        Subscription(
            name="api-alarms",
            detail_types=(),
            handler="ior_api.entrypoints.alarms:handler",
            aws_events={"aws.cloudwatch": ("CloudWatch Alarm State Change",)},
            batch_size=10,
            timeout_s=30,
            visibility_timeout_s=6 * 30,
        ),
    ),
)

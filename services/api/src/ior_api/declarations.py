"""The api service's subscriptions, read by the local runtime and the Pulumi program."""

from ior_contracts.compare import ComparisonCompleted, DiscrepancyDetected
from ior_contracts.customs import CorrectionProposed, LinesGenerated, LinesQuarantined, RunFailed
from ior_contracts.cutover import CutoverStateChanged, OfficialRunDesignated
from ior_contracts.envelope import Event
from ior_contracts.etl import (
    DatasetConfirmed,
    DatasetHeld,
    DatasetPublished,
    FeeTableConfirmed,
    FeeTablePublished,
    HtsRevisionChanged,
    RowsQuarantined,
)
from ior_contracts.ingestion import ExtractFailed, ExtractLanded, HtsRevisionOverdue
from ior_contracts.topology import Entrypoint, Needs, PublishedRead, ServiceDeclaration, Subscription

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
    RunFailed,
    CorrectionProposed,
    FeeTablePublished,
    FeeTableConfirmed,
    HtsRevisionOverdue,
    HtsRevisionChanged,
)

# What the dashboard shows of other services: their published lines and comparisons, and their reports.
READS = (
    PublishedRead("data", "customs/published/"),
    PublishedRead("data", "compare/published/"),
    PublishedRead("audit", "customs/"),
    PublishedRead("audit", "compare/"),
)
# The event consumers keep the read models and publish alerts: the table and the alert topic only.
PROJECTING = Needs(prefixes=False, publishes=False, alerts=True)

SERVICE = ServiceDeclaration(
    name="api",
    # Everything the API's functions need between them; each function takes only its part.
    needs=Needs(reads=READS, secrets=("jwt", "origin", "slack"), operates=True, alerts=True),
    entrypoints=(
        # API Gateway gives up on an integration after 29 s; SnapStart serves the person waiting.
        Entrypoint(
            "http",
            "ior_api.entrypoints.http:handler",
            trigger="http",
            timeout_s=29,
            snapshot=True,
            # The internet-facing function: sessions (signing key), the origin check, the pipeline
            # view and replays; never the Slack webhook, never the alert topic.
            needs=Needs(reads=READS, secrets=("jwt", "origin"), operates=True),
        ),
        # Subscribed to the alert topic: posts each alert to the Slack webhook, and nothing else.
        Entrypoint(
            "slack",
            "ior_api.entrypoints.slack:handler",
            trigger="alerts",
            timeout_s=30,
            needs=Needs(table=False, prefixes=False, publishes=False, secrets=("slack",)),
        ),
    ),
    subscriptions=(
        Subscription(
            name="api-projections",
            detail_types=tuple(sorted(m.DETAIL_TYPE for m in PROJECTED)),
            handler="ior_api.entrypoints.projections:handler",
            needs=PROJECTING,
            batch_size=10,
            timeout_s=30,
            visibility_timeout_s=6 * 30,
        ),
        Subscription(
            name="api-alarms",
            detail_types=(),
            handler="ior_api.entrypoints.alarms:handler",
            needs=PROJECTING,
            aws_events={"aws.cloudwatch": ("CloudWatch Alarm State Change",)},
            batch_size=10,
            timeout_s=30,
            visibility_timeout_s=6 * 30,
        ),
    ),
)

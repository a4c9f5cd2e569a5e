"""The business metrics every service emits (CloudWatch EMF through Powertools Metrics), named once.

The services emit them and the Pulumi program's dashboards and alarms read them; both take the names,
units and dimensions from here, so an alarm can never watch a metric nobody publishes. Every metric
carries the `service` dimension (Powertools adds it); `dimensions` lists the extra ones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NAMESPACE = "ior-pipeline"

Unit = Literal["Count", "Milliseconds", "None"]


@dataclass(frozen=True)
class MetricSpec:
    name: str
    unit: Unit
    service: str
    dimensions: tuple[str, ...] = ()
    description: str = ""


ROWS_INGESTED = MetricSpec("RowsIngested", "Count", "ingestion", ("source",), "Rows landed per extract.")
EXTRACTS_FAILED = MetricSpec("ExtractsFailed", "Count", "ingestion", (), "Extracts that gave up (SAP down).")
ROWS_REJECTED = MetricSpec("RowsRejected", "Count", "etl", ("dataset",), "Rows quarantined by validation.")
DATASETS_PUBLISHED = MetricSpec(
    "DatasetsPublished", "Count", "etl", ("dataset",), "Versions published or confirmed current."
)
DATASETS_HELD = MetricSpec("DatasetsHeld", "Count", "etl", (), "Builds held over the reject threshold.")
# Days ahead the fee table must cover (DOMAIN §4 step 7), unless the stack sets the ETL's setting:
# the ETL's events ask for an alert below it, and the alarm on the metric fires below it.
FEE_COVERAGE_DAYS = 45
FEE_COVERAGE_SETTING = "fee_coverage_days"
FEE_TABLE_DAYS_COVERED = MetricSpec(
    "FeeTableDaysCovered",
    "Count",
    "etl",
    (),
    "Days ahead the fee table covers, measured at each landing of the fee notices (daily); under 45 "
    "an admin must record the next fiscal year.",
)
HTS_REVISION_DAYS_WAITING = MetricSpec(
    "HtsRevisionDaysWaiting",
    "Count",
    "ingestion",
    (),
    "Days a newer official HTS revision has waited without landing, past the stack's threshold.",
)
LINES_GENERATED = MetricSpec("LinesGenerated", "Count", "customs", ("mode",), "Customs lines per run.")
ENTERED_VALUE = MetricSpec("EnteredValueCents", "None", "customs", ("mode",), "Entered value per run, cents.")
DUTY = MetricSpec("DutyCents", "None", "customs", ("mode",), "Duty per run, cents.")
COMPARISONS_PASSED = MetricSpec("ComparisonsPassed", "Count", "compare", (), "Comparisons within tolerance.")
COMPARISONS_FAILED = MetricSpec("ComparisonsFailed", "Count", "compare", (), "Comparisons out of tolerance.")
HANDLER_LATENCY = MetricSpec(
    "HandlerLatency", "Milliseconds", "*", ("handler",), "Time from an event's delivery to its handler's end."
)
# Both for each handler's run that used its service's engine (the ETL's validation and build, the
# customs processor, the comparison engine: `engine_time`), so their ratio is what the service adds.
INVOCATION_CPU = MetricSpec(
    "InvocationCpu", "Milliseconds", "*", ("handler",), "CPU time of a handler's run that used its engine."
)
ENGINE_CPU = MetricSpec(
    "EngineCpu", "Milliseconds", "*", ("handler",), "CPU time of that run spent in the service's engine."
)

ALL: tuple[MetricSpec, ...] = (
    ROWS_INGESTED,
    EXTRACTS_FAILED,
    ROWS_REJECTED,
    DATASETS_PUBLISHED,
    DATASETS_HELD,
    FEE_TABLE_DAYS_COVERED,
    HTS_REVISION_DAYS_WAITING,
    LINES_GENERATED,
    ENTERED_VALUE,
    DUTY,
    COMPARISONS_PASSED,
    COMPARISONS_FAILED,
    HANDLER_LATENCY,
    INVOCATION_CPU,
    ENGINE_CPU,
)

"""Where each read model lives in the API's table: its partition key and, where the key follows from
an identifier, its sort key. Every record is a JSON document under these keys."""

from __future__ import annotations

from typing import Literal

COMPARISONS = "comparisons"
CUTOVER_CHANGES = "cutover#changes"
OFFICIAL_RUNS = "cutover#official"
ALERTS = "alerts"
CUSTOMS_RUNS = "customs#runs"
ALERTS_NOTIFIED = "alerts#notified"
REPLAYS = "pipeline#replays"
# The pipeline view as one document (its snapshot) and the last projected change it must reflect.
PIPELINE_VIEW = "pipeline#view"
VIEW_SNAPSHOT, VIEW_CHANGED = "snapshot", "changed"
# Reference data's state: the fee table (its last publication, and its coverage as last measured)
# and the official HTS revision (the last one landed, the last one overdue, the last change).
REFERENCE = "reference"
FEE_TABLE_PUBLISHED, FEE_TABLE_MEASURED = "fee-table#published", "fee-table#measured"
HTS_LANDED, HTS_OVERDUE, HTS_CHANGED = "hts#landed", "hts#overdue", "hts#changed"

# Stored once per comparison and stage: the API's own request, the result, the discrepancy.
ComparisonPart = Literal["requested", "completed", "discrepancy"]


def comparison_key(comparison_id: str, part: ComparisonPart) -> tuple[str, str]:
    return COMPARISONS, f"{comparison_id}#{part}"


def source_runs(source: str) -> str:
    return f"pipeline#source#{source}"


def dataset_runs(dataset: str, mode: str) -> str:
    return f"pipeline#dataset#{dataset}#{mode}"


def shown_in_pipeline(pk: str) -> bool:
    """Whether a write under `pk` changes what `GET /api/pipeline` shows (runs, reference data)."""
    return pk == REFERENCE or pk.startswith(("pipeline#source#", "pipeline#dataset#"))

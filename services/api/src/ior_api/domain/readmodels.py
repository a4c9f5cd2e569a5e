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

# Stored once per comparison and stage: the API's own request, the result, the discrepancy.
ComparisonPart = Literal["requested", "completed", "discrepancy"]


def comparison_key(comparison_id: str, part: ComparisonPart) -> tuple[str, str]:
    return COMPARISONS, f"{comparison_id}#{part}"


def source_runs(source: str) -> str:
    return f"pipeline#source#{source}"


def dataset_runs(dataset: str, mode: str) -> str:
    return f"pipeline#dataset#{dataset}#{mode}"

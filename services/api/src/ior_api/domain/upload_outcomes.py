"""What an ETL event records in the upload history: the outcome of one dataset of the upload that
caused it. The projections function writes it; apart from the records the HTTP function reads, so the
ETL's events are no part of that function's cold start."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ior_contracts.envelope import Event, Metadata
from ior_contracts.etl import DatasetConfirmed, DatasetHeld, DatasetPublished, RowsQuarantined

from ior_api.domain.upload_history import DatasetOutcome, outcomes_of


@dataclass(frozen=True)
class OutcomeWrite:
    pk: str
    sk: str
    body: dict[str, Any]


def outcome_write(event: Event, metadata: Metadata) -> OutcomeWrite | None:
    """The outcome an ETL event records for the upload that caused it; none for the automated path."""
    outcome = _outcome(event, metadata.occurred_at.isoformat())
    if outcome is None or metadata.causation_id is None:
        return None
    sk = f"{outcome.dataset}#{outcome.status}"
    return OutcomeWrite(outcomes_of(metadata.causation_id), sk, asdict(outcome))


def _outcome(event: Event, at: str) -> DatasetOutcome | None:
    if isinstance(event, DatasetPublished) and event.mode == "manual":
        rows = event.snapshot.row_count
        detail = f"version {event.version} published: {rows} row(s), {event.rejected_rows} quarantined"
        return DatasetOutcome(
            event.dataset, "published", at, event.version, rows, event.rejected_rows, detail
        )
    if isinstance(event, DatasetConfirmed) and event.mode == "manual":
        detail = f"version {event.version} confirmed: the upload rebuilt the current version unchanged"
        return DatasetOutcome(event.dataset, "confirmed", at, event.version, None, None, detail)
    if isinstance(event, DatasetHeld) and event.mode == "manual":
        detail = (
            f"held: {event.rejected_rows} of {event.total_rows} row(s) rejected (over the "
            f"{event.threshold} threshold), mostly by {event.rule}; the last good version stays current"
        )
        return DatasetOutcome(
            event.dataset, "held", at, event.current_version, event.total_rows, event.rejected_rows, detail
        )
    if isinstance(event, RowsQuarantined) and event.mode == "manual":
        rules = ", ".join(f"{r.rule} ×{r.count}" for r in event.rules)
        detail = f"{event.rejected_rows} of {event.total_rows} row(s) quarantined: {rules}"
        return DatasetOutcome(
            event.dataset, "quarantined", at, None, event.total_rows, event.rejected_rows, detail
        )
    return None

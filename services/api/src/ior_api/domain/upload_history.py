"""The upload history: each accepted upload as the API recorded it, and what the ETL made of it.

Plain data, no AWS. The ETL builds an upload's datasets in answer to its `manual.upload.received.v1`,
so each of its manual-mode outcomes names that event as its cause (`causation_id`): the outcome is
filed under the upload's event id, and an upload's history row is its record and those outcomes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from typing import Any, Literal

from ior_contracts.envelope import Event, Metadata
from ior_contracts.etl import DatasetConfirmed, DatasetHeld, DatasetPublished, RowsQuarantined

UPLOADS = "uploads"
# Uploads shown in the history, newest first.
HISTORY_LENGTH = 20

OutcomeStatus = Literal["published", "confirmed", "held", "quarantined"]


def outcomes_of(event_id: str) -> str:
    """The partition of one upload's ETL outcomes, by the upload event's id."""
    return f"uploads#outcomes#{event_id}"


@dataclass(frozen=True)
class UploadedFileRecord:
    filename: str
    kind: str
    rows: int | None  # None: announced unread (presigned), the ETL counts and checks it


@dataclass(frozen=True)
class UploadRecord:
    """An accepted upload as announced: who, when, for which date, which files."""

    upload_id: str
    event_id: str
    uploaded_at: datetime
    uploaded_by: str
    business_date: date | None
    files: tuple[UploadedFileRecord, ...]

    @property
    def sort_key(self) -> str:
        # Time first, so the history reads newest first; the event id keeps two at one instant apart.
        return f"{self.uploaded_at.isoformat()}#{self.event_id}"

    def document(self) -> dict[str, Any]:
        return {
            "upload_id": self.upload_id,
            "event_id": self.event_id,
            "uploaded_at": self.uploaded_at.isoformat(),
            "uploaded_by": self.uploaded_by,
            "business_date": self.business_date.isoformat() if self.business_date else None,
            "files": [{"filename": f.filename, "kind": f.kind, "rows": f.rows} for f in self.files],
        }


@dataclass(frozen=True)
class DatasetOutcome:
    """What the ETL made of one dataset of an upload."""

    dataset: str
    status: OutcomeStatus
    at: str
    version: str | None
    rows: int | None
    rejected_rows: int | None
    detail: str


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


def outcome_of(document: dict[str, Any]) -> DatasetOutcome:
    return DatasetOutcome(**{f.name: document[f.name] for f in fields(DatasetOutcome)})


def record_of(document: dict[str, Any]) -> UploadRecord:
    day = document["business_date"]
    return UploadRecord(
        upload_id=document["upload_id"],
        event_id=document["event_id"],
        uploaded_at=datetime.fromisoformat(document["uploaded_at"]),
        uploaded_by=document["uploaded_by"],
        business_date=date.fromisoformat(day) if day else None,
        files=tuple(UploadedFileRecord(f["filename"], f["kind"], f["rows"]) for f in document["files"]),
    )

"""The upload history: each accepted upload as the API recorded it, and what the ETL made of it.

Plain data, no AWS. The ETL builds an upload's datasets in answer to its `manual.upload.received.v1`,
so each of its manual-mode outcomes names that event as its cause (`causation_id`): the outcome is
filed under the upload's event id, and an upload's history row is its record and those outcomes."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Literal

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

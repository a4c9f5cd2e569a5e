"""The upload history: an accepted upload recorded as it is announced, and read back with what the ETL
made of it (its outcomes, projected from the ETL's events under the upload's event id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ior_contracts.manual import UploadedFile

from ior_api.domain.upload_history import (
    HISTORY_LENGTH,
    UPLOADS,
    DatasetOutcome,
    UploadedFileRecord,
    UploadRecord,
    outcome_of,
    outcomes_of,
    record_of,
)
from ior_api.ports import Services


@dataclass(frozen=True)
class UploadHistoryEntry:
    record: UploadRecord
    outcomes: list[DatasetOutcome]


def record(
    services: Services,
    upload_id: str,
    event_id: str,
    files: list[UploadedFile],
    business_date: date | None,
    *,
    by: str,
    checked: bool = True,
) -> UploadRecord:
    """The upload in the history, once announced (an upload sent again is listed again, with the same
    outcomes: it is the same event)."""
    entry = UploadRecord(
        upload_id=upload_id,
        event_id=event_id,
        uploaded_at=services.clock(),
        uploaded_by=by,
        business_date=business_date,
        files=tuple(
            UploadedFileRecord(f.filename, f.kind, f.object.row_count if checked else None) for f in files
        ),
    )
    services.readmodels.put(UPLOADS, entry.sort_key, entry.document())
    return entry


def history(services: Services, limit: int = HISTORY_LENGTH) -> list[UploadHistoryEntry]:
    """The newest uploads first, each with the outcomes the ETL has announced so far."""
    readmodels = services.readmodels
    records = [record_of(d) for d in readmodels.query(UPLOADS, newest_first=True, limit=limit)]
    return [
        UploadHistoryEntry(r, [outcome_of(d) for d in readmodels.query(outcomes_of(r.event_id))])
        for r in records
    ]

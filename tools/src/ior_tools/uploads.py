"""Storing the analysts' legacy CSVs and announcing them, as the API's upload endpoint does: the
files unchanged under `api/published/uploads/<sha256 of the bundle>/`, then
`manual.upload.received.v1`. Used by the local run to feed the manual path of the sample company."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ior_contracts.bus import EventPublisher
from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Metadata, deterministic_event_id
from ior_contracts.legacy.formats import FORMATS
from ior_contracts.manual import LEGACY_SCHEMA_VERSION, UploadedFile, UploadReceived, bundle_id, upload_key

KINDS = {name: f.kind for name, f in FORMATS.items()}


class UnknownLegacyFileError(ValueError):
    """A file whose name is none of the pinned legacy files."""


@dataclass(frozen=True)
class Uploaded:
    upload_id: str
    metadata: Metadata


def sample_bundle(legacy: Path, day: date) -> list[Path]:
    """The reference CSVs and one day's invoice lines of a sample company's `legacy/` folder."""
    return [*sorted((legacy / "reference").glob("*.csv")), legacy / day.isoformat() / "Invoice_Lines.csv"]


def upload(
    s3: Any,
    publisher: EventPublisher,
    bucket: str,
    files: list[Path],
    *,
    by: str,
    day: date | None,
    correlation_id: str | None = None,
) -> Uploaded:
    contents = {}
    for path in files:
        if path.name not in KINDS:
            raise UnknownLegacyFileError(f"{path.name} is not one of the legacy files: {', '.join(KINDS)}")
        contents[path.name] = path.read_bytes()
    upload_id = bundle_id(contents)
    stored = []
    for name, body in sorted(contents.items()):
        key = upload_key(upload_id, name)
        s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")
        rows = max(0, body.count(b"\n") - 1)
        claim = ClaimCheck(
            uri=f"s3://{bucket}/{key}",
            sha256=hashlib.sha256(body).hexdigest(),
            row_count=rows,
            schema_version=LEGACY_SCHEMA_VERSION,
        )
        stored.append(UploadedFile(kind=KINDS[name], filename=name, object=claim))
    event = UploadReceived(upload_id=upload_id, files=stored, uploaded_by=by, business_date=day)
    # The same bundle announces the same upload.
    event_id = deterministic_event_id("upload", upload_id)
    metadata = publisher.publish(event, business_date=day, event_id=event_id, correlation_id=correlation_id)
    return Uploaded(upload_id, metadata)

"""The manual fallback: a bundle of legacy CSVs checked against the pinned formats before anything is
stored; a clean one stored unchanged and announced with `manual.upload.received.v1`. Bundles too large
for one request are posted file by file straight to the bucket first (presigned), then taken from
there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from ior_contracts.envelope import deterministic_event_id
from ior_contracts.manual import UploadedFile, UploadReceived, bundle_id

from ior_api.domain.uploads import MAX_FILE_BYTES, FileProblem, check_bundle
from ior_api.ports import Services


class BundleRejectedError(ValueError):
    """The bundle has problems; nothing was stored."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was stored")
        self.problems = problems


class NothingUploadedError(LookupError):
    """No file arrived for a presigned session."""


@dataclass(frozen=True)
class StoredUpload:
    upload_id: str
    event_id: str
    business_date: date | None
    files: list[UploadedFile]


@dataclass(frozen=True)
class Presigned:
    session: str
    expires_in: int
    targets: dict[str, dict[str, Any]]  # the form each file is posted with, by file name


def accept(
    services: Services, contents: dict[str, bytes], business_date: date | None, *, by: str
) -> StoredUpload:
    checked = check_bundle(contents)
    if not checked.ok:
        raise BundleRejectedError(checked.problems)
    upload_id = bundle_id(contents)
    stored = [
        UploadedFile(
            kind=f.format.kind,
            filename=name,
            object=services.uploads.store(upload_id, name, contents[name], f.rows),
        )
        for name, f in sorted(checked.files.items())
    ]
    event = UploadReceived(upload_id=upload_id, files=stored, uploaded_by=by, business_date=business_date)
    # The same bundle for the same date announces the same upload: a double click is one upload.
    event_id = deterministic_event_id("upload", upload_id, str(business_date))
    metadata = services.publisher.publish(event, business_date=business_date, event_id=event_id)
    return StoredUpload(upload_id, metadata.event_id, business_date, stored)


def presign(services: Services, filenames: list[str]) -> Presigned:
    """A new session and a size-capped form per file. The names were checked by the request's schema,
    so nobody uploads 100 MB under a refused name."""
    session = uuid.uuid4().hex
    store = services.uploads
    targets = {name: store.presign(session, name, MAX_FILE_BYTES) for name in sorted(set(filenames))}
    return Presigned(session, store.ttl_s, targets)


def complete(services: Services, session: str, business_date: date | None, *, by: str) -> StoredUpload:
    """The files posted for `session`, accepted as one bundle."""
    contents = services.uploads.incoming(session)
    if not contents:
        raise NothingUploadedError(f"nothing was uploaded for session {session}")
    return accept(services, contents, business_date, by=by)

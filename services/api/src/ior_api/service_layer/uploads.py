"""The manual fallback: a bundle of legacy CSVs checked against the pinned formats before anything is
stored; a clean one stored unchanged and announced with `manual.upload.received.v1`. Bundles too large
for one request are posted file by file straight to the bucket first (presigned); completing one reads
none of it: S3 hashes and copies each file, and the upload is announced unchecked, for the ETL (which
has the memory and the time a million-line file needs) to check each file in full before using it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from ior_contracts.envelope import deterministic_event_id
from ior_contracts.legacy.formats import FORMATS
from ior_contracts.manual import UploadedFile, UploadReceived, bundle_id, bundle_id_of

from ior_api.domain.uploads import MAX_FILE_BYTES, BundleCheck, check_bundle, unknown_file
from ior_api.ports import Services
from ior_api.service_layer import upload_history


class BundleRejectedError(ValueError):
    """The bundle has problems; nothing was stored."""

    def __init__(self, check: BundleCheck) -> None:
        stopped = any(s.stopped_at_row is not None for s in check.summaries)
        super().__init__(f"{'at least ' if stopped else ''}{check.total} problem(s); nothing was stored")
        self.check = check


class NothingUploadedError(LookupError):
    """No file arrived for a presigned session."""


@dataclass(frozen=True)
class StoredUpload:
    upload_id: str
    event_id: str
    business_date: date | None
    files: list[UploadedFile]
    checked: bool = True  # False: the ETL checks the files (their row counts are not known yet)


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
        raise BundleRejectedError(checked)
    upload_id = bundle_id(contents)
    stored = [
        UploadedFile(
            kind=f.format.kind,
            filename=name,
            object=services.uploads.store(upload_id, name, contents[name], f.rows),
        )
        for name, f in sorted(checked.files.items())
    ]
    return _announce(services, upload_id, stored, business_date, by=by)


def presign(services: Services, filenames: list[str]) -> Presigned:
    """A new session and a size-capped form per file. The names were checked by the request's schema,
    so nobody uploads 100 MB under a refused name."""
    session = uuid.uuid4().hex
    store = services.uploads
    targets = {name: store.presign(session, name, MAX_FILE_BYTES) for name in sorted(set(filenames))}
    return Presigned(session, store.ttl_s, targets)


def complete(services: Services, session: str, business_date: date | None, *, by: str) -> StoredUpload:
    """The files posted for `session`, hashed and copied to their content address by S3 itself and
    announced as one unchecked bundle; the session's files are then removed. Only the names are
    checked here: the files may be hundreds of megabytes, beyond the API function's memory and time."""
    store = services.uploads
    files = store.incoming(session)
    if not files:
        raise NothingUploadedError(f"nothing was uploaded for session {session}")
    unknown = [unknown_file(f.name) for f in files if f.name not in FORMATS]
    if unknown:
        raise BundleRejectedError(BundleCheck.of(unknown))
    hashed = [store.hashed(f) for f in files]
    upload_id = bundle_id_of({h.file.name: h.sha256 for h in hashed})
    stored = [
        UploadedFile(
            kind=FORMATS[h.file.name].kind,
            filename=h.file.name,
            # Not counted: nobody read the file yet; the ETL counts and checks it.
            object=store.adopt(h.file, upload_id, h.sha256, rows=0),
        )
        for h in hashed
    ]
    store.discard(files)
    return _announce(services, upload_id, stored, business_date, by=by, checked=False)


def _announce(
    services: Services,
    upload_id: str,
    stored: list[UploadedFile],
    business_date: date | None,
    *,
    by: str,
    checked: bool = True,
) -> StoredUpload:
    event = UploadReceived(
        upload_id=upload_id, files=stored, uploaded_by=by, business_date=business_date, checked=checked
    )
    # The same bundle for the same date announces the same upload: a double click is one upload.
    event_id = deterministic_event_id("upload", upload_id, str(business_date))
    metadata = services.publisher.publish(event, business_date=business_date, event_id=event_id)
    upload_history.record(
        services, upload_id, metadata.event_id, stored, business_date, by=by, checked=checked
    )
    return StoredUpload(upload_id, metadata.event_id, business_date, stored, checked)

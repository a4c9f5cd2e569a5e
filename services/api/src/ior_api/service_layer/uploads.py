"""The manual fallback: a bundle of legacy CSVs checked against the pinned formats before anything is
stored; a clean one stored unchanged and announced with `manual.upload.received.v1`. Bundles too large
for one request are posted file by file straight to the bucket first (presigned), then each file is
checked and hashed as it streams from there and copied by S3 itself: never held whole in memory."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ior_contracts.envelope import deterministic_event_id
from ior_contracts.legacy.csv_file import legacy_lines
from ior_contracts.manual import UploadedFile, UploadReceived, bundle_id, bundle_id_of

from ior_api.domain.uploads import MAX_FILE_BYTES, BundleCheck, check_bundle, check_file
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
    """The files posted for `session`, each checked and hashed as it streams by, accepted as one
    bundle and copied to its content address; the session's files are then removed."""
    store = services.uploads
    files = store.incoming(session)
    if not files:
        raise NothingUploadedError(f"nothing was uploaded for session {session}")
    checks, digests = [], {}
    for file in files:
        digest = hashlib.sha256()
        checks.append(check_file(file.name, legacy_lines(_hashing(store.chunks(file), digest))))
        digests[file.name] = digest.hexdigest()
    checked = BundleCheck.of(checks)
    if not checked.ok:
        raise BundleRejectedError(checked)
    upload_id = bundle_id_of(digests)
    stored = [
        UploadedFile(
            kind=checked.files[f.name].format.kind,
            filename=f.name,
            object=store.adopt(f, upload_id, digests[f.name], checked.files[f.name].rows),
        )
        for f in files
    ]
    store.discard(files)
    return _announce(services, upload_id, stored, business_date, by=by)


def _hashing(chunks: Iterable[bytes], digest: Any) -> Iterator[bytes]:
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def _announce(
    services: Services, upload_id: str, stored: list[UploadedFile], business_date: date | None, *, by: str
) -> StoredUpload:
    event = UploadReceived(upload_id=upload_id, files=stored, uploaded_by=by, business_date=business_date)
    # The same bundle for the same date announces the same upload: a double click is one upload.
    event_id = deterministic_event_id("upload", upload_id, str(business_date))
    metadata = services.publisher.publish(event, business_date=business_date, event_id=event_id)
    upload_history.record(services, upload_id, metadata.event_id, stored, business_date, by=by)
    return StoredUpload(upload_id, metadata.event_id, business_date, stored)

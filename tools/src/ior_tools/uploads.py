"""Storing the analysts' legacy CSVs and announcing them, as the API's upload endpoints do: a bundle
the API takes directly (at most `MAX_DIRECT_BYTES`) has every file checked against its pinned format
first (the API's own check), and only a clean bundle is stored, unchanged, under
`api/published/uploads/<sha256 of the bundle>/`, then announced with `manual.upload.received.v1`; a
larger one, which the API takes only through its presigned path, is stored with its names checked and
announced unchecked, for the ETL to check in full. Used by `ior upload` and by the local run (and so
the end-to-end benchmark) to feed the manual path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ior_api.domain.uploads import MAX_DIRECT_BYTES, FileProblem, check_bundle, unknown_file
from ior_contracts.bus import EventPublisher
from ior_contracts.claims import ClaimCheck
from ior_contracts.envelope import Metadata, deterministic_event_id
from ior_contracts.legacy.formats import FORMATS
from ior_contracts.manual import LEGACY_SCHEMA_VERSION, UploadedFile, UploadReceived, bundle_id, upload_key

KINDS = {name: f.kind for name, f in FORMATS.items()}


class BundleRefusedError(ValueError):
    """A file of the bundle is not a pinned legacy file, or breaks its format: nothing was stored."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was stored")
        self.problems = problems


@dataclass(frozen=True)
class Uploaded:
    upload_id: str
    metadata: Metadata
    checked: bool = True  # whether the files were checked before they were stored


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
    """Every file checked first (only its name, in a bundle over `MAX_DIRECT_BYTES`); a bundle with
    any problem raises `BundleRefusedError` and nothing is stored or announced (all or nothing, as the
    API's upload)."""
    contents = {path.name: path.read_bytes() for path in files}
    twice = sorted({path.name for path in files if sum(p.name == path.name for p in files) > 1})
    direct = sum(map(len, contents.values())) <= MAX_DIRECT_BYTES
    # As the API's presigned completion: a name none of the pinned files has is refused unread.
    checked = check_bundle(contents) if direct else None
    unknown = [unknown_file(name).listed for name in sorted(contents) if name not in KINDS]
    found = checked.problems if checked else [problem for listed in unknown for problem in listed]
    problems = [
        FileProblem(name, None, None, "file_given_twice", f"{name} is given more than once") for name in twice
    ] + found
    if problems:
        raise BundleRefusedError(problems)
    upload_id = bundle_id(contents)
    stored = []
    for name, body in sorted(contents.items()):
        key = upload_key(upload_id, name)
        s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")
        claim = ClaimCheck(
            uri=f"s3://{bucket}/{key}",
            sha256=hashlib.sha256(body).hexdigest(),
            # Not counted when not read: the ETL counts and checks it.
            row_count=checked.files[name].rows if checked else 0,
            schema_version=LEGACY_SCHEMA_VERSION,
        )
        stored.append(UploadedFile(kind=KINDS[name], filename=name, object=claim))
    event = UploadReceived(
        upload_id=upload_id, files=stored, uploaded_by=by, business_date=day, checked=checked is not None
    )
    # The same bundle for the same date announces the same upload, as the API's does.
    event_id = deterministic_event_id("upload", upload_id, str(day))
    metadata = publisher.publish(event, business_date=day, event_id=event_id, correlation_id=correlation_id)
    return Uploaded(upload_id, metadata, checked is not None)

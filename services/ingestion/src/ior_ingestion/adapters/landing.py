"""Landing an extract: pages streamed into a deterministic gzip JSON Lines file (memory O(page)),
checksummed, then stored content-addressed under the ingestion data prefix's `published/` and
copied, immutably, under its audit prefix. Nothing is stored until every page has arrived."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ior_contracts.claims import ClaimCheck

RAW_SCHEMA_VERSION = "sap-jsonl-1"
HTS_SCHEMA_VERSION = "usitc-json-1"


@dataclass(frozen=True)
class StagedExtract:
    """A complete extract on local disk, not yet stored."""

    path: Path
    sha256: str
    rows: int
    pages: int
    schema_version: str
    suffix: str


class _HashingWriter:
    """A file that hashes what is written to it, so the checksum costs no second read."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self._raw.write(data)

    def flush(self) -> None:
        self._raw.flush()


def stage_pages(pages: Iterable[list[dict[str, Any]]], directory: Path | None = None) -> StagedExtract:
    """Write every page, one JSON object per line into gzip with mtime 0: the same rows give the
    same bytes. The file is removed if a page fails."""
    fd, name = tempfile.mkstemp(suffix=".jsonl.gz", dir=directory)
    path, rows, count = Path(name), 0, 0
    # One encoder for the whole extract: building it per row costs more than encoding the row. Keys
    # stay in SAP's order (the extract is stored as received), so no sorting per row.
    encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    try:
        with os.fdopen(fd, "wb") as raw:
            hashing = _HashingWriter(raw)
            # Level 1: a third of level 6's time for a little more size; raw extracts are read once.
            with gzip.GzipFile(fileobj=hashing, mode="wb", mtime=0, filename="", compresslevel=1) as gz:
                for page in pages:
                    count += 1
                    rows += len(page)
                    gz.write("".join([encode(r) + "\n" for r in page]).encode())
        return StagedExtract(path, hashing.digest.hexdigest(), rows, count, RAW_SCHEMA_VERSION, "jsonl.gz")
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def stage_bytes(
    chunks: Iterable[bytes], rows: int, suffix: str, directory: Path | None = None
) -> StagedExtract:
    """A source fetched as a file (the HTS export): stored byte for byte."""
    fd, name = tempfile.mkstemp(suffix="." + suffix, dir=directory)
    path, digest = Path(name), hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
        return StagedExtract(path, digest.hexdigest(), rows, 1, HTS_SCHEMA_VERSION, suffix)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Landed:
    extract: ClaimCheck
    audit_uri: str


class S3Landing:
    """The ingestion service's own prefixes: `ingestion/` of the data and the audit bucket."""

    def __init__(self, s3: Any, data_bucket: str, audit_bucket: str, prefix: str = "ingestion/") -> None:
        self._s3 = s3
        self._data = data_bucket
        self._audit = audit_bucket
        self._prefix = prefix

    def land(self, staged: StagedExtract, *, source: str, run_id: str, record: dict[str, Any]) -> Landed:
        name = f"{staged.sha256}.{staged.suffix}"
        key = f"{self._prefix}published/raw/{source}/{name}"
        # Content-addressed: an identical extract is the same object, stored once.
        if not self._exists(self._data, key):
            self._s3.upload_file(str(staged.path), self._data, key, ExtraArgs={"ChecksumAlgorithm": "SHA256"})
        audit_base = f"{self._prefix}runs/{source}/{run_id}"
        self._s3.upload_file(str(staged.path), self._audit, f"{audit_base}/{name}")
        record = {**record, "extract": {"uri": f"s3://{self._data}/{key}", "sha256": staged.sha256}}
        body = json.dumps(record, sort_keys=True, indent=2).encode()
        self._s3.put_object(Bucket=self._audit, Key=f"{audit_base}/run.json", Body=body)
        claim = ClaimCheck(
            uri=f"s3://{self._data}/{key}",
            sha256=staged.sha256,
            row_count=staged.rows,
            schema_version=staged.schema_version,
        )
        return Landed(claim, f"s3://{self._audit}/{audit_base}/run.json")

    def _exists(self, bucket: str, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=bucket, Key=key)
        except self._s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

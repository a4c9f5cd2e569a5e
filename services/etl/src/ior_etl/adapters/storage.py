"""The ETL's objects. Reads: any claim check (landed extracts, uploads, the ETL's own snapshots),
verified against its SHA-256. Writes, under the service's prefix of the data bucket:

    etl/published/<dataset>/<mode>/<version>/data.csv.gz     the snapshot (content-addressed)
    etl/published/<dataset>/<mode>/<version>/origins.csv.gz  where each of its rows was read
    etl/published/<dataset>/<mode>/<version>/manifest.json   what made it
    etl/quarantine/<dataset>/<mode>/<run_id>/rejected.jsonl.gz   every failure with its reason
    etl/published/hts-revisions/<sha256>.json                   two official revisions compared

and, under its prefix of the (object-locked) audit bucket, `etl/runs/<dataset>/<mode>/<run_id>.json`."""

from __future__ import annotations

import hashlib
from typing import Any

from ior_contracts.side_by_side import each
from ior_contracts.vocabulary import Mode

from ior_etl.adapters import objects
from ior_etl.domain.origins import FILE as ORIGINS
from ior_etl.ports import ChecksumMismatchError, MissingObjectError

SNAPSHOT = "data.csv.gz"
MANIFEST = "manifest.json"
QUARANTINE = "rejected.jsonl.gz"


class S3Objects:
    def __init__(self, s3: Any, data_bucket: str, audit_bucket: str, prefix: str = "etl/") -> None:
        self._s3 = s3
        self._data = data_bucket
        self._audit = audit_bucket
        self._prefix = prefix

    def read(self, uri: str, sha256: str) -> bytes:
        body = objects.read(self._s3, uri)
        if body is None:
            raise MissingObjectError(f"{uri} does not exist")
        actual = hashlib.sha256(body).hexdigest()
        if actual != sha256:
            raise ChecksumMismatchError(
                f"{uri} has SHA-256 {actual}, its claim check says {sha256}: not read, nothing built"
            )
        return body

    def put_version(
        self, dataset: str, mode: Mode, version: str, data: bytes, manifest: bytes, *, origins: bytes | None
    ) -> tuple[str, str]:
        base = f"{self._prefix}published/{dataset}/{mode}/{version}"
        written = [(SNAPSHOT, data)] + ([(ORIGINS, origins)] if origins is not None else [])
        # The snapshot and its origins side by side, each waiting on S3; the manifest goes last: a
        # version with a manifest is complete.
        data_uri, *_ = each(
            lambda name_body: objects.put_once(
                self._s3, self._data, f"{base}/{name_body[0]}", name_body[1], "application/gzip"
            ),
            written,
        )
        return data_uri, objects.put_once(
            self._s3, self._data, f"{base}/{MANIFEST}", manifest, "application/json"
        )

    def put_quarantine(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str:
        key = f"{self._prefix}quarantine/{dataset}/{mode}/{run_id}/{QUARANTINE}"
        return objects.put_once(self._s3, self._data, key, body, "application/gzip")

    def put_revision_changes(self, body: bytes) -> str:
        key = f"{self._prefix}published/hts-revisions/{hashlib.sha256(body).hexdigest()}.json"
        return objects.put_once(self._s3, self._data, key, body, "application/json")

    def put_audit(self, dataset: str, mode: Mode, run_id: str, body: bytes) -> str:
        key = f"{self._prefix}runs/{dataset}/{mode}/{run_id}.json"
        return objects.put(self._s3, self._audit, key, body, "application/json")

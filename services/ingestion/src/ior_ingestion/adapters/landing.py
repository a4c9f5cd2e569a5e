"""Landing a staged extract: stored content-addressed under the ingestion data prefix's `published/`
and copied, immutably, under its audit prefix with the run's record."""

from __future__ import annotations

import json
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_ingestion.adapters.objects import S3Objects
from ior_ingestion.ports import Landed, StagedExtract


class S3Landing:
    """The ingestion service's own prefixes: `ingestion/` of the data and the audit bucket."""

    def __init__(self, s3: Any, data_bucket: str, audit_bucket: str, prefix: str = "ingestion/") -> None:
        self._objects = S3Objects(s3)
        self._data = data_bucket
        self._audit = audit_bucket
        self._prefix = prefix

    def land(self, staged: StagedExtract, *, source: str, run_id: str, record: dict[str, Any]) -> Landed:
        name = f"{staged.sha256}.{staged.suffix}"
        key = f"{self._prefix}published/raw/{source}/{name}"
        # Content-addressed: an identical extract is the same object, stored once.
        self._objects.upload_once(staged.path, self._data, key)
        audit_base = f"{self._prefix}runs/{source}/{run_id}"
        self._objects.upload(staged.path, self._audit, f"{audit_base}/{name}")
        record = {**record, "extract": {"uri": f"s3://{self._data}/{key}", "sha256": staged.sha256}}
        body = json.dumps(record, sort_keys=True, indent=2).encode()
        self._objects.put(self._audit, f"{audit_base}/run.json", body)
        claim = ClaimCheck(
            uri=f"s3://{self._data}/{key}",
            sha256=staged.sha256,
            row_count=staged.rows,
            schema_version=staged.schema_version,
        )
        return Landed(claim, f"s3://{self._audit}/{audit_base}/run.json")

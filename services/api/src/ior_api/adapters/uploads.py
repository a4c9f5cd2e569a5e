"""Uploaded legacy files in the data bucket: stored unchanged under `api/published/uploads/<id>/`
(where the ETL reads them), and large ones received first under `api/incoming/<session>/` through a
presigned POST, since a Lambda request body is capped at 6 MB."""

from __future__ import annotations

from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.manual import LEGACY_SCHEMA_VERSION, upload_key

from ior_api.adapters import objects

INCOMING = "api/incoming/"
PRESIGNED_TTL_S = 900


class UploadStore:
    def __init__(self, s3: Any, bucket: str, ttl_s: int = PRESIGNED_TTL_S) -> None:
        self._s3 = s3
        self._bucket = bucket
        self.ttl_s = ttl_s

    def store(self, upload_id: str, filename: str, body: bytes, rows: int) -> ClaimCheck:
        key = upload_key(upload_id, filename)
        # Content-addressed: storing the same bundle again rewrites identical bytes.
        digest = objects.put(self._s3, self._bucket, key, body, "text/csv; charset=utf-8")
        return ClaimCheck(
            uri=f"s3://{self._bucket}/{key}",
            sha256=digest,
            row_count=rows,
            schema_version=LEGACY_SCHEMA_VERSION,
        )

    def presign(self, session: str, filename: str, max_bytes: int) -> dict[str, Any]:
        """A form the browser posts one file with, straight to the bucket, size-capped by S3 itself."""
        post: dict[str, Any] = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=f"{INCOMING}{session}/{filename}",
            Conditions=[["content-length-range", 1, max_bytes]],
            ExpiresIn=self.ttl_s,
        )
        return post

    def incoming(self, session: str) -> dict[str, bytes]:
        """The files received for a presigned session, by name."""
        prefix = f"{INCOMING}{session}/"
        return {
            key.removeprefix(prefix): objects.read(self._s3, self._bucket, key).data
            for key in objects.keys(self._s3, self._bucket, prefix)
        }

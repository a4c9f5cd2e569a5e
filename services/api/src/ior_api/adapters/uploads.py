"""Uploaded legacy files in the data bucket: stored unchanged under `api/published/uploads/<id>/`
(where the ETL reads them), and large ones received first under `api/incoming/<session>/` through a
presigned POST, since a Lambda request body is capped at 6 MB."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from ior_contracts.claims import ClaimCheck
from ior_contracts.manual import LEGACY_SCHEMA_VERSION, upload_key

INCOMING = "api/incoming/"
PRESIGNED_TTL_S = 900


class UploadStore:
    def __init__(self, s3: Any, bucket: str, ttl_s: int = PRESIGNED_TTL_S) -> None:
        self._s3 = s3
        self._bucket = bucket
        self.ttl_s = ttl_s

    def store(self, upload_id: str, filename: str, body: bytes, rows: int) -> ClaimCheck:
        key = upload_key(upload_id, filename)
        digest = hashlib.sha256(body).hexdigest()
        # Content-addressed: storing the same bundle again rewrites identical bytes.
        self._s3.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType="text/csv; charset=utf-8",
            ChecksumSHA256=_b64(digest),
        )
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
        listing = self._s3.list_objects_v2(Bucket=self._bucket, Prefix=prefix)
        return {
            item["Key"].removeprefix(prefix): self._s3.get_object(Bucket=self._bucket, Key=item["Key"])[
                "Body"
            ].read()
            for item in listing.get("Contents", [])
        }


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()

"""Uploaded legacy files in the data bucket: stored unchanged under `api/published/uploads/<id>/`
(where the ETL reads them). Large ones arrive first under `api/incoming/<session>/` through a
presigned POST (a Lambda request body is capped at 6 MB) and everything in progress lives under that
prefix only, which the bucket's lifecycle rule expires; such a file is hashed and copied by S3 itself,
never read by the API."""

from __future__ import annotations

import base64
from typing import Any

from botocore.exceptions import ClientError
from ior_contracts.claims import ClaimCheck
from ior_contracts.manual import LEGACY_SCHEMA_VERSION, upload_key

from ior_api.adapters import objects
from ior_api.ports import Hashed, Incoming, IncomingChangedError

INCOMING = "api/incoming/"
PRESIGNED_TTL_S = 900
CSV_TYPE = "text/csv; charset=utf-8"


class UploadStore:
    def __init__(self, s3: Any, bucket: str, ttl_s: int = PRESIGNED_TTL_S) -> None:
        self._s3 = s3
        self._bucket = bucket
        self.ttl_s = ttl_s

    def store(self, upload_id: str, filename: str, body: bytes, rows: int) -> ClaimCheck:
        key = upload_key(upload_id, filename)
        # Content-addressed: storing the same bundle again rewrites identical bytes.
        digest = objects.put(self._s3, self._bucket, key, body, CSV_TYPE)
        return self._claim(key, digest, rows)

    def presign(self, session: str, filename: str, max_bytes: int) -> dict[str, Any]:
        """A form the browser posts one file with, straight to the bucket, size-capped by S3 itself."""
        post: dict[str, Any] = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=incoming_key(session, filename),
            Conditions=[["content-length-range", 1, max_bytes]],
            ExpiresIn=self.ttl_s,
        )
        return post

    def incoming(self, session: str) -> list[Incoming]:
        """The files received for a presigned session, in name order."""
        prefix = incoming_key(session, "")
        return sorted(
            (
                Incoming(o.key.removeprefix(prefix), o.key, o.etag)
                for o in objects.listing(self._s3, self._bucket, prefix)
            ),
            key=lambda f: f.name,
        )

    def hashed(self, file: Incoming) -> Hashed:
        """The file's SHA-256, computed by S3 as it copies the file onto itself: the API reads none of
        it. Exactly the version listed, or `IncomingChangedError`; the copy is a new version (under
        SSE-KMS its ETag differs even for the same bytes), so it is the one returned."""
        try:
            copied = self._s3.copy_object(
                Bucket=self._bucket,
                Key=file.key,
                CopySource={"Bucket": self._bucket, "Key": file.key},
                CopySourceIfMatch=file.etag,
                MetadataDirective="REPLACE",
                ChecksumAlgorithm="SHA256",
            )
        except ClientError as exc:
            raise _changed(exc, file) from None
        result = copied.get("CopyObjectResult", {})
        checksum, etag = result.get("ChecksumSHA256"), result.get("ETag")
        if checksum is None or etag is None:
            raise IncomingChangedError(f"S3 gave no checksum for {file.name}; nothing was stored")
        return Hashed(Incoming(file.name, file.key, etag), base64.b64decode(checksum).hex())

    def adopt(self, file: Incoming, upload_id: str, sha256: str, rows: int) -> ClaimCheck:
        """The file copied by S3 to its content address, only if it is still the version hashed."""
        key = upload_key(upload_id, file.name)
        try:
            copied = self._s3.copy_object(
                Bucket=self._bucket,
                Key=key,
                CopySource={"Bucket": self._bucket, "Key": file.key},
                CopySourceIfMatch=file.etag,
                ContentType=CSV_TYPE,
                MetadataDirective="REPLACE",
                ChecksumAlgorithm="SHA256",
            )
        except ClientError as exc:
            raise _changed(exc, file) from None
        # S3's own checksum of what it copied: the content address holds the bytes checked, or nothing.
        checksum = copied.get("CopyObjectResult", {}).get("ChecksumSHA256")
        if checksum is None or base64.b64decode(checksum).hex() != sha256:
            self._s3.delete_object(Bucket=self._bucket, Key=key)
            raise IncomingChangedError(f"{file.name} is not the file that was hashed; nothing was stored")
        return self._claim(key, sha256, rows)

    def discard(self, files: list[Incoming]) -> None:
        """The incoming files, once adopted (the lifecycle rule removes any left behind)."""
        for file in files:
            self._s3.delete_object(Bucket=self._bucket, Key=file.key)

    def _claim(self, key: str, sha256: str, rows: int) -> ClaimCheck:
        return ClaimCheck(
            uri=f"s3://{self._bucket}/{key}",
            sha256=sha256,
            row_count=rows,
            schema_version=LEGACY_SCHEMA_VERSION,
        )


def incoming_key(session: str, filename: str) -> str:
    """Where a presigned upload's file waits: under `api/incoming/` and nowhere else."""
    return f"{INCOMING}{session}/{filename}"


def _changed(exc: ClientError, file: Incoming) -> Exception:
    if exc.response.get("Error", {}).get("Code") in {"PreconditionFailed", "412"}:
        return IncomingChangedError(f"{file.name} was replaced while it was checked; nothing was stored")
    return exc

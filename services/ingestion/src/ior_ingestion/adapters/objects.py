"""The ingestion service's one S3 helper: whether an object is there, and storing a staged file or a
small body under a key.

Every write carries a SHA-256 checksum: S3 then refuses bytes that did not arrive intact, and the
audit bucket (Object Lock with default retention) refuses any write without one. The Lambda
runtime's SDK may be old enough to send none by default, so the code asks for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# What S3 answers for a key that holds no object.
_MISSING = ("404", "NoSuchKey", "NotFound")


class S3Objects:
    def __init__(self, s3: Any) -> None:
        self._s3 = s3

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=bucket, Key=key)
        except self._s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        return True

    def upload_once(self, path: Path, bucket: str, key: str) -> None:
        """For a content-addressed key: an object already there holds the same bytes, so it stays."""
        if not self.exists(bucket, key):
            self.upload(path, bucket, key)

    def upload(self, path: Path, bucket: str, key: str) -> None:
        self._s3.upload_file(str(path), bucket, key, ExtraArgs={"ChecksumAlgorithm": "SHA256"})

    def put(self, bucket: str, key: str, body: bytes) -> None:
        self._s3.put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="SHA256")

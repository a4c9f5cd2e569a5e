"""The customs service's S3 plumbing, for every adapter of the service: an object named by a claim
check read and verified by its SHA-256, and objects written once (one already there is left alone,
so an output keyed by what made it never changes)."""

from __future__ import annotations

import hashlib
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_customs.ports import ChecksumMismatchError, UnreadableSnapshotError

_MISSING = ("404", "NoSuchKey", "NotFound")


def split_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


class Objects:
    def __init__(self, s3: Any) -> None:
        self._s3 = s3

    def read(self, claim: ClaimCheck) -> bytes:
        """The bytes of the object `claim` names, after checking their SHA-256."""
        bucket, key = split_uri(claim.uri)
        try:
            data: bytes = self._s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except self._s3.exceptions.NoSuchKey:
            raise UnreadableSnapshotError(f"{claim.uri} does not exist") from None
        actual = hashlib.sha256(data).hexdigest()
        if actual != claim.sha256:
            raise ChecksumMismatchError(
                f"{claim.uri} has SHA-256 {actual[:12]}…, its claim check says {claim.sha256[:12]}…"
            )
        return data

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=bucket, Key=key)
        except self._s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        return True

    def put_once(
        self, bucket: str, key: str, body: bytes, content_type: str, *, content_encoding: str | None = None
    ) -> None:
        """Write the object unless it exists. With a SHA-256 checksum, which the object-locked audit
        bucket asks of every write."""
        if self.exists(bucket, key):
            return
        encoding = {"ContentEncoding": content_encoding} if content_encoding else {}
        self._s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType=content_type,
            ChecksumAlgorithm="SHA256",
            **encoding,
        )

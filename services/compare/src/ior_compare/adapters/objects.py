"""Objects: reading another service's claim checks (checksum verified) and writing the compare
service's own objects, immutably, under its prefixes of the data and audit buckets."""

from __future__ import annotations

import hashlib
from typing import Any

from ior_contracts.claims import ClaimCheck

from ior_compare.ports import StoredObject


class ObjectError(Exception):
    """An object could not be read or written as the compare service requires."""


class ForeignObjectError(ObjectError):
    """A claim check points outside what the compare service may read."""


class ChecksumMismatchError(ObjectError):
    """An object's bytes do not have the SHA-256 its claim check states."""


class ImmutableObjectConflictError(ObjectError):
    """An object already exists at the key with different bytes; it is never overwritten."""


def split_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


class S3Objects:
    """`readable` are the prefixes of the data bucket the compare service is granted (other
    services' `published/`); it writes only under its own `prefix`."""

    def __init__(
        self,
        s3: Any,
        data_bucket: str,
        audit_bucket: str,
        prefix: str = "compare/",
        readable: tuple[str, ...] = ("customs/published/",),
    ) -> None:
        self._s3 = s3
        self._data = data_bucket
        self._audit = audit_bucket
        self._prefix = prefix
        self._readable = readable

    def read(self, claim: ClaimCheck) -> bytes:
        """The object's bytes, after checking them against the claim's SHA-256."""
        bucket, key = self._readable_key(claim)
        body: bytes = self._s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        digest = hashlib.sha256(body).hexdigest()
        if digest != claim.sha256:
            raise ChecksumMismatchError(
                f"{claim.uri} has SHA-256 {digest}, its claim check says {claim.sha256}"
            )
        return body

    def read_range(self, claim: ClaimCheck, start: int, end: int) -> bytes:
        """The object's bytes `[start, end)` (fewer where the object ends before `end`). The claim's
        SHA-256 covers the whole object and cannot be checked on a part: the caller checks what the
        part holds (a gzip member's CRC-32 and length, say)."""
        if not 0 <= start < end:
            raise ValueError(f"[{start}, {end}) is not a range of {claim.uri}")
        bucket, key = self._readable_key(claim)
        found: bytes = self._s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={start}-{end - 1}")[
            "Body"
        ].read()
        return found

    def _readable_key(self, claim: ClaimCheck) -> tuple[str, str]:
        bucket, key = split_uri(claim.uri)
        if bucket != self._data or not key.startswith(self._readable):
            raise ForeignObjectError(
                f"{claim.uri} is outside s3://{self._data}/{{{','.join(self._readable)}}}"
            )
        return bucket, key

    def put_audit(
        self, name: str, body: bytes, content_type: str, *, content_encoding: str | None = None
    ) -> StoredObject:
        return self._put(self._audit, self._prefix + name, body, content_type, content_encoding)

    def put_published(self, name: str, body: bytes, content_type: str) -> StoredObject:
        return self._put(self._data, f"{self._prefix}published/{name}", body, content_type)

    def _put(
        self, bucket: str, key: str, body: bytes, content_type: str, content_encoding: str | None = None
    ) -> StoredObject:
        digest = hashlib.sha256(body).hexdigest()
        stored = StoredObject(f"s3://{bucket}/{key}", digest, len(body))
        try:
            # Written once: a second writer of the same key gets 412 and compares what is there.
            self._s3.put_object(
                Bucket=bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                **({"ContentEncoding": content_encoding} if content_encoding else {}),
                IfNoneMatch="*",
                ChecksumAlgorithm="SHA256",
            )
        except self._s3.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("PreconditionFailed", "412"):
                raise
            existing = self._s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            if hashlib.sha256(existing).hexdigest() != digest:
                raise ImmutableObjectConflictError(
                    f"{stored.uri} already holds different bytes; it is immutable"
                ) from None
        return stored

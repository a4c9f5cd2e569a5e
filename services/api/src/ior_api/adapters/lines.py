"""Customs lines read through their claim check: only from the customs `published/` prefix of the data
bucket (the API's read grant), and only when the bytes have the checksum the event announced."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import OrderedDict
from typing import Any

from botocore.exceptions import ClientError
from ior_contracts.claims import ClaimCheck

# Objects are immutable and content-addressed, so a parsed one can be kept for as long as the process.
CACHE_SIZE = 8


def is_missing(exc: ClientError) -> bool:
    """A missing object: S3 says `NoSuchKey`, or `AccessDenied` to a role without `s3:ListBucket`
    (which the API's roles deliberately lack)."""
    return exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "AccessDenied", "404", "403"}


class ClaimCheckError(RuntimeError):
    """The object is outside the allowed prefix, missing, or not what its claim check names."""


class LinesReader:
    def __init__(self, s3: Any, data_bucket: str, prefix: str = "customs/published/") -> None:
        self._s3 = s3
        self._bucket = data_bucket
        self._prefix = prefix
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def read(self, claim: ClaimCheck) -> dict[str, Any]:
        """The run's lines document: entries with their lines nested."""
        if claim.sha256 in self._cache:
            self._cache.move_to_end(claim.sha256)
            return self._cache[claim.sha256]
        allowed = f"s3://{self._bucket}/{self._prefix}"
        if not claim.uri.startswith(allowed):
            raise ClaimCheckError(f"{claim.uri} is outside {allowed}")
        key = claim.uri.removeprefix(f"s3://{self._bucket}/")
        try:
            data: bytes = self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if not is_missing(exc):
                raise
            raise ClaimCheckError(f"{claim.uri} does not exist") from None
        if hashlib.sha256(data).hexdigest() != claim.sha256:
            raise ClaimCheckError(f"{claim.uri} does not have the checksum its event announced")
        try:
            document: dict[str, Any] = json.loads(gzip.decompress(data))
        except (OSError, ValueError) as exc:
            raise ClaimCheckError(f"{claim.uri} is not gzip-compressed JSON: {exc}") from exc
        self._cache[claim.sha256] = document
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return document

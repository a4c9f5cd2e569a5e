"""Published objects read through their claim check: only from one `published/` prefix of the data
bucket (the API's read grant), whole only when the bytes have the checksum the event announced, or
by range for a reader that checks what the range holds (`adapters.run_lines`)."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

from ior_contracts import collector
from ior_contracts.claims import ClaimCheck
from ior_contracts.inflated import InflateError, inflate_members

from ior_api.adapters import objects
from ior_api.ports import ClaimCheckError

# Objects are immutable and content-addressed, so a parsed one can be kept for as long as the process.
CACHE_SIZE = 8


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
        data = self.verified(claim)
        try:
            # Every entry and line becomes a dict or a list, none of them garbage.
            with collector.paused():
                # Not `gzip.decompress`, which copies what follows each member: quadratic over hundreds.
                document: dict[str, Any] = json.loads(inflate_members(data))
        except (InflateError, ValueError) as exc:
            raise ClaimCheckError(f"{claim.uri} is not gzip-compressed JSON: {exc}") from exc
        self._cache[claim.sha256] = document
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return document

    def verified(self, claim: ClaimCheck) -> bytes:
        """The object's bytes as stored, once they are shown to be the ones its claim names."""
        try:
            data = objects.read(self._s3, self._bucket, self._key(claim)).data
        except objects.ObjectMissingError:
            raise ClaimCheckError(f"{claim.uri} does not exist") from None
        if hashlib.sha256(data).hexdigest() != claim.sha256:
            raise ClaimCheckError(f"{claim.uri} does not have the checksum its event announced")
        return data

    def ranged(self, claim: ClaimCheck, start: int, end: int | None) -> bytes:
        """Bytes `[start, end)` of the object (to its end when `end` is None), from the allowed prefix;
        what they hold is for the caller to check (a checksum covers only the whole)."""
        try:
            return objects.read_range(self._s3, self._bucket, self._key(claim), start, end)
        except objects.ObjectMissingError:
            raise ClaimCheckError(f"{claim.uri} does not exist") from None

    def _key(self, claim: ClaimCheck) -> str:
        allowed = f"s3://{self._bucket}/{self._prefix}"
        if not claim.uri.startswith(allowed):
            raise ClaimCheckError(f"{claim.uri} is outside {allowed}")
        return claim.uri.removeprefix(f"s3://{self._bucket}/")

"""The one S3 helper of the API: an object read whole, written with a checksum S3 verifies, the
objects under a prefix."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError


class ObjectMissingError(LookupError):
    """No such object, as far as the API's role can tell."""


@dataclass(frozen=True)
class Content:
    data: bytes
    content_type: str | None
    content_encoding: str | None = None


def read(s3: Any, bucket: str, key: str) -> Content:
    return _content(_get(s3, bucket, key))


def read_within(s3: Any, bucket: str, key: str, max_bytes: int) -> Content | None:
    """The object whole, or None, its body left unread, when it is larger than `max_bytes`."""
    got = _get(s3, bucket, key)
    if got["ContentLength"] > max_bytes:
        got["Body"].close()
        return None
    return _content(got)


def read_range(s3: Any, bucket: str, key: str, start: int, end: int | None) -> bytes:
    """Bytes `[start, end)` of the object, to its end when `end` is None."""
    if end is not None and end <= start:
        return b""
    wanted = f"bytes={start}-" if end is None else f"bytes={start}-{end - 1}"
    body: bytes = _get(s3, bucket, key, Range=wanted)["Body"].read()
    return body


def _content(got: Any) -> Content:
    return Content(got["Body"].read(), got.get("ContentType"), got.get("ContentEncoding"))


def _get(s3: Any, bucket: str, key: str, **extra: str) -> Any:
    try:
        return s3.get_object(Bucket=bucket, Key=key, **extra)
    except ClientError as exc:
        if not _missing(exc):
            raise
        raise ObjectMissingError(f"s3://{bucket}/{key} does not exist") from None


def put(s3: Any, bucket: str, key: str, data: bytes, content_type: str) -> str:
    """Store `data`, refused by S3 unless it arrives intact; its SHA-256 (hex)."""
    digest = hashlib.sha256(data).hexdigest()
    s3.put_object(
        Bucket=bucket,
        Key=key,
        Body=data,
        ContentType=content_type,
        ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode(),
    )
    return digest


@dataclass(frozen=True)
class Listed:
    key: str
    etag: str


def listing(s3: Any, bucket: str, prefix: str) -> list[Listed]:
    """The objects under `prefix` (a handful: one page)."""
    found = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [Listed(item["Key"], item["ETag"]) for item in found.get("Contents", [])]


def _missing(exc: ClientError) -> bool:
    # S3 says `NoSuchKey`, or `AccessDenied` to a role without `s3:ListBucket` (which the API's roles
    # deliberately lack).
    return exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "AccessDenied", "404", "403"}

"""The ETL's one S3 helper: an object's URI and its parts, its bytes read, whether it exists, and
writes that carry their SHA-256 (the object-locked audit bucket asks every write for a checksum)."""

from __future__ import annotations

from typing import Any

MISSING = ("404", "NoSuchKey", "NotFound")


def split_uri(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def object_uri(bucket: str, key: str) -> str:
    return f"s3://{bucket}/{key}"


def read(s3: Any, uri: str) -> bytes | None:
    """The object's bytes, None when there is no object at `uri`."""
    bucket, key = split_uri(uri)
    try:
        body: bytes = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    return body


def exists(s3: Any, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except s3.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in MISSING:
            return False
        raise
    return True


def put(s3: Any, bucket: str, key: str, body: bytes, content_type: str) -> str:
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, ChecksumAlgorithm="SHA256")
    return object_uri(bucket, key)


def put_once(s3: Any, bucket: str, key: str, body: bytes, content_type: str) -> str:
    """Objects keyed by what made them never change: one that exists is left alone."""
    if not exists(s3, bucket, key):
        put(s3, bucket, key, body, content_type)
    return object_uri(bucket, key)

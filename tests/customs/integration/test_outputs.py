"""The published objects' compression: chunks compressed as they come, a megabyte at a time, are the
bytes of compressing the whole object at once (what a run's claim checks and keys rest on)."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
from datetime import date

import boto3
import pytest
from ior_customs.adapters.outputs import GZIP_LEVEL, WRITE_BYTES, S3Outputs
from ior_customs.ports import RunKey
from moto import mock_aws

DATA, AUDIT = "ior-test-data", "ior-test-audit"
KEY = RunKey(date(2026, 3, 16), "automated", {"transactions": "v1"}, "code-1", "fees-1")


def _compressed_at_once(whole: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
        out.write(whole)
    return buffer.getvalue()


def _chunks(total: int, seed: int) -> list[bytes]:
    """JSON-like chunks of uneven sizes (a few bytes to a few times the write size)."""
    rng = random.Random(seed)
    chunks, size = [], 0
    while size < total:
        n = rng.choice([1, 7, 300, 5_000, WRITE_BYTES - 1, WRITE_BYTES + 1, 3 * WRITE_BYTES])
        words = rng.choices(['{"line":', "12", ',"duty":"0.25"', "Größe ✓", "}", ","], k=n // 4 + 1)
        chunk = "".join(words).encode()[:n]
        chunks.append(chunk)
        size += len(chunk)
    return chunks


@pytest.mark.parametrize("seed", [1, 2])
def test_chunks_compressed_as_they_come_are_the_whole_compressed_at_once(seed: int) -> None:
    # GIVEN an object's chunks, some far smaller and some larger than a write
    chunks = _chunks(5 * WRITE_BYTES, seed)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        for bucket in (DATA, AUDIT):
            s3.create_bucket(Bucket=bucket)
        outputs = S3Outputs(s3, DATA, AUDIT)
        # WHEN they are published
        claim = outputs.publish("lines", KEY, iter(chunks), 1, "customs-lines/1")
        stored = outputs.read(claim)
        (item,) = s3.list_objects_v2(Bucket=DATA)["Contents"]
        data = s3.get_object(Bucket=DATA, Key=item["Key"])["Body"].read()
    # THEN the object is the whole compressed at once, at the published level, with its SHA-256
    whole = b"".join(chunks)
    assert data == _compressed_at_once(whole)
    assert claim.sha256 == hashlib.sha256(data).hexdigest()
    assert stored == whole


def test_an_object_of_no_chunks_is_the_empty_object_compressed() -> None:
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        for bucket in (DATA, AUDIT):
            s3.create_bucket(Bucket=bucket)
        outputs = S3Outputs(s3, DATA, AUDIT)
        # GIVEN no chunks WHEN they are published THEN the object is the empty text compressed
        claim = outputs.publish("lines", KEY, iter([]), 0, "customs-lines/1")
        (item,) = s3.list_objects_v2(Bucket=DATA)["Contents"]
        data = s3.get_object(Bucket=DATA, Key=item["Key"])["Body"].read()
    assert data == _compressed_at_once(b"")
    assert claim.sha256 == hashlib.sha256(data).hexdigest()

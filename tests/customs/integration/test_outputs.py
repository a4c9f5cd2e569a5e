"""The published objects' compression: chunks compressed as they come, a write (`WRITE_BYTES`) at a
time, each write an independent gzip member cut between chunks: the whole text to any gzip reader,
the same bytes for the same chunks (what a run's claim checks and keys rest on), and an object of
under a write the bytes of compressing it whole at once, as before the members."""

from __future__ import annotations

import gzip
import hashlib
import random
from datetime import date
from itertools import accumulate

import boto3
import pytest
from ior_customs.adapters.outputs import GZIP_LEVEL, WRITE_BYTES, S3Outputs
from ior_customs.domain.line_columns import GzipMember
from ior_customs.ports import RunKey
from isal import igzip
from moto import mock_aws

DATA, AUDIT = "ior-test-data", "ior-test-audit"
KEY = RunKey(date(2026, 3, 16), "automated", {"transactions": "v1"}, "code-1", "fees-1")


def _compressed_at_once(whole: bytes) -> bytes:
    return igzip.compress(whole, compresslevel=GZIP_LEVEL, mtime=0)


def _chunks(total: int, seed: int, sizes: tuple[int, ...] | None = None) -> list[bytes]:
    """JSON-like chunks of uneven sizes (by default a few bytes to a few times the write size)."""
    rng = random.Random(seed)
    sizes = sizes or (1, 7, 300, 5_000, WRITE_BYTES - 1, WRITE_BYTES + 1, 3 * WRITE_BYTES)
    chunks, size = [], 0
    while size < total:
        n = rng.choice(sizes)
        words = rng.choices(['{"line":', "12", ',"duty":"0.25"', "Größe ✓", "}", ","], k=n // 4 + 1)
        chunk = "".join(words).encode()[:n]
        chunks.append(chunk)
        size += len(chunk)
    return chunks


def _published(chunks: list[bytes], write_bytes: int = WRITE_BYTES) -> tuple[bytes, bytes, list[GzipMember]]:
    """The object stored for `chunks`, what the service reads back of it, and its members."""
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        for bucket in (DATA, AUDIT):
            s3.create_bucket(Bucket=bucket)
        outputs = S3Outputs(s3, DATA, AUDIT, write_bytes=write_bytes)
        members: list[GzipMember] = []
        claim = outputs.publish("lines", KEY, iter(chunks), 1, "customs-lines/1", members)
        stored = b"".join(outputs.text(claim))
        (item,) = s3.list_objects_v2(Bucket=DATA)["Contents"]
        data: bytes = s3.get_object(Bucket=DATA, Key=item["Key"])["Body"].read()
    assert claim.sha256 == hashlib.sha256(data).hexdigest()
    return data, stored, members


@pytest.mark.parametrize("seed", [1, 2])
def test_chunks_compressed_as_they_come_are_members_that_read_as_the_whole_text(seed: int) -> None:
    # GIVEN an object's chunks, some far smaller and some larger than a write
    chunks = _chunks(5 * WRITE_BYTES, seed)
    whole = b"".join(chunks)
    # WHEN they are published
    data, stored, members = _published(chunks)
    # THEN the object is several members, read back (and by any gzip reader) as the whole text
    assert len(members) >= 2
    assert stored == gzip.decompress(data) == whole
    # AND each member is a whole gzip object of its own, its text that part of the whole, cut between
    # chunks, each but the last at least a write
    chunk_ends = {0, *accumulate(map(len, chunks))}
    for member in members:
        assert (
            gzip.decompress(data[member.gzip_start : member.gzip_end])
            == whole[member.text_start : member.text_end]
        )
        assert {member.text_start, member.text_end} <= chunk_ends
    assert all(m.text_end - m.text_start >= WRITE_BYTES for m in members[:-1])
    # AND the same chunks give the same bytes
    assert _published(chunks)[0] == data


def test_a_day_of_text_written_in_small_members_reads_whole_and_each_member_alone() -> None:
    # GIVEN a megabyte of JSON-like chunks the sizes of entries, written in members of 64 kB
    chunks = _chunks(1 << 20, 3, sizes=(300, 1_000, 5_000))
    data, stored, members = _published(chunks, write_bytes=1 << 16)
    # THEN it is many members, which together are the whole
    assert len(members) >= 8
    assert stored == b"".join(chunks)
    assert b"".join(gzip.decompress(data[m.gzip_start : m.gzip_end]) for m in members) == stored


def test_an_object_under_a_write_is_the_bytes_of_compressing_it_whole() -> None:
    # GIVEN chunks of less than a write
    chunks = _chunks(WRITE_BYTES // 2, 4, sizes=(7, 300, 5_000))
    # WHEN they are published THEN the object is one member: the bytes of the single stream before
    data, _, members = _published(chunks)
    assert len(members) == 1
    assert data == _compressed_at_once(b"".join(chunks))


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
